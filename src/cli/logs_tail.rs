//! `monitui logs tail`: follows log groups like `tail -f` until Ctrl-C,
//! through the same tail as the Logs tab (live tail, or polling forward
//! from a cursor). Lines are printed as they come; stdout pacing the loop
//! means a slow reader delays polls but loses nothing. stderr says when
//! the tail falls behind and when it has caught up.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, ValueEnum};
use jiff::Timestamp;

use super::json::to_json_line;
use super::logs_read::{EventRecord, LogsReadError, check_pattern, resolve};
use crate::data::log_tail::POLL_INTERVAL;
use crate::data::tailer::{TailMode, Tailer};
use crate::model::logs::short_group_name;
use crate::model::time_bound::TimeBound;
use crate::model::{Clock, LogEvent};
use crate::provider::LogsRead;
use crate::sanitize::sanitize_text;

/// How `logs tail` prints a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum TailFormat {
    /// Time of day, the group's short name, the message.
    #[default]
    Short,
    /// Full time, group, stream, message.
    Detailed,
    /// One JSON object a line (timestamp, group, stream, message, event_id).
    Json,
}

/// `logs tail` options.
#[derive(Debug, Clone, Args)]
pub struct TailArgs {
    /// Log groups to follow (1 to 10).
    #[arg(required = true, value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Start this far back (a duration, an RFC 3339 time, a date or a time
    /// of day such as 08:14 in the --tz zone).
    #[arg(long, value_name = "WHEN", default_value = "10m", value_parser = TimeBound::parse)]
    pub since: TimeBound,
    /// CloudWatch Logs filter pattern, applied by the service.
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// short, detailed or json.
    #[arg(long, value_enum, default_value_t)]
    pub format: TailFormat,
}

/// Follows the groups until `stop` resolves (Ctrl-C for the binary).
pub async fn tail(
    logs: Arc<dyn LogsRead>,
    args: &TailArgs,
    clock: Arc<dyn Clock>,
    prefix: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
    stop: impl std::future::Future<Output = ()>,
) -> Result<()> {
    check_pattern(args.filter.as_deref())?;
    let since = resolve(args.since, clock.now())?;
    let mut tailer = Tailer::new(logs, args.groups.clone(), args.filter.clone(), since, true)?;
    tokio::pin!(stop);
    let mut first = true;
    // When the last "behind" note was written, while behind.
    let mut behind_said: Option<std::time::Instant> = None;
    loop {
        let mut batch = tokio::select! {
            _ = &mut stop => return Ok(()),
            batch = tailer.next(clock.as_ref()) => batch,
        };
        if first && batch.errors.len() == tailer.groups().len() {
            let (group, error) = batch.errors.swap_remove(0);
            return Err(LogsReadError::Group { group, error }.into());
        }
        if first {
            first = false;
            let how = match (tailer.mode(), tailer.live_refused()) {
                (TailMode::Live, _) => "live tail".to_string(),
                (_, Some(why)) => format!("polling every {}s ({why})", POLL_INTERVAL.as_secs()),
                _ => format!("polling every {}s", POLL_INTERVAL.as_secs()),
            };
            writeln!(
                err,
                "monitui: following {} group(s) by {}; Ctrl-C stops",
                tailer.groups().len(),
                sanitize_text(&how)
            )?;
        }
        for (group, e) in &batch.errors {
            writeln!(
                err,
                "monitui: {}",
                sanitize_text(&format!("{group}: {e} (trying again)"))
            )?;
        }
        match (batch.behind, behind_said) {
            (Some(lag), said) if said.is_none_or(|at| at.elapsed() >= BEHIND_NOTE_EVERY) => {
                writeln!(err, "monitui: {}", behind_text(lag))?;
                behind_said = Some(std::time::Instant::now());
            }
            (None, Some(_)) => {
                writeln!(err, "monitui: caught up with the newest lines")?;
                behind_said = None;
            }
            _ => {}
        }
        if batch.sampled {
            writeln!(
                err,
                "monitui: the service sampled these lines: some were dropped (narrow the tail with --filter)"
            )?;
        }
        for event in &batch.events {
            out.write_all(format_event(event, args.format, prefix).as_bytes())?;
        }
        out.flush()?;
    }
}

/// How often a tail that stays behind says so again.
const BEHIND_NOTE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// What a tail that cannot keep up says: how far behind its newest line
/// handed out is, and why.
pub fn behind_text(lag: jiff::SignedDuration) -> String {
    format!(
        "{:.1} s behind the newest lines: more arrive than FilterLogEvents' 5 requests a second read at once; reading on, nothing is skipped",
        lag.as_secs_f64()
    )
}

/// One event as `format` prints it, ending in a newline. Text formats are
/// sanitised; the lines of a multi-line message after the first are
/// indented.
pub fn format_event(event: &LogEvent, format: TailFormat, prefix: &str) -> String {
    let head = match format {
        TailFormat::Json => {
            return to_json_line(&EventRecord::new(event)).unwrap_or_default();
        }
        TailFormat::Short => format!(
            "{} {} ",
            time_of_day(event.timestamp),
            sanitize_text(&short_group_name(&event.group, prefix))
        ),
        TailFormat::Detailed => format!(
            "{:.3} {} {} ",
            event.timestamp,
            sanitize_text(&event.group),
            sanitize_text(&event.stream)
        ),
    };
    let mut text = head;
    for (i, line) in sanitize_text(&event.message).split('\n').enumerate() {
        if i > 0 {
            text.push_str("    ");
        }
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn time_of_day(t: Timestamp) -> String {
    crate::model::zone::shown(t, "%H:%M:%S%.3f")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(message: &str) -> LogEvent {
        LogEvent {
            group: "/aws/lambda/x-auth".into(),
            stream: "s".into(),
            timestamp: "2026-11-28T10:00:01.25Z".parse().unwrap(),
            event_id: Some("9".into()),
            message: message.into(),
        }
    }

    #[test]
    fn short_and_detailed_lines_are_sanitised_and_indent_continuations() {
        let e = event("boom \u{1b}[2J\nTraceback\n  File x");
        assert_eq!(
            format_event(&e, TailFormat::Short, "x"),
            "10:00:01.250 auth boom \n    Traceback\n      File x\n"
        );
        assert_eq!(
            format_event(&e, TailFormat::Detailed, "x")
                .lines()
                .next()
                .unwrap(),
            "2026-11-28T10:00:01.250Z /aws/lambda/x-auth s boom "
        );
    }

    #[test]
    fn json_lines_escape_and_keep_the_message() {
        let e = event("a\u{9b}b\nc");
        let line = format_event(&e, TailFormat::Json, "x");
        assert_eq!(line.matches('\n').count(), 1);
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["message"], "a\u{9b}b\nc");
        assert_eq!(back["event_id"], "9");
        assert_eq!(back["group"], "/aws/lambda/x-auth");
    }
}
