//! `monitui logs query`: runs a Logs Insights query (given, or saved by
//! name) over log groups and a time window, shows its progress on stderr
//! while it runs, stops it on Ctrl-C, and prints the results as a table or
//! as JSON (an array of objects, keys in column order).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use serde::ser::{Serialize, SerializeMap, Serializer};
use tokio_util::sync::CancellationToken;

use super::args::OutputFormat;
use super::json::write_json;
use crate::config::ResolvedEnv;
use crate::data::insights::{InsightsError, PollOptions, resolve_groups, run_query};
use crate::insights::MAX_LIMIT;
use crate::model::insights::{QueryLanguage, QueryRequest, QueryStatus, QueryTable};
use crate::model::time_bound::{TimeBound, WindowError};
use crate::model::{Clock, TimeRange};
use crate::report::table::print_table;
use crate::sanitize::sanitize_line;

/// The arguments of `logs query`.
#[derive(Debug, Clone, Args)]
pub struct LogsQueryArgs {
    /// The query, e.g. 'filter @message like /ERROR/ | stats count(*) by bin(5m)'.
    #[arg(
        required_unless_present = "saved",
        conflicts_with = "saved",
        allow_hyphen_values = true
    )]
    pub query: Option<String>,
    /// Run a saved query by name (see the config's saved_queries; "Find
    /// Lambda errors" is built in); its groups unless --group is given.
    #[arg(long, value_name = "NAME")]
    pub saved: Option<String>,
    /// Log groups to read (at most 50); GROUP* means every group whose name
    /// starts with GROUP.
    #[arg(long = "group", value_name = "GROUP", num_args = 1..)]
    pub groups: Vec<String>,
    /// Earliest event: RFC 3339 time, a date (UTC midnight), a time of day
    /// (08:14 in the --tz zone), or a duration ago such as 1h or 7d.
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub since: TimeBound,
    /// Latest event, same forms as --since (default: now).
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub until: Option<TimeBound>,
    /// Most rows when the query has no `limit` of its own (service default 1000).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_LIMIT as i64))]
    pub limit: Option<u32>,
    /// table or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: OutputFormat,
}

/// Why `logs query` refused its arguments, or how the query ended badly.
#[derive(Debug, thiserror::Error)]
pub enum LogsQueryError {
    /// `--saved` names no saved query.
    #[error("no saved query '{name}'; saved queries: {known}")]
    UnknownSaved {
        /// The name given.
        name: String,
        /// The names there are.
        known: String,
    },
    /// Neither `--group` nor the saved query names a group.
    #[error("give the log groups to read with --group")]
    NoGroups,
    /// `--since` is not before `--until`.
    #[error("--since ({since}) is not before --until ({until})")]
    EmptyWindow {
        /// Resolved --since.
        since: jiff::Timestamp,
        /// Resolved --until.
        until: jiff::Timestamp,
    },
    /// The query ended without results: failed, timed out or cancelled.
    #[error("the query ended {status}: no results")]
    Ended {
        /// Its final status.
        status: &'static str,
    },
}

/// Whether `err` means the user asked for something invalid (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<WindowError>().is_some()
            || c.downcast_ref::<LogsQueryError>()
                .is_some_and(|e| !matches!(e, LogsQueryError::Ended { .. }))
            || c.downcast_ref::<InsightsError>()
                .is_some_and(InsightsError::is_bad_input)
    })
}

