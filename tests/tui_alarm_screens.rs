//! Screen snapshots of the alarm work on the demo account at a fixed seed
//! and clock: the list with ack and silence markers, the detail view, the
//! ack prompt, the silence and confirm dialogs, and the Overview wall.

mod tui_common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use monitui::app::{Action, App};
use monitui::data::{Annotation, DataEvent, LinkState};
use monitui::model::ack::{Ack, Silence, SilenceMethod, SilenceRecord};
use monitui::model::{AlarmState, Series};
use tui_common::{Demo, demo, demo_with};

const API_5XX: &str = "ecommerce-ai-platform-api-5xx-errors";
const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";
const DMS: &str = "ecommerce-ai-platform-dms-replication-lag";
const BATCH: &str = "ecommerce-ai-platform-batch-job-failures";
const COMPOSITE: &str = "ecommerce-ai-platform-platform-degraded";
const ANOMALY: &str = "ecommerce-ai-platform-api-requests-anomaly";

fn act(app: &mut App, actions: impl IntoIterator<Item = Action>) {
    for action in actions {
        app.update(action);
    }
}

fn type_text(app: &mut App, text: &str) {
    act(app, text.chars().map(Action::Input));
}

/// A live ack on the 5xx alarm, a lapsed one on DMS, a running silence on
/// Lambda and an overdue one on Batch.
fn annotate(demo: &mut Demo) {
    let app = &demo.app;
    let episode = |name: &str| app.alarms.find(name).unwrap().transitioned_at;
    let silence = |minutes: i64, by: &str| {
        SilenceRecord::Own(Silence {
            until: demo.now + SignedDuration::from_mins(minutes),
            by: by.into(),
            note: "deploy in progress".into(),
            method: SilenceMethod::ActionsDisabled,
            id: "s-1".into(),
        })
    };
    let ack = |by: &str, episode| Ack {
        by: by.into(),
        at: demo.now,
        episode,
        note: "looking".into(),
    };
    let lapsed = episode(DMS) - SignedDuration::from_hours(2);
    let annotations = BTreeMap::from([
        (
            API_5XX.to_string(),
            Annotation {
                ack: Some(ack("alice", episode(API_5XX))),
                silence: None,
            },
        ),
        (
            DMS.to_string(),
            Annotation {
                ack: Some(ack("carol", lapsed)),
                silence: None,
            },
        ),
        (
            LAMBDA.to_string(),
            Annotation {
                ack: None,
                silence: Some(silence(72, "bob")),
            },
        ),
        (
            BATCH.to_string(),
            Annotation {
                ack: None,
                silence: Some(silence(-5, "bob")),
            },
        ),
    ]);
    demo.app
        .apply(DataEvent::Annotations(Arc::new(annotations)));
}

#[test]
fn list_shows_ack_and_silence_markers_120x35() {
    let mut demo = demo();
    annotate(&mut demo);
    let screen = demo.render(120, 35);
    assert!(screen.contains("✔alice"));
    assert!(!screen.contains("carol"), "a lapsed ack is not shown");
    assert!(screen.contains("⊘ 1h 12m"));
    assert!(screen.contains("silence overdue"));
    let firing = demo
        .app
        .alarms
        .all()
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .count();
    assert!(
        screen.contains(&format!("▲ {} ALARM +1✔ +1⊘", firing - 2)),
        "the silenced one cannot page"
    );
    insta::assert_snapshot!(screen);
}

/// Silence tags monitui did not write (no method or id) are named as such
/// in the list and the detail, never shown as a silence it will end.
#[test]
fn an_unrecognised_silence_record_is_named_in_the_list_and_the_detail() {
    let mut demo = demo();
    let stale = Annotation {
        ack: None,
        silence: Some(SilenceRecord::Unrecognised {
            until: Some(demo.now - SignedDuration::from_hours(30)),
            by: "mallory".into(),
        }),
    };
    demo.app
        .apply(DataEvent::Annotations(Arc::new(BTreeMap::from([(
            DMS.to_string(),
            stale,
        )]))));
    let list = demo.render(120, 35);
    assert!(list.contains("unrecognised silence record"), "{list}");
    assert!(!list.contains("silence overdue"), "{list}");
    open_detail(&mut demo, DMS, Duration::from_secs(3 * 3600));
    let detail = demo.render(120, 50);
    assert!(detail.contains("unrecognised silence record"), "{detail}");
    assert!(detail.contains("by mallory"), "{detail}");
    assert!(detail.contains("monitui leaves it"), "{detail}");
}

