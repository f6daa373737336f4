//! Service level targets (SLOs): a target is an SLI written as CloudWatch
//! metric math over a few metrics, an objective (the share of good events
//! or good periods) and a window such as 30 days. From one period series
//! of bad and total counts per target this module works out the value over
//! the window, the error budget left (as a share and as time) and the burn
//! rates over 1 h, 6 h and 3 d, and the burn-rate alarms a target wants.
//!
//! The TOML shape of one `[[slos]]` entry ([`RawSlo`]) lives here too, so
//! the provisioning spec and the config file read the same language; each
//! caller fills in its own variables and turns a [`SloFieldError`] into
//! its own `file:line` error.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::metric::{Dimension, MetricQuery, MetricRef, QuerySource, Series};

/// One metric an SLI names by `id`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloMetric {
    /// The id the SLI's expressions use (a GetMetricData query id).
    pub id: String,
    /// The metric.
    pub metric: MetricRef,
    /// Statistic, e.g. `Sum`, `Average`, `p99`.
    pub stat: String,
}

/// How a target tells good from bad.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sli {
    /// Bad events over all events: both metric math giving counts per
    /// period (the SLI is `100 * bad / total`, the percentage of bad).
    Ratio {
        /// Bad events per period.
        bad: String,
        /// All events per period.
        total: String,
    },
    /// A period is good when `good` (metric math giving 1 or 0 per period,
    /// e.g. `mdur < 30000`) is 1; periods without data do not count.
    Threshold {
        /// The condition of a good period.
        good: String,
    },
}

/// One service level target, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slo {
    /// Target name (also the prefix of its burn-rate alarms).
    pub name: String,
    /// What it promises, for people.
    pub description: String,
    /// The metrics the SLI uses.
    pub metrics: Vec<SloMetric>,
    /// The SLI.
    pub sli: Sli,
    /// Percent of events (ratio) or periods (threshold) that must be good.
    pub objective: f64,
    /// The window the objective holds over, in seconds.
    pub window_secs: u64,
    /// The SLI's period in seconds.
    pub period_secs: u32,
    /// Whether `provision` makes its burn-rate alarms.
    pub alarms: bool,
}

/// The windows a burn rate is shown over, shortest first.
pub const BURN_WINDOWS: [(&str, u64); 3] = [("1h", 3600), ("6h", 6 * 3600), ("3d", 3 * 86_400)];

/// The default SLI period: GetMetricData keeps one-minute data for only 15
/// days, five-minute data for 63, so a 30-day window needs 300 s or more.
pub const DEFAULT_PERIOD_SECS: u32 = 300;

/// The most periods one target may ask for: its two series then fit in
/// one page of GetMetricData (100,800 points).
const MAX_PERIODS: u64 = 100_800 / 2;

/// The longest window: one GetMetricData call returns at most 100,800
/// points, and five-minute data is kept for 63 days.
pub const MAX_WINDOW_SECS: u64 = 63 * 86_400;

impl Slo {
    /// The share of events or periods that may be bad (the error budget),
    /// e.g. 0.01 for an objective of 99 %.
    pub fn allowed_bad(&self) -> f64 {
        1.0 - self.objective / 100.0
    }

    /// The SLI as metric math, as people read it.
    pub fn sli_text(&self) -> String {
        match &self.sli {
            Sli::Ratio { bad, total } => format!("100 * ({bad}) / ({total})"),
            Sli::Threshold { good } => format!("share of periods with {good}"),
        }
    }

    /// How far back a fetch must reach: the window, or the longest burn
    /// window if that is longer.
    pub fn span_secs(&self) -> u64 {
        self.window_secs.max(BURN_WINDOWS[BURN_WINDOWS.len() - 1].1)
    }

    /// The GetMetricData queries of target number `k` of a batch: its
    /// metrics (not returned) and the expressions the service evaluates,
    /// returned under ids `s{k}bad` and `s{k}total` (ratio) or `s{k}good`
    /// (threshold). Metric ids are used as written, so the targets of one
    /// batch must not share them (the spec and the config check this).
    pub fn queries(&self, k: usize) -> Vec<MetricQuery> {
        let period = self.period_secs;
        let mut out: Vec<MetricQuery> = self
            .metrics
            .iter()
            .map(|m| MetricQuery {
                return_data: false,
                ..MetricQuery::metric(m.id.clone(), m.metric.clone(), &m.stat, period)
            })
            .collect();
        let expression = |id: String, text: &str| MetricQuery {
            id,
            source: QuerySource::Expression {
                expression: text.to_string(),
                period_secs: Some(period),
            },
            label: None,
            return_data: true,
        };
        match &self.sli {
            Sli::Ratio { bad, total } => {
                out.push(expression(bad_id(k), bad));
                out.push(expression(total_id(k), total));
            }
            Sli::Threshold { good } => out.push(expression(good_id(k), good)),
        }
        out
    }

