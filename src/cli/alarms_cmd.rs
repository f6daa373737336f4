//! `monitui alarms ...`: the alarm commands for scripts and people.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::args::{AlarmsCommand, OutputFormat};
use super::table::print_table;
use crate::model::{Alarm, AlarmState, alarm::sort_for_oncall};
use crate::provider::Provider;
use crate::term::sanitize_line;

/// One alarm as `alarms list --output json` prints it.
#[derive(Debug, Serialize)]
pub struct AlarmRecord<'a> {
    /// Alarm name.
    pub name: &'a str,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state: AlarmState,
    /// The service's reason for the state.
    pub reason: &'a str,
    /// Start of the current state, RFC 3339.
    pub updated_at: String,
    /// `Namespace/Metric`, `expression` or `composite`.
    pub metric: String,
    /// Threshold value (null for composite alarms).
    pub threshold: Option<f64>,
    /// Human condition, e.g. `> 300`, or the composite rule.
    pub condition: String,
    /// Alarm ARN.
    pub arn: &'a str,
    /// Whether actions are enabled.
    pub actions_enabled: bool,
}

impl<'a> From<&'a Alarm> for AlarmRecord<'a> {
    fn from(a: &'a Alarm) -> Self {
        Self {
            name: &a.name,
            state: a.state,
            reason: &a.reason,
            updated_at: a.updated_at.to_string(),
            metric: a.metric_label(),
            threshold: a.metric_spec().map(|s| s.threshold),
            condition: a.threshold_label(),
            arn: &a.arn,
            actions_enabled: a.actions_enabled,
        }
    }
}

/// Runs an alarms subcommand against a provider, printing to `out`.
pub async fn run(cmd: &AlarmsCommand, provider: &dyn Provider, out: &mut dyn Write) -> Result<()> {
    match cmd {
        AlarmsCommand::List { state, output } => {
            let mut alarms = provider.list_alarms().await?;
            alarms.retain(|a| state.is_none_or(|s| a.state == s));
            sort_for_oncall(&mut alarms);
            print_alarms(&alarms, *output, out)
        }
    }
}

fn print_alarms(alarms: &[Alarm], output: OutputFormat, out: &mut dyn Write) -> Result<()> {
    match output {
        OutputFormat::Json => {
            let records: Vec<AlarmRecord> = alarms.iter().map(AlarmRecord::from).collect();
            serde_json::to_writer_pretty(&mut *out, &records)?;
            writeln!(out)?;
        }
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = alarms
                .iter()
                .map(|a| {
                    vec![
                        a.state.to_string(),
                        sanitize_line(&a.name),
                        sanitize_line(&a.metric_label()),
                        sanitize_line(&a.threshold_label()),
                        a.updated_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                        sanitize_line(&a.reason),
                    ]
                })
                .collect();
            print_table(
                out,
                &[
                    "STATE",
                    "NAME",
                    "METRIC",
                    "THRESHOLD",
                    "SINCE (UTC)",
                    "REASON",
                ],
                &rows,
            )?;
        }
    }
    Ok(())
}
