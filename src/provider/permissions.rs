//! The IAM permissions the aws provider needs, by role, and the
//! least-privilege policy for each (`monitui iam-policy`). The table below
//! lists every IAM action behind an SDK call in `provider/aws`; a test
//! (`tests/iam_policy.rs`) reads the provider's source for the calls it
//! makes and fails if one is missing here or one here is no longer called.

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

/// Which resources an action is granted on; the prefix-scoped ones follow
/// the stack's naming (`<prefix>-...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Any resource: the action does not support resource-level
    /// permissions, or a viewer reads the whole account.
    Any,
    /// The stack's alarms.
    Alarms,
    /// The stack's SNS topic(s).
    Topics,
    /// The stack's dashboards.
    Dashboards,
    /// The stack's log groups (named after the prefix, and the Batch
    /// job group the seed shares).
    LogGroups,
    /// The stack's S3 buckets (the trail's).
    Buckets,
    /// The stack's IAM roles (the trail's delivery role).
    Roles,
    /// The stack's CloudTrail trail.
    Trails,
}

impl Scope {
    /// The `Resource` of a statement with this scope.
    fn resources(self, prefix: &str) -> Value {
        match self {
            Scope::Any => json!("*"),
            Scope::Alarms => json!(format!("arn:aws:cloudwatch:*:*:alarm:{prefix}-*")),
            Scope::Topics => json!(format!("arn:aws:sns:*:*:{prefix}-*")),
            Scope::Dashboards => json!(format!("arn:aws:cloudwatch::*:dashboard/{prefix}-*")),
            Scope::LogGroups => json!([
                format!("arn:aws:logs:*:*:log-group:*{prefix}*"),
                "arn:aws:logs:*:*:log-group:/aws/batch/job*",
            ]),
            Scope::Buckets => json!([
                format!("arn:aws:s3:::{prefix}-*"),
                format!("arn:aws:s3:::{prefix}-*/*"),
            ]),
            Scope::Roles => json!(format!("arn:aws:iam::*:role/{prefix}-*")),
            Scope::Trails => json!(format!("arn:aws:cloudtrail:*:*:trail/{prefix}-*")),
        }
    }
}

/// One IAM action, the least role that needs it, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    /// `service:Action`, as IAM spells it.
    pub action: &'static str,
    /// The least trusted role that needs it.
    pub role: Role,
    /// The resources it is granted on.
    pub scope: Scope,
}

const fn grant(action: &'static str, role: Role, scope: Scope) -> Permission {
    Permission {
        action,
        role,
        scope,
    }
}

