//! `Esc` does what the help says, screen by screen (issue 24 item 9). For
//! each screen the test reads the Esc line the `?` help (or the open
//! line's or dialog's footer) shows, checks it says what the screen's Esc
//! is meant to do, presses Esc and checks that is what happened. A screen
//! whose help has no Esc line must ignore Esc. Open dashboards and the
//! Metrics tab are checked beside their own tests (tui_dashboards.rs,
//! tui_metrics.rs).

mod tui_common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use monitui::app::insights_view::Focus as InsightsFocus;
use monitui::app::tabs::Tab;
use monitui::app::tabs::cloudtrail::Focus as TrailFocus;
use monitui::app::tabs::logs::LogsView;
use monitui::app::{Effect, Overlay};
use monitui::data::DataCommand;
use monitui::data::logs_job::LogsCommand;
use tui_common::{Demo, demo, demo_with, esc_says};

use KeyCode::{Char, Enter, Esc};

/// Presses Esc and returns the effects.
fn esc(demo: &mut Demo) -> Vec<Effect> {
    demo.app.handle_key(KeyEvent::new(Esc, KeyModifiers::NONE))
}

fn typed(demo: &mut Demo, text: &str) {
    let keys: Vec<KeyCode> = text.chars().map(Char).collect();
    demo.press(&keys);
}

#[test]
fn the_overview_wall_lists_no_esc_and_ignores_it() {
    let mut demo = demo();
    demo.press(&[Char('1')]);
    assert_eq!(demo.app.tab, Tab::Overview);
    assert_eq!(esc_says(&demo.app), None);
    assert_eq!(esc(&mut demo), vec![]);
    assert_eq!(demo.app.tab, Tab::Overview);
    assert!(!demo.app.prompting());
}

#[test]
fn the_targets_view_goes_back_to_the_overview() {
    let mut demo = demo();
    let slos = demo.slos_event();
    demo.app.apply(slos);
    demo.press(&[Char('1'), Char('T')]);
    assert!(demo.app.tabs.overview.targets_view().is_some());
    assert_eq!(esc_says(&demo.app), Some("back to the Overview"));
    esc(&mut demo);
    assert_eq!(demo.app.tabs.overview.targets_view(), None);
    assert_eq!(demo.app.tab, Tab::Overview);
}

#[test]
fn the_alarm_list_clears_its_filter() {
    let mut demo = demo();
    demo.press(&[Char('2'), Char('/')]);
    typed(&mut demo, "lambda");
    demo.press(&[Enter]);
    assert_eq!(demo.app.tabs.alarms.filter_text(), "lambda");
    assert_eq!(esc_says(&demo.app), Some("clear the filter"));
    esc(&mut demo);
    assert_eq!(demo.app.tabs.alarms.filter_text(), "");
    assert_eq!(demo.app.tab, Tab::Alarms);
}

#[test]
fn the_filter_line_closes_and_clears_what_was_typed() {
    let mut demo = demo();
    demo.press(&[Char('2'), Char('/')]);
    typed(&mut demo, "lambda");
    assert_eq!(
        esc_says(&demo.app),
        Some("close the line; a filter or search typed there is cleared")
    );
    assert_eq!(esc(&mut demo), vec![]);
    assert!(!demo.app.prompting());
    assert_eq!(demo.app.tabs.alarms.filter_text(), "");
}

#[test]
fn the_command_line_cancels_without_running() {
    let mut demo = demo();
    demo.press(&[Char(':')]);
    typed(&mut demo, "q");
    assert_eq!(esc_says(&demo.app), Some("cancel: nothing is run"));
    assert_eq!(esc(&mut demo), vec![], "`:q` was not run");
    assert!(!demo.app.prompting());
}

#[test]
fn the_alarm_detail_goes_back_to_where_it_was_opened() {
    for (tab, key) in [(Tab::Alarms, '2'), (Tab::Overview, '1')] {
        let mut demo = demo();
        let overview = demo.overview_event();
        demo.app.apply(overview);
        demo.press(&[Char(key), Enter]);
        assert!(
            demo.app.overlays.detail().is_some(),
            "{tab:?}: Enter opened it"
        );
        assert_eq!(
            esc_says(&demo.app),
            Some("close this view (back to where it was opened)")
        );
        esc(&mut demo);
        assert!(demo.app.overlays.detail().is_none(), "{tab:?}");
        assert_eq!(demo.app.tab, tab);
    }
}

#[test]
fn the_timeline_steps_back_one_thing_at_a_time() {
    let mut demo = demo();
    demo.press(&[Char('2'), Enter, Char('i')]);
    let name = demo.app.overlays.incident().unwrap().alarm.clone();
    for event in demo.incident_events(&name) {
        demo.app.apply(event);
    }
    assert_eq!(
        esc_says(&demo.app),
        Some("close the entry shown in full, else clear the filter, else back")
    );
    demo.press(&[Char('/')]);
    typed(&mut demo, "error");
    demo.press(&[Enter, Char('v')]);
    let view = demo.app.overlays.incident().unwrap();
    assert!(view.opened.is_some(), "v opened an entry in full");
    assert_eq!(view.filter_text(), "error");

    esc(&mut demo);
    let view = demo.app.overlays.incident().unwrap();
    assert!(view.opened.is_none(), "first the entry");
    assert_eq!(view.filter_text(), "error");

    esc(&mut demo);
    let view = demo.app.overlays.incident().unwrap();
    assert_eq!(view.filter_text(), "", "then the filter");

    esc(&mut demo);
    assert!(demo.app.overlays.incident().is_none(), "then the timeline");
    assert!(
        demo.app.overlays.detail().is_some(),
        "back to the detail it was opened from"
    );
    esc(&mut demo);
    assert!(demo.app.overlays.detail().is_none());
    assert_eq!(demo.app.tab, Tab::Alarms);
}