#[test]
fn list_markers_80x24() {
    let mut demo = demo();
    annotate(&mut demo);
    let screen = demo.render(80, 24);
    assert!(screen.contains("✔alice"));
    insta::assert_snapshot!(screen);
}

#[test]
fn a_enter_shows_the_ack_at_once() {
    let mut demo = demo();
    let firing = demo
        .app
        .alarms
        .all()
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .count();
    assert!(firing > 1, "the demo has an incident under way");
    act(&mut demo.app, [Action::Ack, Action::Submit]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("✔demo-oncall"));
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains(&format!("▲ {} ALARM +1✔", firing - 1)),
        "the acked alarm is counted apart: {header}"
    );
    assert!(screen.contains("sent: ack"));
}

fn open_detail(demo: &mut Demo, name: &str, range: Duration) {
    demo.select(name);
    act(&mut demo.app, [Action::Open]);
    let event = demo.detail_event(name, range);
    demo.app.apply(event);
}

#[test]
fn detail_view_120x35() {
    let mut demo = demo();
    annotate(&mut demo);
    open_detail(&mut demo, LAMBDA, Duration::from_secs(3 * 3600));
    let screen = demo.render(120, 35);
    assert!(screen.contains("threshold > 10"));
    assert!(screen.contains("History (newest first)"));
    assert!(screen.contains("OK → ALARM"));
    assert!(screen.contains("Dimensions"));
    assert!(screen.contains("range 3h"));
    assert!(!screen.contains("loading"));
    insta::assert_snapshot!(screen);
}

#[test]
fn detail_view_80x24() {
    let mut demo = demo();
    annotate(&mut demo);
    open_detail(&mut demo, API_5XX, Duration::from_secs(3 * 3600));
    let screen = demo.render(80, 24);
    assert!(screen.contains("State"));
    assert!(screen.contains("Reason"));
    insta::assert_snapshot!(screen);
}

/// The anomaly-detection alarm's chart draws its band (two limits) and
/// marks the periods outside it, not a threshold line.
#[test]
fn anomaly_detail_draws_the_band() {
    for (width, height) in [(120, 35), (80, 24)] {
        let mut demo = demo();
        demo.select(ANOMALY);
        act(&mut demo.app, [Action::Open]);
        let mut event = demo.detail_event(ANOMALY, Duration::from_secs(3 * 3600));
        // As the data layer does: the 5-minute period still filling is left out.
        if let DataEvent::Detail(detail) = &mut event {
            let series = detail.series.as_mut().expect("the requests");
            series.drop_incomplete(300, demo.now);
        }
        demo.app.apply(event);
        let band = demo
            .alarm_band(ANOMALY, Duration::from_secs(3 * 3600))
            .expect("the demo answers the band");
        assert!(!band.points.is_empty());
        let screen = demo.render(width, height);
        assert!(
            screen.contains("Requests (expected) <> band (3 sd)"),
            "{screen}"
        );
        assert!(screen.contains("outside the band ("), "{screen}");
        assert!(!screen.contains("threshold > 0"), "{screen}");
        let name = format!("anomaly_detail_{width}x{height}");
        insta::assert_snapshot!(name, screen);
    }
}

#[test]
fn detail_range_change_says_loading_until_the_data_arrives() {
    let mut demo = demo();
    open_detail(&mut demo, DMS, Duration::from_secs(3 * 3600));
    act(&mut demo.app, [Action::RangeLonger]);
    assert!(demo.render(120, 35).contains("range 12h loading…"));
    let event = demo.detail_event(DMS, Duration::from_secs(12 * 3600));
    demo.app.apply(event);
    assert!(!demo.render(120, 35).contains("loading"));
}

#[test]
fn composite_detail_shows_the_rule() {
    let mut demo = demo();
    open_detail(&mut demo, COMPOSITE, Duration::from_secs(3 * 3600));
    let screen = demo.render(120, 35);
    assert!(screen.contains("composite alarm"));
    assert!(screen.contains("Rule"));
}

#[test]
fn ack_prompt_80x24() {
    let mut demo = demo();
    act(&mut demo.app, [Action::Ack]);
    type_text(&mut demo.app, "on it");
    let screen = demo.render(80, 24);
    assert!(screen.contains("Ack ecommerce-ai-platform-lambda-errors"));
    assert!(screen.contains("note (optional): on it"));
    assert!(screen.contains("Enter to ack, Esc to cancel"));
    insta::assert_snapshot!(screen);
}

