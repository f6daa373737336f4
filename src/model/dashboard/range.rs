//! What time range a dashboard is looked at over, and how often it is
//! fetched again: the body's own `start`/`end`, one of the presets
//! (1h, 3h, 12h, 1d, 1w, ending now), or a fixed window typed in
//! (`:range 2026-01-16T12:00Z..2026-01-16T15:00Z`, or `:range 90m`).

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::settings::Settings;
use crate::model::TimeRange;

/// The presets `[` and `]` step through, shortest first.
pub const RANGE_PRESETS: [Duration; 5] = [
    Duration::from_secs(3600),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(12 * 3600),
    Duration::from_secs(24 * 3600),
    Duration::from_secs(7 * 24 * 3600),
];

/// The auto-refresh intervals, `None` (off) first.
pub const AUTO_REFRESH: [Option<Duration>; 5] = [
    None,
    Some(Duration::from_secs(10)),
    Some(Duration::from_secs(60)),
    Some(Duration::from_secs(300)),
    Some(Duration::from_secs(900)),
];

/// Range shown when neither the viewer nor the body's `start` says.
pub const DEFAULT_RANGE: Duration = Duration::from_secs(3 * 3600);

/// The time range a dashboard is shown over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RangeChoice {
    /// The body's `start`/`end`, else the last [`DEFAULT_RANGE`].
    #[default]
    Body,
    /// The last this long, ending now.
    Last(Duration),
    /// A fixed window.
    Fixed(TimeRange),
}

impl RangeChoice {
    /// The window at `now` for a body with `settings`.
    pub fn at(&self, settings: &Settings, now: Timestamp) -> TimeRange {
        match self {
            RangeChoice::Body => settings.time_range(now, DEFAULT_RANGE),
            RangeChoice::Last(d) => Settings::default().time_range(now, *d),
            RangeChoice::Fixed(r) => *r,
        }
    }

    /// Whether the window ends now (and so slides forward as time passes).
    pub fn slides(&self, settings: &Settings) -> bool {
        match self {
            RangeChoice::Body => settings.end.is_none(),
            RangeChoice::Last(_) => true,
            RangeChoice::Fixed(_) => false,
        }
    }

    /// The next preset longer (`delta` > 0) or shorter than `shown` (the
    /// window on screen), clamped to the presets.
    pub fn step(shown: TimeRange, delta: isize) -> RangeChoice {
        let r = shown;
        let secs = r.end.duration_since(r.start).as_secs().max(0) as u64;
        let current = Duration::from_secs(secs);
        let pick = if delta > 0 {
            RANGE_PRESETS.iter().find(|p| **p > current)
        } else {
            RANGE_PRESETS.iter().rev().find(|p| **p < current)
        };
        let fallback = if delta > 0 {
            RANGE_PRESETS[RANGE_PRESETS.len() - 1]
        } else {
            RANGE_PRESETS[0]
        };
        RangeChoice::Last(*pick.unwrap_or(&fallback))
    }

    /// How the title shows it: `body (3h)`, `3h`, `12:00–15:00 UTC`.
    pub fn label(&self, settings: &Settings, now: Timestamp) -> String {
        let length = |r: TimeRange| short(r.end.duration_since(r.start));
        match self {
            RangeChoice::Body => format!("body ({})", length(self.at(settings, now))),
            RangeChoice::Last(d) => short(SignedDuration::try_from(*d).unwrap_or_default()),
            RangeChoice::Fixed(r) => format!(
                "{}–{} {}",
                crate::model::zone::shown(r.start, "%m-%d %H:%M"),
                crate::model::zone::shown(r.end, "%m-%d %H:%M"),
                crate::model::zone::zone_name()
            ),
        }
    }

