//! The latest alarm list as every tab shares it: indexed by name, with the
//! text each alarm shows on screen sanitised once when the list arrives
//! (and kept for alarms whose text did not change since the last list), so
//! no frame or key press walks or sanitises the whole list.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use hashbrown::{DefaultHashBuilder, HashTable};

use jiff::Timestamp;

use crate::data::Annotation;
use crate::model::{Alarm, AlarmKind, AlarmState};
use crate::sanitize::sanitize_line;

/// What one alarm shows on screen, already sanitised.
#[derive(Debug)]
pub struct AlarmText {
    /// The full name.
    pub name: String,
    /// The name without the env's resource prefix (tables show the prefix
    /// once, in the title).
    pub short_name: String,
    /// `Namespace/Metric`, `expression` or `composite`.
    pub metric: String,
    /// `> 300`, or `(rule)` for composite alarms.
    pub condition: String,
    /// Why the alarm is in its state, the informative part first (the
    /// values and the comparison of a threshold reason).
    pub reason: String,
    /// Lower-case short name, metric and reason for the `/` filter (what
    /// the screen shows: not the prefix the tables leave out), built the
    /// first time a filter needs it.
    search: OnceLock<String>,
}

impl AlarmText {
    fn new(alarm: &Alarm, prefix: &str) -> Self {
        Self {
            name: sanitize_line(&alarm.name),
            short_name: sanitize_line(strip_prefix(&alarm.name, prefix)),
            metric: sanitize_line(&alarm.metric_label()),
            condition: match &alarm.kind {
                AlarmKind::Metric(spec) => spec.condition(),
                AlarmKind::Composite { .. } => "(rule)".to_string(),
            },
            reason: sanitize_line(&without_prefixes(
                &crate::model::reason::short_reason(&alarm.reason),
                prefix,
            )),
            search: OnceLock::new(),
        }
    }

    /// Whether the alarm's short name, metric or reason contains `needle`
    /// (lower case), ignoring case.
    fn contains(&self, needle: &str) -> bool {
        self.search
            .get_or_init(|| {
                let mut text =
                    [self.short_name.as_str(), &self.metric, &self.reason].join("\u{1f}");
                if text.is_ascii() {
                    text.make_ascii_lowercase();
                    text
                } else {
                    text.to_lowercase()
                }
            })
            .contains(needle)
    }
}

/// `text` with every name in it shown without the env's resource prefix
/// (a composite reason names its rule's alarms in full).
fn without_prefixes(text: &str, prefix: &str) -> String {
    if prefix.trim_end_matches('-').is_empty() {
        return text.to_string();
    }
    text.replace(prefix, "")
}

/// Names without the env's resource prefix (`prefix` includes the dash).
pub fn strip_prefix<'a>(name: &'a str, prefix: &str) -> &'a str {
    name.strip_prefix(prefix)
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

/// The shared alarm list.
#[derive(Debug, Default)]
pub struct AlarmList {
    alarms: Arc<Vec<Alarm>>,
    text: Vec<Arc<AlarmText>>,
    /// Index into `alarms` by name, without a copy of each name.
    by_name: HashTable<usize>,
    hasher: DefaultHashBuilder,
    in_alarm: Vec<usize>,
    fetched_at: Option<Timestamp>,
    /// While only the alarms in ALARM are in (the first fetch's early
    /// answer): whether they are all the alarms in ALARM.
    firing_only: Option<bool>,
}

impl AlarmList {
    /// A list from a fresh fetch. `prefix` is the env's resource prefix with
    /// its dash; the text of alarms whose name, kind and reason are the same
    /// in `previous` is reused instead of sanitised again.
    pub fn new(
        alarms: Arc<Vec<Alarm>>,
        fetched_at: Timestamp,
        prefix: &str,
        previous: &AlarmList,
    ) -> Self {
        let hasher = DefaultHashBuilder::default();
        let mut by_name = HashTable::with_capacity(alarms.len());
        let mut in_alarm = Vec::new();
        let text = alarms
            .iter()
            .enumerate()
            .map(|(i, alarm)| {
                by_name.insert_unique(hasher.hash_one(alarm.name.as_str()), i, |&j: &usize| {
                    hasher.hash_one(alarms[j].name.as_str())
                });
                if alarm.state == AlarmState::Alarm {
                    in_alarm.push(i);
                }
                match previous.index_of(&alarm.name) {
                    Some(j)
                        if previous.alarms[j].reason == alarm.reason
                            && previous.alarms[j].kind == alarm.kind =>
                    {
                        Arc::clone(&previous.text[j])
                    }
                    _ => Arc::new(AlarmText::new(alarm, prefix)),
                }
            })
            .collect();
        Self {
            alarms,
            text,
            by_name,
            hasher,
            in_alarm,
            fetched_at: Some(fetched_at),
            firing_only: None,
        }
    }

