//! CloudWatch Logs: log groups and their events.

use async_trait::async_trait;

use super::ProviderResult;
use crate::model::{LogGroup, LogPage, TimeRange};

/// Reads log groups and events.
#[async_trait]
pub trait LogsRead: Send + Sync + std::fmt::Debug {
    /// The account's log groups, every page followed.
    async fn list_log_groups(&self) -> ProviderResult<Vec<LogGroup>>;

    /// One page of FilterLogEvents over one log group with an optional
    /// filter pattern.
    async fn filter_log_events(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&str>,
        next_token: Option<&str>,
    ) -> ProviderResult<LogPage>;
}
