//! The Logs tab: a log-group browser, then the live tail of the groups
//! picked. Sub-views are a [`LogsView`]; Logs Insights plugs in as another
//! variant beside them. Lines arrive as data events (the tab never awaits
//! anything); the tab asks the data layer for groups and tails through
//! [`LogsCommand`]s.

pub mod browser;
pub mod tail;

use std::time::Duration;

use crossterm::event::KeyCode;
use jiff::Timestamp;

use crate::app::action::{Action, Effect};
use crate::app::component::{
    Component, Context, Key, KeyHelp, Reply, Submitted, key_help, letter_keys, movement, tab_keys,
};
use crate::app::insights_view::InsightsView;
use crate::app::keys;
use crate::data::DataCommand;
use crate::data::DataEvent;
use crate::data::logs_job::{LogsCommand, LogsEvent};
use crate::model::time_bound::TimeBound;
use browser::{Browser, GroupList};
use tail::TailView;

use Key::Plain;
use KeyCode::Char;

/// How far back a new tail starts.
pub const TAIL_SINCE: Duration = Duration::from_secs(5 * 60);

/// Which part of the tab is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogsView {
    /// The log-group browser.
    #[default]
    Groups,
    /// The tail of the picked groups.
    Tail,
    /// The Logs Insights query view.
    Insights,
}

tab_keys! {
    /// A key of the Logs tab besides the shared movement keys.
    pub enum LogsKey {
        /// Pick or unpick the group under the cursor (Space).
        Pick,
        /// Follow new lines (`f`).
        Follow,
        /// Pause at the newest line (`p`).
        Pause,
        /// Wrap long lines (`w`).
        Wrap,
        /// Timestamps on or off (`T`).
        Timestamps,
        /// Pretty JSON of the selected line (`J`).
        PrettyJson,
        /// Save the lines shown to a file (`S`).
        Save,
        /// Type a filter pattern for the tail (`F`).
        Pattern,
        /// Jump to a time (`@`).
        Jump,
        /// Open the Logs Insights query view (`i`).
        Insights,
        /// Next search hit (`n`).
        NextHit,
        /// Previous search hit (`N`).
        PrevHit,
    }
}

impl Action {
    /// The Logs tab's key `key` (its key tables and callers write the
    /// action this way; it is an [`Action::Tab`]).
    #[allow(non_snake_case)]
    pub const fn Logs(key: LogsKey) -> Action {
        key.action()
    }
}

/// What the open input line is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Prompt {
    /// `/`: the group filter, or the tail's regex search.
    #[default]
    Search,
    /// `F`: the tail's filter pattern.
    Pattern,
    /// `@`: a time to jump to.
    Jump,
    /// `S`: a file to save to.
    Save,
}

static PICK: KeyHelp = key_help! {
    "Space", "pick", "pick or unpick a group (up to 10)",
    [Plain(Char(' ')) => Action::Logs(LogsKey::Pick)]
};

static TAIL: KeyHelp = key_help! {
    "Enter", "tail", "tail the picked groups (or the one under the cursor)",
    keys::ENTER_OPEN
};

static GROUP_FILTER: KeyHelp = key_help! {
    "/", "filter", "filter groups by name",
    keys::SLASH_FILTER
};

static FOLLOW: KeyHelp = key_help! {
    "f / p" ("f/p"), "follow", "follow new lines / pause",
    [
        Plain(Char('f')) => Action::Logs(LogsKey::Follow),
        Plain(Char('p')) => Action::Logs(LogsKey::Pause),
    ]
};

static SEARCH: KeyHelp = key_help! {
    "/ then n/N" ("/"), "search", "regex search with highlight; next / previous hit",
    [
        Plain(Char('/')) => Action::StartFilter,
        Plain(Char('n')) => Action::Logs(LogsKey::NextHit),
        Plain(Char('N')) => Action::Logs(LogsKey::PrevHit),
    ]
};

