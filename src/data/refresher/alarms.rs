//! The alarm jobs of a session, started once connected and never
//! replaced:
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
//! - changes, started on `Changes` (outside the jobs).
//!
//! Unlike the tab jobs of `data::jobs` they post the central
//! [`DataEvent`]s themselves: the link state and the alarm list are what
//! every view shows.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::Setup;
use crate::config::PinnedMetric;
use crate::data::actions::AlarmActions;
use crate::data::alarm_listing::alarm_first;
use crate::data::annotations::{AnnotationCache, read_annotations};
use crate::data::connection::LinkState;
use crate::data::events::{DataEvent, EventSink, Mutation};
use crate::data::history::StateHistory;
use crate::data::jobs::{Job, JobContext, Task, pause, within};
use crate::data::overview::OverviewStore;
use crate::data::session::Session;
use crate::model::{Alarm, alarm::sort_for_oncall};
use crate::provider::{FiringAlarms, ProviderError};

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

/// The channels the alarm jobs and the other jobs share, there before
/// the session is.
pub(super) struct Watches {
    /// The latest alarm list (`None` before the first fetch).
    pub(super) alarms: watch::Sender<Option<Arc<Vec<Alarm>>>>,
    /// Whether the Overview is on screen.
    pub(super) overview_visible: watch::Sender<bool>,
    /// Bumped to wake every job early (refresh asked for, change made).
    pub(super) refresh: watch::Sender<u64>,
    /// The Overview's pinned metrics: the env's, then those pinned in the
    /// Metrics tab this session.
    pub(super) pinned: watch::Sender<Vec<PinnedMetric>>,
}

impl Watches {
    /// The channels, the Overview starting with `pinned`.
    pub(super) fn new(pinned: Vec<PinnedMetric>) -> Self {
        Self {
            alarms: watch::Sender::new(None),
            overview_visible: watch::Sender::new(false),
            refresh: watch::Sender::new(0),
            pinned: watch::Sender::new(pinned),
        }
    }

    /// Wakes every job now.
    pub(super) fn wake(&self) {
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
pub(super) enum AlarmsCommand {
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
pub(super) struct AlarmsJob {
    /// What the jobs are started with, until they are.
    setup: Option<Setup>,
    sink: EventSink,
    watches: Arc<Watches>,
    /// Set once connected (before any command is served).
    alarms: Option<Arc<Alarms>>,
    tasks: Vec<Task>,
}

impl AlarmsJob {
    /// The jobs, to be started with `setup` once connected.
    pub(super) fn new(setup: Setup, watches: Arc<Watches>) -> Self {
        Self {
            sink: Arc::clone(&setup.sink),
            setup: Some(setup),
            watches,
            alarms: None,
            tasks: Vec::new(),
        }
    }
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
            let fetch = crate::data::slo::statuses(
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
    ) -> Result<std::collections::BTreeMap<String, crate::data::Annotation>, ProviderError> {
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
