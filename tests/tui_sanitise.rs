//! Text from AWS never reaches the terminal raw: alarm names, reasons,
//! descriptions and history summaries full of escape sequences, control
//! characters and bidi overrides are drawn harmless on every screen.

mod support;
mod tui_common;

use std::sync::Arc;

use monitui::app::{Action, Tab};
use monitui::data::{AlarmDetail, DataEvent};
use monitui::model::{HistoryItem, HistoryKind};
use tui_common::demo;

const HOSTILE_NAME: &str = "evil\x1b]0;pwned\x07-alarm\x1b[2J\x1b[H";
const HOSTILE_TEXT: &str = "\x1b[31mred\x1b[0m \u{202e}desrever\x08\x07 \x1bP+q\x1b\\ok";

/// No escape, no control character (newlines separate rows) and no bidi
/// override in what was drawn.
fn assert_harmless(screen: &str) {
    for c in screen.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {c:?} reached the screen:\n{screen}"
        );
    }
}

#[test]
fn hostile_alarm_text_is_drawn_harmless_on_every_screen() {
    let mut demo = demo();
    let mut alarms: Vec<_> = demo.app.tabs.alarms.visible().cloned().collect();
    alarms[0].name = HOSTILE_NAME.to_string();
    alarms[0].reason = HOSTILE_TEXT.to_string();
    alarms[0].description = Some(HOSTILE_TEXT.to_string());
    let range = demo.range(std::time::Duration::from_secs(3600));
    demo.app.apply(DataEvent::Alarms {
        alarms: Arc::new(alarms),
        fetched_at: demo.now,
    });
    let list = demo.render(120, 35);
    assert!(list.contains("evil-alarm"), "{list}");
    assert_harmless(&list);

    demo.app.tab = Tab::Alarms;
    demo.select(HOSTILE_NAME);
    demo.app.update(Action::Open);
    demo.app.apply(DataEvent::Detail(Box::new(AlarmDetail {
        alarm: HOSTILE_NAME.to_string(),
        range,
        series: None,
        band: None,
        history: vec![HistoryItem {
            alarm_name: HOSTILE_NAME.to_string(),
            timestamp: demo.now,
            kind: HistoryKind::ConfigurationUpdate,
            summary: HOSTILE_TEXT.to_string(),
            transition: None,
        }],
        error: Some(HOSTILE_TEXT.to_string()),
        explanation: None,
    })));
    for (w, h) in [(120, 35), (80, 24)] {
        let detail = demo.render(w, h);
        assert!(detail.contains("evil-alarm"), "{detail}");
        assert!(detail.contains("desrever"), "{detail}");
        assert_harmless(&detail);
    }
}

/// A CloudTrail record with every hostile piece in every field someone
/// else controls: names, user, source, IP, region, error, agent, request.
fn hostile_trail_record() -> monitui::model::trail::TrailRecord {
    let text = support::hostile::all_pieces();
    monitui::model::trail::TrailRecord::from_value(
        serde_json::json!({
            "eventTime": "2026-01-16T14:00:00Z",
            "eventName": format!("Delete{text}"),
            "eventSource": text,
            "sourceIPAddress": text,
            "awsRegion": text,
            "userAgent": text,
            "errorCode": format!("AccessDenied{text}"),
            "errorMessage": text,
            "eventID": text,
            "userIdentity": {
                "type": "AssumedRole",
                "arn": format!("arn:aws:sts::1:assumed-role/Ops/{text}"),
                "accessKeyId": text,
                "sessionContext": {"sessionIssuer": {"type": "Role", "userName": text, "arn": text}}
            },
            "requestParameters": {"bucketName": text},
            "resources": [{"ARN": text, "type": text}]
        }),
        None,
    )
    .unwrap()
}

#[test]
fn hostile_cloudtrail_events_are_drawn_harmless() {
    use monitui::data::trail_job::TrailUpdate;
    use monitui::data::trail_search::TrailSearch;
    use monitui::data::{TrailRequest, TrailStatus};
    use support::hostile::{Allowed, assert_harmless as harmless, assert_payloads_hidden};

    let mut demo = demo();
    demo.app.update(Action::GoTab(5));
    let effects = demo.app.update(Action::Open);
    let Some(request) = effects
        .first()
        .and_then(tui_common::tab_request::<TrailRequest>)
    else {
        panic!("Enter on an empty tab searches: {effects:?}");
    };
    demo.app.apply(DataEvent::tab(TrailUpdate {
        id: request.id,
        status: TrailStatus::Failed(support::hostile::all_pieces()),
    }));
    let failed = demo.render(120, 35);
    assert!(failed.contains("search failed"), "{failed}");
    harmless(failed.as_bytes(), Allowed::NoEscapes);
    assert_payloads_hidden(failed.as_bytes());

    let id = demo.ask_trail_search();
    demo.app.apply(DataEvent::tab(TrailUpdate {
        id,
        status: TrailStatus::Done(Arc::new(TrailSearch {
            records: vec![hostile_trail_record()],
            cutoff: None,
            pages: 1,
            scanned: 1,
        })),
    }));
    for (w, h) in [(120, 35), (80, 24)] {
        let results = demo.render(w, h);
        assert!(results.contains("CSI-RED"), "{results}");
        harmless(results.as_bytes(), Allowed::NoEscapes);
        assert_payloads_hidden(results.as_bytes());
    }
    demo.app.update(Action::Open);
    let first = demo.render(120, 35);
    assert!(first.contains("lone-esc of assumed role"), "{first}");
    let mut escaped = false;
    for (w, h) in [(120, 35), (80, 24)] {
        demo.app.update(Action::Top);
        for _ in 0..20 {
            let detail = demo.render(w, h);
            harmless(detail.as_bytes(), Allowed::NoEscapes);
            escaped |= detail.contains(r"\u001b]0;PWNED");
            demo.app.update(Action::PageDown);
        }
    }
    assert!(escaped, "the JSON shows the escape, escaped");
}

