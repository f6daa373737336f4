//! The Metrics tab (6) on the demo account at the pinned clock, driven by
//! keys through the app as the TUI does, its requests answered by the demo
//! account as the data layer would: browse namespace → metric →
//! dimensions with a filter, chart, cycle the statistic and period, pin
//! and copy. Snapshots at 120x35 and 80x24.

mod tui_common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::SignedDuration;
use monitui::app::tabs::metrics::Level;
use monitui::app::{Effect, Tab};
use monitui::data::DataCommand;
use monitui::data::DataEvent;
use monitui::data::metrics_job::{ExplorerCommand, ExplorerEvent, TAB_LIST_LIMIT, chart_series};
use monitui::model::TimeRange;
use monitui::model::metric_browse::MetricFilter;
use monitui::provider::prelude::*;
use tui_common::Demo;

use KeyCode::{Char, Enter, Esc};

/// Answers the tab's requests from the demo account, as the data layer
/// would; returns what else the keys asked for.
fn answer(demo: &mut Demo, effects: Vec<Effect>) -> Vec<Effect> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut rest = Vec::new();
    for effect in effects {
        let event = match tui_common::tab_request(&effect) {
            Some(ExplorerCommand::List { id }) => {
                let list = rt
                    .block_on(
                        demo.sim
                            .list_metrics(&MetricFilter::default(), TAB_LIST_LIMIT),
                    )
                    .unwrap();
                ExplorerEvent::Listed {
                    id,
                    result: Ok(Arc::new(list)),
                }
            }
            Some(ExplorerCommand::Chart { id, charted, span }) => {
                let range = TimeRange {
                    start: demo.now - SignedDuration::try_from(span).unwrap(),
                    end: demo.now,
                };
                let series = rt
                    .block_on(chart_series(&demo.sim, &charted, range))
                    .unwrap();
                ExplorerEvent::Charted {
                    id,
                    range,
                    result: Ok(Arc::new(series)),
                }
            }
            _ => {
                rest.push(effect);
                continue;
            }
        };
        demo.app.apply(DataEvent::tab(event));
    }
    rest
}

/// Presses `keys` one by one, answering what they ask of the data layer.
fn press(demo: &mut Demo, keys: &[KeyCode]) -> Vec<Effect> {
    let mut rest = Vec::new();
    for key in keys {
        let effects = demo.app.handle_key(KeyEvent::new(*key, KeyModifiers::NONE));
        rest.extend(answer(demo, effects));
    }
    rest
}

fn typed(text: &str) -> Vec<KeyCode> {
    text.chars().map(Char).collect()
}

/// The demo app on tab 6, the listing answered.
fn on_metrics_tab() -> Demo {
    let mut demo = tui_common::demo();
    press(&mut demo, &[Char('6')]);
    assert_eq!(demo.app.tab, Tab::Metrics);
    demo
}

/// Tab 6 charting the auth service's Lambda invocations: `/` filter on
/// each level, Enter down to the dimensions.
fn charting_auth_invocations() -> Demo {
    let mut demo = on_metrics_tab();
    let mut keys = vec![Char('/')];
    keys.extend(typed("lambda"));
    keys.extend([Enter, Enter, Char('/')]);
    keys.extend(typed("invoc"));
    keys.extend([Enter, Enter, Char('/')]);
    keys.extend(typed("auth-service"));
    keys.extend([Enter, Enter]);
    press(&mut demo, &keys);
    demo
}

#[test]
fn namespaces_120x35() {
    let mut demo = on_metrics_tab();
    let screen = demo.render(120, 35);
    for namespace in [
        "AWS/ApiGateway",
        "AWS/DMS",
        "AWS/Lambda",
        "Glue",
        "ecommerce-ai-platform",
    ] {
        assert!(screen.contains(namespace), "{namespace}\n{screen}");
    }
    assert!(screen.contains("6 Metrics"));
    insta::assert_snapshot!(screen);
}

#[test]
fn namespaces_80x24() {
    let mut demo = on_metrics_tab();
    let screen = demo.render(80, 24);
    assert!(screen.contains("AWS/Lambda"));
    insta::assert_snapshot!(screen);
}

