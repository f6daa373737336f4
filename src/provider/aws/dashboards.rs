//! CloudWatch dashboards: the list (every page) and one body.

use aws_sdk_cloudwatch::Client;

use super::convert::{next_page, opt_timestamp};
use super::errors::from_sdk;
use crate::model::DashboardSummary;
use crate::provider::ProviderResult;

/// Every dashboard, following NextToken to the end.
pub async fn list(client: &Client) -> ProviderResult<Vec<DashboardSummary>> {
    let mut dashboards = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_dashboards()
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| from_sdk("ListDashboards", e))?;
        dashboards.extend(page.dashboard_entries().iter().map(|d| DashboardSummary {
            name: d.dashboard_name().unwrap_or_default().to_string(),
            modified_at: opt_timestamp(d.last_modified()),
            size: d.size(),
        }));
        token = next_page(token.as_deref(), page.next_token());
        if token.is_none() {
            return Ok(dashboards);
        }
    }
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
