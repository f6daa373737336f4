//! The metrics explorer's plain types: which metrics to list (ListMetrics'
//! filters), what one listing holds, the statistics and periods a chart
//! cycles through, and a charted metric written out as a dashboard widget
//! or an alarm definition (JSON a person pastes into CloudWatch).

use serde_json::{Value, json};

use super::metric::{Dimension, MetricQuery, MetricRef};

/// Statistics the explorer's chart cycles through (`s`).
pub const STATISTICS: [&str; 7] = [
    "Average",
    "Sum",
    "Minimum",
    "Maximum",
    "SampleCount",
    "p90",
    "p99",
];

/// Periods the explorer's chart cycles through (`p`), in seconds.
pub const PERIODS: [u32; 4] = [60, 300, 900, 3600];

/// Why a filter, statistic or period was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrowseError {
    /// A `--dim` is not `NAME=VALUE` or `NAME`.
    #[error("dimension '{0}' is not NAME=VALUE (or NAME for any value)")]
    Dimension(String),
    /// A period CloudWatch does not aggregate by.
    #[error(
        "period '{0}' is not one CloudWatch takes: 1s, 5s, 10s, 30s or a whole number of minutes"
    )]
    Period(String),
    /// A statistic CloudWatch does not compute.
    #[error(
        "statistic '{0}' is not one of Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99"
    )]
    Statistic(String),
}

/// One dimension a listing must have: by name, and by value when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionFilter {
    /// Dimension name.
    pub name: String,
    /// Dimension value; `None` matches any value.
    pub value: Option<String>,
}

/// ListMetrics' filters: the service applies them, and the demo account
/// applies them the same way ([`MetricFilter::matches`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricFilter {
    /// Only this namespace.
    pub namespace: Option<String>,
    /// Only metrics of this name.
    pub name: Option<String>,
    /// Only metrics with every one of these dimensions (they may have more).
    pub dimensions: Vec<DimensionFilter>,
}

impl MetricFilter {
    /// The filter of `--namespace`, `--name` and `--dim` (`NAME=VALUE`, or
    /// `NAME` for any value).
    pub fn parse(
        namespace: Option<String>,
        name: Option<String>,
        dims: &[String],
    ) -> Result<Self, BrowseError> {
        let dimensions = dims
            .iter()
            .map(|d| {
                let (name, value) = match d.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (d.as_str(), None),
                };
                if name.is_empty() {
                    return Err(BrowseError::Dimension(d.clone()));
                }
                Ok(DimensionFilter {
                    name: name.to_string(),
                    value,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            namespace,
            name,
            dimensions,
        })
    }

    /// Whether `metric` passes, as ListMetrics decides: the same namespace
    /// and name, and each filter dimension present (with its value, if
    /// given).
    pub fn matches(&self, metric: &MetricRef) -> bool {
        self.namespace
            .as_ref()
            .is_none_or(|n| *n == metric.namespace)
            && self.name.as_ref().is_none_or(|n| *n == metric.name)
            && self.dimensions.iter().all(|f| {
                metric
                    .dimensions
                    .iter()
                    .any(|d| d.name == f.name && f.value.as_ref().is_none_or(|v| *v == d.value))
            })
    }
}

/// A `NAME=VALUE` dimension of one metric (`metrics get --dim`).
pub fn parse_dimension(text: &str) -> Result<Dimension, BrowseError> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok(Dimension::new(name, value)),
        _ => Err(BrowseError::Dimension(text.to_string())),
    }
}

/// What one ListMetrics run found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricList {
    /// The metrics, in namespace, name, dimensions order.
    pub metrics: Vec<MetricRef>,
    /// Whether the listing stopped at its limit with more pages left.
    pub truncated: bool,
}

impl MetricList {
    /// Sorts the metrics in namespace, name, dimensions order.
    pub fn sorted(mut metrics: Vec<MetricRef>, truncated: bool) -> Self {
        metrics.sort();
        metrics.dedup();
        Self { metrics, truncated }
    }
}