/// The query text and group patterns the arguments ask for.
pub fn query_and_groups(args: &LogsQueryArgs, env: &ResolvedEnv) -> Result<(String, Vec<String>)> {
    let (query, saved_groups) = match (&args.query, &args.saved) {
        (Some(q), _) => (q.clone(), Vec::new()),
        (None, Some(name)) => {
            let saved = env.saved_queries();
            let found = saved.iter().find(|q| &q.name == name).ok_or_else(|| {
                LogsQueryError::UnknownSaved {
                    name: name.clone(),
                    known: saved
                        .iter()
                        .map(|q| format!("'{}'", q.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })?;
            (found.query.clone(), found.groups.clone())
        }
        (None, None) => anyhow::bail!(LogsQueryError::NoGroups),
    };
    let groups = if args.groups.is_empty() {
        saved_groups
    } else {
        args.groups.clone()
    };
    if groups.is_empty() {
        anyhow::bail!(LogsQueryError::NoGroups);
    }
    Ok((query, groups))
}

/// Runs `logs query` on the env's account: progress on `err`, results on `out`.
pub async fn run(
    args: &LogsQueryArgs,
    env: &ResolvedEnv,
    clock: Arc<dyn Clock>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let (query, patterns) = query_and_groups(args, env)?;
    let now = clock.now();
    let since = args.since.resolve(now)?;
    let until = args.until.map_or(Ok(now), |u| u.resolve(now))?;
    if since >= until {
        anyhow::bail!(LogsQueryError::EmptyWindow { since, until });
    }
    let session = crate::data::connect(env.clone(), clock).await?;
    let groups = resolve_groups(session.reads.logs.as_ref(), &patterns).await?;
    let request = QueryRequest {
        groups,
        range: TimeRange {
            start: since,
            end: until,
        },
        query,
        limit: args.limit,
        language: QueryLanguage::LogsInsights,
    };
    let cancel = CancellationToken::new();
    let on_interrupt = cancel.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
    let live = std::io::stderr().is_terminal();
    let started = Instant::now();
    let outcome = run_query(
        session.reads.insights.as_ref(),
        &request,
        PollOptions::default(),
        &cancel,
        |results| {
            if live {
                // Rewrites one line in place; a failed write to stderr is not worth stopping for.
                let _ = write!(err, "\r\x1b[2K{}", results.summary());
                let _ = err.flush();
            }
        },
    )
    .await;
    watcher.abort();
    if live {
        write!(err, "\r\x1b[2K")?;
    }
    let outcome = outcome?;
    let results = &outcome.results;
    writeln!(
        err,
        "{} in {:.1}s",
        results.summary(),
        started.elapsed().as_secs_f64()
    )?;
    if results.status != QueryStatus::Complete {
        anyhow::bail!(LogsQueryError::Ended {
            status: results.status.as_str(),
        });
    }
    print(&results.table, args.output, out).context("writing the results")
}

/// Prints the table: aligned and sanitised (nothing at all when there are
/// no rows: the summary on stderr says so), or JSON objects in column order.
pub fn print(table: &QueryTable, output: OutputFormat, out: &mut dyn Write) -> std::io::Result<()> {
    match output {
        OutputFormat::Json => {
            let rows: Vec<RowObject> = table
                .rows
                .iter()
                .map(|row| RowObject {
                    columns: &table.columns,
                    row,
                })
                .collect();
            write_json(out, &rows)
        }
        OutputFormat::Table if table.rows.is_empty() => Ok(()),
        OutputFormat::Table => {
            let header: Vec<String> = table.columns.iter().map(|c| sanitize_line(c)).collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let rows: Vec<Vec<String>> = table
                .rows
                .iter()
                .map(|r| r.iter().map(|c| sanitize_line(c)).collect())
                .collect();
            print_table(out, &header, &rows)
        }
    }
}

/// One result row as a JSON object whose keys keep the column order.
struct RowObject<'a> {
    columns: &'a [String],
    row: &'a [String],
}

impl Serialize for RowObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, value) in self.columns.iter().zip(self.row) {
            map.serialize_entry(column, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> QueryTable {
        QueryTable {
            columns: vec!["zeta".into(), "@message".into()],
            rows: vec![vec![
                "1".into(),
                "a \u{1b}[31mred\u{1b}[0m \u{202e}x".into(),
            ]],
        }
    }

    #[test]
    fn json_keeps_column_order_and_escapes_unsafe_text() {
        let mut out = Vec::new();
        print(&table(), OutputFormat::Json, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.find("zeta").unwrap() < text.find("@message").unwrap(),
            "{text}"
        );
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[0]["@message"], "a \u{1b}[31mred\u{1b}[0m \u{202e}x");
    }

    #[test]
    fn tables_are_sanitised() {
        let mut out = Vec::new();
        print(&table(), OutputFormat::Table, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        assert!(text.starts_with("zeta  @message\n1     a red"), "{text:?}");
    }
}
