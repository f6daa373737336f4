//! The alarm list as the Alarms tab shows it: the latest fetch, the `/`
//! filter, the sort order, and the selection, which follows the selected
//! alarm by name across refreshes.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use crate::data::Annotation;
use crate::model::{Alarm, AlarmState};

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

    fn compare(self, a: &Alarm, b: &Alarm) -> std::cmp::Ordering {
        match self {
            SortKey::State => a
                .state
                .cmp(&b.state)
                .then(a.updated_at.cmp(&b.updated_at))
                .then(a.name.cmp(&b.name)),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::TimeInState => a.updated_at.cmp(&b.updated_at).then(a.name.cmp(&b.name)),
        }
    }
}

/// Alarm list state.
#[derive(Debug, Clone, Default)]
pub struct AlarmsView {
    all: Arc<Vec<Alarm>>,
    visible: Vec<usize>,
    filter: String,
    sort: SortKey,
    selected: usize,
    /// When the list was fetched; `None` before the first answer.
    pub fetched_at: Option<Timestamp>,
}

impl AlarmsView {
    /// Replaces the list with a fresh fetch, keeping the selected alarm selected.
    pub fn replace(&mut self, alarms: Arc<Vec<Alarm>>, fetched_at: Timestamp) {
        let selected_name = self.selected().map(|a| a.name.clone());
        self.all = alarms;
        self.fetched_at = Some(fetched_at);
        self.refilter();
        self.select_name(selected_name.as_deref());
    }

    /// Sets the filter text (case-insensitive substring of name, state,
    /// metric or reason).
    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.refilter();
        self.selected = 0;
    }

    /// The active filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The current sort order.
    pub fn sort(&self) -> SortKey {
        self.sort
    }

    /// Switches to the next sort order, keeping the selected alarm selected.
    pub fn cycle_sort(&mut self) {
        let selected_name = self.selected().map(|a| a.name.clone());
        self.sort = self.sort.next();
        self.refilter();
        self.select_name(selected_name.as_deref());
    }

    fn select_name(&mut self, name: Option<&str>) {
        if let Some(name) = name
            && let Some(pos) = self.visible.iter().position(|&i| self.all[i].name == name)
        {
            self.selected = pos;
        }
        self.clamp();
    }

    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        let all = &self.all;
        let mut visible: Vec<usize> = all
            .iter()
            .enumerate()
            .filter(|(_, a)| needle.is_empty() || matches(a, &needle))
            .map(|(i, _)| i)
            .collect();
        visible.sort_by(|&a, &b| self.sort.compare(&all[a], &all[b]));
        self.visible = visible;
    }

    /// Any alarm by name, filtered out or not.
    pub fn find(&self, name: &str) -> Option<&Alarm> {
        self.all.iter().find(|a| a.name == name)
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// Alarms passing the filter, in display order.
    pub fn visible(&self) -> impl Iterator<Item = &Alarm> {
        self.visible.iter().map(|&i| &self.all[i])
    }

    /// How many alarms pass the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// How many alarms there are in all.
    pub fn total(&self) -> usize {
        self.all.len()
    }

    /// Index of the selected row among the visible ones.
    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// The selected alarm, if any.
    pub fn selected(&self) -> Option<&Alarm> {
        self.visible.get(self.selected).map(|&i| &self.all[i])
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Number of alarms in ALARM state.
    pub fn alarm_count(&self) -> usize {
        self.all
            .iter()
            .filter(|a| a.state == AlarmState::Alarm)
            .count()
    }

    /// Number of alarms in ALARM state that no ack covers.
    pub fn unacked_alarm_count(&self, annotations: &BTreeMap<String, Annotation>) -> usize {
        self.all
            .iter()
            .filter(|a| a.state == AlarmState::Alarm && !is_acked(a, annotations))
            .count()
    }
}

/// Whether a live ack covers the alarm's current episode.
pub fn is_acked(alarm: &Alarm, annotations: &BTreeMap<String, Annotation>) -> bool {
    annotations
        .get(&alarm.name)
        .and_then(|n| n.live_ack(alarm))
        .is_some()
}

fn matches(alarm: &Alarm, needle: &str) -> bool {
    alarm.name.to_lowercase().contains(needle)
        || alarm.state.as_str().to_lowercase().contains(needle)
        || alarm.metric_label().to_lowercase().contains(needle)
        || alarm.reason.to_lowercase().contains(needle)
}
