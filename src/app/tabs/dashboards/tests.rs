//! The Dashboards tab's state: filter, open, focus, zoom, range and
//! interval, each change told to the job.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::model::TimeRange;
use crate::model::dashboard::{Chosen, RANGE_PRESETS};

fn ctx(alarms: &Arc<AlarmList>) -> Context<'_> {
    Context {
        alarms,
        page_rows: 10,
    }
}

fn summary(name: &str) -> DashboardSummary {
    DashboardSummary {
        name: name.into(),
        modified_at: None,
        size: None,
    }
}

fn listed() -> DashboardsTab {
    let mut tab = DashboardsTab::default();
    let list = Arc::new(vec![
        summary("api"),
        summary("data-pipeline"),
        summary("ml"),
    ]);
    tab.apply(
        &DataEvent::tab(DashboardEvent::List(Ok(list))),
        &ctx(&Arc::default()),
    );
    tab
}

fn sent(reply: Reply) -> DashboardCommand {
    match reply {
        Reply::Effect(Effect::Data(DataCommand::Tab(c))) => c.take().expect("a dashboard command"),
        other => panic!("expected a dashboard command, got {other:?}"),
    }
}

fn frame(name: &str) -> Arc<DashboardFrame> {
    let d = Dashboard::parse(
        r#"{"widgets": [
          {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "t"}},
          {"type": "alarm", "x": 12, "y": 2, "width": 12, "height": 6, "properties": {"alarms": ["arn:aws:cloudwatch:us-east-1:1:alarm:a"]}},
          {"type": "metric", "x": 0, "y": 2, "width": 12, "height": 6, "properties": {"metrics": [["N", "M"]]}}
        ]}"#,
    )
    .unwrap();
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    Arc::new(DashboardFrame {
        name: name.into(),
        dashboard: Ok(Arc::new(d)),
        data: Arc::new(DashboardData::empty(TimeRange {
            start: t("2026-01-16T12:00:00Z"),
            end: t("2026-01-16T15:00:00Z"),
        })),
        fetched_at: None,
        error: None,
    })
}

#[test]
fn the_filter_narrows_the_list_and_enter_opens_the_selected_one() {
    let alarms = Arc::default();
    let mut tab = listed();
    tab.set_filter("PIPE");
    assert_eq!(tab.visible().count(), 1);
    let command = sent(tab.update(&Action::Open, &ctx(&alarms)));
    assert_eq!(
        command,
        DashboardCommand::Open {
            name: "data-pipeline".into(),
            view: DashboardView::default()
        }
    );
    assert!(tab.filter().is_none(), "no filter on an open dashboard");
    assert!(std::ptr::eq(tab.keymap(), VIEW_KEYMAP));
}

#[test]
fn focus_moves_in_reading_order_zooms_and_esc_goes_back_step_by_step() {
    let alarms = Arc::default();
    let mut tab = listed();
    tab.update(&Action::Open, &ctx(&alarms));
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(frame("other"))),
        &ctx(&alarms),
    );
    assert!(
        tab.open().unwrap().frame.is_none(),
        "another dashboard's frame"
    );
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(frame("api"))),
        &ctx(&alarms),
    );
    let open = tab.open().unwrap();
    assert_eq!(open.order, [0, 2, 1], "top to bottom, then left to right");
    assert_eq!(open.focused_widget(), Some(0));
    tab.update(&Action::Down, &ctx(&alarms));
    tab.update(&Action::Down, &ctx(&alarms));
    tab.update(&Action::Down, &ctx(&alarms));
    assert_eq!(tab.open().unwrap().focused_widget(), Some(1), "clamped");
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(frame("api"))),
        &ctx(&alarms),
    );
    assert_eq!(
        tab.open().unwrap().focused_widget(),
        Some(1),
        "kept on refresh"
    );
    tab.update(&Action::Open, &ctx(&alarms));
    assert!(tab.open().unwrap().zoomed);
    assert_eq!(tab.update(&Action::Back, &ctx(&alarms)), Reply::Done);
    assert!(!tab.open().unwrap().zoomed);
    assert_eq!(
        sent(tab.update(&Action::Back, &ctx(&alarms))),
        DashboardCommand::Close
    );
    assert!(tab.open().is_none());
}

