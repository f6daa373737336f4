//! Why a metric alarm is in its state, worked out again: the evaluation
//! window the service used (from its StateReasonData, else the latest
//! completed periods), the alarm's own datapoints over that window run
//! through the same [`evaluate`] the demo account uses, the verdict checked
//! against the service's (state, values, threshold), and at current values
//! how many periods it would take to change state. Pure: the data layer
//! fetches, this judges.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::evaluate::{Point, Rule, evaluate};
use super::reason_data::ReasonData;
use super::{Alarm, AlarmState, Comparison, MetricAlarmSpec, MetricQuery, TimeRange};
use super::{QuerySource, TreatMissingData};

/// Values closer than this (relative) count as the same datapoint.
const SAME_VALUE: f64 = 1e-6;

/// Why an alarm cannot be explained.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExplainError {
    /// A composite alarm has no datapoints: its rule is shown instead.
    #[error("{0} is a composite alarm: `alarms show` draws its rule with each child's state")]
    Composite(String),
    /// The threshold is an anomaly band, which [`evaluate`] does not judge.
    #[error(
        "{0} compares against an anomaly-detection band ({1}); explain claims no verdict against a band it cannot see as the service did (the detail view charts the band)"
    )]
    AnomalyBand(String, String),
    /// The alarm names no metric and no query returning data, or a zero period.
    #[error("{0} has no metric or query to evaluate (period {1} s)")]
    NothingToEvaluate(String, u32),
}

/// Where the evaluation window came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowSource {
    /// The service's StateReasonData for the current state.
    ServiceReasonData,
    /// No usable StateReasonData: the latest completed periods.
    LatestPeriods,
}

/// One period of the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainPoint {
    /// Start of the period.
    pub timestamp: Timestamp,
    /// The alarm's statistic over the period, as fetched (`None`: missing).
    pub value: Option<f64>,
    /// Whether the value breaches (`None` for a missing period).
    pub breaching: Option<bool>,
    /// Whether the verdict named this period as deciding.
    pub decided: bool,
}

/// The alarm's rule, as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSummary {
    /// M: breaching datapoints needed for ALARM.
    pub datapoints_to_alarm: u32,
    /// N: periods evaluated.
    pub evaluation_periods: u32,
    /// The comparison.
    pub comparison: Comparison,
    /// The threshold.
    pub threshold: f64,
    /// Missing-data treatment.
    pub treat_missing_data: TreatMissingData,
    /// Statistic.
    pub statistic: String,
    /// Period in seconds.
    pub period_secs: u32,
}

/// When the alarm would next change state at current values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextChange {
    /// The state it would go to.
    pub to: AlarmState,
    /// How many more periods like that it takes.
    pub periods: u32,
    /// What each of those periods must be (`Sum > 10`, `no data`).
    pub needs: String,
    /// The earliest evaluation that could see it (end of the last period).
    pub earliest: Timestamp,
}

/// The latest completed periods and what they say now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Current {
    /// The window.
    pub window: TimeRange,
    /// Its periods, oldest first.
    pub datapoints: Vec<ExplainPoint>,
    /// What the evaluator makes of them.
    pub evaluated_state: AlarmState,
    /// Breaching periods needed for the other state (or clear periods to
    /// leave ALARM); `None` when no number of them changes the state.
    pub next_change: Option<NextChange>,
    /// What happens if data stops: the state and after how many periods.
    pub if_data_stops: Option<NextChange>,
}

/// The whole explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Alarm name.
    pub alarm: String,
    /// The state the service reports.
    pub service_state: AlarmState,
    /// The state it left in its last transition (from the reason, else the
    /// current state).
    pub previous_state: AlarmState,
    /// When it entered its state.
    pub transitioned_at: Timestamp,
    /// The service's reason text.
    pub service_reason: String,
    /// The rule.
    pub rule: RuleSummary,
    /// The evaluation range that decided.
    pub window: TimeRange,
    /// Where that range came from.
    pub window_source: WindowSource,
    /// Its periods, oldest first, with the fetched values.
    pub datapoints: Vec<ExplainPoint>,
    /// Missing periods in the window.
    pub missing: usize,
    /// How missing periods were treated, in words.
    pub missing_treatment: String,
    /// What the evaluator decides over the window.
    pub evaluated_state: AlarmState,
    /// The evaluator's reason, worded like CloudWatch's.
    pub evaluated_reason: String,
    /// The values the service says it saw (recentDatapoints), oldest first.
    pub service_datapoints: Option<Vec<f64>>,
    /// Whether the verdict, the values and the rule agree with the service.
    pub agrees_with_service: bool,
    /// Every disagreement, in words (empty when it agrees).
    pub disagreements: Vec<String>,
    /// The latest completed periods.
    pub current: Current,
}

