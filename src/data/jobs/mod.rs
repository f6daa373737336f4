//! The background jobs of one env's session, each in its own module, all
//! behind one trait, [`Job`]. The refresher connects, then routes each
//! command to its job through a [`Mailbox`], where the one rule for a
//! command that arrives before the session is up lives: the job answers
//! it (a request someone waits on, so nothing is sent late behind the
//! person's back) or it is kept, in order, and served once connected.
//!
//! Jobs post their own event type through a typed [`Sink`]; the central
//! `DataEvent` is made from those where the jobs are started
//! ([`mapped`]), so no job depends on the central enum (`tests/layers.rs`
//! checks it).

pub mod dashboard;
pub mod detail;
pub mod handoff;
pub mod incident;
pub mod insights;
pub mod logs;
pub mod metrics;
pub mod trail;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::AbortHandle;

use super::incident::Sources;
use super::session::Session;
use crate::model::{Alarm, Clock};
use crate::provider::ProviderError;

/// Where a job posts its events of type `E`.
pub type Sink<E> = Arc<dyn Fn(E) + Send + Sync>;

/// A sink of `E` that posts `into(event)` to `sink`: how the central
/// event sink is handed to a job as the job's own type.
pub fn mapped<E, F>(sink: &Sink<F>, into: impl Fn(E) -> F + Send + Sync + 'static) -> Sink<E>
where
    F: 'static,
{
    let sink = Arc::clone(sink);
    Arc::new(move |event| sink(into(event)))
}

/// What every job may use once the session is up.
#[derive(Clone)]
pub struct JobContext {
    /// The env's session.
    pub session: Arc<Session>,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Where jobs run their tasks.
    pub runtime: tokio::runtime::Handle,
    /// The env's refresh interval.
    pub interval: Duration,
    /// Longest a single fetch may take before it counts as failed.
    pub fetch_timeout: Duration,
    /// The latest alarm list (`None` before the first fetch).
    pub alarms: watch::Receiver<Option<Arc<Vec<Alarm>>>>,
    /// Ticks when a refresh is asked for (see [`JobContext::woken`]).
    pub refresh: watch::Receiver<u64>,
    /// What the incident timeline and the handoff read.
    pub sources: Sources,
    /// The env's name.
    pub env: String,
}

impl JobContext {
    /// A receiver that ticks at the next refresh asked for (not at one
    /// asked for before).
    pub fn woken(&self) -> watch::Receiver<u64> {
        let mut woken = self.refresh.clone();
        woken.mark_unchanged();
        woken
    }
}

/// One background job of a session: the requests it serves, and what it
/// does with one that arrives before the session is up.
pub trait Job {
    /// The requests it serves.
    type Command;

    /// Called once the session is up, before any command is served.
    fn connected(&mut self, _ctx: &JobContext) {}

    /// Serves one request (connected).
    fn handle(&mut self, command: Self::Command, ctx: &JobContext);

    /// Before the session is up: answers a request someone waits on with
    /// `why` (`not connected yet: ...`) and returns `None`, or hands the
    /// command back to be kept and served once connected.
    fn unconnected(&mut self, command: Self::Command, why: &str) -> Option<Self::Command>;

    /// Whether `later`, kept while connecting, makes the kept `earlier`
    /// pointless (a view opened again or closed): `earlier` is dropped.
    fn supersedes(_later: &Self::Command, _earlier: &Self::Command) -> bool {
        false
    }
}

/// Whether the session is up yet.
pub enum Link<'a> {
    /// Still connecting: why the last attempt failed.
    Connecting(&'a ProviderError),
    /// Connected.
    Up(&'a JobContext),
}

/// A job and the commands kept for it until connected.
pub struct Mailbox<J: Job> {
    job: J,
    kept: Vec<J::Command>,
}

impl<J: Job> Mailbox<J> {
    /// The mailbox of `job`.
    pub fn new(job: J) -> Self {
        Self {
            job,
            kept: Vec::new(),
        }
    }

    /// Hands `command` to the job, or, before the session is up, has it
    /// answered or keeps it (see the module doc).
    pub fn deliver(&mut self, command: J::Command, link: &Link) {
        match link {
            Link::Up(ctx) => self.job.handle(command, ctx),
            Link::Connecting(error) => {
                let why = format!("not connected yet: {error}");
                if let Some(kept) = self.job.unconnected(command, &why) {
                    self.kept.retain(|earlier| !J::supersedes(&kept, earlier));
                    self.kept.push(kept);
                }
            }
        }
    }

    /// The session is up: starts the job, then serves what was kept, in
    /// the order it came.
    pub fn connect(&mut self, ctx: &JobContext) {
        self.job.connected(ctx);
        for command in std::mem::take(&mut self.kept) {
            self.job.handle(command, ctx);
        }
    }
}

/// A job's task: replaced, stopped, or stopped when the job is dropped
/// (the layer stops).
#[derive(Debug, Default)]
pub struct Task(Option<AbortHandle>);

impl Task {
    /// Runs `task` on `runtime`, stopping the one before.
    pub fn start(
        &mut self,
        runtime: &tokio::runtime::Handle,
        task: impl Future<Output = ()> + Send + 'static,
    ) {
        self.stop();
        self.0 = Some(runtime.spawn(task).abort_handle());
    }

    /// Stops the task, if any.
    pub fn stop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `fut`, or a network error naming `operation` once `limit` has passed.
pub async fn within<T>(
    limit: Duration,
    operation: &str,
    fut: impl Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| {
        Err(ProviderError::Network {
            operation: operation.into(),
            message: format!("no answer within {limit:?}"),
        })
    })
}

/// Sleeps `wait`, or less if a refresh is asked for (also one asked for
/// while the caller was busy).
pub async fn pause(wait: Duration, woken: &mut watch::Receiver<u64>) {
    tokio::select! {
        _ = tokio::time::sleep(wait) => {}
        _ = woken.changed() => {}
    }
    woken.mark_unchanged();
}

#[cfg(test)]
mod tests;
