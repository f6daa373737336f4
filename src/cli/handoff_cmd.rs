//! `monitui handoff`: what the next on-call person needs from the last
//! shift (episodes that fired and how often they flapped, acks and
//! silences with who and why, silences about to end or just ended, alarms
//! still in ALARM, CloudTrail writes made while alarms fired) as text,
//! markdown for the channel, or JSON. Every text that came from AWS is
//! sanitised.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, ValueEnum};
use jiff::Timestamp;
use serde::Serialize;

use super::trail_cmd::TrailEventRecord;
use crate::config::ResolvedEnv;
use crate::data::handoff::{AckNote, Handoff, SilenceNote, StillInAlarm, gather};
use crate::data::incident::{Relations, Sources};
use crate::data::{AuditLog, Session};
use crate::model::clock::{short_duration, since};
use crate::model::handoff::Episode;
use crate::model::time_bound::TimeBound;
use crate::model::{Clock, TimeRange};
use crate::report::{Flavor, Report, clock, counted};
use crate::sanitize::sanitize_line;

/// `monitui handoff` arguments.
#[derive(Debug, Clone, Args)]
pub struct HandoffArgs {
    /// Start of the shift: a duration ago (12h), a time of day (07:00, in
    /// the --tz zone), a date or an RFC 3339 moment.
    #[arg(long, value_name = "WHEN", value_parser = TimeBound::parse, default_value = "12h")]
    pub since: TimeBound,
    /// text, markdown or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: HandoffOutput,
}

/// How the handoff is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum HandoffOutput {
    /// For a terminal.
    #[default]
    Text,
    /// For the team channel.
    Markdown,
    /// For scripts (times in RFC 3339 UTC).
    Json,
}

/// Why the arguments cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("--since: {0}")]
pub struct HandoffArgsError(String);

/// Gathers the handoff of `env` and prints it.
pub async fn run(
    args: &HandoffArgs,
    env: &ResolvedEnv,
    session: &Session,
    clock: Arc<dyn Clock>,
    out: &mut dyn Write,
) -> Result<()> {
    let now = clock.now();
    let start = args
        .since
        .resolve(now)
        .map_err(|e| HandoffArgsError(e.to_string()))?;
    if start >= now {
        return Err(HandoffArgsError("must be before now".into()).into());
    }
    let sources = Sources::new(
        session.reads.clone(),
        AuditLog::default_location().ok(),
        Relations::of(env),
    );
    let handoff = gather(&sources, &env.name, TimeRange { start, end: now }, now).await?;
    match args.output {
        HandoffOutput::Text => out.write_all(report(&handoff, now, Flavor::Text).as_bytes())?,
        HandoffOutput::Markdown => {
            out.write_all(report(&handoff, now, Flavor::Markdown).as_bytes())?
        }
        HandoffOutput::Json => super::json::write_json(out, &JsonHandoff::new(&handoff, now))?,
    }
    Ok(())
}

/// Whether `err` is bad input (exit 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| c.downcast_ref::<HandoffArgsError>().is_some())
}

