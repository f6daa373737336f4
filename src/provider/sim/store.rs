//! Metric data as the demo account serves it: generated minutes, overridden
//! minute by minute by values published with PutMetricData, aggregated into
//! periods by statistic.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

use super::catalog::{Catalog, Source, canonical};
use super::metrics::Generator;
use super::stats::{StatSet, Statistic};
use crate::model::{MetricQuery, MetricRef, QuerySource, Series, TimeRange};

/// The epoch minute `t` falls in.
pub fn epoch_minute(t: Timestamp) -> i64 {
    t.as_second().div_euclid(60)
}

/// The start of epoch minute `minute`.
pub fn minute_start(minute: i64) -> Timestamp {
    Timestamp::from_second(minute * 60).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Values published with PutMetricData, per metric and minute.
#[derive(Debug, Default)]
pub struct Published {
    points: HashMap<MetricRef, BTreeMap<i64, StatSet>>,
}

impl Published {
    /// Records `value` for `metric` in epoch minute `minute` (several values
    /// in one minute are aggregated, as CloudWatch does).
    pub fn record(&mut self, metric: &MetricRef, minute: i64, value: f64) {
        let slot = self
            .points
            .entry(canonical(metric))
            .or_default()
            .entry(minute);
        slot.and_modify(|s| *s = s.merge(StatSet::single(value)))
            .or_insert_with(|| StatSet::single(value));
    }

    /// Every metric something was published to (ListMetrics lists them
    /// beside the catalog's).
    pub fn metrics(&self) -> impl Iterator<Item = &MetricRef> {
        self.points.keys()
    }
}

/// One metric resolved against the account: its generator and published values.
struct Resolved<'a> {
    source: Option<Source>,
    published: Option<&'a BTreeMap<i64, StatSet>>,
}

/// Read access to all metric data of the account.
#[derive(Debug, Clone, Copy)]
pub struct MetricData<'a> {
    /// Which metrics exist.
    pub catalog: &'a Catalog,
    /// Their generated values.
    pub generator: &'a Generator,
    /// Values published by the user.
    pub published: &'a Published,
}

