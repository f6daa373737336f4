//! CloudWatch alarm mute rules (PutAlarmMuteRule / DeleteAlarmMuteRule):
//! a one-time `at()` schedule with a duration. Services that do not know
//! the operation (the emulator answers `InvalidAction`) give
//! [`ProviderError::Unsupported`], so callers fall back to disabling actions.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::primitives::DateTime;
use std::collections::HashSet;

use aws_sdk_cloudwatch::types::{AlarmMuteRuleStatus, MuteTargets, Rule, Schedule};

use super::errors::from_sdk;
use crate::model::mute::MuteRule;
use crate::provider::{ProviderError, ProviderResult};

/// Error codes meaning "this endpoint does not implement the operation".
const UNKNOWN_OPERATION_CODES: [&str; 4] = [
    "InvalidAction",
    "UnknownOperationException",
    "UnknownOperation",
    "NotImplemented",
];

/// Creates or replaces `rule`.
pub async fn put(client: &Client, rule: &MuteRule) -> ProviderResult<()> {
    let schedule = Schedule::builder()
        .expression(rule.at_expression())
        .duration(rule.iso_duration())
        .timezone("UTC")
        .build();
    let targets = MuteTargets::builder()
        .set_alarm_names(Some(rule.alarm_names.clone()))
        .build();
    client
        .put_alarm_mute_rule()
        .name(&rule.name)
        .description(&rule.description)
        .rule(Rule::builder().schedule(schedule).build())
        .mute_targets(targets)
        .expire_date(DateTime::from_secs(rule.end().as_second()))
        .send()
        .await
        .map_err(|e| unsupported_if_unknown(from_sdk("PutAlarmMuteRule", e)))?;
    Ok(())
}

/// Deletes the rule called `name`.
pub async fn delete(client: &Client, name: &str) -> ProviderResult<()> {
    client
        .delete_alarm_mute_rule()
        .alarm_mute_rule_name(name)
        .send()
        .await
        .map_err(|e| unsupported_if_unknown(from_sdk("DeleteAlarmMuteRule", e)))?;
    Ok(())
}

/// Names of the mute rules that have not expired, every page followed;
/// `None` where the service has no mute rules.
pub async fn active_names(client: &Client) -> ProviderResult<Option<HashSet<String>>> {
    let mut pages = client.list_alarm_mute_rules().into_paginator().send();
    let mut names = HashSet::new();
    while let Some(page) = pages.next().await {
        let page = match page.map_err(|e| unsupported_if_unknown(from_sdk("ListAlarmMuteRules", e)))
        {
            Ok(page) => page,
            Err(ProviderError::Unsupported(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        for rule in page.alarm_mute_rule_summaries() {
            if rule.status() == Some(&AlarmMuteRuleStatus::Expired) {
                continue;
            }
            if let Some(name) = rule.alarm_mute_rule_arn().and_then(name_of_arn) {
                names.insert(name.to_string());
            }
        }
    }
    Ok(Some(names))
}

/// The rule name at the end of a mute rule's ARN (`...:alarm-mute-rule:NAME`
/// or `.../NAME`).
fn name_of_arn(arn: &str) -> Option<&str> {
    arn.rsplit([':', '/']).next().filter(|n| !n.is_empty())
}

/// Turns "unknown operation" answers into [`ProviderError::Unsupported`].
fn unsupported_if_unknown(err: ProviderError) -> ProviderError {
    match err {
        ProviderError::Service {
            operation,
            code,
            message,
            ..
        } if UNKNOWN_OPERATION_CODES.contains(&code.as_str()) => {
            ProviderError::Unsupported(format!("{operation}: {code}: {message}"))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_come_from_the_end_of_the_arn() {
        assert_eq!(
            name_of_arn("arn:aws:cloudwatch:us-east-1:1:alarm-mute-rule:monitui-silence-x"),
            Some("monitui-silence-x")
        );
        assert_eq!(name_of_arn("arn:aws:cloudwatch::1:mute/r1"), Some("r1"));
        assert_eq!(name_of_arn("arn:x:"), None);
    }

    #[test]
    fn unknown_operation_codes_become_unsupported() {
        for code in UNKNOWN_OPERATION_CODES {
            let err = ProviderError::Service {
                operation: "PutAlarmMuteRule".into(),
                code: code.into(),
                message: "no".into(),
                retryable: false,
            };
            assert!(matches!(
                unsupported_if_unknown(err),
                ProviderError::Unsupported(m) if m.contains(code)
            ));
        }
        let other = ProviderError::Service {
            operation: "PutAlarmMuteRule".into(),
            code: "LimitExceeded".into(),
            message: "too many".into(),
            retryable: false,
        };
        assert_eq!(unsupported_if_unknown(other.clone()), other);
    }
}
