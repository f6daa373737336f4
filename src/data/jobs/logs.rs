//! The Logs tab's background work: the log-group list on request, and one
//! tail at a time (a [`Tailer`]: live tail, or polls), each batch of new
//! lines posted as a [`LogsEvent`] with how far behind the tail is. Starting a tail stops the one
//! before; its batches carry a tail number so the tab ignores stragglers.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobContext, Sink, Task};
use crate::data::backoff::Backoff;
use crate::data::log_fetch::{GroupFetch, fetch_groups};
use crate::data::tailer::{TailMode, Tailer};
use crate::model::{Clock, LogEvent, LogGroup, TimeRange};
use crate::provider::LogsRead;

/// What the Logs tab asks of the data layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogsCommand {
    /// Read the log-group list.
    ListGroups,
    /// Tail these groups (stopping any other tail) from `since` ago.
    StartTail {
        /// Tail number, echoed in its events.
        tail: u64,
        /// Up to 10 groups.
        groups: Vec<String>,
        /// How far back the first poll reaches.
        since: Duration,
    },
    /// Read the lines of a tail's groups around a moment (`@` in the
    /// tail), [`HISTORY_BEFORE`] before it to [`HISTORY_AFTER`] after.
    LoadAround {
        /// Tail number, echoed in the answer.
        tail: u64,
        /// The tail's groups.
        groups: Vec<String>,
        /// The moment asked for.
        at: Timestamp,
    },
    /// Stop tailing.
    StopTail,
}

/// How far before the moment `@` asks for its lines are read.
pub const HISTORY_BEFORE: SignedDuration = SignedDuration::from_mins(5);
/// How far after the moment `@` asks for its lines are read.
pub const HISTORY_AFTER: SignedDuration = SignedDuration::from_mins(10);
/// Most lines a group's history read keeps (the oldest).
pub const HISTORY_LIMIT: usize = 10_000;

/// What the Logs work tells the tab.
#[derive(Debug, Clone, PartialEq)]
pub enum LogsEvent {
    /// The log groups, or why they could not be read.
    Groups(Result<Arc<Vec<LogGroup>>, String>),
    /// New lines of a tail, oldest first.
    Lines {
        /// Which tail.
        tail: u64,
        /// The new events.
        events: Arc<Vec<LogEvent>>,
        /// Whether the service sampled them (some lines were dropped).
        sampled: bool,
        /// How far behind the newest lines the tail is, when it could not
        /// read them all yet; `None` once caught up.
        behind: Option<SignedDuration>,
    },
    /// How a tail gets its lines, once it has chosen.
    Mode {
        /// Which tail.
        tail: u64,
        /// Live tail or polling.
        mode: TailMode,
    },
    /// The lines of a tail's groups around a moment, or why they could not
    /// be read.
    History {
        /// Which tail.
        tail: u64,
        /// The moment asked for.
        at: Timestamp,
        /// The window read.
        range: TimeRange,
        /// The lines, oldest first, or what failed.
        events: Result<Arc<Vec<LogEvent>>, String>,
        /// Whether some group had more lines than [`HISTORY_LIMIT`].
        truncated: bool,
    },
    /// A tail's poll failed for some groups (`Some`) or works again (`None`).
    TailProblem {
        /// Which tail.
        tail: u64,
        /// What failed.
        error: Option<String>,
    },
}

/// The Logs work of one data layer: at most one tail running.
pub struct LogsJob {
    sink: Sink<LogsEvent>,
    tail: Task,
}

impl LogsJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<LogsEvent>) -> Self {
        Self {
            sink,
            tail: Task::default(),
        }
    }
}

impl Job for LogsJob {
    type Command = LogsCommand;

    /// Carries out a command in the background.
    fn handle(&mut self, command: LogsCommand, ctx: &JobContext) {
        let (session, runtime, clock) = (&ctx.session, &ctx.runtime, &ctx.clock);
        match command {
            LogsCommand::ListGroups => {
                let logs = Arc::clone(&session.reads.logs);
                let sink = Arc::clone(&self.sink);
                runtime.spawn(async move {
                    let groups = logs.list_log_groups().await;
                    sink(LogsEvent::Groups(
                        groups.map(Arc::new).map_err(|e| e.to_string()),
                    ));
                });
            }
            LogsCommand::StartTail {
                tail,
                groups,
                since,
            } => {
                self.tail.stop();
                let since = clock.now() - SignedDuration::try_from(since).unwrap_or_default();
                let post = Arc::clone(&self.sink);
                match Tailer::new(Arc::clone(&session.reads.logs), groups, None, since, true) {
                    Ok(poller) => {
                        let task = run_tail(tail, poller, Arc::clone(clock), post);
                        self.tail.start(runtime, task);
                    }
                    Err(e) => post(LogsEvent::TailProblem {
                        tail,
                        error: Some(e.to_string()),
                    }),
                }
            }
            LogsCommand::LoadAround { tail, groups, at } => {
                let logs = Arc::clone(&session.reads.logs);
                let sink = Arc::clone(&self.sink);
                runtime.spawn(async move {
                    sink(load_around(logs, tail, groups, at).await);
                });
            }
            LogsCommand::StopTail => self.tail.stop(),
        }
    }

