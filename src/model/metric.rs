//! Metrics: what identifies one, how to ask for its data, and the data.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One name/value pair that, with namespace and name, identifies a metric.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Dimension {
    /// Dimension name, e.g. `FunctionName`.
    pub name: String,
    /// Dimension value, e.g. `ecommerce-ai-platform-auth-service`.
    pub value: String,
}

impl Dimension {
    /// Convenience constructor.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A CloudWatch metric: namespace, name and dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MetricRef {
    /// Namespace, e.g. `AWS/Lambda`.
    pub namespace: String,
    /// Metric name, e.g. `Errors`.
    pub name: String,
    /// Dimensions in the order given.
    pub dimensions: Vec<Dimension>,
}

impl MetricRef {
    /// Convenience constructor.
    pub fn new(
        namespace: impl Into<String>,
        name: impl Into<String>,
        dimensions: Vec<Dimension>,
    ) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            dimensions,
        }
    }

    /// `Namespace Name` followed by `k=v` pairs: how the tables show a metric.
    pub fn display_name(&self) -> String {
        let mut out = format!("{} {}", self.namespace, self.name);
        for d in &self.dimensions {
            out.push_str(&format!(" {}={}", d.name, d.value));
        }
        out
    }
}

/// One query of a GetMetricData call: a metric with a statistic and period,
/// or a metric-math expression over other queries' ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MetricQuery {
    /// Query id, unique within a batch; starts with a lower-case letter.
    pub id: String,
    /// What to compute.
    pub source: QuerySource,
    /// Display label.
    pub label: Option<String>,
    /// Whether the result is wanted (false for inputs of expressions).
    pub return_data: bool,
}

/// The two kinds of GetMetricData query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuerySource {
    /// A stored metric aggregated with `stat` over `period_secs`.
    Metric {
        /// The metric.
        metric: MetricRef,
        /// Statistic: `Average`, `Sum`, `Maximum`, `Minimum`, `SampleCount`, `p99`, ...
        stat: String,
        /// Aggregation period in seconds.
        period_secs: u32,
    },
    /// A metric-math or SEARCH expression.
    Expression {
        /// The expression text.
        expression: String,
        /// Period in seconds, where the expression needs one.
        period_secs: Option<u32>,
    },
}

impl MetricQuery {
    /// A metric query that returns its data.
    pub fn metric(id: impl Into<String>, metric: MetricRef, stat: &str, period_secs: u32) -> Self {
        Self {
            id: id.into(),
            source: QuerySource::Metric {
                metric,
                stat: stat.to_string(),
                period_secs,
            },
            label: None,
            return_data: true,
        }
    }

    /// A metric-math expression query that returns its data.
    pub fn expression(id: impl Into<String>, expression: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            source: QuerySource::Expression {
                expression: expression.into(),
                period_secs: None,
            },
            label: None,
            return_data: true,
        }
    }
}

/// A half-open time window `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Inclusive start.
    pub start: Timestamp,
    /// Exclusive end.
    pub end: Timestamp,
}

/// The result of one query: timestamped values, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The query id this answers.
    pub id: String,
    /// Label given by the service (or the query).
    pub label: String,
    /// Points, oldest first.
    pub points: Vec<(Timestamp, f64)>,
    /// Error or partial-data message from the service, if any.
    pub message: Option<String>,
}

impl Series {
    /// Drops points whose period has not ended by `now`: a half-filled
    /// period (a Sum over two of five minutes) would look like a drop to
    /// zero. Alarms evaluate completed periods only, and so do the charts.
    pub fn drop_incomplete(&mut self, period_secs: u32, now: Timestamp) {
        let period = jiff::SignedDuration::from_secs(i64::from(period_secs));
        self.points
            .retain(|(t, _)| t.checked_add(period).is_ok_and(|end| end <= now));
    }

    /// The newest value, if any.
    pub fn last_value(&self) -> Option<f64> {
        self.points.last().map(|(_, v)| *v)
    }
}

/// One value to publish with PutMetricData.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDatum {
    /// The metric.
    pub metric: MetricRef,
    /// The value.
    pub value: f64,
    /// CloudWatch unit name, e.g. `Count`, `Seconds`, `None`.
    pub unit: Option<String>,
    /// When; `None` means now.
    pub timestamp: Option<Timestamp>,
}

/// Series and times for the tests of every module that reads series.
#[cfg(test)]
pub(crate) mod testing {
    use jiff::Timestamp;

    use super::Series;

    /// `minute` minutes after a fixed instant (2027-01-15T08:00:00Z).
    pub(crate) fn minute(minute: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + minute * 60).unwrap()
    }

    /// Series `id` labelled `label`: `values`, one a minute from
    /// [`minute`] 0.
    pub(crate) fn minutely(id: &str, label: &str, values: &[f64]) -> Series {
        Series {
            id: id.into(),
            label: label.into(),
            points: (0..).map(minute).zip(values.iter().copied()).collect(),
            message: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_trailing_period_is_dropped() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let mut series = Series {
            id: "m".into(),
            label: "m".into(),
            points: vec![
                (t("2026-01-16T14:30:00Z"), 12.0),
                (t("2026-01-16T14:35:00Z"), 9.0),
                (t("2026-01-16T14:40:00Z"), 1.0),
            ],
            message: None,
        };
        series.drop_incomplete(300, t("2026-01-16T14:43:30Z"));
        assert_eq!(series.points.len(), 2);
        assert_eq!(series.last_value(), Some(9.0));
        series.drop_incomplete(300, t("2026-01-16T14:40:00Z"));
        assert_eq!(
            series.points.len(),
            2,
            "a period ending exactly now is complete"
        );
    }
}
