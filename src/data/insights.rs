//! Runs Logs Insights queries for the CLI (`logs query`), the Logs tab's
//! query view and the dashboards' `log` widgets: StartQuery, then
//! GetQueryResults with a growing wait until the status is final
//! (Complete, Failed, Cancelled, Timeout), reporting every answer on the
//! way so a caller can show progress. A cancellation sends StopQuery and
//! reads the query's last status. Throttled polls wait longer and try
//! again; any other failure ends the run.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::backoff::Backoff;
use super::events::{DataEvent, EventSink};
use crate::model::dashboard::{LogResult, LogWidget};
use crate::model::insights::{
    QueryLanguage, QueryRequest, QueryResults, QueryStatus, expand_groups,
};
use crate::model::{Clock, TimeRange};
use crate::provider::logs_insights::MAX_QUERY_GROUPS;
use crate::provider::{InsightsRead, LogsRead, ProviderError, Reads};

/// How a run polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Waits between GetQueryResults calls: from `base`, doubling, up to `max`.
    pub waits: Backoff,
    /// Throttled polls tried again before the run fails.
    pub throttle_retries: u32,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            waits: Backoff {
                base: Duration::from_millis(250),
                max: Duration::from_secs(2),
            },
            throttle_retries: 8,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryOutcome {
    /// The service's id of the query.
    pub query_id: String,
    /// The last answer: its status is final.
    pub results: QueryResults,
    /// GetQueryResults calls made.
    pub polls: u32,
}

/// Why a run failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InsightsError {
    /// StartQuery refused or failed (a malformed query, unknown groups...).
    #[error("starting the query: {0}")]
    Start(ProviderError),
    /// DescribeLogGroups failed while expanding a `prefix*` group.
    #[error("listing log groups for {pattern}: {error}")]
    Groups {
        /// The group pattern being expanded.
        pattern: String,
        /// What failed.
        error: ProviderError,
    },
    /// The groups asked for name no group, or more than a query may read.
    #[error("{0}")]
    GroupCount(String),
    /// GetQueryResults failed.
    #[error("reading the results of query {query_id}: {error}")]
    Results {
        /// The query that was running.
        query_id: String,
        /// What failed.
        error: ProviderError,
    },
}

impl InsightsError {
    /// Whether the user asked for something invalid (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Self::Start(e) => {
                matches!(e, ProviderError::Invalid(_) | ProviderError::NotFound(_))
                    || matches!(e, ProviderError::Service { code, .. }
                        if code == "MalformedQueryException"
                            || code == "InvalidParameterException"
                            || code == "ResourceNotFoundException")
            }
            Self::GroupCount(_) => true,
            Self::Groups { .. } | Self::Results { .. } => false,
        }
    }
}

/// The log groups `patterns` name: exact names as given; for an entry
/// ending in `*`, every group of the account starting with the rest (one
/// DescribeLogGroups listing, only when some entry needs it). Refuses none
/// and more than [`MAX_QUERY_GROUPS`].
pub async fn resolve_groups(
    logs: &dyn LogsRead,
    patterns: &[String],
) -> Result<Vec<String>, InsightsError> {
    let known = match patterns.iter().find(|p| p.ends_with('*')) {
        Some(pattern) => logs
            .list_log_groups()
            .await
            .map_err(|error| InsightsError::Groups {
                pattern: pattern.clone(),
                error,
            })?
            .into_iter()
            .map(|g| g.name)
            .collect(),
        None => Vec::new(),
    };
    let groups = expand_groups(patterns, &known);
    match groups.len() {
        0 => Err(InsightsError::GroupCount(format!(
            "no log group matches {}",
            patterns.join(", ")
        ))),
        n if n > MAX_QUERY_GROUPS => Err(InsightsError::GroupCount(format!(
            "{n} log groups match {}; a query reads at most {MAX_QUERY_GROUPS}",
            patterns.join(", ")
        ))),
        _ => Ok(groups),
    }
}

