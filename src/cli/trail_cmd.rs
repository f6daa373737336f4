//! `monitui trail search`: CloudTrail events by attribute, preset and time,
//! from the env's account (LookupEvents) or from delivered log files
//! (`--file`), as a table or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use jiff::Timestamp;
use serde::Serialize;

use super::args::{OutputFormat, positive};
use crate::config::ResolvedEnv;
use crate::data::trail_search::{
    Cutoff, DEFAULT_LIMIT, DEFAULT_MAX_PAGES, LiveOptions, LiveTrailSearch, TrailSearch,
    TrailSearchError, search_files,
};
use crate::model::Clock;
use crate::model::time_bound::{TimeBound, WindowError, resolve_window};
use crate::model::trail::{COLUMNS, Preset, TrailCriteria, TrailRecord};
use crate::report::table::print_table;
use crate::sanitize::sanitize_line;

/// `monitui trail ...`
#[derive(Debug, clap::Subcommand)]
pub enum TrailCommand {
    /// Search CloudTrail events: the env's account, or log files with --file.
    Search(TrailSearchArgs),
}

/// The criteria and options of `trail search`.
#[derive(Debug, Clone, Args)]
pub struct TrailSearchArgs {
    /// API name, e.g. CreateUser (exact).
    #[arg(long, value_name = "NAME")]
    pub event_name: Option<String>,
    /// User name, role session name, or `root`.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// Resource name or ARN the calls touched.
    #[arg(long, value_name = "NAME")]
    pub resource: Option<String>,
    /// Resource type, e.g. AWS::IAM::Role.
    #[arg(long, value_name = "TYPE")]
    pub resource_type: Option<String>,
    /// Service, e.g. iam.amazonaws.com.
    #[arg(long, value_name = "SOURCE")]
    pub event_source: Option<String>,
    /// Access key id the calls were signed with.
    #[arg(long, value_name = "KEY")]
    pub access_key: Option<String>,
    /// One event by its id.
    #[arg(long, value_name = "ID")]
    pub event_id: Option<String>,
    /// Only read calls (true) or only writes (false). (`--read-only` alone
    /// is the global flag that refuses mutations.)
    #[arg(long, value_name = "true|false")]
    pub read_only_events: Option<bool>,
    /// A quick filter: iam-changes, console-logins, no-mfa-logins, denied,
    /// trail-tampering, root.
    #[arg(long, value_name = "NAME", value_parser = Preset::parse)]
    pub preset: Option<Preset>,
    /// Earliest event: RFC 3339 time, a date (UTC midnight), a time of day
    /// (08:14 in the --tz zone), or a duration ago such as 2h or 7d.
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub since: Option<TimeBound>,
    /// Latest event, same forms as --since.
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub until: Option<TimeBound>,
    /// Search these delivered log files (.json or .json.gz) instead of the account.
    #[arg(long = "file", value_name = "PATH", num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Keep at most this many matches; more are marked "more available".
    #[arg(long, default_value_t = DEFAULT_LIMIT, value_parser = positive)]
    pub limit: usize,
    /// Read at most this many LookupEvents pages (50 events each).
    #[arg(long, default_value_t = DEFAULT_MAX_PAGES, value_parser = positive)]
    pub max_pages: usize,
    /// table or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: OutputFormat,
}

/// Why `trail search` refused its arguments.
#[derive(Debug, thiserror::Error)]
pub enum TrailCmdError {
    /// `--since`/`--until` make no window.
    #[error("--since/--until: {0}")]
    Window(#[from] WindowError),
}

/// Whether `err` means the user asked for something invalid (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<TrailCmdError>().is_some()
            || c.downcast_ref::<TrailSearchError>()
                .is_some_and(TrailSearchError::is_bad_input)
    })
}

/// One event as `trail search --output json` prints it.
#[derive(Debug, Serialize)]
pub struct TrailEventRecord<'a> {
    /// RFC 3339, null if the record has no readable time.
    pub event_time: Option<String>,
    /// API name.
    pub event_name: &'a str,
    /// Service.
    pub event_source: &'a str,
    /// What the call changed (`function checkout-api`), null if the record
    /// does not say.
    pub resource: Option<String>,
    /// User name, role session name, or `root`.
    pub user: String,
    /// Who that is, in a sentence.
    pub identity: String,
    /// `sourceIPAddress`.
    pub source_ip: Option<&'a str>,
    /// `awsRegion`.
    pub region: Option<&'a str>,
    /// Error code, null if the call worked.
    pub error_code: Option<&'a str>,
    /// Error message.
    pub error_message: Option<&'a str>,
    /// Event id.
    pub event_id: Option<&'a str>,
    /// Whether the call only read (guessed from the name when the record
    /// does not say).
    pub read_only: bool,
}

