//! `monitui metrics put NAME VALUE [--unit U] [--dim k=v]... [--namespace N]`:
//! publishes one custom metric value, as in the seed's example; bad input
//! is refused with a message naming it (exit 2) before anything is sent.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use crate::data::publish::put_metric;
use crate::data::{AuditLog, Session};
use crate::model::Clock;
use crate::model::custom_metric::{CustomMetricError, DEFAULT_NAMESPACE, custom_datum};
use crate::term::sanitize_line;

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
}

/// Whether `err` is bad input (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| c.downcast_ref::<CustomMetricError>().is_some())
}

/// The checked value, before any connection is made.
pub fn datum_of(cmd: &MetricsCommand) -> Result<crate::model::MetricDatum> {
    let MetricsCommand::Put {
        name,
        value,
        unit,
        dims,
        namespace,
        ..
    } = cmd;
    Ok(custom_datum(namespace, name, value, unit.as_deref(), dims)?)
}

/// Publishes the value and says so.
pub async fn put(
    datum: &crate::model::MetricDatum,
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
