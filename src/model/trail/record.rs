//! One CloudTrail record (the `CloudTrailEvent` string LookupEvents returns,
//! or one element of a delivered file's `Records`), read into typed fields.
//! Reading is tolerant: records of every `eventVersion` (1.0 to 1.11) have
//! different fields, and a missing or odd field is `None`, never an error.
//! Only a record that is not a JSON object is refused.

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::TrailEvent;
use super::identity::{UserIdentity, flag, text};

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The text is not JSON.
    #[error("record is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is not an object.
    #[error("record{} is {found}, not an object", index.map_or(String::new(), |i| format!(" #{i}")))]
    NotAnObject {
        /// Position in its file (0-based), if it came from one.
        index: Option<usize>,
        /// What it is instead (`a string`, `an array`, ...).
        found: &'static str,
    },
}

/// A resource a call touched.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrailResource {
    /// e.g. `AWS::IAM::Role`.
    pub resource_type: Option<String>,
    /// The name (the last ARN segment, or LookupEvents' ResourceName).
    pub name: Option<String>,
    /// The ARN, when the record gives one.
    pub arn: Option<String>,
}

/// Whether a console sign-in worked (`responseElements.ConsoleLogin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// `Success`.
    Success,
    /// `Failure`.
    Failure,
}

/// One CloudTrail record with the fields monitui searches and shows; the
/// whole record stays in `raw` for the detail view.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailRecord {
    /// `eventVersion`, e.g. `1.09`.
    pub event_version: Option<String>,
    /// When the call was made.
    pub event_time: Option<Timestamp>,
    /// API name, e.g. `ConsoleLogin`.
    pub event_name: String,
    /// Service, e.g. `iam.amazonaws.com`.
    pub event_source: String,
    /// `awsRegion`.
    pub region: Option<String>,
    /// `sourceIPAddress` (an IP, or a service name for AWS-internal calls).
    pub source_ip: Option<String>,
    /// `userAgent`.
    pub user_agent: Option<String>,
    /// `errorCode`, for calls that failed.
    pub error_code: Option<String>,
    /// `errorMessage`.
    pub error_message: Option<String>,
    /// `readOnly` as written in the record.
    pub read_only: Option<bool>,
    /// `eventID`.
    pub event_id: Option<String>,
    /// `eventType`, e.g. `AwsApiCall`, `AwsConsoleSignIn`.
    pub event_type: Option<String>,
    /// `eventCategory` (1.07+): `Management`, `Data`, `Insight`.
    pub event_category: Option<String>,
    /// `recipientAccountId`.
    pub recipient_account_id: Option<String>,
    /// Who made the call.
    pub identity: UserIdentity,
    /// `resources`, or LookupEvents' resource list.
    pub resources: Vec<TrailResource>,
    /// The user name LookupEvents reported (live results only); it can
    /// differ from the identity's name (emulators put the access key there).
    pub lookup_username: Option<String>,
    /// The whole record.
    pub raw: Value,
}

/// Event-name prefixes of calls that only read, for records without a
/// `readOnly` field (most records before eventVersion 1.06 and console
/// sign-ins).
const READ_PREFIXES: [&str; 8] = [
    "Get", "List", "Describe", "Head", "Lookup", "Search", "Select", "BatchGet",
];

impl TrailRecord {
    /// Parses one record from JSON text, e.g. LookupEvents' `CloudTrailEvent`.
    pub fn parse(json: &str) -> Result<Self, RecordError> {
        Self::from_value(serde_json::from_str(json)?, None)
    }

    /// Reads a record already parsed as JSON; `index` is its position in a
    /// file, for the error message.
    pub fn from_value(value: Value, index: Option<usize>) -> Result<Self, RecordError> {
        let Value::Object(obj) = &value else {
            return Err(RecordError::NotAnObject {
                index,
                found: kind_of(&value),
            });
        };
        Ok(Self {
            event_version: text(obj, "eventVersion"),
            event_time: text(obj, "eventTime").and_then(|t| t.parse().ok()),
            event_name: text(obj, "eventName").unwrap_or_default(),
            event_source: text(obj, "eventSource").unwrap_or_default(),
            region: text(obj, "awsRegion"),
            source_ip: text(obj, "sourceIPAddress"),
            user_agent: text(obj, "userAgent"),
            error_code: text(obj, "errorCode"),
            error_message: text(obj, "errorMessage"),
            read_only: obj.get("readOnly").and_then(flag),
            event_id: text(obj, "eventID"),
            event_type: text(obj, "eventType"),
            event_category: text(obj, "eventCategory"),
            recipient_account_id: text(obj, "recipientAccountId"),
            identity: UserIdentity::from_value(obj.get("userIdentity")),
            resources: resources(obj),
            lookup_username: None,
            raw: value,
        })
    }

