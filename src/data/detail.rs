//! One alarm's detail: its metric over the chosen range at the alarm's
//! statistic and period, and its state history.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::explain::explain_reusing;
use crate::model::anomaly::Band;
use crate::model::{
    Alarm, HistoryItem, MetricAlarmSpec, MetricQuery, QuerySource, Series, TimeRange,
};
use crate::provider::Reads;

/// Metric data and history for one alarm.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmDetail {
    /// Which alarm.
    pub alarm: String,
    /// The time range shown.
    pub range: TimeRange,
    /// The alarm's metric at the alarm's period and statistic (none for
    /// composite alarms).
    pub series: Option<Series>,
    /// For an anomaly-detection alarm: its band over the range.
    pub band: Option<Band>,
    /// State history, newest first.
    pub history: Vec<HistoryItem>,
    /// Why some of it could not be fetched.
    pub error: Option<String>,
    /// For a metric alarm: why it is in its state (`e` shows it), or why
    /// that could not be worked out.
    pub explanation: Option<Result<crate::model::explain::Explanation, String>>,
}

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
    if let Some(spec) = alarm.metric_spec()
        && let Some(band_id) = &spec.threshold_metric_id
    {
        let (series, band) = match band_and_metric(reads, spec, band_id, range, now).await {
            Ok(found) => found,
            Err(e) => {
                errors.push(e.to_string());
                (None, None)
            }
        };
        let explanation = Some(
            explain_reusing(reads, alarm, None, now)
                .await
                .map_err(|e| e.to_string()),
        );
        let history = history(reads, alarm, range, &mut errors).await;
        return AlarmDetail {
            alarm: alarm.name.clone(),
            range,
            series,
            band,
            history,
            error: (!errors.is_empty()).then(|| errors.join("; ")),
            explanation,
        };
    }
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
    let history = history(reads, alarm, range, &mut errors).await;
    AlarmDetail {
        alarm: alarm.name.clone(),
        range,
        series,
        band: None,
        history,
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        explanation,
    }
}

/// The alarm's state history over `range`, newest first (empty, with the
/// error noted, when it cannot be read).
async fn history(
    reads: &Reads,
    alarm: &Alarm,
    range: TimeRange,
    errors: &mut Vec<String>,
) -> Vec<crate::model::HistoryItem> {
    reads
        .alarms
        .alarm_history(&alarm.name, range, HISTORY_LIMIT)
        .await
        .unwrap_or_else(|e| {
            errors.push(e.to_string());
            Vec::new()
        })
}

/// An anomaly-detection alarm's own queries in one GetMetricData call: the
/// metric its band is computed for and the band (the two series the
/// service answers under `band_id`), both without the period still
/// filling. The metric is `None` when the band names no query that came
/// back; the band is `None` when the service sent fewer than two limits.
async fn band_and_metric(
    reads: &Reads,
    spec: &MetricAlarmSpec,
    band_id: &str,
    range: TimeRange,
    now: Timestamp,
) -> Result<(Option<Series>, Option<Band>), crate::provider::ProviderError> {
    let answered = reads.metrics.metric_data(&spec.queries, range).await?;
    let period = jiff::SignedDuration::from_secs(i64::from(spec.period_secs.max(1)));
    let input = spec.band_expression().map(|b| b.input);
    let series = answered
        .iter()
        .find(|s| Some(&s.id) == input.as_ref())
        .cloned()
        .map(|mut s| {
            s.drop_incomplete(spec.period_secs, now);
            s
        });
    let band = Band::from_series(band_id, &answered).map(|mut band| {
        band.points
            .retain(|(t, _, _)| t.checked_add(period).is_ok_and(|end| end <= now));
        band
    });
    Ok((series, band))
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
        assert_eq!(detail.band, None, "a static threshold has no band");
        let composite = alarms.iter().find(|a| a.metric_spec().is_none()).unwrap();
        let detail = load_detail(&sim, composite, Duration::from_secs(3600), now).await;
        assert_eq!(detail.series, None);
        assert_eq!(detail.explanation, None);
    }

    #[tokio::test]
    async fn an_anomaly_alarm_gets_its_metric_and_band_in_one_call() {
        let now: Timestamp = "2026-11-27T14:00:00Z".parse().unwrap();
        let sim = Arc::new(SimProvider::new(3, Arc::new(ManualClock::new(now)), "p"));
        let alarm = sim
            .list_alarms()
            .await
            .unwrap()
            .into_iter()
            .find(|a| {
                a.metric_spec()
                    .is_some_and(|s| s.threshold_metric_id.is_some())
            })
            .expect("the demo's anomaly-detection alarm");
        let reads = Account::of(sim).reads;
        let detail = load_detail(&reads, &alarm, Duration::from_secs(3 * 3600), now).await;
        assert_eq!(detail.error, None);
        let series = detail.series.expect("the requests the band is for");
        let band = detail.band.expect("the band");
        assert_eq!(series.points.len(), 36, "3 h of 5-minute periods");
        assert_eq!(band.points.len(), 36);
        assert!(band.points.iter().all(|(_, lo, hi)| lo < hi));
        assert_eq!(band.label, "Requests (expected)");
        // The account judged its last periods against the same band the
        // chart draws: the same state and the same reason, limits included.
        let spec = alarm.metric_spec().unwrap();
        let last: Vec<_> = series.points[33..]
            .iter()
            .map(|(t, v)| (*t, Some(*v)))
            .collect();
        let rule = crate::model::evaluate::Rule {
            datapoints_to_alarm: spec.m_of_n().0,
            comparison: spec.comparison,
            threshold: spec.threshold,
            treat_missing: spec.treat_missing,
        };
        let judged =
            crate::model::evaluate::evaluate_band(&last, &|t| band.at(t), &rule, alarm.state);
        assert_eq!(judged.state, alarm.state);
        assert_eq!(judged.reason, alarm.reason);
        assert!(
            alarm.reason.contains("upper thresholds ["),
            "{}",
            alarm.reason
        );
        let refused = detail.explanation.expect("explain was asked").unwrap_err();
        assert!(refused.contains("anomaly-detection band"), "{refused}");
    }
}