    /// The bad and total counts per completed period (by `now`) of target
    /// `k` out of a batch's answer (`series` may hold other targets' too),
    /// oldest first, or the service's message when a series of this target
    /// carries one.
    pub fn periods(
        &self,
        k: usize,
        series: &[Series],
        now: Timestamp,
    ) -> Result<Vec<Period>, String> {
        let find = |id: String| {
            let s = series
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| format!("no answer for {id}"))?;
            match &s.message {
                Some(m) => Err(format!("{id}: {m}")),
                None => {
                    let mut s = s.clone();
                    s.drop_incomplete(self.period_secs, now);
                    Ok(s)
                }
            }
        };
        Ok(match &self.sli {
            Sli::Ratio { .. } => {
                let bad: BTreeMap<Timestamp, f64> =
                    find(bad_id(k))?.points.iter().copied().collect();
                find(total_id(k))?
                    .points
                    .iter()
                    .filter(|(_, total)| *total > 0.0)
                    .map(|&(start, total)| Period {
                        start,
                        bad: bad.get(&start).copied().unwrap_or(0.0).clamp(0.0, total),
                        total,
                    })
                    .collect()
            }
            Sli::Threshold { .. } => find(good_id(k))?
                .points
                .iter()
                .map(|&(start, good)| Period {
                    start,
                    bad: if good >= 1.0 { 0.0 } else { 1.0 },
                    total: 1.0,
                })
                .collect(),
        })
    }

    /// What the target looks like at `now` given its periods.
    pub fn status(&self, periods: &[Period], now: Timestamp) -> SloStatus {
        let allowed = self.allowed_bad();
        let over = |secs: u64| bad_share(periods, now, secs);
        let window_share = over(self.window_secs);
        let budget_remaining = window_share.map(|share| 100.0 * (1.0 - share / allowed));
        SloStatus {
            name: self.name.clone(),
            description: self.description.clone(),
            sli: self.sli_text(),
            objective: self.objective,
            window_secs: self.window_secs,
            current: window_share.map(|share| 100.0 * (1.0 - share)),
            budget_remaining,
            budget_remaining_secs: budget_remaining
                .map(|left| left / 100.0 * allowed * self.window_secs as f64),
            burn_rates: BURN_WINDOWS
                .iter()
                .map(|&(window, secs)| BurnRate {
                    window: window.to_string(),
                    window_secs: secs,
                    rate: over(secs).map(|share| share / allowed),
                })
                .collect(),
            periods: periods
                .iter()
                .map(|p| (p.start, 100.0 * p.bad / p.total))
                .collect(),
            error: None,
        }
    }

    /// A status that says why it has no values.
    pub fn failed(&self, error: String) -> SloStatus {
        SloStatus {
            error: Some(error),
            ..self.status(&[], Timestamp::UNIX_EPOCH)
        }
    }
}

fn bad_id(k: usize) -> String {
    format!("s{k}bad")
}

fn total_id(k: usize) -> String {
    format!("s{k}total")
}

fn good_id(k: usize) -> String {
    format!("s{k}good")
}

/// One period of a target: how many events (or periods) were bad out of
/// how many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    /// Start of the period.
    pub start: Timestamp,
    /// Bad events.
    pub bad: f64,
    /// All events (more than zero).
    pub total: f64,
}

/// The share of bad over the periods that started in the last `secs`
/// before `now` (`None`: no events).
pub fn bad_share(periods: &[Period], now: Timestamp, secs: u64) -> Option<f64> {
    let since = now
        .checked_sub(SignedDuration::from_secs(secs as i64))
        .unwrap_or(Timestamp::MIN);
    let (bad, total) = periods
        .iter()
        .filter(|p| p.start >= since && p.start < now)
        .fold((0.0, 0.0), |(b, t), p| (b + p.bad, t + p.total));
    (total > 0.0).then(|| bad / total)
}

/// How fast the budget burns over one window: 1.0 spends exactly the
/// budget by the end of the target's window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnRate {
    /// `1h`, `6h`, `3d`.
    pub window: String,
    /// The window in seconds.
    pub window_secs: u64,
    /// The burn rate (`None`: no events in the window).
    pub rate: Option<f64>,
}

