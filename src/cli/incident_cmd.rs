//! `monitui incident ALARM`: what happened around an alarm, on one time
//! axis, as text, markdown (for the incident channel) or JSON.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::logs_read::EventRecord;
use super::trail_cmd::TrailEventRecord;
use crate::config::ResolvedEnv;
use crate::data::audit::AuditEntry;
use crate::data::incident::{IncidentError, IncidentRequest, Relations, Sources, Timeline};
use crate::data::{AuditLog, Session};
use crate::filter::FilterPattern;
use crate::model::incident::DEFAULT_ERROR_PATTERN;
use crate::model::time_bound::TimeBound;
use crate::model::{Clock, HistoryItem, TimeRange};
use crate::report::Flavor;
use crate::report::incident::report;

/// `monitui incident` arguments.
#[derive(Debug, Clone, Args)]
pub struct IncidentArgs {
    /// The alarm's name, or its short name as the TUI shows it (without
    /// the env's prefix) where that is unique.
    pub alarm: String,
    /// Window start: a time (2026-11-27T10:00:00Z, a date, 08:14 in the --tz zone) or a
    /// duration ago (2h);
    /// default: 30 minutes before the current or latest ALARM episode.
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub since: Option<TimeBound>,
    /// Window end (default: when the episode ended, or now).
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse)]
    pub until: Option<TimeBound>,
    /// Log group to search for error lines instead of the related ones
    /// (repeatable).
    #[arg(long = "log-group", value_name = "GROUP")]
    pub log_groups: Vec<String>,
    /// Filter pattern of error lines.
    #[arg(long, value_name = "PATTERN")]
    pub errors: Option<String>,
    /// text, markdown or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: IncidentOutput,
}

/// How the timeline is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum IncidentOutput {
    /// For a terminal.
    #[default]
    Text,
    /// For the incident channel and the postmortem.
    Markdown,
    /// For scripts.
    Json,
}

/// Why the arguments cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum IncidentArgsError {
    /// `--errors` does not parse.
    #[error("--errors: {0}")]
    Pattern(String),
    /// `--since`/`--until` out of range or in the wrong order.
    #[error("{0}")]
    Window(String),
}

/// Whether `err` is bad input (exit 2): bad arguments or an unknown alarm.
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<IncidentArgsError>().is_some()
            || matches!(
                c.downcast_ref::<IncidentError>(),
                Some(IncidentError::UnknownAlarm(_))
            )
    })
}

/// The request the arguments describe, at `now`.
pub fn request(
    args: &IncidentArgs,
    env: &ResolvedEnv,
    now: jiff::Timestamp,
) -> Result<IncidentRequest, IncidentArgsError> {
    let errors = args
        .errors
        .clone()
        .or_else(|| env.error_pattern.clone())
        .unwrap_or_else(|| DEFAULT_ERROR_PATTERN.to_string());
    FilterPattern::parse(&errors).map_err(|e| IncidentArgsError::Pattern(e.to_string()))?;
    let at = |b: TimeBound| {
        b.resolve(now)
            .map_err(|e| IncidentArgsError::Window(e.to_string()))
    };
    let window = match (args.since, args.until) {
        (None, None) => None,
        (since, until) => {
            let end = until.map(at).transpose()?.unwrap_or(now);
            let start = match since {
                Some(s) => at(s)?,
                None => end
                    .checked_sub(jiff::SignedDuration::from_hours(1))
                    .unwrap_or(end),
            };
            if start >= end {
                return Err(IncidentArgsError::Window(
                    "--since must be before --until".into(),
                ));
            }
            Some(TimeRange { start, end })
        }
    };
    Ok(IncidentRequest {
        alarm: args.alarm.clone(),
        window,
        groups: (!args.log_groups.is_empty()).then(|| args.log_groups.clone()),
        errors,
    })
}

/// Gathers the timeline and prints it.
pub async fn run(
    args: &IncidentArgs,
    env: &ResolvedEnv,
    session: &Session,
    clock: Arc<dyn Clock>,
    out: &mut dyn Write,
) -> Result<()> {
    let now = clock.now();
    let mut request = request(args, env, now)?;
    request.alarm =
        super::names::alarm(session.reads.alarms.as_ref(), &env.prefix, &args.alarm).await?;
    let sources = Sources::new(
        session.reads.clone(),
        AuditLog::default_location().ok(),
        Relations::of(env),
    );
    let timeline = Timeline::gather(&sources, &request, now).await?;
    match args.output {
        IncidentOutput::Text => out.write_all(report(&timeline, Flavor::Text).as_bytes())?,
        IncidentOutput::Markdown => {
            out.write_all(report(&timeline, Flavor::Markdown).as_bytes())?
        }
        IncidentOutput::Json => super::json::write_json(out, &JsonTimeline::new(&timeline))?,
    }
    Ok(())
}

