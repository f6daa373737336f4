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
//! - detail: the open alarm's chart and history;
//! - dashboards: the list and the open dashboard ([`DashboardJob`]);
//! - insights: the query view's Logs Insights run (`data::insights`);
//! - metrics: the Metrics tab's listing and chart (`data::metrics_job`).
//!
//! Changes run on [`Changes`], outside these jobs: dropping the layer (quit,
//! env switch) stops the jobs but never a change.

use super::incident::{IncidentRequest, Relations, Sources, gather};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};

use super::actions::AlarmActions;
use super::alarm_listing::alarm_first;
use super::annotations::{AnnotationCache, read_annotations};
use super::audit::AuditLog;
use super::backoff::Backoff;
use super::changes::Changes;
use super::connection::LinkState;
use super::dashboard_job::{DashboardCommand, DashboardJob};
use super::detail::load_detail;
use super::events::{DataEvent, EventSink, Mutation};
use super::history::StateHistory;
use super::insights::{InsightsJob, InsightsSource, InsightsUpdate, RunState};
use super::metrics_job::{ExplorerCommand, ExplorerEvent, ExplorerJob};
use super::mfa::MfaBridge;
use super::overview::OverviewStore;
use super::session::{Session, SessionConnect};
use super::trail_job::{self, TrailRequest, TrailStatus};
use super::trail_search::LiveTrailSearch;
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

/// What the jobs share once connected.
struct Job {
    setup: Setup,
    session: Arc<Session>,
    /// Alarm changes, or why they are off.
    actions: Result<Arc<AlarmActions>, String>,
    /// The latest alarm list (`None` before the first fetch).
    alarms: watch::Sender<Option<Arc<Vec<Alarm>>>>,
    /// Whether the Overview is on screen.
    overview_visible: watch::Sender<bool>,
    /// Bumped to wake every job early (refresh asked for, change made).
    refresh_now: watch::Sender<u64>,
    /// The Overview's pinned metrics: the env's, then those pinned in the
    /// Metrics tab this session.
    pinned: watch::Sender<Vec<PinnedMetric>>,
    /// Tag reads kept between refreshes.
    annotation_cache: std::sync::Mutex<AnnotationCache>,
}

/// How often an open timeline of an ongoing episode is gathered again.
const INCIDENT_REFRESH: Duration = Duration::from_secs(30);

