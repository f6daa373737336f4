//! The Dashboards tab's job: the account's dashboard list, and the open
//! dashboard's body and data ([`DashboardStore`]: one batch a refresh,
//! only the newest periods once it has the window). It fetches only while
//! the tab is on screen; it refreshes on the chosen auto-refresh interval
//! and when a refresh is asked for (`r`: the list and the body are read
//! again too). Commands that arrive while a fetch runs wait; the newest
//! settings win. A failure marks only the dashboard as stale, with its
//! error; the data already shown stays.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{mpsc, watch};

use super::{Job, JobContext, Sink, Task, within};
use crate::data::dashboard_data::DashboardStore;
use crate::model::dashboard::{Chosen, Dashboard, DashboardData, LogResult, RangeChoice};
use crate::model::insight_rule::InsightReport;
use crate::model::{Clock, DashboardSummary};
use crate::provider::{ProviderError, Reads};

/// What the `Degraded` event calls a failing dashboard fetch.
pub const DASHBOARD: &str = "dashboard";

/// What the Dashboards tab asks of its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DashboardCommand {
    /// Whether the tab is on screen: nothing is fetched while it is not.
    Visible(bool),
    /// Show dashboard `name` (reading its body first).
    Open {
        /// The dashboard.
        name: String,
        /// Over what range, refreshed how often.
        view: DashboardView,
    },
    /// Show the open dashboard over another range or refresh it on
    /// another interval.
    View(DashboardView),
    /// Back to the list: stop fetching the dashboard.
    Close,
}

/// The viewer's choices for the open dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardView {
    /// The time range.
    pub range: RangeChoice,
    /// How often to fetch again; `None`: only when asked (`r`).
    pub auto_refresh: Option<Duration>,
    /// Values chosen for the dashboard's variables (by key); the others
    /// keep the body's default.
    pub variables: Chosen,
}

/// The open dashboard as the job last saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardFrame {
    /// Its name.
    pub name: String,
    /// The parsed body, or why there is none.
    pub dashboard: Result<Arc<Dashboard>, String>,
    /// What its widgets draw from (series and log widget results; the
    /// alarm widgets' alarms come from the app's alarm list).
    pub data: Arc<DashboardData>,
    /// When the data was last fetched whole or in part; `None` before.
    pub fetched_at: Option<Timestamp>,
    /// Why the last refresh failed (the data shown is then older).
    pub error: Option<String>,
}

/// What the job tells the tab.
#[derive(Debug, Clone, PartialEq)]
pub enum DashboardEvent {
    /// The account's dashboards, sorted by name, or why they could not be
    /// listed.
    List(Result<Arc<Vec<DashboardSummary>>, String>),
    /// The open dashboard: its body, data and freshness.
    Frame(Arc<DashboardFrame>),
    /// The dashboard's data could not be fetched (`Some`) or could again
    /// (`None`); see [`DASHBOARD`].
    Degraded(Option<String>),
}

/// The Dashboards tab's job of one data layer: its commands go to a
/// [`DashboardFetcher`] started once connected.
pub struct DashboardJob {
    sink: Sink<DashboardEvent>,
    commands: Option<mpsc::UnboundedSender<DashboardCommand>>,
    task: Task,
}

impl DashboardJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<DashboardEvent>) -> Self {
        Self {
            sink,
            commands: None,
            task: Task::default(),
        }
    }
}

impl Job for DashboardJob {
    type Command = DashboardCommand;

    fn connected(&mut self, ctx: &JobContext) {
        let (commands, received) = mpsc::unbounded_channel();
        let fetcher = DashboardFetcher {
            reads: ctx.session.reads.clone(),
            clock: Arc::clone(&ctx.clock),
            sink: Arc::clone(&self.sink),
            timeout: ctx.fetch_timeout,
        };
        self.task
            .start(&ctx.runtime, fetcher.run(received, ctx.woken()));
        self.commands = Some(commands);
    }