// The tab's one-letter keys, each meaning one `LogsKey`.
letter_keys! {
    WRAP: "w", "wrap", "wrap long lines" => Action::Logs(LogsKey::Wrap);
    TIMESTAMPS: "T", "time", "timestamps on / off" => Action::Logs(LogsKey::Timestamps);
    PRETTY: "J", "json", "pretty JSON of the selected line"
        => Action::Logs(LogsKey::PrettyJson);
    SAVE: "S", "save", "save the lines shown to a file" => Action::Logs(LogsKey::Save);
    PATTERN: "F", "pattern", "filter the tail with a CloudWatch filter pattern"
        => Action::Logs(LogsKey::Pattern);
    JUMP: "@", "jump", "jump to a time (HH:MM[:SS] in the shown zone, RFC 3339, or 5m ago)"
        => Action::Logs(LogsKey::Jump);
    INSIGHTS: "i", "insights",
        "Logs Insights: query editor, saved queries, results (Esc comes back)"
        => Action::Logs(LogsKey::Insights);
}

static GROUPS_BACK: KeyHelp = key_help! {
    "Esc", "groups", "back to the group browser (the tail stops)",
    keys::ESC_BACK
};

static BROWSER_KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &PICK,
    &TAIL,
    &GROUP_FILTER,
    &INSIGHTS,
    &keys::CLEAR_FILTER,
];
static BROWSER_FOOTER: &[&KeyHelp] = &[
    &keys::MOVE,
    &PICK,
    &TAIL,
    &GROUP_FILTER,
    &INSIGHTS,
    &keys::TABS,
    &keys::HELP,
    &keys::QUIT,
];
static TAIL_KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &FOLLOW,
    &SEARCH,
    &PATTERN,
    &WRAP,
    &TIMESTAMPS,
    &PRETTY,
    &JUMP,
    &SAVE,
    &GROUPS_BACK,
];
static TAIL_FOOTER: &[&KeyHelp] = &[
    &FOLLOW,
    &SEARCH,
    &PATTERN,
    &WRAP,
    &TIMESTAMPS,
    &PRETTY,
    &JUMP,
    &SAVE,
    &GROUPS_BACK,
    &keys::HELP,
];

/// The Logs tab's state.
#[derive(Debug, Default)]
pub struct LogsTab {
    /// Which sub-view is shown.
    pub view: LogsView,
    /// The group browser.
    pub browser: Browser,
    /// The tail.
    pub tail: TailView,
    /// The Logs Insights query view.
    pub insights: InsightsView,
    /// Number of the current tail (events of older ones are ignored).
    tail_id: u64,
    prompt: Prompt,
    prompt_text: String,
}

impl LogsTab {
    /// The tab of `env`: its scrollback size and saved queries.
    pub fn for_env(env: &crate::config::ResolvedEnv) -> Self {
        Self {
            tail: TailView::new(env.log_buffer_lines, env.log_buffer_bytes),
            insights: InsightsView::new(env.saved_queries()),
            ..Self::default()
        }
    }

    fn list_groups(&mut self) -> Reply {
        if !matches!(self.browser.list, GroupList::Loaded(_)) {
            self.browser.list = GroupList::Loading;
        }
        Reply::Effect(Effect::Data(DataCommand::tab(LogsCommand::ListGroups)))
    }

    fn start_tail(&mut self) -> Reply {
        let groups = self.browser.to_tail();
        if groups.is_empty() {
            return Reply::Flash("no log group to tail".into());
        }
        Reply::Effect(self.tail_groups(groups))
    }

    /// Starts a new tail of `groups` and shows it.
    fn tail_groups(&mut self, groups: Vec<String>) -> Effect {
        self.tail_id += 1;
        self.tail.restart(groups.clone());
        self.view = LogsView::Tail;
        Effect::Data(DataCommand::tab(LogsCommand::StartTail {
            tail: self.tail_id,
            groups,
            since: TAIL_SINCE,
        }))
    }

    /// Tails `group` (a jump from another view, or `:logs`), with the
    /// lines around `at` read and shown paused at it, as `@` does.
    pub fn open_group(&mut self, group: String, at: Option<Timestamp>) -> Vec<Effect> {
        let mut effects = vec![self.tail_groups(vec![group.clone()])];
        if let Some(at) = at {
            self.tail.loading = Some(at);
            effects.push(Effect::Data(DataCommand::tab(LogsCommand::LoadAround {
                tail: self.tail_id,
                groups: vec![group],
                at,
            })));
        }
        effects
    }

