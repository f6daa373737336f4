//! Snapshots of the Dashboards tab on the demo account at a fixed seed and
//! clock, at 120x35 and 80x24: the list, an open dashboard (the data
//! fetched by the data layer's store over the demo account, as the tab's
//! job does), and one widget zoomed. Also: the keys send what the job needs.

mod tui_common;

use std::sync::Arc;

use monitui::app::{Action, Effect, Tab};
use monitui::data::dashboard_job::{DashboardCommand, DashboardEvent, DashboardFrame};
use monitui::data::{DataCommand, DataEvent};
use monitui::model::dashboard::RangeChoice;
use tui_common::{Demo, tab_request};

const API: &str = "ecommerce-ai-platform-api-performance";

/// The demo on the Dashboards tab with the account's list.
fn on_the_list() -> Demo {
    let mut demo = tui_common::demo();
    demo.dashboards_listed();
    demo
}

/// The demo with `name` open, its frame in.
fn open(name: &str) -> Demo {
    let mut demo = tui_common::demo();
    demo.open_dashboard(name);
    demo
}

#[test]
fn dashboard_list_120x35() {
    let mut demo = on_the_list();
    assert_eq!(demo.app.tab, Tab::Dashboards);
    let screen = demo.render(120, 35);
    assert!(screen.contains("Dashboards 3/3"));
    assert!(screen.contains("ecommerce-ai-platform-data-pipeline"));
    insta::assert_snapshot!(screen);
}

#[test]
fn dashboard_list_filtered_80x24() {
    let mut demo = on_the_list();
    demo.app.update(Action::StartFilter);
    for c in "ml".chars() {
        demo.app.update(Action::Input(c));
    }
    let screen = demo.render(80, 24);
    assert!(screen.contains("Dashboards 1/3"));
    assert!(!screen.contains("data-pipeline"));
    insta::assert_snapshot!(screen);
}

#[test]
fn open_dashboard_120x35() {
    let mut demo = open(API);
    let screen = demo.render(120, 35);
    for title in [
        "API requests and errors",
        "API latency (ms)",
        "API error rate (%)",
        "Lambda invocations and errors",
        "API alarms",
    ] {
        assert!(screen.contains(title), "{title} missing:\n{screen}");
    }
    assert!(screen.contains("range body (3h)"));
    assert!(screen.contains("updated 0s ago"));
    insta::assert_snapshot!(screen);
}

#[test]
fn open_dashboard_stacks_at_80x24_and_follows_the_focus() {
    let mut demo = open(API);
    let screen = demo.render(80, 24);
    assert!(screen.contains("API requests and errors"));
    insta::assert_snapshot!("open_dashboard_80x24", screen);
    for _ in 0..8 {
        demo.app.update(Action::Down);
    }
    let screen = demo.render(80, 24);
    assert!(screen.contains("Recent Lambda errors"), "{screen}");
    assert!(
        screen.contains("@message"),
        "the query's columns:\n{screen}"
    );
    assert!(
        screen.contains("ERROR"),
        "the demo's error lines:\n{screen}"
    );
    insta::assert_snapshot!("open_dashboard_last_widget_80x24", screen);
}

#[test]
fn zoomed_widget_120x35_and_80x24() {
    let mut demo = open("ecommerce-ai-platform-data-pipeline");
    demo.app.update(Action::Down);
    demo.app.update(Action::Open);
    let wide = demo.render(120, 35);
    assert!(wide.contains("zoomed"));
    assert!(wide.contains("DMS CDC latency (s)"));
    assert!(!wide.contains("Glue crawler tasks"));
    insta::assert_snapshot!("zoomed_widget_120x35", wide);
    insta::assert_snapshot!("zoomed_widget_80x24", demo.render(80, 24));
    demo.app.update(Action::Back);
    assert!(demo.render(120, 35).contains("Glue crawler tasks"));
}

#[test]
fn a_failed_refresh_keeps_the_data_and_says_stale() {
    let mut demo = open(API);
    let frame = demo
        .app
        .tabs
        .dashboards
        .open()
        .unwrap()
        .frame
        .clone()
        .unwrap();
    let failed = DashboardFrame {
        error: Some("GetMetricData: throttled".into()),
        ..(*frame).clone()
    };
    demo.app.apply(DataEvent::Degraded {
        what: monitui::data::dashboard_job::DASHBOARD,
        error: failed.error.clone(),
    });
    demo.app
        .apply(DataEvent::tab(DashboardEvent::Frame(Arc::new(failed))));
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("stale for 0s: GetMetricData: throttled"),
        "{screen}"
    );
    assert!(screen.contains("dashboard may be stale"), "{screen}");
    assert!(screen.contains("API requests and errors"), "the data stays");
}

#[test]
fn range_and_interval_keys_reach_the_job() {
    let mut demo = open(API);
    let effects = demo.app.update(Action::RangeLonger);
    assert!(matches!(
        &effects[..],
        [e] if matches!(tab_request(e), Some(DashboardCommand::View(v)) if v.range != RangeChoice::Body)
    ));
    demo.app.update(Action::CycleAutoRefresh);
    let screen = demo.render(120, 35);
    assert!(screen.contains("range 12h · auto 10s"), "{screen}");
    demo.app.update(Action::StartCommand);
    for c in "range 1d".chars() {
        demo.app.update(Action::Input(c));
    }
    let effects = demo.app.update(Action::Submit);
    assert!(matches!(
        &effects[..],
        [e] if matches!(tab_request(e), Some(DashboardCommand::View(v))
            if v.range == RangeChoice::Last(std::time::Duration::from_secs(86_400)))
    ));
    let effects = demo.app.update(Action::GoTab(2));
    assert!(
        effects.contains(&Effect::Data(DataCommand::tab(DashboardCommand::Visible(
            false
        ))))
    );
}

#[test]
fn every_key_the_open_dashboards_help_lists_does_what_it_says() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use monitui::app::component::Key;
    let demo = open(API);
    let mut listed = 0;
    for help in demo.app.help_keys() {
        for (key, action) in help.map {
            let event = match key {
                Key::Plain(code) => KeyEvent::new(*code, KeyModifiers::NONE),
                Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL),
            };
            assert_eq!(
                demo.app.action_for(event),
                Some(*action),
                "{key:?} is listed as '{}'",
                help.what
            );
            listed += 1;
        }
    }
    assert!(listed > 20);
    let hints: Vec<&str> = demo.app.footer_keys().iter().map(|h| h.hint).collect();
    assert_eq!(hints[..4], ["widget", "zoom", "range", "interval"]);
}

#[test]
fn esc_unzooms_then_goes_back_to_the_list_as_the_help_says() {
    let mut demo = open(API);
    assert_eq!(
        tui_common::esc_says(&demo.app),
        Some("unzoom, else back to the dashboard list")
    );
    demo.app.update(Action::Open);
    assert!(demo.app.tabs.dashboards.open().unwrap().zoomed);
    demo.press(&[crossterm::event::KeyCode::Esc]);
    let open = demo.app.tabs.dashboards.open().expect("still open");
    assert!(!open.zoomed, "first Esc unzooms");
    demo.press(&[crossterm::event::KeyCode::Esc]);
    assert!(demo.app.tabs.dashboards.open().is_none(), "then the list");
    assert_eq!(demo.app.tab, Tab::Dashboards);
    assert_eq!(tui_common::esc_says(&demo.app), Some("clear the filter"));
    assert_eq!(demo.app.tabs.dashboards.filter_text(), "api-performance");
    demo.press(&[crossterm::event::KeyCode::Esc]);
    assert_eq!(demo.app.tabs.dashboards.filter_text(), "");
}
