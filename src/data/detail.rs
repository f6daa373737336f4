//! One alarm's detail: its metric over the chosen range at the alarm's
//! statistic and period, and its state history.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::events::AlarmDetail;
use super::explain::explain_reusing;
use crate::model::{Alarm, MetricQuery, QuerySource, TimeRange};
use crate::provider::Reads;

/// Most history items shown.
pub const HISTORY_LIMIT: usize = 100;

/// Loads the detail of `alarm` over the `range` before `now`. Failures are
/// reported in [`AlarmDetail::error`] next to whatever did load.
pub async fn load_detail(
    reads: &Reads,
    alarm: &Alarm,
    range: Duration,
    now: Timestamp,
) -> AlarmDetail {
    let span = SignedDuration::try_from(range).unwrap_or(SignedDuration::from_hours(3));
    let range = TimeRange {
        start: now.checked_sub(span).unwrap_or(now),
        end: now,
    };
    let mut errors = Vec::new();
    let query = alarm.metric_spec().and_then(|spec| {
        let metric = spec.metric.clone()?;
        Some(MetricQuery::metric(
            "detail",
            metric,
            &spec.stat,
            spec.period_secs,
        ))
    });
    let series = match query {
        Some(q) => match reads
            .metrics
            .metric_data(std::slice::from_ref(&q), range)
            .await
        {
            Ok(mut series) => series.pop().map(|mut s| {
                if let QuerySource::Metric { period_secs, .. } = q.source {
                    s.drop_incomplete(period_secs, now);
                }
                s
            }),
            Err(e) => {
                errors.push(e.to_string());
                None
            }
        },
        None => None,
    };
    let explanation = match alarm.metric_spec() {
        Some(_) => Some(
            explain_reusing(
                reads,
                alarm,
                series.as_ref().map(|s| (&s.points[..], range)),
                now,
            )
            .await
            .map_err(|e| e.to_string()),
        ),
        None => None,
    };
    let history = reads
        .alarms
        .alarm_history(&alarm.name, range, HISTORY_LIMIT)
        .await
        .unwrap_or_else(|e| {
            errors.push(e.to_string());
            Vec::new()
        });
    AlarmDetail {
        alarm: alarm.name.clone(),
        range,
        series,
        history,
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::ManualClock;
    use crate::provider::sim::SimProvider;
    use crate::provider::{Account, AlarmsRead};

    #[tokio::test]
    async fn metric_alarms_get_series_and_history_composites_history_only() {
        let now: Timestamp = "2026-11-27T13:00:00Z".parse().unwrap();
        let sim = Arc::new(SimProvider::new(3, Arc::new(ManualClock::new(now)), "p"));
        let alarms = sim.list_alarms().await.unwrap();
        let sim = Account::of(sim).reads;
        let metric = alarms
            .iter()
            .find(|a| a.metric_spec().is_some() && a.state == crate::model::AlarmState::Alarm)
            .expect("the demo's opening incident");
        let detail = load_detail(&sim, metric, Duration::from_secs(3600), now).await;
        assert_eq!(detail.alarm, metric.name);
        assert_eq!(detail.error, None);
        assert!(!detail.series.unwrap().points.is_empty());
        assert!(!detail.history.is_empty());
        let explained = detail
            .explanation
            .expect("metric alarms are explained")
            .unwrap();
        assert_eq!(explained.alarm, metric.name);
        assert_eq!(detail.range.end, now);
        let composite = alarms.iter().find(|a| a.metric_spec().is_none()).unwrap();
        let detail = load_detail(&sim, composite, Duration::from_secs(3600), now).await;
        assert_eq!(detail.series, None);
        assert_eq!(detail.explanation, None);
    }
}