#[test]
fn hostile_text_in_an_incident_timeline_is_drawn_harmless() {
    use monitui::data::incident::{LogPiece, Piece, TrailPiece};
    use monitui::model::LogEvent;
    use monitui::model::trail::TrailRecord;

    let mut demo = demo();
    demo.app.tab = Tab::Alarms;
    let alarm = demo.app.tabs.alarms.visible().next().unwrap().name.clone();
    demo.select(&alarm);
    demo.app.update(Action::Incident);
    let record = TrailRecord::parse(
        &serde_json::json!({
            "eventTime": demo.now.to_string(),
            "eventName": HOSTILE_TEXT,
            "eventSource": HOSTILE_NAME,
            "userIdentity": {"type": "IAMUser", "userName": HOSTILE_TEXT},
            "errorCode": HOSTILE_TEXT,
            "readOnly": false
        })
        .to_string(),
    )
    .unwrap();
    let pieces = [
        Piece::Logs(Ok(LogPiece {
            groups: vec![HOSTILE_NAME.into()],
            events: vec![LogEvent {
                group: HOSTILE_NAME.into(),
                stream: HOSTILE_TEXT.into(),
                timestamp: demo.now,
                event_id: None,
                message: format!("{HOSTILE_TEXT}\n{HOSTILE_TEXT}"),
            }],
            failed: vec![(HOSTILE_NAME.into(), HOSTILE_TEXT.into())],
            truncated: false,
        })),
        Piece::Trail(Ok(TrailPiece {
            events: vec![record],
            more: false,
        })),
        Piece::OtherAlarms(Err(HOSTILE_TEXT.into())),
    ];
    for piece in pieces {
        demo.app.apply(DataEvent::Incident {
            alarm: alarm.clone(),
            piece: Box::new(piece),
        });
    }
    for (w, h) in [(120, 35), (80, 24)] {
        let screen = demo.render(w, h);
        assert!(screen.contains("desrever"), "{screen}");
        assert_harmless(&screen);
    }
    let entries = demo.app.overlays.incident().unwrap().entries.len();
    for i in 0..entries {
        demo.app.update(Action::Open);
        let full = demo.render(120, 35);
        assert_harmless(&full);
        demo.app.update(Action::Back);
        if i + 1 < entries {
            demo.app.update(Action::Down);
        }
    }
}

#[test]
fn hostile_dashboard_names_titles_and_text_are_drawn_harmless() {
    use monitui::data::dashboard_job::{DashboardEvent, DashboardFrame};
    use monitui::model::DashboardSummary;
    use monitui::model::dashboard::{Dashboard, DashboardData};

    let mut demo = demo();
    demo.app.update(Action::GoTab(3));
    let name = format!("ops-{HOSTILE_NAME}");
    demo.app
        .apply(DataEvent::tab(DashboardEvent::List(Ok(Arc::new(vec![
            DashboardSummary {
                name: name.clone(),
                modified_at: Some(demo.now),
                size: Some(1),
            },
        ])))));
    let list = demo.render(120, 35);
    assert!(list.contains("ops-evil-alarm"), "{list}");
    assert_harmless(&list);

    let body = serde_json::json!({"widgets": [
        {"type": "text", "x": 0, "y": 0, "width": 12, "height": 6,
         "properties": {"markdown": format!("# {HOSTILE_TEXT}\n\n{HOSTILE_TEXT} `{HOSTILE_NAME}`")}},
        {"type": "metric", "x": 12, "y": 0, "width": 12, "height": 6,
         "properties": {"title": HOSTILE_TEXT, "region": "us-east-1",
                        "metrics": [["AWS/Lambda", HOSTILE_NAME]]}},
        {"type": "alien", "x": 0, "y": 6, "width": 24, "height": 3,
         "properties": {"title": HOSTILE_NAME}}
    ]});
    let dashboard = Arc::new(Dashboard::parse(&body.to_string()).unwrap());
    demo.app.update(Action::Open);
    demo.app
        .apply(DataEvent::tab(DashboardEvent::Frame(Arc::new(
            DashboardFrame {
                name: name.clone(),
                dashboard: Ok(dashboard),
                data: Arc::new(DashboardData::empty(
                    demo.range(std::time::Duration::from_secs(3600)),
                )),
                fetched_at: Some(demo.now),
                error: Some(HOSTILE_TEXT.to_string()),
            },
        ))));
    for (w, h) in [(120, 35), (80, 24)] {
        let screen = demo.render(w, h);
        assert!(screen.contains("desrever"), "{screen}");
        assert_harmless(&screen);
    }
}
