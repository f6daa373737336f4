//! `monitui logs groups` and `monitui logs search`: the account's log
//! groups, and the events of some groups in a time window (every page of
//! every group, the groups fetched side by side), as a sanitised table or
//! escaped JSON.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::args::{OutputFormat, positive};
use super::json::write_json;
use super::table::print_table;
use crate::data::backoff::Backoff;
use crate::data::log_fetch::{GroupFetch, fetch_groups};
use crate::filter::FilterPattern;
use crate::model::time_bound::TimeBound;
use crate::model::{LogEvent, LogGroup, TimeRange};
use crate::provider::{LogsRead, ProviderError};
use crate::term::sanitize_line;
use crate::ui::format::{bytes_text, retention_text};

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
    /// Earliest event: RFC 3339 time, a date, or a duration ago (2h, 7d).
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

/// What a search found.
#[derive(Debug, Default)]
pub struct Found {
    /// Events, oldest first.
    pub events: Vec<LogEvent>,
    /// Whether more events matched than the limit.
    pub truncated: bool,
    /// FilterLogEvents calls made.
    pub calls: usize,
}

/// Searches every group of `args` in the window, side by side.
pub async fn search(
    logs: Arc<dyn LogsRead>,
    args: &SearchArgs,
    now: Timestamp,
) -> Result<Found, LogsReadError> {
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
        });
    }
    let fetches = args
        .groups
        .iter()
        .map(|group| GroupFetch {
            group: group.clone(),
            range: TimeRange { start, end },
            pattern: args.filter.clone(),
            limit: args.limit,
        })
        .collect();
    let mut found = Found::default();
    for (group, result) in args
        .groups
        .iter()
        .zip(fetch_groups(logs, fetches, Backoff::default()).await)
    {
        let fetched = result.map_err(|error| LogsReadError::Group {
            group: group.clone(),
            error,
        })?;
        found.calls += fetched.calls;
        found.truncated |= fetched.truncated;
        found.events.extend(fetched.events);
    }
    found.events.sort_by_key(|e| e.timestamp);
    if found.events.len() > args.limit {
        found.events.truncate(args.limit);
        found.truncated = true;
    }
    Ok(found)
}

/// Prints what a search found; the "more available" note goes to `err`.
pub fn print_found(
    found: &Found,
    output: OutputFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    match output {
        OutputFormat::Json => {
            let records: Vec<EventRecord> = found.events.iter().map(EventRecord::new).collect();
            write_json(out, &records)?;
        }
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = found
                .events
                .iter()
                .map(|e| {
                    vec![
                        format!("{:.3}", e.timestamp),
                        sanitize_line(&e.group),
                        sanitize_line(&e.stream),
                        sanitize_line(&e.message),
                    ]
                })
                .collect();
            print_table(out, &["TIME", "GROUP", "STREAM", "MESSAGE"], &rows)?;
        }
    }
    if found.truncated {
        writeln!(
            err,
            "monitui: more events are available; raise --limit or narrow --since/--filter"
        )?;
    }
    Ok(())
}

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
