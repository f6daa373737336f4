//! The background data job: connects, then on the env's interval fetches
//! alarms, their annotations and the Overview series, ends expired
//! silences, keeps an open alarm detail fresh, and runs the mutations the
//! UI asks for on their own tasks (never behind a slow refresh). Results
//! are posted as [`DataEvent`]s; the UI never awaits any of it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};

use super::actions::AlarmActions;
use super::annotations::{AnnotationCache, read_annotations};
use super::audit::AuditLog;
use super::backoff::Backoff;
use super::connection::LinkState;
use super::detail::load_detail;
use super::events::{DataEvent, EventSink, Mutation};
use super::overview::fetch_overview;
use crate::config::{PinnedMetric, ResolvedEnv};
use crate::model::{Alarm, Clock, alarm::sort_for_oncall};
use crate::provider::{Provider, ProviderError};

/// Builds the provider in the background (building AWS clients can read
/// files and probe metadata endpoints, which the UI must not wait for).
pub type ProviderConnect =
    Pin<Box<dyn Future<Output = Result<Arc<dyn Provider>, ProviderError>> + Send>>;

/// Requests from the UI to the data layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataCommand {
    /// Fetch now instead of waiting for the interval.
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
    /// Change an alarm (ack, silence, test...).
    Mutate(Mutation),
    /// Whether the Overview's sparklines are on screen: its series are
    /// fetched only while they are (GetMetricData is billed per metric).
    OverviewVisible(bool),
}

/// Settings of the refresh job.
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

/// Handle to the running background job; dropping it stops the job and
/// everything it spawned.
#[derive(Debug)]
pub struct DataLayer {
    commands: mpsc::UnboundedSender<DataCommand>,
    task: JoinHandle<()>,
}

/// Names of the side fetches, as the UI shows them when they fail.
const ANNOTATIONS: &str = "acks and silences";
/// See [`ANNOTATIONS`].
const OVERVIEW: &str = "overview sparklines";

/// Everything a full job needs besides the provider: the env (name, SNS
/// topic, pinned metrics, read-only), the policy and the audit log.
#[derive(Debug, Clone)]
pub struct JobConfig {
    /// The environment.
    pub env: ResolvedEnv,
    /// Refresh timing.
    pub policy: RefreshPolicy,
    /// Where mutations are recorded.
    pub audit: AuditLog,
}

impl DataLayer {
    /// Starts the job for `env` on `runtime`: the env's provider (read-only
    /// when the env says so), its refresh interval and pinned metrics, and
    /// the default audit log. Events go to `sink`.
    pub fn for_env(
        runtime: &tokio::runtime::Handle,
        env: &ResolvedEnv,
        clock: Arc<dyn Clock>,
        sink: EventSink,
    ) -> Self {
        let connect = super::guard::connect(env.clone(), Arc::clone(&clock));
        let setup = Setup {
            pinned: env.pinned_metrics.clone(),
            policy: RefreshPolicy::every(env.refresh),
            changes: AuditLog::default_location()
                .map(|audit| (env.clone(), audit))
                .map_err(|e| format!("changes are off: {e}")),
            clock,
            sink,
        };
        Self::spawn(runtime, setup, connect)
    }

    /// Starts a full job with an explicit provider and configuration.
    pub fn start_with(
        runtime: &tokio::runtime::Handle,
        config: JobConfig,
        connect: ProviderConnect,
        clock: Arc<dyn Clock>,
        sink: EventSink,
    ) -> Self {
        let setup = Setup {
            pinned: config.env.pinned_metrics.clone(),
            policy: config.policy,
            changes: Ok((config.env, config.audit)),
            clock,
            sink,
        };
        Self::spawn(runtime, setup, connect)
    }

    fn spawn(runtime: &tokio::runtime::Handle, setup: Setup, connect: ProviderConnect) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = runtime.spawn(run(setup, connect, rx));
        Self { commands: tx, task }
    }

    /// Sends a request to the job; ignored if the job has stopped.
    pub fn send(&self, command: DataCommand) {
        let _ = self.commands.send(command);
    }
}

