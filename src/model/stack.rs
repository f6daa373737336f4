//! The monitoring stack as resources: what `provision` wants (from the
//! spec) and what an account has (read back by a provider), in one shape
//! per kind so a plan is a field-by-field comparison. Names stand for
//! ARNs (the topic an alarm notifies, the log group and role of the
//! trail): providers turn them into ARNs of their account, so the same
//! spec describes every account.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::metric::MetricQuery;

/// Tag key on every resource `provision` manages; its value is the
/// stack's prefix, so two stacks in one account never prune each other.
pub const MANAGED_TAG: &str = "monitui:managed";

/// Tag key on the stack's topic listing the dashboards the stack manages
/// (space-separated names): dashboards themselves cannot be tagged.
pub const DASHBOARDS_TAG: &str = "monitui:dashboards";

/// Tag key on the stack's topic listing the subscriptions monitui made
/// (space-separated `protocol:endpoint`): subscriptions cannot be tagged,
/// and only one monitui recorded making may ever be deleted.
pub const SUBSCRIPTIONS_TAG: &str = "monitui:subscriptions";

/// The subscription protocols a spec can declare. A subscription of any
/// other protocol (a pager's `https`, an `sqs` queue, a `lambda`) was made
/// by someone else and is never changed or deleted.
pub const SPEC_PROTOCOLS: [&str; 1] = ["email"];

/// The entries of a space-separated ledger tag value (`None`: no tag).
pub fn ledger_entries(value: Option<&String>) -> Vec<String> {
    value
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A ledger tag value with `entry` added (`add`) or removed, sorted.
pub fn ledger_value(value: Option<&String>, entry: &str, add: bool) -> String {
    let mut entries: Vec<String> = ledger_entries(value)
        .into_iter()
        .filter(|e| e != entry)
        .collect();
    if add {
        entries.push(entry.to_string());
    }
    entries.sort();
    entries.join(" ")
}

/// The kinds of resource, in the order `apply` creates them (a later kind
/// may name an earlier one); deletes run in reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// SNS topic for alarm notifications.
    Topic,
    /// An SNS subscription of the topic.
    Subscription,
    /// A CloudWatch Logs log group.
    LogGroup,
    /// The S3 bucket the trail delivers to.
    Bucket,
    /// The IAM role that lets CloudTrail write to its log group.
    Role,
    /// The CloudTrail trail.
    Trail,
    /// A CloudWatch metric alarm (of a metric, or of metric math).
    Alarm,
    /// A CloudWatch composite alarm: after the alarms its rule names, so
    /// they exist before it and it goes before them.
    CompositeAlarm,
    /// A CloudWatch dashboard.
    Dashboard,
}

impl Kind {
    /// Every kind in apply order.
    pub const ALL: [Kind; 9] = [
        Kind::Topic,
        Kind::Subscription,
        Kind::LogGroup,
        Kind::Bucket,
        Kind::Role,
        Kind::Trail,
        Kind::Alarm,
        Kind::CompositeAlarm,
        Kind::Dashboard,
    ];

    /// The word used in plans and progress lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Topic => "topic",
            Kind::Subscription => "subscription",
            Kind::LogGroup => "log_group",
            Kind::Bucket => "bucket",
            Kind::Role => "role",
            Kind::Trail => "trail",
            Kind::Alarm => "alarm",
            Kind::CompositeAlarm => "composite_alarm",
            Kind::Dashboard => "dashboard",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The SNS topic. CloudWatch dashboards cannot carry tags, so the topic
/// records which dashboards the stack manages (`dashboards`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    /// Topic name (not ARN).
    pub name: String,
    /// KMS key for server-side encryption.
    pub kms_key: Option<String>,
    /// Names of the dashboards this stack manages, sorted.
    pub dashboards: Vec<String>,
}

/// One subscription of the stack's topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subscription {
    /// Topic name.
    pub topic: String,
    /// `email`, `https`, ...
    pub protocol: String,
    /// The address.
    pub endpoint: String,
    /// Still waiting for confirmation (read back only; never desired).
    pub pending: bool,
}

