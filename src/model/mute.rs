//! Alarm mute rules: CloudWatch's own way to mute an alarm's actions for a
//! while (a one-time schedule with a duration). A silence uses one where the
//! service supports it; the rule ends by itself.

use std::time::Duration;

use jiff::Timestamp;

/// Longest mute CloudWatch accepts (`P15D`).
pub const MAX_MUTE: Duration = Duration::from_secs(15 * 24 * 3600);

/// Longest mute rule name monitui sends.
const MAX_RULE_NAME: usize = 255;

/// A one-time mute of some alarms, starting at `start` for `duration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuteRule {
    /// Rule name, unique per account and region ([`rule_name`] for silences).
    pub name: String,
    /// The alarms it mutes.
    pub alarm_names: Vec<String>,
    /// When the mute starts (sent with minute precision, rounded down).
    pub start: Timestamp,
    /// How long it lasts (sent in whole minutes, rounded up).
    pub duration: Duration,
    /// Why: who silenced and the note.
    pub description: String,
}

impl MuteRule {
    /// The rule a silence of `alarm` uses.
    pub fn for_silence(alarm: &str, start: Timestamp, duration: Duration, why: &str) -> Self {
        Self {
            name: rule_name(alarm),
            alarm_names: vec![alarm.to_string()],
            start,
            duration,
            description: why.chars().take(1024).collect(),
        }
    }

    /// Start of the minute the mute starts in: what the `at()` expression says.
    pub fn start_minute(&self) -> Timestamp {
        let secs = self.start.as_second();
        Timestamp::from_second(secs - secs.rem_euclid(60)).unwrap_or(self.start)
    }

    /// Whole minutes from [`Self::start_minute`] until the end, at least one.
    pub fn minutes(&self) -> u64 {
        let lost = (self.start.as_second() - self.start_minute().as_second()) as u64;
        (self.duration.as_secs() + lost).div_ceil(60).max(1)
    }

    /// The schedule expression: `at(yyyy-MM-ddThh:mm)` in UTC.
    pub fn at_expression(&self) -> String {
        format!("at({})", self.start_minute().strftime("%Y-%m-%dT%H:%M"))
    }

    /// The ISO 8601 duration, e.g. `PT90M`.
    pub fn iso_duration(&self) -> String {
        format!("PT{}M", self.minutes())
    }

    /// When the mute ends (and the rule can expire).
    pub fn end(&self) -> Timestamp {
        let secs = self.start_minute().as_second() + 60 * self.minutes() as i64;
        Timestamp::from_second(secs).unwrap_or(self.start)
    }
}

/// The mute rule name monitui uses for silences of `alarm`: one per alarm,
/// so a new silence replaces the old and unsilence knows what to delete.
pub fn rule_name(alarm: &str) -> String {
    let cleaned: String = alarm
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("monitui-silence-{cleaned}")
        .chars()
        .take(MAX_RULE_NAME)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_covers_the_whole_silence_in_minutes() {
        let start: Timestamp = "2026-01-16T03:04:50Z".parse().unwrap();
        let rule = MuteRule::for_silence("api 5xx", start, Duration::from_secs(3600), "deploy");
        assert_eq!(rule.at_expression(), "at(2026-01-16T03:04)");
        assert_eq!(rule.iso_duration(), "PT61M");
        assert_eq!(rule.end().to_string(), "2026-01-16T04:05:00Z");
        assert!(rule.end() >= start.checked_add(rule.duration).unwrap());
        assert_eq!(rule.name, "monitui-silence-api_5xx");
    }

    #[test]
    fn rule_names_are_bounded() {
        assert_eq!(rule_name(&"a".repeat(400)).len(), MAX_RULE_NAME);
    }
}