    fn handle(&mut self, command: DashboardCommand, _ctx: &JobContext) {
        if let Some(commands) = &self.commands {
            let _ = commands.send(command);
        }
    }

    /// Every command waits for the session: what is on screen is still
    /// what the tab wants then.
    fn unconnected(&mut self, command: DashboardCommand, _why: &str) -> Option<DashboardCommand> {
        Some(command)
    }
}

/// What fetches the tab's dashboards.
pub struct DashboardFetcher {
    /// The account.
    pub reads: Reads,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Where events go.
    pub sink: Sink<DashboardEvent>,
    /// Longest one fetch may take.
    pub timeout: Duration,
}

/// A refresh that is due, and how deep it goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Due {
    /// Read the body again.
    body: bool,
    /// Fetch the whole window.
    whole: bool,
}

/// The open dashboard.
struct Open {
    name: String,
    view: DashboardView,
    /// The body text last read, to notice an edit.
    body: Option<String>,
    store: Option<DashboardStore>,
    fetched_at: Option<Timestamp>,
    due: Option<Due>,
    /// The log widgets' latest Logs Insights results.
    logs: HashMap<usize, LogResult>,
    /// The Contributor Insights widgets' latest reports.
    contributors: HashMap<usize, Result<InsightReport, String>>,
}

