//! The trail's delivery role: trust policy, one inline policy, tags. IAM
//! returns policy documents URL-encoded.

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;
use serde_json::Value;

use super::{AwsProvider, absent_is_none, for_each, in_scope};
use crate::model::stack::{Existing, Resource, Role};
use crate::provider::aws::errors::from_sdk;
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, ProviderResult};

/// A policy document as IAM returns it (URL-encoded JSON), parsed.
fn document(text: &str) -> Value {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    serde_json::from_str(&decoded).unwrap_or_else(|_| Value::String(decoded.into_owned()))
}

/// The scope's roles (ListRoles, then GetRole and the inline policy of
/// each in parallel).
pub async fn read(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let roles = p
        .reads
        .iam()
        .list_roles()
        .max_items(1000)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| from_sdk("ListRoles", e))?;
    let names: Vec<String> = roles
        .iter()
        .map(|r| r.role_name().to_string())
        .filter(|n| in_scope(scope, n))
        .collect();
    let found = for_each(&names, |name| read_one(p, name)).await?;
    Ok(found.into_iter().flatten().collect())
}

async fn read_one(p: &AwsProvider, name: &str) -> ProviderResult<Option<Existing>> {
    let Some(role) = absent_is_none(
        p.reads
            .iam()
            .get_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| from_sdk("GetRole", e)),
    )?
    .and_then(|out| out.role) else {
        return Ok(None);
    };
    let policy_names = inline_policies(p, name).await?;
    let (policy_name, policy) = match policy_names.first() {
        Some(policy_name) => {
            let out = p
                .reads
                .iam()
                .get_role_policy()
                .role_name(name)
                .policy_name(policy_name)
                .send()
                .await
                .map_err(|e| from_sdk("GetRolePolicy", e))?;
            (policy_name.clone(), Some(document(out.policy_document())))
        }
        None => (String::new(), None),
    };
    Ok(Some(Existing {
        resource: Resource::Role(Role {
            name: name.to_string(),
            trust_policy: role
                .assume_role_policy_document()
                .map_or(Value::Null, document),
            policy_name,
            policy,
            permissions_boundary: role
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_string),
        }),
        tags: role
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
    }))
}

/// The names of the role's inline policies, sorted.
async fn inline_policies(p: &AwsProvider, role: &str) -> ProviderResult<Vec<String>> {
    let out = p
        .reads
        .iam()
        .list_role_policies()
        .role_name(role)
        .send()
        .await
        .map_err(|e| from_sdk("ListRolePolicies", e))?;
    let mut names = out.policy_names().to_vec();
    names.sort();
    Ok(names)
}

/// Creates the role (tagged, inside its permissions boundary) or gives it
/// the boundary it lacks and updates its trust policy, then puts the
/// inline policy. The boundary comes first: the admin policy allows
/// PutRolePolicy only on a role that carries it.
pub async fn put(
    p: &AwsProvider,
    role: &Role,
    current: Option<&Role>,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    if let Some(current) = current {
        if let Some(boundary) = &role.permissions_boundary
            && current.permissions_boundary.as_ref() != Some(boundary)
        {
            p.changes
                .iam()
                .put_role_permissions_boundary()
                .role_name(&role.name)
                .permissions_boundary(boundary)
                .send()
                .await
                .map_err(|e| from_sdk("PutRolePermissionsBoundary", e))?;
        }
        p.changes
            .iam()
            .update_assume_role_policy()
            .role_name(&role.name)
            .policy_document(role.trust_policy.to_string())
            .send()
            .await
            .map_err(|e| from_sdk("UpdateAssumeRolePolicy", e))?;
    } else {
        let wire = tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ProviderError::Invalid(e.to_string()))?;
        p.changes
            .iam()
            .create_role()
            .role_name(&role.name)
            .assume_role_policy_document(role.trust_policy.to_string())
            .set_permissions_boundary(role.permissions_boundary.clone())
            .set_tags(Some(wire))
            .send()
            .await
            .map_err(|e| from_sdk("CreateRole", e))?;
    }
    if let Some(policy) = &role.policy {
        p.changes
            .iam()
            .put_role_policy()
            .role_name(&role.name)
            .policy_name(&role.policy_name)
            .policy_document(policy.to_string())
            .send()
            .await
            .map_err(|e| from_sdk("PutRolePolicy", e))?;
    }
    Ok(())
}

/// Deletes the inline policies, then the role.
pub async fn delete(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    for policy in inline_policies(p, name).await? {
        p.changes
            .iam()
            .delete_role_policy()
            .role_name(name)
            .policy_name(&policy)
            .send()
            .await
            .map_err(|e| from_sdk("DeleteRolePolicy", e))?;
    }
    p.changes
        .iam()
        .delete_role()
        .role_name(name)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteRole", e))?;
    Ok(())
}
