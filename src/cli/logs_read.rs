//! `monitui logs groups` and `monitui logs search`: the account's log
//! groups, and the events of some groups in a time window (every page of
//! every group, the groups read side by side and merged by time as they
//! come, printed as they are merged), as a sanitised table or escaped
//! JSON.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::args::{OutputFormat, positive};
use super::json::{JsonArray, write_json};
use crate::data::backoff::Backoff;
use crate::data::log_fetch::MergedEvents;
use crate::filter::FilterPattern;
use crate::model::time_bound::TimeBound;
use crate::model::{LogEvent, LogGroup, TimeRange};
use crate::provider::{LogsRead, ProviderError};
use crate::report::format::{bytes_text, retention_text};
use crate::report::table::{TableStream, print_table};
use crate::sanitize::sanitize_line;

/// Events `logs search` prints unless told otherwise.
pub const DEFAULT_SEARCH_LIMIT: usize = 10_000;

/// `logs groups` options.
#[derive(Debug, Clone, Args)]
pub struct GroupsArgs {
    /// table or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: OutputFormat,
}

/// `logs search` options.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Log groups to search (one or more).
    #[arg(required = true, value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Earliest event: RFC 3339 time, a date, a time of day (08:14 in the --tz zone), or
    /// a duration ago (2h, 7d).
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub since: TimeBound,
    /// Latest event (exclusive), same forms; default now.
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub until: Option<TimeBound>,
    /// CloudWatch Logs filter pattern, applied by the service.
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// Print at most this many events (the oldest); stderr says when
    /// there were more.
    #[arg(long, default_value_t = DEFAULT_SEARCH_LIMIT, value_parser = positive)]
    pub limit: usize,
    /// table or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: OutputFormat,
}

/// Bad input to `logs search` or `logs tail` (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LogsReadError {
    /// `--since` is not before `--until`.
    #[error("--since ({since}) is not before --until ({until})")]
    EmptyWindow {
        /// Resolved --since.
        since: Timestamp,
        /// Resolved --until.
        until: Timestamp,
    },
    /// A duration ago reaches before the representable past.
    #[error("--since/--until reaches too far back")]
    TooFarBack,
    /// The filter pattern does not parse.
    #[error("--filter")]
    Pattern(#[from] crate::filter::PatternError),
    /// A group does not exist, or the service refused the request.
    #[error("{group}: {error}")]
    Group {
        /// The group.
        group: String,
        /// What the service said.
        error: ProviderError,
    },
}

/// Whether `err` is bad input to a logs command (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<crate::data::log_tail::TailError>()
            .is_some()
            || c.downcast_ref::<LogsReadError>().is_some_and(|e| match e {
                LogsReadError::Group { error, .. } => matches!(
                    error,
                    ProviderError::NotFound(_) | ProviderError::Invalid(_)
                ),
                _ => true,
            })
    })
}

/// The moment a bound means at `now` ([`TimeBound::resolve`], which fails
/// only when a duration reaches too far back), as this command's error.
pub fn resolve(bound: TimeBound, now: Timestamp) -> Result<Timestamp, LogsReadError> {
    bound.resolve(now).map_err(|_| LogsReadError::TooFarBack)
}

/// Checks a filter pattern locally, so a typo is reported before any call.
pub fn check_pattern(pattern: Option<&str>) -> Result<(), LogsReadError> {
    if let Some(p) = pattern {
        FilterPattern::parse(p)?;
    }
    Ok(())
}

/// Prints the account's log groups.
pub async fn groups(logs: &dyn LogsRead, output: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let groups = logs.list_log_groups().await?;
    match output {
        OutputFormat::Json => write_json(out, &groups)?,
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = groups.iter().map(group_row).collect();
            print_table(
                out,
                &["NAME", "RETENTION", "STORED", "KMS KEY", "LAST EVENT"],
                &rows,
            )?;
        }
    }
    Ok(())
}

fn group_row(g: &LogGroup) -> Vec<String> {
    vec![
        sanitize_line(&g.name),
        retention_text(g.retention_days),
        g.stored_bytes.map_or("-".into(), bytes_text),
        g.kms_key_id.as_deref().map_or("-".into(), sanitize_line),
        g.last_event_at.map_or("-".into(), |t| format!("{t:.0}")),
    ]
}

/// One event as `--output json` prints it.
#[derive(Debug, Serialize)]
pub struct EventRecord<'a> {
    /// RFC 3339 with milliseconds.
    pub timestamp: String,
    /// Log group.
    pub group: &'a str,
    /// Log stream.
    pub stream: &'a str,
    /// The raw message (escaped by the JSON writer).
    pub message: &'a str,
    /// Service event id.
    pub event_id: Option<&'a str>,
}

