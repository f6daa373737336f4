//! The stack's SNS topic (KMS key, tags, the dashboard ledger tag) and its
//! subscriptions.

use std::collections::BTreeMap;

use aws_sdk_sns::types::Tag;

use super::{AwsProvider, arn_tail, for_each, in_scope};
use crate::model::stack::{DASHBOARDS_TAG, Existing, Resource, Subscription, Topic};
use crate::provider::ProviderResult;
use crate::provider::aws::errors::from_sdk;
use crate::provider::provision::ReadScope;

/// The topic attribute holding the KMS key.
const KMS_ATTRIBUTE: &str = "KmsMasterKeyId";
/// What SNS reports instead of an ARN for a subscription not yet confirmed.
const PENDING: &str = "PendingConfirmation";

/// The scope's topics that exist (ListTopics, then attributes and tags of
/// each in parallel).
pub async fn read_topics(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let topics = p
        .sns
        .list_topics()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| from_sdk("ListTopics", e))?;
    let arns: Vec<String> = topics
        .iter()
        .filter_map(|t| t.topic_arn())
        .filter(|arn| in_scope(scope, &arn_tail(arn, ':')))
        .map(str::to_string)
        .collect();
    for_each(&arns, |arn| read_topic(p, arn)).await
}

async fn read_topic(p: &AwsProvider, arn: &str) -> ProviderResult<Existing> {
    let (attributes, tags) = tokio::try_join!(
        async {
            p.sns
                .get_topic_attributes()
                .topic_arn(arn)
                .send()
                .await
                .map_err(|e| from_sdk("GetTopicAttributes", e))
        },
        async {
            p.sns
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .map_err(|e| from_sdk("ListTagsForResource", e))
        }
    )?;
    let tags: BTreeMap<String, String> = tags
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    let mut dashboards: Vec<String> = tags
        .get(DASHBOARDS_TAG)
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    dashboards.sort();
    let kms_key = attributes
        .attributes()
        .and_then(|a| a.get(KMS_ATTRIBUTE))
        .filter(|k| !k.is_empty())
        .cloned();
    Ok(Existing {
        resource: Resource::Topic(Topic {
            name: arn_tail(arn, ':'),
            kms_key,
            dashboards,
        }),
        tags,
    })
}

/// Creates the topic (with its tags and key) or changes its key, and
/// records the managed dashboards in its tag.
pub async fn put_topic(
    p: &AwsProvider,
    topic: &Topic,
    exists: bool,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    let arns = p.arns().await?;
    let arn = arns.topic(&topic.name);
    let mut all = tags.clone();
    all.insert(DASHBOARDS_TAG.into(), topic.dashboards.join(" "));
    let wire: Vec<Tag> = all
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<Result<_, _>>()
        .map_err(|e| crate::provider::ProviderError::Invalid(e.to_string()))?;
    if !exists {
        let mut create = p
            .changes
            .sns
            .create_topic()
            .name(&topic.name)
            .set_tags(Some(wire));
        if let Some(key) = &topic.kms_key {
            create = create.attributes(KMS_ATTRIBUTE, key);
        }
        create
            .send()
            .await
            .map_err(|e| from_sdk("CreateTopic", e))?;
        return Ok(());
    }
    p.changes
        .sns
        .set_topic_attributes()
        .topic_arn(&arn)
        .attribute_name(KMS_ATTRIBUTE)
        .attribute_value(topic.kms_key.clone().unwrap_or_default())
        .send()
        .await
        .map_err(|e| from_sdk("SetTopicAttributes", e))?;
    let ledger = Tag::builder()
        .key(DASHBOARDS_TAG)
        .value(topic.dashboards.join(" "))
        .build()
        .map_err(|e| crate::provider::ProviderError::Invalid(e.to_string()))?;
    p.changes
        .sns
        .tag_resource()
        .resource_arn(&arn)
        .tags(ledger)
        .send()
        .await
        .map_err(|e| from_sdk("TagResource", e))?;
    Ok(())
}

/// Deletes the topic.
pub async fn delete_topic(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    let arn = p.arns().await?.topic(name);
    p.changes
        .sns
        .delete_topic()
        .topic_arn(arn)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteTopic", e))?;
    Ok(())
}

/// (subscription ARN, subscription) of every subscription of the topic.
async fn list_subscriptions(
    p: &AwsProvider,
    topic: &str,
) -> ProviderResult<Vec<(String, Subscription)>> {
    let arn = p.arns().await?.topic(topic);
    let result = p
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    let subs = match result.map_err(|e| from_sdk("ListSubscriptionsByTopic", e)) {
        Err(crate::provider::ProviderError::NotFound(_)) => return Ok(Vec::new()),
        other => other?,
    };
    for_each(&subs, |s| async move {
        let sub_arn = s.subscription_arn().unwrap_or_default().to_string();
        let pending =
            sub_arn == PENDING || sub_arn.is_empty() || still_pending(p, &sub_arn).await?;
        Ok((
            sub_arn.clone(),
            Subscription {
                topic: topic.to_string(),
                protocol: s.protocol().unwrap_or_default().to_string(),
                endpoint: s.endpoint().unwrap_or_default().to_string(),
                pending,
            },
        ))
    })
    .await
}

/// Whether a listed subscription still waits for confirmation: SNS lists
/// most pending ones without an ARN, but says so in their attributes too.
async fn still_pending(p: &AwsProvider, arn: &str) -> ProviderResult<bool> {
    let out = p
        .sns
        .get_subscription_attributes()
        .subscription_arn(arn)
        .send()
        .await
        .map_err(|e| from_sdk("GetSubscriptionAttributes", e))?;
    Ok(out
        .attributes()
        .and_then(|a| a.get(PENDING))
        .is_some_and(|v| v == "true"))
}

/// Every subscription of `topic` (none if the topic does not exist).
pub async fn read_subscriptions(p: &AwsProvider, topic: &str) -> ProviderResult<Vec<Existing>> {
    Ok(list_subscriptions(p, topic)
        .await?
        .into_iter()
        .map(|(_, s)| Existing {
            resource: Resource::Subscription(s),
            tags: BTreeMap::new(),
        })
        .collect())
}

/// Subscribes the endpoint (SNS sends the confirmation request).
pub async fn subscribe(p: &AwsProvider, sub: &Subscription) -> ProviderResult<()> {
    let arn = p.arns().await?.topic(&sub.topic);
    p.changes
        .sns
        .subscribe()
        .topic_arn(arn)
        .protocol(&sub.protocol)
        .endpoint(&sub.endpoint)
        .send()
        .await
        .map_err(|e| from_sdk("Subscribe", e))?;
    Ok(())
}

/// Unsubscribes the endpoint; a subscription still pending has no ARN to
/// unsubscribe (SNS drops it after three days).
pub async fn unsubscribe(p: &AwsProvider, sub: &Subscription) -> ProviderResult<()> {
    let found = list_subscriptions(p, &sub.topic).await?;
    let Some((arn, s)) = found
        .iter()
        .find(|(_, s)| s.protocol == sub.protocol && s.endpoint == sub.endpoint)
    else {
        return Ok(());
    };
    if s.pending {
        return Err(crate::provider::ProviderError::Invalid(format!(
            "subscription {} is pending confirmation and cannot be removed; SNS deletes it after 3 days",
            sub.endpoint
        )));
    }
    p.changes
        .sns
        .unsubscribe()
        .subscription_arn(arn)
        .send()
        .await
        .map_err(|e| from_sdk("Unsubscribe", e))?;
    Ok(())
}
