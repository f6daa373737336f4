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
    let at = wall
        .rows()
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

/// The env and short name of every row, in order.
fn row_names(wall: &Wall) -> Vec<(usize, String)> {
    wall.rows()
        .iter()
        .map(|&(e, i)| (e, wall.alarm(e, i).name.clone()))
        .collect()
}

fn type_text(wall: &mut Wall, text: &str) {
    let keys: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
    press(wall, &keys);
}

#[test]
fn the_filter_narrows_the_rows_of_every_env_and_matches_the_env_name() {
    let mut wall = two_envs(|_| {});
    let all = wall.rows().len();
    press(&mut wall, &[KeyCode::Char('/')]);
    assert!(wall.is_typing());
    type_text(&mut wall, "dms");
    let rows = row_names(&wall);
    assert_eq!(
        rows.len(),
        2,
        "dms-replication-lag of blue and of green: {rows:?}"
    );
    assert_eq!(
        rows.iter().map(|(e, _)| *e).collect::<Vec<_>>(),
        [0, 1],
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .all(|(_, name)| name.contains("dms-replication-lag"))
    );
    let screen = render(&mut wall, 120, 35);
    assert!(screen.contains("/dms█"), "the filter line: {screen}");
    assert!(screen.contains("Alarms 2/12"), "{screen}");
    press(&mut wall, &[KeyCode::Enter]);
    assert!(!wall.is_typing(), "Enter closes the line");
    assert_eq!(wall.rows().len(), 2, "and keeps the filter");

    press(&mut wall, &[KeyCode::Char('/')]);
    press(&mut wall, &[KeyCode::Backspace; 3]);
    assert_eq!(wall.rows().len(), all, "an empty filter shows every row");
    type_text(&mut wall, "GREEN");
    let rows = row_names(&wall);
    assert_eq!(rows.len(), wall.apps[1].alarms.len(), "{rows:?}");
    assert!(
        rows.iter().all(|(e, _)| *e == 1),
        "every row of green: {rows:?}"
    );
    type_text(&mut wall, " ");
    assert!(wall.rows().is_empty());
    let screen = render(&mut wall, 120, 35);
    assert!(
        screen.contains("no alarm matches 'GREEN ' (Esc clears the filter)"),
        "{screen}"
    );
    press(&mut wall, &[KeyCode::Backspace]);
    assert_eq!(wall.rows().len(), wall.apps[1].alarms.len());
    press(&mut wall, &[KeyCode::Enter]);
    let (env, name) = wall.selected().unwrap();
    assert_eq!(env, 1, "the selection is on the rows shown");
    let effects = press(&mut wall, &[KeyCode::Char('a')]);
    assert!(effects.is_empty());
    assert_eq!(
        wall.dialog_app().map(|app| app.env.name.as_str()),
        Some("green"),
        "an alarm key acts on the filtered row ({name})"
    );
}

#[test]
fn esc_does_what_the_help_says_it_clears_the_wall_s_filter() {
    let mut wall = two_envs(|_| {});
    let all = wall.rows().len();
    press(&mut wall, &[KeyCode::Char('?')]);
    let help = render(&mut wall, 120, 50);
    for line in [
        "clear the filter",
        "filter by env, name, state, metric",
        "sort alarms: state, name",
    ] {
        assert!(help.contains(line), "the help lists {line:?}: {help}");
    }
    press(&mut wall, &[KeyCode::Esc]);
    assert!(wall.dialog_app().is_none(), "the help is closed");

    press(&mut wall, &[KeyCode::Char('/')]);
    type_text(&mut wall, "dms");
    press(&mut wall, &[KeyCode::Enter]);
    assert_eq!(wall.rows().len(), 2);
    press(&mut wall, &[KeyCode::Esc]);
    assert_eq!(wall.filter_text(), "", "Esc on the wall clears the filter");
    assert_eq!(wall.rows().len(), all);

    press(&mut wall, &[KeyCode::Char('/')]);
    type_text(&mut wall, "dms");
    press(&mut wall, &[KeyCode::Esc]);
    assert!(!wall.is_typing(), "Esc on the / line closes it");
    assert_eq!(wall.filter_text(), "", "and clears the filter");
    assert_eq!(wall.rows().len(), all);
}

#[test]
fn o_cycles_the_wall_s_sort_and_alarm_is_first_again_at_the_end_of_the_cycle() {
    let mut wall = two_envs(|_| {});
    let by_state = row_names(&wall);
    press(&mut wall, &[KeyCode::Char('o')]);
    let (text, is_error) = wall.flash().unwrap();
    assert_eq!((text.as_str(), is_error), ("sorted by name", false));
    let by_name = row_names(&wall);
    let mut expected = by_state.clone();
    expected.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    assert_eq!(by_name, expected, "by name, then env");
    let screen = render(&mut wall, 120, 35);
    assert!(screen.contains("sort: name"), "{screen}");

    press(&mut wall, &[KeyCode::Char('o')]);
    let by_time = row_names(&wall);
    let since: Vec<_> = wall
        .rows()
        .iter()
        .map(|&(e, i)| wall.alarm(e, i).in_state_since())
        .collect();
    assert!(since.is_sorted(), "longest in its state first: {by_time:?}");
    assert!(render(&mut wall, 120, 35).contains("sort: time in state"));

    press(&mut wall, &[KeyCode::Char('o')]);
    assert_eq!(row_names(&wall), by_state, "ALARM first again");
    assert!(render(&mut wall, 120, 35).contains("ALARM first across envs"));
}

#[test]
fn a_new_list_of_one_env_is_on_the_wall_at_once_under_the_filter() {
    let mut wall = two_envs(|_| {});
    press(&mut wall, &[KeyCode::Char('/')]);
    type_text(&mut wall, "dms");
    assert_eq!(wall.rows().len(), 2);
    let mut alarms = wall.apps[1].alarms.all().to_vec();
    let mut extra = alarms[0].clone();
    extra.name = "dms-full-load-lag".into();
    extra.state = AlarmState::Alarm;
    alarms.push(extra);
    let now = wall.apps[1].now();
    wall.apps[1].apply(DataEvent::Alarms {
        alarms: Arc::new(alarms),
        fetched_at: now,
    });
    let rows = row_names(&wall);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows.contains(&(1, "dms-full-load-lag".to_string())),
        "{rows:?}"
    );
}
