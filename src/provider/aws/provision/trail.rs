//! The CloudTrail trail: settings, CloudWatch Logs delivery, data event
//! selectors, logging on or off, tags.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_cloudtrail::types::{DataResource, EventSelector, ReadWriteType, Tag};

use super::{AwsProvider, absent_is_none, arn_tail, for_each, in_scope};
use crate::model::stack::{Existing, Resource, Trail, TrailHealth};
use crate::provider::aws::errors::from_sdk;
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, ProviderResult};

const S3_OBJECT: &str = "AWS::S3::Object";
const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";
/// The selector value meaning every Lambda function.
const ALL_FUNCTIONS: &str = "arn:aws:lambda";
/// CloudTrail checks the delivery role when the trail is updated; a role
/// made seconds earlier may not have reached every IAM endpoint yet.
const ROLE_PROPAGATION_TRIES: u32 = 6;
const ROLE_PROPAGATION_WAIT: Duration = Duration::from_secs(5);

/// The scope's trails of this region (DescribeTrails, then selectors,
/// status and tags of each in parallel).
pub async fn read(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let out = p
        .reads
        .cloudtrail()
        .describe_trails()
        .include_shadow_trails(false)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeTrails", e))?;
    let trails: Vec<_> = out
        .trail_list()
        .iter()
        .filter(|t| t.name().is_some_and(|n| in_scope(scope, n)))
        .cloned()
        .collect();
    for_each(&trails, |t| async move {
        let name = t.name().unwrap_or_default();
        let arn = t.trail_arn().unwrap_or(name);
        let (selectors, status, tags) = tokio::try_join!(
            async {
                p.reads
                    .cloudtrail()
                    .get_event_selectors()
                    .trail_name(name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("GetEventSelectors", e))
            },
            async {
                p.reads
                    .cloudtrail()
                    .get_trail_status()
                    .name(name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("GetTrailStatus", e))
            },
            async {
                absent_is_none(
                    p.reads
                        .cloudtrail()
                        .list_tags()
                        .resource_id_list(arn)
                        .send()
                        .await
                        .map_err(|e| from_sdk("ListTags", e)),
                )
            }
        )?;
        let resources: Vec<&DataResource> = selectors
            .event_selectors()
            .iter()
            .flat_map(EventSelector::data_resources)
            .collect();
        let mut s3_data_buckets: Vec<String> = resources
            .iter()
            .filter(|r| r.r#type() == Some(S3_OBJECT))
            .flat_map(|r| r.values())
            .map(|v| {
                v.trim_start_matches("arn:aws:s3:::")
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect();
        s3_data_buckets.sort();
        let tags = tags
            .iter()
            .flat_map(|t| t.resource_tag_list())
            .flat_map(|r| r.tags_list())
            .map(|t| {
                (
                    t.key().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            })
            .collect();
        Ok(Existing {
            resource: Resource::Trail(Trail {
                name: name.to_string(),
                bucket: t.s3_bucket_name().unwrap_or_default().to_string(),
                kms_key: t.kms_key_id().map(str::to_string),
                multi_region: t.is_multi_region_trail().unwrap_or(false),
                log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
                log_group: t.cloud_watch_logs_log_group_arn().map(log_group_of),
                role: t.cloud_watch_logs_role_arn().map(|a| arn_tail(a, '/')),
                s3_data_buckets,
                lambda_data_events: resources
                    .iter()
                    .any(|r| r.r#type() == Some(LAMBDA_FUNCTION)),
                logging: status.is_logging().unwrap_or(false),
            }),
            tags,
        })
    })
    .await
}

/// GetTrailStatus of `name`: logging, and the last delivery errors.
pub async fn health(p: &AwsProvider, name: &str) -> ProviderResult<Option<TrailHealth>> {
    let status = absent_is_none(
        p.reads
            .cloudtrail()
            .get_trail_status()
            .name(name)
            .send()
            .await
            .map_err(|e| from_sdk("GetTrailStatus", e)),
    )?;
    let error = |e: Option<&str>| e.filter(|e| !e.is_empty()).map(str::to_string);
    Ok(status.map(|s| TrailHealth {
        logging: s.is_logging().unwrap_or(false),
        delivery_error: error(s.latest_delivery_error()),
        logs_delivery_error: error(s.latest_cloud_watch_logs_delivery_error()),
    }))
}

/// The log group name in a delivery ARN `arn:aws:logs:R:A:log-group:NAME:*`.
fn log_group_of(arn: &str) -> String {
    arn.split_once(":log-group:")
        .map_or(arn, |(_, rest)| rest.strip_suffix(":*").unwrap_or(rest))
        .to_string()
}

/// Creates or changes the trail. A new trail is created, tagged, then
/// given its Logs delivery (retrying while IAM spreads a new role), its
/// selectors, and started.
pub async fn put(
    p: &AwsProvider,
    trail: &Trail,
    current: Option<&Trail>,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    let arns = p.arns().await?;
    if current.is_none() {
        let out = p
            .changes
            .cloudtrail()
            .create_trail()
            .name(&trail.name)
            .s3_bucket_name(&trail.bucket)
            .set_kms_key_id(trail.kms_key.clone())
            .is_multi_region_trail(trail.multi_region)
            .enable_log_file_validation(trail.log_file_validation)
            .include_global_service_events(true)
            .send()
            .await
            .map_err(|e| from_sdk("CreateTrail", e))?;
        let wire: Vec<Tag> = tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<_, _>>()
            .map_err(|e| ProviderError::Invalid(e.to_string()))?;
        p.changes
            .cloudtrail()
            .add_tags()
            .resource_id(out.trail_arn().unwrap_or(&trail.name))
            .set_tags_list(Some(wire))
            .send()
            .await
            .map_err(|e| from_sdk("AddTags", e))?;
    }
    let settings_differ = current.is_none_or(|c| {
        (
            &c.bucket,
            &c.kms_key,
            c.multi_region,
            c.log_file_validation,
            &c.log_group,
            &c.role,
        ) != (
            &trail.bucket,
            &trail.kms_key,
            trail.multi_region,
            trail.log_file_validation,
            &trail.log_group,
            &trail.role,
        )
    });
    if settings_differ {
        update_settings(p, trail, &arns).await?;
    }
    if current.is_none_or(|c| {
        (&c.s3_data_buckets, c.lambda_data_events)
            != (&trail.s3_data_buckets, trail.lambda_data_events)
    }) {
        put_selectors(p, trail).await?;
    }
    if current.is_none_or(|c| c.logging != trail.logging) {
        if trail.logging {
            p.changes
                .cloudtrail()
                .start_logging()
                .name(&trail.name)
                .send()
                .await
                .map_err(|e| from_sdk("StartLogging", e))?;
        } else {
            p.changes
                .cloudtrail()
                .stop_logging()
                .name(&trail.name)
                .send()
                .await
                .map_err(|e| from_sdk("StopLogging", e))?;
        }
    }
    Ok(())
}

async fn update_settings(p: &AwsProvider, trail: &Trail, arns: &super::Arns) -> ProviderResult<()> {
    let log_group = trail
        .log_group
        .as_ref()
        .map(|g| format!("{}:*", arns.log_group(g)));
    let role = trail.role.as_ref().map(|r| arns.role(r));
    let mut attempt = 1;
    loop {
        let result = p
            .changes
            .cloudtrail()
            .update_trail()
            .name(&trail.name)
            .s3_bucket_name(&trail.bucket)
            .kms_key_id(trail.kms_key.clone().unwrap_or_default())
            .is_multi_region_trail(trail.multi_region)
            .enable_log_file_validation(trail.log_file_validation)
            .cloud_watch_logs_log_group_arn(log_group.clone().unwrap_or_default())
            .cloud_watch_logs_role_arn(role.clone().unwrap_or_default())
            .send()
            .await
            .map_err(|e| from_sdk("UpdateTrail", e));
        match result {
            Err(ProviderError::Service { code, .. })
                if code.starts_with("InvalidCloudWatchLogs")
                    && attempt < ROLE_PROPAGATION_TRIES =>
            {
                attempt += 1;
                tokio::time::sleep(ROLE_PROPAGATION_WAIT).await;
            }
            other => return other.map(|_| ()),
        }
    }
}

async fn put_selectors(p: &AwsProvider, trail: &Trail) -> ProviderResult<()> {
    let mut selector = EventSelector::builder()
        .read_write_type(ReadWriteType::All)
        .include_management_events(true);
    if !trail.s3_data_buckets.is_empty() {
        selector = selector.data_resources(
            DataResource::builder()
                .r#type(S3_OBJECT)
                .set_values(Some(
                    trail
                        .s3_data_buckets
                        .iter()
                        .map(|b| format!("arn:aws:s3:::{b}/"))
                        .collect(),
                ))
                .build(),
        );
    }
    if trail.lambda_data_events {
        selector = selector.data_resources(
            DataResource::builder()
                .r#type(LAMBDA_FUNCTION)
                .values(ALL_FUNCTIONS)
                .build(),
        );
    }
    p.changes
        .cloudtrail()
        .put_event_selectors()
        .trail_name(&trail.name)
        .event_selectors(selector.build())
        .send()
        .await
        .map_err(|e| from_sdk("PutEventSelectors", e))?;
    Ok(())
}

/// Deletes the trail (its delivered files stay in the bucket).
pub async fn delete(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    p.changes
        .cloudtrail()
        .delete_trail()
        .name(name)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteTrail", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_arns_give_back_the_group_name() {
        assert_eq!(
            log_group_of("arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/p:*"),
            "/aws/cloudtrail/p"
        );
        assert_eq!(log_group_of("arn:aws:logs:us-east-1:1:log-group:g"), "g");
    }
}
