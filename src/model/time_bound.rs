//! Time bounds as people type them (`--since 2h`, `08:14`, `2026-11-27`, an
//! RFC 3339 moment, the CloudTrail tab's Since/Until fields, the Logs
//! tail's `@`), and the window two of them make once "now" is known. One
//! grammar for the CLI and the TUI. Dates and times of day are read in the
//! zone every screen shows ([`super::zone`]: UTC unless `--tz` or
//! `timezone` says otherwise).

use std::time::Duration;

use jiff::civil::{Date, Time};
use jiff::{Timestamp, tz::TimeZone};

/// The zone dates and times of day are read in.
fn zone() -> TimeZone {
    super::zone::display_zone().tz.clone()
}

/// Parses a human duration such as `30s`, `5m`, `1h30m`; zero is refused.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s)
        .map_err(|e| format!("'{s}' is not a duration like 30s, 5m or 1h ({e})"))?;
    if d.is_zero() {
        return Err(format!("'{s}' is zero; give a positive duration"));
    }
    Ok(d)
}

/// One end of a time window: a moment, a time of day, or a duration
/// before now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBound {
    /// This moment.
    At(Timestamp),
    /// The latest moment at or before now with this time of day (in the display zone):
    /// today, or yesterday when that is still to come.
    TimeOfDay(Time),
    /// This long before now.
    Ago(Duration),
}

impl TimeBound {
    /// Parses `2026-11-27T10:00:00Z`, `2026-11-27` (midnight), `08:14`
    /// or `08:14:30` (in the display zone), or `2h` / `2h ago`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Ok(t) = s.parse::<Timestamp>() {
            return Ok(Self::At(t));
        }
        if let Ok(d) = s.parse::<Date>() {
            return d
                .to_zoned_datetime(zone())
                .map(|z| Self::At(z.timestamp()))
                .map_err(|e| format!("'{s}': {e}"));
        }
        if let Ok(t) = s.parse::<Time>() {
            return Ok(Self::TimeOfDay(t));
        }
        parse_duration(s.strip_suffix(" ago").unwrap_or(s).trim())
            .map(Self::Ago)
            .map_err(|_| {
                format!(
                    "'{s}' is not a time (2026-11-27T10:00:00Z, 2026-11-27, 08:14) or a duration ago (2h, 7d)"
                )
            })
    }

    /// The moment this bound means when it is `now`.
    pub fn resolve(self, now: Timestamp) -> Result<Timestamp, WindowError> {
        match self {
            Self::At(t) => Ok(t),
            Self::TimeOfDay(time) => {
                let today = now.to_zoned_datetime(zone()).date().to_datetime(time);
                let at = |day: jiff::civil::DateTime| {
                    day.to_zoned_datetime(zone())
                        .map(|z| z.timestamp())
                        .map_err(|_| WindowError::TooFarBack)
                };
                let moment = at(today)?;
                if moment <= now {
                    return Ok(moment);
                }
                today
                    .checked_sub(jiff::Span::new().days(1))
                    .map_err(|_| WindowError::TooFarBack)
                    .and_then(at)
            }
            Self::Ago(d) => jiff::SignedDuration::try_from(d)
                .ok()
                .and_then(|d| now.checked_sub(d).ok())
                .ok_or(WindowError::TooFarBack),
        }
    }
}

/// Why two bounds make no window.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// The start is after the end.
    #[error("since ({since}) is after until ({until})")]
    Empty {
        /// Resolved start.
        since: Timestamp,
        /// Resolved end.
        until: Timestamp,
    },
    /// A duration ago reaches before the representable past.
    #[error("since/until reaches too far back")]
    TooFarBack,
}

/// The moments `since` and `until` mean at `now`; either may be open.
pub fn resolve_window(
    since: Option<TimeBound>,
    until: Option<TimeBound>,
    now: Timestamp,
) -> Result<(Option<Timestamp>, Option<Timestamp>), WindowError> {
    let since = since.map(|b| b.resolve(now)).transpose()?;
    let until = until.map(|b| b.resolve(now)).transpose()?;
    if let (Some(since), Some(until)) = (since, until)
        && since > until
    {
        return Err(WindowError::Empty { since, until });
    }
    Ok((since, until))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn bounds_take_moments_dates_and_durations() {
        let now = at("2026-11-27T13:00:00Z");
        let resolve = |s: &str| TimeBound::parse(s).unwrap().resolve(now).unwrap();
        assert_eq!(resolve("2026-11-27T10:00:00Z"), at("2026-11-27T10:00:00Z"));
        assert_eq!(resolve("2026-11-26"), at("2026-11-26T00:00:00Z"));
        assert_eq!(resolve("2h"), at("2026-11-27T11:00:00Z"));
        assert_eq!(resolve("2h ago"), at("2026-11-27T11:00:00Z"));
        assert_eq!(resolve("08:14"), at("2026-11-27T08:14:00Z"));
        assert_eq!(resolve(" 12:59:30 "), at("2026-11-27T12:59:30Z"));
        assert_eq!(
            resolve("23:50"),
            at("2026-11-26T23:50:00Z"),
            "a time still to come today is yesterday's"
        );
        let err = TimeBound::parse("last tuesday").unwrap_err();
        assert!(err.contains("last tuesday"), "{err}");
        assert!(parse_duration("0s").unwrap_err().contains("zero"));
    }

    #[test]
    fn a_reversed_window_is_refused() {
        let now = at("2026-11-27T13:00:00Z");
        let ago = |s| Some(TimeBound::Ago(Duration::from_secs(s)));
        assert!(matches!(
            resolve_window(ago(60), ago(7200), now),
            Err(WindowError::Empty { .. })
        ));
        assert_eq!(
            resolve_window(ago(7200), None, now),
            Ok((Some(at("2026-11-27T11:00:00Z")), None))
        );
        let forever = Some(TimeBound::Ago(Duration::from_secs(u64::MAX)));
        assert_eq!(
            resolve_window(forever, None, now),
            Err(WindowError::TooFarBack)
        );
    }
}