/// The queries whose data an alarm is judged on, and the id of the one
/// evaluated.
pub fn alarm_queries(alarm: &Alarm) -> Result<(Vec<MetricQuery>, String), ExplainError> {
    let spec = spec_of(alarm)?;
    if let Some(band) = &spec.threshold_metric_id {
        let expression = spec
            .queries
            .iter()
            .find(|q| &q.id == band)
            .map_or(band.clone(), |q| match &q.source {
                QuerySource::Expression { expression, .. } => expression.clone(),
                QuerySource::Metric { .. } => band.clone(),
            });
        return Err(ExplainError::AnomalyBand(alarm.name.clone(), expression));
    }
    if spec.period_secs == 0 {
        return Err(ExplainError::NothingToEvaluate(alarm.name.clone(), 0));
    }
    if let Some(metric) = &spec.metric
        && spec.queries.is_empty()
    {
        let q = MetricQuery::metric("m", metric.clone(), &spec.stat, spec.period_secs);
        return Ok((vec![q], "m".to_string()));
    }
    let judged = spec
        .queries
        .iter()
        .find(|q| q.return_data)
        .ok_or_else(|| ExplainError::NothingToEvaluate(alarm.name.clone(), spec.period_secs))?;
    Ok((spec.queries.clone(), judged.id.clone()))
}

fn spec_of(alarm: &Alarm) -> Result<&MetricAlarmSpec, ExplainError> {
    alarm
        .metric_spec()
        .ok_or_else(|| ExplainError::Composite(alarm.name.clone()))
}

/// The evaluation range that decided the alarm's state: the window of its
/// StateReasonData when that names one, else the latest `N` completed
/// periods before `now`.
pub fn decision_window(
    spec: &MetricAlarmSpec,
    reason: Option<&ReasonData>,
    now: Timestamp,
) -> (TimeRange, WindowSource) {
    let period = period_of(spec);
    let n = i64::from(spec.evaluation_periods.max(1));
    let start = reason.and_then(|r| {
        r.start_date.or_else(|| {
            (r.evaluated_datapoints.len() as i64 == n)
                .then(|| r.evaluated_datapoints.iter().map(|p| p.timestamp).min())
                .flatten()
        })
    });
    match start {
        Some(start) => (
            TimeRange {
                start,
                end: start + period * n as i32,
            },
            WindowSource::ServiceReasonData,
        ),
        None => (latest_window(spec, now), WindowSource::LatestPeriods),
    }
}

/// The latest `N` completed periods before `now`, aligned to the period.
pub fn latest_window(spec: &MetricAlarmSpec, now: Timestamp) -> TimeRange {
    let secs = i64::from(spec.period_secs.max(1));
    let end_secs = now.as_second().div_euclid(secs) * secs;
    let end = Timestamp::from_second(end_secs).unwrap_or(now);
    let n = spec.evaluation_periods.max(1) as i32;
    TimeRange {
        start: end - period_of(spec) * n,
        end,
    }
}

fn period_of(spec: &MetricAlarmSpec) -> SignedDuration {
    SignedDuration::from_secs(i64::from(spec.period_secs.max(1)))
}

/// One point per period of `window`, with the value `series` has at the
/// period's start (`None` where it has none).
pub fn points_in(window: TimeRange, period_secs: u32, series: &[(Timestamp, f64)]) -> Vec<Point> {
    let period = SignedDuration::from_secs(i64::from(period_secs.max(1)));
    let mut out = Vec::new();
    let mut t = window.start;
    while t < window.end {
        let value = series.iter().find(|(at, _)| *at == t).map(|(_, v)| *v);
        out.push((t, value));
        t += period;
    }
    out
}

/// The state the last transition came from, read from the reason's
/// `(... for OK -> ALARM transition)`.
fn previous_state(reason: &str) -> Option<AlarmState> {
    let (head, _) = reason.split_once(" transition")?;
    let (from, _) = head.rsplit_once(" -> ")?;
    from.rsplit(' ').next().and_then(AlarmState::parse)
}

fn rule_of(spec: &MetricAlarmSpec) -> Rule {
    Rule {
        datapoints_to_alarm: spec.m_of_n().0,
        comparison: spec.comparison,
        threshold: spec.threshold,
        treat_missing: spec.treat_missing,
    }
}

