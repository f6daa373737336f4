//! CloudWatch Logs: log groups and their events.

use async_trait::async_trait;

use super::{ProviderError, ProviderResult};
use crate::model::{LiveTailUpdate, LogGroup, LogPage, TimeRange};

/// The updates of a StartLiveTail session, in order; the channel closes
/// when the session ends (the service ends them after three hours).
pub type LiveTail = tokio::sync::mpsc::Receiver<ProviderResult<LiveTailUpdate>>;

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

    /// Starts a StartLiveTail session over `groups` (up to 10), filtered
    /// by `pattern`. Providers without live tail answer `Unsupported`, and
    /// the caller polls [`LogsRead::filter_log_events`] instead.
    async fn start_live_tail(
        &self,
        _groups: &[String],
        _pattern: Option<&str>,
    ) -> ProviderResult<LiveTail> {
        Err(ProviderError::Unsupported(
            "live tail is not available here; polling instead".into(),
        ))
    }
}
