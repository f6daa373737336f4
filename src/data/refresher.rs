//! The background data jobs of one env. Once connected (retrying with
//! backoff when that fails), independent jobs run side by side, each on its
//! own cadence, each posting its own [`DataEvent`]s, so a slow or failing
//! one never delays another or marks its data stale:
//! - alarms: the alarm list every interval (and on request); it alone
//!   decides the link state; until the first list is in, the alarms in
//!   ALARM are asked for beside it and shown first;
//! - annotations: acks and silences, read after each new alarm list (the
//!   newest list replaces one still waiting), ending expired silences;
//! - flaps: the account's state changes of the last day, read once in one
//!   batched listing and then only what is new, on the interval
//!   ([`StateHistory`]);
//! - overview: the sparklines, only while they are on screen, asking only
//!   for periods that are new ([`OverviewStore`]);
//! - targets: the service level targets' budgets and burn rates, while
//!   the Overview is on screen, at most once a minute (`data::slo`);
//!
//! and, each in `data::jobs` behind the one [`Job`] trait: the open
//! alarm's detail, the incident timeline, the handoff, the CloudTrail
//! search, the dashboards, the Logs Insights run, the Logs tab and the
//! Metrics tab. This module connects, then routes each command to its job
//! ([`Jobs::route`]).
//!
//! Changes run on [`Changes`], outside these jobs: dropping the layer (quit,
//! env switch) stops the jobs but never a change.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::actions::AlarmActions;
use super::alarm_listing::alarm_first;
use super::annotations::{AnnotationCache, read_annotations};
use super::audit::AuditLog;
use super::backoff::Backoff;
use super::changes::Changes;
use super::connection::LinkState;
use super::events::{DataEvent, EventSink, Mutation};
use super::history::StateHistory;
use super::incident::{IncidentRequest, Relations, Sources};
use super::jobs::dashboard::{DASHBOARD, DashboardCommand, DashboardEvent, DashboardJob};
use super::jobs::detail::{DetailCommand, DetailJob};
use super::jobs::handoff::HandoffJob;
use super::jobs::incident::{IncidentCommand, IncidentEvent, IncidentJob};
use super::jobs::insights::{InsightsCommand, InsightsJob};
use super::jobs::logs::LogsJob;
use super::jobs::metrics::ExplorerJob;
use super::jobs::trail::{TrailJob, TrailRequest, TrailUpdate};
use super::jobs::{Job, JobContext, Link, Mailbox, Task, mapped, pause, within};
use super::mfa::MfaBridge;
use super::overview::OverviewStore;
use super::session::{Session, SessionConnect};
use crate::config::{PinnedMetric, ResolvedEnv};
use crate::model::{Alarm, Clock, alarm::sort_for_oncall};
use crate::provider::{FiringAlarms, ProviderError};

/// Builds the session, as often as connecting has to be retried.
pub type Connector = Arc<dyn Fn() -> SessionConnect + Send + Sync>;

/// Requests from the UI to the data layer.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Run a CloudTrail search (replacing one still running).
    TrailSearch(Box<TrailRequest>),
    /// A request of the Dashboards tab (see [`DashboardJob`]).
    Dashboard(DashboardCommand),
    /// Run a Logs Insights query (stopping the one still running), posting
    /// `DataEvent::Insights` tagged with `run`.
    RunInsights {
        /// The caller's number for this run.
        run: u64,
        /// What to run.
        ask: super::insights::InsightsAsk,
    },
    /// Stop the running Logs Insights query (StopQuery).
    CancelInsights,
    /// The Logs tab's groups and tail.
    Logs(super::logs_job::LogsCommand),
    /// The Metrics tab's listing and chart.
    Metrics(super::metrics_job::ExplorerCommand),
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

/// Names of the side fetches, as the UI shows them when they fail.
const ANNOTATIONS: &str = "acks and silences";
/// See [`ANNOTATIONS`].
const OVERVIEW: &str = "overview sparklines";
/// See [`ANNOTATIONS`].
const FLAPS: &str = "flapping counts";
/// See [`ANNOTATIONS`].
const TARGETS: &str = "service level targets";

/// The targets' burn rates move once a period (five minutes by default):
/// fetching them more often than this shows nothing new.
const TARGETS_REFRESH: Duration = Duration::from_secs(60);

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

