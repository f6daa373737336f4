//! `alarms explain` and the detail view's `e`: fetches the alarm and its
//! datapoints (one GetMetricData call over the decision window and the
//! latest periods, two when they lie far apart) and hands them to
//! [`crate::model::explain`], which judges.

use jiff::Timestamp;

use crate::model::explain::{
    ExplainError, Explanation, alarm_queries, decision_window, explain, latest_window,
};
use crate::model::reason_data::ReasonData;
use crate::model::{Alarm, MetricAlarmSpec, MetricQuery, TimeRange};
use crate::provider::{ProviderError, Reads};

/// Why an alarm could not be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainFailure {
    /// The alarm cannot be explained this way.
    #[error(transparent)]
    Unexplainable(#[from] ExplainError),
    /// A read failed.
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Explains `alarm` as of `now` from its datapoints.
pub async fn explain_alarm(
    reads: &Reads,
    alarm: &Alarm,
    now: Timestamp,
) -> Result<Explanation, ExplainFailure> {
    let (queries, judged) = alarm_queries(alarm)?;
    let spec = alarm
        .metric_spec()
        .ok_or_else(|| ExplainError::Composite(alarm.name.clone()))?;
    let (decision, latest) = windows(alarm, spec, now);
    let gap = latest.start.duration_since(decision.end);
    let ranges = if gap <= latest.end.duration_since(latest.start) {
        vec![TimeRange {
            start: decision.start.min(latest.start),
            end: decision.end.max(latest.end),
        }]
    } else {
        vec![decision, latest]
    };
    let points = judged_points(reads, &queries, &judged, &ranges).await?;
    Ok(explain(alarm, &points, now)?)
}

/// The window the service decided the alarm's state on (from its reason
/// data when it has some) and the latest periods' window, as of `now`.
fn windows(alarm: &Alarm, spec: &MetricAlarmSpec, now: Timestamp) -> (TimeRange, TimeRange) {
    let reason = alarm
        .reason_data
        .as_deref()
        .and_then(|d| ReasonData::parse(d).ok());
    let (decision, _) = decision_window(spec, reason.as_ref(), now);
    (decision, latest_window(spec, now))
}

/// The points of the judged series `judged` of `queries` over `ranges`
/// (one GetMetricData call a range), in time order, each time once: the
/// datapoints explain and backtest replay the alarm on.
pub async fn judged_points(
    reads: &Reads,
    queries: &[MetricQuery],
    judged: &str,
    ranges: &[TimeRange],
) -> Result<Vec<(Timestamp, f64)>, ProviderError> {
    let mut points = Vec::new();
    for range in ranges {
        let series = reads.metrics.metric_data(queries, *range).await?;
        points.extend(
            series
                .into_iter()
                .filter(|s| s.id == judged)
                .flat_map(|s| s.points),
        );
    }
    points.sort_by_key(|(t, _)| *t);
    points.dedup_by_key(|(t, _)| *t);
    Ok(points)
}

/// [`explain_alarm`], reusing `have` (points of the alarm's own metric at
/// its statistic and period over a range, as the detail view loads them)
/// when they cover the decision window, so the detail view's `e` costs no
/// extra call.
pub async fn explain_reusing(
    reads: &Reads,
    alarm: &Alarm,
    have: Option<(&[(Timestamp, f64)], TimeRange)>,
    now: Timestamp,
) -> Result<Explanation, ExplainFailure> {
    if let (Some((points, range)), Some(spec)) = (have, alarm.metric_spec())
        && spec.queries.is_empty()
    {
        let (decision, latest) = windows(alarm, spec, now);
        if decision.start >= range.start && latest.start >= range.start {
            return Ok(explain(alarm, points, now)?);
        }
    }
    explain_alarm(reads, alarm, now).await
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use jiff::SignedDuration;

    use super::*;
    use crate::model::{AlarmState, Clock, ManualClock};
    use crate::provider::sim::SimProvider;
    use crate::provider::{Account, AlarmsRead};

    /// Every transition the demo account makes over a simulated day, seen
    /// the minute it happens, is explained with the service's verdict: the
    /// evaluator over GetMetricData's datapoints gives the state the
    /// account moved to, on the values its StateReasonData names.
    #[tokio::test]
    async fn explain_agrees_with_every_transition_of_a_demo_day() {
        let start: Timestamp = "2026-11-27T00:00:00Z".parse().unwrap();
        let clock = Arc::new(ManualClock::new(start));
        let sim = Arc::new(SimProvider::new(7, clock.clone(), "p"));
        let reads = Account::of(sim.clone()).reads;
        let mut seen: HashMap<String, (AlarmState, Timestamp)> = HashMap::new();
        let mut checked = 0;
        let mut into_alarm = 0;
        for _ in 0..24 * 60 {
            clock.advance(SignedDuration::from_mins(1));
            let now = clock.now();
            for alarm in sim.list_alarms().await.unwrap() {
                let Some(spec) = alarm.metric_spec() else {
                    continue;
                };
                let key = (alarm.state, alarm.transitioned_at);
                let before = seen.insert(alarm.name.clone(), key);
                if before.is_none_or(|b| b == key) || alarm.transitioned_at != now {
                    continue;
                }
                if spec.threshold_metric_id.is_some() {
                    // No verdict is claimed against an anomaly band.
                    let refused = explain_alarm(&reads, &alarm, now).await.unwrap_err();
                    assert!(refused.to_string().contains("anomaly-detection band"));
                    continue;
                }
                let e = explain_alarm(&reads, &alarm, now).await.unwrap();
                assert!(
                    e.agrees_with_service,
                    "{} at {now}: {:?}\nreason: {}",
                    alarm.name, e.disagreements, alarm.reason
                );
                assert_eq!(e.evaluated_state, alarm.state);
                assert_eq!(e.evaluated_reason, alarm.reason, "{} at {now}", alarm.name);
                assert_eq!(e.datapoints.len(), spec.evaluation_periods as usize);
                checked += 1;
                into_alarm += usize::from(alarm.state == AlarmState::Alarm);
            }
        }
        assert!(checked > 0, "the demo day made no transition to check");
        assert!(into_alarm > 0, "no transition into ALARM was checked");
    }

    #[tokio::test]
    async fn a_composite_is_not_explained_but_named() {
        let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let sim = Arc::new(SimProvider::new(7, Arc::new(ManualClock::new(now)), "p"));
        let composite = sim
            .list_alarms()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.metric_spec().is_none())
            .unwrap();
        let reads = Account::of(sim).reads;
        let err = explain_alarm(&reads, &composite, now).await.unwrap_err();
        assert!(err.to_string().contains("composite"), "{err}");
    }
}
