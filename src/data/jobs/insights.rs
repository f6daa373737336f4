//! The Logs tab's query view's job: one Logs Insights run at a time
//! ([`super::super::insights::run_query`]), a new run replacing (and
//! stopping) the one still going, each answer posted as an
//! [`InsightsUpdate`].

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{Job, JobContext, Sink};
use crate::data::insights::{PollOptions, resolve_groups, run_query};
use crate::model::insights::{QueryLanguage, QueryRequest, QueryResults};
use crate::model::{Clock, TimeRange};
use crate::provider::{InsightsRead, LogsRead, Reads};

/// What the query view asks of its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsightsCommand {
    /// Start run `run` of the ask (stopping the one still going).
    Run {
        /// The caller's number for this run.
        run: u64,
        /// What to run.
        ask: InsightsAsk,
    },
    /// Stop the running query (StopQuery).
    Cancel,
}

/// A query run the TUI asked for, identified so stale answers of an older
/// run can be told apart.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightsUpdate {
    /// Which run (as given in [`InsightsJob::start`]).
    pub run: u64,
    /// Where it is.
    pub state: RunState,
}

/// What the TUI shows of a run.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// An answer (running, or final).
    Answer(QueryResults),
    /// The run failed: the message to show.
    Failed(String),
}

/// What the query view asks for: resolved here into a [`QueryRequest`]
/// (group prefixes expanded, the window ending now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightsAsk {
    /// Log group names or `prefix*` patterns.
    pub groups: Vec<String>,
    /// The query text.
    pub query: String,
    /// How far back the window starts.
    pub since: Duration,
}

/// What a run needs of the account: groups (to expand prefixes), Insights,
/// and the clock the window ends at.
#[derive(Debug, Clone)]
pub struct InsightsSource {
    /// Log groups.
    pub logs: Arc<dyn LogsRead>,
    /// Logs Insights.
    pub insights: Arc<dyn InsightsRead>,
    /// Now.
    pub clock: Arc<dyn Clock>,
}

impl InsightsSource {
    /// The source of an account's reads.
    pub fn of(reads: &Reads, clock: Arc<dyn Clock>) -> Self {
        Self {
            logs: Arc::clone(&reads.logs),
            insights: Arc::clone(&reads.insights),
            clock,
        }
    }
}

/// The TUI's one query at a time: a new run replaces (and stops) the one
/// still going; cancelling stops it.
pub struct InsightsJob {
    sink: Sink<InsightsUpdate>,
    current: Option<CancellationToken>,
}

impl InsightsJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<InsightsUpdate>) -> Self {
        Self {
            sink,
            current: None,
        }
    }

    /// Starts run `run` of `ask` on `runtime` over `source`, posting an
    /// [`InsightsUpdate`] per answer; stops any earlier run.
    pub fn start(
        &mut self,
        runtime: &tokio::runtime::Handle,
        source: InsightsSource,
        (run, ask): (u64, InsightsAsk),
    ) {
        let sink = Arc::clone(&self.sink);
        self.cancel();
        let cancel = CancellationToken::new();
        self.current = Some(cancel.clone());
        let InsightsSource {
            logs,
            insights,
            clock,
        } = source;
        runtime.spawn(async move {
            let post = |state| sink(InsightsUpdate { run, state });
            let outcome = async {
                let groups = resolve_groups(logs.as_ref(), &ask.groups).await?;
                let end = clock.now();
                let back =
                    jiff::SignedDuration::try_from(ask.since).unwrap_or(jiff::SignedDuration::ZERO);
                let request = QueryRequest {
                    groups,
                    range: TimeRange {
                        start: end.checked_sub(back).unwrap_or(end),
                        end,
                    },
                    query: ask.query,
                    limit: None,
                    language: QueryLanguage::LogsInsights,
                };
                run_query(
                    insights.as_ref(),
                    &request,
                    PollOptions::default(),
                    &cancel,
                    |answer| post(RunState::Answer(answer.clone())),
                )
                .await
            }
            .await;
            if let Err(e) = outcome {
                post(RunState::Failed(e.to_string()));
            }
        });
    }

    /// Stops the run in progress, if any.
    pub fn cancel(&mut self) {
        if let Some(token) = self.current.take() {
            token.cancel();
        }
    }
}

impl Drop for InsightsJob {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl Job for InsightsJob {
    type Command = InsightsCommand;

    fn handle(&mut self, command: InsightsCommand, ctx: &JobContext) {
        match command {
            InsightsCommand::Run { run, ask } => {
                let source = InsightsSource::of(&ctx.session.reads, Arc::clone(&ctx.clock));
                self.start(&ctx.runtime, source, (run, ask));
            }
            InsightsCommand::Cancel => self.cancel(),
        }
    }

    /// A run is answered with `why` (the view waits on it); a cancel is
    /// kept (there is nothing to stop yet).
    fn unconnected(&mut self, command: InsightsCommand, why: &str) -> Option<InsightsCommand> {
        match command {
            InsightsCommand::Run { run, .. } => {
                (self.sink)(InsightsUpdate {
                    run,
                    state: RunState::Failed(why.to_string()),
                });
                None
            }
            InsightsCommand::Cancel => Some(InsightsCommand::Cancel),
        }
    }
}
