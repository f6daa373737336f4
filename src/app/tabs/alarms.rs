//! The Alarms tab: the alarm table's order, `/` filter and selection (which
//! follows the selected alarm by name across refreshes), and its keys.
//! The order is worked out once per list or sort change and the filter once
//! per keystroke (narrowing the rows already shown when the filter only
//! grew), never per frame.

use std::sync::Arc;

use jiff::Timestamp;

use crate::app::action::Action;
use crate::app::alarm_list::{AlarmList, narrows};
use crate::app::component::{Component, Context, KeyHelp, Reply, Selection, fixed_keys, movement};
use crate::app::keys;
use crate::data::DataEvent;
use crate::model::Alarm;
use crate::model::alarm::oncall_order;

/// Orders the alarm table can be sorted in (`o` cycles them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// ALARM first, then INSUFFICIENT_DATA, then OK; longest-standing first.
    #[default]
    State,
    /// Alphabetical by name.
    Name,
    /// Longest time in the current state first.
    TimeInState,
}

impl SortKey {
    /// The next order in the cycle.
    pub fn next(self) -> Self {
        match self {
            SortKey::State => SortKey::Name,
            SortKey::Name => SortKey::TimeInState,
            SortKey::TimeInState => SortKey::State,
        }
    }

    /// What the table title calls it.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::State => "state",
            SortKey::Name => "name",
            SortKey::TimeInState => "time in state",
        }
    }

    /// How `a` and `b` compare in this order (the Alarms tab and the
    /// across-env wall sort by it).
    pub fn compare(self, a: &Alarm, b: &Alarm) -> std::cmp::Ordering {
        match self {
            SortKey::State => oncall_order(a, b),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::TimeInState => a
                .in_state_since()
                .cmp(&b.in_state_since())
                .then(a.name.cmp(&b.name)),
        }
    }
}

/// The name of the alarm on each row of `visible` (indices into `list`).
fn name_at<'a>(list: &'a AlarmList, visible: &'a [usize]) -> impl Fn(usize) -> &'a str {
    move |row| list.get(visible[row]).name.as_str()
}

/// The Alarms tab's state.
#[derive(Debug, Default)]
pub struct AlarmsTab {
    list: Arc<AlarmList>,
    /// Every alarm (index into `list`) in sort order.
    order: Vec<usize>,
    /// The alarms passing the filter, in sort order.
    visible: Vec<usize>,
    /// Per alarm of `list`: whether it is in `visible`.
    shown: Vec<bool>,
    filter: String,
    /// `filter` in lower case, as matched.
    needle: String,
    sort: SortKey,
    /// The selected row and the name of its alarm.
    selection: Selection<String>,
}

/// The Alarms tab's keys; the across-env wall, its list over every env,
/// answers to the same.
pub(crate) static KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::OPEN,
    &keys::FILTER,
    &keys::CLEAR_FILTER,
    &keys::SORT,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::INCIDENT,
    &keys::HANDOFF,
];

/// The keys the Alarms tab's footer shows (and the wall's).
pub(crate) static FOOTER: &[&KeyHelp] = &[
    &keys::OPEN,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::FILTER,
    &keys::SORT,
    &keys::HELP,
];

impl AlarmsTab {
    /// The list the rows come from.
    pub fn list(&self) -> &AlarmList {
        &self.list
    }

    /// When the list was fetched; `None` before the first answer.
    pub fn fetched_at(&self) -> Option<Timestamp> {
        self.list.fetched_at()
    }

    /// The active filter text.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// The current sort order.
    pub fn sort(&self) -> SortKey {
        self.sort
    }

    /// Alarms passing the filter, in display order.
    pub fn visible(&self) -> impl Iterator<Item = &Alarm> {
        self.visible.iter().map(|&i| self.list.get(i))
    }

    /// The rows passing the filter (indices into [`AlarmsTab::list`]), in
    /// display order.
    pub fn rows(&self) -> &[usize] {
        &self.visible
    }