    /// Parses what `:range` was given: a duration ending now (`90m`, `2d`)
    /// or `START..END` in RFC 3339 (`2026-01-16T12:00:00Z..2026-01-16T15:00:00Z`).
    pub fn parse(text: &str) -> Result<RangeChoice, String> {
        let text = text.trim();
        if let Some((start, end)) = text.split_once("..") {
            let at = |s: &str| {
                s.trim()
                    .parse::<Timestamp>()
                    .map_err(|e| format!("'{s}' is not a time like 2026-01-16T12:00:00Z ({e})"))
            };
            let (start, end) = (at(start)?, at(end)?);
            if start >= end {
                return Err(format!("the range {text} ends before it starts"));
            }
            return Ok(RangeChoice::Fixed(TimeRange { start, end }));
        }
        let d = humantime::parse_duration(text)
            .map_err(|e| format!("'{text}' is not a range like 3h, 1d or START..END ({e})"))?;
        if d.is_zero() {
            return Err("a range of zero shows nothing; give e.g. 3h".into());
        }
        Ok(RangeChoice::Last(d))
    }
}

/// `1h`, `3h`, `1d`, `1w`, `90m`: the shortest exact form.
pub fn short(d: SignedDuration) -> String {
    let secs = d.as_secs().max(0);
    for (unit, name) in [(7 * 86_400, "w"), (86_400, "d"), (3600, "h"), (60, "m")] {
        if secs >= unit && secs % unit == 0 {
            return format!("{}{name}", secs / unit);
        }
    }
    format!("{secs}s")
}

/// How the title shows an auto-refresh interval.
pub fn auto_refresh_label(interval: Option<Duration>) -> String {
    match interval {
        None => "off".into(),
        Some(d) => short(SignedDuration::try_from(d).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn presets_step_from_whatever_is_shown() {
        let s = Settings::default();
        let now = t("2026-01-16T15:00:00Z");
        let shown = |c: RangeChoice| c.at(&s, now);
        assert_eq!(
            RangeChoice::step(shown(RangeChoice::Body), 1),
            RangeChoice::Last(RANGE_PRESETS[2]),
            "3h by default, so one longer is 12h"
        );
        assert_eq!(
            RangeChoice::step(shown(RangeChoice::Body), -1),
            RangeChoice::Last(RANGE_PRESETS[0])
        );
        let week = RangeChoice::Last(RANGE_PRESETS[4]);
        assert_eq!(
            RangeChoice::step(shown(week), 1),
            week,
            "clamped at the longest"
        );
        let odd = RangeChoice::Last(Duration::from_secs(2 * 3600));
        assert_eq!(
            RangeChoice::step(shown(odd), 1),
            RangeChoice::Last(RANGE_PRESETS[1])
        );
    }

    #[test]
    fn ranges_parse_as_durations_or_fixed_windows() {
        assert_eq!(
            RangeChoice::parse("90m"),
            Ok(RangeChoice::Last(Duration::from_secs(5400)))
        );
        let fixed = RangeChoice::parse("2026-01-16T12:00:00Z..2026-01-16T15:00:00Z").unwrap();
        let r = fixed.at(&Settings::default(), t("2026-02-01T00:00:00Z"));
        assert_eq!(r.start, t("2026-01-16T12:00:00Z"));
        assert!(!fixed.slides(&Settings::default()));
        assert!(
            RangeChoice::parse("2026-01-16T15:00:00Z..2026-01-16T12:00:00Z")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(RangeChoice::parse("soon").unwrap_err().contains("'soon'"));
        assert!(RangeChoice::parse("0s").is_err());
    }

    #[test]
    fn labels_are_short() {
        let s = Settings::default();
        let now = t("2026-01-16T15:00:00Z");
        assert_eq!(RangeChoice::Body.label(&s, now), "body (3h)");
        assert_eq!(RangeChoice::Last(RANGE_PRESETS[4]).label(&s, now), "1w");
        assert_eq!(RangeChoice::Last(RANGE_PRESETS[3]).label(&s, now), "1d");
        assert_eq!(auto_refresh_label(AUTO_REFRESH[0]), "off");
        assert_eq!(auto_refresh_label(AUTO_REFRESH[1]), "10s");
        assert_eq!(auto_refresh_label(AUTO_REFRESH[4]), "15m");
    }
}
