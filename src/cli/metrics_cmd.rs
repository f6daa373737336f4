//! `monitui metrics put NAME VALUE [--unit U] [--dim k=v]... [--namespace N]`
//! publishes one custom metric value, as in the seed's example; `metrics
//! list` lists the account's metrics (ListMetrics, every page, the filters
//! sent to the service); `metrics get NS NAME` prints one metric's
//! datapoints at a statistic and period (GetMetricData). Bad input is
//! refused with a message naming it (exit 2) before anything is sent.

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use clap::Subcommand;
use jiff::Timestamp;
use serde::Serialize;

use crate::cli::args::OutputFormat;
use crate::data::metrics_job::chart_series;
use crate::data::publish::put_metric;
use crate::data::{AuditLog, Session};
use crate::model::custom_metric::{CustomMetricError, DEFAULT_NAMESPACE, custom_datum};
use crate::model::metric_browse::{
    BrowseError, ChartedMetric, MetricFilter, check_statistic, parse_dimension, parse_period,
    period_label,
};
use crate::model::time_bound::TimeBound;
use crate::model::{Clock, Dimension, MetricDatum, MetricRef, TimeRange};
use crate::provider::Reads;
use crate::report::table::print_table;
use crate::sanitize::sanitize_line;

/// How far back `metrics get` reads without `--since`.
const GET_SINCE: Duration = Duration::from_secs(3 * 3600);

/// `monitui metrics ...`
#[derive(Debug, Subcommand)]
pub enum MetricsCommand {
    /// Publish a custom metric value.
    Put {
        /// Metric name, e.g. MarketIntelligence.ForecastAccuracy.
        name: String,
        /// The value (a number).
        #[arg(allow_hyphen_values = true)]
        value: String,
        /// CloudWatch unit, e.g. Count, Seconds, Percent, None.
        #[arg(long)]
        unit: Option<String>,
        /// A dimension NAME=VALUE (repeatable).
        #[arg(long = "dim", value_name = "NAME=VALUE")]
        dims: Vec<String>,
        /// Namespace.
        #[arg(long, default_value = DEFAULT_NAMESPACE)]
        namespace: String,
        /// Accepted like every change command's (publishing never asks).
        #[arg(long)]
        yes: bool,
    },
    /// List the account's metrics (ListMetrics, every page).
    List {
        /// Only this namespace, e.g. AWS/Lambda.
        #[arg(long)]
        namespace: Option<String>,
        /// Only metrics of this name, e.g. Errors.
        #[arg(long)]
        name: Option<String>,
        /// Only metrics with this dimension, NAME=VALUE, or NAME for any
        /// value (repeatable).
        #[arg(long = "dim", value_name = "NAME=VALUE")]
        dims: Vec<String>,
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Print one metric's datapoints (GetMetricData).
    Get {
        /// Namespace, e.g. AWS/Lambda.
        namespace: String,
        /// Metric name, e.g. Errors.
        name: String,
        /// A dimension NAME=VALUE (repeatable; all of the metric's).
        #[arg(long = "dim", value_name = "NAME=VALUE")]
        dims: Vec<String>,
        /// Statistic: Average, Sum, Minimum, Maximum, SampleCount, p99...
        #[arg(long, default_value = "Average")]
        stat: String,
        /// Period: 60, 5m, 1h (1s, 5s, 10s, 30s or whole minutes).
        #[arg(long, default_value = "5m")]
        period: String,
        /// Start: 3h, 2026-11-28T08:14:00Z, 2026-11-28, 08:14 (default 3h).
        #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
        since: Option<TimeBound>,
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
}

/// Whether `err` is bad input (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<CustomMetricError>().is_some() || c.downcast_ref::<BrowseError>().is_some()
    })
}

/// A `metrics` command with its input checked, before any connection is
/// made.
#[derive(Debug, Clone)]
pub enum Checked {
    /// Publish this value.
    Put(MetricDatum),
    /// List with this filter.
    List(MetricFilter, OutputFormat),
    /// Read these datapoints.
    Get(ChartedMetric, Option<TimeBound>, OutputFormat),
}

/// Checks `cmd`'s input.
pub fn check(cmd: &MetricsCommand) -> Result<Checked> {
    Ok(match cmd {
        MetricsCommand::Put {
            name,
            value,
            unit,
            dims,
            namespace,
            ..
        } => Checked::Put(custom_datum(namespace, name, value, unit.as_deref(), dims)?),
        MetricsCommand::List {
            namespace,
            name,
            dims,
            output,
        } => Checked::List(
            MetricFilter::parse(namespace.clone(), name.clone(), dims)?,
            *output,
        ),
        MetricsCommand::Get {
            namespace,
            name,
            dims,
            stat,
            period,
            since,
            output,
        } => {
            check_statistic(stat)?;
            let dimensions = dims
                .iter()
                .map(|d| parse_dimension(d))
                .collect::<Result<Vec<Dimension>, _>>()?;
            let charted = ChartedMetric {
                metric: MetricRef::new(namespace, name, dimensions),
                stat: stat.clone(),
                period_secs: parse_period(period)?,
            };
            Checked::Get(charted, *since, *output)
        }
    })
}