#[test]
fn chart_120x35() {
    let mut demo = charting_auth_invocations();
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("AWS/Lambda Invocations FunctionName=ecommerce-ai-platform-auth-service"),
        "{screen}"
    );
    assert!(screen.contains("Average per 1m · 3h · latest"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn chart_80x24() {
    let mut demo = charting_auth_invocations();
    press(&mut demo, &[Char('s'), Char('p')]);
    let screen = demo.render(80, 24);
    assert!(screen.contains("Sum per 5m"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn keys_browse_filter_chart_pin_and_copy() {
    let mut demo = on_metrics_tab();
    press(&mut demo, &[Char('/')]);
    press(&mut demo, &typed("dms"));
    press(&mut demo, &[Enter]);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("AWS/DMS") && !screen.contains("AWS/Lambda"),
        "{screen}"
    );
    press(&mut demo, &[Enter]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("Metrics › AWS/DMS"), "{screen}");
    assert!(screen.contains("CDCLatencySource"), "{screen}");
    press(&mut demo, &[Enter]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("DIMENSIONS"), "{screen}");
    assert!(
        screen.contains("ReplicationInstanceIdentifier=ecommerce-ai-platform-dms"),
        "{screen}"
    );
    press(&mut demo, &[Enter]);
    let chart = demo
        .app
        .tabs
        .metrics
        .chart()
        .expect("Enter on dimensions charts them");
    let points = chart.data.as_ref().unwrap().1.points.len();
    assert!((170..=180).contains(&points), "3h of 1m points: {points}");

    press(&mut demo, &[Char('p'), Char(']')]);
    let chart = demo.app.tabs.metrics.chart().unwrap();
    assert_eq!(chart.charted.period_secs, 300);
    let (range, series) = chart.data.clone().unwrap();
    assert_eq!(range.end.duration_since(range.start).as_hours(), 12);
    assert!(
        (140..=144).contains(&series.points.len()),
        "{}",
        series.points.len()
    );

    let pinned = press(&mut demo, &[Char('P')]);
    let [Effect::Data(DataCommand::Pin(pin))] = &pinned[..] else {
        panic!("P pins: {pinned:?}");
    };
    assert_eq!((pin.stat.as_str(), pin.period_secs), ("Average", Some(300)));
    assert!(
        demo.render(120, 35)
            .contains("pinned to the Overview for this session")
    );

    let copied = press(&mut demo, &[Char('w')]);
    let [Effect::Clipboard(widget)] = &copied[..] else {
        panic!("w copies: {copied:?}");
    };
    let body = format!("{{\"widgets\":[{widget}]}}");
    let dashboard = monitui::model::dashboard::Dashboard::parse(&body).unwrap();
    assert!(dashboard.widgets[0].content.is_ok(), "{widget}");
    let copied = press(&mut demo, &[Char('A')]);
    let [Effect::Clipboard(alarm)] = &copied[..] else {
        panic!("A copies: {copied:?}");
    };
    let alarm: serde_json::Value = serde_json::from_str(alarm).unwrap();
    assert_eq!(alarm["Namespace"], "AWS/DMS");
    assert_eq!(alarm["Dimensions"].as_array().unwrap().len(), 2);
    let highest = series
        .points
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::MIN, f64::max);
    assert_eq!(alarm["Threshold"].as_f64(), Some(highest));

    press(&mut demo, &[Esc]);
    assert!(demo.app.tabs.metrics.chart().is_none());
    press(&mut demo, &[Char('q'), Char('q')]);
    assert!(
        demo.render(120, 35).contains("NAMESPACE"),
        "q goes back up a level"
    );
    let quit = press(&mut demo, &[Char('q')]);
    assert_eq!(quit, vec![Effect::Quit], "q at the top quits");
}

#[test]
fn names_from_aws_are_sanitised() {
    let mut demo = on_metrics_tab();
    let hostile = monitui::model::MetricRef::new(
        "Evil\u{1b}]52;c;aGk=\u{7}NS",
        "Bad\u{202e}Name",
        vec![monitui::model::Dimension::new("K", "v\u{1b}[2J")],
    );
    let list = monitui::model::metric_browse::MetricList::sorted(vec![hostile], false);
    press(&mut demo, &[Char('r')]);
    demo.app.apply(DataEvent::tab(ExplorerEvent::Listed {
        id: 2,
        result: Ok(Arc::new(list)),
    }));
    let screen = demo.render(120, 35);
    assert!(screen.contains("EvilNS"), "{screen}");
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
    press(&mut demo, &[Enter]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("BadName"), "{screen}");
    press(&mut demo, &[Enter]);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("K=v") && !screen.contains('\u{1b}'),
        "{screen}"
    );
}

#[test]
fn esc_leaves_the_chart_then_clears_then_goes_up_as_the_help_says() {
    let mut demo = charting_auth_invocations();
    assert!(demo.app.tabs.metrics.chart().is_some());
    assert_eq!(
        tui_common::esc_says(&demo.app),
        Some("back to the dimensions")
    );
    press(&mut demo, &[Esc]);
    assert!(demo.app.tabs.metrics.chart().is_none());
    assert!(matches!(
        demo.app.tabs.metrics.level(),
        Level::Dimensions { .. }
    ));
    assert_eq!(demo.app.tabs.metrics.filter_text(), "auth-service");
    assert_eq!(
        tui_common::esc_says(&demo.app),
        Some("clear the filter, else up a level")
    );
    press(&mut demo, &[Esc]);
    assert_eq!(demo.app.tabs.metrics.filter_text(), "");
    assert!(matches!(
        demo.app.tabs.metrics.level(),
        Level::Dimensions { .. }
    ));
    press(&mut demo, &[Esc]);
    assert!(matches!(demo.app.tabs.metrics.level(), Level::Names { .. }));
    assert_eq!(demo.app.tab, Tab::Metrics);
}

#[test]
fn w_and_a_copy_nothing_with_clipboard_false() {
    let mut demo = charting_auth_invocations();
    demo.app.env.clipboard = false;
    let copied = press(&mut demo, &[Char('w'), Char('A')]);
    assert!(!copied.iter().any(Effect::is_copy), "{copied:?}");
    assert!(
        demo.render(120, 35)
            .contains("copying is off (clipboard = false in the config)")
    );
    demo.app.env.clipboard = true;
    let copied = press(&mut demo, &[Char('w'), Char('A')]);
    assert_eq!(
        copied.iter().filter(|e| e.is_copy()).count(),
        2,
        "{copied:?}"
    );
}