/// Checks a statistic as GetMetricData takes it.
pub fn check_statistic(stat: &str) -> Result<(), BrowseError> {
    let known = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"].contains(&stat);
    let percentile = stat
        .strip_prefix('p')
        .and_then(|p| p.parse::<f64>().ok())
        .is_some_and(|p| (0.0..=100.0).contains(&p));
    if known || percentile {
        Ok(())
    } else {
        Err(BrowseError::Statistic(stat.to_string()))
    }
}

/// Parses a period (`60`, `5m`, `1h`, `30s`) into seconds CloudWatch
/// aggregates by: 1, 5, 10, 30 or a multiple of 60.
pub fn parse_period(text: &str) -> Result<u32, BrowseError> {
    let bad = || BrowseError::Period(text.to_string());
    let secs = match text.trim().parse::<u64>() {
        Ok(secs) => secs,
        Err(_) => humantime::parse_duration(text.trim())
            .map_err(|_| bad())?
            .as_secs(),
    };
    let secs = u32::try_from(secs).map_err(|_| bad())?;
    if [1, 5, 10, 30].contains(&secs) || (secs > 0 && secs % 60 == 0) {
        Ok(secs)
    } else {
        Err(bad())
    }
}

/// `1m`, `5m`, `1h`: a period as the screen and the CLI show it.
pub fn period_label(secs: u32) -> String {
    humantime::format_duration(std::time::Duration::from_secs(u64::from(secs))).to_string()
}

/// A metric as the explorer charts it: with a statistic and a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartedMetric {
    /// The metric.
    pub metric: MetricRef,
    /// Its statistic.
    pub stat: String,
    /// Its period, in seconds.
    pub period_secs: u32,
}

impl ChartedMetric {
    /// The GetMetricData query that charts it, under `id`.
    pub fn query(&self, id: &str) -> MetricQuery {
        MetricQuery::metric(id, self.metric.clone(), &self.stat, self.period_secs)
    }

    /// A CloudWatch dashboard widget (one element of a body's `widgets`)
    /// showing the metric as a line at its statistic and period, in
    /// `region` (without one, the dashboard's own).
    pub fn widget_json(&self, region: Option<&str>) -> Value {
        let mut row: Vec<Value> = vec![
            self.metric.namespace.clone().into(),
            self.metric.name.clone().into(),
        ];
        for d in &self.metric.dimensions {
            row.push(d.name.clone().into());
            row.push(d.value.clone().into());
        }
        let mut widget = json!({
            "type": "metric",
            "width": 12,
            "height": 6,
            "properties": {
                "metrics": [row],
                "view": "timeSeries",
                "stacked": false,
                "stat": self.stat,
                "period": self.period_secs,
                "title": self.metric.name,
            }
        });
        if let Some(region) = region {
            widget["properties"]["region"] = region.into();
        }
        widget
    }

    /// A PutMetricAlarm request (`aws cloudwatch put-metric-alarm
    /// --cli-input-json`) for the metric at its statistic and period:
    /// above `threshold` for one period. A percentile goes in
    /// `ExtendedStatistic`, as the service wants.
    pub fn alarm_json(&self, threshold: f64) -> Value {
        let dims: Vec<Value> = self
            .metric
            .dimensions
            .iter()
            .map(|Dimension { name, value }| json!({ "Name": name, "Value": value }))
            .collect();
        let mut name = self.metric.name.clone();
        for d in &self.metric.dimensions {
            name.push('-');
            name.push_str(&d.value);
        }
        let stat_key = if self.stat.starts_with('p') {
            "ExtendedStatistic"
        } else {
            "Statistic"
        };
        let mut alarm = json!({
            "AlarmName": name,
            "AlarmDescription": format!("{} {} per {}", self.metric.display_name(), self.stat, period_label(self.period_secs)),
            "Namespace": self.metric.namespace,
            "MetricName": self.metric.name,
            "Dimensions": dims,
            "Period": self.period_secs,
            "EvaluationPeriods": 1,
            "DatapointsToAlarm": 1,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "missing",
        });
        alarm[stat_key] = self.stat.clone().into();
        alarm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lambda_errors() -> MetricRef {
        MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![Dimension::new("FunctionName", "auth")],
        )
    }

