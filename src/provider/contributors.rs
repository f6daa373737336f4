//! Contributor Insights: the top contributors of a rule over a window
//! (GetInsightRuleReport), which dashboards show as a bar list.

use async_trait::async_trait;

use super::ProviderResult;
use crate::model::insight_rule::{InsightReport, InsightRuleQuery};

/// Reads Contributor Insights reports.
#[async_trait]
pub trait ContributorsRead: Send + Sync + std::fmt::Debug {
    /// GetInsightRuleReport: the rule's top contributors over the window.
    async fn insight_rule_report(&self, query: &InsightRuleQuery) -> ProviderResult<InsightReport>;
}