    /// Whether the alarm at `index` of the list passes the filter.
    pub fn is_shown(&self, index: usize) -> bool {
        self.shown.get(index).copied().unwrap_or(false)
    }

    /// How many alarms pass the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// How many alarms there are in all.
    pub fn total(&self) -> usize {
        self.list.len()
    }

    /// Index of the selected row among the visible ones.
    pub fn selected_index(&self) -> usize {
        self.selection.row()
    }

    /// The selected alarm, if any.
    pub fn selected(&self) -> Option<&Alarm> {
        self.visible
            .get(self.selection.row())
            .map(|&i| self.list.get(i))
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let len = self.visible.len();
        self.selection
            .move_by(delta, len, name_at(&self.list, &self.visible));
    }

    /// Selects the alarm named `name`, clearing the filter if it hides it
    /// (the across-env wall acts on a row of this env); returns whether the
    /// list has it.
    pub fn select(&mut self, name: &str) -> bool {
        let Some(index) = self.list.index_of(name) else {
            return false;
        };
        if !self.is_shown(index) {
            self.set_filter("");
        }
        self.selection.point_at(name.to_string());
        self.follow()
    }

    /// Switches to the next sort order, keeping the selected alarm selected.
    pub fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        self.resort();
        self.refilter(false);
        self.follow();
    }

    /// Takes a new list, keeping the selected alarm selected.
    fn replace(&mut self, list: &Arc<AlarmList>) {
        self.list = Arc::clone(list);
        self.resort();
        self.refilter(false);
        self.follow();
    }

    /// Puts the selection back on its alarm after the rows changed;
    /// returns whether it is still there.
    fn follow(&mut self) -> bool {
        let len = self.visible.len();
        self.selection
            .follow(len, name_at(&self.list, &self.visible))
    }

    fn resort(&mut self) {
        let list = &self.list;
        let sort = self.sort;
        self.order = (0..list.len()).collect();
        self.order
            .sort_by(|&a, &b| sort.compare(list.get(a), list.get(b)));
    }

    /// Re-applies the filter; `narrowing` means the new filter only adds to
    /// the old one, so only the rows shown now can still match.
    fn refilter(&mut self, narrowing: bool) {
        let list = &self.list;
        let needle = &self.needle;
        let candidates = if narrowing {
            &self.visible
        } else {
            &self.order
        };
        let visible: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| list.matches(i, needle))
            .collect();
        self.shown.clear();
        self.shown.resize(list.len(), false);
        for &i in &visible {
            self.shown[i] = true;
        }
        self.visible = visible;
    }
}

impl Component for AlarmsTab {
    fixed_keys!(KEYMAP, FOOTER);

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.move_by(delta);
            return Reply::Done;
        }
        match action {
            Action::Open => {
                return match self.selected() {
                    Some(alarm) => Reply::OpenDetail(alarm.name.clone()),
                    None => Reply::Done,
                };
            }
            Action::CycleSort => {
                self.cycle_sort();
                return Reply::Flash(format!("sorted by {}", self.sort.label()));
            }
            Action::Back if !self.filter.is_empty() => self.set_filter(""),
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn apply(&mut self, event: &DataEvent, ctx: &Context<'_>) {
        if let DataEvent::Alarms { .. } | DataEvent::FiringFirst { .. } = event {
            self.replace(ctx.alarms);
        }
    }

    fn target_alarm(&self) -> Option<&str> {
        self.selected().map(|a| a.name.as_str())
    }

    fn filter(&self) -> Option<&str> {
        Some(&self.filter)
    }

    /// Sets the filter text (case-insensitive substring of name, state,
    /// metric or reason); the selected alarm stays selected if it passes,
    /// else the first row is.
    fn set_filter(&mut self, text: &str) {
        let needle = text.to_lowercase();
        let narrowing = narrows(&self.needle, &needle);
        self.filter = text.to_string();
        self.needle = needle;
        self.refilter(narrowing);
        let len = self.visible.len();
        self.selection
            .follow_or_first(len, name_at(&self.list, &self.visible));
    }
}