    fn open_prompt(&mut self, prompt: Prompt) -> Reply {
        self.prompt = prompt;
        self.prompt_text = match prompt {
            Prompt::Search => self.search_text().to_string(),
            Prompt::Pattern => self.tail.pattern_text().to_string(),
            Prompt::Jump => String::new(),
            Prompt::Save => format!(
                "monitui-logs-{}.log",
                Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
            ),
        };
        Reply::Prompt
    }

    fn search_text(&self) -> &str {
        match self.view {
            LogsView::Groups | LogsView::Insights => self.browser.filter(),
            LogsView::Tail => self.tail.search_text(),
        }
    }

    fn browser_update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.browser.move_by(delta);
            return Reply::Done;
        }
        match (action, LogsKey::of(action)) {
            (_, Some(LogsKey::Pick)) => match self.browser.toggle() {
                Ok(()) => Reply::Done,
                Err(e) => Reply::Flash(e),
            },
            (Action::Open, _) => self.start_tail(),
            (_, Some(LogsKey::Insights)) => {
                self.view = LogsView::Insights;
                Reply::Done
            }
            (Action::StartFilter, _) => self.open_prompt(Prompt::Search),
            (Action::Back, _) if !self.browser.filter().is_empty() => {
                self.browser.set_filter("");
                Reply::Done
            }
            (Action::Refresh, _) => self.list_groups(),
            _ => Reply::Ignored,
        }
    }

    fn tail_update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.tail.move_by(delta, ctx.page_rows);
            return Reply::Done;
        }
        let Some(key) = LogsKey::of(action) else {
            return match action {
                Action::StartFilter => self.open_prompt(Prompt::Search),
                Action::Back => {
                    self.view = LogsView::Groups;
                    Reply::Effect(Effect::Data(DataCommand::tab(LogsCommand::StopTail)))
                }
                _ => Reply::Ignored,
            };
        };
        match key {
            LogsKey::Follow => self.tail.follow(),
            LogsKey::Pause => self.tail.pause(),
            LogsKey::Wrap => self.tail.wrap = !self.tail.wrap,
            LogsKey::Timestamps => self.tail.timestamps = !self.tail.timestamps,
            LogsKey::PrettyJson => self.tail.pretty = !self.tail.pretty,
            LogsKey::Save => return self.open_prompt(Prompt::Save),
            LogsKey::Pattern => return self.open_prompt(Prompt::Pattern),
            LogsKey::Jump => return self.open_prompt(Prompt::Jump),
            LogsKey::NextHit | LogsKey::PrevHit => {
                if self.tail.search().is_none() {
                    return Reply::Flash("no search yet: press / to type one".into());
                }
                if !self.tail.find(key == LogsKey::NextHit) {
                    return Reply::Flash("no line matches the search".into());
                }
            }
            LogsKey::Pick | LogsKey::Insights => return Reply::Ignored,
        }
        Reply::Done
    }

    /// `@`: jumps to a time the lines shown reach, else asks for the
    /// lines around it.
    fn submit_jump(&mut self) -> Submitted {
        let parsed = TimeBound::parse(&self.prompt_text)
            .and_then(|b| b.resolve(Timestamp::now()).map_err(|e| e.to_string()));
        let at = match parsed {
            Ok(at) => at,
            Err(e) => return Submitted::flash(Some(Err(e))),
        };
        if self.tail.covers(at) && self.tail.jump_to(at) {
            return Submitted::flash(Some(Ok(format!("jumped to {at:.0}"))));
        }
        self.tail.loading = Some(at);
        Submitted {
            flash: Some(Ok(format!("reading the lines around {at:.0}…"))),
            effect: Some(Effect::Data(DataCommand::tab(LogsCommand::LoadAround {
                tail: self.tail_id,
                groups: self.tail.groups.clone(),
                at,
            }))),
        }
    }

    fn submit_save(&self) -> Result<String, String> {
        let path = std::path::Path::new(self.prompt_text.trim());
        if path.as_os_str().is_empty() {
            return Err("no file name given; nothing was saved".into());
        }
        self.tail
            .save(path)
            .map(|n| format!("saved {n} lines to {}", path.display()))
            .map_err(|e| format!("saving to {}: {e}", path.display()))
    }
}

impl Component for LogsTab {
    fn copy_text(&self) -> Option<String> {
        if self.view != LogsView::Tail {
            return None;
        }
        let line = self.tail.buffer().get(self.tail.selected()?)?;
        Some(line.text().to_string())
    }

