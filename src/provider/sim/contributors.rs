//! The demo account's one Contributor Insights rule: the API's requests by
//! route and status, counted from the API Gateway access log lines the
//! account serves, so the report agrees with its logs (the Lambda burst's
//! 502s on the analytics routes rise into the top contributors).

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::Value;

use super::logs::DemoLogs;
use crate::model::insight_rule::{Contributor, ContributorOrder, InsightReport, InsightRuleQuery};
use crate::provider::{ProviderError, ProviderResult};

/// The rule's name for resources named `prefix-...`.
pub fn rule_name(prefix: &str) -> String {
    format!("{prefix}-api-top-routes")
}

/// The report of `query` as of `now`.
pub fn report(
    logs: &DemoLogs,
    prefix: &str,
    query: &InsightRuleQuery,
    now: Timestamp,
) -> ProviderResult<InsightReport> {
    if query.rule_name != rule_name(prefix) {
        return Err(ProviderError::NotFound(format!(
            "insight rule {}",
            query.rule_name
        )));
    }
    if query.range.start >= query.range.end || query.period_secs == 0 {
        return Err(ProviderError::Invalid(
            "GetInsightRuleReport: the start time must be before the end time and the period positive"
                .into(),
        ));
    }
    let period = i64::from(query.period_secs);
    let mut counts: HashMap<Vec<String>, HashMap<i64, f64>> = HashMap::new();
    for event in logs.events(&format!("/aws/apigateway/{prefix}"), query.range, now)? {
        let Ok(record) = serde_json::from_str::<Value>(&event.message) else {
            continue;
        };
        let keys = ["resourcePath", "status"].map(|k| match &record[k] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let bucket = event.timestamp.as_second().div_euclid(period);
        *counts
            .entry(keys.to_vec())
            .or_default()
            .entry(bucket)
            .or_default() += 1.0;
    }
    let unique = counts.len();
    let mut contributors: Vec<Contributor> = counts
        .into_iter()
        .map(|(keys, periods)| Contributor {
            keys,
            value: match query.order_by {
                ContributorOrder::Sum => periods.values().sum(),
                ContributorOrder::Maximum => periods.values().copied().fold(0.0, f64::max),
            },
        })
        .collect();
    contributors.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.keys.cmp(&b.keys)));
    contributors.truncate(query.max_contributors as usize);
    Ok(InsightReport {
        key_labels: vec!["resourcePath".into(), "status".into()],
        contributors,
        unique_contributors: Some(unique as i64),
    })
}