    /// Marks a list of only the alarms in ALARM, the rest still loading;
    /// `all` says whether these are all the alarms in ALARM.
    pub fn firing_only(mut self, all: bool) -> Self {
        self.firing_only = Some(all);
        self
    }

    /// `Some` while the list holds only the alarms in ALARM and the rest
    /// loads, with whether these are all the alarms in ALARM; `None` for a
    /// full list.
    pub fn rest_loading(&self) -> Option<bool> {
        self.firing_only
    }

    /// When the list was fetched; `None` before the first answer.
    pub fn fetched_at(&self) -> Option<Timestamp> {
        self.fetched_at
    }

    /// How many alarms there are.
    pub fn len(&self) -> usize {
        self.alarms.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.alarms.is_empty()
    }

    /// The alarm at `index` (as the data layer sent them).
    pub fn get(&self, index: usize) -> &Alarm {
        &self.alarms[index]
    }

    /// The on-screen text of the alarm at `index`.
    pub fn text(&self, index: usize) -> &AlarmText {
        &self.text[index]
    }

    /// Every alarm, in the order the data layer sent them.
    pub fn all(&self) -> &[Alarm] {
        &self.alarms
    }

    /// Where the alarm called `name` is.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name
            .find(self.hasher.hash_one(name), |&i| self.alarms[i].name == name)
            .copied()
    }

    /// The alarm called `name`.
    pub fn find(&self, name: &str) -> Option<&Alarm> {
        self.index_of(name).map(|i| &self.alarms[i])
    }

    /// Whether the alarm at `index` matches a `/` filter (lower case): its
    /// state, or its short name, metric or reason as shown, contains it;
    /// `=a|b` matches exactly the alarms whose short name is `a` or `b`
    /// (what a jump to a rule's or a resource's alarms sets).
    pub fn matches(&self, index: usize, needle: &str) -> bool {
        if let Some(names) = needle.strip_prefix('=') {
            let short = self.text[index].short_name.to_lowercase();
            return names.split('|').any(|n| n.trim() == short);
        }
        let alarm = &self.alarms[index];
        needle.is_empty()
            || state_lower(alarm.state).contains(needle)
            || self.text[index].contains(needle)
    }

    /// Number of alarms in ALARM state.
    pub fn alarm_count(&self) -> usize {
        self.in_alarm.len()
    }

    /// Number of alarms in ALARM state that no ack covers (looks only at
    /// the annotated alarms, usually far fewer than the alarms).
    pub fn unacked_alarm_count(&self, annotations: &BTreeMap<String, Annotation>) -> usize {
        let acked = annotations
            .iter()
            .filter_map(|(name, annotation)| {
                let alarm = self.find(name)?;
                (alarm.state == AlarmState::Alarm && annotation.live_ack(alarm).is_some())
                    .then_some(())
            })
            .count();
        self.alarm_count() - acked
    }

    /// Of the alarms in ALARM that no ack covers, how many cannot page:
    /// silenced (a silence record on them) or their actions off.
    pub fn silenced_alarm_count(&self, annotations: &BTreeMap<String, Annotation>) -> usize {
        self.in_alarm
            .iter()
            .map(|&i| &self.alarms[i])
            .filter(|alarm| {
                let annotation = annotations.get(&alarm.name);
                let acked = annotation.is_some_and(|a| a.live_ack(alarm).is_some());
                let silenced = annotation.is_some_and(|a| a.silence.is_some());
                !acked && (silenced || !alarm.actions_enabled)
            })
            .count()
    }
}

/// Whether filter `new` (lower case) can only match alarms that `old`
/// matched, so the rows shown now are the only candidates: it contains
/// `old`, and neither is an exact `=a|b` list.
pub fn narrows(old: &str, new: &str) -> bool {
    !old.starts_with('=') && !new.starts_with('=') && new.contains(old)
}

