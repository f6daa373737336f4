//! The Logs Insights query view, a component a tab can host: a query
//! editor (several lines) and a groups line, the saved queries to pick
//! from, the time range, and the results of the last run as a table, or as
//! bars when the query ends in `stats ... by bin()`. Runs go to the data
//! layer's insights job; its answers come back as its own `InsightsUpdate` tab events.
//!
//! Hosting it: keep an `InsightsView::new(env.saved_queries())` and, while
//! it is shown, hand it the tab's `keymap`, `footer`, `captures_typing`,
//! `update` and `apply` (every event, shown or not); it answers `Esc` in
//! the results with `Reply::Ignored`, so the host can take that to leave
//! it. Its drawing is `ui::insights_view` (a `Drawable`).

use std::time::Duration;

use crossterm::event::KeyCode;

use super::action::{Action, Effect};
use super::component::{
    Component, Context, Key, KeyHelp, Reply, Selection, key_help, moved, movement, tab_keys,
};
use super::keys;
use super::query_editor::QueryEditor;
use crate::data::insights::{InsightsAsk, InsightsUpdate, RunState};
use crate::data::jobs::insights::InsightsCommand;
use crate::data::{DataCommand, DataEvent};
use crate::insights::InsightsQuery;
use crate::model::insights::{QueryResults, SavedQuery};

use Key::{Ctrl, Plain};
use KeyCode::Char;

/// The time ranges `[` and `]` step through, and their names.
pub const RANGES: [(Duration, &str); 7] = [
    (Duration::from_secs(15 * 60), "15m"),
    (Duration::from_secs(3600), "1h"),
    (Duration::from_secs(3 * 3600), "3h"),
    (Duration::from_secs(12 * 3600), "12h"),
    (Duration::from_secs(86_400), "1d"),
    (Duration::from_secs(3 * 86_400), "3d"),
    (Duration::from_secs(7 * 86_400), "1w"),
];

tab_keys! {
    /// A key of the query view besides movement and typing.
    pub enum InsightsKey {
        /// Run the query being edited (Ctrl-r).
        Run,
        /// Stop the running query (`x`).
        Cancel,
        /// Edit the query (`e`).
        Edit,
        /// Open the saved queries (`o`).
        Saved,
        /// Results as the bar chart or the table (`v`).
        Chart,
    }
}

impl Action {
    /// The query view's key `key` (its key tables and callers write the
    /// action this way; it is an [`Action::Tab`]).
    #[allow(non_snake_case)]
    pub const fn Insights(key: InsightsKey) -> Action {
        key.action()
    }
}

/// Which part of the view has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Typing the query.
    Query,
    /// Typing the groups.
    Groups,
    /// Looking at the results.
    Results,
    /// Choosing a saved query.
    Picker,
}

/// The last run as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum RunView {
    /// Nothing run yet.
    Idle,
    /// Running: the latest answer, if one came.
    Running(Option<QueryResults>),
    /// Finished (Complete, Failed, Cancelled or Timeout).
    Finished(QueryResults),
    /// It could not run: why.
    Failed(String),
}

/// The query view's state.
#[derive(Debug)]
pub struct InsightsView {
    saved: Vec<SavedQuery>,
    /// The query being edited.
    pub query: QueryEditor,
    /// The groups line: names or `prefix*`, separated by commas or spaces.
    pub groups: QueryEditor,
    /// What has the keyboard.
    pub focus: Focus,
    /// Selected entry of the saved-query picker.
    pub picked: usize,
    /// Index into [`RANGES`].
    pub range: usize,
    /// Number of the latest run (answers of older runs are ignored).
    run: u64,
    /// The latest run.
    pub state: RunView,
    /// Columns to chart (bin, value) when the run's query ends in `stats ... by bin()`.
    pub chart: Option<(String, String)>,
    /// Show the chart rather than the table when there is one.
    pub show_chart: bool,
    /// Selected result row and its cells.
    selection: Selection<Vec<String>>,
}

/// The results of the run, so far or final.
fn results_of(state: &RunView) -> Option<&QueryResults> {
    match state {
        RunView::Running(r) => r.as_ref(),
        RunView::Finished(r) => Some(r),
        RunView::Idle | RunView::Failed(_) => None,
    }
}

/// The result rows of the run (none before an answer).
fn result_rows(state: &RunView) -> &[Vec<String>] {
    results_of(state).map_or(&[], |r| r.table.rows.as_slice())
}

/// Each result row's cells: its identity from one answer to the next.
fn row_at<'a>(rows: &'a [Vec<String>]) -> impl Fn(usize) -> &'a [String] {
    move |row| rows[row].as_slice()
}