    /// The record of a LookupEvents result: its `CloudTrailEvent` JSON,
    /// with the summary fields filling whatever that lacks. An event whose
    /// JSON is missing or unreadable still gives a record from its summary.
    pub fn from_event(event: &TrailEvent) -> Self {
        let mut record = Self::parse(&event.raw).unwrap_or_else(|_| Self::empty());
        fill(&mut record.event_id, &event.id);
        if record.event_name.is_empty() {
            record.event_name = event.name.clone();
        }
        if record.event_source.is_empty() {
            record.event_source = event.source.clone().unwrap_or_default();
        }
        record.event_time = record.event_time.or(Some(event.time));
        record.read_only = record.read_only.or(event.read_only);
        if record.resources.is_empty() {
            record.resources = event.resources.clone();
        }
        record.lookup_username = event.username.clone();
        record
    }

    fn empty() -> Self {
        Self {
            event_version: None,
            event_time: None,
            event_name: String::new(),
            event_source: String::new(),
            region: None,
            source_ip: None,
            user_agent: None,
            error_code: None,
            error_message: None,
            read_only: None,
            event_id: None,
            event_type: None,
            event_category: None,
            recipient_account_id: None,
            identity: UserIdentity::unknown(),
            resources: Vec::new(),
            lookup_username: None,
            raw: Value::Null,
        }
    }

    /// Who, in one word: user name, role session name, `root`, or the
    /// name LookupEvents gave when the record names nobody.
    pub fn user(&self) -> String {
        let user = self.identity.user();
        match &self.lookup_username {
            Some(name) if user.is_empty() => name.clone(),
            _ => user,
        }
    }

    /// Whether the call only read: `readOnly` when the record has it,
    /// otherwise guessed from the event name (`Get...`, `List...`, ...).
    /// Console sign-ins count as writes.
    pub fn is_read_only(&self) -> bool {
        self.read_only.unwrap_or_else(|| {
            READ_PREFIXES.iter().any(|p| {
                self.event_name
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
            })
        })
    }

    /// For `ConsoleLogin` records: whether the sign-in worked.
    pub fn sign_in_outcome(&self) -> Option<SignInOutcome> {
        let outcome = self.raw.get("responseElements")?.get("ConsoleLogin")?;
        match outcome.as_str()? {
            s if s.eq_ignore_ascii_case("Success") => Some(SignInOutcome::Success),
            s if s.eq_ignore_ascii_case("Failure") => Some(SignInOutcome::Failure),
            _ => None,
        }
    }

    /// How the call failed, in a few words: its error code, or for a failed
    /// console sign-in (which has no code) its message; `None` if it worked.
    pub fn failure(&self) -> Option<&str> {
        self.error_code.as_deref().or_else(|| {
            (self.sign_in_outcome() == Some(SignInOutcome::Failure))
                .then(|| self.error_message.as_deref().unwrap_or("Failure"))
        })
    }

    /// For `ConsoleLogin` records: whether MFA was used
    /// (`additionalEventData.MFAUsed`, written `Yes`, `YES` or `No`).
    pub fn mfa_used(&self) -> Option<bool> {
        let used = self.raw.get("additionalEventData")?.get("MFAUsed")?;
        used.as_str().map(|s| s.eq_ignore_ascii_case("yes"))
    }

    /// Names of what the call touched: resource names and ARNs, and the
    /// string values of `requestParameters` (bucket, user, function names).
    pub fn resource_names(&self) -> impl Iterator<Item = &str> {
        let from_resources = self
            .resources
            .iter()
            .flat_map(|r| r.name.iter().chain(r.arn.iter()))
            .map(String::as_str);
        let from_request = self
            .raw
            .get("requestParameters")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|params| params.values().filter_map(Value::as_str));
        from_resources.chain(from_request)
    }

    /// The whole record as indented JSON (not sanitised: callers that
    /// print it sanitise each line).
    pub fn pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.raw).unwrap_or_default()
    }
}

fn fill(field: &mut Option<String>, fallback: &str) {
    if field.is_none() && !fallback.is_empty() {
        *field = Some(fallback.to_string());
    }
}

