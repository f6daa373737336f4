//! The IAM permissions the aws provider needs, by role, and the
//! least-privilege policy for each (`monitui iam-policy`). The table below
//! lists every IAM action behind an SDK call in `provider/aws`, and the
//! tagging action of every create that sends tags; a test
//! (`tests/iam_policy.rs`) reads the provider's source for the calls it
//! makes and fails if one is missing here or one here is no longer called,
//! and checks each action against a copy of IAM's list of actions.

use serde_json::{Value, json};

/// Who runs monitui, each role including the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Reads everything: alarms, metrics, dashboards, logs, CloudTrail.
    Viewer,
    /// Adds acks, silences and tests of alarms, and the SNS note of an ack.
    Oncall,
    /// Adds publishing custom metrics and provisioning the stack.
    Admin,
}

impl Role {
    /// Every role, least trusted first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Oncall, Role::Admin];

    /// The role's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Oncall => "oncall",
            Role::Admin => "admin",
        }
    }
}

/// The account and the stack a policy is written for. Every ARN in a
/// policy names the account's partition and id; the stack's buckets and
/// roles are named exactly (from the spec), the rest by the prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...: the partition of the caller's ARN.
    pub partition: String,
    /// The 12-digit account id.
    pub account: String,
    /// The stack's resource-name prefix.
    pub prefix: String,
    /// The stack's S3 buckets, by exact name (another bucket whose name
    /// starts with the prefix, such as a data lake, is not the stack's).
    pub buckets: Vec<String>,
    /// The stack's IAM roles, by exact name.
    pub roles: Vec<String>,
    /// The stack's log groups whose name does not hold the prefix (such
    /// as `/aws/batch/job`), by exact name.
    pub other_log_groups: Vec<String>,
}

impl Target {
    /// A target with no stack resources named exactly: enough for the
    /// viewer and oncall policies, which change no bucket or role.
    pub fn account_only(partition: &str, account: &str, prefix: &str) -> Self {
        Target {
            partition: partition.to_string(),
            account: account.to_string(),
            prefix: prefix.to_string(),
            buckets: Vec::new(),
            roles: Vec::new(),
            other_log_groups: Vec::new(),
        }
    }

    /// The ARN of the managed policy every role the stack creates must
    /// carry as its permissions boundary.
    pub fn boundary_arn(&self) -> String {
        boundary_arn(&self.partition, &self.account, &self.prefix)
    }
}

/// The name of the stack's permissions boundary policy: made once by an
/// IAM administrator from `monitui iam-policy --boundary`, never by monitui.
pub fn boundary_name(prefix: &str) -> String {
    format!("{prefix}-monitui-boundary")
}

/// The ARN of [`boundary_name`] in the account `account` of `partition`.
pub fn boundary_arn(partition: &str, account: &str, prefix: &str) -> String {
    format!(
        "arn:{partition}:iam::{account}:policy/{}",
        boundary_name(prefix)
    )
}

/// Which resources an action is granted on; the prefix-scoped ones follow
/// the stack's naming (`<prefix>-...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Any resource: the action does not support resource-level
    /// permissions, or a viewer reads the whole account.
    Any,
    /// The stack's alarms.
    Alarms,
    /// The mute rules monitui names after the stack's alarms.
    MuteRules,
    /// Those mute rules and the stack's alarms: `PutAlarmMuteRule` is
    /// authorised on the rule and on every alarm it targets.
    MuteRulesAndAlarms,
    /// The stack's SNS topic(s).
    Topics,
    /// The stack's dashboards.
    Dashboards,
    /// The stack's log groups (named after the prefix, and the spec's
    /// others by exact name).
    LogGroups,
    /// The stack's S3 buckets, by exact name.
    Buckets,
    /// The stack's IAM roles, by exact name.
    Roles,
    /// The stack's CloudTrail trail.
    Trails,
}