    fn keymap(&self) -> &'static [&'static KeyHelp] {
        match self.view {
            LogsView::Groups => BROWSER_KEYMAP,
            LogsView::Tail => TAIL_KEYMAP,
            LogsView::Insights => self.insights.keymap(),
        }
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        match self.view {
            LogsView::Groups => BROWSER_FOOTER,
            LogsView::Tail => TAIL_FOOTER,
            LogsView::Insights => self.insights.footer(),
        }
    }

    fn nested(&self) -> bool {
        self.view != LogsView::Groups
    }

    fn captures_typing(&self) -> bool {
        self.view == LogsView::Insights && self.insights.captures_typing()
    }

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        match self.view {
            LogsView::Groups => self.browser_update(action, ctx),
            LogsView::Tail => self.tail_update(action, ctx),
            LogsView::Insights => match self.insights.update(action, ctx) {
                Reply::Ignored if *action == Action::Back => {
                    self.view = LogsView::Groups;
                    Reply::Done
                }
                reply => reply,
            },
        }
    }

    fn apply(&mut self, event: &DataEvent, ctx: &Context<'_>) {
        self.insights.apply(event, ctx);
        let Some(event) = event.for_tab::<LogsEvent>() else {
            return;
        };
        match event {
            LogsEvent::Groups(groups) => self.browser.set_groups(groups.clone()),
            LogsEvent::Lines {
                tail,
                events,
                sampled,
                behind,
            } if *tail == self.tail_id => {
                self.tail.push(events);
                self.tail.sampled += u64::from(*sampled);
                self.tail.behind = *behind;
            }
            LogsEvent::Mode { tail, mode } if *tail == self.tail_id => self.tail.mode = *mode,
            LogsEvent::History {
                tail,
                at,
                range,
                events,
                truncated,
            } if *tail == self.tail_id => match events {
                Ok(events) => {
                    self.tail.show_history(*at, *range, events, *truncated);
                }
                Err(e) => {
                    self.tail.loading = None;
                    self.tail.problem = Some(crate::sanitize::sanitize_line(&format!(
                        "reading the lines around {at:.0}: {e}"
                    )));
                }
            },
            LogsEvent::TailProblem { tail, error } if *tail == self.tail_id => {
                self.tail.problem = error.as_deref().map(crate::sanitize::sanitize_line);
            }
            LogsEvent::Lines { .. }
            | LogsEvent::TailProblem { .. }
            | LogsEvent::Mode { .. }
            | LogsEvent::History { .. } => {}
        }
    }

    fn filter(&self) -> Option<&str> {
        Some(&self.prompt_text)
    }

    fn set_filter(&mut self, text: &str) {
        self.prompt_text = text.to_string();
        match (self.prompt, self.view) {
            (Prompt::Search, LogsView::Groups | LogsView::Insights) => {
                self.browser.set_filter(text)
            }
            (Prompt::Search, LogsView::Tail) => self.tail.set_search(text),
            (Prompt::Pattern, _) => self.tail.set_pattern(text),
            (Prompt::Jump | Prompt::Save, _) => {}
        }
    }

    fn filter_label(&self) -> &'static str {
        match self.prompt {
            Prompt::Search => "/",
            Prompt::Pattern => "filter pattern: ",
            Prompt::Jump => "jump to: ",
            Prompt::Save => "save to: ",
        }
    }

    fn filter_submitted(&mut self) -> Submitted {
        let prompt = std::mem::take(&mut self.prompt);
        match prompt {
            Prompt::Search if self.view == LogsView::Tail && self.tail.search().is_some() => {
                Submitted::flash(
                    (!self.tail.find(true)).then(|| Err("no line matches the search".into())),
                )
            }
            Prompt::Jump => self.submit_jump(),
            Prompt::Save => Submitted::flash(Some(self.submit_save())),
            Prompt::Search | Prompt::Pattern => Submitted::default(),
        }
    }

    fn shown(&mut self) -> Option<Effect> {
        match self.browser.list {
            GroupList::NotAsked | GroupList::Failed(_) => match self.list_groups() {
                Reply::Effect(effect) => Some(effect),
                _ => None,
            },
            GroupList::Loading | GroupList::Loaded(_) => None,
        }
    }
}
