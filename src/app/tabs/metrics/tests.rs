//! The Metrics tab's keys against a listing like the demo account's.

use super::*;
use crate::model::Dimension;
use crate::model::metric_browse::MetricList;

fn ctx_alarms() -> Arc<crate::app::alarm_list::AlarmList> {
    Arc::default()
}

fn metric(ns: &str, name: &str, dims: &[(&str, &str)]) -> MetricRef {
    MetricRef::new(
        ns,
        name,
        dims.iter().map(|(k, v)| Dimension::new(*k, *v)).collect(),
    )
}

fn listing() -> Arc<MetricList> {
    Arc::new(MetricList::sorted(
        vec![
            metric("AWS/Lambda", "Errors", &[("FunctionName", "auth")]),
            metric("AWS/Lambda", "Errors", &[("FunctionName", "billing")]),
            metric("AWS/Lambda", "Errors", &[]),
            metric("AWS/Lambda", "Invocations", &[("FunctionName", "auth")]),
            metric("AWS/DMS", "CDCLatencySource", &[("Task", "cdc")]),
        ],
        false,
    ))
}

/// The command of `reply`, if it asks the metrics job for something.
fn asked(reply: Reply) -> Option<ExplorerCommand> {
    match reply {
        Reply::Effect(Effect::Data(DataCommand::Tab(command))) => command.take().ok(),
        _ => None,
    }
}

/// The tab on its first visit, answered with [`listing`].
fn listed() -> MetricsTab {
    let mut tab = MetricsTab::for_env(&ResolvedEnv::demo());
    let Some(Effect::Data(DataCommand::Tab(asked))) = tab.shown() else {
        panic!("the first visit lists the metrics");
    };
    let Ok(ExplorerCommand::List { id }) = asked.take() else {
        panic!("the first visit lists the metrics");
    };
    assert_eq!(tab.shown(), None, "only the first visit lists");
    let alarms = ctx_alarms();
    let ctx = Context {
        alarms: &alarms,
        page_rows: 10,
    };
    tab.apply(
        &DataEvent::tab(ExplorerEvent::Listed {
            id,
            result: Ok(listing()),
        }),
        &ctx,
    );
    tab
}

fn press(tab: &mut MetricsTab, action: Action) -> Reply {
    let alarms = ctx_alarms();
    let ctx = Context {
        alarms: &alarms,
        page_rows: 10,
    };
    tab.update(&action, &ctx)
}

fn labels(tab: &MetricsTab) -> Vec<String> {
    tab.visible().map(|r| r.label.clone()).collect()
}

#[test]
fn enter_goes_namespace_then_metric_then_dimensions_and_esc_comes_back() {
    let mut tab = listed();
    assert_eq!(labels(&tab), ["AWS/DMS", "AWS/Lambda"]);
    assert_eq!(tab.visible().nth(1).unwrap().count, 4);
    press(&mut tab, Action::Down);
    press(&mut tab, Action::Open);
    assert_eq!(labels(&tab), ["Errors", "Invocations"]);
    press(&mut tab, Action::Open);
    assert_eq!(
        labels(&tab),
        [
            "(no dimensions)",
            "FunctionName=auth",
            "FunctionName=billing"
        ]
    );
    tab.set_filter("bill");
    assert_eq!(labels(&tab), ["FunctionName=billing"]);
    assert_eq!(press(&mut tab, Action::Back), Reply::Done);
    assert_eq!(tab.filter_text(), "", "Esc clears the filter first");
    press(&mut tab, Action::Back);
    assert_eq!(labels(&tab), ["Errors", "Invocations"]);
    press(&mut tab, Action::Back);
    assert_eq!(
        tab.selected_index(),
        1,
        "back on the namespace it came from"
    );
    assert_eq!(press(&mut tab, Action::Back), Reply::Ignored);
}