impl<'a> MetricData<'a> {
    fn resolve(&self, metric: &MetricRef) -> Resolved<'a> {
        Resolved {
            source: self.catalog.find(metric),
            published: self.published.points.get(&canonical(metric)),
        }
    }

    fn minute(&self, r: &Resolved<'_>, minute: i64) -> Option<StatSet> {
        r.published
            .and_then(|p| p.get(&minute).copied())
            .or_else(|| r.source.and_then(|s| self.generator.minute(s, minute)))
    }

    /// `stat` of `metric` over epoch minutes `[start, end)`; `None` when the
    /// metric has no data there.
    pub fn aggregate(
        &self,
        metric: &MetricRef,
        stat: Statistic,
        start: i64,
        end: i64,
    ) -> Option<f64> {
        let r = self.resolve(metric);
        let minutes: Vec<StatSet> = (start..end).filter_map(|m| self.minute(&r, m)).collect();
        stat.of(&minutes)
    }

    /// The answer to one GetMetricData query over `range`, using only
    /// minutes before `now_minute` (the current minute is not complete).
    /// Points sit at period starts aligned to the period, oldest first.
    pub fn series(&self, query: &MetricQuery, range: TimeRange, now_minute: i64) -> Series {
        let mut series = Series {
            id: query.id.clone(),
            label: query.label.clone().unwrap_or_default(),
            points: Vec::new(),
            message: None,
        };
        let (metric, stat, period_secs) = match &query.source {
            QuerySource::Metric {
                metric,
                stat,
                period_secs,
            } => (metric, stat, *period_secs),
            QuerySource::Expression { .. } => {
                series.message = Some("expressions are evaluated by the batch".to_string());
                return series;
            }
        };
        if series.label.is_empty() {
            series.label = metric.name.clone();
        }
        let Some(statistic) = Statistic::parse(stat) else {
            series.message = Some(format!(
                "statistic {stat} is not computed by the demo account"
            ));
            return series;
        };
        let period = i64::from(period_secs.div_ceil(60).max(1));
        let r = self.resolve(metric);
        let end = epoch_minute(range.end).min(now_minute);
        let mut start = epoch_minute(range.start).div_euclid(period) * period;
        while start < end {
            let stop = (start + period).min(end);
            let minutes: Vec<StatSet> = (start..stop).filter_map(|m| self.minute(&r, m)).collect();
            if let Some(v) = statistic.of(&minutes) {
                series.points.push((minute_start(start), v));
            }
            start += period;
        }
        series
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::sim::catalog::{ApiMetric, BatchMetric, MlMetric};

    const PREFIX: &str = "ecommerce-ai-platform";

    struct Fixture {
        catalog: Catalog,
        generator: Generator,
        published: Published,
    }

    impl Fixture {
        fn new() -> Self {
            Self {
                catalog: Catalog::new(PREFIX),
                generator: Generator::new(11, 0),
                published: Published::default(),
            }
        }

        fn data(&self) -> MetricData<'_> {
            MetricData {
                catalog: &self.catalog,
                generator: &self.generator,
                published: &self.published,
            }
        }
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn range(start: &str, end: &str) -> TimeRange {
        TimeRange {
            start: at(start),
            end: at(end),
        }
    }

    #[test]
    fn periods_are_aligned_oldest_first_and_sum_their_minutes() {
        let f = Fixture::new();
        let metric = f.catalog.api(ApiMetric::Count);
        let q = MetricQuery::metric("q", metric.clone(), "Sum", 300);
        let now = epoch_minute(at("2026-11-27T15:00:00Z"));
        let s = f.data().series(
            &q,
            range("2026-11-27T13:02:00Z", "2026-11-27T14:00:00Z"),
            now,
        );
        assert_eq!(s.points.len(), 12);
        assert_eq!(s.points[0].0, at("2026-11-27T13:00:00Z"));
        assert!(s.points.windows(2).all(|w| w[1].0 > w[0].0));
        let first = epoch_minute(at("2026-11-27T13:00:00Z"));
        let by_minute: f64 = (first..first + 5)
            .filter_map(|m| f.data().aggregate(&metric, Statistic::Sum, m, m + 1))
            .sum();
        assert_eq!(s.points[0].1, by_minute);
        assert_eq!(s.label, "Count");
    }

    #[test]
    fn no_points_from_the_future_or_the_current_minute() {
        let f = Fixture::new();
        let q = MetricQuery::metric("q", f.catalog.api(ApiMetric::Latency), "p99", 60);
        let now = epoch_minute(at("2026-11-27T14:00:30Z"));
        let s = f.data().series(
            &q,
            range("2026-11-27T13:50:00Z", "2026-11-27T14:30:00Z"),
            now,
        );
        assert_eq!(s.points.len(), 10);
        assert_eq!(s.points.last().unwrap().0, at("2026-11-27T13:59:00Z"));
    }

    #[test]
    fn sparse_metrics_leave_gaps() {
        let f = Fixture::new();
        let q = MetricQuery::metric("q", f.catalog.batch(BatchMetric::Failed), "Sum", 60);
        let now = epoch_minute(at("2026-11-28T00:00:00Z"));
        let s = f.data().series(
            &q,
            range("2026-11-27T00:00:00Z", "2026-11-28T00:00:00Z"),
            now,
        );
        assert!(
            !s.points.is_empty() && s.points.len() < 100,
            "{}",
            s.points.len()
        );
        assert!(s.points.iter().all(|(_, v)| *v >= 1.0));
    }

    #[test]
    fn published_values_override_generated_minutes() {
        let mut f = Fixture::new();
        let metric = MetricRef::new(PREFIX, MlMetric::ForecastAccuracy.name(), vec![]);
        let minute = epoch_minute(at("2026-11-27T13:10:00Z"));
        f.published.record(&metric, minute, 0.5);
        f.published.record(&metric, minute, 0.7);
        let data = f.data();
        assert_eq!(
            data.aggregate(&metric, Statistic::Average, minute, minute + 1),
            Some(0.6)
        );
        assert_eq!(
            data.aggregate(&metric, Statistic::SampleCount, minute, minute + 1),
            Some(2.0)
        );
        let next = data
            .aggregate(&metric, Statistic::Average, minute + 1, minute + 2)
            .unwrap();
        assert!(next > 0.85, "{next}");
        let custom = MetricRef::new(PREFIX, "Checkout.Orders", vec![]);
        assert_eq!(
            data.aggregate(&custom, Statistic::Sum, minute, minute + 1),
            None
        );
    }

    #[test]
    fn unknown_statistics_say_so() {
        let f = Fixture::new();
        let r = range("2026-11-27T13:00:00Z", "2026-11-27T14:00:00Z");
        let now = epoch_minute(at("2026-11-27T15:00:00Z"));
        let tm = MetricQuery::metric("t", f.catalog.api(ApiMetric::Latency), "tm99", 60);
        let s = f.data().series(&tm, r, now);
        assert!(s.message.unwrap().contains("tm99"));
    }
}
