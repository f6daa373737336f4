//! STS GetCallerIdentity.

use aws_sdk_sts::Client;

use super::errors::from_sdk;
use crate::model::Identity;
use crate::provider::ProviderResult;

/// Who the credentials belong to.
pub async fn caller_identity(client: &Client) -> ProviderResult<Identity> {
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| from_sdk("GetCallerIdentity", e))?;
    Ok(Identity {
        account: out.account().unwrap_or_default().to_string(),
        arn: out.arn().unwrap_or_default().to_string(),
        user_id: out.user_id().unwrap_or_default().to_string(),
    })
}