/// Connects, retrying with backoff and saying so, then runs the jobs and
/// serves commands until the layer is dropped.
///
/// The rule for commands that arrive before the session is there: a
/// request someone waits on to finish (a change, a search, a query, a
/// handoff, a metric listing) is answered at once with the connection's
/// error, so nothing is sent late behind the person's back; every other
/// command (a view opened or closed, what is on screen, a pin, a refresh)
/// is kept, in order, and served once connected.
async fn run(setup: Setup, connect: Connector, mut commands: mpsc::UnboundedReceiver<DataCommand>) {
    let mut waiting = std::collections::VecDeque::new();
    let mut failures = 0;
    let session = loop {
        match connect().await {
            Ok(session) => break Arc::new(session),
            Err(e) => {
                failures += 1;
                let delay = setup.policy.backoff.delay(failures);
                let now = setup.clock.now();
                (setup.sink)(DataEvent::Link(LinkState::Retrying {
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
                            Some(command) => {
                                if let Some(kept) = refuse_unconnected(command, &e, &setup.sink) {
                                    keep(&mut waiting, kept);
                                }
                            }
                        },
                    }
                }
            }
        }
    };
    let actions = setup.audited.clone().map(|(env, audit)| {
        Arc::new(AlarmActions::new(
            Arc::clone(&session),
            &env,
            Arc::clone(&setup.clock),
            audit,
        ))
    });
    let job = Arc::new(Job {
        pinned: watch::Sender::new(setup.pinned.clone()),
        setup,
        session,
        actions,
        alarms: watch::Sender::new(None),
        overview_visible: watch::Sender::new(false),
        refresh_now: watch::Sender::new(0),
        annotation_cache: std::sync::Mutex::default(),
    });
    let mut tasks = JoinSet::new();
    tasks.spawn(Arc::clone(&job).alarms_job());
    tasks.spawn(Arc::clone(&job).annotations_job());
    tasks.spawn(Arc::clone(&job).overview_job());
    tasks.spawn(Arc::clone(&job).flaps_job());
    tasks.spawn(Arc::clone(&job).targets_job());
    let (dashboards, dashboard_rx) = mpsc::unbounded_channel();
    let dashboard_job = DashboardJob {
        reads: job.session.reads.clone(),
        clock: Arc::clone(&job.setup.clock),
        sink: Arc::clone(&job.setup.sink),
        timeout: job.setup.policy.fetch_timeout,
    };
    tasks.spawn(dashboard_job.run(dashboard_rx, job.refresh_now.subscribe()));
    let mut detail: Option<AbortHandle> = None;
    let trail_searcher = Arc::new(LiveTrailSearch::new(
        Arc::clone(&job.session.reads.trail),
        trail_job::tab_options(),
    ));
    let mut trail_search: Option<AbortHandle> = None;
    let mut insights = InsightsJob::default();
    let mut incident: Option<AbortHandle> = None;
    let mut handoff: Option<AbortHandle> = None;
    let mut logs = super::logs_job::LogsJob::default();
    let mut explorer = ExplorerJob::default();
    loop {
        let command = match waiting.pop_front() {
            Some(kept) => Some(kept),
            None => tokio::select! {
                command = commands.recv() => command,
                Some(_) = tasks.join_next() => continue,
            },
        };
        match command {
            None => return,
            Some(DataCommand::RefreshNow) => job.wake(),
            Some(DataCommand::LoadDetail { alarm, range }) => {
                if let Some(old) = detail.take() {
                    old.abort();
                }
                detail = Some(tasks.spawn(Arc::clone(&job).detail_job(alarm, range)));
            }
            Some(DataCommand::CloseDetail) => {
                if let Some(old) = detail.take() {
                    old.abort();
                }
            }
            Some(DataCommand::LoadIncident(request)) => {
                if let Some(old) = incident.take() {
                    old.abort();
                }
                incident = Some(tasks.spawn(Arc::clone(&job).incident_job(request)));
            }
            Some(DataCommand::CloseIncident) => {
                if let Some(old) = incident.take() {
                    old.abort();
                }
            }
            Some(DataCommand::LoadHandoff { since }) => {
                if let Some(old) = handoff.take() {
                    old.abort();
                }
                handoff = Some(tasks.spawn(Arc::clone(&job).handoff_job(since)));
            }
            Some(DataCommand::Mutate(mutation)) => job.start_change(mutation),
            Some(DataCommand::OverviewVisible(visible)) => {
                job.overview_visible.send_replace(visible);
            }
            Some(DataCommand::TrailSearch(request)) => {
                if let Some(old) = trail_search.take() {
                    old.abort();
                }
                let search = trail_job::run_search(
                    Arc::clone(&trail_searcher),
                    *request,
                    job.setup.clock.now(),
                    Arc::clone(&job.setup.sink),
                );
                trail_search = Some(tasks.spawn(search));
            }
            Some(DataCommand::Dashboard(c)) => {
                let _ = dashboards.send(c);
            }
            Some(DataCommand::RunInsights { run, ask }) => insights.start(
                &job.setup.runtime,
                InsightsSource::of(&job.session.reads, Arc::clone(&job.setup.clock)),
                (run, ask),
                Arc::clone(&job.setup.sink),
            ),
            Some(DataCommand::CancelInsights) => insights.cancel(),
            Some(DataCommand::Logs(command)) => logs.handle(
                command,
                &job.session,
                &job.setup.clock,
                &job.setup.sink,
                &job.setup.runtime,
            ),
            Some(DataCommand::Metrics(command)) => explorer.handle(
                command,
                &job.session.reads.metrics,
                &job.setup.clock,
                &job.setup.sink,
                &job.setup.runtime,
                job.setup.policy.fetch_timeout,
            ),
            Some(DataCommand::Pin(metric)) => job.pin(metric),
            // Answered by `DataLayer::send` before it gets here.
            Some(DataCommand::MfaAnswer { .. }) => {}
        }
    }
}