#[test]
fn range_and_interval_changes_are_sent_and_kept() {
    let alarms = Arc::default();
    let mut tab = listed();
    tab.update(&Action::Open, &ctx(&alarms));
    assert!(matches!(
        tab.update(&Action::RangeLonger, &ctx(&alarms)),
        Reply::Flash(_)
    ));
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(frame("api"))),
        &ctx(&alarms),
    );
    let longer = sent(tab.update(&Action::RangeLonger, &ctx(&alarms)));
    assert_eq!(
        longer,
        DashboardCommand::View(DashboardView {
            range: RangeChoice::Last(RANGE_PRESETS[2]),
            auto_refresh: None,
            variables: Default::default(),
        })
    );
    let auto = sent(tab.update(&Action::CycleAutoRefresh, &ctx(&alarms)));
    assert_eq!(
        auto,
        DashboardCommand::View(DashboardView {
            range: RangeChoice::Last(RANGE_PRESETS[2]),
            auto_refresh: Some(Duration::from_secs(10)),
            variables: Default::default(),
        })
    );
    for _ in 0..AUTO_REFRESH.len() {
        tab.update(&Action::CycleAutoRefresh, &ctx(&alarms));
    }
    assert_eq!(
        tab.view().auto_refresh,
        Some(Duration::from_secs(10)),
        "wraps"
    );
}

#[test]
fn alarm_widgets_get_the_apps_alarm_list() {
    let mut tab = listed();
    tab.update(&Action::Open, &ctx(&Arc::default()));
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(frame("api"))),
        &ctx(&Arc::default()),
    );
    assert!(tab.open().unwrap().data.as_ref().unwrap().alarms.is_empty());
    let alarm = crate::model::Alarm {
        name: "a".into(),
        arn: "arn:aws:cloudwatch:us-east-1:1:alarm:a".into(),
        description: None,
        state: crate::model::AlarmState::Alarm,
        reason: String::new(),
        reason_data: None,
        updated_at: jiff::Timestamp::UNIX_EPOCH,
        transitioned_at: jiff::Timestamp::UNIX_EPOCH,
        kind: crate::model::AlarmKind::Composite {
            rule: "ALARM(x)".into(),
        },
        actions_enabled: true,
        alarm_actions: vec![],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
    };
    let list = Arc::new(AlarmList::new(
        Arc::new(vec![alarm]),
        jiff::Timestamp::UNIX_EPOCH,
        "p-",
        &Arc::default(),
    ));
    let event = DataEvent::Alarms {
        alarms: Arc::new(Vec::new()),
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    };
    tab.apply(&event, &ctx(&list));
    let data = tab.open().unwrap().data.clone().unwrap();
    assert_eq!(data.alarms.len(), 1);
    assert_eq!(data.alarms[0].name, "a");
}

#[test]
fn v_picks_the_next_value_of_the_selected_variable_and_the_job_is_told() {
    let alarms = Arc::default();
    let mut tab = listed();
    tab.update(&Action::Open, &ctx(&alarms));
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(frame("api"))),
        &ctx(&alarms),
    );
    assert!(matches!(
        tab.update(&Action::NextVariableValue, &ctx(&alarms)),
        Reply::Flash(m) if m.contains("no variables")
    ));
    let d = Dashboard::parse(
        r#"{"variables": [
            {"type": "property", "property": "FunctionName", "id": "fn", "defaultValue": "a", "values": [{"value": "a"}, {"value": "b"}]},
            {"type": "pattern", "pattern": "us-east-1", "id": "region", "defaultValue": "us-east-1", "values": ["us-east-1", "eu-west-1"]}
          ],
          "widgets": [{"type": "metric", "properties": {"metrics": [["AWS/Lambda", "Errors", "FunctionName", "a"]]}}]}"#,
    )
    .unwrap();
    let mut with_variables = DashboardFrame::clone(&frame("api"));
    with_variables.dashboard = Ok(Arc::new(d));
    tab.apply(
        &DataEvent::tab(DashboardEvent::Frame(Arc::new(with_variables))),
        &ctx(&alarms),
    );
    let DashboardCommand::View(view) = sent(tab.update(&Action::NextVariableValue, &ctx(&alarms)))
    else {
        panic!("not a view change")
    };
    assert_eq!(view.variables, Chosen::from([("fn".into(), "b".into())]));
    assert_eq!(
        tab.update(&Action::NextVariable, &ctx(&alarms)),
        Reply::Done
    );
    assert_eq!(tab.selected_variable(), 1);
    let DashboardCommand::View(view) = sent(tab.update(&Action::NextVariableValue, &ctx(&alarms)))
    else {
        panic!("not a view change")
    };
    assert_eq!(
        view.variables,
        Chosen::from([
            ("fn".into(), "b".into()),
            ("region".into(), "eu-west-1".into())
        ])
    );
    tab.update(&Action::Back, &ctx(&alarms));
    let DashboardCommand::Open { view, .. } = sent(tab.update(&Action::Open, &ctx(&alarms))) else {
        panic!("not an open")
    };
    assert!(
        view.variables.is_empty(),
        "another dashboard starts from its defaults"
    );
}
