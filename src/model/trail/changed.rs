//! What a CloudTrail write changed, named as a person would: the function
//! of an `UpdateFunctionCode`, the role of an `AttachRolePolicy`, the
//! bucket of a `PutBucketPolicy`, the trail of a `StopLogging`. Read from
//! `requestParameters` by the parameter names AWS APIs share (`functionName`,
//! `roleName`, `bucketName`, `...Name`, `...Arn`, `...Id`), else from the
//! record's `resources`, so it works for the class of calls, not a list of
//! event names.

use serde_json::{Map, Value};

use super::record::TrailRecord;

/// The resource a call changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// What kind of thing: `function`, `role`, `bucket`, `trail`, `user`...
    pub kind: String,
    /// Its name: the last segment of an ARN, a function name without
    /// its version (not sanitised).
    pub name: String,
}

impl Changed {
    /// `function checkout-api`, as tables and the timeline show it.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }

    /// `function checkout-api` without the env's `prefix` (with its dash)
    /// at the start of the name, as the screens show names.
    pub fn short_label(&self, prefix: &str) -> String {
        let short = self
            .name
            .strip_prefix(prefix)
            .filter(|s| !s.is_empty() && prefix.len() > 1)
            .unwrap_or(&self.name);
        format!("{} {short}", self.kind)
    }

    /// The log group holding the resource's own lines, when its kind has
    /// one by convention (a Lambda function's `/aws/lambda/NAME`).
    pub fn log_group(&self) -> Option<String> {
        (self.kind == "function").then(|| format!("/aws/lambda/{}", self.name))
    }
}

/// Parameter names that name what a call is about, most telling first,
/// with the kind each names. A name not listed is still read by its
/// suffix (see [`by_suffix`]).
const NAMED: &[(&str, &str)] = &[
    ("functionName", "function"),
    ("roleName", "role"),
    ("bucketName", "bucket"),
    ("bucket", "bucket"),
    ("userName", "user"),
    ("groupName", "group"),
    ("policyArn", "policy"),
    ("logGroupName", "log group"),
    ("alarmName", "alarm"),
    ("alarmNames", "alarm"),
    ("tableName", "table"),
    ("queueUrl", "queue"),
    ("topicArn", "topic"),
    ("stackName", "stack"),
    ("secretId", "secret"),
    ("keyId", "key"),
    ("clusterName", "cluster"),
    ("dBInstanceIdentifier", "db instance"),
    ("replicationTaskArn", "replication task"),
    ("dashboardName", "dashboard"),
    ("ruleName", "rule"),
    ("stateMachineArn", "state machine"),
    ("jobQueue", "job queue"),
    ("jobDefinition", "job definition"),
    ("instancesSet", "instance"),
    ("instanceId", "instance"),
    ("restApiId", "api"),
    ("apiId", "api"),
    ("hostedZoneId", "hosted zone"),
    ("roleArn", "role"),
];

/// Parameters that name something beside the resource (a session, an
/// inline policy's name, a request token): never the answer.
const NOT_THE_RESOURCE: &[&str] = &[
    "roleSessionName",
    "policyName",
    "clientToken",
    "clientRequestToken",
    "versionId",
    "statementId",
    "revisionId",
    "qualifier",
];

impl TrailRecord {
    /// The event name without the API version some services append
    /// (`UpdateFunctionCode20150331v2` is `UpdateFunctionCode`).
    pub fn short_event_name(&self) -> &str {
        let name = self.event_name.as_str();
        let without_v = match name.rfind('v') {
            Some(at)
                if at + 1 < name.len() && name[at + 1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                &name[..at]
            }
            _ => name,
        };
        let digits = without_v
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits == 8 && without_v.len() > 8 {
            &without_v[..without_v.len() - 8]
        } else {
            name
        }
    }

    /// What the call changed, if the record says: a known parameter, else
    /// any `...Name`/`...Arn`/`...Id` parameter, else its first resource.
    pub fn changed(&self) -> Option<Changed> {
        let params = self.raw.get("requestParameters").and_then(Value::as_object);
        params
            .and_then(|p| self.changed_in_params(p))
            .or_else(|| self.changed_in_resources())
    }