impl Default for InsightsView {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl InsightsView {
    /// A view offering `saved` (the first one loaded), editing the query.
    pub fn new(saved: Vec<SavedQuery>) -> Self {
        let (query, groups) = saved
            .first()
            .map_or_else(Default::default, |q| (q.query.clone(), q.groups.join(", ")));
        Self {
            saved,
            query: QueryEditor::new(&query),
            groups: QueryEditor::new(&groups),
            focus: Focus::Results,
            picked: 0,
            range: 1,
            run: 0,
            state: RunView::Idle,
            chart: None,
            show_chart: true,
            selection: Selection::default(),
        }
    }

    /// The selected result row.
    pub fn selected(&self) -> usize {
        self.selection.row()
    }

    /// The saved queries offered.
    pub fn saved(&self) -> &[SavedQuery] {
        &self.saved
    }

    /// The group names and patterns on the groups line.
    pub fn group_list(&self) -> Vec<String> {
        self.groups
            .text()
            .split([',', ' '])
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The range's name, e.g. `1h`.
    pub fn range_name(&self) -> &'static str {
        RANGES[self.range].1
    }

    /// The rows of the latest answer, if any.
    pub fn results(&self) -> Option<&QueryResults> {
        results_of(&self.state)
    }

    /// Whether a run is going.
    pub fn is_running(&self) -> bool {
        matches!(self.state, RunView::Running(_))
    }

    fn run_query(&mut self) -> Reply {
        let groups = self.group_list();
        if groups.is_empty() {
            self.focus = Focus::Groups;
            return Reply::Flash(
                "name the log groups first (prefix* for every group starting with it)".into(),
            );
        }
        let query = self.query.text();
        self.chart = InsightsQuery::parse(&query)
            .ok()
            .and_then(|q| q.chart_columns());
        self.run += 1;
        self.state = RunView::Running(None);
        self.focus = Focus::Results;
        self.selection = Selection::default();
        Reply::Effect(Effect::Data(DataCommand::tab(InsightsCommand::Run {
            run: self.run,
            ask: InsightsAsk {
                groups,
                query,
                since: RANGES[self.range].0,
            },
        })))
    }

