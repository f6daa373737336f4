//! Selection follows the thing, not the row: on the demo account, every
//! list keeps its selected item (by its identity) when the rows change
//! under the cursor (a refresh that re-sorts, a new sort, a filter typed),
//! and Enter then opens that item, not whatever moved into its row.

mod tui_common;

use std::sync::Arc;

use crossterm::event::KeyCode;
use monitui::app::{Action, Effect};
use monitui::data::{DataCommand, DataEvent};
use monitui::model::{Alarm, AlarmState};
use tui_common::{Demo, demo};

/// The alarm names in the Alarms tab's order.
fn alarm_rows(demo: &Demo) -> Vec<String> {
    demo.app
        .tabs
        .alarms
        .visible()
        .map(|a| a.name.clone())
        .collect()
}

/// A refresh of the alarm list where `name` went back to OK (an alarm in
/// ALARM sorts first: this one now sorts among the OK ones).
fn refresh_with_ok(demo: &mut Demo, name: &str) {
    let mut alarms: Vec<Alarm> = demo.app.alarms.all().to_vec();
    let alarm = alarms.iter_mut().find(|a| a.name == name).unwrap();
    alarm.state = AlarmState::Ok;
    alarm.transitioned_at = demo.now;
    demo.app.apply(DataEvent::Alarms {
        alarms: Arc::new(alarms),
        fetched_at: demo.now,
    });
}

/// What Enter opens now: the alarm of the detail view it asks for.
fn enter_opens(demo: &mut Demo) -> String {
    let effects = demo.app.update(Action::Open);
    match effects.first() {
        Some(Effect::Data(DataCommand::LoadDetail { alarm, .. })) => alarm.clone(),
        other => panic!("Enter opens an alarm's detail: {other:?}"),
    }
}

#[test]
fn a_refresh_that_resorts_the_alarms_keeps_the_alarm_and_enter_opens_it() {
    let mut demo = demo();
    demo.app.update(Action::GoTab(2));
    let before = alarm_rows(&demo);
    let first = before[0].clone();
    assert_eq!(
        demo.app.alarms.find(&first).unwrap().state,
        AlarmState::Alarm
    );
    demo.app.update(Action::Top);
    refresh_with_ok(&mut demo, &first);
    let after = alarm_rows(&demo);
    assert_ne!(after[0], first, "the alarm moved down the list");
    assert_eq!(
        demo.app.tabs.alarms.selected().unwrap().name,
        first,
        "the cursor went with it"
    );
    assert_eq!(enter_opens(&mut demo), first);
}

#[test]
fn typing_a_filter_keeps_the_selected_alarm_while_it_passes() {
    let mut demo = demo();
    demo.app.update(Action::GoTab(2));
    let filter = [KeyCode::Char('/'), KeyCode::Char('e'), KeyCode::Char('r')];
    demo.press(&filter);
    let passing = alarm_rows(&demo);
    demo.press(&[KeyCode::Esc, KeyCode::Esc]);
    let target = passing[1].clone();
    demo.select(&target);
    demo.press(&filter);
    demo.press(&[KeyCode::Enter]);
    assert_eq!(
        alarm_rows(&demo)[1],
        target,
        "not the first row that passes"
    );
    assert_eq!(demo.app.tabs.alarms.selected().unwrap().name, target);
    assert_eq!(enter_opens(&mut demo), target);
}

#[test]
fn a_new_sort_keeps_the_alarm() {
    let mut demo = demo();
    demo.app.update(Action::GoTab(2));
    let rows = alarm_rows(&demo);
    let target = rows[1].clone();
    demo.select(&target);
    for _ in 0..3 {
        demo.app.update(Action::CycleSort);
        assert_eq!(demo.app.tabs.alarms.selected().unwrap().name, target);
    }
}

#[test]
fn the_overview_keeps_its_alarm_when_the_series_come_back_in_another_order() {
    let mut demo = demo();
    demo.app.update(Action::GoTab(1));
    let event = demo.overview_event();
    demo.app.apply(event);
    let overview = &demo.app.tabs.overview;
    assert!(overview.rows().len() > 2);
    demo.app.update(Action::Down);
    let target = demo.app.target_alarm().unwrap().name.clone();
    let DataEvent::Overview(series) = demo.overview_event() else {
        unreachable!()
    };
    let mut series = (*series).clone();
    series.reverse();
    demo.app.apply(DataEvent::Overview(Arc::new(series)));
    assert_eq!(demo.app.target_alarm().unwrap().name, target);
    assert_eq!(enter_opens(&mut demo), target);
}

#[test]
fn cloudtrail_results_keep_the_event_across_sorts_and_filters() {
    let mut demo = demo();
    demo.press(&[KeyCode::Char('5'), KeyCode::Enter]);
    let tab = &demo.app.tabs.cloudtrail;
    assert!(tab.visible_len() > 3, "the demo search finds events");
    demo.press(&[KeyCode::Char('j'), KeyCode::Char('j')]);
    let id = |demo: &Demo| {
        demo.app
            .tabs
            .cloudtrail
            .selected()
            .and_then(|r| r.event_id.clone())
    };
    let target = id(&demo).expect("demo events have ids");
    for _ in 0..4 {
        demo.press(&[KeyCode::Char('o')]);
        assert_eq!(id(&demo).as_deref(), Some(target.as_str()), "after a sort");
    }
    let event_name = demo
        .app
        .tabs
        .cloudtrail
        .selected()
        .unwrap()
        .event_name
        .clone();
    demo.press(&[KeyCode::Char('/')]);
    for c in event_name.chars() {
        demo.press(&[KeyCode::Char(c)]);
    }
    demo.press(&[KeyCode::Enter]);
    assert_eq!(
        id(&demo).as_deref(),
        Some(target.as_str()),
        "after a filter"
    );
}
