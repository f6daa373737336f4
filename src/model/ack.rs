//! Acks and silences, stored as tags on the alarm itself so every engineer's
//! monitui sees them. This module is the one place that knows the tag keys
//! and how values are encoded.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::alarm::{Alarm, AlarmState};

/// Prefix of every tag monitui writes.
pub const TAG_PREFIX: &str = "monitui:";
/// Who acked.
pub const ACK_BY: &str = "monitui:ack-by";
/// When the ack was made.
pub const ACK_AT: &str = "monitui:ack-at";
/// Which episode (the time the alarm entered ALARM) the ack is for.
pub const ACK_EPISODE: &str = "monitui:ack-episode";
/// Optional note.
pub const ACK_NOTE: &str = "monitui:ack-note";
/// End of the silence.
pub const SILENCE_UNTIL: &str = "monitui:silence-until";
/// Who silenced.
pub const SILENCE_BY: &str = "monitui:silence-by";
/// Why.
pub const SILENCE_NOTE: &str = "monitui:silence-note";
/// How: `mute-rule`, `actions-disabled` or `actions-already-off`.
pub const SILENCE_METHOD: &str = "monitui:silence-method";
/// Which silence: a fresh id per silence, so a change can tell the silence
/// it read from one another monitui wrote since.
pub const SILENCE_ID: &str = "monitui:silence-id";

/// Every ack key, for removal.
pub const ACK_KEYS: [&str; 4] = [ACK_BY, ACK_AT, ACK_EPISODE, ACK_NOTE];
/// Every silence key, for removal.
pub const SILENCE_KEYS: [&str; 5] = [
    SILENCE_UNTIL,
    SILENCE_BY,
    SILENCE_NOTE,
    SILENCE_METHOD,
    SILENCE_ID,
];

/// Longest tag value CloudWatch accepts, in characters.
pub const MAX_TAG_VALUE: usize = 256;

/// An acknowledgement of one ALARM episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ack {
    /// Who (caller identity short name).
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// The episode: when the alarm entered ALARM ([`Alarm::transitioned_at`]
    /// at the time of the ack).
    pub episode: Timestamp,
    /// Optional note (as stored: possibly cut).
    pub note: String,
}

impl Ack {
    /// Whether this ack still covers the alarm: it lapses when the alarm
    /// leaves ALARM or a new episode starts, but not when the service merely
    /// re-evaluates the alarm and keeps it in ALARM.
    pub fn covers(&self, alarm: &Alarm) -> bool {
        alarm.state == AlarmState::Alarm && alarm.transitioned_at == self.episode
    }

    /// The tags that store this ack.
    pub fn to_tags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            (ACK_BY.to_string(), tag_value(&self.by)),
            (ACK_AT.to_string(), self.at.to_string()),
            (ACK_EPISODE.to_string(), self.episode.to_string()),
            (ACK_NOTE.to_string(), tag_value(&self.note)),
        ])
    }

    /// Reads an ack from an alarm's tags; `None` if absent or malformed.
    pub fn from_tags(tags: &BTreeMap<String, String>) -> Option<Self> {
        Some(Self {
            by: tags.get(ACK_BY)?.clone(),
            at: tags.get(ACK_AT)?.parse().ok()?,
            episode: tags.get(ACK_EPISODE)?.parse().ok()?,
            note: tags.get(ACK_NOTE).cloned().unwrap_or_default(),
        })
    }
}

/// How a silence mutes notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SilenceMethod {
    /// A CloudWatch alarm mute rule; it ends by itself.
    MuteRule,
    /// Alarm actions disabled; monitui re-enables them after the expiry.
    ActionsDisabled,
    /// The actions were already off before the silence (by hand, not by
    /// monitui): ending the silence leaves them off.
    ActionsAlreadyOff,
}

impl SilenceMethod {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            SilenceMethod::MuteRule => "mute-rule",
            SilenceMethod::ActionsDisabled => "actions-disabled",
            SilenceMethod::ActionsAlreadyOff => "actions-already-off",
        }
    }
}

