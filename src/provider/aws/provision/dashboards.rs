//! The stack's dashboards (which cannot be tagged: the topic keeps their
//! names).

use super::{AwsProvider, absent_is_none, for_each};
use crate::model::stack::{Dashboard, Existing, Resource};
use crate::provider::aws::errors::from_sdk;
use crate::provider::{ProviderError, ProviderResult};

/// The named dashboards that exist (GetDashboard of each in parallel).
pub async fn read(p: &AwsProvider, names: &[String]) -> ProviderResult<Vec<Existing>> {
    let found = for_each(names, |name| async move {
        let body = absent_is_none(
            crate::provider::aws::dashboards::body(p.reads.cloudwatch(), name).await,
        )?;
        Ok(body.map(|text| Existing {
            resource: Resource::Dashboard(Dashboard {
                name: name.clone(),
                body: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
            }),
            tags: Default::default(),
        }))
    })
    .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Creates or replaces the dashboard; the service's validation messages
/// are an error.
pub async fn put(p: &AwsProvider, dashboard: &Dashboard) -> ProviderResult<()> {
    let out = p
        .changes
        .cloudwatch()
        .put_dashboard()
        .dashboard_name(&dashboard.name)
        .dashboard_body(dashboard.body.to_string())
        .send()
        .await
        .map_err(|e| from_sdk("PutDashboard", e))?;
    let messages: Vec<String> = out
        .dashboard_validation_messages()
        .iter()
        .map(|m| {
            format!(
                "{}: {}",
                m.data_path().unwrap_or("body"),
                m.message().unwrap_or_default()
            )
        })
        .collect();
    if messages.is_empty() {
        Ok(())
    } else {
        Err(ProviderError::Invalid(format!(
            "dashboard {}: {}",
            dashboard.name,
            messages.join("; ")
        )))
    }
}

/// Deletes the dashboard.
pub async fn delete(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    p.changes
        .cloudwatch()
        .delete_dashboards()
        .dashboard_names(name)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteDashboards", e))?;
    Ok(())
}
