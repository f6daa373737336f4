//! Runs Logs Insights queries for the CLI (`logs query`), the Logs tab's
//! query view and the dashboards' `log` widgets: StartQuery, then
//! GetQueryResults with a growing wait until the status is final
//! (Complete, Failed, Cancelled, Timeout), reporting every answer on the
//! way so a caller can show progress. A cancellation sends StopQuery and
//! reads the query's last status. Throttled polls wait longer and try
//! again; any other failure ends the run.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use super::jobs::insights::{
    InsightsAsk, InsightsJob, InsightsSource, InsightsUpdate, RunState,
};

use super::backoff::Backoff;
use crate::model::TimeRange;
use crate::model::dashboard::{LogResult, LogWidget};
use crate::model::insights::{QueryRequest, QueryResults, QueryStatus, expand_groups};
use crate::provider::logs_insights::MAX_QUERY_GROUPS;
use crate::provider::{InsightsRead, LogsRead, ProviderError};

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

#[cfg(test)]
mod tests;
