//! The alarm wall across envs (`--env a,b`): two demo accounts of other
//! seeds, each with its own App, merged ALARM first with an ENV column;
//! the alarm keys act in the row's env (its data layer, its read-only
//! rule), and an env that fails never hides the others' rows.

mod tui_common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use monitui::app::{App, Effect, Overlay, Tab, Wall};
use monitui::config::ResolvedEnv;
use monitui::data::{DataCommand, DataEvent, LinkState, Mutation};
use monitui::model::AlarmState;
use ratatui::{Terminal, backend::TestBackend};

/// The demo account at seed `seed`, named `name`, as seen at the pinned
/// clock; `tune` may change the env further (read-only).
fn env_app(name: &str, seed: u64, tune: impl FnOnce(&mut ResolvedEnv)) -> App {
    tui_common::demo_with(|env| {
        env.name = name.to_string();
        env.seed = seed;
        tune(env);
    })
    .app
}

/// Envs blue (seed 23) and green (seed 7); green as `tune_green` says.
fn two_envs(tune_green: impl FnOnce(&mut ResolvedEnv)) -> Wall {
    Wall::new(
        vec![env_app("blue", 23, |_| {}), env_app("green", 7, tune_green)],
        true,
    )
}

fn press(wall: &mut Wall, codes: &[KeyCode]) -> Vec<(usize, Effect)> {
    codes
        .iter()
        .flat_map(|code| wall.handle_key(KeyEvent::new(*code, KeyModifiers::NONE)))
        .collect()
}

fn render(wall: &mut Wall, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut rows = 0;
    terminal
        .draw(|f| rows = monitui::ui::wall::draw(f, wall))
        .unwrap();
    wall.set_page_rows(rows);
    terminal.backend().to_string()
}

/// Moves the selection to the first row of env `env` in state `state`;
/// returns that alarm's name.
fn select_row(wall: &mut Wall, env: usize, state: AlarmState) -> String {
    let rows = wall.rows();
    let at = rows
        .iter()
        .position(|&(e, i)| e == env && wall.alarm(e, i).state == state)
        .expect("a row of that env in that state");
    let here = wall.selected_index();
    let keys = vec![KeyCode::Down; at - here];
    press(wall, &keys);
    let (selected_env, name) = wall.selected().unwrap();
    assert_eq!(selected_env, env);
    name
}

