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

use std::cell::{Ref, RefCell};
use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::action::{Action, Effect};
use super::alarm_list::{AlarmList, narrows};
use super::component::{moved, movement};
use super::keys;
use super::state::{App, Flash, Mode};
use super::tabs::Tab;
use super::tabs::alarms::{KEYMAP, SortKey};
use crate::model::Alarm;

/// The keys the wall's footer shows: the Alarms tab's, whose keys the
/// wall answers to over every env (the `?` help of the row's env lists
/// them).
pub(crate) use super::tabs::alarms::FOOTER;

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
    /// The `/` filter over every env (as typed).
    filter: String,
    /// `filter` in lower case, as matched.
    needle: String,
    /// Whether the `/` line is open (keys type into the filter).
    typing: bool,
    /// The order of the rows (`o` cycles it).
    sort: SortKey,
    /// The wall's own message (the sort it took).
    message: Option<Flash>,
    /// The rows as last built: rebuilt only when an env's list, the
    /// filter or the sort changed, never per frame or key.
    cache: RefCell<RowCache>,
}

/// The wall's rows and what they were built from.
#[derive(Debug, Default)]
struct RowCache {
    /// Each env's list the rows were built from (held, so that a new list
    /// is never mistaken for it).
    lists: Vec<Arc<AlarmList>>,
    /// Every alarm of every env, (env, index in that env's list), sorted.
    order: Vec<(usize, usize)>,
    /// Whether `order` is in the wall's current sort.
    sorted: bool,
    /// The alarms of `order` passing the filter, in order.
    rows: Vec<(usize, usize)>,
    /// Whether `rows` are for the current filter.
    filtered: bool,
}

/// Whether `app` is back on its Alarms tab with nothing open over it: the
/// wall then has the keys and the screen.
fn at_rest(app: &App) -> bool {
    app.tab == Tab::Alarms && !app.prompting() && !app.overlays.hides_tab()
}

impl Wall {
    /// The wall of `apps` (never empty); `several` as the env choice says.
    pub fn new(mut apps: Vec<App>, several: bool) -> Self {
        assert!(!apps.is_empty(), "a wall shows at least one env");
        for app in &mut apps {
            app.on_wall = several;
        }
        Self {
            apps,
            several,
            focus: None,
            selected: None,
            row: 0,
            page_rows: 10,
            quit_armed: false,
            filter: String::new(),
            needle: String::new(),
            typing: false,
            sort: SortKey::default(),
            message: None,
            cache: RefCell::default(),
        }
    }

    /// The `/` filter over every env's rows.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// Whether the `/` line is open.
    pub fn is_typing(&self) -> bool {
        self.typing
    }

    /// The order of the rows.
    pub fn sort(&self) -> SortKey {
        self.sort
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

    /// The rows: (env index, index in that env's alarm list) of every
    /// alarm passing the filter, in the sort order (the default puts ALARM
    /// first across all envs), then by env. Built once per change of an
    /// env's list, of the filter or of the sort.
    pub fn rows(&self) -> Ref<'_, [(usize, usize)]> {
        let (same_lists, sorted, filtered) = {
            let cache = self.cache.borrow();
            let same_lists = cache.lists.len() == self.apps.len()
                && cache
                    .lists
                    .iter()
                    .zip(&self.apps)
                    .all(|(list, app)| Arc::ptr_eq(list, &app.alarms));
            (same_lists, cache.sorted, cache.filtered)
        };
        if !same_lists || !sorted {
            let mut cache = self.cache.borrow_mut();
            cache.lists = self
                .apps
                .iter()
                .map(|app| Arc::clone(&app.alarms))
                .collect();
            cache.order = self.sorted_rows();
            cache.sorted = true;
            cache.filtered = false;
        }
        if !same_lists || !sorted || !filtered {
            let mut cache = self.cache.borrow_mut();
            let rows = self.passing(&cache.order);
            cache.rows = rows;
            cache.filtered = true;
        }
        Ref::map(self.cache.borrow(), |cache| cache.rows.as_slice())
    }

    /// Every alarm of every env in the wall's sort order, then by env.
    fn sorted_rows(&self) -> Vec<(usize, usize)> {
        let mut order: Vec<(usize, usize)> = self
            .apps
            .iter()
            .enumerate()
            .flat_map(|(env, app)| (0..app.alarms.len()).map(move |i| (env, i)))
            .collect();
        order.sort_by(|&(ea, ia), &(eb, ib)| {
            self.sort
                .compare(self.alarm(ea, ia), self.alarm(eb, ib))
                .then(ea.cmp(&eb))
        });
        order
    }

    /// The rows of `candidates` that pass the filter, in their order.
    fn passing(&self, candidates: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let whole_env: Vec<bool> = self.apps.iter().map(|app| self.env_matches(app)).collect();
        candidates
            .iter()
            .copied()
            .filter(|&(env, i)| whole_env[env] || self.apps[env].alarms.matches(i, &self.needle))
            .collect()
    }

