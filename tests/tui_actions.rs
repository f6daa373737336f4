//! Key -> action -> effect: what the alarm keys send to the data layer (and
//! what they refuse to send) on the demo account at a pinned clock.

mod tui_common;

use std::time::Duration;

use crossterm::event::KeyCode;
use monitui::app::tabs::alarms::SortKey;
use monitui::app::{App, Effect, Overlay, Tab};
use monitui::data::{DataCommand, Mutation};
use monitui::model::AlarmState;
use tui_common::{press, typed};

fn mutations(effects: &[Effect]) -> Vec<&Mutation> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Data(DataCommand::Mutate(m)) => Some(m),
            _ => None,
        })
        .collect()
}

/// Selects the first visible alarm in `state`.
fn select_state(app: &mut App, state: AlarmState) -> String {
    let pos = app
        .tabs
        .alarms
        .visible()
        .position(|a| a.state == state)
        .expect("an alarm in that state");
    app.tabs.alarms.move_by(pos as isize);
    app.tabs.alarms.selected().unwrap().name.clone()
}

#[test]
fn a_enter_acks_with_an_empty_note_and_shows_it_at_once() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Alarm);
    let before = app.alarms.unacked_alarm_count(&app.annotations);
    let effects = press(&mut app, &[KeyCode::Char('a'), KeyCode::Enter]);
    assert_eq!(
        mutations(&effects),
        vec![&Mutation::Ack {
            alarm: name.clone(),
            note: String::new()
        }]
    );
    assert!(!app.prompting());
    let alarm = app.alarms.find(&name).unwrap();
    let ack = app.annotations[&name].ack.as_ref().unwrap();
    assert!(ack.covers(alarm));
    assert_eq!(ack.by, "demo-oncall");
    assert_eq!(app.alarms.unacked_alarm_count(&app.annotations), before - 1);
}

#[test]
fn ack_note_is_sent_trimmed() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Alarm);
    let mut keys = vec![KeyCode::Char('a')];
    keys.extend(typed(" on it "));
    keys.push(KeyCode::Enter);
    let effects = press(&mut app, &keys);
    assert_eq!(
        mutations(&effects),
        vec![&Mutation::Ack {
            alarm: name,
            note: "on it".into()
        }]
    );
}

#[test]
fn ack_on_an_alarm_not_in_alarm_sends_nothing_and_says_why() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Ok);
    let effects = press(&mut app, &[KeyCode::Char('a'), KeyCode::Enter]);
    assert!(mutations(&effects).is_empty());
    assert!(!app.prompting());
    let flash = app.current_flash().unwrap();
    assert!(flash.text.contains("not ALARM"), "{}", flash.text);
    assert!(flash.text.contains(&name));
    assert!(!app.annotations.contains_key(&name));
}

#[test]
fn failed_ack_drops_the_local_ack() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Alarm);
    press(&mut app, &[KeyCode::Char('a'), KeyCode::Enter]);
    app.apply(monitui::data::DataEvent::MutationDone {
        mutation: Mutation::Ack {
            alarm: name.clone(),
            note: String::new(),
        },
        result: Err("AccessDenied".into()),
    });
    assert_eq!(app.annotations[&name].ack, None);
    assert!(app.current_flash().unwrap().is_error);
}

#[test]
fn silence_dialog_refuses_an_empty_note_and_bad_durations() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Alarm);
    assert!(press(&mut app, &[KeyCode::Char('s'), KeyCode::Enter]).is_empty());
    let Some(Overlay::Silence(form)) = app.overlays.top() else {
        panic!("silence dialog closed: {:?}", app.overlays.top())
    };
    assert!(form.error.as_deref().unwrap().contains("note is required"));

    let mut keys = typed("deploy");
    keys.push(KeyCode::Tab);
    keys.extend(typed("0m"));
    keys.push(KeyCode::Enter);
    assert!(press(&mut app, &keys).is_empty());
    let Some(Overlay::Silence(form)) = app.overlays.top() else {
        panic!("silence dialog closed")
    };
    assert!(form.error.as_deref().unwrap().contains("longer than zero"));

    let mut keys = vec![KeyCode::Backspace, KeyCode::Backspace];
    keys.extend(typed("2h30m"));
    keys.push(KeyCode::Enter);
    let effects = press(&mut app, &keys);
    assert_eq!(
        mutations(&effects),
        vec![&Mutation::Silence {
            alarm: name,
            duration: Duration::from_secs(9000),
            note: "deploy".into()
        }]
    );
    assert!(!app.prompting());
}

