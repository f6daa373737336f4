//! SNS: the messages monitui sends to the env's alert topic (ack notes).

use async_trait::async_trait;

use super::ProviderResult;

/// Publishes to SNS topics.
#[async_trait]
pub trait NotifyWrite: Send + Sync + std::fmt::Debug {
    /// Publishes a message to an SNS topic; returns the message id.
    async fn publish(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
    ) -> ProviderResult<String>;
}