impl Subscription {
    /// The resource name of a subscription: `protocol:endpoint`.
    pub fn key(protocol: &str, endpoint: &str) -> String {
        format!("{protocol}:{endpoint}")
    }

    /// The tags this subscription is read with, given its topic's tags:
    /// SNS subscriptions take none of their own, so one counts as managed
    /// (it carries the topic's managed tag) only when the topic's
    /// [`SUBSCRIPTIONS_TAG`] records that monitui made it.
    pub fn recorded_tags(&self, topic_tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let name = Self::key(&self.protocol, &self.endpoint);
        match topic_tags.get(MANAGED_TAG) {
            Some(prefix) if ledger_entries(topic_tags.get(SUBSCRIPTIONS_TAG)).contains(&name) => {
                managed_tags(prefix)
            }
            _ => BTreeMap::new(),
        }
    }
}

/// A log group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogGroup {
    /// Group name.
    pub name: String,
    /// Retention in days; `None` = never expire.
    pub retention_days: Option<u32>,
    /// KMS key ARN.
    pub kms_key: Option<String>,
}

/// The trail's S3 bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// Bucket name.
    pub name: String,
    /// KMS key of the default encryption (`aws:kms`), `None` if not KMS.
    pub kms_key: Option<String>,
    /// All four public access block settings on.
    pub public_access_blocked: bool,
    /// The bucket policy document.
    pub policy: Option<Value>,
}

/// The IAM role with one inline policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// Who may assume it.
    pub trust_policy: Value,
    /// Inline policy name.
    pub policy_name: String,
    /// Inline policy document (`None` when absent).
    pub policy: Option<Value>,
    /// ARN of the managed policy that bounds what the role can ever do
    /// (`None` when it has none).
    pub permissions_boundary: Option<String>,
}

/// The CloudTrail trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trail {
    /// Trail name.
    pub name: String,
    /// Delivery bucket name.
    pub bucket: String,
    /// KMS key for the delivered files.
    pub kms_key: Option<String>,
    /// Records every region.
    pub multi_region: bool,
    /// Digest files for log file validation.
    pub log_file_validation: bool,
    /// Log group name of the CloudWatch Logs delivery.
    pub log_group: Option<String>,
    /// Role name of the CloudWatch Logs delivery.
    pub role: Option<String>,
    /// Buckets whose S3 object events are recorded, sorted.
    pub s3_data_buckets: Vec<String>,
    /// Lambda invocations recorded.
    pub lambda_data_events: bool,
    /// Logging started.
    pub logging: bool,
}

/// A metric alarm that notifies the topic (or, as the child of a
/// composite alarm, nobody: `topics` empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alarm {
    /// Alarm name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Metric namespace (empty for a metric-math alarm).
    pub namespace: String,
    /// Metric name (empty for a metric-math alarm).
    pub metric: String,
    /// Dimensions, sorted by name.
    pub dimensions: BTreeMap<String, String>,
    /// Statistic, e.g. `Sum` (empty for a metric-math alarm).
    pub statistic: String,
    /// A metric-math alarm's `Metrics`: the metrics it reads and the
    /// expressions over them, exactly one returning the value it compares
    /// (empty for an alarm on one metric).
    pub queries: Vec<MetricQuery>,
    /// Period in seconds (a metric-math alarm's: that of its queries).
    pub period: u32,
    /// Evaluation periods.
    pub evaluation_periods: u32,
    /// Datapoints to alarm (`None` = evaluation periods).
    pub datapoints_to_alarm: Option<u32>,
    /// Threshold.
    pub threshold: f64,
    /// Comparison operator wire name.
    pub comparison: String,
    /// Missing-data treatment wire name.
    pub treat_missing_data: String,
    /// Topic names in the alarm actions, sorted.
    pub topics: Vec<String>,
}