    fn changed_in_params(&self, params: &Map<String, Value>) -> Option<Changed> {
        let service = self.service_noun();
        let known = NAMED.iter().find_map(|(key, kind)| {
            let name = name_in(params.get(*key)?)?;
            Some(Changed {
                kind: kind.to_string(),
                name: tidy(kind, &name),
            })
        });
        known
            .or_else(|| {
                let (kind, name) = params
                    .iter()
                    .filter(|(key, _)| !NOT_THE_RESOURCE.contains(&key.as_str()))
                    .find_map(|(key, value)| Some((by_suffix(key, service)?, name_in(value)?)))?;
                Some(Changed {
                    name: tidy(&kind, &name),
                    kind,
                })
            })
            .or_else(|| {
                let name = name_in(params.get("name")?)?;
                Some(Changed {
                    kind: service.to_string(),
                    name: tidy(service, &name),
                })
            })
    }

    fn changed_in_resources(&self) -> Option<Changed> {
        let resource = self.resources.iter().find(|r| r.name.is_some())?;
        let kind = resource
            .resource_type
            .as_deref()
            .and_then(|t| t.rsplit("::").next())
            .map(noun_of_type)
            .unwrap_or_else(|| self.service_noun().to_string());
        Some(Changed {
            name: tidy(&kind, resource.name.as_deref()?),
            kind,
        })
    }

    /// The kind of thing a bare `name` parameter names for this service:
    /// `trail` for CloudTrail, `function` for Lambda, else the service.
    fn service_noun(&self) -> &str {
        let service = self
            .event_source
            .split('.')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("resource");
        match service {
            "cloudtrail" => "trail",
            "lambda" => "function",
            "s3" => "bucket",
            "logs" => "log group",
            "monitoring" => "alarm",
            other => other,
        }
    }
}

/// The kind a parameter named `key` names, by its suffix
/// (`replicationInstanceArn` -> `replication instance`), or `None` when
/// it names nothing.
fn by_suffix(key: &str, service: &str) -> Option<String> {
    let stem = ["Name", "Arn", "Identifier", "Id", "Url"]
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))?;
    if stem.is_empty() {
        return Some(service.to_string());
    }
    let mut words = String::new();
    for c in stem.chars() {
        if c.is_ascii_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    Some(words)
}