impl Scope {
    /// The ARNs of a statement with this scope; empty when the target has
    /// no such resource (the statement is then left out).
    fn resources(self, t: &Target) -> Vec<String> {
        let (p, account, prefix) = (&t.partition, &t.account, &t.prefix);
        let alarms = || vec![format!("arn:{p}:cloudwatch:*:{account}:alarm:{prefix}-*")];
        let mute_rules = || {
            let rule = crate::model::mute::rule_name(&format!("{prefix}-"));
            vec![format!(
                "arn:{p}:cloudwatch:*:{account}:alarm-mute-rule:{rule}*"
            )]
        };
        match self {
            Scope::Any => vec!["*".to_string()],
            Scope::Alarms => alarms(),
            Scope::MuteRules => mute_rules(),
            Scope::MuteRulesAndAlarms => [mute_rules(), alarms()].concat(),
            Scope::Topics => vec![format!("arn:{p}:sns:*:{account}:{prefix}-*")],
            Scope::Dashboards => vec![format!(
                "arn:{p}:cloudwatch::{account}:dashboard/{prefix}-*"
            )],
            Scope::LogGroups => {
                std::iter::once(format!("arn:{p}:logs:*:{account}:log-group:*{prefix}*"))
                    .chain(t.other_log_groups.iter().flat_map(|g| {
                        [
                            format!("arn:{p}:logs:*:{account}:log-group:{g}"),
                            format!("arn:{p}:logs:*:{account}:log-group:{g}:*"),
                        ]
                    }))
                    .collect()
            }
            Scope::Buckets => t
                .buckets
                .iter()
                .map(|b| format!("arn:{p}:s3:::{b}"))
                .collect(),
            Scope::Roles => t
                .roles
                .iter()
                .map(|r| format!("arn:{p}:iam::{account}:role/{r}"))
                .collect(),
            Scope::Trails => vec![format!("arn:{p}:cloudtrail:*:{account}:trail/{prefix}-*")],
        }
    }
}

/// The tag keys oncall may add and remove on the stack's alarms: the ack
/// and silence records of `model::ack`, nothing else (not the managed tag
/// provisioning relies on).
pub const ONCALL_TAG_KEYS: [&str; 2] = ["monitui:ack-*", "monitui:silence-*"];

/// The tag keys provisioning sends when it creates or tags a resource.
pub const STACK_TAG_KEYS: [&str; 2] = [
    crate::model::stack::MANAGED_TAG,
    crate::model::stack::DASHBOARDS_TAG,
];

/// The service a role made by the stack may be handed to.
pub const PASSED_TO: &str = "cloudtrail.amazonaws.com";

/// What a grant further requires of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Condition {
    /// Nothing more.
    None,
    /// Every tag key is an ack or silence key ([`ONCALL_TAG_KEYS`]).
    OncallTagKeys,
    /// Every tag key is one provisioning sends ([`STACK_TAG_KEYS`]).
    StackTagKeys,
    /// The role carries (or is given) the stack's permissions boundary.
    Boundary,
    /// The role is handed to CloudTrail only ([`PASSED_TO`]).
    PassedToCloudTrail,
}

impl Condition {
    /// The `Condition` block of a statement, `None` for no condition.
    /// `ForAllValues` holds for a request with no tag keys at all, so the
    /// tag conditions also require that the request has some.
    fn block(self, t: &Target) -> Option<Value> {
        let tag_keys = |operator: &str, keys: &[&str]| {
            json!({
                operator: {"aws:TagKeys": keys},
                "Null": {"aws:TagKeys": "false"},
            })
        };
        match self {
            Condition::None => None,
            Condition::OncallTagKeys => Some(tag_keys("ForAllValues:StringLike", &ONCALL_TAG_KEYS)),
            Condition::StackTagKeys => Some(tag_keys("ForAllValues:StringEquals", &STACK_TAG_KEYS)),
            Condition::Boundary => Some(json!({
                "StringEquals": {"iam:PermissionsBoundary": t.boundary_arn()}
            })),
            Condition::PassedToCloudTrail => Some(json!({
                "StringEquals": {"iam:PassedToService": PASSED_TO}
            })),
        }
    }
}

