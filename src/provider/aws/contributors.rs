//! Contributor Insights over aws-sdk-cloudwatch: GetInsightRuleReport
//! turned into an [`InsightReport`].

use aws_sdk_cloudwatch::Client;

use super::convert::to_datetime;
use super::errors::from_sdk;
use crate::model::insight_rule::{Contributor, InsightReport, InsightRuleQuery};
use crate::provider::ProviderResult;

/// GetInsightRuleReport of `query`: the top contributors, largest first.
pub async fn report(client: &Client, query: &InsightRuleQuery) -> ProviderResult<InsightReport> {
    let answer = client
        .get_insight_rule_report()
        .rule_name(&query.rule_name)
        .start_time(to_datetime(query.range.start))
        .end_time(to_datetime(query.range.end))
        .period(i32::try_from(query.period_secs).unwrap_or(i32::MAX))
        .max_contributor_count(i32::try_from(query.max_contributors).unwrap_or(i32::MAX))
        .order_by(query.order_by.as_str())
        .send()
        .await
        .map_err(|e| from_sdk("GetInsightRuleReport", e))?;
    let mut contributors: Vec<Contributor> = answer
        .contributors()
        .iter()
        .map(|c| Contributor {
            keys: c.keys().to_vec(),
            value: c.approximate_aggregate_value().unwrap_or(0.0),
        })
        .collect();
    contributors.sort_by(|a, b| b.value.total_cmp(&a.value));
    Ok(InsightReport {
        key_labels: answer.key_labels().to_vec(),
        contributors,
        unique_contributors: answer.approximate_unique_count(),
    })
}