#[test]
fn silence_dialog_refusing_an_empty_note_80x24() {
    let mut demo = demo();
    act(&mut demo.app, [Action::Silence, Action::Up, Action::Submit]);
    let screen = demo.render(80, 24);
    assert!(screen.contains("Silence"));
    assert!(screen.contains("[15m]"));
    assert!(screen.contains("a note is required"));
    insta::assert_snapshot!(screen);
}

#[test]
fn silence_dialog_custom_duration_120x35() {
    let mut demo = demo();
    act(&mut demo.app, [Action::Silence]);
    type_text(&mut demo.app, "90m");
    act(&mut demo.app, [Action::NextField]);
    type_text(&mut demo.app, "noisy during the migration");
    let screen = demo.render(120, 35);
    assert!(screen.contains("[custom:] 90m"));
    insta::assert_snapshot!(screen);
}

#[test]
fn confirm_dialog_80x24() {
    let mut demo = demo_with(|env| env.confirm_mutations = true);
    act(&mut demo.app, [Action::Test]);
    type_text(&mut demo.app, "staging");
    act(&mut demo.app, [Action::Submit]);
    let screen = demo.render(80, 24);
    assert!(screen.contains("type 'demo' to confirm: staging"));
    assert!(screen.contains("exactly to confirm"));
    insta::assert_snapshot!(screen);
}

#[test]
fn overview_120x35() {
    let mut demo = demo();
    let event = demo.overview_event();
    demo.app.apply(event);
    act(&mut demo.app, [Action::GoTab(1)]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("5 alarm metrics"));
    assert!(screen.contains("dms-replication-lag"));
    assert!(screen.contains("> 300"));
    let anomaly = screen
        .lines()
        .find(|l| l.contains("api-requests-anomaly"))
        .expect("the anomaly alarm's row");
    assert!(
        anomaly.contains("<> band") && !anomaly.contains('!'),
        "no breach is claimed against a band the Overview does not fetch: {anomaly}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn overview_80x24() {
    let mut demo = demo();
    let event = demo.overview_event();
    demo.app.apply(event);
    act(&mut demo.app, [Action::GoTab(1), Action::Down]);
    let screen = demo.render(80, 24);
    insta::assert_snapshot!(screen);
}

#[test]
fn overview_fits_ten_rows_at_80x24_with_pinned_below() {
    let mut demo = demo();
    let base = match demo.overview_event() {
        DataEvent::Overview(series) => series[0].clone(),
        other => panic!("{other:?}"),
    };
    let series: Vec<Series> = (0..10)
        .map(|i| Series {
            id: format!("pinned-{i}"),
            label: format!("Pinned metric {i}"),
            ..base.clone()
        })
        .chain(std::iter::once(base.clone()))
        .collect();
    demo.app.apply(DataEvent::Overview(Arc::new(series)));
    act(&mut demo.app, [Action::GoTab(1)]);
    let screen = demo.render(80, 24);
    let rows = screen
        .lines()
        .filter(|l| l.contains("Pinned metric"))
        .count();
    assert!(rows >= 8, "only {rows} rows fit:\n{screen}");
    let line_of = |text: &str| {
        screen
            .lines()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("no row shows {text}:\n{screen}"))
    };
    let alarm_line = line_of(&base.id[22..]);
    let pinned_line = line_of("Pinned metric 0");
    assert!(alarm_line < pinned_line, "alarm rows come first:\n{screen}");
}

#[test]
fn overview_updates_when_new_series_arrive() {
    let mut demo = demo();
    let mut series = match demo.overview_event() {
        DataEvent::Overview(series) => (*series).clone(),
        other => panic!("{other:?}"),
    };
    demo.app
        .apply(DataEvent::Overview(Arc::new(series.clone())));
    act(&mut demo.app, [Action::GoTab(1)]);
    let before = demo.render(120, 35);
    let last = series[0].points.last().unwrap().0;
    series[0].points.push((last, 987_654.0));
    demo.app.apply(DataEvent::Overview(Arc::new(series)));
    let after = demo.render(120, 35);
    assert!(!before.contains("988k"));
    assert!(after.contains("988k"));
}