/// The periods of `points` marked against `rule`, deciding ones flagged.
fn marked(points: &[Point], rule: &Rule, decided: &[Point]) -> Vec<ExplainPoint> {
    points
        .iter()
        .map(|(t, v)| ExplainPoint {
            timestamp: *t,
            value: *v,
            breaching: v.map(|v| rule.comparison.breaches(v, rule.threshold)),
            decided: decided.iter().any(|(d, _)| d == t),
        })
        .collect()
}

/// Explains `alarm` from `series` (the judged query's points, covering the
/// decision window and the latest periods before `now`).
pub fn explain(
    alarm: &Alarm,
    series: &[(Timestamp, f64)],
    now: Timestamp,
) -> Result<Explanation, ExplainError> {
    alarm_queries(alarm)?;
    let spec = spec_of(alarm)?;
    let parsed = alarm
        .reason_data
        .as_deref()
        .and_then(|d| ReasonData::parse(d).ok());
    let (window, window_source) = decision_window(spec, parsed.as_ref(), now);
    let rule = rule_of(spec);
    let previous = previous_state(&alarm.reason).unwrap_or(alarm.state);
    let points = points_in(window, spec.period_secs, series);
    let outcome = evaluate(&points, &rule, previous);
    let missing = points.iter().filter(|(_, v)| v.is_none()).count();
    let mut disagreements = Vec::new();
    if outcome.state != alarm.state {
        disagreements.push(format!(
            "the evaluator says {} over this window, the service says {}",
            outcome.state, alarm.state
        ));
    }
    if let Some(r) = &parsed
        && window_source == WindowSource::ServiceReasonData
    {
        disagreements.extend(compare_with_service(spec, r, &points));
    } else if alarm.reason_data.is_some() {
        disagreements.push("the service's StateReasonData could not be read".to_string());
    }
    let current = current(spec, &rule, series, alarm.state, now);
    Ok(Explanation {
        alarm: alarm.name.clone(),
        service_state: alarm.state,
        previous_state: previous,
        transitioned_at: alarm.transitioned_at,
        service_reason: alarm.reason.clone(),
        rule: RuleSummary {
            datapoints_to_alarm: rule.datapoints_to_alarm,
            evaluation_periods: spec.evaluation_periods,
            comparison: spec.comparison,
            threshold: spec.threshold,
            treat_missing_data: spec.treat_missing,
            statistic: spec.stat.clone(),
            period_secs: spec.period_secs,
        },
        window,
        window_source,
        datapoints: marked(&points, &rule, &outcome.decided),
        missing,
        missing_treatment: missing_treatment(spec.treat_missing).to_string(),
        evaluated_state: outcome.state,
        evaluated_reason: outcome.reason,
        service_datapoints: parsed.map(|r| r.recent_datapoints),
        agrees_with_service: disagreements.is_empty(),
        disagreements,
        current,
    })
}

/// What the service's document says that the fetched window does not.
fn compare_with_service(spec: &MetricAlarmSpec, r: &ReasonData, points: &[Point]) -> Vec<String> {
    let mut out = Vec::new();
    let ours: Vec<f64> = points.iter().filter_map(|(_, v)| *v).collect();
    let same = |a: f64, b: f64| (a - b).abs() <= SAME_VALUE * a.abs().max(b.abs()).max(1.0);
    if ours.len() != r.recent_datapoints.len()
        || ours
            .iter()
            .zip(&r.recent_datapoints)
            .any(|(a, b)| !same(*a, *b))
    {
        out.push(format!(
            "the service saw [{}], GetMetricData now gives [{}] (late data, or a changed metric)",
            join(&r.recent_datapoints),
            join(&ours)
        ));
    }
    if let Some(t) = r.threshold
        && !same(t, spec.threshold)
    {
        out.push(format!(
            "the service evaluated threshold {t}, the alarm now says {}",
            spec.threshold
        ));
    }
    if let Some(p) = r.period
        && p != spec.period_secs
    {
        out.push(format!(
            "the service evaluated period {p} s, the alarm now says {} s",
            spec.period_secs
        ));
    }
    if let Some(s) = &r.statistic
        && s != &spec.stat
    {
        out.push(format!(
            "the service evaluated statistic {s}, the alarm now says {}",
            spec.stat
        ));
    }
    out
}

fn join(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a treatment handles missing periods, in words.
pub fn missing_treatment(treat: TreatMissingData) -> &'static str {
    match treat {
        TreatMissingData::Missing => {
            "missing: not counted; a window with no data at all is INSUFFICIENT_DATA"
        }
        TreatMissingData::NotBreaching => "notBreaching: a missing period counts as good",
        TreatMissingData::Breaching => "breaching: a missing period counts as bad",
        TreatMissingData::Ignore => {
            "ignore: not counted; a window with no data at all keeps the current state"
        }
    }
}