    #[test]
    fn a_filter_matches_as_list_metrics_does() {
        let f = MetricFilter::parse(
            Some("AWS/Lambda".into()),
            None,
            &["FunctionName=auth".into()],
        )
        .unwrap();
        assert!(f.matches(&lambda_errors()));
        let other = MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![Dimension::new("FunctionName", "billing")],
        );
        assert!(!f.matches(&other));
        let any_function = MetricFilter::parse(None, None, &["FunctionName".into()]).unwrap();
        assert!(any_function.matches(&other));
        assert!(!any_function.matches(&MetricRef::new("AWS/Lambda", "Errors", vec![])));
        let by_name = MetricFilter::parse(None, Some("Throttles".into()), &[]).unwrap();
        assert!(!by_name.matches(&lambda_errors()));
        assert_eq!(
            MetricFilter::parse(None, None, &["=x".into()]),
            Err(BrowseError::Dimension("=x".into()))
        );
    }

    #[test]
    fn periods_are_those_cloudwatch_aggregates_by() {
        assert_eq!(parse_period("300"), Ok(300));
        assert_eq!(parse_period("5m"), Ok(300));
        assert_eq!(parse_period("1h"), Ok(3600));
        assert_eq!(parse_period("30s"), Ok(30));
        assert!(parse_period("90s").is_err());
        assert!(parse_period("0").is_err());
        assert!(parse_period("soon").is_err());
        assert_eq!(period_label(300), "5m");
    }

    #[test]
    fn statistics_are_checked() {
        assert!(check_statistic("p99.9").is_ok());
        assert!(check_statistic("Sum").is_ok());
        assert!(check_statistic("sum").is_err());
        assert!(check_statistic("p101").is_err());
        for stat in STATISTICS {
            assert!(check_statistic(stat).is_ok(), "{stat}");
        }
    }

    #[test]
    fn the_widget_is_a_metric_widget_the_dashboard_parser_reads_back() {
        use crate::model::dashboard::{Dashboard, MetricRow, WidgetContent};
        let charted = ChartedMetric {
            metric: lambda_errors(),
            stat: "Sum".into(),
            period_secs: 300,
        };
        let body = json!({ "widgets": [charted.widget_json(Some("eu-west-1"))] }).to_string();
        let dashboard = Dashboard::parse(&body).unwrap();
        let Ok(WidgetContent::Metric(widget)) = &dashboard.widgets[0].content else {
            panic!("not a metric widget: {:?}", dashboard.widgets[0].content);
        };
        assert_eq!((widget.stat.as_str(), widget.period_secs), ("Sum", 300));
        assert_eq!(widget.region.as_deref(), Some("eu-west-1"));
        assert!(
            matches!(&widget.rows[..], [MetricRow::Metric { metric, .. }] if *metric == lambda_errors())
        );
    }

    #[test]
    fn the_alarm_definition_puts_percentiles_in_extended_statistic() {
        let charted = ChartedMetric {
            metric: lambda_errors(),
            stat: "p99".into(),
            period_secs: 300,
        };
        let alarm = charted.alarm_json(12.5);
        assert_eq!(alarm["ExtendedStatistic"], "p99");
        assert!(alarm.get("Statistic").is_none());
        assert_eq!(alarm["Dimensions"][0]["Value"], "auth");
        assert_eq!(alarm["Threshold"], 12.5);
        assert_eq!(alarm["AlarmName"], "Errors-auth");
        let sum = ChartedMetric {
            stat: "Sum".into(),
            ..charted
        };
        assert_eq!(sum.alarm_json(1.0)["Statistic"], "Sum");
    }
}