#[test]
fn new_screens_never_panic_at_small_sizes() {
    let mut demo = demo();
    annotate(&mut demo);
    let overview = demo.overview_event();
    demo.app.apply(overview);
    let screens: [&[Action]; 5] = [
        &[Action::GoTab(1)],
        &[Action::GoTab(2), Action::Open],
        &[Action::Ack],
        &[Action::Back, Action::Silence],
        &[Action::Back, Action::Test],
    ];
    open_detail(&mut demo, DMS, Duration::from_secs(3600));
    act(&mut demo.app, [Action::Back]);
    for actions in screens {
        act(&mut demo.app, actions.iter().cloned());
        if actions.contains(&Action::Open) {
            let event = demo.detail_event(API_5XX, Duration::from_secs(3 * 3600));
            demo.app.apply(event);
        }
        for width in (1..=30).chain((31..=130).step_by(11)) {
            for height in (1..=12).chain((13..=40).step_by(5)) {
                demo.render(width, height);
            }
        }
    }
    assert_eq!(
        demo.app.alarms.find(API_5XX).unwrap().state,
        AlarmState::Alarm
    );
}

/// The header's alarm count is never an all-clear it does not know:
/// before the first read it says the alarms are unknown (connecting, and
/// failing with no read yet), and once reads fail it gives the age of the
/// last good list instead of "✓ no ALARM".
#[test]
fn the_header_gives_no_all_clear_without_a_good_read() {
    let demo = demo();
    let now = demo.now;
    let fresh = || {
        App::new(
            monitui::config::ResolvedEnv::demo(),
            monitui::config::theme::load_theme("default", None).unwrap(),
            Arc::new(monitui::model::ManualClock::new(now)),
        )
    };
    let header = |app: &mut App| {
        tui_common::render(app, 120, 35)
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    let mut app = fresh();
    let connecting = header(&mut app);
    assert!(connecting.contains("? alarms unknown"), "{connecting}");
    app.apply(DataEvent::Link(LinkState::Retrying {
        attempt: 3,
        retry_at: now + SignedDuration::from_secs(8),
        last_success: None,
        error: "connection refused".into(),
    }));
    let failing = header(&mut app);
    assert!(failing.contains("? alarms unknown"), "{failing}");
    assert!(!failing.contains("no ALARM"), "{failing}");

    let read_at = now - SignedDuration::from_secs(70);
    app.apply(DataEvent::Alarms {
        alarms: Arc::new(Vec::new()),
        fetched_at: read_at,
    });
    app.apply(DataEvent::Link(LinkState::Live { at: now }));
    assert!(header(&mut app).contains("✓ no ALARM"));
    app.apply(DataEvent::Link(LinkState::Retrying {
        attempt: 1,
        retry_at: now + SignedDuration::from_secs(1),
        last_success: Some(read_at),
        error: "connection refused".into(),
    }));
    let stale = header(&mut app);
    assert!(stale.contains("? no ALARM 1m 10s ago"), "{stale}");
    assert!(!stale.contains('✓'), "{stale}");
}

/// While only the alarms in ALARM are in (the early answer of the first
/// fetch), the list shows them and the header counts them and says the
/// rest is loading, with no all-clear and no "acked" (their acks are not
/// read yet); the full list then gives the usual count.
#[test]
fn the_alarms_in_alarm_show_first_and_the_header_says_the_rest_is_loading() {
    let demo = demo();
    let now = demo.now;
    let mut app = App::new(
        monitui::config::ResolvedEnv::demo(),
        monitui::config::theme::load_theme("default", None).unwrap(),
        Arc::new(monitui::model::ManualClock::new(now)),
    );
    let all = Arc::new(demo.app.alarms.all().to_vec());
    let firing: Vec<_> = all
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .cloned()
        .collect();
    let count = firing.len();
    assert!(count > 0, "the demo has alarms in ALARM");
    app.apply(DataEvent::FiringFirst {
        alarms: Arc::new(firing),
        all: false,
        fetched_at: now,
    });
    let screen = tui_common::render(&mut app, 140, 35);
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains(&format!("▲ {count}+ ALARM · loading the rest")),
        "{header}"
    );
    assert!(
        !header.contains("no ALARM") && !header.contains('✓'),
        "{header}"
    );
    for alarm in all.iter() {
        let short = alarm.name.trim_start_matches("ecommerce-ai-platform-");
        assert_eq!(
            screen.contains(short),
            alarm.state == AlarmState::Alarm,
            "only the alarms in ALARM are listed first ({short}): {screen}"
        );
    }

    app.apply(DataEvent::Alarms {
        alarms: all,
        fetched_at: now,
    });
    app.apply(DataEvent::Link(LinkState::Live { at: now }));
    let screen = tui_common::render(&mut app, 140, 35);
    assert!(!screen.contains("loading the rest"), "{screen}");
    assert!(screen.contains("batch-job-failures"), "{screen}");
}