/// A composite alarm that notifies the topic when its rule over other
/// alarms of the stack holds (a burn-rate alarm: long AND short window).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompositeAlarm {
    /// Alarm name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The rule, e.g. `ALARM("a") AND ALARM("b")`.
    pub rule: String,
    /// Topic names in the alarm actions, sorted.
    pub topics: Vec<String>,
}

/// A dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// Dashboard name.
    pub name: String,
    /// The body, parsed.
    pub body: Value,
}

/// How the trail is doing (GetTrailStatus): what `doctor` checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrailHealth {
    /// Logging is on.
    pub logging: bool,
    /// The last error delivering files to S3, if the last delivery failed.
    pub delivery_error: Option<String>,
    /// The last error delivering to CloudWatch Logs.
    pub logs_delivery_error: Option<String>,
}

/// One resource of any kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resource {
    /// See [`Topic`].
    Topic(Topic),
    /// See [`Subscription`].
    Subscription(Subscription),
    /// See [`LogGroup`].
    LogGroup(LogGroup),
    /// See [`Bucket`].
    Bucket(Bucket),
    /// See [`Role`].
    Role(Role),
    /// See [`Trail`].
    Trail(Trail),
    /// See [`Alarm`].
    Alarm(Alarm),
    /// See [`CompositeAlarm`].
    CompositeAlarm(CompositeAlarm),
    /// See [`Dashboard`].
    Dashboard(Dashboard),
}

impl Resource {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Resource::Topic(_) => Kind::Topic,
            Resource::Subscription(_) => Kind::Subscription,
            Resource::LogGroup(_) => Kind::LogGroup,
            Resource::Bucket(_) => Kind::Bucket,
            Resource::Role(_) => Kind::Role,
            Resource::Trail(_) => Kind::Trail,
            Resource::Alarm(_) => Kind::Alarm,
            Resource::CompositeAlarm(_) => Kind::CompositeAlarm,
            Resource::Dashboard(_) => Kind::Dashboard,
        }
    }

    /// Its name, unique within its kind (`protocol:endpoint` for a
    /// subscription).
    pub fn name(&self) -> String {
        match self {
            Resource::Topic(r) => r.name.clone(),
            Resource::Subscription(r) => Subscription::key(&r.protocol, &r.endpoint),
            Resource::LogGroup(r) => r.name.clone(),
            Resource::Bucket(r) => r.name.clone(),
            Resource::Role(r) => r.name.clone(),
            Resource::Trail(r) => r.name.clone(),
            Resource::Alarm(r) => r.name.clone(),
            Resource::CompositeAlarm(r) => r.name.clone(),
            Resource::Dashboard(r) => r.name.clone(),
        }
    }

    /// The fields a plan compares, by name, in display order.
    pub fn fields(&self) -> Vec<(&'static str, Value)> {
        match self {
            Resource::Topic(r) => vec![
                ("kms_key", json!(r.kms_key)),
                ("dashboards", json!(r.dashboards)),
            ],
            Resource::Subscription(r) => vec![("topic", json!(r.topic))],
            Resource::LogGroup(r) => vec![
                ("retention_days", json!(r.retention_days)),
                ("kms_key", json!(r.kms_key)),
            ],
            Resource::Bucket(r) => vec![
                ("kms_key", json!(r.kms_key)),
                ("public_access_blocked", json!(r.public_access_blocked)),
                ("policy", json!(r.policy)),
            ],
            Resource::Role(r) => vec![
                ("trust_policy", r.trust_policy.clone()),
                ("policy_name", json!(r.policy_name)),
                ("policy", json!(r.policy)),
                ("permissions_boundary", json!(r.permissions_boundary)),
            ],
            Resource::Trail(r) => vec![
                ("bucket", json!(r.bucket)),
                ("kms_key", json!(r.kms_key)),
                ("multi_region", json!(r.multi_region)),
                ("log_file_validation", json!(r.log_file_validation)),
                ("log_group", json!(r.log_group)),
                ("role", json!(r.role)),
                ("s3_data_buckets", json!(r.s3_data_buckets)),
                ("lambda_data_events", json!(r.lambda_data_events)),
                ("logging", json!(r.logging)),
            ],
            Resource::Alarm(r) => vec![
                ("description", json!(r.description)),
                ("namespace", json!(r.namespace)),
                ("metric", json!(r.metric)),
                ("dimensions", json!(r.dimensions)),
                ("statistic", json!(r.statistic)),
                ("queries", json!(r.queries)),
                ("period", json!(r.period)),
                ("evaluation_periods", json!(r.evaluation_periods)),
                ("datapoints_to_alarm", json!(r.datapoints_to_alarm)),
                ("threshold", json!(r.threshold)),
                ("comparison", json!(r.comparison)),
                ("treat_missing_data", json!(r.treat_missing_data)),
                ("topics", json!(r.topics)),
            ],
            Resource::CompositeAlarm(r) => vec![
                ("description", json!(r.description)),
                ("rule", json!(r.rule)),
                ("topics", json!(r.topics)),
            ],
            Resource::Dashboard(r) => vec![("body", r.body.clone())],
        }
    }
}

