//! The stack's log groups: retention, KMS key, tags.

use std::collections::BTreeMap;

use super::{AwsProvider, for_each, in_scope};
use crate::model::stack::{Existing, LogGroup, Resource};
use crate::provider::ProviderResult;
use crate::provider::aws::errors::from_sdk;
use crate::provider::provision::ReadScope;

/// The scope's log groups (one DescribeLogGroups listing, then the tags of
/// each in parallel).
pub async fn read(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let groups: Vec<_> = crate::provider::aws::logs::list_groups(p.reads.logs())
        .await?
        .into_iter()
        .filter(|g| in_scope(scope, &g.name))
        .collect();
    let arns = p.arns().await?;
    for_each(&groups, |g| {
        let arn = arns.log_group(&g.name);
        async move {
            let out = p
                .reads
                .logs()
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .map_err(|e| from_sdk("ListTagsForResource", e))?;
            Ok(Existing {
                resource: Resource::LogGroup(LogGroup {
                    name: g.name.clone(),
                    retention_days: g.retention_days,
                    kms_key: g.kms_key_id.clone(),
                }),
                tags: out
                    .tags()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
            })
        }
    })
    .await
}

/// Creates the group (with tags and key) or changes retention and key.
pub async fn put(
    p: &AwsProvider,
    group: &LogGroup,
    current: Option<&LogGroup>,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    match current {
        None => {
            p.changes
                .logs()
                .create_log_group()
                .log_group_name(&group.name)
                .set_kms_key_id(group.kms_key.clone())
                .set_tags(Some(tags.clone().into_iter().collect()))
                .send()
                .await
                .map_err(|e| from_sdk("CreateLogGroup", e))?;
        }
        Some(current) if current.kms_key != group.kms_key => match &group.kms_key {
            Some(key) => {
                p.changes
                    .logs()
                    .associate_kms_key()
                    .log_group_name(&group.name)
                    .kms_key_id(key)
                    .send()
                    .await
                    .map_err(|e| from_sdk("AssociateKmsKey", e))?;
            }
            None => {
                p.changes
                    .logs()
                    .disassociate_kms_key()
                    .log_group_name(&group.name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("DisassociateKmsKey", e))?;
            }
        },
        Some(_) => {}
    }
    if current.is_none_or(|c| c.retention_days != group.retention_days) {
        match group.retention_days {
            Some(days) => {
                p.changes
                    .logs()
                    .put_retention_policy()
                    .log_group_name(&group.name)
                    .retention_in_days(days as i32)
                    .send()
                    .await
                    .map_err(|e| from_sdk("PutRetentionPolicy", e))?;
            }
            None if current.is_some() => {
                p.changes
                    .logs()
                    .delete_retention_policy()
                    .log_group_name(&group.name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("DeleteRetentionPolicy", e))?;
            }
            None => {}
        }
    }
    Ok(())
}

/// Deletes the group and its events.
pub async fn delete(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    p.changes
        .logs()
        .delete_log_group()
        .log_group_name(name)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteLogGroup", e))?;
    Ok(())
}