/// Keeps `command` until connected; a detail or incident view opened or
/// closed replaces the one opened before it, which is then never loaded.
fn keep(waiting: &mut std::collections::VecDeque<DataCommand>, command: DataCommand) {
    match &command {
        DataCommand::LoadDetail { .. } | DataCommand::CloseDetail => {
            waiting.retain(|c| !matches!(c, DataCommand::LoadDetail { .. }));
        }
        DataCommand::LoadIncident(_) | DataCommand::CloseIncident => {
            waiting.retain(|c| !matches!(c, DataCommand::LoadIncident(_)));
        }
        _ => {}
    }
    waiting.push_back(command);
}

/// Before the session is there: answers a request someone waits on with
/// the connection's `error` (nothing is sent), or hands the command back
/// to be kept until connected (see [`run`]).
fn refuse_unconnected(
    command: DataCommand,
    error: &ProviderError,
    sink: &EventSink,
) -> Option<DataCommand> {
    let why = format!("not connected yet: {error}");
    match command {
        DataCommand::Mutate(mutation) => sink(DataEvent::MutationDone {
            mutation,
            result: Err(format!("{why}; nothing was sent")),
        }),
        DataCommand::TrailSearch(r) => sink(DataEvent::Trail {
            id: r.id,
            status: TrailStatus::Failed(why),
        }),
        DataCommand::RunInsights { run, .. } => sink(DataEvent::Insights(InsightsUpdate {
            run,
            state: RunState::Failed(why),
        })),
        DataCommand::LoadHandoff { .. } => sink(DataEvent::Handoff(Err(why))),
        DataCommand::Metrics(ExplorerCommand::List { id }) => {
            sink(DataEvent::Metrics(ExplorerEvent::Listed {
                id,
                result: Err(why),
            }));
        }
        kept => return Some(kept),
    }
    None
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

impl Job {
    fn post(&self, event: DataEvent) {
        (self.setup.sink)(event)
    }

    /// Runs `fut` with the fetch timeout.
    async fn timed<T>(
        &self,
        operation: &str,
        fut: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, ProviderError> {
        let limit = self.setup.policy.fetch_timeout;
        tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| {
            Err(ProviderError::Network {
                operation: operation.into(),
                message: format!("no answer within {limit:?}"),
            })
        })
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

    /// Wakes every job now.
    fn wake(&self) {
        self.refresh_now.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Sleeps `wait`, or less if a refresh is asked for (also one asked
    /// for while the caller was busy).
    async fn pause(&self, wait: Duration, woken: &mut watch::Receiver<u64>) {
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = woken.changed() => {}
        }
        woken.mark_unchanged();
    }

    /// The alarm list on the env's interval; the only job that sets the
    /// link state.
    async fn alarms_job(self: Arc<Self>) {
        let mut identity_known = false;
        let mut health = Health::default();
        let mut woken = self.refresh_now.subscribe();
        loop {
            if !identity_known {
                identity_known = self.fetch_identity().await;
            }
            let wait = match self.fetch_alarms(&mut health).await {
                true => self.setup.policy.interval,
                false => self.setup.policy.backoff.delay(health.failures),
            };
            self.pause(wait, &mut woken).await;
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
                self.alarms.send_replace(Some(alarms));
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
        let mut lists = self.alarms.subscribe();
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
        let mut visible = self.overview_visible.subscribe();
        let mut lists = self.alarms.subscribe();
        let mut store = OverviewStore::default();
        let mut woken = self.refresh_now.subscribe();
        loop {
            if visible.wait_for(|v| *v).await.is_err() {
                return;
            }
            let Ok(alarms) = lists.wait_for(Option::is_some).await.map(|a| a.clone()) else {
                return;
            };
            let alarms = alarms.unwrap_or_default();
            woken.mark_unchanged();
            let pinned = self.pinned.borrow().clone();
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
                _ = self.pause(self.setup.policy.interval, &mut woken) => {}
                _ = visible.changed() => {}
            }
        }
    }

    /// The flapping counts on the interval: the day's state changes read
    /// once, then only what is new.
    async fn flaps_job(self: Arc<Self>) {
        let mut history = StateHistory::default();
        let mut woken = self.refresh_now.subscribe();
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
            self.pause(self.setup.policy.interval, &mut woken).await;
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
        let mut visible = self.overview_visible.subscribe();
        let mut woken = self.refresh_now.subscribe();
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
            self.pause(wait, &mut woken).await;
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

    /// Keeps posting the detail of `name` until aborted.
    async fn detail_job(self: Arc<Self>, name: String, range: Duration) {
        let mut alarms = self.alarms.subscribe();
        let mut woken = self.refresh_now.subscribe();
        loop {
            let loaded = alarms.wait_for(Option::is_some).await.ok().and_then(|a| {
                a.as_ref()
                    .and_then(|list| list.iter().find(|x| x.name == name).cloned())
            });
            let detail = match loaded {
                Some(alarm) => {
                    load_detail(&self.session.reads, &alarm, range, self.setup.clock.now()).await
                }
                None => super::AlarmDetail {
                    alarm: name.clone(),
                    range: crate::model::TimeRange {
                        start: self.setup.clock.now(),
                        end: self.setup.clock.now(),
                    },
                    series: None,
                    band: None,
                    history: Vec::new(),
                    error: Some(format!("no alarm named '{name}'")),
                    explanation: None,
                },
            };
            self.post(DataEvent::Detail(Box::new(detail)));
            self.pause(self.setup.policy.interval, &mut woken).await;
        }
    }

    /// Gathers the timeline of `request`, posting each piece as it
    /// arrives, and again every [`INCIDENT_REFRESH`] while it follows the
    /// alarm's current episode (no fixed window), until aborted.
    async fn incident_job(self: Arc<Self>, request: IncidentRequest) {
        let sources = self.sources();
        let mut woken = self.refresh_now.subscribe();
        loop {
            let sink = |piece| {
                self.post(DataEvent::Incident {
                    alarm: request.alarm.clone(),
                    piece: Box::new(piece),
                })
            };
            if let Err(e) = gather(&sources, &request, self.setup.clock.now(), &sink).await {
                self.post(DataEvent::IncidentFailed {
                    alarm: request.alarm.clone(),
                    error: e.to_string(),
                });
            }
            if request.window.is_some() {
                return;
            }
            self.pause(INCIDENT_REFRESH.max(self.setup.policy.interval), &mut woken)
                .await;
        }
    }

    /// Gathers the handoff of the last `since` once and posts it.
    async fn handoff_job(self: Arc<Self>, since: jiff::SignedDuration) {
        let sources = self.sources();
        let now = self.setup.clock.now();
        let window = crate::model::TimeRange {
            start: now.checked_sub(since).unwrap_or(now),
            end: now,
        };
        let env = self
            .setup
            .audited
            .as_ref()
            .map_or(String::new(), |(env, _)| env.name.clone());
        let gathered = super::handoff::gather(&sources, &env, window, now).await;
        self.post(DataEvent::Handoff(
            gathered.map(Arc::new).map_err(|e| e.to_string()),
        ));
    }

    /// What the incident timeline and the handoff read: the account, the
    /// audit log, the related log groups.
    fn sources(&self) -> Sources {
        Sources::new(
            self.session.reads.clone(),
            self.setup
                .audited
                .as_ref()
                .ok()
                .map(|(_, audit)| audit.clone()),
            self.setup.relations.clone(),
        )
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
            job.wake();
        };
        self.setup
            .changes
            .spawn(&self.setup.runtime, change, on_abandon);
    }
}

#[cfg(test)]
mod tests;
