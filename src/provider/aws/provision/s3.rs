//! The trail's S3 bucket: default KMS encryption, public access block,
//! bucket policy, tags.

use std::collections::BTreeMap;

use aws_sdk_s3::types::{
    BucketLocationConstraint, CreateBucketConfiguration, PublicAccessBlockConfiguration,
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule, Tag, Tagging,
};

use super::{AwsProvider, absent_is_none, for_each, in_scope};
use crate::model::stack::{Bucket, Existing, Resource};
use crate::provider::aws::errors::from_sdk;
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, ProviderResult};

fn invalid(e: impl std::fmt::Display) -> ProviderError {
    ProviderError::Invalid(e.to_string())
}

/// The scope's buckets (ListBuckets, then four reads per bucket in parallel).
pub async fn read(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let buckets = p
        .reads
        .s3()
        .list_buckets()
        .max_buckets(10_000)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| from_sdk("ListBuckets", e))?;
    let names: Vec<String> = buckets
        .iter()
        .flat_map(|page| page.buckets())
        .filter_map(|b| b.name())
        .filter(|n| in_scope(scope, n))
        .map(str::to_string)
        .collect();
    for_each(&names, |name| read_one(p, name)).await
}

async fn read_one(p: &AwsProvider, name: &str) -> ProviderResult<Existing> {
    let (encryption, block, policy, tagging) = tokio::try_join!(
        async {
            absent_is_none(
                p.reads
                    .s3()
                    .get_bucket_encryption()
                    .bucket(name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("GetBucketEncryption", e)),
            )
        },
        async {
            absent_is_none(
                p.reads
                    .s3()
                    .get_public_access_block()
                    .bucket(name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("GetPublicAccessBlock", e)),
            )
        },
        async {
            absent_is_none(
                p.reads
                    .s3()
                    .get_bucket_policy()
                    .bucket(name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("GetBucketPolicy", e)),
            )
        },
        async {
            absent_is_none(
                p.reads
                    .s3()
                    .get_bucket_tagging()
                    .bucket(name)
                    .send()
                    .await
                    .map_err(|e| from_sdk("GetBucketTagging", e)),
            )
        },
    )?;
    let kms_key = encryption
        .as_ref()
        .and_then(|e| e.server_side_encryption_configuration())
        .and_then(|c| c.rules().first())
        .and_then(|r| r.apply_server_side_encryption_by_default())
        .filter(|d| *d.sse_algorithm() == ServerSideEncryption::AwsKms)
        .and_then(|d| d.kms_master_key_id())
        .map(str::to_string);
    let public_access_blocked = block
        .as_ref()
        .and_then(|b| b.public_access_block_configuration())
        .is_some_and(|c| {
            c.block_public_acls() == Some(true)
                && c.ignore_public_acls() == Some(true)
                && c.block_public_policy() == Some(true)
                && c.restrict_public_buckets() == Some(true)
        });
    let policy = policy.as_ref().and_then(|p| p.policy()).map(|text| {
        serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_string()))
    });
    let tags = tagging
        .as_ref()
        .map(|t| {
            t.tag_set()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect()
        })
        .unwrap_or_default();
    Ok(Existing {
        resource: Resource::Bucket(Bucket {
            name: name.to_string(),
            kms_key,
            public_access_blocked,
            policy,
        }),
        tags,
    })
}

/// Creates the bucket (tagged) if needed, then sets encryption, the
/// public access block and the policy (each call is idempotent).
pub async fn put(
    p: &AwsProvider,
    bucket: &Bucket,
    exists: bool,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    if !exists {
        let mut create = p.changes.s3().create_bucket().bucket(&bucket.name);
        if p.region != "us-east-1" {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(p.region.as_str()))
                    .build(),
            );
        }
        create
            .send()
            .await
            .map_err(|e| from_sdk("CreateBucket", e))?;
        let tag_set = tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build().map_err(invalid))
            .collect::<Result<Vec<_>, _>>()?;
        p.changes
            .s3()
            .put_bucket_tagging()
            .bucket(&bucket.name)
            .tagging(
                Tagging::builder()
                    .set_tag_set(Some(tag_set))
                    .build()
                    .map_err(invalid)?,
            )
            .send()
            .await
            .map_err(|e| from_sdk("PutBucketTagging", e))?;
    }
    let default = match &bucket.kms_key {
        Some(key) => ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::AwsKms)
            .kms_master_key_id(key),
        None => {
            ServerSideEncryptionByDefault::builder().sse_algorithm(ServerSideEncryption::Aes256)
        }
    };
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(default.build().map_err(invalid)?)
        .bucket_key_enabled(bucket.kms_key.is_some())
        .build();
    p.changes
        .s3()
        .put_bucket_encryption()
        .bucket(&bucket.name)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build()
                .map_err(invalid)?,
        )
        .send()
        .await
        .map_err(|e| from_sdk("PutBucketEncryption", e))?;
    p.changes
        .s3()
        .put_public_access_block()
        .bucket(&bucket.name)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(bucket.public_access_blocked)
                .ignore_public_acls(bucket.public_access_blocked)
                .block_public_policy(bucket.public_access_blocked)
                .restrict_public_buckets(bucket.public_access_blocked)
                .build(),
        )
        .send()
        .await
        .map_err(|e| from_sdk("PutPublicAccessBlock", e))?;
    match &bucket.policy {
        Some(policy) => {
            p.changes
                .s3()
                .put_bucket_policy()
                .bucket(&bucket.name)
                .policy(policy.to_string())
                .send()
                .await
                .map_err(|e| from_sdk("PutBucketPolicy", e))?;
        }
        None => {
            p.changes
                .s3()
                .delete_bucket_policy()
                .bucket(&bucket.name)
                .send()
                .await
                .map_err(|e| from_sdk("DeleteBucketPolicy", e))?;
        }
    }
    Ok(())
}

/// Deletes the bucket; S3 refuses while it still holds delivered logs,
/// which monitui never deletes.
pub async fn delete(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    p.changes
        .s3()
        .delete_bucket()
        .bucket(name)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteBucket", e))?;
    Ok(())
}
