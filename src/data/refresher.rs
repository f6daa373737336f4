//! The background refresh job: connects, fetches identity and alarms on the
//! env's interval, backs off on failure, and posts events.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::backoff::Backoff;
use super::connection::LinkState;
use super::events::{DataEvent, EventSink, Mutation};
use crate::model::{Clock, alarm::sort_for_oncall};
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

/// Handle to the running background job; dropping it stops the job.
#[derive(Debug)]
pub struct DataLayer {
    commands: mpsc::UnboundedSender<DataCommand>,
    task: JoinHandle<()>,
}

impl DataLayer {
    /// Starts the job on `runtime`. Events go to `sink`.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        connect: ProviderConnect,
        clock: Arc<dyn Clock>,
        policy: RefreshPolicy,
        sink: EventSink,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let job = RefreshJob {
            clock,
            policy,
            sink,
            commands: rx,
            last_success: None,
            failures: 0,
        };
        let task = runtime.spawn(job.run(connect));
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

struct RefreshJob {
    clock: Arc<dyn Clock>,
    policy: RefreshPolicy,
    sink: EventSink,
    commands: mpsc::UnboundedReceiver<DataCommand>,
    last_success: Option<jiff::Timestamp>,
    failures: u32,
}

impl RefreshJob {
    async fn run(mut self, connect: ProviderConnect) {
        let Some(provider) = self.connect(connect).await else {
            return;
        };
        let mut identity_known = false;
        loop {
            if !identity_known {
                identity_known = self.fetch_identity(provider.as_ref()).await;
            }
            let wait = self.fetch_alarms(provider.as_ref()).await;
            if !self.wait(wait).await {
                return;
            }
        }
    }

    /// Connecting can fail only on local setup (bad profile, bad endpoint);
    /// the error is shown and the job stays idle.
    async fn connect(&mut self, connect: ProviderConnect) -> Option<Arc<dyn Provider>> {
        match connect.await {
            Ok(provider) => Some(provider),
            Err(e) => {
                (self.sink)(DataEvent::Link(LinkState::Retrying {
                    attempt: 1,
                    retry_at: self.clock.now(),
                    last_success: None,
                    error: e.to_string(),
                }));
                None
            }
        }
    }

    async fn fetch_identity(&self, provider: &dyn Provider) -> bool {
        match tokio::time::timeout(self.policy.fetch_timeout, provider.caller_identity()).await {
            Ok(Ok(identity)) => {
                (self.sink)(DataEvent::Identity(identity));
                true
            }
            _ => false,
        }
    }

    /// Fetches alarms; returns how long to wait before the next fetch.
    async fn fetch_alarms(&mut self, provider: &dyn Provider) -> Duration {
        let result = tokio::time::timeout(self.policy.fetch_timeout, provider.list_alarms()).await;
        let result = result.unwrap_or_else(|_| {
            Err(ProviderError::Network {
                operation: "DescribeAlarms".into(),
                message: format!("no answer within {:?}", self.policy.fetch_timeout),
            })
        });
        match result {
            Ok(mut alarms) => {
                sort_for_oncall(&mut alarms);
                let now = self.clock.now();
                self.last_success = Some(now);
                self.failures = 0;
                (self.sink)(DataEvent::Alarms {
                    alarms: Arc::new(alarms),
                    fetched_at: now,
                });
                (self.sink)(DataEvent::Link(LinkState::Live { at: now }));
                self.policy.interval
            }
            Err(e) => {
                self.failures += 1;
                let delay = self.policy.backoff.delay(self.failures);
                let retry_at = self
                    .clock
                    .now()
                    .checked_add(delay)
                    .unwrap_or_else(|_| self.clock.now());
                (self.sink)(DataEvent::Link(LinkState::Retrying {
                    attempt: self.failures,
                    retry_at,
                    last_success: self.last_success,
                    error: e.to_string(),
                }));
                delay
            }
        }
    }

    /// Waits for the delay or a command; false when the UI has gone.
    async fn wait(&mut self, delay: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(delay) => true,
            command = self.commands.recv() => command.is_some(),
        }
    }
}