/// One IAM action, the least role that needs it, where, and on what
/// condition. An action may be granted twice, to different roles under
/// different conditions (oncall tags acks, admin tags the stack).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    /// `service:Action`, as IAM spells it.
    pub action: &'static str,
    /// The least trusted role that needs it.
    pub role: Role,
    /// The resources it is granted on.
    pub scope: Scope,
    /// What the request must further satisfy.
    pub condition: Condition,
}

const fn grant(action: &'static str, role: Role, scope: Scope) -> Permission {
    grant_if(action, role, scope, Condition::None)
}

const fn grant_if(
    action: &'static str,
    role: Role,
    scope: Scope,
    condition: Condition,
) -> Permission {
    Permission {
        action,
        role,
        scope,
        condition,
    }
}

/// Every IAM action the aws provider needs.
pub const PERMISSIONS: &[Permission] = &[
    grant("cloudwatch:DescribeAlarms", Role::Viewer, Scope::Any),
    grant("cloudwatch:DescribeAlarmHistory", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListTagsForResource", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListAlarmMuteRules", Role::Viewer, Scope::Any),
    grant("cloudwatch:GetMetricData", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListMetrics", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListDashboards", Role::Viewer, Scope::Any),
    grant("cloudwatch:GetDashboard", Role::Viewer, Scope::Any),
    grant("cloudwatch:GetInsightRuleReport", Role::Viewer, Scope::Any),
    grant("logs:DescribeLogGroups", Role::Viewer, Scope::Any),
    grant("logs:FilterLogEvents", Role::Viewer, Scope::Any),
    grant("logs:StartQuery", Role::Viewer, Scope::Any),
    grant("logs:GetQueryResults", Role::Viewer, Scope::Any),
    grant("logs:StopQuery", Role::Viewer, Scope::Any),
    grant("logs:StartLiveTail", Role::Viewer, Scope::Any),
    grant("cloudtrail:LookupEvents", Role::Viewer, Scope::Any),
    grant_if(
        "cloudwatch:TagResource",
        Role::Oncall,
        Scope::Alarms,
        Condition::OncallTagKeys,
    ),
    grant_if(
        "cloudwatch:UntagResource",
        Role::Oncall,
        Scope::Alarms,
        Condition::OncallTagKeys,
    ),
    grant("cloudwatch:SetAlarmState", Role::Oncall, Scope::Alarms),
    grant("cloudwatch:EnableAlarmActions", Role::Oncall, Scope::Alarms),
    grant(
        "cloudwatch:DisableAlarmActions",
        Role::Oncall,
        Scope::Alarms,
    ),
    grant(
        "cloudwatch:PutAlarmMuteRule",
        Role::Oncall,
        Scope::MuteRulesAndAlarms,
    ),
    grant(
        "cloudwatch:DeleteAlarmMuteRule",
        Role::Oncall,
        Scope::MuteRules,
    ),
    grant("sns:Publish", Role::Oncall, Scope::Topics),
    grant("cloudwatch:PutMetricData", Role::Admin, Scope::Any),
    // Provisioning: what doctor and plan read (viewer), what apply changes (admin).
    grant("sns:ListTopics", Role::Viewer, Scope::Any),
    grant("sns:GetTopicAttributes", Role::Viewer, Scope::Any),
    grant("sns:ListTagsForResource", Role::Viewer, Scope::Any),
    grant("sns:ListSubscriptionsByTopic", Role::Viewer, Scope::Any),
    grant("sns:GetSubscriptionAttributes", Role::Viewer, Scope::Any),
    grant("logs:ListTagsForResource", Role::Viewer, Scope::Any),
    grant("s3:ListAllMyBuckets", Role::Viewer, Scope::Any),
    grant("s3:GetEncryptionConfiguration", Role::Viewer, Scope::Any),
    grant("s3:GetBucketPublicAccessBlock", Role::Viewer, Scope::Any),
    grant("s3:GetBucketPolicy", Role::Viewer, Scope::Any),
    grant("s3:GetBucketTagging", Role::Viewer, Scope::Any),
    grant("iam:ListRoles", Role::Viewer, Scope::Any),
    grant("iam:GetRole", Role::Viewer, Scope::Any),
    grant("iam:ListRolePolicies", Role::Viewer, Scope::Any),
    grant("iam:GetRolePolicy", Role::Viewer, Scope::Any),
    grant("cloudtrail:DescribeTrails", Role::Viewer, Scope::Any),
    grant("cloudtrail:GetEventSelectors", Role::Viewer, Scope::Any),
    grant("cloudtrail:GetTrailStatus", Role::Viewer, Scope::Any),
    grant("cloudtrail:ListTags", Role::Viewer, Scope::Any),
    grant("sns:CreateTopic", Role::Admin, Scope::Topics),
    grant("sns:SetTopicAttributes", Role::Admin, Scope::Topics),
    grant_if(
        "sns:TagResource",
        Role::Admin,
        Scope::Topics,
        Condition::StackTagKeys,
    ),
    grant("sns:DeleteTopic", Role::Admin, Scope::Topics),
    grant("sns:Subscribe", Role::Admin, Scope::Topics),
    // A subscription is no resource type of IAM: Unsubscribe takes `*`.
    grant("sns:Unsubscribe", Role::Admin, Scope::Any),
    grant("cloudwatch:PutMetricAlarm", Role::Admin, Scope::Alarms),
    grant("cloudwatch:PutCompositeAlarm", Role::Admin, Scope::Alarms),
    grant_if(
        "cloudwatch:TagResource",
        Role::Admin,
        Scope::Alarms,
        Condition::StackTagKeys,
    ),
    grant("cloudwatch:DeleteAlarms", Role::Admin, Scope::Alarms),
    grant("cloudwatch:PutDashboard", Role::Admin, Scope::Dashboards),
    grant(
        "cloudwatch:DeleteDashboards",
        Role::Admin,
        Scope::Dashboards,
    ),
    grant("logs:CreateLogGroup", Role::Admin, Scope::LogGroups),
    // CloudWatch Logs cannot limit tagging by tag key (no aws:TagKeys).
    grant("logs:TagResource", Role::Admin, Scope::LogGroups),
    grant("logs:AssociateKmsKey", Role::Admin, Scope::LogGroups),
    grant("logs:DisassociateKmsKey", Role::Admin, Scope::LogGroups),
    grant("logs:PutRetentionPolicy", Role::Admin, Scope::LogGroups),
    grant("logs:DeleteRetentionPolicy", Role::Admin, Scope::LogGroups),
    grant("logs:DeleteLogGroup", Role::Admin, Scope::LogGroups),
    grant("s3:CreateBucket", Role::Admin, Scope::Buckets),
    grant("s3:PutBucketTagging", Role::Admin, Scope::Buckets),
    grant("s3:PutEncryptionConfiguration", Role::Admin, Scope::Buckets),
    grant("s3:PutBucketPublicAccessBlock", Role::Admin, Scope::Buckets),
    grant("s3:PutBucketPolicy", Role::Admin, Scope::Buckets),
    grant("s3:DeleteBucketPolicy", Role::Admin, Scope::Buckets),
    grant("s3:DeleteBucket", Role::Admin, Scope::Buckets),
    grant_if(
        "iam:CreateRole",
        Role::Admin,
        Scope::Roles,
        Condition::Boundary,
    ),
    grant_if(
        "iam:PutRolePolicy",
        Role::Admin,
        Scope::Roles,
        Condition::Boundary,
    ),
    grant_if(
        "iam:PutRolePermissionsBoundary",
        Role::Admin,
        Scope::Roles,
        Condition::Boundary,
    ),
    grant_if(
        "iam:TagRole",
        Role::Admin,
        Scope::Roles,
        Condition::StackTagKeys,
    ),
    grant("iam:UpdateAssumeRolePolicy", Role::Admin, Scope::Roles),
    grant("iam:DeleteRolePolicy", Role::Admin, Scope::Roles),
    grant("iam:DeleteRole", Role::Admin, Scope::Roles),
    grant_if(
        "iam:PassRole",
        Role::Admin,
        Scope::Roles,
        Condition::PassedToCloudTrail,
    ),
    grant("cloudtrail:CreateTrail", Role::Admin, Scope::Trails),
    grant("cloudtrail:AddTags", Role::Admin, Scope::Trails),
    grant("cloudtrail:UpdateTrail", Role::Admin, Scope::Trails),
    grant("cloudtrail:PutEventSelectors", Role::Admin, Scope::Trails),
    grant("cloudtrail:StartLogging", Role::Admin, Scope::Trails),
    grant("cloudtrail:StopLogging", Role::Admin, Scope::Trails),
    grant("cloudtrail:DeleteTrail", Role::Admin, Scope::Trails),
];

