//! Who and where: the account's region and the caller's identity (STS).

use async_trait::async_trait;

use super::ProviderResult;
use crate::model::Identity;

/// Reads the region and the caller identity.
#[async_trait]
pub trait IdentityRead: Send + Sync + std::fmt::Debug {
    /// Region this provider talks to (for the header).
    fn region(&self) -> &str;

    /// Who we are (STS GetCallerIdentity).
    async fn caller_identity(&self) -> ProviderResult<Identity>;
}