/// A silence monitui recorded: notifications muted until a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Silence {
    /// End of the silence.
    pub until: Timestamp,
    /// Who.
    pub by: String,
    /// Why (mandatory).
    pub note: String,
    /// How.
    pub method: SilenceMethod,
    /// This silence's id ([`SILENCE_ID`]).
    pub id: String,
}

impl Silence {
    /// The tags that store this silence.
    pub fn to_tags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            (SILENCE_UNTIL.to_string(), self.until.to_string()),
            (SILENCE_BY.to_string(), tag_value(&self.by)),
            (SILENCE_NOTE.to_string(), tag_value(&self.note)),
            (SILENCE_METHOD.to_string(), self.method.as_str().to_string()),
            (SILENCE_ID.to_string(), tag_value(&self.id)),
        ])
    }

    /// Reads monitui's record of a silence from tags: `None` unless the
    /// expiry, the method and the id are all there and well formed.
    pub fn from_tags(tags: &BTreeMap<String, String>) -> Option<Self> {
        let method = match tags.get(SILENCE_METHOD)?.as_str() {
            "mute-rule" => SilenceMethod::MuteRule,
            "actions-disabled" => SilenceMethod::ActionsDisabled,
            "actions-already-off" => SilenceMethod::ActionsAlreadyOff,
            _ => return None,
        };
        Some(Self {
            until: tags.get(SILENCE_UNTIL)?.parse().ok()?,
            by: tags.get(SILENCE_BY).cloned().unwrap_or_default(),
            note: tags.get(SILENCE_NOTE).cloned().unwrap_or_default(),
            method,
            id: tags.get(SILENCE_ID).filter(|id| !id.is_empty())?.clone(),
        })
    }

    /// Whether the expiry has passed (an actions-disabled silence stays
    /// "overdue" until something re-enables the actions).
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.until
    }
}

/// How monitui names silence tags it did not write ([`SilenceRecord::Unrecognised`]).
pub const UNRECOGNISED_SILENCE: &str = "unrecognised silence record";

/// What an alarm's silence tags say: a silence monitui recorded, or tags
/// that look like one but lack monitui's method or id (written by hand, or
/// left over from an older monitui). Only an [`SilenceRecord::Own`] record
/// is ever acted on; the other is shown and left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SilenceRecord {
    /// monitui's own record.
    Own(Silence),
    /// Silence tags monitui cannot vouch for.
    Unrecognised {
        /// The expiry they name, if it parses.
        until: Option<Timestamp>,
        /// Who they name (may be empty).
        by: String,
    },
}

impl SilenceRecord {
    /// The record in `tags`; `None` when no silence tag is there.
    pub fn from_tags(tags: &BTreeMap<String, String>) -> Option<Self> {
        if let Some(own) = Silence::from_tags(tags) {
            return Some(Self::Own(own));
        }
        SILENCE_KEYS
            .iter()
            .any(|k| tags.contains_key(*k))
            .then(|| Self::Unrecognised {
                until: tags.get(SILENCE_UNTIL).and_then(|u| u.parse().ok()),
                by: tags.get(SILENCE_BY).cloned().unwrap_or_default(),
            })
    }

    /// The silence, if monitui recorded it.
    pub fn own(&self) -> Option<&Silence> {
        match self {
            Self::Own(silence) => Some(silence),
            Self::Unrecognised { .. } => None,
        }
    }
}

