//! `monitui alarms ...`: the alarm commands for scripts and people: list,
//! and the changes (ack, silence, test, ...) through the same
//! [`AlarmActions`] the TUI uses.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use super::args::{AlarmsCommand, OutputFormat};
use crate::config::ResolvedEnv;
use crate::data::alarm_listing::{FiringFirst, annotated_alarm_first};
use crate::data::audit::AuditError;
use crate::data::history::{FlapCounts, StateHistory};
use crate::data::{ActionError, AlarmActions, Annotation, AuditLog, Session};
use crate::model::ack::{SilenceRecord, UNRECOGNISED_SILENCE};
use crate::model::alarm::{oncall_order, sort_for_oncall};
use crate::model::{Alarm, AlarmState, Clock};
use crate::provider::Reads;
use crate::report::table::{TableStream, clip, print_table};
use crate::sanitize::sanitize_line;

/// Why an alarms command stopped before changing anything.
#[derive(Debug, thiserror::Error)]
pub enum AlarmsCmdError {
    /// `confirm_mutations` is on and there is no terminal to ask.
    #[error("env '{env}' asks for confirmation of {what}; stdin is not a terminal, so pass --yes")]
    ConfirmationNeeded {
        /// The env name.
        env: String,
        /// What needed confirming.
        what: String,
    },
    /// The user typed something other than the env name.
    #[error("not confirmed (expected '{env}'): nothing changed")]
    NotConfirmed {
        /// The env name.
        env: String,
    },
    /// Some expired silences could not be ended.
    #[error("{failed} expired silence(s) could not be ended")]
    ReconcileFailed {
        /// How many.
        failed: usize,
    },
}

/// Whether `err` means the user asked for something invalid (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<ActionError>()
            .is_some_and(ActionError::is_bad_input)
            || matches!(
                c.downcast_ref::<AlarmsCmdError>(),
                Some(AlarmsCmdError::ConfirmationNeeded { .. })
            )
    })
}

/// One alarm as `alarms list --output json` prints it.
#[derive(Debug, Serialize)]
pub struct AlarmRecord<'a> {
    /// The env the alarm is in: only in a listing across envs
    /// (`--env a,b`, `--env all`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<&'a str>,
    /// Alarm name.
    pub name: &'a str,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state: AlarmState,
    /// The service's reason for the state.
    pub reason: &'a str,
    /// Last update of the state by the service (also on re-evaluations
    /// that keep it), RFC 3339.
    pub updated_at: String,
    /// Start of the current state (the episode an ack is for), RFC 3339.
    pub transitioned_at: String,
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
    /// Who acked the current ALARM episode (null if nobody, or if the ack
    /// was for an earlier episode).
    pub acked_by: Option<String>,
    /// When, RFC 3339.
    pub acked_at: Option<String>,
    /// The ack's note.
    pub ack_note: Option<String>,
    /// End of the silence, RFC 3339 (also while overdue: past it but not
    /// yet reconciled).
    pub silenced_until: Option<String>,
    /// Who silenced.
    pub silenced_by: Option<String>,
    /// Why.
    pub silence_note: Option<String>,
    /// Whether the alarm carries silence tags monitui did not write (no
    /// method or id): monitui leaves them and the alarm's actions alone.
    pub unrecognised_silence_record: bool,
    /// How many times it entered ALARM in the last 24 hours (null when the
    /// account's alarm history could not be read).
    pub flaps_24h: Option<usize>,
}

