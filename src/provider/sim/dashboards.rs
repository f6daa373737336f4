//! The seed's three CloudWatch dashboards in the demo account
//! ([`BODIES`], over the metrics the demo account serves), named
//! `<prefix>-<suffix>`.

use jiff::Timestamp;

use crate::model::DashboardSummary;
use crate::model::dashboard::seed::BODIES;

/// The demo account's dashboards, named `<prefix>-<suffix>`.
pub fn list(prefix: &str, created: Timestamp) -> Vec<DashboardSummary> {
    BODIES
        .iter()
        .map(|(suffix, body)| DashboardSummary {
            name: format!("{prefix}-{suffix}"),
            modified_at: Some(created),
            size: Some(body.replace("${prefix}", prefix).len() as i64),
        })
        .collect()
}

/// The body of the dashboard called `name`, or `None`.
pub fn body(prefix: &str, name: &str) -> Option<String> {
    let suffix = name.strip_prefix(prefix)?.strip_prefix('-')?;
    BODIES
        .iter()
        .find(|(s, _)| *s == suffix)
        .map(|(_, body)| body.replace("${prefix}", prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dashboard::Dashboard;

    #[test]
    fn the_seed_dashboards_parse_without_widget_errors() {
        let listed = list("p", Timestamp::UNIX_EPOCH);
        assert_eq!(
            listed.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
            ["p-api-performance", "p-data-pipeline", "p-ml-performance"]
        );
        for summary in listed {
            let text = body("p", &summary.name).unwrap();
            assert!(!text.contains("${prefix}"));
            let dashboard = Dashboard::parse(&text).unwrap();
            assert_eq!(dashboard.errors().count(), 0, "{}", summary.name);
        }
        assert_eq!(body("p", "p-nope"), None);
        assert_eq!(body("p", "other-api-performance"), None);
    }
}