#[test]
fn a_chart_cycles_stat_and_period_asking_again_and_ignores_old_answers() {
    let mut tab = listed();
    press(&mut tab, Action::Down);
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Down);
    let Some(ExplorerCommand::Chart {
        id: first,
        charted,
        span,
    }) = asked(press(&mut tab, Action::Open))
    else {
        panic!("Enter on dimensions charts them");
    };
    assert_eq!(charted.metric.dimensions[0].value, "auth");
    assert_eq!(
        (charted.stat.as_str(), charted.period_secs),
        ("Average", 60)
    );
    assert_eq!(span, SPANS[FIRST_SPAN]);
    let Some(ExplorerCommand::Chart {
        id: second,
        charted,
        ..
    }) = asked(press(&mut tab, Action::Metrics(MetricsKey::CycleStat)))
    else {
        panic!("s charts again");
    };
    assert_eq!(charted.stat, "Sum");
    let Some(ExplorerCommand::Chart { charted, .. }) =
        asked(press(&mut tab, Action::Metrics(MetricsKey::CyclePeriod)))
    else {
        panic!("p charts again");
    };
    assert_eq!(charted.period_secs, 300);
    assert_ne!(first, second);
    let alarms = ctx_alarms();
    let ctx = Context {
        alarms: &alarms,
        page_rows: 10,
    };
    let now: jiff::Timestamp = "2026-01-16T14:43:30Z".parse().unwrap();
    let old = DataEvent::tab(ExplorerEvent::Charted {
        id: first,
        range: TimeRange {
            start: now,
            end: now,
        },
        result: Err("late".into()),
    });
    tab.apply(&old, &ctx);
    assert!(tab.chart().unwrap().loading(), "an old answer is ignored");
    assert_eq!(press(&mut tab, Action::Back), Reply::Done);
    assert!(tab.chart().is_none());
}

#[test]
fn pin_and_copy_carry_the_chosen_stat_and_period() {
    let mut tab = listed();
    press(&mut tab, Action::Down);
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Down);
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Metrics(MetricsKey::CyclePeriod));
    let Reply::Effect(Effect::Data(DataCommand::Pin(pinned))) =
        press(&mut tab, Action::Metrics(MetricsKey::Pin))
    else {
        panic!("P pins");
    };
    assert_eq!(pinned.period_secs, Some(300));
    assert!(tab.chart().unwrap().notice.is_some());
    let Reply::Effect(Effect::Clipboard(widget)) =
        press(&mut tab, Action::Metrics(MetricsKey::CopyWidget))
    else {
        panic!("w copies");
    };
    let widget: serde_json::Value = serde_json::from_str(&widget).unwrap();
    assert_eq!(widget["properties"]["period"], 300);
    assert_eq!(widget["properties"]["region"], "us-east-1");
    let Reply::Effect(Effect::Clipboard(alarm)) =
        press(&mut tab, Action::Metrics(MetricsKey::CopyAlarm))
    else {
        panic!("A copies");
    };
    let alarm: serde_json::Value = serde_json::from_str(&alarm).unwrap();
    assert_eq!(alarm["MetricName"], "Errors");
    assert_eq!(alarm["Period"], 300);
}

#[test]
fn every_listed_key_reaches_its_action() {
    let mut tab = listed();
    for keymap in [LIST_KEYMAP, CHART_KEYMAP] {
        for help in keymap {
            for (key, action) in help.map {
                let Key::Plain(code) = key else { continue };
                let event =
                    crossterm::event::KeyEvent::new(*code, crossterm::event::KeyModifiers::NONE);
                assert_eq!(
                    crate::app::component::lookup(&event, &[keymap]),
                    Some(*action),
                    "{}",
                    help.keys
                );
            }
        }
    }
    assert_eq!(tab.keymap().len(), LIST_KEYMAP.len());
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Open);
    press(&mut tab, Action::Open);
    assert!(tab.chart().is_some());
    assert_eq!(tab.keymap().len(), CHART_KEYMAP.len());
}