impl<'a> AlarmRecord<'a> {
    /// The record of `alarm` with its annotation, if any.
    pub fn new(alarm: &'a Alarm, annotation: Option<&Annotation>) -> Self {
        let ack = annotation.and_then(|a| a.live_ack(alarm));
        let silence = annotation.and_then(Annotation::own_silence);
        Self {
            env: None,
            name: &alarm.name,
            state: alarm.state,
            reason: &alarm.reason,
            updated_at: alarm.updated_at.to_string(),
            transitioned_at: alarm.transitioned_at.to_string(),
            metric: alarm.metric_label(),
            threshold: alarm.metric_spec().map(|s| s.threshold),
            condition: alarm.threshold_label(),
            arn: &alarm.arn,
            actions_enabled: alarm.actions_enabled,
            acked_by: ack.map(|a| a.by.clone()),
            acked_at: ack.map(|a| a.at.to_string()),
            ack_note: ack.map(|a| a.note.clone()),
            silenced_until: silence.map(|s| s.until.to_string()),
            silenced_by: silence.map(|s| s.by.clone()),
            silence_note: silence.map(|s| s.note.clone()),
            unrecognised_silence_record: annotation
                .and_then(|a| a.silence.as_ref())
                .is_some_and(|r| r.own().is_none()),
            flaps_24h: None,
        }
    }
}

/// What the alarm commands work with.
pub struct AlarmsContext<'a> {
    /// The environment.
    pub env: &'a ResolvedEnv,
    /// Its session (read-only when the env says so).
    pub session: Arc<Session>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Where changes are recorded, or why that is unknown (only changes
    /// need it: listing works without a home directory).
    pub audit: Result<AuditLog, AuditError>,
}

/// Runs an alarms subcommand, printing to `out`.
pub async fn run(cmd: &AlarmsCommand, ctx: AlarmsContext<'_>, out: &mut dyn Write) -> Result<()> {
    let now = ctx.clock.now();
    let audit = ctx.audit;
    let (session, env, clock) = (&ctx.session, ctx.env, &ctx.clock);
    let actions = move || {
        audit.map(|audit| AlarmActions::new(Arc::clone(session), env, Arc::clone(clock), audit))
    };
    let message = match cmd {
        AlarmsCommand::List {
            state,
            output,
            flaps,
        } => {
            return list(&ctx.session.reads, *state, (*output, *flaps), now, out).await;
        }
        AlarmsCommand::Ack { name, note, .. } => {
            let name = alarm_named(session, env, name).await?;
            actions()?.ack(&name, note).await?
        }
        AlarmsCommand::Unack { name, any, yes } => {
            let name = alarm_named(session, env, name).await?;
            if *any {
                confirm_always(
                    ctx.env,
                    &format!("removing the ack of {name}, even someone else's"),
                    *yes,
                )?;
            }
            actions()?.unack(&name, *any).await?
        }
        AlarmsCommand::Silence {
            name,
            duration,
            note,
            yes,
        } => {
            let name = alarm_named(session, env, name).await?;
            confirm(ctx.env, &format!("silencing {name}"), *yes)?;
            actions()?.silence(&name, *duration, note).await?
        }
        AlarmsCommand::Unsilence { name, yes } => {
            let name = alarm_named(session, env, name).await?;
            confirm(ctx.env, &format!("ending the silence of {name}"), *yes)?;
            actions()?.unsilence(&name).await?
        }
        AlarmsCommand::Test { name, yes } => {
            let name = alarm_named(session, env, name).await?;
            confirm(ctx.env, &format!("testing {name}"), *yes)?;
            actions()?.test(&name).await?
        }
        AlarmsCommand::Reconcile { .. } => return reconcile(&actions()?, out).await,
        AlarmsCommand::Explain { name, output } => {
            let alarm = alarm_read(session, env, name).await?;
            return super::alarms_explain_cmd::explain(&session.reads, &alarm, now, *output, out)
                .await;
        }
        AlarmsCommand::Show { name, output } => {
            let alarm = alarm_read(session, env, name).await?;
            return super::alarms_explain_cmd::show(&session.reads, &alarm, *output, out).await;
        }
        AlarmsCommand::Backtest {
            name,
            threshold,
            evaluation_periods,
            datapoints_to_alarm,
            since,
            output,
        } => {
            let alarm = alarm_read(session, env, name).await?;
            let range = crate::model::TimeRange {
                start: since.resolve(now)?,
                end: now,
            };
            let overrides = crate::model::backtest::Overrides {
                threshold: *threshold,
                evaluation_periods: *evaluation_periods,
                datapoints_to_alarm: *datapoints_to_alarm,
            };
            return super::alarms_explain_cmd::backtest(
                &session.reads,
                &alarm,
                overrides,
                range,
                *output,
                out,
            )
            .await;
        }
    };
    writeln!(out, "{}", sanitize_line(&message))?;
    Ok(())
}