fn state_lower(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Ok => "ok",
        AlarmState::Alarm => "alarm",
        AlarmState::InsufficientData => "insufficient_data",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(name: &str, state: AlarmState, reason: &str) -> Alarm {
        Alarm {
            name: name.into(),
            arn: format!("arn:{name}"),
            description: None,
            state,
            reason: reason.into(),
            reason_data: None,
            updated_at: Timestamp::UNIX_EPOCH,
            transitioned_at: Timestamp::UNIX_EPOCH,
            kind: AlarmKind::Composite {
                rule: "ALARM(x)".into(),
            },
            actions_enabled: true,
            alarm_actions: vec![],
            ok_actions: vec![],
            insufficient_data_actions: vec![],
        }
    }

    fn list(alarms: Vec<Alarm>, previous: &AlarmList) -> AlarmList {
        AlarmList::new(Arc::new(alarms), Timestamp::UNIX_EPOCH, "p-", previous)
    }

    #[test]
    fn text_is_sanitised_once_and_kept_while_it_does_not_change() {
        let first = list(
            vec![
                alarm("p-db\x1b[2J", AlarmState::Alarm, "high\x07"),
                alarm("p-web", AlarmState::Ok, "fine"),
            ],
            &AlarmList::default(),
        );
        assert_eq!(first.text(0).short_name, "db");
        assert_eq!(first.text(0).reason, "high·");
        assert_eq!(first.text(1).condition, "(rule)");
        let second = list(
            vec![
                alarm("p-web", AlarmState::Alarm, "fine"),
                alarm("p-db\x1b[2J", AlarmState::Ok, "recovered"),
            ],
            &first,
        );
        assert!(Arc::ptr_eq(&second.text[0], &first.text[1]));
        assert_eq!(second.text(1).reason, "recovered");
        assert_eq!(second.find("p-web").unwrap().state, AlarmState::Alarm);
        assert_eq!(second.alarm_count(), 1);
    }

    #[test]
    fn filter_matches_name_state_metric_and_reason_ignoring_case() {
        let l = list(
            vec![alarm("p-DB", AlarmState::InsufficientData, "Disk Full")],
            &AlarmList::default(),
        );
        for needle in ["db", "insufficient", "composite", "disk full", ""] {
            assert!(l.matches(0, needle), "{needle}");
        }
        assert!(!l.matches(0, "web"));
        assert!(!l.matches(0, "p-"), "the prefix the screen leaves out");
        assert!(l.matches(0, "=web|db"), "exactly one of these short names");
        assert!(!l.matches(0, "=d"), "exact, not a part");
    }

    #[test]
    fn unacked_counts_alarms_in_alarm_without_a_live_ack() {
        use crate::model::ack::Ack;
        let l = list(
            vec![
                alarm("p-a", AlarmState::Alarm, ""),
                alarm("p-b", AlarmState::Alarm, ""),
                alarm("p-c", AlarmState::Ok, ""),
            ],
            &AlarmList::default(),
        );
        let ack = |episode| Annotation {
            ack: Some(Ack {
                by: "alice".into(),
                at: Timestamp::UNIX_EPOCH,
                episode,
                note: String::new(),
            }),
            silence: None,
        };
        let earlier = Timestamp::UNIX_EPOCH - jiff::SignedDuration::from_secs(60);
        let mut annotations = BTreeMap::new();
        annotations.insert("p-c".to_string(), ack(Timestamp::UNIX_EPOCH));
        annotations.insert("p-b".to_string(), ack(earlier));
        annotations.insert("gone".to_string(), ack(Timestamp::UNIX_EPOCH));
        assert_eq!(l.unacked_alarm_count(&annotations), 2);
        annotations.insert("p-a".to_string(), ack(Timestamp::UNIX_EPOCH));
        assert_eq!(l.unacked_alarm_count(&annotations), 1);
        assert_eq!(l.silenced_alarm_count(&annotations), 0);
        annotations.insert(
            "p-b".to_string(),
            Annotation {
                ack: None,
                silence: Some(crate::model::ack::SilenceRecord::Unrecognised {
                    until: None,
                    by: String::new(),
                }),
            },
        );
        assert_eq!(l.unacked_alarm_count(&annotations), 1);
        assert_eq!(
            l.silenced_alarm_count(&annotations),
            1,
            "the unacked one is silenced: it cannot page"
        );
    }
}