/// The handoff as text or markdown.
pub fn report(h: &Handoff, now: Timestamp, flavor: Flavor) -> String {
    let mut out = Report::new(flavor);
    out.heading(1, &format!("Handoff: {}", sanitize_line(&h.env)));
    out.line(&format!(
        "{} to {} {}: {}, {} still in ALARM, {}, silences ending or ended: {}",
        clock(h.window.start),
        clock(h.window.end),
        crate::model::zone::zone_name(),
        counted(h.episodes.len(), "episode"),
        h.still_in_alarm.len(),
        counted(h.acks.len(), "ack"),
        h.silences_ending.len(),
    ));
    for (part, why) in &h.failed {
        out.failed(&format!("{part}: {why}"));
    }
    out.blank();

    out.heading(2, "Still in ALARM");
    let still: Vec<Vec<String>> = h
        .still_in_alarm
        .iter()
        .map(|s| {
            vec![
                sanitize_line(&s.alarm),
                clock(s.since),
                short_duration(since(now, s.since)),
                s.acked_by.as_deref().map_or("-".into(), sanitize_line),
                s.silenced_until.map_or("-".into(), clock),
            ]
        })
        .collect();
    out.table(
        &["ALARM", "SINCE", "FOR", "ACKED BY", "SILENCED UNTIL"],
        &still,
        "none",
    );

    out.heading(2, "Episodes");
    let episodes: Vec<Vec<String>> = h
        .episodes
        .iter()
        .map(|e| {
            vec![
                sanitize_line(&e.alarm),
                format!(
                    "{}{}",
                    if e.started_before { "<" } else { "" },
                    clock(e.start)
                ),
                e.end.map_or("ongoing".into(), clock),
                short_duration(e.duration(now).unsigned_abs()),
                e.flaps.to_string(),
            ]
        })
        .collect();
    out.table(
        &["ALARM", "START", "END", "DURATION", "FLAPS"],
        &episodes,
        "no alarm fired",
    );

    out.heading(2, "Acks");
    let acks: Vec<Vec<String>> = h
        .acks
        .iter()
        .map(|a| {
            vec![
                clock(a.at),
                sanitize_line(&a.alarm),
                sanitize_line(&a.by),
                sanitize_line(&a.note),
            ]
        })
        .collect();
    out.table(&["TIME", "ALARM", "BY", "NOTE"], &acks, "none");

    out.heading(2, "Silences");
    let rows = |list: &[SilenceNote]| -> Vec<Vec<String>> {
        list.iter()
            .map(|s| {
                vec![
                    sanitize_line(&s.alarm),
                    sanitize_line(&s.by),
                    s.set_at.map_or("-".into(), clock),
                    match (s.ended_at, s.until) {
                        (Some(ended), _) => format!("ended {}", clock(ended)),
                        (None, Some(until)) if until <= now => format!("ended {}", clock(until)),
                        (None, Some(until)) => clock(until),
                        (None, None) => "-".into(),
                    },
                    sanitize_line(&s.note),
                ]
            })
            .collect()
    };
    let header = ["ALARM", "BY", "SET", "UNTIL", "NOTE"];
    out.table(&header, &rows(&h.silences), "none");
    out.heading(2, "Silences ending soon or just ended");
    out.table(&header, &rows(&h.silences_ending), "none");

    out.heading(2, "CloudTrail writes during the episodes");
    let writes: Vec<Vec<String>> = h
        .trail_writes
        .iter()
        .map(|w| {
            vec![
                w.record.event_time.map_or("-".into(), clock),
                sanitize_line(&w.record.user()),
                sanitize_line(&w.record.event_name),
                sanitize_line(&w.record.event_source),
                sanitize_line(&w.during.join(", ")),
            ]
        })
        .collect();
    out.table(
        &["TIME", "USER", "EVENT", "SOURCE", "WHILE FIRING"],
        &writes,
        "none",
    );
    if h.trail_more {
        out.line("(more write events were there than were kept)");
    }
    out.finish()
}

/// The handoff as `--output json` prints it: times RFC 3339 UTC.
#[derive(Debug, Serialize)]
pub struct JsonHandoff<'a> {
    env: &'a str,
    window: JsonWindow,
    episodes: Vec<JsonEpisode<'a>>,
    acks: &'a [AckNote],
    silences: &'a [SilenceNote],
    silences_ending: &'a [SilenceNote],
    still_in_alarm: &'a [StillInAlarm],
    trail_writes: Vec<JsonWrite<'a>>,
    trail_more: bool,
    /// Parts that could not be read, with why.
    errors: Vec<JsonError<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonWindow {
    start: Timestamp,
    end: Timestamp,
}

#[derive(Debug, Serialize)]
struct JsonEpisode<'a> {
    #[serde(flatten)]
    episode: &'a Episode,
    duration_secs: i64,
}

#[derive(Debug, Serialize)]
struct JsonWrite<'a> {
    #[serde(flatten)]
    event: TrailEventRecord<'a>,
    during: &'a [String],
}

#[derive(Debug, Serialize)]
struct JsonError<'a> {
    part: &'static str,
    error: &'a str,
}

impl<'a> JsonHandoff<'a> {
    /// The JSON form of `h` at `now`.
    pub fn new(h: &'a Handoff, now: Timestamp) -> Self {
        Self {
            env: &h.env,
            window: JsonWindow {
                start: h.window.start,
                end: h.window.end,
            },
            episodes: h
                .episodes
                .iter()
                .map(|episode| JsonEpisode {
                    episode,
                    duration_secs: episode.duration(now).as_secs(),
                })
                .collect(),
            acks: &h.acks,
            silences: &h.silences,
            silences_ending: &h.silences_ending,
            still_in_alarm: &h.still_in_alarm,
            trail_writes: h
                .trail_writes
                .iter()
                .map(|w| JsonWrite {
                    event: TrailEventRecord::new(&w.record),
                    during: &w.during,
                })
                .collect(),
            trail_more: h.trail_more,
            errors: h
                .failed
                .iter()
                .map(|(part, error)| JsonError { part, error })
                .collect(),
        }
    }
}
