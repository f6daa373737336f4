//! The whole UI state and the `update` function that applies actions and
//! data events to it.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use super::action::{Action, Effect};
use super::alarms_view::AlarmsView;
use super::command::{self, Command};
use crate::config::{ResolvedEnv, Theme};
use crate::data::{AlarmDetail, Annotation, DataEvent, LinkState};
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
    /// Data of the open detail view.
    pub detail: Option<AlarmDetail>,
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
            detail: None,
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

    /// Applies a data event.
    pub fn apply(&mut self, event: DataEvent) {
        match event {
            DataEvent::Identity(identity) => self.identity = Some(identity),
            DataEvent::Alarms { alarms, fetched_at } => self.alarms.replace(alarms, fetched_at),
            DataEvent::Link(link) => self.link = link,
            DataEvent::Annotations(annotations) => self.annotations = annotations,
            DataEvent::Overview(series) => self.overview = series,
            DataEvent::Detail(detail) => self.detail = Some(*detail),
            DataEvent::MutationDone { result, .. } => match result {
                Ok(message) => self.flash(message, false),
                Err(message) => self.flash(message, true),
            },
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
            (Mode::Normal, action) => return self.normal(action),
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
            Action::NextTab => self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()],
            Action::PrevTab => {
                self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
            }
            Action::GoTab(n) => {
                if let Some(tab) = Tab::ALL.get(n.wrapping_sub(1)) {
                    self.tab = *tab;
                }
            }
            Action::Up => self.alarms.move_by(-1),
            Action::Down => self.alarms.move_by(1),
            Action::Top => self.alarms.move_by(isize::MIN / 2),
            Action::Bottom => self.alarms.move_by(isize::MAX / 2),
            Action::PageUp => self.alarms.move_by(-page),
            Action::PageDown => self.alarms.move_by(page),
            Action::Refresh => {
                self.flash("refreshing…", false);
                return Some(Effect::Refresh);
            }
            Action::Help => self.mode = Mode::Help,
            Action::StartCommand => self.mode = Mode::Command(String::new()),
            Action::StartFilter => self.mode = Mode::Filter(self.alarms.filter().to_string()),
            Action::Back => {
                if !self.alarms.filter().is_empty() {
                    self.alarms.set_filter("");
                }
            }
            Action::Quit | Action::Input(_) | Action::Backspace | Action::Submit => {}
        }
        None
    }

    fn run_command(&mut self, text: &str) -> Option<Effect> {
        match command::parse(text) {
            Ok(Command::Quit) => Some(Effect::Quit),
            Ok(Command::Env(name)) => Some(Effect::SwitchEnv(name)),
            Ok(Command::Theme(name)) => Some(Effect::SwitchTheme(name)),
            Ok(Command::Refresh) => Some(Effect::Refresh),
            Ok(Command::Tab(n)) => {
                self.tab = Tab::ALL[n - 1];
                None
            }
            Err(message) => {
                self.flash(message, true);
                None
            }
        }
    }
}