/// The channels the alarm jobs and the other jobs share, there before
/// the session is.
struct Watches {
    /// The latest alarm list (`None` before the first fetch).
    alarms: watch::Sender<Option<Arc<Vec<Alarm>>>>,
    /// Whether the Overview is on screen.
    overview_visible: watch::Sender<bool>,
    /// Bumped to wake every job early (refresh asked for, change made).
    refresh: watch::Sender<u64>,
    /// The Overview's pinned metrics: the env's, then those pinned in the
    /// Metrics tab this session.
    pinned: watch::Sender<Vec<PinnedMetric>>,
}

impl Watches {
    /// Wakes every job now.
    fn wake(&self) {
        self.refresh.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Adds `metric` to the Overview's pinned metrics (once) and wakes the
    /// jobs so the Overview fetches it.
    fn pin(&self, metric: PinnedMetric) {
        let added = self.pinned.send_if_modified(|pinned| {
            let new = !pinned.contains(&metric);
            if new {
                pinned.push(metric);
            }
            new
        });
        if added {
            self.wake();
        }
    }
}

/// What the alarm jobs share once connected.
struct Alarms {
    setup: Setup,
    session: Arc<Session>,
    /// Alarm changes, or why they are off.
    actions: Result<Arc<AlarmActions>, String>,
    watches: Arc<Watches>,
    /// Tag reads kept between refreshes.
    annotation_cache: std::sync::Mutex<AnnotationCache>,
}

/// What the alarm jobs are asked for.
enum AlarmsCommand {
    /// See [`DataCommand::Mutate`].
    Mutate(Mutation),
    /// See [`DataCommand::OverviewVisible`].
    OverviewVisible(bool),
    /// See [`DataCommand::Pin`].
    Pin(PinnedMetric),
}

/// The alarm list and what hangs on it (annotations, flaps, the
/// Overview's sparklines and targets), and the changes: started once
/// connected.
struct AlarmsJob {
    /// What the jobs are started with, until they are.
    setup: Option<Setup>,
    sink: EventSink,
    watches: Arc<Watches>,
    /// Set once connected (before any command is served).
    alarms: Option<Arc<Alarms>>,
    tasks: Vec<Task>,
}

impl Job for AlarmsJob {
    type Command = AlarmsCommand;

    fn connected(&mut self, ctx: &JobContext) {
        let Some(setup) = self.setup.take() else {
            return;
        };
        let actions = setup.audited.clone().map(|(env, audit)| {
            Arc::new(AlarmActions::new(
                Arc::clone(&ctx.session),
                &env,
                Arc::clone(&setup.clock),
                audit,
            ))
        });
        let alarms = Arc::new(Alarms {
            setup,
            session: Arc::clone(&ctx.session),
            actions,
            watches: Arc::clone(&self.watches),
            annotation_cache: std::sync::Mutex::default(),
        });
        let mut start = |job: std::pin::Pin<Box<dyn Future<Output = ()> + Send>>| {
            let mut task = Task::default();
            task.start(&ctx.runtime, job);
            self.tasks.push(task);
        };
        start(Box::pin(Arc::clone(&alarms).alarms_job()));
        start(Box::pin(Arc::clone(&alarms).annotations_job()));
        start(Box::pin(Arc::clone(&alarms).overview_job()));
        start(Box::pin(Arc::clone(&alarms).flaps_job()));
        start(Box::pin(Arc::clone(&alarms).targets_job()));
        self.alarms = Some(alarms);
    }

    fn handle(&mut self, command: AlarmsCommand, _ctx: &JobContext) {
        match command {
            AlarmsCommand::Mutate(mutation) => {
                if let Some(alarms) = &self.alarms {
                    alarms.start_change(mutation);
                }
            }
            AlarmsCommand::OverviewVisible(visible) => {
                self.watches.overview_visible.send_replace(visible);
            }
            AlarmsCommand::Pin(metric) => self.watches.pin(metric),
        }
    }