impl DashboardFetcher {
    /// Serves `commands` until they end; `woken` ticks when a refresh is
    /// asked for.
    pub async fn run(
        self,
        mut commands: mpsc::UnboundedReceiver<DashboardCommand>,
        mut woken: watch::Receiver<u64>,
    ) {
        let mut visible = false;
        let mut list_due = true;
        let mut open: Option<Open> = None;
        loop {
            if visible {
                if list_due {
                    list_due = false;
                    self.post_list().await;
                }
                if let Some(o) = &mut open
                    && let Some(due) = o.due.take()
                {
                    self.refresh(o, due).await;
                }
            }
            let interval = open
                .as_ref()
                .and_then(|o| o.view.auto_refresh)
                .filter(|_| visible);
            tokio::select! {
                command = commands.recv() => {
                    let Some(command) = command else { return };
                    apply(command, &mut visible, &mut open);
                    while let Ok(command) = commands.try_recv() {
                        apply(command, &mut visible, &mut open);
                    }
                }
                changed = woken.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    list_due = true;
                    if let Some(o) = &mut open {
                        o.due = Some(Due { body: true, whole: false });
                    }
                }
                _ = sleep_or_never(interval) => {
                    if let Some(o) = &mut open {
                        o.due.get_or_insert_default();
                    }
                }
            }
        }
    }

    fn post(&self, event: DashboardEvent) {
        (self.sink)(event)
    }

    async fn timed<T>(
        &self,
        operation: &str,
        fut: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, ProviderError> {
        within(self.timeout, operation, fut).await
    }

    async fn post_list(&self) {
        let list = self
            .timed("ListDashboards", self.reads.metrics.list_dashboards())
            .await
            .map(|mut list: Vec<DashboardSummary>| {
                list.sort_by(|a, b| a.name.cmp(&b.name));
                Arc::new(list)
            })
            .map_err(|e| e.to_string());
        self.post(DashboardEvent::List(list));
    }

    /// Reads the body when due (or first), then the data; posts a frame
    /// after each step, so the layout shows before the data arrives.
    async fn refresh(&self, open: &mut Open, due: Due) {
        let mut whole = due.whole;
        if due.body || open.store.is_none() {
            let read = self
                .timed(
                    "GetDashboard",
                    self.reads.metrics.dashboard_body(&open.name),
                )
                .await;
            match read {
                Ok(text) if open.body.as_deref() == Some(&text) => {}
                Ok(text) => {
                    let parsed = Dashboard::parse_with(&text, &open.view.variables);
                    open.body = Some(text);
                    match parsed {
                        Ok(d) => {
                            open.store = Some(DashboardStore::new(Arc::new(d), open.view.range));
                            whole = true;
                            self.post_frame(open, None);
                        }
                        Err(e) => {
                            open.store = None;
                            let why = format!("not a dashboard body: {e}");
                            self.post_failed_body(open, why);
                            return;
                        }
                    }
                }
                Err(e) => {
                    self.post_failed_body(open, e.to_string());
                    return;
                }
            }
        }
        let Some(store) = &mut open.store else {
            return;
        };
        store.set_choice(open.view.range);
        let now = self.clock.now();
        let fetched = self
            .timed(
                "GetMetricData",
                store.refresh(self.reads.metrics.as_ref(), now, whole),
            )
            .await;
        let error = match fetched {
            Ok(_) => {
                open.fetched_at = Some(now);
                None
            }
            Err(e) => Some(e.to_string()),
        };
        self.post(DashboardEvent::Degraded(error.clone()));
        if open.logs.is_empty() {
            open.logs = crate::data::dashboard_data::pending_logs(store.dashboard());
        }
        self.post_frame(open, error.clone());
        let Some(store) = &open.store else { return };
        let range = store.data(now).range;
        let (logs, contributors) = futures_util::future::join(
            crate::data::dashboard_data::log_results(store.dashboard(), &self.reads, range),
            crate::data::dashboard_data::contributor_results(store.dashboard(), &self.reads, range),
        )
        .await;
        open.logs = logs;
        open.contributors = contributors;
        self.post_frame(open, error);
    }

    fn post_frame(&self, open: &Open, error: Option<String>) {
        let Some(store) = &open.store else { return };
        let now = self.clock.now();
        let mut data = store.data(now);
        data.logs = open.logs.clone();
        data.contributors = open.contributors.clone();
        self.post(DashboardEvent::Frame(Arc::new(DashboardFrame {
            name: open.name.clone(),
            dashboard: Ok(Arc::clone(store.dashboard())),
            data: Arc::new(data),
            fetched_at: open.fetched_at,
            error,
        })));
    }

    fn post_failed_body(&self, open: &Open, why: String) {
        if open.store.is_some() {
            return self.post_frame(open, Some(why));
        }
        let now = self.clock.now();
        self.post(DashboardEvent::Frame(Arc::new(DashboardFrame {
            name: open.name.clone(),
            dashboard: Err(why),
            data: Arc::new(DashboardData::empty(crate::model::TimeRange {
                start: now,
                end: now,
            })),
            fetched_at: None,
            error: None,
        })));
    }
}

/// Applies one command to the job's state.
fn apply(command: DashboardCommand, visible: &mut bool, open: &mut Option<Open>) {
    match command {
        DashboardCommand::Visible(v) => {
            if v && !*visible
                && let Some(o) = open
            {
                o.due.get_or_insert_default();
            }
            *visible = v;
        }
        DashboardCommand::Open { name, view } => {
            if let Some(o) = open
                && o.name == name
            {
                o.view = view;
                o.due.get_or_insert_default();
                return;
            }
            *open = Some(Open {
                name,
                view,
                body: None,
                store: None,
                fetched_at: None,
                due: Some(Due {
                    body: true,
                    whole: true,
                }),
                logs: HashMap::new(),
                contributors: HashMap::new(),
            });
        }
        DashboardCommand::View(view) => {
            if let Some(o) = open {
                let due = o.due.get_or_insert_default();
                if o.view.variables != view.variables {
                    // Parse the body again with the new values: the
                    // widgets using them ask for other metrics.
                    o.body = None;
                    due.body = true;
                    due.whole = true;
                }
                o.view = view;
            }
        }
        DashboardCommand::Close => *open = None,
    }
}

/// Sleeps `interval`, or forever when there is none.
async fn sleep_or_never(interval: Option<Duration>) {
    match interval {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests;
