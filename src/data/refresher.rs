//! The background data jobs of one env. Once connected (retrying with
//! backoff when that fails), independent jobs run side by side, each on its
//! own cadence, each posting its own events, so a slow or failing one
//! never delays another or marks its data stale:
//! - the alarm jobs (`refresher::alarms`): the alarm list every interval
//!   (and on request), which alone decides the link state, with the alarms
//!   in ALARM shown first until the first list is in; acks and silences
//!   after each new list, ending expired silences; the flapping counts;
//!   the Overview's sparklines and targets while it is on screen; the
//!   changes;
//! - each in [`super::jobs`], behind the one [`super::jobs::Job`] trait:
//!   the open alarm's detail, the incident timeline, the handoff, and the
//!   tabs' own jobs ([`super::tab_jobs`]: the CloudTrail search, the
//!   dashboards, the Logs Insights run, the Logs tab and the Metrics tab).
//!
//! This module connects, then routes each command to its job
//! ([`Jobs::route`]; a tab's request, `DataCommand::Tab`, to the tab jobs
//! without looking inside), and makes the [`DataEvent`]s of the jobs' own
//! events.
//! Changes run on [`Changes`], outside these jobs: dropping the layer (quit,
//! env switch) stops the jobs but never a change.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use alarms::{AlarmsCommand, AlarmsJob, Watches};

use super::audit::AuditLog;
use super::backoff::Backoff;
use super::changes::Changes;
use super::connection::LinkState;
use super::events::{DataEvent, EventSink, Mutation};
use super::incident::{IncidentRequest, Relations, Sources};
use super::jobs::detail::{DetailCommand, DetailJob};
use super::jobs::handoff::HandoffJob;
use super::jobs::incident::{IncidentCommand, IncidentEvent, IncidentJob};
use super::jobs::{JobContext, Link, Mailbox, mapped};
use super::mfa::MfaBridge;
use super::session::SessionConnect;
use super::tab_jobs::TabJobs;
use super::tab_message::TabMessage;
use crate::config::{PinnedMetric, ResolvedEnv};
use crate::model::Clock;

/// Builds the session, as often as connecting has to be retried.
pub type Connector = Arc<dyn Fn() -> SessionConnect + Send + Sync>;

/// Requests from the UI to the data layer.
#[derive(Debug, Clone, PartialEq)]
pub enum DataCommand {
    /// Fetch now instead of waiting for the interval; after a cancelled
    /// MFA dialog, the next sign-in asks again.
    RefreshNow,
    /// Load (and keep refreshing) one alarm's detail over the last `range`.
    LoadDetail {
        /// Alarm name.
        alarm: String,
        /// How far back the chart goes.
        range: Duration,
    },
    /// Stop refreshing the detail view.
    CloseDetail,
    /// Gather (and, following the current episode, keep gathering) an
    /// alarm's incident timeline.
    LoadIncident(IncidentRequest),
    /// Stop gathering the timeline.
    CloseIncident,
    /// Gather the shift handoff of the last `since` (posts
    /// `DataEvent::Handoff`), replacing one still being gathered.
    LoadHandoff {
        /// How far back the shift goes.
        since: jiff::SignedDuration,
    },
    /// Change an alarm (ack, silence, test...).
    Mutate(Mutation),
    /// Whether the Overview's sparklines are on screen: its series are
    /// fetched only while they are (GetMetricData is billed per metric).
    OverviewVisible(bool),
    /// A request of one tab to its job, of a type only the two know (see
    /// [`DataCommand::tab`] and [`super::tab_jobs`]).
    Tab(TabMessage),
    /// Add a metric to the Overview's pinned metrics for this session.
    Pin(PinnedMetric),
    /// The MFA dialog's answer to [`DataEvent::MfaNeeded`] `id`: the code,
    /// or `None` when cancelled. Goes straight to the [`MfaBridge`], even
    /// while the jobs are still connecting (which may be what asked).
    MfaAnswer {
        /// The ask answered ([`super::mfa::MfaAsk::id`]).
        id: u64,
        /// The code typed, or `None` for Esc.
        code: Option<String>,
    },
}

impl DataCommand {
    /// The request `command` of a tab to its job.
    pub fn tab<C: Any + Send + Sync + fmt::Debug + PartialEq>(command: C) -> Self {
        DataCommand::Tab(TabMessage::new(command))
    }

    /// The request as a `C`, if it is a tab's request of that type.
    pub fn for_tab<C: Any>(&self) -> Option<&C> {
        match self {
            DataCommand::Tab(message) => message.get(),
            _ => None,
        }
    }
}

/// Settings of the refresh jobs.
#[derive(Debug, Clone, Copy)]
pub struct RefreshPolicy {
    /// Time between successful refreshes.
    pub interval: Duration,
    /// Delays after failures.
    pub backoff: Backoff,
    /// Longest a single fetch may take before it counts as failed.
    pub fetch_timeout: Duration,
}

