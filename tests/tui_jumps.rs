//! Issue 24, items 3 and 7 to 10, on the demo account at a pinned clock,
//! driven by keys as a person would: from the incident timeline to the
//! Logs tail at a failure's moment, from a CloudTrail change to the alarm
//! watching it, its logs and its other events, from a composite alarm to
//! the alarms of its rule, `a`/`s` in the timeline, `:logs GROUP`; the
//! timeline's failures error first and counted once, its cursor on the
//! ALARM transition and its `/` filter; CloudTrail naming what changed;
//! `q` asking first while changes run, `:range` in the detail, the help
//! scrolling, silenced alarms counted apart, the REASON of a composite.

mod tui_common;

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use monitui::app::incident::EntryKind;
use monitui::app::tabs::Tab;
use monitui::app::tabs::logs::LogsView;
use monitui::app::{Action, Effect, Overlay};
use monitui::data::logs_job::{LogsCommand, LogsEvent};
use monitui::data::{Annotation, DataCommand, DataEvent};
use monitui::model::AlarmKind;
use monitui::provider::prelude::*;
use tui_common::{Demo, demo};

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";
const ANALYTICS: &str = "/aws/lambda/ecommerce-ai-platform-analytics-service";

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Types `text` and Enter on the open input line (`:` or `/`).
fn line(demo: &mut Demo, opener: char, text: &str) -> Vec<Effect> {
    demo.app.handle_key(key(opener));
    for c in text.chars() {
        demo.app.handle_key(key(c));
    }
    demo.app.handle_key(code(KeyCode::Enter))
}

/// The Lambda alarm's timeline, open with every piece in.
fn timeline_open() -> Demo {
    let mut demo = demo();
    demo.open_incident(LAMBDA);
    demo
}

/// Moves the timeline's cursor to the first entry `pick` accepts.
fn select_entry(demo: &mut Demo, pick: impl Fn(&monitui::app::incident::Entry) -> bool) {
    let view = demo.app.overlays.incident().unwrap();
    let target = view.entries.iter().position(pick).expect("such an entry");
    demo.app.update(Action::Top);
    for _ in 0..target {
        demo.app.update(Action::Down);
    }
    assert_eq!(demo.app.overlays.incident().unwrap().selected(), target);
}

fn load_around(effects: &[Effect]) -> Option<(Vec<String>, jiff::Timestamp)> {
    effects
        .iter()
        .find_map(|e| match tui_common::tab_request(e)? {
            LogsCommand::LoadAround { groups, at, .. } => Some((groups, at)),
            _ => None,
        })
}

fn started_tail(effects: &[Effect]) -> Option<Vec<String>> {
    effects
        .iter()
        .find_map(|e| match tui_common::tab_request(e)? {
            LogsCommand::StartTail { groups, .. } => Some(groups),
            _ => None,
        })
}

#[test]
fn enter_on_a_failure_opens_the_tail_of_its_group_at_that_moment() {
    let mut demo = timeline_open();
    select_entry(&mut demo, |e| e.kind == EntryKind::Log);
    let entry = {
        let view = demo.app.overlays.incident().unwrap();
        view.entries[view.selected()].clone()
    };
    let effects = demo.app.handle_key(code(KeyCode::Enter));
    assert!(
        demo.app.overlays.incident().is_none(),
        "the timeline gave way"
    );
    assert_eq!(demo.app.tab, Tab::Logs);
    assert_eq!(demo.app.tabs.logs.view, LogsView::Tail);
    let group = started_tail(&effects).expect("a tail starts");
    assert_eq!(group.len(), 1);
    assert_eq!(
        load_around(&effects),
        Some((group, entry.at)),
        "the lines around the failure are read: {effects:?}"
    );
    let screen = demo.render(120, 35);
    assert!(screen.contains("Tail "), "{screen}");
}

