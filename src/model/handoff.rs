//! The shift handoff: which alarms fired in a window (as episodes, with
//! how often each flapped), how many times every alarm entered ALARM in
//! the last day, and which silences are about to end or just ended. Plain
//! functions of an alarm list and one account-wide state-change listing
//! already fetched; fetching is `data::handoff` and `data::history`.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::alarm::{Alarm, AlarmState, HistoryItem};
use super::metric::TimeRange;

/// How far back the flapping count looks.
pub const FLAP_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// An alarm that leaves ALARM and enters it again within this long is
/// still in the same episode (it flapped).
pub const FLAP_GAP: SignedDuration = SignedDuration::from_mins(30);

/// The silence radar marks silences that end within this long.
pub const ENDS_SOON: SignedDuration = SignedDuration::from_hours(1);

/// The silence radar marks silences that ended within this long.
pub const ENDED_RECENTLY: SignedDuration = SignedDuration::from_hours(4);

/// The handoff lists silences that end within this long after it is made.
pub const HANDOFF_AHEAD: SignedDuration = SignedDuration::from_hours(4);

/// One time an alarm fired: from entering ALARM until it left for good
/// (re-entries within [`FLAP_GAP`] count as flaps of the same episode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Episode {
    /// Which alarm.
    pub alarm: String,
    /// When it entered ALARM (the window's start when that was earlier
    /// and the history does not say: see `started_before`).
    pub start: Timestamp,
    /// Whether it was already in ALARM when the window began.
    pub started_before: bool,
    /// When it left ALARM the last time; `None` while it lasts.
    pub end: Option<Timestamp>,
    /// How many times it went back into ALARM within the episode.
    pub flaps: usize,
}

impl Episode {
    /// How long it lasted, or has lasted until `now`.
    pub fn duration(&self, now: Timestamp) -> SignedDuration {
        self.end
            .unwrap_or(now)
            .duration_since(self.start)
            .max(SignedDuration::ZERO)
    }
}

/// Whether a state change entered ALARM, left it, or neither.
fn alarm_edge(item: &HistoryItem) -> Option<bool> {
    let (from, to) = item.transition?;
    match (from == AlarmState::Alarm, to == AlarmState::Alarm) {
        (false, true) => Some(true),
        (true, false) => Some(false),
        _ => None,
    }
}

/// The episodes of every alarm within `window`, oldest first, from the
/// account's state changes (any order) and the current alarm list (an
/// alarm in ALARM since before the window with no change in it is one
/// ongoing episode).
pub fn episodes(changes: &[HistoryItem], alarms: &[Alarm], window: TimeRange) -> Vec<Episode> {
    let mut by_alarm: BTreeMap<&str, Vec<&HistoryItem>> = BTreeMap::new();
    for item in changes {
        if item.timestamp >= window.start && item.timestamp <= window.end {
            by_alarm.entry(&item.alarm_name).or_default().push(item);
        }
    }
    let mut out = Vec::new();
    for (alarm, mut items) in by_alarm {
        items.sort_by_key(|i| i.timestamp);
        let mut current: Option<Episode> = None;
        for item in items {
            match alarm_edge(item) {
                Some(true) => match current.as_mut() {
                    Some(e)
                        if e.end
                            .is_some_and(|end| item.timestamp.duration_since(end) <= FLAP_GAP) =>
                    {
                        e.end = None;
                        e.flaps += 1;
                    }
                    _ => {
                        out.extend(current.take());
                        current = Some(Episode {
                            alarm: alarm.to_string(),
                            start: item.timestamp,
                            started_before: false,
                            end: None,
                            flaps: 0,
                        });
                    }
                },
                Some(false) => match current.as_mut() {
                    Some(e) => {
                        e.end.get_or_insert(item.timestamp);
                    }
                    None => {
                        current = Some(Episode {
                            alarm: alarm.to_string(),
                            start: window.start,
                            started_before: true,
                            end: Some(item.timestamp),
                            flaps: 0,
                        })
                    }
                },
                None => {}
            }
        }
        out.extend(current);
    }
    for alarm in alarms {
        let known = out.iter().any(|e| e.alarm == alarm.name);
        if alarm.state == AlarmState::Alarm && !known && alarm.transitioned_at <= window.end {
            out.push(Episode {
                alarm: alarm.name.clone(),
                start: alarm.transitioned_at,
                started_before: alarm.transitioned_at < window.start,
                end: None,
                flaps: 0,
            });
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.alarm.cmp(&b.alarm)));
    out
}

/// How many times each alarm entered ALARM at or after `since`, from
/// state changes in any order; alarms that did not are left out.
pub fn alarm_entries(changes: &[HistoryItem], since: Timestamp) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for item in changes {
        if item.timestamp >= since && alarm_edge(item) == Some(true) {
            *counts.entry(item.alarm_name.clone()).or_insert(0) += 1;
        }
    }
    counts
}

/// What the silence radar says about one silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Radar {
    /// It ends within [`ENDS_SOON`]: notifications come back at `until`.
    EndsSoon,
    /// It ended within [`ENDED_RECENTLY`].
    EndedRecently,
}

/// The radar mark of a silence ending (or ended) at `until`, at `now`.
pub fn radar(until: Timestamp, now: Timestamp) -> Option<Radar> {
    let ahead = until.duration_since(now);
    if ahead > SignedDuration::ZERO && ahead <= ENDS_SOON {
        Some(Radar::EndsSoon)
    } else if ahead <= SignedDuration::ZERO && -ahead <= ENDED_RECENTLY {
        Some(Radar::EndedRecently)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
