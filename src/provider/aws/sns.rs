//! SNS Publish (ack notifications).

use aws_sdk_sns::Client;

use super::errors::from_sdk;
use crate::provider::ProviderResult;

/// Publishes `message` with `subject` to `topic_arn`; returns the message id.
pub async fn publish(
    client: &Client,
    topic_arn: &str,
    subject: &str,
    message: &str,
) -> ProviderResult<String> {
    let out = client
        .publish()
        .topic_arn(topic_arn)
        .subject(subject)
        .message(message)
        .send()
        .await
        .map_err(|e| from_sdk("Publish", e))?;
    Ok(out.message_id().unwrap_or_default().to_string())
}