#[test]
fn a_deploy_in_the_timeline_names_its_function_and_leads_to_its_alarm_logs_and_events() {
    let mut demo = timeline_open();
    select_entry(&mut demo, |e| {
        e.kind == EntryKind::Trail && e.summary.contains("UpdateFunctionCode")
    });
    let at = {
        let view = demo.app.overlays.incident().unwrap();
        let entry = &view.entries[view.selected()];
        assert!(
            entry
                .summary
                .contains("UpdateFunctionCode function analytics-service"),
            "{}",
            entry.summary
        );
        entry.at
    };
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("function analytics-service"),
        "the timeline names what changed:\n{screen}"
    );

    let effects = demo.app.handle_key(key('L'));
    assert_eq!(
        load_around(&effects),
        Some((vec![ANALYTICS.to_string()], at)),
        "{effects:?}"
    );

    let mut demo = timeline_open();
    select_entry(&mut demo, |e| e.summary.contains("UpdateFunctionCode"));
    demo.app.handle_key(key('A'));
    assert_eq!(demo.app.tab, Tab::Alarms);
    assert_eq!(
        demo.app.overlays.detail().map(|d| d.alarm.as_str()),
        Some(LAMBDA),
        "the one alarm whose related logs hold the function's group"
    );

    let mut demo = timeline_open();
    select_entry(&mut demo, |e| e.summary.contains("UpdateFunctionCode"));
    let effects = demo.app.handle_key(key('E'));
    assert_eq!(demo.app.tab, Tab::CloudTrail);
    let searched = demo.run_trail_searches(effects);
    assert_eq!(searched, 1);
    let tab = &demo.app.tabs.cloudtrail;
    assert!(tab.total() > 0);
    assert!(
        tab.visible()
            .all(|r| r.resource.contains("analytics-service") || r.event == "AssumeRole"),
        "the function's events: {:?}",
        tab.visible().map(|r| r.event.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn a_and_s_in_the_timeline_act_on_its_alarm() {
    let mut demo = timeline_open();
    demo.app.handle_key(key('a'));
    assert!(
        matches!(demo.app.overlays.top(), Some(Overlay::Ack(prompt)) if prompt.alarm == LAMBDA),
        "{:?}",
        demo.app.overlays.top()
    );
    demo.app.handle_key(code(KeyCode::Esc));
    demo.app.handle_key(key('s'));
    assert!(
        matches!(demo.app.overlays.top(), Some(Overlay::Silence(_))),
        "{:?}",
        demo.app.overlays.top()
    );
    assert!(
        demo.app.overlays.incident().is_some(),
        "still in the timeline"
    );
}

#[test]
fn the_timeline_shows_failures_error_first_from_the_alarm_transition_and_filters() {
    let mut demo = timeline_open();
    let view = demo.app.overlays.incident().unwrap();
    let selected = &view.entries[view.selected()];
    assert_eq!(
        (selected.kind, selected.alert),
        (EntryKind::State, true),
        "the cursor starts on the transition into ALARM"
    );
    let Some(Ok(logs)) = &view.timeline.logs else {
        panic!("logs arrived")
    };
    let failures = view
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Log)
        .count();
    assert!(failures > 0);
    assert!(
        failures < logs.events.len(),
        "an invocation's ERROR and REPORT lines are one failure: {failures} of {} lines",
        logs.events.len()
    );
    for entry in view.entries.iter().filter(|e| e.kind == EntryKind::Log) {
        assert!(
            !entry.summary.contains("[ERROR]") && !entry.summary.contains("RequestId"),
            "the error comes first: {}",
            entry.summary
        );
    }
    let screen = demo.render(120, 35);
    assert!(screen.contains("ConnectionError"), "{screen}");

    line(&mut demo, '/', "deploy-bot");
    let view = demo.app.overlays.incident().unwrap();
    assert!(!view.entries.is_empty());
    assert!(
        view.entries
            .iter()
            .all(|e| e.summary.contains("deploy-bot")),
        "{:?}",
        view.entries
    );
    let screen = demo.render(120, 35);
    assert!(screen.contains("filter: deploy-bot"), "{screen}");
    demo.app.handle_key(code(KeyCode::Esc));
    let view = demo.app.overlays.incident().unwrap();
    assert!(view.entries.len() > failures, "Esc cleared the filter");
}

#[test]
fn the_incident_header_names_its_window_at_80x24() {
    let mut demo = timeline_open();
    let screen = demo.render(80, 24);
    let title = screen.lines().nth(2).unwrap();
    assert!(title.contains("Incident · lambda-errors"), "{title}");
    assert!(
        title.contains("UTC (") && title.contains("m"),
        "the window and its length: {title}"
    );
}

#[test]
fn a_composite_alarm_leads_to_the_alarms_of_its_rule() {
    let mut demo = demo();
    let composite = demo
        .app
        .alarms
        .all()
        .iter()
        .find(|a| matches!(a.kind, AlarmKind::Composite { .. }))
        .expect("the demo has a composite alarm")
        .clone();
    let AlarmKind::Composite { rule } = &composite.kind else {
        unreachable!()
    };
    demo.select(&composite.name);
    demo.app.handle_key(code(KeyCode::Enter));
    assert!(demo.app.overlays.detail().is_some());
    demo.app.handle_key(key('A'));
    assert!(demo.app.overlays.detail().is_none(), "{:?}", demo.app.flash);
    let shown: Vec<String> = demo
        .app
        .tabs
        .alarms
        .visible()
        .map(|a| a.name.clone())
        .collect();
    assert!(shown.len() >= 2, "{shown:?}");
    assert!(!shown.contains(&composite.name));
    for name in &shown {
        assert!(rule.contains(name.as_str()), "{name} is in the rule {rule}");
    }
    let screen = demo.render(120, 35);
    assert!(screen.contains("in the rule"), "{screen}");
    for line in screen.lines().filter(|l| l.contains("platform-degraded")) {
        assert!(
            !line.contains("arn:"),
            "no ARN in the REASON column: {line}"
        );
    }
}

#[test]
fn the_reason_of_a_composite_in_alarm_names_its_alarms() {
    let mut demo = demo();
    let screen = demo.render(160, 35);
    let row = screen
        .lines()
        .find(|l| l.contains("platform-degraded"))
        .expect("the composite's row");
    assert!(!row.contains("arn:"), "{row}");
    assert!(
        row.contains(" in ALARM") || row.contains("No alarm"),
        "{row}"
    );
}

#[test]
fn colon_logs_opens_a_group_by_its_full_or_short_name() {
    let mut demo = demo();
    let effects = line(&mut demo, ':', &format!("logs {ANALYTICS}"));
    assert_eq!(started_tail(&effects), Some(vec![ANALYTICS.to_string()]));
    assert_eq!(demo.app.tab, Tab::Logs);
    assert_eq!(demo.app.tabs.logs.view, LogsView::Tail);

    let mut demo = self::demo();
    line(&mut demo, ':', "logs analytics-service");
    assert!(
        demo.app
            .flash
            .as_ref()
            .is_some_and(|f| f.is_error && f.text.contains("not listed yet")),
        "{:?}",
        demo.app.flash
    );
    let groups = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(demo.sim.list_log_groups())
        .unwrap();
    demo.app
        .apply(DataEvent::tab(LogsEvent::Groups(Ok(Arc::new(groups)))));
    let effects = line(&mut demo, ':', "logs analytics-service");
    assert_eq!(started_tail(&effects), Some(vec![ANALYTICS.to_string()]));
    let effects = line(&mut demo, ':', "logs analytcs-service");
    assert_eq!(started_tail(&effects), None);
    assert!(
        demo.app
            .flash
            .as_ref()
            .is_some_and(|f| f.text.contains("did you mean")),
        "{:?}",
        demo.app.flash
    );
}

#[test]
fn trail_rows_name_what_changed_filter_on_it_and_date_another_day() {
    let mut demo = demo();
    demo.press(&[KeyCode::Char('5'), KeyCode::Enter]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("RESOURCE"), "{screen}");
    assert!(
        screen.contains("function analytics-service") || screen.contains("role analytics-role"),
        "{screen}"
    );
    let total = demo.app.tabs.cloudtrail.total();
    line(&mut demo, '/', "function analytics");
    let tab = &demo.app.tabs.cloudtrail;
    assert!(tab.visible_len() > 0 && tab.visible_len() < total);
    assert!(tab.visible().all(|r| r.event == "UpdateFunctionCode"));
    demo.app.handle_key(code(KeyCode::Esc));
    demo.app.update(Action::Bottom);
    let screen = demo.render(80, 24);
    assert!(
        screen.contains("01-15 "),
        "the last day reaches yesterday, and its rows say so:\n{screen}"
    );
    let tab = &demo.app.tabs.cloudtrail;
    let newest = tab.visible().next().unwrap();
    assert_eq!(newest.clock.len(), 8);
}

#[test]
fn a_trail_event_opened_in_the_tab_jumps_like_the_timeline() {
    let mut demo = demo();
    demo.press(&[KeyCode::Char('5'), KeyCode::Enter]);
    line(&mut demo, '/', "UpdateFunctionCode");
    demo.press(&[KeyCode::Enter]);
    let screen = demo.render(120, 35);
    assert!(screen.contains("A alarms"), "{screen}");
    let effects = demo.app.handle_key(key('L'));
    assert_eq!(
        load_around(&effects).map(|(g, _)| g),
        Some(vec![ANALYTICS.to_string()])
    );
}

#[test]
fn q_at_the_top_asks_first_while_a_change_runs() {
    let mut demo = timeline_open();
    demo.app.handle_key(key('a'));
    let effects = demo.app.handle_key(code(KeyCode::Enter));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Data(DataCommand::Mutate(_)))),
        "{effects:?}"
    );
    demo.app.handle_key(key('q'));
    assert!(demo.app.overlays.incident().is_none());
    let effects = demo.app.handle_key(key('q'));
    assert!(!effects.contains(&Effect::Quit), "asked first");
    let flash = demo.app.flash.clone().unwrap();
    assert!(flash.text.contains("still running"), "{flash:?}");
    assert!(demo.app.handle_key(key('q')).contains(&Effect::Quit));

    let mut demo = timeline_open();
    demo.app.handle_key(key('a'));
    demo.app.handle_key(code(KeyCode::Enter));
    demo.app.apply(DataEvent::MutationDone {
        mutation: monitui::data::Mutation::Ack {
            alarm: LAMBDA.into(),
            note: String::new(),
        },
        result: Ok("acked".into()),
    });
    demo.app.handle_key(key('q'));
    assert!(
        demo.app.handle_key(key('q')).contains(&Effect::Quit),
        "nothing runs: q quits at once"
    );
}