    /// Whether the filter names `app`'s env (then all its rows pass).
    fn env_matches(&self, app: &App) -> bool {
        !self.needle.is_empty()
            && !self.needle.starts_with('=')
            && app.env.name.to_lowercase().contains(&self.needle)
    }

    /// Sets the filter: the alarms the Alarms tab's `/` would show in
    /// their env, and every alarm of an env whose name contains it. When
    /// the filter only grew, the rows shown are narrowed instead of
    /// rebuilt; the selected alarm stays selected if it passes.
    fn set_filter(&mut self, text: &str) {
        let needle = text.to_lowercase();
        let narrowing = narrows(&self.needle, &needle);
        drop(self.rows());
        self.filter = text.to_string();
        self.needle = needle;
        let cache = self.cache.get_mut();
        if !narrowing {
            cache.filtered = false;
            return;
        }
        let shown = std::mem::take(&mut cache.rows);
        let kept = self.passing(&shown);
        self.cache.get_mut().rows = kept;
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
                let i = self.apps.get(*env)?.alarms.index_of(name)?;
                rows.iter().position(|&row| row == (*env, i))
            })
            .unwrap_or_else(|| self.row.min(rows.len().saturating_sub(1)))
    }

    /// The env and alarm name of the selected row.
    pub fn selected(&self) -> Option<(usize, String)> {
        let at = self.selected_index();
        let &(env, i) = self.rows().get(at)?;
        Some((env, self.alarm(env, i).name.clone()))
    }

    /// Moves the selection by `delta` rows.
    fn move_by(&mut self, delta: isize) {
        let at = self.selected_index();
        let (row, selected) = {
            let rows = self.rows();
            let row = moved(at, delta, rows.len());
            let selected = rows
                .get(row)
                .map(|&(env, i)| (env, self.alarm(env, i).name.clone()));
            (row, selected)
        };
        self.row = row;
        self.selected = selected;
    }

    /// Keeps the selected alarm selected after the rows changed if it is
    /// still on them, else selects the first row.
    fn follow_or_first(&mut self) {
        let kept = self.selected.as_ref().is_some_and(|(env, name)| {
            let Some(i) = self.apps[*env].alarms.index_of(name) else {
                return false;
            };
            self.rows().contains(&(*env, i))
        });
        if !kept {
            self.row = 0;
            self.selected = None;
            self.move_by(0);
        }
    }

    /// Takes how many list rows the screen drawn last has room for (the
    /// wall's table, or the App drawn over the whole screen).
    pub fn set_page_rows(&mut self, rows: usize) {
        self.page_rows = rows;
        for app in &mut self.apps {
            app.page_rows = rows;
        }
    }

    /// The freshest message any env raised, with its env's name, or the
    /// wall's own if it is fresher.
    pub fn flash(&self) -> Option<(String, bool)> {
        let env = self
            .apps
            .iter()
            .filter_map(|app| Some((app, app.current_flash()?)))
            .max_by_key(|(_, flash)| flash.at);
        let own = self
            .message
            .as_ref()
            .filter(|flash| flash.is_current(self.apps[0].now()));
        match (env, own) {
            (Some((_, theirs)), Some(own)) if own.at >= theirs.at => {
                Some((own.text.clone(), own.is_error))
            }
            (Some((app, flash)), _) => {
                Some((format!("{}: {}", app.env.name, flash.text), flash.is_error))
            }
            (None, own) => own.map(|flash| (flash.text.clone(), flash.is_error)),
        }
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
        if self.typing {
            return self.filter_key(key);
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
            Action::StartFilter => {
                self.typing = true;
                Vec::new()
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.cache.get_mut().sorted = false;
                self.follow_or_first();
                self.message = Some(Flash {
                    text: format!("sorted by {}", self.sort.label()),
                    is_error: false,
                    at: self.apps[0].now(),
                });
                Vec::new()
            }
            Action::Back => {
                if !self.filter.is_empty() {
                    self.set_filter("");
                    self.follow_or_first();
                }
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

    /// A key while the `/` line is open: typing narrows the rows as it
    /// goes, Enter keeps the filter, Esc clears it (as on the Alarms tab).
    fn filter_key(&mut self, key: KeyEvent) -> Vec<EnvEffect> {
        let mut text = self.filter.clone();
        match keys::action_for(key, &Mode::Filter(text.clone()), KEYMAP) {
            Some(Action::Quit) => return vec![(0, Effect::Quit)],
            Some(Action::Input(c)) => text.push(c),
            Some(Action::Backspace) => {
                text.pop();
            }
            Some(Action::Back) => {
                text.clear();
                self.typing = false;
            }
            Some(Action::Submit) => self.typing = false,
            _ => return Vec::new(),
        }
        if text != self.filter {
            self.set_filter(&text);
            self.follow_or_first();
        }
        Vec::new()
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