/// A value that breaches (`true`) or clears (`false`) `threshold` under `c`.
fn hypothetical(c: Comparison, threshold: f64, breach: bool) -> f64 {
    let step = threshold.abs().max(1.0);
    let above = threshold + step;
    let below = threshold - step;
    let (bad, good) = match c {
        Comparison::GreaterThanThreshold | Comparison::GreaterThanUpperThreshold => {
            (above, threshold)
        }
        Comparison::GreaterThanOrEqualToThreshold => (threshold, below),
        Comparison::LessThanThreshold | Comparison::LessThanLowerThreshold => (below, threshold),
        Comparison::LessThanOrEqualToThreshold => (threshold, above),
        Comparison::LessThanLowerOrGreaterThanUpperThreshold => (above, threshold),
    };
    if breach { bad } else { good }
}

/// How many more periods of `value` (`None`: no data) it takes for the
/// window to evaluate to something other than `state`, if any number does.
fn periods_until_change(
    points: &[Point],
    rule: &Rule,
    state: AlarmState,
    value: Option<f64>,
    period: SignedDuration,
) -> Option<(AlarmState, u32, Timestamp)> {
    let mut window = points.to_vec();
    let mut end = window.last()?.0 + period;
    for k in 1..=points.len() as u32 {
        window.remove(0);
        window.push((end, value));
        end += period;
        let next = evaluate(&window, rule, state).state;
        if next != state {
            return Some((next, k, end));
        }
    }
    None
}

