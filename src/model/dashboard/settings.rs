//! A body's top-level settings besides `widgets`: the default time range
//! (`start`, `end`), `periodOverride` and `variables`. They are kept for
//! the data layer; a bad one is reported and ignored, never fatal.

use std::time::Duration;

use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp};
use serde_json::{Map, Value};

use super::error::{SettingError, WidgetProblem};
use super::props::Props;
use super::variables::Variable;
use crate::model::TimeRange;

/// A `start` or `end` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    /// Relative to now, e.g. `-PT3H` (stored as the negative offset).
    Relative(SignedDuration),
    /// A fixed moment.
    Absolute(Timestamp),
}

impl TimeSpec {
    /// Parses `-PT3H`, `-P7D` or an ISO 8601 timestamp.
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(t) = text.parse::<Timestamp>() {
            return Some(TimeSpec::Absolute(t));
        }
        let span: Span = text.parse().ok()?;
        span.to_duration(SpanRelativeTo::days_are_24_hours())
            .ok()
            .map(TimeSpec::Relative)
    }

    fn at(self, now: Timestamp) -> Option<Timestamp> {
        match self {
            TimeSpec::Absolute(t) => Some(t),
            TimeSpec::Relative(d) => now.checked_add(d).ok(),
        }
    }
}

/// `periodOverride`: whether the dashboard's time range may change periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodOverride {
    /// Periods adapt to the time range.
    Auto,
    /// Each widget keeps its own period.
    Inherit,
}

/// The top-level settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Default start of the time range.
    pub start: Option<TimeSpec>,
    /// Default end of the time range (now when absent).
    pub end: Option<TimeSpec>,
    /// `periodOverride`.
    pub period_override: Option<PeriodOverride>,
    /// `variables`.
    pub variables: Vec<Variable>,
    /// Settings that were present but unusable (and so ignored).
    pub errors: Vec<SettingError>,
}

impl Settings {
    /// Reads the settings from the body's top-level object.
    pub fn parse(top: &Map<String, Value>) -> Self {
        let p = Props::new(top, "");
        let mut out = Settings::default();
        let mut time = |key: &str| match p.string(key) {
            Ok(None) => None,
            Ok(Some(text)) => TimeSpec::parse(&text).or_else(|| {
                out.errors.push(SettingError(WidgetProblem::BadValue {
                    key: key.to_string(),
                    value: format!("\"{text}\""),
                    reason: "expected a relative time such as -PT3H or -P7D, or an ISO 8601 time"
                        .into(),
                }));
                None
            }),
            Err(e) => {
                out.errors.push(SettingError(e));
                None
            }
        };
        let (start, end) = (time("start"), time("end"));
        out.start = start;
        out.end = end;
        match p.choice(
            "periodOverride",
            &[
                ("auto", PeriodOverride::Auto),
                ("inherit", PeriodOverride::Inherit),
            ],
        ) {
            Ok(v) => out.period_override = v,
            Err(e) => out.errors.push(SettingError(e)),
        }
        match p.array("variables") {
            Ok(items) => {
                for (i, item) in items.into_iter().flatten().enumerate() {
                    match Variable::parse(item, i) {
                        Ok(v) => out.variables.push(v),
                        Err(e) => out.errors.push(SettingError(e)),
                    }
                }
            }
            Err(e) => out.errors.push(SettingError(e)),
        }
        out
    }

    /// The range to show at `now`: the body's `start`/`end` when it has a
    /// usable `start`, otherwise the last `fallback`.
    pub fn time_range(&self, now: Timestamp, fallback: Duration) -> TimeRange {
        let end = self.end.and_then(|e| e.at(now)).unwrap_or(now);
        let start = self
            .start
            .and_then(|s| s.at(now))
            .filter(|s| *s < end)
            .unwrap_or_else(|| {
                SignedDuration::try_from(fallback)
                    .ok()
                    .and_then(|d| end.checked_sub(d).ok())
                    .unwrap_or(end)
            });
        TimeRange { start, end }
    }
}