impl<'a> EventRecord<'a> {
    /// The JSON form of `e`.
    pub fn new(e: &'a LogEvent) -> Self {
        Self {
            timestamp: format!("{:.3}", e.timestamp),
            group: &e.group,
            stream: &e.stream,
            message: &e.message,
            event_id: e.event_id.as_deref(),
        }
    }
}

/// Rows whose widths set the table's columns before the rest streams.
const TABLE_WIDTH_ROWS: usize = 1_000;

/// What a search printed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Searched {
    /// Events printed.
    pub printed: usize,
    /// Whether more events matched than the limit.
    pub truncated: bool,
}

/// Searches every group of `args` in the window, read side by side and
/// merged by time as the pages come, printing each event as it is merged:
/// the memory held is a few pages per group, whatever the window holds.
/// The "more available" note goes to `err`. A group that fails ends the
/// search with its error after what was printed (JSON output is closed).
pub async fn search(
    logs: Arc<dyn LogsRead>,
    args: &SearchArgs,
    now: Timestamp,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Searched> {
    check_pattern(args.filter.as_deref())?;
    let start = resolve(args.since, now)?;
    let end = args
        .until
        .map(|u| resolve(u, now))
        .transpose()?
        .unwrap_or(now + SignedDuration::from_millis(1));
    if start >= end {
        return Err(LogsReadError::EmptyWindow {
            since: start,
            until: end,
        }
        .into());
    }
    let mut merged = MergedEvents::start(
        logs,
        &args.groups,
        TimeRange { start, end },
        args.filter.clone(),
        Backoff::default(),
    );
    let mut printer = Printer::new(args.output, out);
    let mut searched = Searched::default();
    let failure = loop {
        match merged.next().await {
            None => break None,
            Some(Err((group, error))) => break Some(LogsReadError::Group { group, error }),
            Some(Ok(_)) if searched.printed == args.limit => {
                searched.truncated = true;
                break None;
            }
            Some(Ok(event)) => {
                printer.print(&event)?;
                searched.printed += 1;
            }
        }
    };
    printer.finish()?;
    if let Some(failure) = failure {
        return Err(failure.into());
    }
    if searched.truncated {
        writeln!(
            err,
            "monitui: more events are available; raise --limit or narrow --since/--filter"
        )?;
    }
    Ok(searched)
}

/// Prints events as a search merges them.
enum Printer<'a> {
    /// A JSON array, an element at a time.
    Json(JsonArray<'a>),
    /// A table whose widths the first rows set.
    Table {
        out: &'a mut dyn Write,
        first: Vec<Vec<String>>,
        table: Option<TableStream>,
    },
}

impl<'a> Printer<'a> {
    fn new(output: OutputFormat, out: &'a mut dyn Write) -> Self {
        match output {
            OutputFormat::Json => Printer::Json(JsonArray::new(out)),
            OutputFormat::Table => Printer::Table {
                out,
                first: Vec::new(),
                table: None,
            },
        }
    }

    fn print(&mut self, event: &LogEvent) -> std::io::Result<()> {
        match self {
            Printer::Json(array) => array.push(&EventRecord::new(event)),
            Printer::Table { out, first, table } => {
                let row = vec![
                    format!("{:.3}", event.timestamp),
                    sanitize_line(&event.group),
                    sanitize_line(&event.stream),
                    sanitize_line(&event.message),
                ];
                match table {
                    Some(table) => table.row(*out, &row),
                    None => {
                        first.push(row);
                        if first.len() == TABLE_WIDTH_ROWS {
                            *table = Some(TableStream::start(*out, &TABLE_HEADER, first)?);
                            first.clear();
                        }
                        Ok(())
                    }
                }
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Printer::Json(array) => array.finish(),
            Printer::Table { out, first, table } => {
                if table.is_none() {
                    TableStream::start(out, &TABLE_HEADER, &first)?;
                }
                out.flush()
            }
        }
    }
}

/// The columns of `logs search --output table`.
const TABLE_HEADER: [&str; 4] = ["TIME", "GROUP", "STREAM", "MESSAGE"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_records_keep_the_raw_message_and_escape_it() {
        let e = LogEvent {
            group: "g".into(),
            stream: "s".into(),
            timestamp: "2026-11-28T10:00:00.5Z".parse().unwrap(),
            event_id: Some("1".into()),
            message: "evil \u{1b}]0;t\u{7}".into(),
        };
        let mut out = Vec::new();
        write_json(&mut out, &[EventRecord::new(&e)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("\"timestamp\": \"2026-11-28T10:00:00.500Z\""));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back[0]["message"], e.message);
    }
}