/// The alarm a name typed on the command line means (its short name works
/// where it is unique).
async fn alarm_named(session: &Session, env: &ResolvedEnv, given: &str) -> Result<String> {
    super::names::alarm(session.reads.alarms.as_ref(), &env.prefix, given).await
}

/// The alarm a name typed on the command line means, read.
async fn alarm_read(session: &Session, env: &ResolvedEnv, given: &str) -> Result<Alarm> {
    let name = alarm_named(session, env, given).await?;
    session.reads.alarms.alarm(&name).await?.ok_or_else(|| {
        anyhow::anyhow!(
            "alarm {} disappeared while it was read",
            sanitize_line(&name)
        )
    })
}

async fn reconcile(actions: &AlarmActions, out: &mut dyn Write) -> Result<()> {
    let reconciled = actions.reconcile().await?;
    if reconciled.ended.is_empty() {
        writeln!(out, "no expired silences")?;
    }
    for alarm in &reconciled.unrecognised {
        writeln!(
            out,
            "left alone: {}: {UNRECOGNISED_SILENCE} (no monitui method or id); its actions and tags stay as they are",
            sanitize_line(alarm)
        )?;
    }
    let mut failed = 0;
    for result in reconciled.ended {
        match result {
            Ok(done) => writeln!(out, "{}", sanitize_line(&done))?,
            Err(e) => {
                failed += 1;
                eprintln!("monitui: {}", sanitize_line(&e.to_string()));
            }
        }
    }
    if failed > 0 {
        return Err(AlarmsCmdError::ReconcileFailed { failed }.into());
    }
    Ok(())
}

/// In envs with `confirm_mutations`, asks the user to type the env name
/// (on a terminal) or requires `--yes`.
fn confirm(env: &ResolvedEnv, what: &str, yes: bool) -> Result<(), AlarmsCmdError> {
    if !env.confirm_mutations {
        return Ok(());
    }
    confirm_always(env, what, yes)
}

/// Asks the user to type the env name (on a terminal) or requires `--yes`,
/// whatever the env says.
fn confirm_always(env: &ResolvedEnv, what: &str, yes: bool) -> Result<(), AlarmsCmdError> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(AlarmsCmdError::ConfirmationNeeded {
            env: env.name.clone(),
            what: what.to_string(),
        });
    }
    eprint!(
        "{what} in env '{}': type the env name to confirm: ",
        env.name
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = stdin.lock().read_line(&mut answer);
    if answer.trim() == env.name {
        Ok(())
    } else {
        Err(AlarmsCmdError::NotConfirmed {
            env: env.name.clone(),
        })
    }
}

/// The ack/silence marker of the table: `acked by alice`,
/// `silenced 42m by bob`, `silence overdue`.
fn marks(alarm: &Alarm, annotation: Option<&Annotation>, now: Timestamp) -> String {
    let mut parts = Vec::new();
    if let Some(ack) = annotation.and_then(|a| a.live_ack(alarm)) {
        parts.push(format!("acked by {}", ack.by));
    }
    match annotation.and_then(|a| a.silence.as_ref()) {
        None => {}
        Some(SilenceRecord::Unrecognised { .. }) => parts.push(UNRECOGNISED_SILENCE.to_string()),
        Some(SilenceRecord::Own(silence)) if silence.is_expired(now) => {
            parts.push("silence overdue".to_string());
        }
        Some(SilenceRecord::Own(silence)) => {
            let left = std::time::Duration::from_secs(
                (silence.until.as_second() - now.as_second()).max(0) as u64 / 60 * 60,
            );
            parts.push(format!(
                "silenced {} by {}",
                humantime::format_duration(left),
                silence.by
            ));
        }
    }
    parts.join(", ")
}