/// A resource as an account has it, with its tags (none for dashboards;
/// for a subscription, see [`Subscription::recorded_tags`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Existing {
    /// Its current state.
    pub resource: Resource,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

impl Existing {
    /// Whether the stack with `prefix` manages it (by its tag).
    pub fn tagged_for(&self, prefix: &str) -> bool {
        self.tags.get(MANAGED_TAG).is_some_and(|v| v == prefix)
    }
}

/// The tags `provision` puts on every resource it manages.
pub fn managed_tags(prefix: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(MANAGED_TAG.to_string(), prefix.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_in_apply_order() {
        let mut sorted = Kind::ALL;
        sorted.sort();
        assert_eq!(sorted, Kind::ALL);
        assert!(Kind::Topic < Kind::Subscription && Kind::Trail < Kind::Alarm);
    }

    #[test]
    fn managed_means_tagged_with_this_prefix() {
        let r = Resource::LogGroup(LogGroup {
            name: "/g".into(),
            retention_days: Some(7),
            kms_key: None,
        });
        let mine = Existing {
            resource: r.clone(),
            tags: managed_tags("p"),
        };
        assert!(mine.tagged_for("p"));
        assert!(!mine.tagged_for("q"));
        let theirs = Existing {
            resource: r,
            tags: BTreeMap::new(),
        };
        assert!(!theirs.tagged_for("p"));
    }

    #[test]
    fn a_subscription_is_managed_only_when_its_topic_records_it() {
        let sub = |protocol: &str, endpoint: &str| Subscription {
            topic: "t".into(),
            protocol: protocol.into(),
            endpoint: endpoint.into(),
            pending: false,
        };
        let mut topic = managed_tags("p");
        topic.insert(
            SUBSCRIPTIONS_TAG.into(),
            ledger_value(None, "email:a@example.com", true),
        );
        assert_eq!(
            sub("email", "a@example.com").recorded_tags(&topic),
            managed_tags("p")
        );
        assert_eq!(
            sub("email", "b@example.com").recorded_tags(&topic),
            BTreeMap::new()
        );
        assert_eq!(
            sub("sqs", "arn:aws:sqs:us-east-1:1:q").recorded_tags(&topic),
            BTreeMap::new()
        );
        topic.remove(MANAGED_TAG);
        assert_eq!(
            sub("email", "a@example.com").recorded_tags(&topic),
            BTreeMap::new(),
            "a topic the stack does not manage records nothing for it"
        );
    }

    #[test]
    fn ledger_values_add_and_remove_entries_once_sorted() {
        let v = ledger_value(Some(&"b a".to_string()), "c", true);
        assert_eq!(v, "a b c");
        assert_eq!(ledger_value(Some(&v), "a", true), "a b c");
        assert_eq!(ledger_value(Some(&v), "b", false), "a c");
        assert_eq!(ledger_value(None, "x", false), "");
        assert_eq!(ledger_entries(Some(&v)), ["a", "b", "c"]);
    }
}