fn resources(obj: &Map<String, Value>) -> Vec<TrailResource> {
    let Some(list) = obj.get("resources").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Value::as_object)
        .map(|r| {
            let arn = text(r, "ARN").or_else(|| text(r, "arn"));
            TrailResource {
                resource_type: text(r, "type"),
                name: arn
                    .as_deref()
                    .and_then(|a| a.trim_end_matches('/').rsplit(['/', ':']).next())
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                arn,
            }
        })
        .collect()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trail::identity::IdentityKind;
    use serde_json::json;

    fn record(value: Value) -> TrailRecord {
        TrailRecord::from_value(value, None).unwrap()
    }

    #[test]
    fn reads_the_common_fields() {
        let r = record(json!({
            "eventVersion": "1.09",
            "eventTime": "2026-11-27T10:00:00Z",
            "eventName": "DeleteTrail",
            "eventSource": "cloudtrail.amazonaws.com",
            "awsRegion": "eu-west-1",
            "sourceIPAddress": "192.0.2.7",
            "userAgent": "aws-cli/2",
            "errorCode": "AccessDenied",
            "errorMessage": "no",
            "readOnly": false,
            "eventID": "e-1",
            "eventType": "AwsApiCall",
            "eventCategory": "Management",
            "recipientAccountId": "111122223333",
            "userIdentity": {"type": "Root"},
            "resources": [{"ARN": "arn:aws:cloudtrail:eu-west-1:1:trail/main", "type": "AWS::CloudTrail::Trail"}]
        }));
        assert_eq!(r.event_time.unwrap().to_string(), "2026-11-27T10:00:00Z");
        assert_eq!(r.event_name, "DeleteTrail");
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.error_code.as_deref(), Some("AccessDenied"));
        assert_eq!(r.read_only, Some(false));
        assert_eq!(r.event_category.as_deref(), Some("Management"));
        assert_eq!(r.identity.kind, IdentityKind::Root);
        assert_eq!(r.user(), "root");
        assert_eq!(r.resources[0].name.as_deref(), Some("main"));
        assert!(
            r.resource_names()
                .any(|n| n == "arn:aws:cloudtrail:eu-west-1:1:trail/main")
        );
    }

    #[test]
    fn missing_and_mistyped_fields_are_none() {
        let r = record(
            json!({"eventTime": "yesterday", "readOnly": "TRUE", "resources": "x", "eventName": 7}),
        );
        assert_eq!(r.event_time, None);
        assert_eq!(r.read_only, Some(true));
        assert!(r.resources.is_empty());
        assert_eq!(r.event_name, "");
        assert_eq!(r.user(), "");
    }

    #[test]
    fn non_objects_are_refused_with_their_index() {
        let err = TrailRecord::from_value(json!("text"), Some(3)).unwrap_err();
        assert_eq!(err.to_string(), "record #3 is a string, not an object");
        let err = TrailRecord::parse("[1]").unwrap_err();
        assert_eq!(err.to_string(), "record is an array, not an object");
        assert!(matches!(TrailRecord::parse("{"), Err(RecordError::Json(_))));
    }

    #[test]
    fn read_only_is_guessed_from_the_name_when_absent() {
        let named = |n: &str| record(json!({"eventName": n})).is_read_only();
        assert!(named("GetFunction"));
        assert!(named("DescribeAlarms"));
        assert!(!named("Getaway"));
        assert!(!named("CreateUser"));
        assert!(!named("ConsoleLogin"));
        assert!(!record(json!({"eventName": "GetX", "readOnly": false})).is_read_only());
    }

    #[test]
    fn console_sign_in_outcome_and_mfa() {
        let r = record(json!({
            "eventName": "ConsoleLogin",
            "responseElements": {"ConsoleLogin": "Failure"},
            "additionalEventData": {"MFAUsed": "YES"}
        }));
        assert_eq!(r.sign_in_outcome(), Some(SignInOutcome::Failure));
        assert_eq!(r.failure(), Some("Failure"));
        assert_eq!(r.mfa_used(), Some(true));
        let r = record(json!({"eventName": "ConsoleLogin", "responseElements": null}));
        assert_eq!(r.sign_in_outcome(), None);
        assert_eq!(r.mfa_used(), None);
    }

    #[test]
    fn lookup_summary_fills_what_the_record_lacks() {
        let event = TrailEvent {
            id: "id-1".into(),
            name: "PutMetricAlarm".into(),
            time: "2026-11-27T10:00:00Z".parse().unwrap(),
            username: Some("AKIATEST".into()),
            source: Some("monitoring.amazonaws.com".into()),
            read_only: Some(false),
            resources: vec![TrailResource {
                resource_type: Some("AWS::CloudWatch::Alarm".into()),
                name: Some("cpu".into()),
                arn: None,
            }],
            raw: r#"{"eventName": "PutMetricAlarm", "userIdentity": {}}"#.into(),
        };
        let r = TrailRecord::from_event(&event);
        assert_eq!(r.event_id.as_deref(), Some("id-1"));
        assert_eq!(r.event_source, "monitoring.amazonaws.com");
        assert_eq!(r.user(), "AKIATEST");
        assert_eq!(r.resources[0].name.as_deref(), Some("cpu"));
        let broken = TrailEvent {
            raw: "not json".into(),
            ..event
        };
        let r = TrailRecord::from_event(&broken);
        assert_eq!(r.event_name, "PutMetricAlarm");
        assert_eq!(r.raw, Value::Null);
    }
}