/// Burn rates at or above this spend the budget before the window ends.
pub const BURNING: f64 = 1.0;

/// One target's state, as the CLI prints it and the Overview draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloStatus {
    /// Target name.
    pub name: String,
    /// What it promises.
    pub description: String,
    /// The SLI as metric math.
    pub sli: String,
    /// Percent that must be good.
    pub objective: f64,
    /// The window in seconds.
    pub window_secs: u64,
    /// Percent good over the window (`None`: no data).
    pub current: Option<f64>,
    /// Percent of the error budget left (negative once overspent).
    pub budget_remaining: Option<f64>,
    /// The budget left as time at a total outage, in seconds.
    pub budget_remaining_secs: Option<f64>,
    /// Burn rates over [`BURN_WINDOWS`].
    pub burn_rates: Vec<BurnRate>,
    /// Percent bad per period, oldest first (the chart).
    #[serde(skip)]
    pub periods: Vec<(Timestamp, f64)>,
    /// Why there are no values.
    pub error: Option<String>,
}

impl SloStatus {
    /// The shortest window burning the budget faster than it lasts, and
    /// its rate; else the window with the highest rate.
    pub fn burning(&self) -> Option<&BurnRate> {
        self.burn_rates
            .iter()
            .find(|b| b.rate.is_some_and(|r| r >= BURNING))
            .or_else(|| {
                self.burn_rates
                    .iter()
                    .filter(|b| b.rate.is_some())
                    .max_by(|a, b| {
                        a.rate
                            .partial_cmp(&b.rate)
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
            })
    }

    /// The allowed percent bad (the budget line of the chart).
    pub fn budget_line(&self) -> f64 {
        100.0 - self.objective
    }
}

/// The two windows of a burn-rate alarm, its rate, and what it is called.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnAlarm {
    /// `fast` or `slow`.
    pub speed: &'static str,
    /// The burn rate that pages.
    pub rate: f64,
    /// The long window, seconds.
    pub long_secs: u32,
    /// The short window, seconds.
    pub short_secs: u32,
}

/// The multi-window burn-rate alarms every target with `alarms` gets.
pub const BURN_ALARMS: [BurnAlarm; 2] = [
    BurnAlarm {
        speed: "fast",
        rate: 14.4,
        long_secs: 3600,
        short_secs: 300,
    },
    BurnAlarm {
        speed: "slow",
        rate: 6.0,
        long_secs: 6 * 3600,
        short_secs: 1800,
    },
];

// ---- the TOML shape ----

type Text = Spanned<String>;

/// One `[[slos]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlo {
    name: Text,
    description: Option<Text>,
    objective: Spanned<f64>,
    window: Text,
    period: Option<Spanned<u32>>,
    bad: Option<Text>,
    total: Option<Text>,
    good: Option<Text>,
    #[serde(default)]
    alarms: bool,
    metrics: Spanned<BTreeMap<String, RawSloMetric>>,
}

impl RawSlo {
    /// Where its name is written, for errors about what the name makes
    /// (its burn-rate alarms' names).
    pub fn name_span(&self) -> std::ops::Range<usize> {
        self.name.span()
    }
}

/// One metric of a `[[slos]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSloMetric {
    namespace: Text,
    metric: Text,
    #[serde(default)]
    dimensions: BTreeMap<String, Text>,
    statistic: Text,
}

/// A value of a `[[slos]]` entry that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SloFieldError {
    /// Byte range of the value in the file.
    pub span: std::ops::Range<usize>,
    /// The field after the entry, e.g. `objective`.
    pub field: String,
    /// What was wrong.
    pub message: String,
}

