//! The alarm wall: several envs on one screen (`--env a,b`, `--env all`,
//! `:env all`). Each env keeps its own [`App`] (its session's state, its
//! read-only and confirmation rules, its dialogs) fed by its own data
//! layer; the wall merges their alarm lists into one, ALARM first across
//! all, and hands an alarm key to the [`App`] of the row's env after
//! selecting the row's alarm there. While that App has a dialog, an
//! overlay (detail, incident) or another tab open, it has the keys (and,
//! but for a dialog over its Alarms tab, the screen); once it is back at
//! rest on its Alarms tab the wall has them again. With one env the wall
//! is only its App.

use crossterm::event::KeyEvent;

use super::action::{Action, Effect};
use super::component::{KeyHelp, moved, movement};
use super::keys;
use super::state::{App, Mode};
use super::tabs::Tab;
use crate::model::Alarm;
use crate::model::alarm::oncall_order;

/// What the wall answers to itself; every other key goes to the row's env.
static KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::OPEN,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::INCIDENT,
];

/// The keys the wall's footer shows.
pub static FOOTER: &[&KeyHelp] = &[
    &keys::OPEN,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::INCIDENT,
    &keys::COMMAND,
    &keys::HELP,
];

/// An effect and the env (index into [`Wall::apps`]) whose data layer
/// must carry it out.
pub type EnvEffect = (usize, Effect);

/// The envs on screen and which one has the keys.
#[derive(Debug)]
pub struct Wall {
    /// One app per env, in the order `--env` named them; effects name
    /// their env by its index here.
    pub apps: Vec<App>,
    /// Whether several envs were asked for; with one the wall is its App.
    several: bool,
    /// The env whose App has the keys (a dialog, an overlay or another tab
    /// is open in it), if any.
    focus: Option<usize>,
    /// The selected row's env and alarm name (followed across refreshes).
    selected: Option<(usize, String)>,
    /// The selected row, used when its alarm has gone.
    row: usize,
    /// Rows that fit in the table (set by the UI, for paging).
    pub page_rows: usize,
    /// Whether `q` was pressed once while changes run: the next quits.
    quit_armed: bool,
}

/// Whether `app` is back on its Alarms tab with nothing open over it: the
/// wall then has the keys and the screen.
fn at_rest(app: &App) -> bool {
    app.tab == Tab::Alarms && !app.prompting() && !app.overlays.hides_tab()
}

impl Wall {
    /// The wall of `apps` (never empty); `several` as the env choice says.
    pub fn new(apps: Vec<App>, several: bool) -> Self {
        assert!(!apps.is_empty(), "a wall shows at least one env");
        Self {
            apps,
            several,
            focus: None,
            selected: None,
            row: 0,
            page_rows: 10,
            quit_armed: false,
        }
    }

    /// Whether the envs share the screen (else the one App is the screen).
    pub fn is_several(&self) -> bool {
        self.several
    }

    /// The App drawn over the whole screen, if one is: the only env's, or
    /// the focused env's while it shows an overlay or another tab.
    pub fn full_screen(&self) -> Option<&App> {
        if !self.several {
            return self.apps.first();
        }
        let app = &self.apps[self.focus?];
        let over_the_wall = app.tab == Tab::Alarms && !app.overlays.hides_tab();
        (!over_the_wall).then_some(app)
    }

    /// The env whose App shows the MFA dialog (every env's sign-in asks
    /// through the first env's App): it takes every key until answered.
    pub fn mfa_app(&self) -> Option<usize> {
        self.apps
            .iter()
            .position(|app| app.overlays.mfa().is_some())
    }

    /// The App whose dialog or input line is open over the wall, if any.
    pub fn dialog_app(&self) -> Option<&App> {
        self.focus
            .map(|i| &self.apps[i])
            .filter(|app| app.prompting())
    }

    /// Every alarm of every env: (env index, index in that env's alarm
    /// list), ALARM first across all envs (the on-call order), then by env.
    pub fn rows(&self) -> Vec<(usize, usize)> {
        let mut rows: Vec<(usize, usize)> = self
            .apps
            .iter()
            .enumerate()
            .flat_map(|(env, app)| (0..app.alarms.len()).map(move |i| (env, i)))
            .collect();
        rows.sort_by(|&(ea, ia), &(eb, ib)| {
            oncall_order(self.alarm(ea, ia), self.alarm(eb, ib)).then(ea.cmp(&eb))
        });
        rows
    }

    /// Alarm `i` of env `env`'s list.
    pub fn alarm(&self, env: usize, i: usize) -> &Alarm {
        self.apps[env].alarms.get(i)
    }

    /// The selected row (0 on an empty wall), after the rows changed.
    pub fn selected_index(&self) -> usize {
        let rows = self.rows();
        self.selected
            .as_ref()
            .and_then(|(env, name)| {
                rows.iter()
                    .position(|&(e, i)| e == *env && self.alarm(e, i).name == *name)
            })
            .unwrap_or_else(|| self.row.min(rows.len().saturating_sub(1)))
    }

    /// The env and alarm name of the selected row.
    pub fn selected(&self) -> Option<(usize, String)> {
        let rows = self.rows();
        let &(env, i) = rows.get(self.selected_index())?;
        Some((env, self.alarm(env, i).name.clone()))
    }

