//! CloudWatch resource tags (alarms carry acks and silences as tags).

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::Tag;

use super::errors::from_sdk;
use crate::provider::ProviderResult;

/// Tags on `arn`.
pub async fn list(client: &Client, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
    let out = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(|e| from_sdk("ListTagsForResource", e))?;
    Ok(out
        .tags()
        .iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect())
}

/// `tags` as CloudWatch's wire type: what TagResource and the alarm
/// creations (PutMetricAlarm, PutCompositeAlarm) send.
pub fn wire_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Adds or overwrites `tags` on `arn`.
pub async fn tag(
    client: &Client,
    arn: &str,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    let wire = wire_tags(tags);
    client
        .tag_resource()
        .resource_arn(arn)
        .set_tags(Some(wire))
        .send()
        .await
        .map_err(|e| from_sdk("TagResource", e))?;
    Ok(())
}

/// Removes the tags named `keys` from `arn`.
pub async fn untag(client: &Client, arn: &str, keys: &[String]) -> ProviderResult<()> {
    client
        .untag_resource()
        .resource_arn(arn)
        .set_tag_keys(Some(keys.to_vec()))
        .send()
        .await
        .map_err(|e| from_sdk("UntagResource", e))?;
    Ok(())
}
