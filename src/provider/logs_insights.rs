//! CloudWatch Logs Insights: start a query over log groups, read its
//! results (status, rows so far, what was read), stop it. A query runs in
//! the service; callers poll [`InsightsRead::query_results`] until the
//! status is final (`data::insights` does that for the TUI and the CLI).
//! Stopping a query changes nothing in the account, so it is a read.

use async_trait::async_trait;

use super::ProviderResult;
use crate::model::insights::{QueryRequest, QueryResults};

/// The most log groups one query may read (StartQuery's limit).
pub const MAX_QUERY_GROUPS: usize = 50;

/// Runs Logs Insights queries.
#[async_trait]
pub trait InsightsRead: Send + Sync + std::fmt::Debug {
    /// StartQuery: the new query's id.
    async fn start_query(&self, request: &QueryRequest) -> ProviderResult<String>;

    /// GetQueryResults: the status, the rows so far and the statistics.
    async fn query_results(&self, query_id: &str) -> ProviderResult<QueryResults>;

    /// StopQuery: `true` when a running query was stopped, `false` when it
    /// had already finished.
    async fn stop_query(&self, query_id: &str) -> ProviderResult<bool>;
}