impl RefreshPolicy {
    /// The default policy for an interval.
    pub fn every(interval: Duration) -> Self {
        Self {
            interval,
            backoff: Backoff::default(),
            fetch_timeout: Duration::from_secs(30),
        }
    }
}

/// Handle to the running jobs; dropping it stops them (not the changes).
#[derive(Debug)]
pub struct DataLayer {
    commands: mpsc::UnboundedSender<DataCommand>,
    task: JoinHandle<()>,
    /// Where the MFA dialog's answers go, if this layer's env can ask.
    mfa: Option<Arc<MfaBridge>>,
}

/// Everything the jobs need besides the session: the env (name, SNS
/// topic, pinned metrics), the policy and the audit log.
#[derive(Debug, Clone)]
pub struct JobConfig {
    /// The environment.
    pub env: ResolvedEnv,
    /// Refresh timing.
    pub policy: RefreshPolicy,
    /// Where changes are recorded.
    pub audit: AuditLog,
}

impl DataLayer {
    /// Starts the jobs for `env` on `runtime`: the env's session (read-only
    /// when the env says so), its refresh interval and pinned metrics, and
    /// the default audit log. Events go to `sink`; changes run on `changes`.
    pub fn for_env(
        runtime: &tokio::runtime::Handle,
        env: &ResolvedEnv,
        clock: Arc<dyn Clock>,
        sink: EventSink,
        changes: &Changes,
    ) -> Self {
        let (for_connect, connect_clock) = (env.clone(), Arc::clone(&clock));
        let connect: Connector = Arc::new(move || {
            super::session::connect(for_connect.clone(), Arc::clone(&connect_clock))
        });
        let setup = Setup {
            slos: targets(env),
            pinned: env.pinned_metrics.clone(),
            relations: Relations::of(env),
            policy: RefreshPolicy::every(env.refresh),
            audited: AuditLog::default_location()
                .map(|audit| (env.clone(), audit))
                .map_err(|e| format!("changes are off: {e}")),
            clock,
            sink,
            changes: changes.clone(),
            runtime: runtime.clone(),
        };
        Self::spawn(setup, connect)
    }

    /// Starts the jobs with an explicit connector and configuration.
    pub fn start_with(
        runtime: &tokio::runtime::Handle,
        config: JobConfig,
        connect: Connector,
        clock: Arc<dyn Clock>,
        sink: EventSink,
        changes: &Changes,
    ) -> Self {
        let setup = Setup {
            slos: targets(&config.env),
            pinned: config.env.pinned_metrics.clone(),
            relations: Relations::of(&config.env),
            policy: config.policy,
            audited: Ok((config.env, config.audit)),
            clock,
            sink,
            changes: changes.clone(),
            runtime: runtime.clone(),
        };
        Self::spawn(setup, connect)
    }

    fn spawn(setup: Setup, connect: Connector) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let runtime = setup.runtime.clone();
        let task = runtime.spawn(run(setup, connect, rx));
        Self {
            commands: tx,
            task,
            mfa: None,
        }
    }

    /// Hands the MFA dialog's answers (and the re-arming by
    /// [`DataCommand::RefreshNow`]) to `bridge`, which the caller has
    /// connected to this layer's sink.
    pub fn answering_mfa(mut self, bridge: Arc<MfaBridge>) -> Self {
        self.mfa = Some(bridge);
        self
    }

    /// Sends a request to the jobs; ignored if they have stopped.
    pub fn send(&self, command: DataCommand) {
        match (command, &self.mfa) {
            (DataCommand::MfaAnswer { id, code }, Some(bridge)) => bridge.answer(id, code),
            (DataCommand::MfaAnswer { .. }, None) => {}
            (command, bridge) => {
                if command == DataCommand::RefreshNow
                    && let Some(bridge) = bridge
                {
                    bridge.rearm();
                }
                let _ = self.commands.send(command);
            }
        }
    }
}

impl Drop for DataLayer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the jobs are started with.
struct Setup {
    clock: Arc<dyn Clock>,
    policy: RefreshPolicy,
    sink: EventSink,
    /// Metrics the Overview always shows.
    pinned: Vec<PinnedMetric>,
    /// The service level targets, or why there are none.
    slos: Result<Vec<crate::model::slo::Slo>, String>,
    /// Where an incident timeline's log groups come from.
    relations: Relations,
    /// The env and audit log changes need, or why there are none.
    audited: Result<(ResolvedEnv, AuditLog), String>,
    /// Where changes run.
    changes: Changes,
    runtime: tokio::runtime::Handle,
}

/// Every job of the layer, each behind its [`Mailbox`].
struct Jobs {
    watches: Arc<Watches>,
    alarms: Mailbox<AlarmsJob>,
    detail: Mailbox<DetailJob>,
    incident: Mailbox<IncidentJob>,
    handoff: Mailbox<HandoffJob>,
    tabs: TabJobs,
}