fn mutations(effects: &[(usize, Effect)]) -> Vec<(usize, &Mutation)> {
    effects
        .iter()
        .filter_map(|(env, e)| match e {
            Effect::Data(DataCommand::Mutate(m)) => Some((*env, m)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_env_s_alarms_are_on_one_list_alarm_first_across_all() {
    let wall = two_envs(|_| {});
    let rows = wall.rows();
    let per_env: Vec<usize> = wall.apps.iter().map(|app| app.alarms.len()).collect();
    assert_eq!(rows.len(), per_env.iter().sum::<usize>());
    assert!(per_env.iter().all(|&n| n > 0));
    let states: Vec<AlarmState> = rows.iter().map(|&(e, i)| wall.alarm(e, i).state).collect();
    let last_alarm = states
        .iter()
        .rposition(|s| *s == AlarmState::Alarm)
        .unwrap();
    let first_other = states.iter().position(|s| *s != AlarmState::Alarm).unwrap();
    assert!(
        last_alarm < first_other,
        "ALARM first across envs: {states:?}"
    );
    for env in 0..2 {
        assert!(
            rows.iter()
                .any(|&(e, i)| e == env && wall.alarm(e, i).state == AlarmState::Alarm),
            "env {env} has ALARM rows on the wall"
        );
    }
}

#[test]
fn the_wall_at_120x35_and_80x24() {
    let mut wall = two_envs(|env| env.read_only = true);
    let wide = render(&mut wall, 120, 35);
    assert!(wide.contains("ENV"), "{wide}");
    assert!(wide.contains("blue") && wide.contains("green"), "{wide}");
    insta::assert_snapshot!("wall_120x35", wide);
    let narrow = render(&mut wall, 80, 24);
    assert!(narrow.contains("ENV"), "{narrow}");
    insta::assert_snapshot!("wall_80x24", narrow);
}

#[test]
fn ack_on_a_row_of_the_second_env_goes_to_that_env_s_data_layer() {
    let mut wall = two_envs(|_| {});
    let name = select_row(&mut wall, 1, AlarmState::Alarm);
    let effects = press(&mut wall, &[KeyCode::Char('a')]);
    assert!(effects.is_empty());
    assert!(
        matches!(wall.dialog_app().and_then(|app| app.overlays.top()), Some(Overlay::Ack(p)) if p.alarm == name),
        "the ack prompt of green's alarm is open over the wall"
    );
    assert_eq!(wall.dialog_app().unwrap().env.name, "green");
    let effects = press(&mut wall, &[KeyCode::Enter]);
    assert_eq!(
        mutations(&effects),
        vec![(
            1,
            &Mutation::Ack {
                alarm: name.clone(),
                note: String::new()
            }
        )]
    );
    assert!(wall.apps[1].annotations.contains_key(&name));
    assert!(
        !wall.apps[0].annotations.contains_key(&name),
        "blue's alarm of the same name is not acked"
    );
    assert!(wall.dialog_app().is_none(), "back on the wall");
}

#[test]
fn a_read_only_env_refuses_an_ack_on_its_row_and_the_other_still_acks() {
    let mut wall = two_envs(|env| env.read_only = true);
    select_row(&mut wall, 1, AlarmState::Alarm);
    let effects = press(&mut wall, &[KeyCode::Char('a'), KeyCode::Enter]);
    assert!(mutations(&effects).is_empty(), "{effects:?}");
    let (text, is_error) = wall.flash().unwrap();
    assert!(is_error);
    assert!(text.contains("read-only"), "{text}");
    let mut wall = two_envs(|env| env.read_only = true);
    let name = select_row(&mut wall, 0, AlarmState::Alarm);
    let effects = press(&mut wall, &[KeyCode::Char('a'), KeyCode::Enter]);
    assert_eq!(
        mutations(&effects),
        vec![(
            0,
            &Mutation::Ack {
                alarm: name,
                note: String::new()
            }
        )]
    );
}

#[test]
fn enter_opens_the_row_s_detail_in_its_env_and_esc_comes_back_to_the_wall() {
    let mut wall = two_envs(|_| {});
    let name = select_row(&mut wall, 1, AlarmState::Ok);
    let effects = press(&mut wall, &[KeyCode::Enter]);
    assert!(
        effects
            .iter()
            .any(|(env, e)| *env == 1 && matches!(e, Effect::Data(DataCommand::LoadDetail { .. }))),
        "{effects:?}"
    );
    let shown = wall.full_screen().expect("the detail takes the screen");
    assert_eq!(shown.env.name, "green");
    assert_eq!(shown.overlays.detail().unwrap().alarm, name);
    press(&mut wall, &[KeyCode::Esc]);
    assert!(wall.full_screen().is_none(), "back on the wall");
    press(&mut wall, &[KeyCode::Char('i')]);
    assert_eq!(wall.full_screen().unwrap().env.name, "green");
    assert!(wall.apps[1].overlays.incident().is_some());
    press(&mut wall, &[KeyCode::Char('q')]);
    assert!(
        wall.full_screen().is_none(),
        "q closes the incident: the wall"
    );
}

#[test]
fn another_tab_shows_the_row_s_env_only_and_says_so() {
    let mut wall = two_envs(|_| {});
    select_row(&mut wall, 1, AlarmState::Alarm);
    press(&mut wall, &[KeyCode::Char('1')]);
    let shown = wall.full_screen().expect("the Overview of one env");
    assert_eq!(
        (shown.env.name.as_str(), shown.tab),
        ("green", Tab::Overview)
    );
    let (text, _) = wall.flash().unwrap();
    assert!(text.contains("shows env green only"), "{text}");
    press(&mut wall, &[KeyCode::Char('q')]);
    assert!(wall.full_screen().is_none(), "q comes back to the wall");
    assert_eq!(wall.apps[1].tab, Tab::Alarms);
}

#[test]
fn an_env_that_fails_keeps_the_other_s_rows_and_is_marked() {
    let mut wall = two_envs(|_| {});
    let now = wall.apps[1].now();
    let before = wall.rows().len();
    wall.apps[1].apply(DataEvent::Link(LinkState::Retrying {
        attempt: 3,
        retry_at: now,
        last_success: Some(now - jiff::SignedDuration::from_mins(10)),
        error: "connection refused".into(),
    }));
    assert_eq!(wall.rows().len(), before, "its rows stay, marked stale");
    let screen = render(&mut wall, 120, 35);
    assert!(
        screen
            .contains("green: its rows below are stale: cannot refresh alarms: connection refused"),
        "{screen}"
    );
    assert!(screen.contains("green ◌"), "its rows are marked: {screen}");
    assert!(screen.contains("blue "), "{screen}");

    let theme = wall.apps[0].theme.clone();
    let clock = Arc::clone(&wall.apps[0].clock);
    let mut never = ResolvedEnv::demo();
    never.name = "red".into();
    let mut red = App::new(never, theme, clock);
    red.apply(DataEvent::Link(LinkState::Retrying {
        attempt: 1,
        retry_at: now,
        last_success: None,
        error: "no credentials".into(),
    }));
    let blue = wall.apps.remove(0);
    let blue_rows = blue.alarms.len();
    let mut wall = Wall::new(vec![blue, red], true);
    assert_eq!(wall.rows().len(), blue_rows, "blue's rows are all there");
    let screen = render(&mut wall, 120, 35);
    assert!(
        screen.contains("red: its alarms could not be read (none of them below)"),
        "{screen}"
    );
    assert!(
        screen.contains("? alarms unknown"),
        "never an all-clear: {screen}"
    );
}