    /// Every Logs command waits for the session: listing the groups or
    /// tailing them then is what the tab still wants.
    fn unconnected(&mut self, command: LogsCommand, _why: &str) -> Option<LogsCommand> {
        Some(command)
    }
}

/// Reads the lines of `groups` around `at`, every group side by side.
async fn load_around(
    logs: Arc<dyn LogsRead>,
    tail: u64,
    groups: Vec<String>,
    at: Timestamp,
) -> LogsEvent {
    let range = TimeRange {
        start: at - HISTORY_BEFORE,
        end: at + HISTORY_AFTER,
    };
    let fetches = groups
        .iter()
        .map(|group| GroupFetch {
            group: group.clone(),
            range,
            pattern: None,
            limit: HISTORY_LIMIT,
        })
        .collect();
    let mut events = Vec::new();
    let mut truncated = false;
    let mut failed = Vec::new();
    for (group, result) in groups
        .iter()
        .zip(fetch_groups(logs, fetches, Backoff::default()).await)
    {
        match result {
            Ok(fetched) => {
                truncated |= fetched.truncated;
                events.extend(fetched.events);
            }
            Err(e) => failed.push(format!("{group}: {e}")),
        }
    }
    events.sort_by_key(|e| e.timestamp);
    LogsEvent::History {
        tail,
        at,
        range,
        events: if failed.is_empty() {
            Ok(Arc::new(events))
        } else {
            Err(failed.join("; "))
        },
        truncated,
    }
}

/// Follows until aborted, backing off while every group fails.
async fn run_tail(tail: u64, mut tailer: Tailer, clock: Arc<dyn Clock>, sink: Sink<LogsEvent>) {
    let backoff = Backoff::default();
    let mut failures = 0;
    let mut had_problem = false;
    let mut mode = TailMode::Starting;
    let mut was_behind = false;
    loop {
        let batch = tailer.next(clock.as_ref()).await;
        if tailer.mode() != mode {
            mode = tailer.mode();
            sink(LogsEvent::Mode { tail, mode });
        }
        if !batch.events.is_empty() || batch.sampled || batch.behind.is_some() || was_behind {
            was_behind = batch.behind.is_some();
            sink(LogsEvent::Lines {
                tail,
                events: Arc::new(batch.events),
                sampled: batch.sampled,
                behind: batch.behind,
            });
        }
        let problem = (!batch.errors.is_empty()).then(|| {
            batch
                .errors
                .iter()
                .map(|(group, e)| format!("{group}: {e}"))
                .collect::<Vec<_>>()
                .join("; ")
        });
        if problem.is_some() || had_problem {
            had_problem = problem.is_some();
            sink(LogsEvent::TailProblem {
                tail,
                error: problem,
            });
        }
        if !batch.errors.is_empty() && batch.errors.len() == tailer.groups().len() {
            failures += 1;
            tokio::time::sleep(backoff.delay(failures)).await;
        } else {
            failures = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ManualClock;
    use crate::provider::sim::SimProvider;

    #[tokio::test]
    async fn the_lines_around_a_moment_come_from_the_window_around_it_in_time_order() {
        let clock = Arc::new(ManualClock::new("2026-11-28T15:00:00Z".parse().unwrap()));
        let sim = Arc::new(SimProvider::new(1, clock.clone(), "ecommerce-ai-platform"));
        let at = clock.now() - SignedDuration::from_mins(25);
        let groups = vec![
            "/aws/apigateway/ecommerce-ai-platform".to_string(),
            "/aws/batch/job".to_string(),
        ];
        let LogsEvent::History {
            tail,
            range,
            events,
            truncated,
            ..
        } = load_around(sim, 7, groups, at).await
        else {
            panic!("a history answer");
        };
        assert_eq!(tail, 7);
        assert_eq!(
            (range.start, range.end),
            (at - HISTORY_BEFORE, at + HISTORY_AFTER)
        );
        let events = events.unwrap();
        assert!(!truncated);
        assert!(events.iter().any(|e| e.group == "/aws/batch/job"));
        assert!(
            events
                .iter()
                .any(|e| e.group.starts_with("/aws/apigateway"))
        );
        assert!(events.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
        assert!(
            events
                .iter()
                .all(|e| range.start <= e.timestamp && e.timestamp <= range.end)
        );
    }
}
