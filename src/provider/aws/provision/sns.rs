//! The stack's SNS topic (KMS key, tags, the dashboard ledger tag) and its
//! subscriptions, recorded in the topic's subscription ledger tag when
//! monitui makes them (SNS subscriptions take no tags of their own).

use std::collections::BTreeMap;

use aws_sdk_sns::types::Tag;

use super::{AwsProvider, arn_tail, for_each, in_scope};
use crate::model::stack::{
    DASHBOARDS_TAG, Existing, Resource, SUBSCRIPTIONS_TAG, Subscription, Topic, ledger_entries,
    ledger_value,
};
use crate::provider::aws::errors::from_sdk;
use crate::provider::provision::{ReadScope, unrecorded_subscriptions};
use crate::provider::{ProviderError, ProviderResult};

/// The topic attribute holding the KMS key.
const KMS_ATTRIBUTE: &str = "KmsMasterKeyId";
/// What SNS reports instead of an ARN for a subscription not yet confirmed.
const PENDING: &str = "PendingConfirmation";

/// The scope's topics that exist (ListTopics, then attributes and tags of
/// each in parallel).
pub async fn read_topics(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let topics = p
        .reads
        .sns()
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

/// The tags of the topic `arn`.
async fn topic_tags(p: &AwsProvider, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
    let tags = p
        .reads
        .sns()
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(|e| from_sdk("ListTagsForResource", e))?;
    Ok(tags
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect())
}

async fn read_topic(p: &AwsProvider, arn: &str) -> ProviderResult<Existing> {
    let (attributes, tags) = tokio::try_join!(
        async {
            p.reads
                .sns()
                .get_topic_attributes()
                .topic_arn(arn)
                .send()
                .await
                .map_err(|e| from_sdk("GetTopicAttributes", e))
        },
        topic_tags(p, arn)
    )?;
    let mut dashboards = ledger_entries(tags.get(DASHBOARDS_TAG));
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
        .map_err(|e| ProviderError::Invalid(e.to_string()))?;
    if !exists {
        let mut create = p
            .changes
            .sns()
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
        .sns()
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
        .map_err(|e| ProviderError::Invalid(e.to_string()))?;
    p.changes
        .sns()
        .tag_resource()
        .resource_arn(&arn)
        .tags(ledger)
        .send()
        .await
        .map_err(|e| from_sdk("TagResource", e))?;
    Ok(())
}

/// Deletes the topic, unless it has subscriptions monitui did not make:
/// deleting a topic deletes them all, and a pager's subscription added by
/// hand must outlive a prune.
pub async fn delete_topic(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    let theirs: Vec<String> = read_subscriptions(p, name)
        .await?
        .into_iter()
        .filter(|e| e.tags.is_empty())
        .map(|e| e.resource.name())
        .collect();
    if !theirs.is_empty() {
        return Err(unrecorded_subscriptions(name, &theirs));
    }
    let arn = p.arns().await?.topic(name);
    p.changes
        .sns()
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
        .reads
        .sns()
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    let subs = match result.map_err(|e| from_sdk("ListSubscriptionsByTopic", e)) {
        Err(ProviderError::NotFound(_)) => return Ok(Vec::new()),
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
        .reads
        .sns()
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

/// Every subscription of `topic` (none if the topic does not exist), each
/// with the tags its topic's ledger gives it (see
/// `Subscription::recorded_tags`).
pub async fn read_subscriptions(p: &AwsProvider, topic: &str) -> ProviderResult<Vec<Existing>> {
    let subs = list_subscriptions(p, topic).await?;
    if subs.is_empty() {
        return Ok(Vec::new());
    }
    let tags = topic_tags(p, &p.arns().await?.topic(topic)).await?;
    Ok(subs
        .into_iter()
        .map(|(_, s)| Existing {
            tags: s.recorded_tags(&tags),
            resource: Resource::Subscription(s),
        })
        .collect())
}

/// Adds `sub` to its topic's subscription ledger (`add`) or removes it
/// (an empty ledger stays as an empty tag value).
async fn record(p: &AwsProvider, sub: &Subscription, add: bool) -> ProviderResult<()> {
    let arn = p.arns().await?.topic(&sub.topic);
    let name = Subscription::key(&sub.protocol, &sub.endpoint);
    let value = ledger_value(
        topic_tags(p, &arn).await?.get(SUBSCRIPTIONS_TAG),
        &name,
        add,
    );
    let tag = Tag::builder()
        .key(SUBSCRIPTIONS_TAG)
        .value(value)
        .build()
        .map_err(|e| ProviderError::Invalid(e.to_string()))?;
    p.changes
        .sns()
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag)
        .send()
        .await
        .map_err(|e| from_sdk("TagResource", e))?;
    Ok(())
}

/// Records making the subscription in the topic's ledger, then subscribes
/// the endpoint (SNS sends the confirmation request). The record comes
/// first so that a subscription whose answer is lost is still known as
/// monitui's; when SNS refuses it, the record is taken back.
pub async fn subscribe(p: &AwsProvider, sub: &Subscription) -> ProviderResult<()> {
    record(p, sub, true).await?;
    let arn = p.arns().await?.topic(&sub.topic);
    let sent = p
        .changes
        .sns()
        .subscribe()
        .topic_arn(arn)
        .protocol(&sub.protocol)
        .endpoint(&sub.endpoint)
        .send()
        .await
        .map_err(|e| from_sdk("Subscribe", e));
    match sent {
        Ok(_) => Ok(()),
        // It may have been made: the record stays, and the step's re-read
        // decides.
        Err(e) if e.outcome_unknown() => Err(e),
        Err(e) => {
            // The record goes too; if that fails the ledger names a
            // subscription that does not exist, which a later apply makes.
            let _ = record(p, sub, false).await;
            Err(e)
        }
    }
}

/// Takes the subscription off the topic's ledger, then unsubscribes the
/// endpoint (if unsubscribing fails, it is left unrecorded: kept, never
/// deleted by a later prune). A subscription still pending has no ARN to
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
        return Err(ProviderError::Invalid(format!(
            "subscription {} is pending confirmation and cannot be removed; SNS deletes it after 3 days",
            sub.endpoint
        )));
    }
    record(p, sub, false).await?;
    p.changes
        .sns()
        .unsubscribe()
        .subscription_arn(arn)
        .send()
        .await
        .map_err(|e| from_sdk("Unsubscribe", e))?;
    Ok(())
}
