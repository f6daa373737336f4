//! CloudWatch dashboards: the list (every page) and one body.

use aws_sdk_cloudwatch::Client;

use super::convert::opt_timestamp;
use super::errors::from_sdk;
use crate::model::DashboardSummary;
use crate::provider::ProviderResult;

/// Every dashboard, all pages followed by the SDK's paginator
/// (ListDashboards has no page size to ask for).
pub async fn list(client: &Client) -> ProviderResult<Vec<DashboardSummary>> {
    let entries = client
        .list_dashboards()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| from_sdk("ListDashboards", e))?;
    Ok(entries
        .iter()
        .map(|d| DashboardSummary {
            name: d.dashboard_name().unwrap_or_default().to_string(),
            modified_at: opt_timestamp(d.last_modified()),
            size: d.size(),
        })
        .collect())
}

/// The body JSON of dashboard `name`.
pub async fn body(client: &Client, name: &str) -> ProviderResult<String> {
    let out = client
        .get_dashboard()
        .dashboard_name(name)
        .send()
        .await
        .map_err(|e| from_sdk("GetDashboard", e))?;
    Ok(out.dashboard_body().unwrap_or_default().to_string())
}