/// How long the table waits for the day's alarm history once the alarms
/// are read, unless `--flaps` asks for all of it: the history is paged at
/// 3 requests a second on AWS, and a busy account's day can take many
/// times longer than its alarms.
const HISTORY_GRACE: Duration = Duration::from_secs(3);

/// Whether, and how long, `alarms list` waits for the day's alarm history
/// (the FLAPS counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HistoryWait {
    /// Not read (JSON without `--flaps`: scripts rarely need it).
    Skip,
    /// Read beside the alarms, and waited for at most this long after
    /// them (the table): then the counts are unknown, and stderr says so.
    Bounded(Duration),
    /// Read and waited for to the end (`--flaps`).
    Whole,
}

/// How `alarms list` with `output` (and `--flaps` or not) waits for the
/// history.
fn reads_history(output: OutputFormat, flaps: bool) -> HistoryWait {
    match (flaps, output) {
        (true, _) => HistoryWait::Whole,
        (false, OutputFormat::Json) => HistoryWait::Skip,
        (false, _) => HistoryWait::Bounded(HISTORY_GRACE),
    }
}

/// Why the table shows no counts when the history was not in within
/// `grace` of the alarms.
fn too_slow(grace: Duration) -> String {
    format!(
        "the day's alarm history was still being read {}s after the alarms \
         (FLAPS 24H shows -; --flaps waits for all of it)",
        grace.as_secs_f32()
    )
}

/// What one env's listing holds: its alarms, their acks and silences, and
/// the day's flapping counts (`None` when the history could not be read).
struct Listing {
    alarms: Vec<Alarm>,
    annotations: std::collections::BTreeMap<String, Annotation>,
    flaps: Option<FlapCounts>,
}

/// Reads an env's alarms (those `wanted`), acks, silences and, as `wait`
/// says, the flapping counts side by side, handing the alarms in ALARM to
/// `on_firing` as soon as they are in, then each once its own acks are
/// (see [`annotated_alarm_first`]). A history that cannot be read, or not
/// within the wait, is said on stderr (naming `env` when given) and
/// leaves the counts unknown.
async fn read_listing(
    reads: &Reads,
    wanted: impl Fn(&Alarm) -> bool,
    now: Timestamp,
    env: Option<&str>,
    wait: HistoryWait,
    on_firing: impl FnMut(FiringFirst<'_>),
) -> Result<Listing, crate::provider::ProviderError> {
    let mut history = StateHistory::default();
    let listing = annotated_alarm_first(reads, on_firing);
    // The history read's outcome: `None` when not read, else why it gave
    // no counts.
    let (listed, read) = match wait {
        HistoryWait::Skip => (listing.await?, None),
        HistoryWait::Bounded(_) | HistoryWait::Whole => {
            let refresh = history.refresh(reads.alarms.as_ref(), now);
            tokio::pin!(listing, refresh);
            let mut read = None;
            let listed = loop {
                tokio::select! {
                    done = &mut refresh, if read.is_none() => read = Some(done),
                    listed = &mut listing => break listed?,
                }
            };
            let read = match (read, wait) {
                (Some(done), _) => done.map_err(|e| e.to_string()),
                (None, HistoryWait::Bounded(grace)) => {
                    tokio::time::timeout(grace, refresh).await.map_or_else(
                        |_| Err(too_slow(grace)),
                        |done| done.map_err(|e| e.to_string()),
                    )
                }
                (None, _) => refresh.await.map_err(|e| e.to_string()),
            };
            (listed, Some(read))
        }
    };
    let (mut alarms, annotations) = listed;
    alarms.retain(wanted);
    sort_for_oncall(&mut alarms);
    let flaps = match read {
        None => None,
        Some(Ok(())) => Some(history.flap_counts(now)),
        Some(Err(why)) => {
            let of = env.map(|e| format!(" in env '{e}'")).unwrap_or_default();
            eprintln!(
                "monitui: no flapping counts{}: {}",
                sanitize_line(&of),
                sanitize_line(&why)
            );
            None
        }
    };
    Ok(Listing {
        alarms,
        annotations,
        flaps,
    })
}

/// A table printed while its rows come in (`alarms list`: the alarms in
/// ALARM first, the rest once everything is read): the first batch sets
/// the column widths; a write error is kept and reported at the end.
struct Streamed<'o> {
    out: &'o mut dyn Write,
    header: Vec<String>,
    table: Option<io::Result<TableStream>>,
    /// The (env index, alarm name) of every row printed so far.
    shown: HashSet<(usize, String)>,
}

