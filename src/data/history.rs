//! The account's alarm state changes of the last day, read once with one
//! batched listing (DescribeAlarmHistory without an alarm name, StateUpdate
//! items, every page) and kept: each refresh asks only for what happened
//! since the newest change already held, and drops what has fallen out of
//! the day. The flapping column and the handoff read from it.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;

use crate::model::handoff::{FLAP_WINDOW, alarm_entries};
use crate::model::{HistoryItem, TimeRange};
use crate::provider::{AlarmsRead, ProviderError};

/// Most state changes kept (about 20 MB at worst): a day of an account
/// whose alarms change state more often than this is cut, and says so.
pub const MAX_CHANGES: usize = 100_000;

/// The ALARM entries per alarm in the last [`FLAP_WINDOW`], and whether
/// the history behind them was cut at [`MAX_CHANGES`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlapCounts {
    /// Alarm name -> how many times it entered ALARM (absent: none).
    pub counts: BTreeMap<String, usize>,
    /// The history held was cut: counts may be low.
    pub cut: bool,
}

impl FlapCounts {
    /// The count of `alarm` (0 when it did not enter ALARM).
    pub fn of(&self, alarm: &str) -> usize {
        self.counts.get(alarm).copied().unwrap_or(0)
    }
}

/// State changes of the last day, newest last, kept between refreshes.
#[derive(Debug, Default)]
pub struct StateHistory {
    changes: Vec<HistoryItem>,
    /// The newest change's time, where the next read starts.
    newest: Option<Timestamp>,
    cut: bool,
}

impl StateHistory {
    /// Reads what is new since the last refresh (the whole day the first
    /// time) in one batched listing, and forgets what is older than a day.
    pub async fn refresh(
        &mut self,
        alarms: &dyn AlarmsRead,
        now: Timestamp,
    ) -> Result<(), ProviderError> {
        let day_ago = now.checked_sub(FLAP_WINDOW).unwrap_or(now);
        let start = self.newest.map_or(day_ago, |t| t.max(day_ago));
        let fresh = alarms
            .state_changes(TimeRange { start, end: now }, MAX_CHANGES)
            .await?;
        self.cut |= fresh.len() >= MAX_CHANGES;
        self.merge(fresh, start, day_ago);
        Ok(())
    }

    /// Adds `fresh`, read from `read_from` on (any order; changes already
    /// held are skipped: a read starts at the newest change's time, which
    /// it sees again; anything before `read_from` was not asked for) and
    /// drops those before `keep_from`.
    fn merge(&mut self, fresh: Vec<HistoryItem>, read_from: Timestamp, keep_from: Timestamp) {
        let key = |h: &HistoryItem| (h.alarm_name.clone(), h.timestamp, h.summary.clone());
        let held: HashSet<_> = self
            .changes
            .iter()
            .filter(|h| h.timestamp >= read_from)
            .map(key)
            .collect();
        self.changes.extend(
            fresh
                .into_iter()
                .filter(|h| h.timestamp >= read_from && !held.contains(&key(h))),
        );
        self.changes.retain(|h| h.timestamp >= keep_from);
        self.changes.sort_by_key(|h| h.timestamp);
        if self.changes.len() > MAX_CHANGES {
            let excess = self.changes.len() - MAX_CHANGES;
            self.changes.drain(..excess);
            self.cut = true;
        }
        self.newest = self.changes.last().map(|h| h.timestamp).or(self.newest);
    }

    /// The changes held, oldest first.
    pub fn changes(&self) -> &[HistoryItem] {
        &self.changes
    }

    /// How many times each alarm entered ALARM in the day before `now`.
    pub fn flap_counts(&self, now: Timestamp) -> FlapCounts {
        let since = now.checked_sub(FLAP_WINDOW).unwrap_or(now);
        FlapCounts {
            counts: alarm_entries(&self.changes, since),
            cut: self.cut,
        }
    }
}

#[cfg(test)]
mod tests;
