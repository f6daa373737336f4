//! Contributor Insights: what GetInsightRuleReport is asked (a rule, a
//! window, how many top contributors) and what it answers (each
//! contributor's keys and its value over the window).

use serde::{Deserialize, Serialize};

use super::TimeRange;

/// How the top contributors are ranked (`orderBy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContributorOrder {
    /// By the sum of their values over the window (the default).
    #[default]
    Sum,
    /// By their largest value in one period.
    Maximum,
}

impl ContributorOrder {
    /// The service's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sum => "Sum",
            Self::Maximum => "Maximum",
        }
    }
}

/// One GetInsightRuleReport request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightRuleQuery {
    /// The rule's name.
    pub rule_name: String,
    /// The window reported on.
    pub range: TimeRange,
    /// Period of the report's datapoints, seconds.
    pub period_secs: u32,
    /// How many top contributors to return (1 to 100).
    pub max_contributors: u32,
    /// How they are ranked.
    pub order_by: ContributorOrder,
}

/// One contributor of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contributor {
    /// Its values of the rule's keys, in the order of `key_labels`.
    pub keys: Vec<String>,
    /// Its (approximate) value over the window, by the report's order.
    pub value: f64,
}

/// A GetInsightRuleReport answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InsightReport {
    /// The names of the rule's keys (`resourcePath`, `sourceIPAddress`...).
    pub key_labels: Vec<String>,
    /// The top contributors, largest first.
    pub contributors: Vec<Contributor>,
    /// How many distinct contributors there were (approximate).
    pub unique_contributors: Option<i64>,
}

impl Contributor {
    /// The keys joined as the console shows them (`GET /orders · 500`).
    pub fn label(&self) -> String {
        self.keys.join(" · ")
    }
}
