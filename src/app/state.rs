//! The whole UI state and the `update` function that applies actions and
//! data events to it.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use super::action::{Action, Effect};
use super::alarms_view::AlarmsView;
use super::command::{self, Command};
use super::detail::DetailView;
use super::dialog::{AckPrompt, ConfirmForm, SilenceForm};

use crate::config::{ResolvedEnv, Theme};
use crate::data::{AlarmDetail, Annotation, DataCommand, DataEvent, LinkState};
use crate::model::{Clock, Identity, Series};

/// The five tabs, in key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Live sparkline wall.
    Overview,
    /// Alarm table.
    Alarms,
    /// Dashboard renderer.
    Dashboards,
    /// Log tail and search.
    Logs,
    /// CloudTrail search.
    CloudTrail,
}

impl Tab {
    /// All tabs in order (key `1` is the first).
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Alarms,
        Tab::Dashboards,
        Tab::Logs,
        Tab::CloudTrail,
    ];

    /// Tab title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Alarms => "Alarms",
            Tab::Dashboards => "Dashboards",
            Tab::Logs => "Logs",
            Tab::CloudTrail => "CloudTrail",
        }
    }

    /// Position in [`Tab::ALL`].
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// What the keyboard is currently talking to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Navigation keys.
    Normal,
    /// Typing a `:` command.
    Command(String),
    /// Typing a `/` filter.
    Filter(String),
    /// The help overlay is open.
    Help,
    /// Typing the optional note of an ack.
    Ack(AckPrompt),
    /// Filling in the silence dialog.
    Silence(SilenceForm),
    /// Confirming a mutation.
    Confirm(ConfirmForm),
}

/// A message shown in the footer for a few seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
    /// When it was raised.
    pub at: Timestamp,
}

/// How long a flash message stays.
const FLASH_SECS: i64 = 6;

/// The UI state.
#[derive(Debug, Clone)]
pub struct App {
    /// The environment being watched.
    pub env: ResolvedEnv,
    /// Colours.
    pub theme: Theme,
    /// Time source (fixed in tests).
    pub clock: Arc<dyn Clock>,
    /// Current tab.
    pub tab: Tab,
    /// Keyboard mode.
    pub mode: Mode,
    /// Caller identity, once known.
    pub identity: Option<Identity>,
    /// Connection health.
    pub link: LinkState,
    /// The alarm list.
    pub alarms: AlarmsView,
    /// Footer message.
    pub flash: Option<Flash>,
    /// Rows that fit in the current list (set by the UI for paging).
    pub page_rows: usize,
    /// Acks and silences by alarm name.
    pub annotations: Arc<BTreeMap<String, Annotation>>,
    /// Recent series for the Overview tab.
    pub overview: Arc<Vec<Series>>,
    /// Side fetches that are failing, with their errors.
    pub degraded: BTreeMap<&'static str, String>,
    /// Data of the open detail view.
    pub detail: Option<AlarmDetail>,
    /// The open detail view, drawn over the tab.
    pub detail_view: Option<DetailView>,
    /// Selected row of the Overview tab.
    pub overview_selected: usize,
}

impl App {
    /// A fresh app for an env, on the Alarms tab.
    pub fn new(env: ResolvedEnv, theme: Theme, clock: Arc<dyn Clock>) -> Self {
        Self {
            env,
            theme,
            clock,
            tab: Tab::Alarms,
            mode: Mode::Normal,
            identity: None,
            link: LinkState::Connecting,
            alarms: AlarmsView::default(),
            flash: None,
            page_rows: 10,
            annotations: Arc::default(),
            overview: Arc::default(),
            degraded: BTreeMap::new(),
            detail: None,
            detail_view: None,
            overview_selected: 0,
        }
    }

