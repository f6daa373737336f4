//! Gathers a shift handoff: the alarm list, the account's state changes in
//! the window (one batched DescribeAlarmHistory listing) and the mute
//! rules side by side; then, side by side again, the tags of the alarms
//! that matter (acks and silences) and the CloudTrail write events during
//! the episodes; the local audit log adds this machine's own records. A
//! part that fails is named in [`Handoff::failed`] and never makes the
//! handoff look calmer than it is.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::annotations::Annotation;
use super::annotations::{needs_tags, read_annotations};
use super::audit::{AuditEntry, AuditResult};
use super::history::MAX_CHANGES;
use super::incident::Sources;
use crate::model::ack::SilenceRecord;
use crate::model::handoff::{Episode, HANDOFF_AHEAD, episodes};
use crate::model::trail::{TrailCriteria, TrailRecord};
use crate::model::{Alarm, AlarmState, TimeRange};
use crate::provider::ProviderError;

/// Where a record of an ack or a silence was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The alarm's tags: what every engineer's monitui sees.
    Tags,
    /// This machine's audit log.
    AuditLog,
}

/// An ack made in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AckNote {
    /// Which alarm.
    pub alarm: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// Their note.
    pub note: String,
    /// Where it was read.
    pub origin: Origin,
}

/// A silence: set, in force, ending or ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SilenceNote {
    /// Which alarm.
    pub alarm: String,
    /// Who.
    pub by: String,
    /// Why.
    pub note: String,
    /// When it was set, where known (the audit log says).
    pub set_at: Option<Timestamp>,
    /// When it ends or ended, where known (the tags say).
    pub until: Option<Timestamp>,
    /// When it was ended (unsilenced, or an expired one cleaned up), where
    /// this machine's audit log says.
    pub ended_at: Option<Timestamp>,
    /// Where it was read.
    pub origin: Origin,
}

/// An alarm in ALARM when the handoff was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StillInAlarm {
    /// Which alarm.
    pub alarm: String,
    /// In ALARM since.
    pub since: Timestamp,
    /// Who acked this episode, if anyone.
    pub acked_by: Option<String>,
    /// The silence's end, if silenced.
    pub silenced_until: Option<Timestamp>,
}

/// A CloudTrail write event made while an alarm was firing.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailWrite {
    /// The event.
    pub record: TrailRecord,
    /// The alarms firing then.
    pub during: Vec<String>,
}

/// Everything a shift hands over.
#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    /// The env's name.
    pub env: String,
    /// The shift's window.
    pub window: TimeRange,
    /// Episodes that fired in the window, oldest first.
    pub episodes: Vec<Episode>,
    /// Acks made in the window.
    pub acks: Vec<AckNote>,
    /// Silences set in the window or in force.
    pub silences: Vec<SilenceNote>,
    /// Silences that end within [`HANDOFF_AHEAD`] or ended in the window.
    pub silences_ending: Vec<SilenceNote>,
    /// Alarms in ALARM now.
    pub still_in_alarm: Vec<StillInAlarm>,
    /// CloudTrail write events during the episodes, newest first.
    pub trail_writes: Vec<TrailWrite>,
    /// More write events were there than were kept.
    pub trail_more: bool,
    /// The parts that could not be read, with why.
    pub failed: Vec<(&'static str, String)>,
}