impl<'o> Streamed<'o> {
    fn new(out: &'o mut dyn Write, across_envs: bool) -> Self {
        Self {
            out,
            header: table_header(across_envs),
            table: None,
            shown: HashSet::new(),
        }
    }

    /// Prints the header, the columns sized for `sizing` (rows to come),
    /// unless the table has started.
    fn start(&mut self, sizing: &[Vec<String>]) {
        if self.table.is_none() {
            let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
            let table = TableStream::sized(self.out, &header, sizing).and_then(|t| {
                self.out.flush()?;
                Ok(t)
            });
            self.table = Some(table);
        }
    }

    /// Prints the row of env `env`'s alarm `name` now (starting the table
    /// sized for it if needed).
    fn row(&mut self, env: usize, name: &str, row: &[String]) {
        if self.table.is_none() {
            self.start(std::slice::from_ref(&row.to_vec()));
        }
        if let Some(table) = &mut self.table {
            let printed = match table {
                Ok(t) => t.row(self.out, row).and_then(|()| self.out.flush()),
                Err(_) => Ok(()),
            };
            if let Err(e) = printed {
                *table = Err(e);
            }
        }
        self.shown.insert((env, name.to_string()));
    }

    /// Whether env `env`'s alarm `name` has its row printed.
    fn is_shown(&self, env: usize, name: &str) -> bool {
        self.shown.contains(&(env, name.to_string()))
    }

    /// Prints `rest` (the rows not shown yet): under the rows printed, or
    /// as a whole table if none were; then reports a write error, if any.
    fn finish(self, rest: &[Vec<String>]) -> io::Result<()> {
        match self.table {
            None => {
                let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
                print_table(self.out, &header, rest)
            }
            Some(table) => {
                let table = table?;
                rest.iter().try_for_each(|row| table.row(self.out, row))
            }
        }
    }
}

/// Lists the alarms (those in `state`, if given). A table shows the
/// alarms in ALARM as soon as they come in, each row once its acks and
/// silences are known, and the rest when the full listing is; JSON is one
/// document, printed at the end.
async fn list(
    reads: &Reads,
    state: Option<AlarmState>,
    (output, flaps): (OutputFormat, bool),
    now: Timestamp,
    out: &mut dyn Write,
) -> Result<()> {
    let wait = reads_history(output, flaps);
    let wanted = |a: &Alarm| state.is_none_or(|s| a.state == s);
    let early = output == OutputFormat::Table && state.is_none_or(|s| s == AlarmState::Alarm);
    let mut stream = Streamed::new(out, false);
    // The day's history may still be on its way: these rows say so.
    let on_firing = |first: FiringFirst<'_>| match first {
        _ if !early => {}
        FiringFirst::Listed(firing) => {
            let sizing: Vec<Vec<String>> = firing
                .alarms
                .iter()
                .map(|a| table_row(a, None, Flaps::Pending, now))
                .collect();
            stream.start(&sizing);
        }
        FiringFirst::Annotated(alarm, annotation) => {
            let row = table_row(alarm, Some(annotation), Flaps::Pending, now);
            stream.row(0, &alarm.name, &row);
        }
    };
    let Listing {
        alarms,
        annotations,
        flaps,
    } = read_listing(reads, wanted, now, None, wait, on_firing).await?;
    let flaps_of = || flaps.as_ref().map_or(Flaps::Unknown, Flaps::Known);
    match output {
        OutputFormat::Json => {
            let records: Vec<AlarmRecord> = alarms
                .iter()
                .map(|a| AlarmRecord {
                    flaps_24h: flaps.as_ref().map(|f| f.of(&a.name)),
                    ..AlarmRecord::new(a, annotations.get(&a.name))
                })
                .collect();
            super::json::write_json(stream.out, &records)?;
        }
        OutputFormat::Table => {
            let rest: Vec<Vec<String>> = alarms
                .iter()
                .filter(|a| !stream.is_shown(0, &a.name))
                .map(|a| table_row(a, annotations.get(&a.name), flaps_of(), now))
                .collect();
            stream.finish(&rest)?;
        }
    }
    Ok(())
}