#[test]
fn colon_range_sets_the_detail_chart_range() {
    let mut demo = demo();
    demo.app.handle_key(code(KeyCode::Enter));
    let effects = line(&mut demo, ':', "range 6h");
    assert!(
        effects.contains(&Effect::Data(DataCommand::LoadDetail {
            alarm: demo.app.overlays.detail().unwrap().alarm.clone(),
            range: Duration::from_secs(6 * 3600),
        })),
        "{effects:?}"
    );
    let screen = demo.render(120, 35);
    assert!(screen.contains("range 6h"), "{screen}");
}

#[test]
fn the_help_scrolls_when_it_does_not_fit() {
    let mut demo = timeline_open();
    demo.app.handle_key(key('?'));
    let before = demo.render(80, 24);
    assert!(before.contains("scroll"), "{before}");
    demo.app.handle_key(key('j'));
    demo.app.handle_key(code(KeyCode::PageDown));
    assert!(
        matches!(demo.app.overlays.top(), Some(Overlay::Help { .. })),
        "j and PgDn scroll"
    );
    assert!(matches!(demo.app.overlays.top(), Some(Overlay::Help { scroll }) if *scroll > 0));
    let after = demo.render(80, 24);
    assert_ne!(before, after, "the help moved");
    demo.app.handle_key(key('x'));
    assert!(!demo.app.prompting());
}

#[test]
fn the_header_counts_silenced_alarms_apart_from_those_that_page() {
    let mut demo = demo();
    let before = demo.render(120, 35);
    let header = before.lines().next().unwrap().to_string();
    let firing = demo
        .app
        .alarms
        .all()
        .iter()
        .filter(|a| a.state == monitui::model::AlarmState::Alarm)
        .count();
    assert!(header.contains(&format!("▲ {firing} ALARM")), "{header}");
    let mut annotations = (*demo.app.annotations).clone();
    annotations.insert(
        LAMBDA.to_string(),
        Annotation {
            ack: None,
            silence: Some(monitui::model::ack::SilenceRecord::Unrecognised {
                until: None,
                by: "ops".into(),
            }),
        },
    );
    demo.app
        .apply(DataEvent::Annotations(Arc::new(annotations)));
    let after = demo.render(120, 35);
    let header = after.lines().next().unwrap();
    assert!(
        header.contains(&format!("▲ {} ALARM +1⊘", firing - 1)),
        "{header}"
    );
}