/// The timeline as `--output json` prints it.
#[derive(Debug, Serialize)]
struct JsonTimeline<'a> {
    alarm: Option<JsonAlarm<'a>>,
    window: Option<JsonWindow>,
    state_changes: Vec<JsonChange<'a>>,
    metric: Option<JsonMetric<'a>>,
    log_events: Vec<EventRecord<'a>>,
    trail_events: Vec<TrailEventRecord<'a>>,
    annotations: Vec<&'a AuditEntry>,
    other_alarms: Vec<JsonChange<'a>>,
    /// Pieces (or log groups) that could not be loaded, with why.
    errors: Vec<JsonError>,
}

#[derive(Debug, Serialize)]
struct JsonError {
    piece: &'static str,
    error: String,
}

#[derive(Debug, Serialize)]
struct JsonAlarm<'a> {
    name: &'a str,
    state: String,
    metric: String,
    threshold: String,
}

#[derive(Debug, Serialize)]
struct JsonWindow {
    start: String,
    end: String,
}

#[derive(Debug, Serialize)]
struct JsonChange<'a> {
    alarm: &'a str,
    time: String,
    from: Option<String>,
    to: Option<String>,
    summary: &'a str,
}

impl<'a> JsonChange<'a> {
    fn new(h: &'a HistoryItem) -> Self {
        Self {
            alarm: &h.alarm_name,
            time: h.timestamp.to_string(),
            from: h.transition.map(|(f, _)| f.to_string()),
            to: h.transition.map(|(_, t)| t.to_string()),
            summary: &h.summary,
        }
    }
}

#[derive(Debug, Serialize)]
struct JsonMetric<'a> {
    label: &'a str,
    threshold: Option<f64>,
    points: Vec<JsonPoint>,
}

#[derive(Debug, Serialize)]
struct JsonPoint {
    time: String,
    value: f64,
}

impl<'a> JsonTimeline<'a> {
    fn new(t: &'a Timeline) -> Self {
        let mut errors = Vec::new();
        let mut ok = |piece: &'static str, failed: Option<&String>| {
            if let Some(why) = failed {
                errors.push(JsonError {
                    piece,
                    error: why.clone(),
                });
            }
        };
        ok("metric", t.metric.as_ref().and_then(|p| p.as_ref().err()));
        ok("log_events", t.logs.as_ref().and_then(|p| p.as_ref().err()));
        ok(
            "trail_events",
            t.trail.as_ref().and_then(|p| p.as_ref().err()),
        );
        ok(
            "annotations",
            t.annotations.as_ref().and_then(|p| p.as_ref().err()),
        );
        ok(
            "other_alarms",
            t.other_alarms.as_ref().and_then(|p| p.as_ref().err()),
        );
        if let Some(Ok(logs)) = &t.logs {
            for (group, why) in &logs.failed {
                ok("log_events", Some(&format!("{group}: {why}")));
            }
        }
        let threshold = t
            .alarm
            .as_ref()
            .and_then(|a| a.metric_spec())
            .map(|s| s.threshold);
        Self {
            alarm: t.alarm.as_ref().map(|a| JsonAlarm {
                name: &a.name,
                state: a.state.to_string(),
                metric: a.metric_label(),
                threshold: a.threshold_label(),
            }),
            window: t.window.map(|w| JsonWindow {
                start: w.start.to_string(),
                end: w.end.to_string(),
            }),
            state_changes: t.state_changes.iter().map(JsonChange::new).collect(),
            metric: t
                .metric
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .and_then(|s| s.as_ref())
                .map(|s| JsonMetric {
                    label: &s.label,
                    threshold,
                    points: s
                        .points
                        .iter()
                        .map(|(time, value)| JsonPoint {
                            time: time.to_string(),
                            value: *value,
                        })
                        .collect(),
                }),
            log_events: t
                .logs
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|l| l.events.iter().map(EventRecord::new).collect())
                .unwrap_or_default(),
            trail_events: t
                .trail
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|tr| tr.events.iter().map(TrailEventRecord::new).collect())
                .unwrap_or_default(),
            annotations: t
                .annotations
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            other_alarms: t
                .other_alarms
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|o| o.iter().map(JsonChange::new).collect())
                .unwrap_or_default(),
            errors,
        }
    }
}