/// Why there is no handoff at all.
#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    /// The alarm list could not be read.
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Gathers the handoff of `env` over `window` at `now`.
pub async fn gather(
    sources: &Sources,
    env: &str,
    window: TimeRange,
    now: Timestamp,
) -> Result<Handoff, HandoffError> {
    let reads = &sources.reads;
    let (alarms, changes, muted) = tokio::join!(
        reads.alarms.list_alarms(),
        reads.alarms.state_changes(window, MAX_CHANGES),
        reads.alarms.active_mute_rules(),
    );
    let alarms = alarms?;
    let mut failed = Vec::new();
    let changes = changes.unwrap_or_else(|e| {
        failed.push(("episodes", e.to_string()));
        Vec::new()
    });
    let muted = muted.unwrap_or_else(|e| {
        failed.push(("silences", e.to_string()));
        None
    });
    let episodes = episodes(&changes, &alarms, window);
    let due: Vec<Alarm> = alarms
        .iter()
        .filter(|a| needs_tags(a, muted.as_ref()) || episodes.iter().any(|e| e.alarm == a.name))
        .cloned()
        .collect();
    let (tags, trail) = tokio::join!(
        read_annotations(reads, &due),
        trail_writes(sources, &episodes, now)
    );
    let tags = tags.unwrap_or_else(|e| {
        failed.push(("acks", e.to_string()));
        BTreeMap::new()
    });
    let (trail_writes, trail_more) = trail.unwrap_or_else(|e| {
        failed.push(("trail_writes", e));
        (Vec::new(), false)
    });
    let audit: Vec<AuditEntry> = match &sources.audit {
        None => Vec::new(),
        Some(log) => match log.read_lenient() {
            Ok(read) => read
                .entries
                .into_iter()
                .filter(|e| {
                    e.env == env
                        && e.result == AuditResult::Ok
                        && e.when >= window.start
                        && e.when <= window.end
                })
                .collect(),
            Err(e) => {
                failed.push(("audit_log", e.to_string()));
                Vec::new()
            }
        },
    };
    let (silences, silences_ending) = silences(&tags, &audit, window, now);
    Ok(Handoff {
        env: env.to_string(),
        window,
        still_in_alarm: still_in_alarm(&alarms, &tags),
        acks: acks(&tags, &audit, window),
        silences,
        silences_ending,
        episodes,
        trail_writes,
        trail_more,
        failed,
    })
}

/// Two records of one change: the same alarm and person within a minute.
fn same_change(a: (&str, &str, Timestamp), b: (&str, &str, Timestamp)) -> bool {
    a.0 == b.0 && a.1 == b.1 && a.2.duration_since(b.2).abs() <= SignedDuration::from_mins(1)
}

/// Acks in the window from the tags, and those of the audit log the tags
/// no longer show (a later ack replaced them, or they were removed).
fn acks(
    tags: &BTreeMap<String, Annotation>,
    audit: &[AuditEntry],
    window: TimeRange,
) -> Vec<AckNote> {
    let mut out: Vec<AckNote> = tags
        .iter()
        .filter_map(|(alarm, a)| a.ack.as_ref().map(|ack| (alarm, ack)))
        .filter(|(_, ack)| ack.at >= window.start && ack.at <= window.end)
        .map(|(alarm, ack)| AckNote {
            alarm: alarm.clone(),
            by: ack.by.clone(),
            at: ack.at,
            note: ack.note.clone(),
            origin: Origin::Tags,
        })
        .collect();
    for e in audit.iter().filter(|e| e.what == "ack") {
        let known = out
            .iter()
            .any(|a| same_change((&a.alarm, &a.by, a.at), (&e.alarm, &e.who, e.when)));
        if !known {
            out.push(AckNote {
                alarm: e.alarm.clone(),
                by: e.who.clone(),
                at: e.when,
                note: e.note.clone(),
                origin: Origin::AuditLog,
            });
        }
    }
    out.sort_by_key(|a| a.at);
    out
}

