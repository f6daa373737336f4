//! The monthly cost estimate of the monitoring stack: prices (the seed's
//! by default, overridable under `[prices]` in the config file), what is
//! deployed, and the itemised estimate computed from both.

use serde::{Deserialize, Serialize};

use super::alarm::MetricAlarmSpec;
use super::metric::QuerySource;

/// Prices in USD. The seed gives dashboards and alarms; the rest are AWS's
/// us-east-1 list prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Prices {
    /// Per dashboard per month (seed: $3).
    pub dashboard_month: f64,
    /// Per standard-resolution alarm metric per month (seed: $0.10).
    pub alarm_month: f64,
    /// Per composite alarm per month.
    pub composite_month: f64,
    /// Per GB of logs ingested.
    pub log_ingest_gb: f64,
    /// Per GB-month of logs stored.
    pub log_storage_gb_month: f64,
    /// Per 100,000 CloudTrail data events.
    pub data_events_100k: f64,
    /// Per 1,000 metrics requested with GetMetricData.
    pub get_metric_data_1k: f64,
    /// Hours a month monitui is open (730: all the time, a wall screen).
    pub monitui_hours_month: f64,
}

impl Default for Prices {
    fn default() -> Self {
        Self {
            dashboard_month: 3.0,
            alarm_month: 0.10,
            composite_month: 0.50,
            log_ingest_gb: 0.50,
            log_storage_gb_month: 0.03,
            data_events_100k: 0.10,
            get_metric_data_1k: 0.01,
            monitui_hours_month: 730.0,
        }
    }
}

/// What is deployed, as far as the estimate needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Usage {
    /// Dashboards in the account.
    pub dashboards: usize,
    /// Standard-resolution alarm metrics billed, summed over the metric
    /// alarms by [`billed_alarm_metrics`].
    pub alarms: usize,
    /// Composite alarms (billed per alarm, not per metric).
    pub composites: usize,
    /// (stored bytes, retention days) of each log group.
    pub log_groups: Vec<(u64, Option<u32>)>,
    /// Data events the trails record in a day (Lambda invocations and S3
    /// object requests on the selected buckets, from their metrics).
    pub data_events_per_day: f64,
    /// Metrics an open monitui asks for at each refresh.
    pub metrics_per_refresh: usize,
    /// Seconds between refreshes.
    pub refresh_secs: f64,
}

/// One item of the estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostLine {
    /// What it is.
    pub item: &'static str,
    /// How much of it, in words.
    pub quantity: String,
    /// USD a month.
    pub monthly_usd: f64,
}

/// How many standard-resolution alarm metrics CloudWatch bills a metric
/// alarm as: one per metric it reads (a metric-math alarm pays for each
/// metric in its expressions, not for the expressions), three per metric
/// of an anomaly-detection alarm (the metric and the band's two limits),
/// and a high-resolution alarm (period under 60 s) three times that
/// ($0.30 instead of $0.10 an alarm metric).
pub fn billed_alarm_metrics(spec: &MetricAlarmSpec) -> usize {
    let metrics = if spec.queries.is_empty() {
        1
    } else {
        spec.queries
            .iter()
            .filter(|q| matches!(q.source, QuerySource::Metric { .. }))
            .count()
            .max(1)
    };
    let band = if spec.threshold_metric_id.is_some() {
        3
    } else {
        1
    };
    let resolution = if spec.period_secs < 60 { 3 } else { 1 };
    metrics * band * resolution
}

const GB: f64 = 1024.0 * 1024.0 * 1024.0;
const DAYS_A_MONTH: f64 = 30.0;

