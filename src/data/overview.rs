//! The Overview's data: every metric alarm's metric at its own statistic
//! and period, plus the env's pinned metrics, in one batched GetMetricData
//! over the last [`OVERVIEW_SPAN`].

use std::time::Duration;

use jiff::Timestamp;

use crate::config::file::PinnedMetric;
use crate::model::{Alarm, MetricQuery, QuerySource, Series, TimeRange};
use crate::provider::{Provider, ProviderError};

/// How far back the sparklines go.
pub const OVERVIEW_SPAN: Duration = Duration::from_secs(3 * 3600);

/// Period of pinned metrics (the config gives none).
pub const PINNED_PERIOD_SECS: u32 = 60;

/// One row of the Overview and the query behind it.
struct Row {
    /// Series id the UI sees: alarm name or pinned-metric label.
    id: String,
    query: MetricQuery,
}

/// The queries for `alarms` and `pinned`. Wire ids are `q0`, `q1`, ...
/// (alarm names are not valid GetMetricData ids); rows keep the names.
fn rows(alarms: &[Alarm], pinned: &[PinnedMetric]) -> Vec<Row> {
    let from_alarms = alarms.iter().filter_map(|a| {
        let spec = a.metric_spec()?;
        let metric = spec.metric.clone()?;
        Some((a.name.clone(), metric, spec.stat.clone(), spec.period_secs))
    });
    let from_pinned = pinned.iter().map(|p| {
        let label = p.label.clone().unwrap_or_else(|| p.metric.display_name());
        (label, p.metric.clone(), p.stat.clone(), PINNED_PERIOD_SECS)
    });
    from_alarms
        .chain(from_pinned)
        .enumerate()
        .map(|(i, (id, metric, stat, period))| Row {
            query: MetricQuery::metric(format!("q{i}"), metric, &stat, period),
            id,
        })
        .collect()
}

/// Fetches the Overview ending at `now`; no call at all when there is
/// nothing to show.
pub async fn fetch_overview(
    provider: &dyn Provider,
    alarms: &[Alarm],
    pinned: &[PinnedMetric],
    now: Timestamp,
) -> Result<Vec<Series>, ProviderError> {
    let rows = rows(alarms, pinned);
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let span = jiff::SignedDuration::try_from(OVERVIEW_SPAN).unwrap_or_default();
    let range = TimeRange {
        start: now.checked_sub(span).unwrap_or(now),
        end: now,
    };
    let queries: Vec<MetricQuery> = rows.iter().map(|r| r.query.clone()).collect();
    let series = provider.metric_data(&queries, range).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let mut s = series.iter().find(|s| s.id == row.query.id)?.clone();
            if let QuerySource::Metric { period_secs, .. } = row.query.source {
                s.drop_incomplete(period_secs, now);
            }
            s.id = row.id;
            Some(s)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{ManualClock, MetricRef};
    use crate::provider::sim::SimProvider;

    #[tokio::test]
    async fn one_series_per_metric_alarm_and_pinned_metric() {
        let now: Timestamp = "2026-11-27T13:00:00Z".parse().unwrap();
        let sim = SimProvider::new(3, Arc::new(ManualClock::new(now)), "p");
        let alarms = sim.list_alarms().await.unwrap();
        let pinned = vec![PinnedMetric {
            metric: MetricRef::new("AWS/Lambda", "Invocations", vec![]),
            stat: "Sum".into(),
            label: Some("invocations".into()),
        }];
        let series = fetch_overview(&sim, &alarms, &pinned, now).await.unwrap();
        let ids: Vec<&str> = series.iter().map(|s| s.id.as_str()).collect();
        let metric_alarms: Vec<&str> = alarms
            .iter()
            .filter(|a| a.metric_spec().is_some())
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(ids[..ids.len() - 1], metric_alarms[..]);
        assert_eq!(ids.last(), Some(&"invocations"));
        for id in ["p-dms-replication-lag", "invocations"] {
            let s = series.iter().find(|s| s.id == id).unwrap();
            assert!(!s.points.is_empty(), "{id} has data");
        }
        assert!(
            fetch_overview(&sim, &[], &[], now)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