/// S3 operations whose IAM action has another name.
const S3_ACTIONS: [(&str, &str); 5] = [
    ("ListBuckets", "ListAllMyBuckets"),
    ("GetBucketEncryption", "GetEncryptionConfiguration"),
    ("PutBucketEncryption", "PutEncryptionConfiguration"),
    ("GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
    ("PutPublicAccessBlock", "PutBucketPublicAccessBlock"),
];

/// The IAM actions behind the SDK operation `operation` (CamelCase) of
/// the crate `aws-sdk-<sdk>`: none for calls IAM does not govern
/// (`sts:GetCallerIdentity` needs no permission), two where the call also
/// hands a role to a service (a trail's CloudWatch Logs role needs
/// `iam:PassRole`).
pub fn iam_action(sdk: &str, operation: &str) -> Vec<String> {
    let service = match sdk {
        "sts" if operation == "GetCallerIdentity" => return Vec::new(),
        "cloudwatchlogs" => "logs",
        other => other,
    };
    let name = match sdk {
        "s3" => S3_ACTIONS
            .iter()
            .find(|(op, _)| *op == operation)
            .map_or(operation, |(_, action)| action),
        _ => operation,
    };
    let mut actions = vec![format!("{service}:{name}")];
    if sdk == "cloudtrail" && matches!(operation, "CreateTrail" | "UpdateTrail") {
        actions.push("iam:PassRole".to_string());
    }
    actions
}

/// The least-privilege policy document for `role` over `target`: one
/// statement per scope and condition, with the actions of `role` and of
/// every role below it; a scope with no resource in the target (no bucket
/// in the spec) is left out.
pub fn policy(role: Role, target: &Target) -> Value {
    let mut groups: Vec<(Scope, Condition)> =
        PERMISSIONS.iter().map(|p| (p.scope, p.condition)).collect();
    groups.sort();
    groups.dedup();
    let statements: Vec<Value> = groups
        .into_iter()
        .filter_map(|(scope, condition)| {
            let mut actions: Vec<&str> = PERMISSIONS
                .iter()
                .filter(|p| p.scope == scope && p.condition == condition && p.role <= role)
                .map(|p| p.action)
                .collect();
            let resources = scope.resources(target);
            if actions.is_empty() || resources.is_empty() {
                return None;
            }
            actions.sort_unstable();
            let mut statement = json!({
                "Sid": sid(role, scope, condition),
                "Effect": "Allow",
                "Action": actions,
                "Resource": one_or_many(resources),
            });
            if let Some(block) = condition.block(target) {
                statement["Condition"] = block;
            }
            Some(statement)
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// A single ARN as a string, several as an array (as people write them).
fn one_or_many(mut resources: Vec<String>) -> Value {
    if resources.len() == 1 {
        json!(resources.remove(0))
    } else {
        json!(resources)
    }
}

fn sid(role: Role, scope: Scope, condition: Condition) -> String {
    let role = match role {
        Role::Viewer => "Viewer",
        Role::Oncall => "Oncall",
        Role::Admin => "Admin",
    };
    let condition = match condition {
        Condition::None => String::new(),
        other => format!("{other:?}"),
    };
    format!("Monitui{role}{scope:?}{condition}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ack::{ACK_KEYS, SILENCE_KEYS};

    fn shop() -> Target {
        Target {
            buckets: vec!["shop-cloudtrail-logs".into()],
            roles: vec!["shop-cloudtrail-to-logs".into()],
            other_log_groups: vec!["/aws/batch/job".into()],
            ..Target::account_only("aws", "123456789012", "shop")
        }
    }

    fn actions(policy: &Value) -> Vec<String> {
        policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap().clone())
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    }

    /// Every statement granting `action`.
    fn statements<'a>(policy: &'a Value, action: &str) -> Vec<&'a Value> {
        policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["Action"].as_array().unwrap().iter().any(|a| a == action))
            .collect()
    }

    /// The one statement granting `action`.
    fn statement<'a>(policy: &'a Value, action: &str) -> &'a Value {
        let found = statements(policy, action);
        assert_eq!(found.len(), 1, "{action}: {found:?}");
        found[0]
    }

    /// IAM's `StringLike`: `*` matches any run of characters.
    fn like(pattern: &str, value: &str) -> bool {
        let regex = format!("^{}$", regex::escape(pattern).replace(r"\*", ".*"));
        regex::Regex::new(&regex).unwrap().is_match(value)
    }

    #[test]
    fn each_role_holds_the_ones_below_it_and_more() {
        let viewer = actions(&policy(Role::Viewer, &shop()));
        let oncall = actions(&policy(Role::Oncall, &shop()));
        let admin = actions(&policy(Role::Admin, &shop()));
        assert!(viewer.iter().all(|a| oncall.contains(a)));
        assert!(oncall.iter().all(|a| admin.contains(a)));
        assert!(viewer.len() < oncall.len() && oncall.len() < admin.len());
        assert!(!viewer.contains(&"cloudwatch:TagResource".to_string()));
        assert!(oncall.contains(&"sns:Publish".to_string()));
        assert!(!oncall.contains(&"cloudwatch:PutMetricData".to_string()));
    }

    #[test]
    fn changes_are_scoped_to_the_stack_in_the_account() {
        let oncall = policy(Role::Oncall, &shop());
        assert_eq!(
            statement(&oncall, "cloudwatch:SetAlarmState")["Resource"],
            "arn:aws:cloudwatch:*:123456789012:alarm:shop-*"
        );
        assert_eq!(
            statement(&oncall, "cloudwatch:DeleteAlarmMuteRule")["Resource"],
            "arn:aws:cloudwatch:*:123456789012:alarm-mute-rule:monitui-silence-shop-*"
        );
        assert_eq!(
            statement(&oncall, "cloudwatch:PutAlarmMuteRule")["Resource"],
            json!([
                "arn:aws:cloudwatch:*:123456789012:alarm-mute-rule:monitui-silence-shop-*",
                "arn:aws:cloudwatch:*:123456789012:alarm:shop-*"
            ]),
            "a mute rule is authorised on the rule and on each alarm it targets"
        );
        let admin = policy(Role::Admin, &shop());
        let resource_of = |action: &str| statement(&admin, action)["Resource"].clone();
        assert_eq!(
            resource_of("s3:CreateBucket"),
            "arn:aws:s3:::shop-cloudtrail-logs",
            "the stack's bucket by name, not shop-* (the data lake is shop-lake)"
        );
        assert_eq!(
            resource_of("iam:DeleteRole"),
            "arn:aws:iam::123456789012:role/shop-cloudtrail-to-logs"
        );
        assert_eq!(
            resource_of("cloudtrail:CreateTrail"),
            "arn:aws:cloudtrail:*:123456789012:trail/shop-*"
        );
        assert_eq!(
            resource_of("logs:CreateLogGroup"),
            json!([
                "arn:aws:logs:*:123456789012:log-group:*shop*",
                "arn:aws:logs:*:123456789012:log-group:/aws/batch/job",
                "arn:aws:logs:*:123456789012:log-group:/aws/batch/job:*"
            ])
        );
        assert_eq!(resource_of("cloudwatch:PutMetricData"), "*");
        assert_eq!(resource_of("sns:Unsubscribe"), "*", "no resource type");
    }

    #[test]
    fn the_partition_is_the_target_s() {
        let gov = Target {
            partition: "aws-us-gov".into(),
            ..shop()
        };
        let text = policy(Role::Admin, &gov).to_string();
        assert!(!text.contains("arn:aws:"), "{text}");
        assert!(text.contains("arn:aws-us-gov:s3:::shop-cloudtrail-logs"));
        assert!(text.contains("arn:aws-us-gov:iam::123456789012:policy/shop-monitui-boundary"));
    }

    #[test]
    fn oncall_tags_only_acks_and_silences() {
        for action in ["cloudwatch:TagResource", "cloudwatch:UntagResource"] {
            let oncall = policy(Role::Oncall, &shop());
            let s = statement(&oncall, action);
            let patterns: Vec<&str> = s["Condition"]["ForAllValues:StringLike"]["aws:TagKeys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(s["Condition"]["Null"]["aws:TagKeys"], "false");
            for key in ACK_KEYS.iter().chain(&SILENCE_KEYS) {
                assert!(patterns.iter().any(|p| like(p, key)), "{key}");
            }
            for key in STACK_TAG_KEYS {
                assert!(!patterns.iter().any(|p| like(p, key)), "{key}");
            }
        }
    }

    #[test]
    fn roles_are_made_only_inside_the_boundary_and_passed_only_to_cloudtrail() {
        let admin = policy(Role::Admin, &shop());
        let boundary = "arn:aws:iam::123456789012:policy/shop-monitui-boundary";
        for action in [
            "iam:CreateRole",
            "iam:PutRolePolicy",
            "iam:PutRolePermissionsBoundary",
        ] {
            assert_eq!(
                statement(&admin, action)["Condition"],
                json!({"StringEquals": {"iam:PermissionsBoundary": boundary}}),
                "{action}"
            );
        }
        assert!(statements(&admin, "iam:AttachRolePolicy").is_empty());
        assert_eq!(
            statement(&admin, "iam:PassRole")["Condition"],
            json!({"StringEquals": {"iam:PassedToService": "cloudtrail.amazonaws.com"}})
        );
        assert_eq!(
            statement(&admin, "iam:TagRole")["Condition"]["ForAllValues:StringEquals"]["aws:TagKeys"],
            json!(STACK_TAG_KEYS)
        );
    }

    #[test]
    fn without_stack_buckets_or_roles_no_statement_grants_them() {
        let admin = policy(
            Role::Admin,
            &Target::account_only("aws", "123456789012", "shop"),
        );
        assert!(statements(&admin, "s3:CreateBucket").is_empty());
        assert!(statements(&admin, "iam:CreateRole").is_empty());
        assert!(!statements(&admin, "cloudwatch:PutMetricAlarm").is_empty());
    }

    #[test]
    fn an_action_is_granted_once_per_condition() {
        let mut seen: Vec<(&str, Condition)> = PERMISSIONS
            .iter()
            .map(|p| (p.action, p.condition))
            .collect();
        seen.sort_unstable();
        let before = seen.len();
        seen.dedup();
        assert_eq!(seen.len(), before);
    }

    #[test]
    fn sdk_crates_map_to_iam_service_names() {
        assert_eq!(
            iam_action("cloudwatchlogs", "FilterLogEvents"),
            ["logs:FilterLogEvents"]
        );
        assert!(iam_action("sts", "GetCallerIdentity").is_empty());
        assert_eq!(
            iam_action("s3", "GetBucketEncryption"),
            ["s3:GetEncryptionConfiguration"]
        );
        assert_eq!(
            iam_action("cloudtrail", "UpdateTrail"),
            ["cloudtrail:UpdateTrail", "iam:PassRole"]
        );
    }
}