    /// A change is answered with `why` (nothing is sent behind the
    /// person's back); what is on screen and pins are kept.
    fn unconnected(&mut self, command: AlarmsCommand, why: &str) -> Option<AlarmsCommand> {
        match command {
            AlarmsCommand::Mutate(mutation) => {
                (self.sink)(DataEvent::MutationDone {
                    mutation,
                    result: Err(format!("{why}; nothing was sent")),
                });
                None
            }
            kept => Some(kept),
        }
    }
}

/// Every job of the layer, each behind its [`Mailbox`].
struct Jobs {
    watches: Arc<Watches>,
    alarms: Mailbox<AlarmsJob>,
    detail: Mailbox<DetailJob>,
    incident: Mailbox<IncidentJob>,
    handoff: Mailbox<HandoffJob>,
    trail: Mailbox<TrailJob>,
    dashboards: Mailbox<DashboardJob>,
    insights: Mailbox<InsightsJob>,
    logs: Mailbox<LogsJob>,
    metrics: Mailbox<ExplorerJob>,
}

impl Jobs {
    /// The jobs, each posting its own events into `setup.sink` as the
    /// [`DataEvent`] that carries them.
    fn new(setup: Setup) -> Self {
        let sink = Arc::clone(&setup.sink);
        let watches = Arc::new(Watches {
            alarms: watch::Sender::new(None),
            overview_visible: watch::Sender::new(false),
            refresh: watch::Sender::new(0),
            pinned: watch::Sender::new(setup.pinned.clone()),
        });
        Self {
            alarms: Mailbox::new(AlarmsJob {
                setup: Some(setup),
                sink: Arc::clone(&sink),
                watches: Arc::clone(&watches),
                alarms: None,
                tasks: Vec::new(),
            }),
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
            trail: Mailbox::new(TrailJob::new(mapped(&sink, |u: TrailUpdate| {
                DataEvent::Trail {
                    id: u.id,
                    status: u.status,
                }
            }))),
            dashboards: Mailbox::new(DashboardJob::new(mapped(&sink, |event| match event {
                DashboardEvent::List(list) => DataEvent::DashboardList(list),
                DashboardEvent::Frame(frame) => DataEvent::Dashboard(frame),
                DashboardEvent::Degraded(error) => DataEvent::Degraded {
                    what: DASHBOARD,
                    error,
                },
            }))),
            insights: Mailbox::new(InsightsJob::new(mapped(&sink, DataEvent::Insights))),
            logs: Mailbox::new(LogsJob::new(mapped(&sink, DataEvent::Logs))),
            metrics: Mailbox::new(ExplorerJob::new(mapped(&sink, DataEvent::Metrics))),
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
            DataCommand::TrailSearch(request) => self.trail.deliver(*request, link),
            DataCommand::Dashboard(c) => self.dashboards.deliver(c, link),
            DataCommand::RunInsights { run, ask } => self
                .insights
                .deliver(InsightsCommand::Run { run, ask }, link),
            DataCommand::CancelInsights => self.insights.deliver(InsightsCommand::Cancel, link),
            DataCommand::Logs(c) => self.logs.deliver(c, link),
            DataCommand::Metrics(c) => self.metrics.deliver(c, link),
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
        self.trail.connect(ctx);
        self.dashboards.connect(ctx);
        self.insights.connect(ctx);
        self.logs.connect(ctx);
        self.metrics.connect(ctx);
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

/// Consecutive failures and the last good fetch, for the link state.
#[derive(Default)]
struct Health {
    failures: u32,
    last_success: Option<jiff::Timestamp>,
}

impl Alarms {
    fn post(&self, event: DataEvent) {
        (self.setup.sink)(event)
    }

    /// Runs `fut` with the fetch timeout.
    async fn timed<T>(
        &self,
        operation: &str,
        fut: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, ProviderError> {
        within(self.setup.policy.fetch_timeout, operation, fut).await
    }

    /// The alarm list on the env's interval; the only job that sets the
    /// link state.
    async fn alarms_job(self: Arc<Self>) {
        let mut identity_known = false;
        let mut health = Health::default();
        let mut woken = self.watches.refresh.subscribe();
        loop {
            if !identity_known {
                identity_known = self.fetch_identity().await;
            }
            let wait = match self.fetch_alarms(&mut health).await {
                true => self.setup.policy.interval,
                false => self.setup.policy.backoff.delay(health.failures),
            };
            pause(wait, &mut woken).await;
        }
    }

    async fn fetch_identity(&self) -> bool {
        let identity = &self.session.reads.identity;
        match self
            .timed("GetCallerIdentity", identity.caller_identity())
            .await
        {
            Ok(identity) => {
                self.post(DataEvent::Identity(identity));
                true
            }
            Err(_) => false,
        }
    }

    /// Fetches and posts the alarms; `false` (and a retrying link) on failure.
    /// Until the first full list is in, the alarms in ALARM are asked for
    /// side by side with it and posted first if they come first.
    async fn fetch_alarms(&self, health: &mut Health) -> bool {
        let clock = &self.setup.clock;
        let alarms = self.session.reads.alarms.as_ref();
        let list = async {
            if health.last_success.is_some() {
                return alarms.list_alarms().await;
            }
            alarm_first(alarms, |first| self.post_firing(first), &mut |_| {}).await
        };
        match self.timed("DescribeAlarms", list).await {
            Ok(mut alarms) => {
                sort_for_oncall(&mut alarms);
                let alarms = Arc::new(alarms);
                let now = clock.now();
                health.last_success = Some(now);
                health.failures = 0;
                self.post(DataEvent::Alarms {
                    alarms: Arc::clone(&alarms),
                    fetched_at: now,
                });
                self.post(DataEvent::Link(LinkState::Live { at: now }));
                self.watches.alarms.send_replace(Some(alarms));
                true
            }
            Err(e) => {
                health.failures += 1;
                let delay = self.setup.policy.backoff.delay(health.failures);
                let retry_at = clock.now().checked_add(delay).unwrap_or(clock.now());
                self.post(DataEvent::Link(LinkState::Retrying {
                    attempt: health.failures,
                    retry_at,
                    last_success: health.last_success,
                    error: e.to_string(),
                }));
                false
            }
        }
    }

    /// Posts the alarms in ALARM that came before the first full list
    /// (none in ALARM: nothing to show first, and no all-clear either).
    fn post_firing(&self, first: FiringAlarms) {
        if first.alarms.is_empty() {
            return;
        }
        self.post(DataEvent::FiringFirst {
            alarms: Arc::new(first.alarms),
            all: first.all,
            fetched_at: self.setup.clock.now(),
        });
    }

    /// Acks and silences after every new alarm list; a list that arrives
    /// while a read runs waits, and a newer one replaces it.
    async fn annotations_job(self: Arc<Self>) {
        let mut lists = self.watches.alarms.subscribe();
        // A list posted before this job subscribed still needs reading.
        lists.mark_changed();
        while lists.changed().await.is_ok() {
            let Some(alarms) = lists.borrow_and_update().clone() else {
                continue;
            };
            match self.annotations(&alarms).await {
                Ok(annotations) => {
                    self.post(DataEvent::Annotations(Arc::new(annotations)));
                    self.degraded(ANNOTATIONS, None);
                }
                Err(e) => self.degraded(ANNOTATIONS, Some(e)),
            }
        }
    }

    /// The Overview's sparklines while they are on screen, refreshed on
    /// the interval with only the new periods asked for.
    async fn overview_job(self: Arc<Self>) {
        let mut visible = self.watches.overview_visible.subscribe();
        let mut lists = self.watches.alarms.subscribe();
        let mut store = OverviewStore::default();
        let mut woken = self.watches.refresh.subscribe();
        loop {
            if visible.wait_for(|v| *v).await.is_err() {
                return;
            }
            let Ok(alarms) = lists.wait_for(Option::is_some).await.map(|a| a.clone()) else {
                return;
            };
            let alarms = alarms.unwrap_or_default();
            woken.mark_unchanged();
            let pinned = self.watches.pinned.borrow().clone();
            let refresh = store.refresh(
                self.session.reads.metrics.as_ref(),
                &alarms,
                &pinned,
                self.setup.clock.now(),
            );
            match self.timed("GetMetricData", refresh).await {
                Ok(Some(series)) => {
                    self.post(DataEvent::Overview(Arc::new(series)));
                    self.degraded(OVERVIEW, None);
                }
                Ok(None) => self.degraded(OVERVIEW, None),
                Err(e) => self.degraded(OVERVIEW, Some(e)),
            }
            tokio::select! {
                _ = pause(self.setup.policy.interval, &mut woken) => {}
                _ = visible.changed() => {}
            }
        }
    }

    /// The flapping counts on the interval: the day's state changes read
    /// once, then only what is new.
    async fn flaps_job(self: Arc<Self>) {
        let mut history = StateHistory::default();
        let mut woken = self.watches.refresh.subscribe();
        loop {
            let now = self.setup.clock.now();
            let read = history.refresh(self.session.reads.alarms.as_ref(), now);
            match self.timed("DescribeAlarmHistory", read).await {
                Ok(()) => {
                    self.post(DataEvent::Flaps(Arc::new(history.flap_counts(now))));
                    self.degraded(FLAPS, None);
                }
                Err(e) => self.degraded(FLAPS, Some(e)),
            }
            pause(self.setup.policy.interval, &mut woken).await;
        }
    }

    /// The targets' budgets and burn rates while the Overview is on
    /// screen: one GetMetricData call for all of them, every
    /// [`TARGETS_REFRESH`] (or the env's interval, if longer).
    async fn targets_job(self: Arc<Self>) {
        let slos = match &self.setup.slos {
            Ok(slos) if slos.is_empty() => return,
            Ok(slos) => slos.clone(),
            Err(e) => {
                tracing::warn!("{TARGETS}: {e}");
                self.post(DataEvent::Degraded {
                    what: TARGETS,
                    error: Some(e.clone()),
                });
                return;
            }
        };
        let mut visible = self.watches.overview_visible.subscribe();
        let mut woken = self.watches.refresh.subscribe();
        loop {
            if visible.wait_for(|v| *v).await.is_err() {
                return;
            }
            woken.mark_unchanged();
            let fetch = super::slo::statuses(
                self.session.reads.metrics.as_ref(),
                &slos,
                self.setup.clock.now(),
            );
            match self.timed("GetMetricData", fetch).await {
                Ok(statuses) => {
                    self.post(DataEvent::Slos(Arc::new(statuses)));
                    self.degraded(TARGETS, None);
                }
                Err(e) => self.degraded(TARGETS, Some(e)),
            }
            let wait = TARGETS_REFRESH.max(self.setup.policy.interval);
            pause(wait, &mut woken).await;
        }
    }

    /// Tells the UI (and the log) whether a side fetch works.
    fn degraded(&self, what: &'static str, error: Option<ProviderError>) {
        if let Some(e) = &error {
            tracing::warn!("{what}: {e}");
        }
        self.post(DataEvent::Degraded {
            what,
            error: error.map(|e| e.to_string()),
        });
    }

    /// Reads the annotations; if an expired silence was ended, reads them
    /// again so the UI sees the result at once. Read-only envs skip the
    /// reconcile (it would only be refused).
    async fn annotations(
        &self,
        alarms: &[Alarm],
    ) -> Result<std::collections::BTreeMap<String, super::Annotation>, ProviderError> {
        let reads = &self.session.reads;
        let muted = self
            .timed("ListAlarmMuteRules", reads.alarms.active_mute_rules())
            .await?;
        let read = || async {
            let due = self.cache().due(alarms, muted.as_ref());
            let fresh = self
                .timed("ListTagsForResource", read_annotations(reads, &due.alarms))
                .await?;
            let mut cache = self.cache();
            cache.update(fresh, &due);
            Ok::<_, ProviderError>(cache.current())
        };
        let annotations = read().await?;
        let Ok(actions) = &self.actions else {
            return Ok(annotations);
        };
        if self.session.is_read_only() {
            return Ok(annotations);
        }
        let reconciled = actions.reconcile_with(alarms, &annotations).await;
        if reconciled.ended.is_empty() {
            return Ok(annotations);
        }
        for result in &reconciled.ended {
            match result {
                Ok(done) => tracing::info!("{done}"),
                Err(e) => tracing::warn!("ending an expired silence: {e}"),
            }
        }
        let now = self.setup.clock.now();
        for (name, annotation) in &annotations {
            if annotation.own_silence().is_some_and(|s| s.is_expired(now)) {
                self.cache().mark_changed(name);
            }
        }
        read().await
    }

    /// The tag-read cache (a poisoned lock still holds usable reads).
    fn cache(&self) -> std::sync::MutexGuard<'_, AnnotationCache> {
        self.annotation_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts one change on [`Changes`] (outside the jobs, so quitting or
    /// switching env does not cut it short); posts its outcome and
    /// refreshes at once, reading the changed alarm's tags again.
    fn start_change(self: &Arc<Self>, mutation: Mutation) {
        let actions = match &self.actions {
            Ok(actions) => Arc::clone(actions),
            Err(why) => {
                self.post(DataEvent::MutationDone {
                    mutation,
                    result: Err(why.clone()),
                });
                return;
            }
        };
        let on_abandon = actions.abandon_record(&mutation);
        let job = Arc::clone(self);
        let change = async move {
            let result = actions.run(&mutation).await.map_err(|e| e.to_string());
            job.cache().mark_changed(mutation.alarm());
            job.post(DataEvent::MutationDone { mutation, result });
            job.watches.wake();
        };
        self.setup
            .changes
            .spawn(&self.setup.runtime, change, on_abandon);
    }
}

#[cfg(test)]
mod tests;