/// Starts `request` and polls it until its status is final, calling
/// `progress` with every answer (final one included). When `cancel` fires
/// the query is stopped and its last status returned (normally
/// `Cancelled`).
pub async fn run_query(
    insights: &dyn InsightsRead,
    request: &QueryRequest,
    options: PollOptions,
    cancel: &CancellationToken,
    mut progress: impl FnMut(&QueryResults),
) -> Result<QueryOutcome, InsightsError> {
    let query_id = tokio::select! {
        biased;
        () = cancel.cancelled() => {
            return Ok(QueryOutcome {
                query_id: String::new(),
                results: QueryResults {
                    status: QueryStatus::Cancelled,
                    table: Default::default(),
                    statistics: Default::default(),
                },
                polls: 0,
            });
        }
        started = insights.start_query(request) => started.map_err(InsightsError::Start)?,
    };
    let failed = |error| InsightsError::Results {
        query_id: query_id.clone(),
        error,
    };
    let mut polls = 0;
    let mut throttled = 0;
    let mut stopped = false;
    loop {
        let answer = insights.query_results(&query_id).await;
        polls += 1;
        let results = match answer {
            Err(ProviderError::Throttled { .. }) if throttled < options.throttle_retries => {
                throttled += 1;
                tokio::time::sleep(options.waits.delay(polls + throttled)).await;
                continue;
            }
            other => other.map_err(failed)?,
        };
        progress(&results);
        if results.status.is_finished() {
            return Ok(QueryOutcome {
                query_id,
                results,
                polls,
            });
        }
        if stopped {
            // StopQuery was sent: read again until the status shows it.
            tokio::time::sleep(options.waits.delay(polls)).await;
            continue;
        }
        tokio::select! {
            () = tokio::time::sleep(options.waits.delay(polls)) => {}
            () = cancel.cancelled() => {
                stopped = true;
                // A query that finished meanwhile reports its own status.
                let _ = insights.stop_query(&query_id).await;
            }
        }
    }
}

/// The result of a dashboard `log` widget over `range`: its query (the
/// `SOURCE` clauses taken out) over the groups they name, polled to the
/// end; a failure or an unfinished status becomes the message the widget
/// shows in its place.
pub async fn widget_result(
    logs: &dyn LogsRead,
    insights: &dyn InsightsRead,
    widget: &LogWidget,
    range: TimeRange,
    options: PollOptions,
) -> LogResult {
    if !widget.group_selections.is_empty() {
        return LogResult::Failed(format!(
            "SOURCE {} is not supported; name the log groups with SOURCE '...'",
            widget.group_selections.join(", ")
        ));
    }
    if widget.log_groups.is_empty() && !widget.language.names_groups_in_query() {
        return LogResult::Failed("the query names no log group (SOURCE '...')".into());
    }
    let outcome = async {
        let groups = if widget.log_groups.is_empty() {
            Vec::new()
        } else {
            resolve_groups(logs, &widget.log_groups).await?
        };
        let request = QueryRequest {
            groups,
            range,
            query: widget.query_string.clone(),
            limit: None,
            language: widget.language,
        };
        run_query(
            insights,
            &request,
            options,
            &CancellationToken::new(),
            |_| {},
        )
        .await
    }
    .await;
    match outcome {
        Ok(done) if done.results.status == QueryStatus::Complete => {
            LogResult::Rows(done.results.table.into())
        }
        Ok(done) => LogResult::Failed(format!("the query ended {}", done.results.status.as_str())),
        Err(InsightsError::Start(ProviderError::Unsupported(why))) => LogResult::Unavailable(why),
        Err(e) => LogResult::Failed(e.to_string()),
    }
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
#[derive(Debug, Default)]
pub struct InsightsJob {
    current: Option<CancellationToken>,
}

impl InsightsJob {
    /// Starts run `run` of `ask` on `runtime` over `source`, posting an
    /// [`InsightsUpdate`] per answer to `sink`; stops any earlier run.
    pub fn start(
        &mut self,
        runtime: &tokio::runtime::Handle,
        source: InsightsSource,
        (run, ask): (u64, InsightsAsk),
        sink: EventSink,
    ) {
        self.cancel();
        let cancel = CancellationToken::new();
        self.current = Some(cancel.clone());
        let InsightsSource {
            logs,
            insights,
            clock,
        } = source;
        runtime.spawn(async move {
            let post = |state| sink(DataEvent::Insights(InsightsUpdate { run, state }));
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

#[cfg(test)]
mod tests;