/// Some envs of `alarms list --env a,b` could not be listed: the others'
/// alarms were printed, and each failure was said on stderr.
#[derive(Debug, thiserror::Error)]
#[error("{} of {total} envs could not be listed: {}", .failed.len(), .failed.join(", "))]
pub struct EnvsFailed {
    /// The envs that failed, in the order asked for.
    pub failed: Vec<String>,
    /// How many envs were asked for.
    pub total: usize,
}

/// `alarms list` across several envs (`--env a,b`, `--env all`): each
/// env's session is built and read side by side, one failing never stops
/// the others. One list, ALARM first across all, each row naming its env
/// (an ENV column; an `env` field in JSON). The table streams: each env's
/// alarms in ALARM are printed as soon as that env has them and their acks
/// (its ALARM request, or its whole listing if that came first), without
/// waiting for the other envs; the other rows follow once every env is
/// read, so every ALARM row comes before any other. JSON is one document,
/// printed at the end. An env that fails is named on stderr as soon as it
/// does, the others are still printed, and the command then fails
/// ([`EnvsFailed`], exit status 1).
pub async fn list_across(
    envs: &[ResolvedEnv],
    clock: Arc<dyn Clock>,
    state: Option<AlarmState>,
    (output, flaps): (OutputFormat, bool),
    out: &mut dyn Write,
) -> Result<()> {
    let wait = reads_history(output, flaps);
    let now = clock.now();
    let wanted = |a: &Alarm| state.is_none_or(|s| a.state == s);
    let early = output == OutputFormat::Table && state.is_none_or(|s| s == AlarmState::Alarm);
    // Every env's read writes its alarms in ALARM here as soon as they are
    // known; the reads run side by side in this one task.
    let stream = RefCell::new(Streamed::new(out, true));
    let reads = envs.iter().enumerate().map(|(k, env)| {
        let clock = Arc::clone(&clock);
        let stream = &stream;
        let env_row = move |alarm: &Alarm, annotation: Option<&Annotation>, flaps: Flaps<'_>| {
            env_table_row(&env.name, alarm, annotation, flaps, now)
        };
        async move {
            // This env's alarms in ALARM, each once its acks are in.
            let on_firing = |first: FiringFirst<'_>| match first {
                _ if !early => {}
                FiringFirst::Listed(firing) if firing.alarms.is_empty() => {}
                FiringFirst::Listed(firing) => {
                    let sizing: Vec<Vec<String>> = firing
                        .alarms
                        .iter()
                        .map(|a| env_row(a, None, Flaps::Pending))
                        .collect();
                    stream.borrow_mut().start(&sizing);
                }
                FiringFirst::Annotated(alarm, annotation) => {
                    let row = env_row(alarm, Some(annotation), Flaps::Pending);
                    stream.borrow_mut().row(k, &alarm.name, &row);
                }
            };
            let listed = match crate::data::connect(env.clone(), clock).await {
                Ok(session) => {
                    read_listing(
                        &session.reads,
                        wanted,
                        now,
                        Some(&env.name),
                        wait,
                        on_firing,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            match &listed {
                // The full listing came before (or instead of) the ALARM
                // request: this env's alarms in ALARM not printed yet go
                // out now, without waiting for the other envs.
                Ok(listing) if early => {
                    let mut stream = stream.borrow_mut();
                    let flaps = listing.flaps.as_ref().map_or(Flaps::Unknown, Flaps::Known);
                    let firing: Vec<(&Alarm, Vec<String>)> = listing
                        .alarms
                        .iter()
                        .filter(|a| a.state == AlarmState::Alarm && !stream.is_shown(k, &a.name))
                        .map(|a| (a, env_row(a, listing.annotations.get(&a.name), flaps)))
                        .collect();
                    if !firing.is_empty() {
                        let sizing: Vec<Vec<String>> =
                            firing.iter().map(|(_, row)| row.clone()).collect();
                        stream.start(&sizing);
                    }
                    for (alarm, row) in &firing {
                        stream.row(k, &alarm.name, row);
                    }
                }
                Ok(_) => {}
                Err(e) => eprintln!(
                    "monitui: env '{}': cannot list alarms: {}",
                    sanitize_line(&env.name),
                    sanitize_line(&e.to_string())
                ),
            }
            listed
        }
    });
    let results = futures_util::future::join_all(reads).await;
    let stream = stream.into_inner();
    let mut failed = Vec::new();
    let mut rows: Vec<(usize, &Alarm, &Listing)> = Vec::new();
    for (k, (env, result)) in envs.iter().zip(&results).enumerate() {
        match result {
            Ok(listing) => rows.extend(listing.alarms.iter().map(|a| (k, a, listing))),
            Err(_) => failed.push(env.name.clone()),
        }
    }
    rows.sort_by(|a, b| oncall_order(a.1, b.1).then(envs[a.0].name.cmp(&envs[b.0].name)));
    match output {
        OutputFormat::Json => {
            let records: Vec<AlarmRecord> = rows
                .iter()
                .map(|&(k, a, listing)| AlarmRecord {
                    env: Some(&envs[k].name),
                    flaps_24h: listing.flaps.as_ref().map(|f| f.of(&a.name)),
                    ..AlarmRecord::new(a, listing.annotations.get(&a.name))
                })
                .collect();
            super::json::write_json(stream.out, &records)?;
        }
        OutputFormat::Table => {
            let rest: Vec<Vec<String>> = rows
                .iter()
                .filter(|&&(k, a, _)| !stream.is_shown(k, &a.name))
                .map(|&(k, a, listing)| {
                    let flaps = listing.flaps.as_ref().map_or(Flaps::Unknown, Flaps::Known);
                    env_table_row(
                        &envs[k].name,
                        a,
                        listing.annotations.get(&a.name),
                        flaps,
                        now,
                    )
                })
                .collect();
            stream.finish(&rest)?;
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(EnvsFailed {
            failed,
            total: envs.len(),
        }
        .into())
    }
}

/// The columns of `alarms list --output table` (SINCE names the display
/// zone), after an ENV column when the list is across envs.
fn table_header(across_envs: bool) -> Vec<String> {
    let env = across_envs.then(|| "ENV".to_string());
    env.into_iter()
        .chain([
            "STATE".into(),
            "NAME".into(),
            "ACK/SILENCE".into(),
            "FLAPS 24H".into(),
            "METRIC".into(),
            "THRESHOLD".into(),
            crate::report::table::zoned("SINCE"),
            "REASON".into(),
        ])
        .collect()
}

/// What a row's FLAPS 24H cell can say.
#[derive(Clone, Copy)]
enum Flaps<'a> {
    /// The row is printed before the day's history is in: `…`.
    Pending,
    /// The history could not be read: `-`.
    Unknown,
    /// The counts of the day's history.
    Known(&'a FlapCounts),
}

/// One alarm's row of the table across envs: its env, then [`table_row`].
fn env_table_row(
    env: &str,
    alarm: &Alarm,
    annotation: Option<&Annotation>,
    flaps: Flaps<'_>,
    now: Timestamp,
) -> Vec<String> {
    let mut row = vec![sanitize_line(env)];
    row.extend(table_row(alarm, annotation, flaps, now));
    row
}

/// How wide the table's THRESHOLD cell may get: a composite alarm's rule
/// can run to 10,240 characters, and every row is padded to the widest
/// cell (`--output json` and `alarms show` have the whole rule).
const THRESHOLD_WIDTH: usize = 60;

/// One alarm's row of the table, every cell from AWS sanitised.
fn table_row(
    alarm: &Alarm,
    annotation: Option<&Annotation>,
    flaps: Flaps<'_>,
    now: Timestamp,
) -> Vec<String> {
    let flaps = match flaps {
        Flaps::Pending => "…".to_string(),
        Flaps::Unknown => "-".to_string(),
        Flaps::Known(counts) => counts.of(&alarm.name).to_string(),
    };
    vec![
        alarm.state.to_string(),
        sanitize_line(&alarm.name),
        sanitize_line(&marks(alarm, annotation, now)),
        flaps,
        sanitize_line(&alarm.metric_label()),
        clip(&sanitize_line(&alarm.threshold_label()), THRESHOLD_WIDTH),
        crate::model::zone::shown(alarm.in_state_since(), "%Y-%m-%d %H:%M:%S"),
        sanitize_line(&alarm.reason),
    ]
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::data::test_support::SlowAlarms;
    use crate::model::ManualClock;
    use crate::provider::Account;
    use crate::provider::sim::SimProvider;

    /// The reads of an account whose 30 alarms come in 3 pages of 20 ms
    /// and whose day of history takes `history`.
    fn account(history: Duration) -> (Reads, Arc<SlowAlarms>, Timestamp) {
        let now: Timestamp = "2026-11-27T13:00:30Z".parse().unwrap();
        let sim = Arc::new(SimProvider::new(5, Arc::new(ManualClock::new(now)), "p"));
        let mut account = Account::of(sim);
        let mut slow = SlowAlarms::new(30, 20);
        slow.history_latency = history;
        let slow = Arc::new(slow);
        account.reads.alarms = slow.clone();
        (account.reads, slow, now)
    }

    #[tokio::test]
    async fn the_table_waits_for_a_slow_history_only_as_long_as_it_said() {
        let (reads, slow, now) = account(Duration::from_secs(30));
        let started = Instant::now();
        let wait = HistoryWait::Bounded(Duration::from_millis(200));
        let listing = read_listing(&reads, |_| true, now, None, wait, |_| {})
            .await
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(listing.alarms.len(), 30);
        assert_eq!(listing.flaps, None, "unknown, not zero");
        assert!(!slow.log().contains(&"history".to_string()));
    }

    #[tokio::test]
    async fn a_history_in_time_and_flaps_wait_for_the_whole_day() {
        let (reads, _, now) = account(Duration::from_millis(300));
        let bounded = HistoryWait::Bounded(Duration::from_secs(20));
        let listing = read_listing(&reads, |_| true, now, None, bounded, |_| {})
            .await
            .unwrap();
        assert!(listing.flaps.is_some(), "in before the wait ran out");

        let (reads, slow, now) = account(Duration::from_millis(1500));
        let started = Instant::now();
        let listing = read_listing(&reads, |_| true, now, None, HistoryWait::Whole, |_| {})
            .await
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(1500));
        assert!(listing.flaps.is_some());
        assert!(slow.log().contains(&"history".to_string()));
    }

    #[test]
    fn only_flaps_waits_for_the_whole_history_and_json_reads_none_without_it() {
        assert_eq!(reads_history(OutputFormat::Json, false), HistoryWait::Skip);
        assert_eq!(reads_history(OutputFormat::Json, true), HistoryWait::Whole);
        assert_eq!(reads_history(OutputFormat::Table, true), HistoryWait::Whole);
        assert_eq!(
            reads_history(OutputFormat::Table, false),
            HistoryWait::Bounded(HISTORY_GRACE)
        );
    }
}