#[test]
fn silence_presets_are_picked_with_arrows() {
    let mut app = tui_common::demo().app;
    let mut keys = vec![KeyCode::Char('s'), KeyCode::Left, KeyCode::Tab];
    keys.extend(typed("maintenance"));
    keys.push(KeyCode::Enter);
    let effects = press(&mut app, &keys);
    let [Mutation::Silence { duration, .. }] = mutations(&effects)[..] else {
        panic!("no silence sent: {effects:?}")
    };
    assert_eq!(*duration, Duration::from_secs(15 * 60));
}

#[test]
fn esc_cancels_a_dialog_without_sending() {
    let mut app = tui_common::demo().app;
    let effects = press(&mut app, &[KeyCode::Char('s'), KeyCode::Esc]);
    assert!(effects.is_empty());
    assert!(!app.prompting());
    assert!(
        app.current_flash()
            .unwrap()
            .text
            .contains("nothing was sent")
    );
}

#[test]
fn confirm_dialog_requires_the_env_name() {
    let mut app = tui_common::demo_with(|env| env.confirm_mutations = true).app;
    let name = select_state(&mut app, AlarmState::Ok);
    let mut keys = vec![KeyCode::Char('t')];
    keys.extend(typed("dem"));
    keys.push(KeyCode::Enter);
    assert!(press(&mut app, &keys).is_empty());
    let Some(Overlay::Confirm(form)) = app.overlays.top() else {
        panic!("confirm dialog closed: {:?}", app.overlays.top())
    };
    assert!(form.error.as_deref().unwrap().contains("'demo'"));
    let effects = press(&mut app, &[KeyCode::Char('o'), KeyCode::Enter]);
    assert_eq!(mutations(&effects), vec![&Mutation::Test { alarm: name }]);
}

#[test]
fn ack_needs_no_confirmation_even_where_mutations_are_confirmed() {
    let mut app = tui_common::demo_with(|env| env.confirm_mutations = true).app;
    let firing = app
        .tabs
        .alarms
        .visible()
        .filter(|a| a.state == AlarmState::Alarm)
        .count();
    assert!(
        firing > 1,
        "the ack must go to the selected alarm, not the first"
    );
    app.tabs.alarms.move_by(firing as isize - 1);
    let name = app.tabs.alarms.selected().unwrap().name.clone();
    let mut keys = vec![KeyCode::Char('a')];
    keys.extend(typed("on it"));
    keys.push(KeyCode::Enter);
    let effects = press(&mut app, &keys);
    assert_eq!(
        mutations(&effects),
        vec![&Mutation::Ack {
            alarm: name,
            note: "on it".into()
        }]
    );
}

#[test]
fn silence_is_confirmed_where_mutations_are_confirmed() {
    let mut app = tui_common::demo_with(|env| env.confirm_mutations = true).app;
    let name = select_state(&mut app, AlarmState::Ok);
    let mut keys = vec![KeyCode::Char('s'), KeyCode::Tab];
    keys.extend(typed("db failover"));
    keys.push(KeyCode::Enter);
    assert!(press(&mut app, &keys).is_empty());
    assert!(matches!(app.overlays.top(), Some(Overlay::Confirm(_))));
    let mut keys = typed("demo");
    keys.push(KeyCode::Enter);
    let effects = press(&mut app, &keys);
    let [Mutation::Silence { alarm, note, .. }] = mutations(&effects)[..] else {
        panic!("no silence sent: {effects:?}")
    };
    assert_eq!(
        (alarm.as_str(), note.as_str()),
        (name.as_str(), "db failover")
    );
}

#[test]
fn read_only_env_opens_nothing() {
    let mut app = tui_common::demo_with(|env| env.read_only = true).app;
    select_state(&mut app, AlarmState::Alarm);
    for key in ['a', 's', 'u', 't'] {
        let effects = press(&mut app, &[KeyCode::Char(key), KeyCode::Enter]);
        assert!(mutations(&effects).is_empty(), "{key} sent {effects:?}");
        assert!(!app.prompting(), "{key} opened a dialog");
        assert!(app.current_flash().unwrap().text.contains("read-only"));
    }
}

#[test]
fn undo_removes_the_ack_first_then_the_silence() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Alarm);
    assert!(mutations(&press(&mut app, &[KeyCode::Char('u')])).is_empty());
    assert!(
        app.current_flash()
            .unwrap()
            .text
            .contains("no ack or silence")
    );

    let mut keys = vec![KeyCode::Char('s'), KeyCode::Tab];
    keys.extend(typed("noisy"));
    keys.extend([KeyCode::Enter, KeyCode::Char('a'), KeyCode::Enter]);
    press(&mut app, &keys);
    let silence = monitui::model::ack::Silence {
        until: app.now() + jiff::SignedDuration::from_hours(1),
        by: "bob".into(),
        note: "noisy".into(),
        method: monitui::model::ack::SilenceMethod::ActionsDisabled,
        id: "s-1".into(),
    };
    std::sync::Arc::make_mut(&mut app.annotations)
        .get_mut(&name)
        .unwrap()
        .silence = Some(monitui::model::ack::SilenceRecord::Own(silence));

    let effects = press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(
        mutations(&effects),
        vec![&Mutation::Unack {
            alarm: name.clone(),
            any: false,
        }]
    );
    std::sync::Arc::make_mut(&mut app.annotations)
        .get_mut(&name)
        .unwrap()
        .ack = None;
    let effects = press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(
        mutations(&effects),
        vec![&Mutation::Unsilence { alarm: name }]
    );
}