    /// Moves the selection by `delta` rows.
    fn move_by(&mut self, delta: isize) {
        let at = self.selected_index();
        let rows = self.rows();
        let row = moved(at, delta, rows.len());
        let selected = rows
            .get(row)
            .map(|&(env, i)| (env, self.alarm(env, i).name.clone()));
        self.row = row;
        self.selected = selected;
    }

    /// Takes how many list rows the screen drawn last has room for (the
    /// wall's table, or the App drawn over the whole screen).
    pub fn set_page_rows(&mut self, rows: usize) {
        self.page_rows = rows;
        for app in &mut self.apps {
            app.page_rows = rows;
        }
    }

    /// The freshest message any env raised, with its env's name.
    pub fn flash(&self) -> Option<(String, bool)> {
        self.apps
            .iter()
            .filter_map(|app| Some((app, app.current_flash()?)))
            .max_by_key(|(_, flash)| flash.at)
            .map(|(app, flash)| (format!("{}: {}", app.env.name, flash.text), flash.is_error))
    }

    /// Handles a key press; returns the effects, each with its env.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<EnvEffect> {
        if !self.several {
            return tagged(0, self.apps[0].handle_key(key));
        }
        if let Some(env) = self.mfa_app() {
            return tagged(env, self.apps[env].handle_key(key));
        }
        if let Some(env) = self.focus {
            return self.focused_key(env, key);
        }
        let Some(action) = keys::action_for(key, &Mode::Normal, KEYMAP) else {
            return Vec::new();
        };
        let quit_armed = std::mem::take(&mut self.quit_armed);
        if let Some(delta) = movement(&action, self.page_rows) {
            self.move_by(delta);
            return Vec::new();
        }
        match action {
            Action::Quit => vec![(0, Effect::Quit)],
            Action::BackOrQuit => self.quit(quit_armed),
            Action::Refresh => (0..self.apps.len())
                .flat_map(|env| tagged(env, self.apps[env].update(Action::Refresh)))
                .collect(),
            Action::Open
            | Action::Ack
            | Action::Silence
            | Action::Undo
            | Action::Test
            | Action::Incident
            | Action::Copy
            | Action::CopyArn => self.on_row(action),
            Action::StartFilter | Action::CycleSort => {
                let env = self.row_env();
                self.apps[env].flash(
                    "the filter and the sort are per env: `:env NAME` shows one env",
                    true,
                );
                Vec::new()
            }
            Action::NextTab | Action::PrevTab | Action::GoTab(_) | Action::Handoff => {
                let env = self.row_env();
                let effects = self.forward(env, action);
                let app = &mut self.apps[env];
                if app.tab != Tab::Alarms {
                    let message = format!(
                        "{} shows env {} only: q or Esc goes back to the wall of every env",
                        app.tab.title(),
                        app.env.name
                    );
                    app.flash(message, false);
                }
                effects
            }
            other => {
                let env = self.row_env();
                self.forward(env, other)
            }
        }
    }

    /// The env of the selected row, else the first.
    fn row_env(&self) -> usize {
        self.selected().map_or(0, |(env, _)| env)
    }

    /// An alarm key: selects the row's alarm in its env's App and hands
    /// the key over there, so that env's rules and dialogs act.
    fn on_row(&mut self, action: Action) -> Vec<EnvEffect> {
        let Some((env, name)) = self.selected() else {
            self.apps[0].flash("no alarm selected", true);
            return Vec::new();
        };
        self.apps[env].tabs.alarms.select(&name);
        self.forward(env, action)
    }

    /// Sends `action` to env `env`'s App; it keeps the keys while it is
    /// not at rest.
    fn forward(&mut self, env: usize, action: Action) -> Vec<EnvEffect> {
        let effects = self.apps[env].update(action);
        self.refocus(env);
        tagged(env, effects)
    }

    /// A key for the focused env: `q`/Esc on another tab come back to the
    /// wall, everything else is that App's.
    fn focused_key(&mut self, env: usize, key: KeyEvent) -> Vec<EnvEffect> {
        let app = &mut self.apps[env];
        let action = app.action_for(key);
        let on_other_tab = app.tab != Tab::Alarms
            && !app.prompting()
            && !app.overlays.hides_tab()
            && !app.focused().nested();
        let effects = match action {
            Some(Action::Back | Action::BackOrQuit) if on_other_tab => {
                app.update(Action::GoTab(Tab::Alarms.index() + 1))
            }
            Some(action) => app.update(action),
            None => Vec::new(),
        };
        self.refocus(env);
        tagged(env, effects)
    }

    fn refocus(&mut self, env: usize) {
        self.focus = (!at_rest(&self.apps[env])).then_some(env);
    }

    /// `q` on the wall: quits, unless changes still run in some env and
    /// this is the first `q`.
    fn quit(&mut self, armed: bool) -> Vec<EnvEffect> {
        let running: usize = self.apps.iter().map(|app| app.changes_running).sum();
        if running > 0 && !armed {
            self.quit_armed = true;
            self.apps[0].flash(
                format!("{running} change(s) still running: q again to quit (monitui waits for them to finish)"),
                true,
            );
            return Vec::new();
        }
        vec![(0, Effect::Quit)]
    }
}

fn tagged(env: usize, effects: Vec<Effect>) -> Vec<EnvEffect> {
    effects.into_iter().map(|effect| (env, effect)).collect()
}