    /// Current time from the app's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Shows a message in the footer.
    pub fn flash(&mut self, text: impl Into<String>, is_error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            is_error,
            at: self.now(),
        });
    }

    /// The flash message if it is still fresh.
    pub fn current_flash(&self) -> Option<&Flash> {
        self.flash
            .as_ref()
            .filter(|f| self.now().duration_since(f.at).as_secs() < FLASH_SECS)
    }

    /// What is wrong with the data on screen, if anything: the alarm list
    /// cannot be refreshed, or a side fetch fails. The UI shows it on a line
    /// of its own so stale data never looks fresh.
    pub fn problem(&self) -> Option<String> {
        if let LinkState::Retrying { error, .. } = &self.link {
            return Some(format!("cannot refresh alarms: {error}"));
        }
        let parts: Vec<String> = self
            .degraded
            .iter()
            .map(|(what, error)| format!("{what} may be stale: {error}"))
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// Applies a data event.
    pub fn apply(&mut self, event: DataEvent) {
        match event {
            DataEvent::Identity(identity) => self.identity = Some(identity),
            DataEvent::Alarms { alarms, fetched_at } => self.alarms.replace(alarms, fetched_at),
            DataEvent::Link(link) => self.link = link,
            DataEvent::Degraded { what, error } => match error {
                Some(error) => {
                    self.degraded.insert(what, error);
                }
                None => {
                    self.degraded.remove(what);
                }
            },
            DataEvent::Annotations(annotations) => self.annotations = annotations,
            DataEvent::Overview(series) => {
                self.overview = series;
                self.move_overview(0);
            }
            DataEvent::Detail(detail) => {
                if self
                    .detail_view
                    .as_ref()
                    .is_some_and(|v| v.alarm == detail.alarm)
                {
                    self.detail = Some(*detail);
                }
            }
            DataEvent::MutationDone { mutation, result } => match result {
                Ok(message) => self.flash(message, false),
                Err(message) => {
                    self.mutation_failed(&mutation);
                    self.flash(message, true);
                }
            },
        }
    }

    /// The Overview rows in display order: alarm metrics (series named
    /// after an alarm) first, then pinned metrics.
    pub fn overview_rows(&self) -> Vec<&Series> {
        let (alarms, pinned): (Vec<&Series>, Vec<&Series>) = self
            .overview
            .iter()
            .partition(|s| self.alarms.find(&s.id).is_some());
        alarms.into_iter().chain(pinned).collect()
    }

    fn move_overview(&mut self, delta: isize) {
        let last = self.overview_rows().len().saturating_sub(1) as isize;
        self.overview_selected =
            (self.overview_selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Opens the detail view of an alarm and asks for its data.
    fn open_detail(&mut self, alarm: String) -> Option<Effect> {
        if self.detail.as_ref().is_some_and(|d| d.alarm != alarm) {
            self.detail = None;
        }
        let view = DetailView::new(alarm);
        let load = view.load_command();
        self.detail_view = Some(view);
        Some(Effect::Data(load))
    }

    /// Closes the detail view, if open, and stops its refresh.
    fn close_detail(&mut self) -> Option<Effect> {
        self.detail_view.take()?;
        Some(Effect::Data(DataCommand::CloseDetail))
    }

    fn open_selected(&mut self) -> Option<Effect> {
        let name = match self.tab {
            Tab::Alarms => self.alarms.selected().map(|a| a.name.clone()),
            Tab::Overview => {
                let rows = self.overview_rows();
                let series = rows.get(self.overview_selected)?;
                if self.alarms.find(&series.id).is_none() {
                    let label = series.label.clone();
                    self.flash(format!("{label} is a pinned metric, not an alarm"), false);
                    return None;
                }
                Some(series.id.clone())
            }
            _ => None,
        };
        name.and_then(|name| self.open_detail(name))
    }

    fn move_selection(&mut self, delta: isize) {
        match (&mut self.detail_view, self.tab) {
            (Some(view), _) => view.scroll_by(delta),
            (None, Tab::Overview) => self.move_overview(delta),
            (None, _) => self.alarms.move_by(delta),
        }
    }

    /// Applies a user action; returns what must happen outside.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        match (&mut self.mode, action) {
            (_, Action::Quit) => return Some(Effect::Quit),
            (Mode::Help, _) => self.mode = Mode::Normal,
            (Mode::Command(text) | Mode::Filter(text), Action::Input(c)) => {
                text.push(c);
                self.live_filter();
            }
            (Mode::Command(text) | Mode::Filter(text), Action::Backspace) => {
                text.pop();
                self.live_filter();
            }
            (Mode::Command(_), Action::Back) => self.mode = Mode::Normal,
            (Mode::Filter(_), Action::Back) => {
                self.alarms.set_filter("");
                self.mode = Mode::Normal;
            }
            (Mode::Filter(_), Action::Submit) => self.mode = Mode::Normal,
            (Mode::Command(text), Action::Submit) => {
                let text = std::mem::take(text);
                self.mode = Mode::Normal;
                return self.run_command(&text);
            }
            (Mode::Command(_) | Mode::Filter(_), _) => {}
            (Mode::Ack(_) | Mode::Silence(_) | Mode::Confirm(_), Action::Back) => {
                self.mode = Mode::Normal;
                self.flash("cancelled: nothing was sent", false);
            }
            (Mode::Ack(prompt), Action::Input(c)) => prompt.note.push(c),
            (Mode::Ack(prompt), Action::Backspace) => {
                prompt.note.pop();
            }
            (Mode::Ack(prompt), Action::Submit) => {
                let prompt = prompt.clone();
                self.mode = Mode::Normal;
                return self.submit_ack(prompt);
            }
            (Mode::Silence(_), action) => return self.silence_dialog(action),
            (Mode::Confirm(form), Action::Input(c)) => form.typed.push(c),
            (Mode::Confirm(form), Action::Backspace) => {
                form.typed.pop();
            }
            (Mode::Confirm(form), Action::Submit) => {
                if let Some(mutation) = form.submit() {
                    self.mode = Mode::Normal;
                    return self.send(mutation);
                }
            }
            (Mode::Ack(_) | Mode::Confirm(_), _) => {}
            (Mode::Normal, action) => return self.normal(action),
        }
        None
    }

    fn silence_dialog(&mut self, action: Action) -> Option<Effect> {
        let Mode::Silence(form) = &mut self.mode else {
            return None;
        };
        match action {
            Action::Input(c) => form.input(c),
            Action::Backspace => form.backspace(),
            Action::NextField => form.next_field(),
            Action::Up => form.choose(-1),
            Action::Down => form.choose(1),
            Action::Submit => {
                let mutation = form.submit()?;
                self.mode = Mode::Normal;
                return self.guarded(mutation);
            }
            _ => {}
        }
        None
    }

    fn live_filter(&mut self) {
        if let Mode::Filter(text) = &self.mode {
            let text = text.clone();
            self.alarms.set_filter(&text);
        }
    }

    fn normal(&mut self, action: Action) -> Option<Effect> {
        let page = self.page_rows.max(1) as isize;
        match action {
            Action::NextTab => {
                self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()];
                return self.close_detail();
            }
            Action::PrevTab => {
                self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()];
                return self.close_detail();
            }
            Action::GoTab(n) => {
                if let Some(tab) = Tab::ALL.get(n.wrapping_sub(1)) {
                    self.tab = *tab;
                    return self.close_detail();
                }
            }
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown => self.move_selection(page),
            Action::Open => return self.open_selected(),
            Action::Ack => self.start_ack(),
            Action::Silence => self.start_silence(),
            Action::Undo => return self.undo(),
            Action::Test => return self.test(),
            Action::CycleSort => {
                self.alarms.cycle_sort();
                self.flash(format!("sorted by {}", self.alarms.sort().label()), false);
            }
            Action::RangeLonger | Action::RangeShorter => {
                let delta = if action == Action::RangeLonger { 1 } else { -1 };
                let view = self.detail_view.as_mut()?;
                if view.step_range(delta) {
                    return Some(Effect::Data(view.load_command()));
                }
            }
            Action::Refresh => {
                self.flash("refreshing…", false);
                return Some(Effect::Data(DataCommand::RefreshNow));
            }
            Action::Help => self.mode = Mode::Help,
            Action::StartCommand => self.mode = Mode::Command(String::new()),
            Action::StartFilter => self.mode = Mode::Filter(self.alarms.filter().to_string()),
            Action::Back => {
                if self.detail_view.is_some() {
                    return self.close_detail();
                }
                if !self.alarms.filter().is_empty() {
                    self.alarms.set_filter("");
                }
            }
            Action::Quit
            | Action::Input(_)
            | Action::Backspace
            | Action::Submit
            | Action::NextField => {}
        }
        None
    }

    fn run_command(&mut self, text: &str) -> Option<Effect> {
        match command::parse(text) {
            Ok(Command::Quit) => Some(Effect::Quit),
            Ok(Command::Env(name)) => Some(Effect::SwitchEnv(name)),
            Ok(Command::Theme(name)) => Some(Effect::SwitchTheme(name)),
            Ok(Command::Refresh) => Some(Effect::Data(DataCommand::RefreshNow)),
            Ok(Command::Tab(n)) => self.normal(Action::GoTab(n)),
            Err(message) => {
                self.flash(message, true);
                None
            }
        }
    }
}