#[test]
fn the_handoff_goes_back() {
    let mut demo = demo();
    demo.press(&[Char('2'), Char('H')]);
    assert!(demo.app.overlays.handoff().is_some());
    assert_eq!(
        esc_says(&demo.app),
        Some("close this view (back to where it was opened)")
    );
    esc(&mut demo);
    assert!(demo.app.overlays.handoff().is_none());
    assert_eq!(demo.app.tab, Tab::Alarms);
}

#[test]
fn dialogs_cancel_and_send_nothing() {
    let mut demo = demo_with(|env| env.confirm_mutations = true);
    demo.press(&[Char('2')]);
    assert_eq!(
        demo.app.alarms.get(0).state,
        monitui::model::AlarmState::Alarm,
        "the demo opens with an alarm in ALARM, listed first"
    );
    for (key, what) in [('a', "ack"), ('s', "silence"), ('t', "test")] {
        let effects = demo
            .app
            .handle_key(KeyEvent::new(Char(key), KeyModifiers::NONE));
        assert!(effects.is_empty(), "{what}: nothing sent yet: {effects:?}");
        assert!(
            matches!(
                demo.app.overlays.top(),
                Some(Overlay::Ack(_) | Overlay::Silence(_) | Overlay::Confirm(_))
            ),
            "{what} opened a dialog: {:?}",
            demo.app.overlays.top()
        );
        assert_eq!(
            esc_says(&demo.app),
            Some("cancel: nothing is sent"),
            "{what}"
        );
        assert_eq!(esc(&mut demo), vec![], "{what}");
        assert!(!demo.app.prompting(), "{what}");
        assert!(
            demo.app
                .current_flash()
                .is_some_and(|f| f.text.contains("nothing was sent")),
            "{what}"
        );
    }
}

#[test]
fn the_help_closes_on_esc_as_its_title_says() {
    let mut demo = demo();
    demo.press(&[Char('?')]);
    assert!(matches!(
        demo.app.overlays.top(),
        Some(Overlay::Help { .. })
    ));
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("close"),
        "the title says how to close:\n{screen}"
    );
    esc(&mut demo);
    assert!(!demo.app.prompting());
}

#[test]
fn the_logs_tab_clears_leaves_the_tail_and_leaves_insights() {
    let mut demo = demo();
    demo.press(&[Char('4'), Char('/')]);
    typed(&mut demo, "lambda");
    demo.press(&[Enter]);
    assert_eq!(demo.app.tabs.logs.browser.filter(), "lambda");
    assert_eq!(esc_says(&demo.app), Some("clear the filter"));
    esc(&mut demo);
    assert_eq!(demo.app.tabs.logs.browser.filter(), "");

    demo.app.tabs.logs.view = LogsView::Tail;
    assert_eq!(
        esc_says(&demo.app),
        Some("back to the group browser (the tail stops)")
    );
    let effects = esc(&mut demo);
    assert_eq!(demo.app.tabs.logs.view, LogsView::Groups);
    assert_eq!(
        effects,
        vec![Effect::Data(DataCommand::tab(LogsCommand::StopTail))]
    );

    demo.press(&[Char('i')]);
    assert_eq!(demo.app.tabs.logs.view, LogsView::Insights);
    demo.press(&[Char('e')]);
    assert_eq!(demo.app.tabs.logs.insights.focus, InsightsFocus::Query);
    assert_eq!(esc_says(&demo.app), Some("stop editing (to the results)"));
    esc(&mut demo);
    assert_eq!(demo.app.tabs.logs.insights.focus, InsightsFocus::Results);

    demo.press(&[Char('o')]);
    if demo.app.tabs.logs.insights.focus == InsightsFocus::Picker {
        assert_eq!(
            esc_says(&demo.app),
            Some("back to the results (nothing is loaded)")
        );
        esc(&mut demo);
        assert_eq!(demo.app.tabs.logs.insights.focus, InsightsFocus::Results);
    }

    assert_eq!(
        esc_says(&demo.app),
        Some("back to the group browser (the results are kept)")
    );
    esc(&mut demo);
    assert_eq!(demo.app.tabs.logs.view, LogsView::Groups);
}

#[test]
fn cloudtrail_leaves_the_form_and_the_event() {
    let mut demo = demo();
    demo.press(&[Char('5'), Enter]);
    assert_eq!(demo.app.tabs.cloudtrail.focus(), TrailFocus::Results);
    demo.press(&[Char('e')]);
    assert_eq!(demo.app.tabs.cloudtrail.focus(), TrailFocus::Form);
    assert_eq!(
        esc_says(&demo.app),
        Some("leave the form (nothing is searched)")
    );
    assert_eq!(esc(&mut demo), vec![], "nothing is searched");
    assert_eq!(demo.app.tabs.cloudtrail.focus(), TrailFocus::Results);

    demo.press(&[Char('/')]);
    typed(&mut demo, "Update");
    demo.press(&[Enter]);
    assert_eq!(esc_says(&demo.app), Some("clear the filter"));
    esc(&mut demo);
    assert_eq!(demo.app.tabs.cloudtrail.filter_text(), "");

    demo.press(&[Enter]);
    assert_eq!(demo.app.tabs.cloudtrail.focus(), TrailFocus::Detail);
    assert_eq!(
        esc_says(&demo.app),
        Some("close this view (back to where it was opened)")
    );
    esc(&mut demo);
    assert_eq!(demo.app.tabs.cloudtrail.focus(), TrailFocus::Results);
    assert_eq!(demo.app.tab, Tab::CloudTrail);
}