impl Jobs {
    /// The jobs, each posting its own events into `setup.sink` as the
    /// [`DataEvent`] that carries them.
    fn new(setup: Setup) -> Self {
        let sink = Arc::clone(&setup.sink);
        let watches = Arc::new(Watches::new(setup.pinned.clone()));
        Self {
            alarms: Mailbox::new(AlarmsJob::new(setup, Arc::clone(&watches))),
            watches,
            detail: Mailbox::new(DetailJob::new(mapped(&sink, |detail| {
                DataEvent::Detail(Box::new(detail))
            }))),
            incident: Mailbox::new(IncidentJob::new(mapped(&sink, |event| match event {
                IncidentEvent::Piece { alarm, piece } => DataEvent::Incident { alarm, piece },
                IncidentEvent::Failed { alarm, error } => {
                    DataEvent::IncidentFailed { alarm, error }
                }
            }))),
            handoff: Mailbox::new(HandoffJob::new(mapped(&sink, DataEvent::Handoff))),
            tabs: TabJobs::new(&sink),
        }
    }

    /// Hands `command` to its job.
    fn route(&mut self, command: DataCommand, link: &Link) {
        match command {
            DataCommand::RefreshNow => self.watches.wake(),
            DataCommand::Mutate(m) => self.alarms.deliver(AlarmsCommand::Mutate(m), link),
            DataCommand::OverviewVisible(v) => {
                self.alarms.deliver(AlarmsCommand::OverviewVisible(v), link)
            }
            DataCommand::Pin(metric) => self.alarms.deliver(AlarmsCommand::Pin(metric), link),
            DataCommand::LoadDetail { alarm, range } => self
                .detail
                .deliver(DetailCommand::Load { alarm, range }, link),
            DataCommand::CloseDetail => self.detail.deliver(DetailCommand::Close, link),
            DataCommand::LoadIncident(request) => {
                self.incident.deliver(IncidentCommand::Load(request), link)
            }
            DataCommand::CloseIncident => self.incident.deliver(IncidentCommand::Close, link),
            DataCommand::LoadHandoff { since } => self.handoff.deliver(since, link),
            DataCommand::Tab(command) => {
                if let Err(command) = self.tabs.route(command, link) {
                    debug_assert!(false, "no job serves the tab's request {command:?}");
                }
            }
            // Answered by `DataLayer::send` before it gets here.
            DataCommand::MfaAnswer { .. } => {}
        }
    }

    /// The session is up: every job starts and serves what it kept.
    fn connect(&mut self, ctx: &JobContext) {
        self.alarms.connect(ctx);
        self.detail.connect(ctx);
        self.incident.connect(ctx);
        self.handoff.connect(ctx);
        self.tabs.connect(ctx);
    }
}

/// Connects, retrying with backoff and saying so, then starts the jobs
/// and routes each command to its job until the layer is dropped. A
/// command that arrives before the session is there goes to its job's
/// mailbox, which has it answered or keeps it (see [`super::jobs`]); a
/// refresh asked for then tries to connect again at once.
async fn run(setup: Setup, connect: Connector, mut commands: mpsc::UnboundedReceiver<DataCommand>) {
    let (sink, clock, policy) = (
        Arc::clone(&setup.sink),
        Arc::clone(&setup.clock),
        setup.policy,
    );
    let runtime = setup.runtime.clone();
    let audit = setup.audited.as_ref().ok().map(|(_, audit)| audit.clone());
    let env = setup
        .audited
        .as_ref()
        .map_or(String::new(), |(env, _)| env.name.clone());
    let relations = setup.relations.clone();
    let mut jobs = Jobs::new(setup);
    let mut failures = 0;
    let session = loop {
        match connect().await {
            Ok(session) => break Arc::new(session),
            Err(e) => {
                failures += 1;
                let delay = policy.backoff.delay(failures);
                let now = clock.now();
                sink(DataEvent::Link(LinkState::Retrying {
                    attempt: failures,
                    retry_at: now.checked_add(delay).unwrap_or(now),
                    last_success: None,
                    error: format!("connecting: {e}"),
                }));
                let retry = tokio::time::sleep(delay);
                tokio::pin!(retry);
                loop {
                    tokio::select! {
                        _ = &mut retry => break,
                        command = commands.recv() => match command {
                            None => return,
                            Some(DataCommand::RefreshNow) => break,
                            Some(command) => jobs.route(command, &Link::Connecting(&e)),
                        },
                    }
                }
            }
        }
    };
    let ctx = JobContext {
        sources: Sources::new(session.reads.clone(), audit, relations),
        session,
        clock,
        runtime,
        interval: policy.interval,
        fetch_timeout: policy.fetch_timeout,
        alarms: jobs.watches.alarms.subscribe(),
        refresh: jobs.watches.refresh.subscribe(),
        env,
    };
    jobs.connect(&ctx);
    while let Some(command) = commands.recv().await {
        jobs.route(command, &Link::Up(&ctx));
    }
}

/// The env's targets, or why they cannot be read.
fn targets(env: &ResolvedEnv) -> Result<Vec<crate::model::slo::Slo>, String> {
    super::slo::targets_of(env).map_err(|e| e.to_string())
}

mod alarms;
#[cfg(test)]
mod tests;
