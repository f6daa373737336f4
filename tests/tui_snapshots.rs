//! Screen snapshots of the TUI shell on the demo account at a fixed seed and
//! clock, at 120x35 and 80x24, plus a sweep of tiny sizes that must never
//! panic.

mod tui_common;

use std::sync::Arc;

use monitui::app::{Action, App};
use monitui::data::DataEvent;
use monitui::model::Alarm;
use tui_common::render;

fn demo_app() -> App {
    tui_common::demo().app
}

#[test]
fn alarms_tab_120x35() {
    let demo = tui_common::demo();
    let firing = demo
        .app
        .tabs
        .alarms
        .visible()
        .filter(|a| a.state == monitui::model::AlarmState::Alarm)
        .count();
    assert!(firing > 0, "the demo's opening incident");
    let mut app = demo.app;
    let screen = render(&mut app, 120, 35);
    assert!(screen.contains("dms-replication-lag"));
    assert!(screen.contains(&format!("▲ {firing} ALARM")), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn alarms_tab_80x24() {
    let mut app = demo_app();
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("STATE"));
    insta::assert_snapshot!(screen);
}

/// The table orders the alarms itself, whatever order they arrive in (here
/// the reverse of the on-call order): ALARM first, the longest in its
/// state first, then by name.
#[test]
fn alarm_rows_come_alarm_first_whatever_order_they_arrive_in() {
    let mut demo = tui_common::demo();
    let short = |a: &Alarm| {
        a.name
            .trim_start_matches("ecommerce-ai-platform-")
            .to_string()
    };
    let mut oncall: Vec<Alarm> = demo.app.tabs.alarms.visible().cloned().collect();
    monitui::model::alarm::sort_for_oncall(&mut oncall);
    let oncall_order: Vec<String> = oncall.iter().map(short).collect();
    assert_eq!(
        oncall[0].state,
        monitui::model::AlarmState::Alarm,
        "ALARM first"
    );
    let mut fed: Vec<Alarm> = demo.app.tabs.alarms.visible().cloned().collect();
    fed.sort_by(|a, b| b.name.cmp(&a.name));
    fed.swap(0, 3);
    let fed_names: Vec<String> = fed.iter().map(short).collect();
    assert_ne!(fed_names, oncall_order, "fed out of order");
    demo.app.apply(DataEvent::Alarms {
        alarms: Arc::new(fed),
        fetched_at: demo.now,
    });
    let shown: Vec<String> = demo.app.tabs.alarms.visible().map(short).collect();
    assert_eq!(shown, oncall_order, "fed as {fed_names:?}");
}

#[test]
fn filter_narrows_the_list_120x35() {
    let mut app = demo_app();
    app.update(Action::StartFilter);
    for c in "lambda".chars() {
        app.update(Action::Input(c));
    }
    let screen = render(&mut app, 120, 35);
    assert!(screen.contains("/lambda"));
    assert!(!screen.contains("dms-replication-lag"));
    insta::assert_snapshot!(screen);
}

#[test]
fn help_overlay_80x24() {
    let mut app = demo_app();
    app.update(Action::Help);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Help"));
    insta::assert_snapshot!(screen);
}

/// Renders and checks the screen has exactly the terminal's size.
fn render_checked(app: &mut App, width: u16, height: u16) {
    let screen = render(app, width, height);
    assert_eq!(
        screen.lines().count(),
        usize::from(height),
        "{width}x{height}"
    );
}

#[test]
fn no_panic_at_any_small_size() {
    let mut app = demo_app();
    for tab in 1..=5 {
        app.update(Action::GoTab(tab));
        for width in (1..=24).chain((25..=130).step_by(9)) {
            for height in (1..=10).chain((11..=40).step_by(6)) {
                render_checked(&mut app, width, height);
            }
        }
    }
    app.update(Action::Help);
    for width in 1..=40 {
        for height in 1..=20 {
            render_checked(&mut app, width, height);
        }
    }
}

#[test]
fn failing_fetches_are_said_on_screen_80x24() {
    use monitui::data::{DataEvent, LinkState};
    let mut app = demo_app();
    let now = app.now();
    app.apply(DataEvent::Link(LinkState::Retrying {
        attempt: 2,
        retry_at: now + jiff::SignedDuration::from_secs(4),
        last_success: Some(now - jiff::SignedDuration::from_secs(70)),
        error: "DescribeAlarms: throttled by the service (Rate exceeded)".into(),
    }));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("stale 1m 10s"), "{screen}");
    assert!(
        screen.contains("⚠ cannot refresh alarms: DescribeAlarms: throttled"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);

    app.apply(DataEvent::Link(LinkState::Retrying {
        attempt: 3,
        retry_at: now + jiff::SignedDuration::from_secs(4),
        last_success: None,
        error: "credentials: Error loading SSO Token: Token for my-sso does not exist \
                — run `aws sso login --profile prod-admin`"
            .into(),
    }));
    let screen = render(&mut app, 80, 24);
    let joined = screen
        .lines()
        .map(|row| row.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("⚠ cannot refresh alarms: credentials: Error loading SSO Token"),
        "{screen}"
    );
    assert!(
        joined.contains("run `aws sso login --profile prod-admin`"),
        "the fix is cut off: {screen}"
    );

    app.apply(DataEvent::Link(LinkState::Live { at: now }));
    app.apply(DataEvent::Degraded {
        what: "acks and silences",
        error: Some("ListTagsForResource: network error: timed out".into()),
    });
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("⚠ acks and silences may be stale: ListTagsForResource"),
        "{screen}"
    );
    app.apply(DataEvent::Degraded {
        what: "acks and silences",
        error: None,
    });
    assert!(!render(&mut app, 80, 24).contains('⚠'));
}