    fn edit(&mut self, action: &Action) -> Reply {
        let editor = match self.focus {
            Focus::Groups => &mut self.groups,
            _ => &mut self.query,
        };
        match action {
            Action::Input('\n') if self.focus == Focus::Groups => self.focus = Focus::Query,
            Action::Input(c) => editor.insert(*c),
            Action::Backspace => editor.backspace(),
            Action::Left => editor.step(false),
            Action::Right => editor.step(true),
            Action::Up => editor.line(false),
            Action::Down => editor.line(true),
            Action::Top => editor.line_end(false),
            Action::Bottom => editor.line_end(true),
            Action::NextField => {
                self.focus = match self.focus {
                    Focus::Query => Focus::Groups,
                    _ => Focus::Query,
                }
            }
            Action::Back => self.focus = Focus::Results,
            _ if InsightsKey::of(action) == Some(InsightsKey::Run) => return self.run_query(),
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn browse(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            let rows = result_rows(&self.state);
            self.selection.move_by(delta, rows.len(), row_at(rows));
            return Reply::Done;
        }
        match (action, InsightsKey::of(action)) {
            (_, Some(InsightsKey::Edit)) => self.focus = Focus::Query,
            (_, Some(InsightsKey::Run)) => return self.run_query(),
            (_, Some(InsightsKey::Cancel)) if self.is_running() => {
                return Reply::Effect(Effect::Data(DataCommand::tab(InsightsCommand::Cancel)));
            }
            (_, Some(InsightsKey::Cancel)) => {
                return Reply::Flash("no query is running".into());
            }
            (_, Some(InsightsKey::Saved)) => self.focus = Focus::Picker,
            (_, Some(InsightsKey::Chart)) => self.show_chart = !self.show_chart,
            (Action::RangeLonger, _) => self.range = (self.range + 1).min(RANGES.len() - 1),
            (Action::RangeShorter, _) => self.range = self.range.saturating_sub(1),
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn pick(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.picked = moved(self.picked, delta, self.saved.len());
            return Reply::Done;
        }
        match action {
            Action::Open => {
                if let Some(q) = self.saved.get(self.picked) {
                    self.query = QueryEditor::new(&q.query);
                    if !q.groups.is_empty() {
                        self.groups = QueryEditor::new(&q.groups.join(", "));
                    }
                }
                self.focus = Focus::Query;
            }
            Action::Back => self.focus = Focus::Results,
            _ => return Reply::Ignored,
        }
        Reply::Done
    }
}

/// Ctrl-r: run the query.
pub static RUN: KeyHelp = key_help! {
    "Ctrl-r" ("^r"), "run", "run the query",
    [Ctrl('r') => Action::Insights(InsightsKey::Run)]
};

/// Tab in the editor: between the query and the groups.
pub static SWITCH_FIELD: KeyHelp = key_help! {
    "Tab", "groups", "switch between the query and the log groups",
    [Plain(KeyCode::Tab) => Action::NextField, Plain(KeyCode::BackTab) => Action::NextField]
};

/// Typing keys of the editor.
pub static EDITING: KeyHelp = key_help! {
    "Enter, arrows, Home/End, Backspace" ("arrows"), "move",
    "new line, move the cursor, line start / end, delete",
    [
        Plain(KeyCode::Enter) => Action::Input('\n'),
        Plain(KeyCode::Backspace) => Action::Backspace,
        Plain(KeyCode::Left) => Action::Left,
        Plain(KeyCode::Right) => Action::Right,
        Plain(KeyCode::Up) => Action::Up,
        Plain(KeyCode::Down) => Action::Down,
        Plain(KeyCode::Home) => Action::Top,
        Plain(KeyCode::End) => Action::Bottom,
    ]
};

/// Esc in the editor: to the results.
pub static DONE_EDITING: KeyHelp = key_help! {
    "Esc", "results", "stop editing (to the results)",
    keys::ESC_BACK
};

/// `e`: edit the query.
pub static EDIT: KeyHelp = key_help! {
    "e, i" ("e"), "edit", "edit the query and the log groups",
    [
        Plain(Char('e')) => Action::Insights(InsightsKey::Edit),
        Plain(Char('i')) => Action::Insights(InsightsKey::Edit),
    ]
};

/// `x`: stop the running query.
pub static CANCEL_QUERY: KeyHelp = key_help! {
    "x", "stop", "stop the running query (StopQuery)",
    [Plain(Char('x')) => Action::Insights(InsightsKey::Cancel)]
};

/// `o`: saved queries.
pub static SAVED: KeyHelp = key_help! {
    "o", "saved", "open a saved query",
    [Plain(Char('o')) => Action::Insights(InsightsKey::Saved)]
};

/// `v`: table or chart.
pub static CHART: KeyHelp = key_help! {
    "v", "chart", "stats by bin(): bar chart or table",
    [Plain(Char('v')) => Action::Insights(InsightsKey::Chart)]
};

/// `[` `]`: the query's time range.
pub static QUERY_RANGE: KeyHelp = key_help! {
    "[ ]", "range", "shorter / longer time range (15m to 1w)",
    [Plain(Char('[')) => Action::RangeShorter, Plain(Char(']')) => Action::RangeLonger]
};

/// Enter in the picker.
pub static LOAD: KeyHelp = key_help! {
    "Enter", "load", "load the saved query into the editor",
    keys::ENTER_OPEN
};

/// Esc on the results: out of Logs Insights (the Logs tab takes it back to
/// its group browser).
static LEAVE: KeyHelp = key_help! {
    "Esc", "groups", "back to the group browser (the results are kept)",
    keys::ESC_BACK
};

/// Esc in the saved-query picker.
static PICKER_BACK: KeyHelp = key_help! {
    "Esc", "results", "back to the results (nothing is loaded)",
    keys::ESC_BACK
};

static EDIT_KEYS: &[&KeyHelp] = &[&RUN, &SWITCH_FIELD, &EDITING, &DONE_EDITING];
static RESULT_KEYS: &[&KeyHelp] = &[
    &RUN,
    &EDIT,
    &SAVED,
    &CANCEL_QUERY,
    &CHART,
    &QUERY_RANGE,
    &keys::MOVE,
    &keys::PAGE,
    &keys::ENDS,
    &LEAVE,
];
static RESULT_FOOTER: &[&KeyHelp] = &[
    &RUN,
    &EDIT,
    &SAVED,
    &CANCEL_QUERY,
    &CHART,
    &QUERY_RANGE,
    &LEAVE,
    &keys::QUIT,
];
static PICKER_KEYS: &[&KeyHelp] = &[&LOAD, &keys::MOVE, &PICKER_BACK];

impl Component for InsightsView {
    fn keymap(&self) -> &'static [&'static KeyHelp] {
        match self.focus {
            Focus::Query | Focus::Groups => EDIT_KEYS,
            Focus::Results => RESULT_KEYS,
            Focus::Picker => PICKER_KEYS,
        }
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        match self.focus {
            Focus::Results => RESULT_FOOTER,
            _ => self.keymap(),
        }
    }

    fn captures_typing(&self) -> bool {
        matches!(self.focus, Focus::Query | Focus::Groups)
    }

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        match self.focus {
            Focus::Query | Focus::Groups => self.edit(action),
            Focus::Results => self.browse(action, ctx),
            Focus::Picker => self.pick(action, ctx),
        }
    }

    fn apply(&mut self, event: &DataEvent, _ctx: &Context<'_>) {
        let Some(update) = event.for_tab::<InsightsUpdate>() else {
            return;
        };
        if update.run != self.run {
            return;
        }
        self.state = match &update.state {
            RunState::Answer(r) if r.status.is_finished() => RunView::Finished(r.clone()),
            RunState::Answer(r) => RunView::Running(Some(r.clone())),
            RunState::Failed(message) => RunView::Failed(message.clone()),
        };
        let rows = result_rows(&self.state);
        self.selection.follow(rows.len(), row_at(rows));
    }
}

#[cfg(test)]
mod tests;