/// Runs a checked `metrics` command.
pub async fn run(
    checked: &Checked,
    session: &Session,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> Result<()> {
    match checked {
        Checked::Put(datum) => {
            put(datum, session, &AuditLog::default_location()?, clock, out).await
        }
        Checked::List(filter, output) => list(&session.reads, filter, *output, out).await,
        Checked::Get(charted, since, output) => {
            let now = clock.now();
            let start = since.unwrap_or(TimeBound::Ago(GET_SINCE)).resolve(now)?;
            get(
                &session.reads,
                charted,
                TimeRange { start, end: now },
                *output,
                out,
            )
            .await
        }
    }
}

/// One metric as `metrics list --output json` writes it.
#[derive(Serialize)]
struct ListedMetric<'a> {
    namespace: &'a str,
    name: &'a str,
    dimensions: &'a [Dimension],
}

/// `metrics list`: every metric `filter` lets through.
pub async fn list(
    reads: &Reads,
    filter: &MetricFilter,
    output: OutputFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let listed = reads.metrics.list_metrics(filter, usize::MAX).await?;
    if output == OutputFormat::Json {
        let rows: Vec<ListedMetric<'_>> = listed
            .metrics
            .iter()
            .map(|m| ListedMetric {
                namespace: &m.namespace,
                name: &m.name,
                dimensions: &m.dimensions,
            })
            .collect();
        crate::cli::json::write_json(out, &rows)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = listed
        .metrics
        .iter()
        .map(|m| {
            let dims: Vec<String> = m
                .dimensions
                .iter()
                .map(|d| format!("{}={}", d.name, d.value))
                .collect();
            vec![
                sanitize_line(&m.namespace),
                sanitize_line(&m.name),
                sanitize_line(&dims.join(" ")),
            ]
        })
        .collect();
    print_table(out, &["NAMESPACE", "NAME", "DIMENSIONS"], &rows)?;
    Ok(())
}

/// One datapoint as `metrics get --output json` writes it.
#[derive(Serialize)]
struct Datapoint {
    timestamp: Timestamp,
    value: f64,
}

/// What `metrics get --output json` writes.
#[derive(Serialize)]
struct Got<'a> {
    namespace: &'a str,
    name: &'a str,
    dimensions: &'a [Dimension],
    stat: &'a str,
    period: u32,
    start: Timestamp,
    end: Timestamp,
    datapoints: Vec<Datapoint>,
    message: Option<String>,
}

/// `metrics get`: the datapoints of `charted` over `range`, oldest first.
pub async fn get(
    reads: &Reads,
    charted: &ChartedMetric,
    range: TimeRange,
    output: OutputFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let series = chart_series(reads.metrics.as_ref(), charted, range).await?;
    if output == OutputFormat::Json {
        let got = Got {
            namespace: &charted.metric.namespace,
            name: &charted.metric.name,
            dimensions: &charted.metric.dimensions,
            stat: &charted.stat,
            period: charted.period_secs,
            start: range.start,
            end: range.end,
            datapoints: series
                .points
                .iter()
                .map(|&(timestamp, value)| Datapoint { timestamp, value })
                .collect(),
            message: series.message,
        };
        crate::cli::json::write_json(out, &got)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} {} per {}",
        sanitize_line(&charted.metric.display_name()),
        sanitize_line(&charted.stat),
        period_label(charted.period_secs)
    )?;
    if let Some(message) = &series.message {
        writeln!(out, "note: {}", sanitize_line(message))?;
    }
    let rows: Vec<Vec<String>> = series
        .points
        .iter()
        .map(|(t, v)| vec![t.to_string(), v.to_string()])
        .collect();
    print_table(out, &["TIMESTAMP (UTC)", "VALUE"], &rows)?;
    Ok(())
}

/// Publishes the value and says so.
pub async fn put(
    datum: &MetricDatum,
    session: &Session,
    audit: &AuditLog,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> Result<()> {
    put_metric(session, datum, audit, clock).await?;
    writeln!(
        out,
        "published {} = {}",
        sanitize_line(&datum.metric.display_name()),
        datum.value
    )?;
    Ok(())
}