/// `u` on someone else's ack sends nothing until the confirmation, and
/// then asks for `any` (where the env wants it, after its name is typed).
#[test]
fn undo_of_someone_elses_ack_asks_first() {
    for confirm_mutations in [false, true] {
        let mut app = tui_common::demo_with(|env| env.confirm_mutations = confirm_mutations).app;
        let name = select_state(&mut app, AlarmState::Alarm);
        let episode = app.alarms.find(&name).unwrap().transitioned_at;
        std::sync::Arc::make_mut(&mut app.annotations)
            .entry(name.clone())
            .or_default()
            .ack = Some(monitui::model::ack::Ack {
            by: "bob".into(),
            at: app.now(),
            episode,
            note: String::new(),
        });
        assert!(mutations(&press(&mut app, &[KeyCode::Char('u')])).is_empty());
        assert!(
            matches!(app.overlays.top(), Some(Overlay::Confirm(_))),
            "{:?}",
            app.overlays.top()
        );
        let mut keys = if confirm_mutations {
            typed("demo")
        } else {
            Vec::new()
        };
        keys.push(KeyCode::Enter);
        assert_eq!(
            mutations(&press(&mut app, &keys)),
            vec![&Mutation::Unack {
                alarm: name,
                any: true
            }]
        );
    }
}

#[test]
fn o_cycles_the_sort_and_keeps_the_selection() {
    let mut app = tui_common::demo().app;
    let name = select_state(&mut app, AlarmState::Ok);
    assert_eq!(app.tabs.alarms.sort(), SortKey::State);
    press(&mut app, &[KeyCode::Char('o')]);
    assert_eq!(app.tabs.alarms.sort(), SortKey::Name);
    let names: Vec<String> = app.tabs.alarms.visible().map(|a| a.name.clone()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(app.tabs.alarms.selected().unwrap().name, name);
    press(&mut app, &[KeyCode::Char('o')]);
    assert_eq!(app.tabs.alarms.sort(), SortKey::TimeInState);
    let times: Vec<_> = app
        .tabs
        .alarms
        .visible()
        .map(|a| a.in_state_since())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    press(&mut app, &[KeyCode::Char('o')]);
    assert_eq!(app.tabs.alarms.sort(), SortKey::State);
}

#[test]
fn enter_opens_the_detail_ranges_reload_and_esc_closes() {
    let mut app = tui_common::demo().app;
    let name = app.tabs.alarms.selected().unwrap().name.clone();
    let effects = press(&mut app, &[KeyCode::Enter]);
    assert_eq!(
        effects,
        vec![Effect::Data(DataCommand::LoadDetail {
            alarm: name.clone(),
            range: Duration::from_secs(3 * 3600)
        })]
    );
    let effects = press(&mut app, &[KeyCode::Char(']'), KeyCode::Char('-')]);
    assert_eq!(
        effects,
        vec![
            Effect::Data(DataCommand::LoadDetail {
                alarm: name.clone(),
                range: Duration::from_secs(12 * 3600)
            }),
            Effect::Data(DataCommand::LoadDetail {
                alarm: name,
                range: Duration::from_secs(3 * 3600)
            })
        ]
    );
    let effects = press(&mut app, &[KeyCode::Esc]);
    assert_eq!(effects, vec![Effect::Data(DataCommand::CloseDetail)]);
    assert!(app.overlays.detail().is_none());
}

#[test]
fn a_tab_command_closes_the_detail_like_a_tab_key() {
    let mut app = tui_common::demo().app;
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.overlays.detail().is_some());
    let mut keys = vec![KeyCode::Char(':')];
    keys.extend(typed("overview"));
    keys.push(KeyCode::Enter);
    let effects = press(&mut app, &keys);
    assert_eq!(
        effects,
        vec![
            Effect::Data(DataCommand::CloseDetail),
            Effect::Data(DataCommand::OverviewVisible(true))
        ]
    );
    assert!(app.overlays.detail().is_none());
    assert_eq!(app.tab, monitui::app::Tab::Overview);
    let effects = press(&mut app, &[KeyCode::Char('r')]);
    assert_eq!(effects, vec![Effect::Data(DataCommand::RefreshNow)]);
}