/// The silences the tags hold (with when they were set, where this
/// machine's audit log says) and those the audit log saw set in the
/// window; then those ending within [`HANDOFF_AHEAD`] or ended in the
/// window.
fn silences(
    tags: &BTreeMap<String, Annotation>,
    audit: &[AuditEntry],
    window: TimeRange,
    now: Timestamp,
) -> (Vec<SilenceNote>, Vec<SilenceNote>) {
    let set_here = |alarm: &str, by: &str| {
        audit
            .iter()
            .filter(|e| e.what == "silence" && e.alarm == alarm && e.who == by)
            .map(|e| e.when)
            .max()
    };
    let mut held: Vec<SilenceNote> = tags
        .iter()
        .filter_map(|(alarm, a)| {
            let (by, note, until) = match a.silence.as_ref()? {
                SilenceRecord::Own(s) => (s.by.clone(), s.note.clone(), Some(s.until)),
                SilenceRecord::Unrecognised { until, by } => (
                    by.clone(),
                    "(silence tags monitui did not write)".into(),
                    *until,
                ),
            };
            Some(SilenceNote {
                set_at: set_here(alarm, &by),
                alarm: alarm.clone(),
                by,
                note,
                until,
                ended_at: None,
                origin: Origin::Tags,
            })
        })
        .collect();
    for e in audit.iter().filter(|e| e.what == "silence") {
        let known = held.iter().any(|s| s.alarm == e.alarm && s.by == e.who);
        if !known {
            held.push(SilenceNote {
                alarm: e.alarm.clone(),
                by: e.who.clone(),
                note: e.note.clone(),
                set_at: Some(e.when),
                until: None,
                ended_at: None,
                origin: Origin::AuditLog,
            });
        }
    }
    let horizon = now.checked_add(HANDOFF_AHEAD).unwrap_or(now);
    let mut ending: Vec<SilenceNote> = held
        .iter()
        .filter(|s| s.until.is_some_and(|u| u >= window.start && u <= horizon))
        .cloned()
        .collect();
    for e in audit
        .iter()
        .filter(|e| e.what == "unsilence" || e.what == "reconcile")
    {
        ending.push(SilenceNote {
            alarm: e.alarm.clone(),
            by: e.who.clone(),
            note: e.message.clone(),
            set_at: None,
            until: None,
            ended_at: Some(e.when),
            origin: Origin::AuditLog,
        });
    }
    held.sort_by(|a, b| a.alarm.cmp(&b.alarm));
    ending.sort_by_key(|s| s.ended_at.or(s.until));
    (held, ending)
}

/// The alarms in ALARM, longest first, with the ack of this episode and
/// the silence, if any.
fn still_in_alarm(alarms: &[Alarm], tags: &BTreeMap<String, Annotation>) -> Vec<StillInAlarm> {
    let mut out: Vec<StillInAlarm> = alarms
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .map(|a| {
            let annotation = tags.get(&a.name);
            StillInAlarm {
                alarm: a.name.clone(),
                since: a.transitioned_at,
                acked_by: annotation
                    .and_then(|t| t.live_ack(a))
                    .map(|ack| ack.by.clone()),
                silenced_until: annotation.and_then(|t| t.own_silence()).map(|s| s.until),
            }
        })
        .collect();
    out.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.alarm.cmp(&b.alarm)));
    out
}

/// The account's CloudTrail write events during the episodes: one search
/// from the first episode's start to the last one's end, each event kept
/// only if some episode was firing then. No episode, no search.
async fn trail_writes(
    sources: &Sources,
    episodes: &[Episode],
    now: Timestamp,
) -> Result<(Vec<TrailWrite>, bool), String> {
    let (Some(start), Some(end)) = (
        episodes.iter().map(|e| e.start).min(),
        episodes.iter().map(|e| e.end.unwrap_or(now)).max(),
    ) else {
        return Ok((Vec::new(), false));
    };
    let criteria = TrailCriteria {
        read_only: Some(false),
        since: Some(start),
        until: Some(end),
        ..TrailCriteria::default()
    };
    let found = sources
        .trail
        .search(&criteria)
        .await
        .map_err(|e| e.to_string())?;
    let writes = found
        .records
        .into_iter()
        .filter_map(|record| {
            let t = record.event_time?;
            let during: Vec<String> = episodes
                .iter()
                .filter(|e| e.start <= t && t <= e.end.unwrap_or(now))
                .map(|e| e.alarm.clone())
                .collect();
            (!during.is_empty()).then_some(TrailWrite { record, during })
        })
        .collect();
    Ok((writes, found.cutoff.is_some()))
}

#[cfg(test)]
mod tests;