/// Makes text a valid CloudWatch tag value: characters outside the allowed
/// set (letters, digits, spaces and `_.:/=+-@`) become spaces, and text
/// longer than [`MAX_TAG_VALUE`] is cut with an ellipsis.
pub fn tag_value(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    if cleaned.chars().count() <= MAX_TAG_VALUE {
        return cleaned;
    }
    let mut cut: String = cleaned.chars().take(MAX_TAG_VALUE - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn every_key_carries_the_monitui_prefix() {
        for key in ACK_KEYS.iter().chain(&SILENCE_KEYS) {
            assert!(key.starts_with(TAG_PREFIX), "{key}");
        }
    }

    #[test]
    fn ack_round_trips_through_tags() {
        let ack = Ack {
            by: "alice".into(),
            at: ts("2026-01-16T03:05:00Z"),
            episode: ts("2026-01-16T03:00:00Z"),
            note: "looking into DMS lag".into(),
        };
        assert_eq!(Ack::from_tags(&ack.to_tags()), Some(ack));
    }

    #[test]
    fn an_ack_lasts_the_episode_not_the_last_update() {
        let ack = Ack {
            by: "alice".into(),
            at: ts("2026-01-16T03:05:00Z"),
            episode: ts("2026-01-16T03:00:00Z"),
            note: String::new(),
        };
        let alarm = |state, transitioned, updated| {
            Alarm::for_tests("dms-lag", state, ts(transitioned), ts(updated))
        };
        let re_evaluated = alarm(
            AlarmState::Alarm,
            "2026-01-16T03:00:00Z",
            "2026-01-16T03:20:00Z",
        );
        assert!(ack.covers(&re_evaluated), "still the same ALARM episode");
        let new_episode = alarm(
            AlarmState::Alarm,
            "2026-01-16T03:30:00Z",
            "2026-01-16T03:30:00Z",
        );
        assert!(!ack.covers(&new_episode));
        let recovered = alarm(
            AlarmState::Ok,
            "2026-01-16T03:00:00Z",
            "2026-01-16T03:00:00Z",
        );
        assert!(!ack.covers(&recovered));
    }

    #[test]
    fn long_notes_are_cut_with_ellipsis_and_bad_chars_replaced() {
        let v = tag_value(&"n".repeat(400));
        assert_eq!(v.chars().count(), MAX_TAG_VALUE);
        assert!(v.ends_with('…'));
        assert_eq!(tag_value("fail-over, now!"), "fail-over  now ");
    }

    #[test]
    fn silence_round_trips_and_expires() {
        let s = Silence {
            until: ts("2026-01-16T05:00:00Z"),
            by: "bob".into(),
            note: "maintenance".into(),
            method: SilenceMethod::ActionsDisabled,
            id: "s-1".into(),
        };
        assert_eq!(Silence::from_tags(&s.to_tags()), Some(s.clone()));
        for method in [SilenceMethod::MuteRule, SilenceMethod::ActionsAlreadyOff] {
            let other = Silence {
                method,
                ..s.clone()
            };
            assert_eq!(Silence::from_tags(&other.to_tags()), Some(other));
        }
        assert!(!s.is_expired(ts("2026-01-16T04:59:59Z")));
        assert!(s.is_expired(ts("2026-01-16T05:00:00Z")));
    }

    #[test]
    fn silence_tags_without_method_or_id_are_unrecognised() {
        let own = Silence {
            until: ts("2026-01-16T05:00:00Z"),
            by: "bob".into(),
            note: "maintenance".into(),
            method: SilenceMethod::ActionsDisabled,
            id: "s-1".into(),
        };
        assert_eq!(
            SilenceRecord::from_tags(&own.to_tags()),
            Some(SilenceRecord::Own(own.clone()))
        );
        for missing in [SILENCE_METHOD, SILENCE_ID] {
            let mut tags = own.to_tags();
            tags.remove(missing);
            assert_eq!(Silence::from_tags(&tags), None, "without {missing}");
            assert_eq!(
                SilenceRecord::from_tags(&tags),
                Some(SilenceRecord::Unrecognised {
                    until: Some(own.until),
                    by: "bob".into()
                }),
                "without {missing}"
            );
        }
        let stale = BTreeMap::from([(SILENCE_UNTIL.to_string(), "2026-01-01T00:00:00Z".into())]);
        let record = SilenceRecord::from_tags(&stale).unwrap();
        assert_eq!(record.own(), None);
        assert_eq!(SilenceRecord::from_tags(&BTreeMap::new()), None);
    }

    #[test]
    fn missing_or_malformed_tags_mean_no_ack() {
        let mut tags = BTreeMap::new();
        assert_eq!(Ack::from_tags(&tags), None);
        tags.insert(ACK_BY.to_string(), "a".to_string());
        tags.insert(ACK_AT.to_string(), "yesterday".to_string());
        tags.insert(ACK_EPISODE.to_string(), "2026-01-16T03:00:00Z".to_string());
        assert_eq!(Ack::from_tags(&tags), None);
    }
}