#[test]
fn overview_enter_opens_the_selected_alarm() {
    let demo = tui_common::demo();
    let event = demo.overview_event();
    let mut app = demo.app;
    app.apply(event);
    press(&mut app, &[KeyCode::Char('1'), KeyCode::Char('j')]);
    assert_eq!(app.tab, Tab::Overview);
    let expected = app.tabs.overview.row(1).unwrap().0.id.clone();
    let effects = press(&mut app, &[KeyCode::Enter]);
    assert!(matches!(
        &effects[..],
        [
            Effect::Data(DataCommand::LoadDetail { alarm, .. }),
            Effect::Data(DataCommand::OverviewVisible(false))
        ] if *alarm == expected
    ));
    assert_eq!(app.target_alarm().unwrap().name, expected);
}

/// Every `OverviewVisible` the keys produced, in order.
fn visibility(effects: &[Effect]) -> Vec<bool> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Data(DataCommand::OverviewVisible(shown)) => Some(*shown),
            _ => None,
        })
        .collect()
}

#[test]
fn the_data_layer_hears_whenever_the_overview_appears_or_goes() {
    let demo = tui_common::demo();
    let event = demo.overview_event();
    let mut app = demo.app;
    app.apply(event);
    assert!(
        app.screen_commands()
            .contains(&DataCommand::OverviewVisible(false)),
        "the app starts on the Alarms tab"
    );
    let steps: [(&[KeyCode], &[bool]); 8] = [
        (&[KeyCode::Char('1')], &[true]),
        (&[KeyCode::Char('j'), KeyCode::Char('1')], &[]),
        (&[KeyCode::Enter], &[false]),
        (&[KeyCode::Esc], &[true]),
        (&[KeyCode::Tab], &[false]),
        (&[KeyCode::BackTab], &[true]),
        (&[KeyCode::Char('?'), KeyCode::Char('x')], &[]),
        (&[KeyCode::Char('5'), KeyCode::Char('4')], &[false]),
    ];
    for (keys, expected) in steps {
        let effects = press(&mut app, keys);
        assert_eq!(visibility(&effects), expected, "after {keys:?}");
        let seen = app.tab == Tab::Overview && app.overlays.detail().is_none();
        assert!(
            app.screen_commands()
                .contains(&DataCommand::OverviewVisible(seen))
        );
    }
    let mut keys = vec![KeyCode::Char(':')];
    keys.extend(typed("overview"));
    keys.push(KeyCode::Enter);
    assert_eq!(visibility(&press(&mut app, &keys)), [true]);
}

#[test]
fn an_app_for_a_new_env_keeps_the_tab_and_tells_its_data_layer() {
    let mut app = tui_common::demo().app;
    press(&mut app, &[KeyCode::Char('1')]);
    let fresh = app.for_env(app.env.clone(), app.theme.clone());
    assert_eq!(fresh.tab, Tab::Overview);
    assert!(
        fresh
            .screen_commands()
            .contains(&DataCommand::OverviewVisible(true))
    );
    let mut fresh = fresh;
    assert!(visibility(&press(&mut fresh, &[KeyCode::Char('j')])).is_empty());
}

#[test]
fn keys_go_to_the_focused_component() {
    let demo = tui_common::demo();
    let event = demo.overview_event();
    let mut app = demo.app;
    app.apply(event);
    press(&mut app, &[KeyCode::Char('j')]);
    assert_eq!(app.tabs.alarms.selected_index(), 1);
    assert_eq!(app.tabs.overview.selected_index(), 0);
    press(
        &mut app,
        &[KeyCode::Char('1'), KeyCode::Char('j'), KeyCode::Char('j')],
    );
    assert_eq!(app.tabs.overview.selected_index(), 2);
    assert_eq!(app.tabs.alarms.selected_index(), 1);
    // `o` sorts the Alarms tab only: the Overview has no sort key.
    press(&mut app, &[KeyCode::Char('o')]);
    assert_eq!(app.tabs.alarms.sort(), SortKey::State);
    press(&mut app, &[KeyCode::Enter, KeyCode::Char('j')]);
    assert_eq!(app.overlays.detail().unwrap().scroll, 1);
    assert_eq!(
        app.tabs.overview.selected_index(),
        2,
        "the detail has the focus"
    );
    // A placeholder tab has no keys of its own: `a` does nothing there.
    press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('a')]);
    assert!(!app.prompting());
    assert!(app.current_flash().is_none());
}

#[test]
fn detail_events_for_another_alarm_are_ignored() {
    let demo = tui_common::demo();
    let other = demo.detail_event(
        "ecommerce-ai-platform-batch-job-failures",
        Duration::from_secs(3600),
    );
    let mut app = demo.app;
    press(&mut app, &[KeyCode::Enter]);
    app.apply(other);
    assert_eq!(app.overlays.detail().unwrap().data, None);
}
