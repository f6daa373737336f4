//! The Overview's data: every metric alarm's metric at its own statistic
//! and period, plus the env's pinned metrics, over the last
//! [`OVERVIEW_SPAN`]. [`OverviewStore`] keeps the series between refreshes
//! and asks only for what is new: a row is fetched whole once, then only
//! when one of its periods has completed since its last fetch, and then
//! only its last few periods. GetMetricData is billed per metric asked for,
//! so a 5-minute alarm costs 12 metrics an hour instead of one per refresh.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::config::file::PinnedMetric;
use crate::model::{Alarm, MetricQuery, QuerySource, Series, TimeRange};
use crate::provider::{MetricsRead, ProviderError};

/// How far back the sparklines go.
pub const OVERVIEW_SPAN: Duration = Duration::from_secs(3 * 3600);

/// Period of pinned metrics that name none (the config gives none).
pub const PINNED_PERIOD_SECS: u32 = 60;

/// How many of a row's latest periods each later fetch asks for again
/// (data points can arrive a little late).
const OVERLAP_PERIODS: i64 = 2;

/// One row of the Overview: the series id the UI sees (alarm name or
/// pinned-metric label) and the query behind it.
struct Row {
    id: String,
    query: MetricQuery,
}

/// What the store knows of one row.
struct Kept {
    query: MetricQuery,
    series: Series,
    fetched_at: Timestamp,
}

/// The Overview series kept between refreshes.
#[derive(Default)]
pub struct OverviewStore {
    rows: HashMap<String, Kept>,
    /// Row ids in display order.
    order: Vec<String>,
}

impl std::fmt::Debug for OverviewStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OverviewStore")
            .field("rows", &self.order.len())
            .finish()
    }
}

/// The queries for `alarms` and `pinned`, in display order.
fn rows(alarms: &[Alarm], pinned: &[PinnedMetric]) -> Vec<Row> {
    let from_alarms = alarms.iter().filter_map(|a| {
        let spec = a.metric_spec()?;
        let metric = spec.metric.clone()?;
        Some((a.name.clone(), metric, spec.stat.clone(), spec.period_secs))
    });
    let from_pinned = pinned.iter().map(|p| {
        let label = p.label.clone().unwrap_or_else(|| p.metric.display_name());
        let period = p.period_secs.unwrap_or(PINNED_PERIOD_SECS);
        (label, p.metric.clone(), p.stat.clone(), period)
    });
    from_alarms
        .chain(from_pinned)
        .map(|(id, metric, stat, period)| Row {
            query: MetricQuery::metric(String::new(), metric, &stat, period),
            id,
        })
        .collect()
}

fn period_of(query: &MetricQuery) -> u32 {
    match query.source {
        QuerySource::Metric { period_secs, .. } => period_secs.max(1),
        QuerySource::Expression { period_secs, .. } => period_secs.unwrap_or(60).max(1),
    }
}

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

/// Whether a period of `period` seconds has ended between `then` and `now`.
fn period_ended_since(period: u32, then: Timestamp, now: Timestamp) -> bool {
    let p = i64::from(period);
    now.as_second().div_euclid(p) > then.as_second().div_euclid(p)
}

impl OverviewStore {
    /// Brings the store up to `now` and returns every row in display order,
    /// or `None` when nothing was due (no call was made). Wire ids are
    /// `q0`, `q1`, ... (alarm names are not valid GetMetricData ids). At
    /// most two GetMetricData ranges are asked for, side by side: the whole
    /// span for new rows, the last periods for rows with a new period.
    pub async fn refresh(
        &mut self,
        metrics: &dyn MetricsRead,
        alarms: &[Alarm],
        pinned: &[PinnedMetric],
        now: Timestamp,
    ) -> Result<Option<Vec<Series>>, ProviderError> {
        let wanted = rows(alarms, pinned);
        let order: Vec<String> = wanted.iter().map(|r| r.id.clone()).collect();
        let reshaped = order != self.order;
        let ids: HashSet<&str> = order.iter().map(String::as_str).collect();
        self.rows.retain(|id, _| ids.contains(id.as_str()));
        let (mut new, mut due) = (Vec::new(), Vec::new());
        for row in wanted {
            match self.rows.get(&row.id) {
                Some(kept) if kept.query.source == row.query.source => {
                    if period_ended_since(period_of(&kept.query), kept.fetched_at, now) {
                        due.push(row);
                    }
                }
                _ => new.push(row),
            }
        }
        self.order = order;
        if new.is_empty() && due.is_empty() {
            return Ok(reshaped.then(|| self.current()));
        }
        let span = SignedDuration::try_from(OVERVIEW_SPAN).unwrap_or_default();
        let full = TimeRange {
            start: now.checked_sub(span).unwrap_or(now),
            end: now,
        };
        let latest = due
            .iter()
            .filter_map(|row| {
                let kept = self.rows.get(&row.id)?;
                let back = secs(i64::from(period_of(&kept.query)) * OVERLAP_PERIODS);
                kept.fetched_at.checked_sub(back).ok()
            })
            .min()
            .map_or(full, |start| TimeRange {
                start: start.max(full.start),
                end: now,
            });
        let (fetched_new, fetched_due) =
            tokio::join!(fetch(metrics, &new, full), fetch(metrics, &due, latest));
        for (row, series) in fetched_new?.into_iter().chain(fetched_due?) {
            self.merge(row, series, now, full.start);
        }
        Ok(Some(self.current()))
    }

    /// Replaces what `series` covers in the kept row, trims the span.
    fn merge(&mut self, row: Row, mut series: Series, now: Timestamp, oldest: Timestamp) {
        series.drop_incomplete(period_of(&row.query), now);
        series.id = row.id.clone();
        let kept = self.rows.entry(row.id).or_insert_with(|| Kept {
            query: row.query.clone(),
            series: Series {
                points: Vec::new(),
                ..series.clone()
            },
            fetched_at: now,
        });
        let from = series.points.first().map_or(now, |(t, _)| *t);
        kept.series
            .points
            .retain(|(t, _)| *t >= oldest && *t < from);
        kept.series.points.extend(series.points);
        kept.series.label = series.label;
        kept.series.message = series.message;
        kept.query = row.query;
        kept.fetched_at = now;
    }

    /// Every kept row in display order.
    pub fn current(&self) -> Vec<Series> {
        self.order
            .iter()
            .filter_map(|id| self.rows.get(id).map(|k| k.series.clone()))
            .collect()
    }
}

/// One GetMetricData over `range` for `rows`; no call for no rows.
async fn fetch(
    metrics: &dyn MetricsRead,
    rows: &[Row],
    range: TimeRange,
) -> Result<Vec<(Row, Series)>, ProviderError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let queries: Vec<MetricQuery> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| MetricQuery {
            id: format!("q{i}"),
            ..r.query.clone()
        })
        .collect();
    let mut by_id: HashMap<String, Series> = metrics
        .metric_data(&queries, range)
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    Ok(rows
        .iter()
        .zip(&queries)
        .filter_map(|(row, q)| {
            let series = by_id.remove(&q.id)?;
            Some((
                Row {
                    id: row.id.clone(),
                    query: row.query.clone(),
                },
                series,
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests;