fn current(
    spec: &MetricAlarmSpec,
    rule: &Rule,
    series: &[(Timestamp, f64)],
    state: AlarmState,
    now: Timestamp,
) -> Current {
    let window = latest_window(spec, now);
    let points = points_in(window, spec.period_secs, series);
    let evaluated = evaluate(&points, rule, state);
    let period = period_of(spec);
    let breach = evaluated.state != AlarmState::Alarm;
    let value = hypothetical(rule.comparison, rule.threshold, breach);
    let condition = format!(
        "{} {} {}",
        spec.stat,
        if breach {
            rule.comparison.symbol().to_string()
        } else {
            format!("not {}", rule.comparison.symbol())
        },
        super::alarm::format_number(rule.threshold)
    );
    let next_change = periods_until_change(&points, rule, evaluated.state, Some(value), period)
        .map(|(to, periods, earliest)| NextChange {
            to,
            periods,
            needs: condition.clone(),
            earliest,
        });
    let if_data_stops = periods_until_change(&points, rule, evaluated.state, None, period).map(
        |(to, periods, earliest)| NextChange {
            to,
            periods,
            needs: "no data".to_string(),
            earliest,
        },
    );
    Current {
        window,
        datapoints: marked(&points, rule, &evaluated.decided),
        evaluated_state: evaluated.state,
        next_change,
        if_data_stops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlarmKind, MetricRef};

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn alarm(state: AlarmState, reason: &str, reason_data: Option<&str>) -> Alarm {
        let mut a = Alarm::for_tests(
            "lag",
            state,
            t("2026-11-27T14:00:00Z"),
            t("2026-11-27T14:00:00Z"),
        );
        a.reason = reason.to_string();
        a.reason_data = reason_data.map(str::to_string);
        a.kind = AlarmKind::Metric(MetricAlarmSpec {
            metric: Some(MetricRef::new("AWS/DMS", "CDCLatencySource", vec![])),
            stat: "Average".into(),
            period_secs: 60,
            evaluation_periods: 3,
            datapoints_to_alarm: Some(2),
            threshold: 300.0,
            comparison: Comparison::GreaterThanThreshold,
            treat_missing: TreatMissingData::Missing,
            queries: Vec::new(),
            threshold_metric_id: None,
        });
        a
    }

    const REASON: &str = "Threshold Crossed: 2 out of the last 3 datapoints [412.0 (27/11/26 13:58:00), 380.0 (27/11/26 13:57:00)] were greater than the threshold (300.0) (minimum 2 datapoints for OK -> ALARM transition).";
    const DATA: &str = r#"{"version":"1.0","queryDate":"2026-11-27T14:00:00.000+0000","startDate":"2026-11-27T13:56:00.000+0000","statistic":"Average","period":60,"recentDatapoints":[20.0,380.0,412.0],"threshold":300.0,"evaluatedDatapoints":[{"timestamp":"2026-11-27T13:58:00.000+0000","value":412.0},{"timestamp":"2026-11-27T13:57:00.000+0000","value":380.0}]}"#;

    fn series() -> Vec<(Timestamp, f64)> {
        vec![
            (t("2026-11-27T13:56:00Z"), 20.0),
            (t("2026-11-27T13:57:00Z"), 380.0),
            (t("2026-11-27T13:58:00Z"), 412.0),
            (t("2026-11-27T13:59:00Z"), 390.0),
            (t("2026-11-27T14:00:00Z"), 10.0),
        ]
    }

    #[test]
    fn agrees_when_the_datapoints_give_the_services_verdict() {
        let a = alarm(AlarmState::Alarm, REASON, Some(DATA));
        let e = explain(&a, &series(), t("2026-11-27T14:01:30Z")).unwrap();
        assert_eq!(e.window_source, WindowSource::ServiceReasonData);
        assert_eq!(e.window.start, t("2026-11-27T13:56:00Z"));
        assert_eq!(e.window.end, t("2026-11-27T13:59:00Z"));
        assert_eq!(e.previous_state, AlarmState::Ok);
        assert_eq!(e.evaluated_state, AlarmState::Alarm);
        assert_eq!(e.evaluated_reason, REASON);
        assert!(e.agrees_with_service, "{:?}", e.disagreements);
        let decided: Vec<bool> = e.datapoints.iter().map(|p| p.decided).collect();
        assert_eq!(decided, [false, true, true]);
    }

    #[test]
    fn a_disagreement_is_reported() {
        let a = alarm(AlarmState::Alarm, REASON, Some(DATA));
        let mut late = series();
        late[1].1 = 100.0;
        let e = explain(&a, &late, t("2026-11-27T14:01:30Z")).unwrap();
        assert_eq!(e.evaluated_state, AlarmState::Ok);
        assert!(!e.agrees_with_service);
        assert_eq!(e.disagreements.len(), 2, "{:?}", e.disagreements);
        assert!(e.disagreements[1].contains("[20, 380, 412]"));
    }

    #[test]
    fn without_reason_data_the_latest_periods_decide() {
        let a = alarm(AlarmState::Ok, "set by hand", None);
        let e = explain(&a, &series(), t("2026-11-27T14:01:30Z")).unwrap();
        assert_eq!(e.window_source, WindowSource::LatestPeriods);
        assert_eq!(e.window.start, t("2026-11-27T13:58:00Z"));
        assert_eq!(e.evaluated_state, AlarmState::Alarm);
        assert!(!e.agrees_with_service);
    }

    #[test]
    fn next_change_counts_the_periods() {
        let a = alarm(AlarmState::Alarm, REASON, Some(DATA));
        // Latest window at 14:01:30: 13:58 412, 13:59 390, 14:00 10: ALARM.
        let e = explain(&a, &series(), t("2026-11-27T14:01:30Z")).unwrap();
        assert_eq!(e.current.evaluated_state, AlarmState::Alarm);
        let next = e.current.next_change.unwrap();
        // 2 of 3 must clear: one more good period drops 412 and leaves 390, 10, good.
        assert_eq!((next.to, next.periods), (AlarmState::Ok, 1));
        assert_eq!(next.earliest, t("2026-11-27T14:02:00Z"));
        assert_eq!(next.needs, "Average not > 300");
        let stops = e.current.if_data_stops.unwrap();
        assert_eq!((stops.to, stops.periods), (AlarmState::Ok, 1));
    }

    #[test]
    fn composites_and_bands_are_refused_with_a_reason() {
        let c = Alarm::for_tests(
            "c",
            AlarmState::Ok,
            t("2026-11-27T14:00:00Z"),
            t("2026-11-27T14:00:00Z"),
        );
        assert_eq!(
            explain(&c, &[], t("2026-11-27T14:00:00Z")),
            Err(ExplainError::Composite("c".into()))
        );
        let mut band = alarm(AlarmState::Ok, "", None);
        if let AlarmKind::Metric(spec) = &mut band.kind {
            spec.threshold_metric_id = Some("ad1".into());
        }
        assert!(matches!(
            explain(&band, &[], t("2026-11-27T14:00:00Z")),
            Err(ExplainError::AnomalyBand(..))
        ));
    }

    #[test]
    fn previous_state_is_read_from_the_reason() {
        assert_eq!(previous_state(REASON), Some(AlarmState::Ok));
        assert_eq!(
            previous_state("... (minimum 1 datapoint for ALARM -> OK transition)."),
            Some(AlarmState::Alarm)
        );
        assert_eq!(previous_state("Unchecked: Initial alarm creation"), None);
    }
}