/// Every IAM action the aws provider needs.
pub const PERMISSIONS: &[Permission] = &[
    grant("cloudwatch:DescribeAlarms", Role::Viewer, Scope::Any),
    grant("cloudwatch:DescribeAlarmHistory", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListTagsForResource", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListAlarmMuteRules", Role::Viewer, Scope::Any),
    grant("cloudwatch:GetMetricData", Role::Viewer, Scope::Any),
    grant("cloudwatch:ListDashboards", Role::Viewer, Scope::Any),
    grant("cloudwatch:GetDashboard", Role::Viewer, Scope::Any),
    grant("logs:DescribeLogGroups", Role::Viewer, Scope::Any),
    grant("logs:FilterLogEvents", Role::Viewer, Scope::Any),
    grant("logs:StartQuery", Role::Viewer, Scope::Any),
    grant("logs:GetQueryResults", Role::Viewer, Scope::Any),
    grant("logs:StopQuery", Role::Viewer, Scope::Any),
    grant("logs:StartLiveTail", Role::Viewer, Scope::Any),
    grant("cloudtrail:LookupEvents", Role::Viewer, Scope::Any),
    grant("cloudwatch:TagResource", Role::Oncall, Scope::Alarms),
    grant("cloudwatch:UntagResource", Role::Oncall, Scope::Alarms),
    grant("cloudwatch:SetAlarmState", Role::Oncall, Scope::Alarms),
    grant("cloudwatch:EnableAlarmActions", Role::Oncall, Scope::Alarms),
    grant(
        "cloudwatch:DisableAlarmActions",
        Role::Oncall,
        Scope::Alarms,
    ),
    grant("cloudwatch:PutAlarmMuteRule", Role::Oncall, Scope::Any),
    grant("cloudwatch:DeleteAlarmMuteRule", Role::Oncall, Scope::Any),
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
    grant("sns:TagResource", Role::Admin, Scope::Topics),
    grant("sns:DeleteTopic", Role::Admin, Scope::Topics),
    grant("sns:Subscribe", Role::Admin, Scope::Topics),
    grant("sns:Unsubscribe", Role::Admin, Scope::Topics),
    grant("cloudwatch:PutMetricAlarm", Role::Admin, Scope::Alarms),
    grant("cloudwatch:DeleteAlarms", Role::Admin, Scope::Alarms),
    grant("cloudwatch:PutDashboard", Role::Admin, Scope::Dashboards),
    grant(
        "cloudwatch:DeleteDashboards",
        Role::Admin,
        Scope::Dashboards,
    ),
    grant("logs:CreateLogGroup", Role::Admin, Scope::LogGroups),
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
    grant("iam:CreateRole", Role::Admin, Scope::Roles),
    grant("iam:UpdateAssumeRolePolicy", Role::Admin, Scope::Roles),
    grant("iam:PutRolePolicy", Role::Admin, Scope::Roles),
    grant("iam:DeleteRolePolicy", Role::Admin, Scope::Roles),
    grant("iam:DeleteRole", Role::Admin, Scope::Roles),
    grant("iam:PassRole", Role::Admin, Scope::Roles),
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

/// The least-privilege policy document for `role` over the stack named
/// `prefix`: one statement per scope, with the actions of `role` and of
/// every role below it.
pub fn policy(role: Role, prefix: &str) -> Value {
    let mut scopes: Vec<Scope> = PERMISSIONS.iter().map(|p| p.scope).collect();
    scopes.sort();
    scopes.dedup();
    let statements: Vec<Value> = scopes
        .into_iter()
        .filter_map(|scope| {
            let mut actions: Vec<&str> = PERMISSIONS
                .iter()
                .filter(|p| p.scope == scope && p.role <= role)
                .map(|p| p.action)
                .collect();
            if actions.is_empty() {
                return None;
            }
            actions.sort_unstable();
            Some(json!({
                "Sid": sid(role, scope),
                "Effect": "Allow",
                "Action": actions,
                "Resource": scope.resources(prefix),
            }))
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

fn sid(role: Role, scope: Scope) -> String {
    let role = match role {
        Role::Viewer => "Viewer",
        Role::Oncall => "Oncall",
        Role::Admin => "Admin",
    };
    format!("Monitui{role}{scope:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(policy: &Value) -> Vec<String> {
        policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap().clone())
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn each_role_holds_the_ones_below_it_and_more() {
        let viewer = actions(&policy(Role::Viewer, "shop"));
        let oncall = actions(&policy(Role::Oncall, "shop"));
        let admin = actions(&policy(Role::Admin, "shop"));
        assert!(viewer.iter().all(|a| oncall.contains(a)));
        assert!(oncall.iter().all(|a| admin.contains(a)));
        assert!(viewer.len() < oncall.len() && oncall.len() < admin.len());
        assert!(!viewer.contains(&"cloudwatch:TagResource".to_string()));
        assert!(oncall.contains(&"sns:Publish".to_string()));
        assert!(!oncall.contains(&"cloudwatch:PutMetricData".to_string()));
    }

    #[test]
    fn changes_are_scoped_to_the_prefix() {
        let oncall = policy(Role::Oncall, "shop");
        let tagging = oncall["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["Action"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a == "cloudwatch:TagResource")
            })
            .unwrap();
        assert_eq!(tagging["Resource"], "arn:aws:cloudwatch:*:*:alarm:shop-*");
        let admin = policy(Role::Admin, "shop");
        let resource_of = |action: &str| {
            admin["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["Action"].as_array().unwrap().iter().any(|a| a == action))
                .unwrap()["Resource"]
                .clone()
        };
        assert_eq!(resource_of("s3:CreateBucket")[0], "arn:aws:s3:::shop-*");
        assert_eq!(resource_of("iam:PassRole"), "arn:aws:iam::*:role/shop-*");
        assert_eq!(
            resource_of("cloudtrail:CreateTrail"),
            "arn:aws:cloudtrail:*:*:trail/shop-*"
        );
        assert_eq!(
            resource_of("logs:CreateLogGroup")[0],
            "arn:aws:logs:*:*:log-group:*shop*"
        );
        assert_eq!(
            resource_of("cloudwatch:PutMetricData"),
            "*",
            "IAM cannot scope it"
        );
    }

    #[test]
    fn an_action_is_listed_once() {
        let mut seen: Vec<&str> = PERMISSIONS.iter().map(|p| p.action).collect();
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