/// The itemised monthly estimate of `usage` at `prices`. Log ingestion is
/// inferred from what is stored: a group keeping `retention` days holds
/// that many days of ingestion; groups that never expire count as storage
/// only.
pub fn estimate(usage: &Usage, prices: &Prices) -> Vec<CostLine> {
    let stored: f64 = usage
        .log_groups
        .iter()
        .fold(0.0, |sum, (b, _)| sum + *b as f64)
        / GB;
    let ingested_month: f64 = usage
        .log_groups
        .iter()
        .filter_map(|(b, r)| {
            r.filter(|d| *d > 0)
                .map(|d| *b as f64 / GB / f64::from(d) * DAYS_A_MONTH)
        })
        .fold(0.0, |sum, gb| sum + gb);
    let data_events = usage.data_events_per_day * DAYS_A_MONTH;
    let refreshes = if usage.refresh_secs > 0.0 {
        prices.monitui_hours_month * 3600.0 / usage.refresh_secs
    } else {
        0.0
    };
    let metrics_requested = refreshes * usage.metrics_per_refresh as f64;
    vec![
        CostLine {
            item: "dashboards",
            quantity: format!("{}", usage.dashboards),
            monthly_usd: usage.dashboards as f64 * prices.dashboard_month,
        },
        CostLine {
            item: "alarms",
            quantity: format!("{}", usage.alarms),
            monthly_usd: usage.alarms as f64 * prices.alarm_month,
        },
        CostLine {
            item: "composite alarms",
            quantity: format!("{}", usage.composites),
            monthly_usd: usage.composites as f64 * prices.composite_month,
        },
        CostLine {
            item: "log ingestion",
            quantity: format!(
                "{ingested_month:.2} GB/month (from {} groups' stored bytes and retention)",
                usage.log_groups.len()
            ),
            monthly_usd: ingested_month * prices.log_ingest_gb,
        },
        CostLine {
            item: "log storage",
            quantity: format!("{stored:.2} GB stored"),
            monthly_usd: stored * prices.log_storage_gb_month,
        },
        CostLine {
            item: "trail data events",
            quantity: format!("{data_events:.0} events/month"),
            monthly_usd: data_events / 100_000.0 * prices.data_events_100k,
        },
        CostLine {
            item: "monitui metric reads",
            quantity: format!(
                "{} metrics every {}s for {} h",
                usage.metrics_per_refresh, usage.refresh_secs, prices.monitui_hours_month
            ),
            monthly_usd: metrics_requested / 1000.0 * prices.get_metric_data_1k,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::alarm::{Comparison, TreatMissingData};
    use crate::model::metric::{MetricQuery, MetricRef};

    /// The monthly USD of the line named `item`.
    fn usd(lines: &[CostLine], item: &str) -> f64 {
        lines
            .iter()
            .find(|l| l.item == item)
            .unwrap_or_else(|| panic!("no {item} line in {lines:?}"))
            .monthly_usd
    }

    fn spec(period_secs: u32, queries: Vec<MetricQuery>, band: Option<&str>) -> MetricAlarmSpec {
        MetricAlarmSpec {
            metric: queries
                .is_empty()
                .then(|| MetricRef::new("AWS/Lambda", "Errors", vec![])),
            stat: "Sum".into(),
            period_secs,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            threshold: 1.0,
            comparison: Comparison::GreaterThanThreshold,
            treat_missing: TreatMissingData::Missing,
            queries,
            threshold_metric_id: band.map(str::to_string),
        }
    }

    fn metric_query(id: &str) -> MetricQuery {
        MetricQuery::metric(id, MetricRef::new("AWS/Lambda", id, vec![]), "Sum", 300)
    }

    #[test]
    fn alarms_are_billed_per_metric_they_read_as_cloudwatch_bills_them() {
        assert_eq!(billed_alarm_metrics(&spec(300, vec![], None)), 1);
        assert_eq!(
            billed_alarm_metrics(&spec(10, vec![], None)),
            3,
            "high resolution"
        );
        let ratio = vec![
            metric_query("errors"),
            metric_query("invocations"),
            MetricQuery::expression("rate", "100*errors/invocations"),
        ];
        assert_eq!(
            billed_alarm_metrics(&spec(300, ratio, None)),
            2,
            "each metric of a math alarm, not its expression"
        );
        let band = vec![
            metric_query("m1"),
            MetricQuery::expression("ad1", "ANOMALY_DETECTION_BAND(m1, 3)"),
        ];
        assert_eq!(billed_alarm_metrics(&spec(300, band, Some("ad1"))), 3);
    }

    #[test]
    fn composite_alarms_cost_fifty_cents_each() {
        let usage = Usage {
            composites: 10,
            ..Usage::default()
        };
        let lines = estimate(&usage, &Prices::default());
        assert!((usd(&lines, "composite alarms") - 5.0).abs() < 1e-9);
    }

    #[test]
    fn the_seed_stack_costs_what_the_seed_says_for_dashboards_and_alarms() {
        let usage = Usage {
            dashboards: 3,
            alarms: 4,
            ..Usage::default()
        };
        let lines = estimate(&usage, &Prices::default());
        assert_eq!(usd(&lines, "dashboards"), 9.0);
        assert!((usd(&lines, "alarms") - 0.40).abs() < 1e-9);
        assert!(
            lines[2..]
                .iter()
                .all(|l| l.monthly_usd.to_bits() == 0.0f64.to_bits()),
            "{lines:?}"
        );
        assert_eq!(
            lines
                .iter()
                .find(|l| l.item == "log storage")
                .unwrap()
                .quantity,
            "0.00 GB stored"
        );
    }

    #[test]
    fn logs_trail_and_reads_follow_usage_and_prices() {
        let usage = Usage {
            log_groups: vec![
                (30 * 1024 * 1024 * 1024, Some(30)),
                (2 * 1024 * 1024 * 1024, None),
            ],
            data_events_per_day: 100_000.0,
            metrics_per_refresh: 10,
            refresh_secs: 5.0,
            ..Usage::default()
        };
        let prices = Prices {
            monitui_hours_month: 10.0,
            ..Prices::default()
        };
        let lines = estimate(&usage, &prices);
        assert!(
            (usd(&lines, "log ingestion") - 30.0 * 0.5).abs() < 1e-9,
            "30 GB a month ingested"
        );
        assert!((usd(&lines, "log storage") - 32.0 * 0.03).abs() < 1e-9);
        assert!((usd(&lines, "trail data events") - 30.0 * 0.10).abs() < 1e-9);
        assert!((usd(&lines, "monitui metric reads") - 7200.0 * 10.0 / 1000.0 * 0.01).abs() < 1e-9);
    }

    #[test]
    fn prices_parse_from_toml_with_defaults() {
        let p: Prices = toml::from_str("dashboard_month = 2.5").unwrap();
        assert_eq!(p.dashboard_month, 2.5);
        assert_eq!(p.alarm_month, 0.10);
        assert!(toml::from_str::<Prices>("dashboards = 1").is_err());
    }
}