impl SloFieldError {
    fn new(span: std::ops::Range<usize>, field: &str, message: impl Into<String>) -> Self {
        Self {
            span,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Fills in a text value (the spec's `${variables}`), or says why not.
pub type Fill<'a> = dyn Fn(&Text, &str) -> Result<String, SloFieldError> + 'a;

fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !(id.starts_with('s') && id[1..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Checks one entry; `fill` gives each text value (with variables filled).
pub fn check(raw: &RawSlo, fill: &Fill<'_>) -> Result<Slo, SloFieldError> {
    let required = |value: &Text, field: &str| {
        let text = fill(value, field)?;
        if text.trim().is_empty() {
            return Err(SloFieldError::new(value.span(), field, "is empty"));
        }
        Ok(text)
    };
    let name = required(&raw.name, "name")?;
    let objective = *raw.objective.get_ref();
    if !(objective > 0.0 && objective < 100.0) {
        return Err(SloFieldError::new(
            raw.objective.span(),
            "objective",
            format!("{objective} is not a percentage above 0 and below 100, e.g. 99.9"),
        ));
    }
    let window_text = required(&raw.window, "window")?;
    let window = super::time_bound::parse_duration(&window_text)
        .map_err(|m| SloFieldError::new(raw.window.span(), "window", m))?;
    let period_secs = raw
        .period
        .as_ref()
        .map_or(DEFAULT_PERIOD_SECS, |p| *p.get_ref());
    let period_span = raw.period.as_ref().map_or(raw.name.span(), Spanned::span);
    if period_secs < 60 || !period_secs.is_multiple_of(60) {
        return Err(SloFieldError::new(
            period_span,
            "period",
            format!("{period_secs} s is not a multiple of 60"),
        ));
    }
    let window_secs = window.as_secs();
    if window_secs > MAX_WINDOW_SECS || window < Duration::from_secs(u64::from(period_secs)) {
        return Err(SloFieldError::new(
            raw.window.span(),
            "window",
            format!(
                "{window_text} must be between one period ({period_secs} s) and 63 days (the age of five-minute data)"
            ),
        ));
    }
    if period_secs < 300 && window_secs > 15 * 86_400 {
        return Err(SloFieldError::new(
            period_span,
            "period",
            format!(
                "CloudWatch keeps {period_secs}-second data for 15 days, less than {window_text}: use 300 or more"
            ),
        ));
    }
    if window_secs.div_ceil(u64::from(period_secs)) > MAX_PERIODS {
        return Err(SloFieldError::new(
            period_span,
            "period",
            format!(
                "{period_secs} s gives too many periods over {window_text}: use a longer period"
            ),
        ));
    }
    let sli = match (&raw.bad, &raw.total, &raw.good) {
        (Some(bad), Some(total), None) => Sli::Ratio {
            bad: required(bad, "bad")?,
            total: required(total, "total")?,
        },
        (None, None, Some(good)) => Sli::Threshold {
            good: required(good, "good")?,
        },
        _ => {
            return Err(SloFieldError::new(
                raw.name.span(),
                "name",
                "give either bad and total (a ratio SLI) or good (a threshold SLI)",
            ));
        }
    };
    let mut metrics = Vec::new();
    for (id, m) in raw.metrics.get_ref() {
        let field = |f: &str| format!("metrics.{id}.{f}");
        if !valid_id(id) {
            return Err(SloFieldError::new(
                raw.metrics.span(),
                &format!("metrics.{id}"),
                "an id starts with a lower-case letter (not s and a digit, kept for monitui's own) and holds letters, digits and _",
            ));
        }
        let dimensions = m
            .dimensions
            .iter()
            .map(|(k, v)| {
                Ok(Dimension::new(
                    k,
                    required(v, &field(&format!("dimensions.{k}")))?,
                ))
            })
            .collect::<Result<Vec<_>, SloFieldError>>()?;
        metrics.push(SloMetric {
            id: id.clone(),
            metric: MetricRef::new(
                required(&m.namespace, &field("namespace"))?,
                required(&m.metric, &field("metric"))?,
                dimensions,
            ),
            stat: required(&m.statistic, &field("statistic"))?,
        });
    }
    if metrics.is_empty() {
        return Err(SloFieldError::new(
            raw.metrics.span(),
            "metrics",
            "name at least one metric",
        ));
    }
    Ok(Slo {
        name,
        description: match &raw.description {
            Some(d) => fill(d, "description")?,
            None => String::new(),
        },
        metrics,
        sli,
        objective,
        window_secs,
        period_secs,
        alarms: raw.alarms,
    })
}

/// Checks a list of entries: each one, then that names and metric ids are
/// not used twice (the targets' queries go to the service in one batch).
pub fn check_all(raw: &[RawSlo], fill: &Fill<'_>) -> Result<Vec<Slo>, (usize, SloFieldError)> {
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let slo = check(r, fill).map_err(|e| (i, e))?;
        if !names.insert(slo.name.clone()) {
            return Err((
                i,
                SloFieldError::new(
                    r.name.span(),
                    "name",
                    format!("'{}' appears twice", slo.name),
                ),
            ));
        }
        if let Some(dup) = slo.metrics.iter().find(|m| !ids.insert(m.id.clone())) {
            return Err((
                i,
                SloFieldError::new(
                    r.metrics.span(),
                    &format!("metrics.{}", dup.id),
                    format!(
                        "id '{}' is used by an earlier target: the targets' queries go in one batch, so give each its own ids",
                        dup.id
                    ),
                ),
            ));
        }
        out.push(slo);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