/// `Role` -> `role`, `LogGroup` -> `log group`, `DBInstance` -> `db instance`.
fn noun_of_type(kind: &str) -> String {
    let mut words = String::new();
    let chars: Vec<char> = kind.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        let prev_lower = i > 0 && chars[i - 1].is_ascii_lowercase();
        if c.is_ascii_uppercase() && i > 0 && (prev_lower || next_lower) {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

/// The text a parameter value names: a string, the first string of a
/// list, or the first item of an EC2-style `{"items": [{"instanceId"...}]}`.
fn name_in(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(list) => list.iter().find_map(name_in),
        Value::Object(obj) => obj
            .get("items")
            .and_then(Value::as_array)?
            .iter()
            .filter_map(Value::as_object)
            .find_map(|item| item.values().find_map(name_in)),
        _ => None,
    }
}

/// A name as shown: an ARN or URL cut to its last segment (a function
/// ARN's version or alias left out).
fn tidy(kind: &str, name: &str) -> String {
    let looks_like_path = name.starts_with("arn:") || name.starts_with("https://");
    if !looks_like_path {
        return name.to_string();
    }
    let segments: Vec<&str> = name
        .trim_end_matches('/')
        .split([':', '/'])
        .filter(|s| !s.is_empty())
        .collect();
    if kind == "function"
        && let Some(at) = segments.iter().position(|s| *s == "function")
        && let Some(function) = segments.get(at + 1)
    {
        return function.to_string();
    }
    segments.last().map_or(name, |s| s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changed(source: &str, name: &str, params: Value, resources: Value) -> Option<String> {
        TrailRecord::from_value(
            json!({
                "eventName": name,
                "eventSource": source,
                "requestParameters": params,
                "resources": resources,
            }),
            None,
        )
        .unwrap()
        .changed()
        .map(|c| c.label())
    }

    #[test]
    fn names_the_resource_of_each_kind_of_write() {
        let none = Value::Null;
        let cases = [
            (
                "lambda.amazonaws.com",
                "UpdateFunctionCode20150331v2",
                json!({"functionName": "checkout-api", "publish": true}),
                "function checkout-api",
            ),
            (
                "lambda.amazonaws.com",
                "UpdateFunctionConfiguration20150331v2",
                json!({"functionName": "arn:aws:lambda:us-east-1:1:function:pay:live"}),
                "function pay",
            ),
            (
                "iam.amazonaws.com",
                "AttachRolePolicy",
                json!({"roleName": "ops", "policyArn": "arn:aws:iam::aws:policy/X"}),
                "role ops",
            ),
            (
                "iam.amazonaws.com",
                "PutRolePolicy",
                json!({"policyName": "inline", "roleName": "ops"}),
                "role ops",
            ),
            (
                "iam.amazonaws.com",
                "CreateAccessKey",
                json!({"userName": "carol"}),
                "user carol",
            ),
            (
                "s3.amazonaws.com",
                "PutBucketPolicy",
                json!({"bucketName": "logs-bucket", "policy": "{}"}),
                "bucket logs-bucket",
            ),
            (
                "cloudtrail.amazonaws.com",
                "StopLogging",
                json!({"name": "arn:aws:cloudtrail:us-east-1:1:trail/main"}),
                "trail main",
            ),
            (
                "ec2.amazonaws.com",
                "TerminateInstances",
                json!({"instancesSet": {"items": [{"instanceId": "i-0abc"}]}}),
                "instance i-0abc",
            ),
            (
                "dms.amazonaws.com",
                "ModifyReplicationInstance",
                json!({"replicationInstanceArn": "arn:aws:dms:us-east-1:1:rep:ABC"}),
                "replication instance ABC",
            ),
            (
                "sts.amazonaws.com",
                "AssumeRole",
                json!({"roleArn": "arn:aws:iam::1:role/app", "roleSessionName": "fn"}),
                "role app",
            ),
        ];
        for (source, name, params, want) in cases {
            assert_eq!(
                changed(source, name, params, none.clone()).as_deref(),
                Some(want),
                "{name}"
            );
        }
    }

    #[test]
    fn falls_back_on_the_resources_and_else_names_nothing() {
        assert_eq!(
            changed(
                "kms.amazonaws.com",
                "ScheduleKeyDeletion",
                Value::Null,
                json!([{"ARN": "arn:aws:kms:us-east-1:1:key/k-1", "type": "AWS::KMS::Key"}])
            )
            .as_deref(),
            Some("key k-1")
        );
        assert_eq!(
            changed(
                "rds.amazonaws.com",
                "X",
                Value::Null,
                json!([{"ARN": "arn:aws:rds:us-east-1:1:db:main", "type": "AWS::RDS::DBInstance"}])
            )
            .as_deref(),
            Some("db instance main")
        );
        assert_eq!(
            changed(
                "signin.amazonaws.com",
                "ConsoleLogin",
                Value::Null,
                json!([])
            ),
            None
        );
        assert_eq!(
            changed(
                "ec2.amazonaws.com",
                "RunInstances",
                json!({"instanceType": "p4d.24xlarge"}),
                json!([])
            ),
            None,
            "a size is not a resource"
        );
    }

    #[test]
    fn the_event_name_leaves_out_the_api_version() {
        let record =
            |name: &str| TrailRecord::from_value(json!({"eventName": name}), None).unwrap();
        assert_eq!(
            record("UpdateFunctionCode20150331v2").short_event_name(),
            "UpdateFunctionCode"
        );
        assert_eq!(record("Invoke20150331").short_event_name(), "Invoke");
        assert_eq!(record("PutObject").short_event_name(), "PutObject");
        let function = Changed {
            kind: "function".into(),
            name: "shop-api".into(),
        };
        assert_eq!(function.short_label("shop-"), "function api");
        assert_eq!(function.short_label("-"), "function shop-api");
    }

    #[test]
    fn a_function_has_its_log_group() {
        let function = Changed {
            kind: "function".into(),
            name: "pay".into(),
        };
        assert_eq!(function.log_group().as_deref(), Some("/aws/lambda/pay"));
        let role = Changed {
            kind: "role".into(),
            name: "ops".into(),
        };
        assert_eq!(role.log_group(), None);
    }
}