impl Drop for DataLayer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the job is started with.
struct Setup {
    clock: Arc<dyn Clock>,
    policy: RefreshPolicy,
    sink: EventSink,
    /// Metrics the Overview always shows.
    pinned: Vec<PinnedMetric>,
    /// The env and audit log mutations need, or why there are none.
    changes: Result<(ResolvedEnv, AuditLog), String>,
}

/// What the job's tasks share once connected.
struct Job {
    setup: Setup,
    provider: Arc<dyn Provider>,
    /// Alarm changes, or why they are off.
    actions: Result<AlarmActions, String>,
    /// Whether expired silences are ended by this job (not when read-only).
    reconciles: bool,
    /// The latest alarm list (`None` before the first fetch).
    alarms: watch::Sender<Option<Arc<Vec<Alarm>>>>,
    /// Wakes the refresh loop early.
    refresh_now: Notify,
    /// Tag reads kept between refreshes.
    annotation_cache: std::sync::Mutex<AnnotationCache>,
}

async fn run(
    setup: Setup,
    connect: ProviderConnect,
    mut commands: mpsc::UnboundedReceiver<DataCommand>,
) {
    let provider = match connect.await {
        Ok(provider) => provider,
        Err(e) => {
            // Connecting fails only on local setup (bad profile, bad
            // endpoint): the error is shown and the job stays idle.
            (setup.sink)(DataEvent::Link(LinkState::Retrying {
                attempt: 1,
                retry_at: setup.clock.now(),
                last_success: None,
                error: e.to_string(),
            }));
            return;
        }
    };
    let reconciles = matches!(&setup.changes, Ok((env, _)) if !env.read_only);
    let actions = setup.changes.clone().map(|(env, audit)| {
        AlarmActions::new(Arc::clone(&provider), &env, Arc::clone(&setup.clock), audit)
    });
    let job = Arc::new(Job {
        setup,
        provider,
        actions,
        reconciles,
        alarms: watch::Sender::new(None),
        refresh_now: Notify::new(),
        annotation_cache: std::sync::Mutex::default(),
    });
    let mut tasks = JoinSet::new();
    tasks.spawn(Arc::clone(&job).refresh_loop());
    let mut detail: Option<AbortHandle> = None;
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                None => return,
                Some(DataCommand::RefreshNow) => job.refresh_now.notify_one(),
                Some(DataCommand::LoadDetail { alarm, range }) => {
                    if let Some(old) = detail.take() {
                        old.abort();
                    }
                    detail = Some(tasks.spawn(Arc::clone(&job).detail_loop(alarm, range)));
                }
                Some(DataCommand::CloseDetail) => {
                    if let Some(old) = detail.take() {
                        old.abort();
                    }
                }
                Some(DataCommand::Mutate(mutation)) => {
                    tasks.spawn(Arc::clone(&job).mutate(mutation));
                }
                Some(DataCommand::OverviewVisible(_)) => {}
            },
            Some(_) = tasks.join_next() => {}
        }
    }
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

    async fn refresh_loop(self: Arc<Self>) {
        let mut identity_known = false;
        let mut health = Health::default();
        loop {
            if !identity_known {
                identity_known = self.fetch_identity().await;
            }
            let wait = match self.fetch_alarms(&mut health).await {
                Some(alarms) => {
                    self.after_alarms(&alarms).await;
                    self.setup.policy.interval
                }
                None => self.setup.policy.backoff.delay(health.failures),
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.refresh_now.notified() => {}
            }
        }
    }

    async fn fetch_identity(&self) -> bool {
        match self
            .timed("GetCallerIdentity", self.provider.caller_identity())
            .await
        {
            Ok(identity) => {
                self.post(DataEvent::Identity(identity));
                true
            }
            Err(_) => false,
        }
    }

    /// Fetches and posts the alarms; `None` (and a retrying link) on failure.
    async fn fetch_alarms(&self, health: &mut Health) -> Option<Arc<Vec<Alarm>>> {
        let clock = &self.setup.clock;
        match self
            .timed("DescribeAlarms", self.provider.list_alarms())
            .await
        {
            Ok(mut alarms) => {
                sort_for_oncall(&mut alarms);
                let alarms = Arc::new(alarms);
                let now = clock.now();
                health.last_success = Some(now);
                health.failures = 0;
                self.alarms.send_replace(Some(Arc::clone(&alarms)));
                self.post(DataEvent::Alarms {
                    alarms: Arc::clone(&alarms),
                    fetched_at: now,
                });
                self.post(DataEvent::Link(LinkState::Live { at: now }));
                Some(alarms)
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
                None
            }
        }
    }

    /// Annotations (after ending expired silences) and the Overview.
    async fn after_alarms(&self, alarms: &[Alarm]) {
        match self.annotations(alarms).await {
            Ok(annotations) => {
                self.post(DataEvent::Annotations(Arc::new(annotations)));
                self.degraded(ANNOTATIONS, None);
            }
            Err(e) => self.degraded(ANNOTATIONS, Some(e)),
        }
        let overview = fetch_overview(
            self.provider.as_ref(),
            alarms,
            &self.setup.pinned,
            self.setup.clock.now(),
        );
        match self.timed("GetMetricData", overview).await {
            Ok(series) => {
                self.post(DataEvent::Overview(Arc::new(series)));
                self.degraded(OVERVIEW, None);
            }
            Err(e) => self.degraded(OVERVIEW, Some(e)),
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
        let read = || async {
            let now = self.setup.clock.now();
            let (due, sweep) = self.cache().due(alarms, now);
            let fresh = self
                .timed(
                    "ListTagsForResource",
                    read_annotations(&self.provider, &due),
                )
                .await?;
            let mut cache = self.cache();
            cache.update(alarms, fresh, sweep, now);
            Ok::<_, ProviderError>(cache.current())
        };
        let annotations = read().await?;
        let (true, Ok(actions)) = (self.reconciles, &self.actions) else {
            return Ok(annotations);
        };
        let reconciled = actions.reconcile_with(alarms, &annotations).await;
        if reconciled.is_empty() {
            return Ok(annotations);
        }
        for result in &reconciled {
            match result {
                Ok(done) => tracing::info!("{done}"),
                Err(e) => tracing::warn!("ending an expired silence: {e}"),
            }
        }
        read().await
    }

    /// Keeps posting the detail of `name` until aborted.
    async fn detail_loop(self: Arc<Self>, name: String, range: Duration) {
        let mut alarms = self.alarms.subscribe();
        loop {
            let loaded = alarms.wait_for(Option::is_some).await.ok().and_then(|a| {
                a.as_ref()
                    .and_then(|list| list.iter().find(|x| x.name == name).cloned())
            });
            let detail = match loaded {
                Some(alarm) => {
                    load_detail(
                        self.provider.as_ref(),
                        &alarm,
                        range,
                        self.setup.clock.now(),
                    )
                    .await
                }
                None => super::AlarmDetail {
                    alarm: name.clone(),
                    range: crate::model::TimeRange {
                        start: self.setup.clock.now(),
                        end: self.setup.clock.now(),
                    },
                    series: None,
                    history: Vec::new(),
                    error: Some(format!("no alarm named '{name}'")),
                },
            };
            self.post(DataEvent::Detail(Box::new(detail)));
            tokio::time::sleep(self.setup.policy.interval).await;
        }
    }

    /// The tag-read cache (a poisoned lock still holds usable reads).
    fn cache(&self) -> std::sync::MutexGuard<'_, AnnotationCache> {
        self.annotation_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs one mutation, posts its outcome and refreshes at once; the
    /// changed alarm's tags are read again on that refresh.
    async fn mutate(self: Arc<Self>, mutation: Mutation) {
        let result = match &self.actions {
            Ok(actions) => actions.run(&mutation).await.map_err(|e| e.to_string()),
            Err(why) => Err(why.clone()),
        };
        self.cache().mark_changed(mutation.alarm());
        self.post(DataEvent::MutationDone { mutation, result });
        self.refresh_now.notify_one();
    }
}

#[cfg(test)]
mod tests;
