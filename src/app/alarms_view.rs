//! The alarm list as the Alarms tab shows it: the latest fetch, the `/`
//! filter, and the selection, which follows the selected alarm by name
//! across refreshes.

use std::sync::Arc;

use jiff::Timestamp;

use crate::model::{Alarm, AlarmState};

/// Alarm list state.
#[derive(Debug, Clone, Default)]
pub struct AlarmsView {
    all: Arc<Vec<Alarm>>,
    visible: Vec<usize>,
    filter: String,
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
        if let Some(name) = selected_name
            && let Some(pos) = self.visible.iter().position(|&i| self.all[i].name == name)
        {
            self.selected = pos;
        }
        self.clamp();
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

    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.visible = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, a)| needle.is_empty() || matches(a, &needle))
            .map(|(i, _)| i)
            .collect();
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
}

fn matches(alarm: &Alarm, needle: &str) -> bool {
    alarm.name.to_lowercase().contains(needle)
        || alarm.state.as_str().to_lowercase().contains(needle)
        || alarm.metric_label().to_lowercase().contains(needle)
        || alarm.reason.to_lowercase().contains(needle)
}