impl<'a> TrailEventRecord<'a> {
    /// The JSON form of `record`.
    pub fn new(record: &'a TrailRecord) -> Self {
        Self {
            event_time: record.event_time.map(|t| t.to_string()),
            event_name: &record.event_name,
            event_source: &record.event_source,
            resource: record.changed().map(|c| c.label()),
            user: record.user(),
            identity: record.identity.explain(),
            source_ip: record.source_ip.as_deref(),
            region: record.region.as_deref(),
            error_code: record.error_code.as_deref(),
            error_message: record.error_message.as_deref(),
            event_id: record.event_id.as_deref(),
            read_only: record.is_read_only(),
        }
    }
}

/// Runs a trail subcommand: files are searched here; otherwise the env's
/// account is connected and searched.
pub async fn run(
    cmd: &TrailCommand,
    env: &ResolvedEnv,
    clock: Arc<dyn Clock>,
    out: &mut dyn Write,
) -> Result<()> {
    let TrailCommand::Search(args) = cmd;
    let criteria = criteria(args, clock.now())?;
    let found = if args.files.is_empty() {
        let session = crate::data::connect(env.clone(), clock).await?;
        let options = LiveOptions {
            limit: args.limit,
            max_pages: args.max_pages,
            ..LiveOptions::default()
        };
        LiveTrailSearch::new(session.reads.trail, options)
            .search(&criteria)
            .await?
    } else {
        let (files, limit) = (args.files.clone(), args.limit);
        tokio::task::spawn_blocking(move || search_files(&files, &criteria, limit)).await??
    };
    print(&found, args, out)
}

/// The search criteria the arguments ask for.
pub fn criteria(args: &TrailSearchArgs, now: Timestamp) -> Result<TrailCriteria, TrailCmdError> {
    let (since, until) = resolve_window(args.since, args.until, now)?;
    Ok(TrailCriteria {
        event_id: args.event_id.clone(),
        access_key_id: args.access_key.clone(),
        resource_name: args.resource.clone(),
        user_name: args.user.clone(),
        event_name: args.event_name.clone(),
        resource_type: args.resource_type.clone(),
        event_source: args.event_source.clone(),
        read_only: args.read_only_events,
        preset: args.preset,
        since,
        until,
    })
}

fn print(found: &TrailSearch, args: &TrailSearchArgs, out: &mut dyn Write) -> Result<()> {
    let marker = more_available(found, args);
    match args.output {
        OutputFormat::Json => {
            let records: Vec<TrailEventRecord> =
                found.records.iter().map(TrailEventRecord::new).collect();
            super::json::write_json(out, &records)?;
            if let Some(marker) = marker {
                eprintln!("monitui: {marker}");
            }
        }
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = found.records.iter().map(table_row).collect();
            print_table(out, &COLUMNS, &rows)?;
            let count = match found.records.len() {
                1 => "1 event".to_string(),
                n => format!("{n} events"),
            };
            match marker {
                Some(marker) => writeln!(out, "{count}; {marker}")?,
                None => writeln!(out, "{count}")?,
            }
        }
    }
    Ok(())
}

fn table_row(r: &TrailRecord) -> Vec<String> {
    let dash = |s: Option<&str>| sanitize_line(s.unwrap_or("-"));
    vec![
        r.event_time.map_or("-".to_string(), |t| {
            crate::model::zone::shown(t, "%Y-%m-%d %H:%M:%S")
        }),
        sanitize_line(&r.user()),
        sanitize_line(&r.event_name),
        dash(r.changed().map(|c| c.label()).as_deref()),
        sanitize_line(&r.event_source),
        dash(r.source_ip.as_deref()),
        dash(r.region.as_deref()),
        dash(r.failure()),
    ]
}

/// The "more available" marker, if the search was cut short.
fn more_available(found: &TrailSearch, args: &TrailSearchArgs) -> Option<String> {
    found.cutoff.map(|cutoff| match cutoff {
        Cutoff::Limit => format!(
            "more available: stopped at --limit {}; narrow the search or raise the limit",
            args.limit
        ),
        Cutoff::PageCap => format!(
            "more available: stopped after --max-pages {} pages ({} events read); narrow the search or the time window",
            args.max_pages, found.scanned
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn an_empty_window_is_refused() {
        let args = TrailSearchArgs {
            event_name: None,
            user: None,
            resource: None,
            resource_type: None,
            event_source: None,
            access_key: None,
            event_id: None,
            read_only_events: Some(true),
            preset: Some(Preset::Root),
            since: Some(TimeBound::Ago(std::time::Duration::from_secs(60))),
            until: Some(TimeBound::Ago(std::time::Duration::from_secs(7200))),
            files: Vec::new(),
            limit: 1,
            max_pages: 1,
            output: OutputFormat::Json,
        };
        let now = at("2026-11-27T13:00:00Z");
        assert!(matches!(
            criteria(&args, now),
            Err(TrailCmdError::Window(WindowError::Empty { .. }))
        ));
        let ok = TrailSearchArgs {
            until: None,
            ..args
        };
        let c = criteria(&ok, now).unwrap();
        assert_eq!(c.since, Some(at("2026-11-27T12:59:00Z")));
        assert_eq!((c.read_only, c.preset), (Some(true), Some(Preset::Root)));
    }
}
