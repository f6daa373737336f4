//! CloudTrail: who did what in the account.

use async_trait::async_trait;

use super::ProviderResult;
use crate::model::{TrailPage, TrailQuery};

/// Reads CloudTrail events.
#[async_trait]
pub trait TrailRead: Send + Sync + std::fmt::Debug {
    /// One page of CloudTrail LookupEvents.
    async fn lookup_trail_events(&self, query: &TrailQuery) -> ProviderResult<TrailPage>;
}
