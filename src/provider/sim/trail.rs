//! The demo account's CloudTrail history: a deterministic stream of
//! realistic events over the last day, a pure function of the seed and the
//! clock. Every 15-minute slot has one routine call (on-call reads, console
//! sign-ins with and without MFA, a failed sign-in, IAM changes, denied
//! calls, an AWS service assuming a role); every Lambda error burst (see
//! `incidents`) is preceded by a deploy of the analytics function a minute
//! before it starts; and once a day a contractor stops the trail's logging
//! (the tampering event), the root user signs in, and an admin restarts
//! logging.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::catalog::{ACCOUNT_ID, ANALYTICS_SERVICE, LAMBDAS, REGION};
use super::incidents::Incidents;
use super::noise::{splitmix64, stream_id};
use crate::model::trail::TrailRecord;
use crate::model::{TrailEvent, TrailPage, TrailQuery};
use crate::provider::{ProviderError, ProviderResult};

/// How far back the demo account's history goes.
pub const HISTORY: SignedDuration = SignedDuration::from_hours(24);
/// Events per LookupEvents page (the API's default and maximum).
pub const PAGE_SIZE: usize = 50;
/// One routine call per slot of this many minutes.
const SLOT_MINUTES: i64 = 15;
/// How long before a Lambda error burst its deploy lands, minutes.
const DEPLOY_LEAD_MINUTES: i64 = 2;
const MINUTES_PER_DAY: i64 = 24 * 60;
const CONSOLE_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const CLI_AGENT: &str = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.ubuntu.22 prompt/off";
const OFFICE_IP: &str = "203.0.113.10";

/// The demo account's event history for one seed and resource prefix.
#[derive(Debug, Clone)]
pub struct TrailHistory {
    seed: u64,
    prefix: String,
    incidents: Incidents,
}

impl TrailHistory {
    /// The history of the account with `seed` and resources named
    /// `prefix-...`, launched in epoch minute `launch`.
    pub fn new(seed: u64, prefix: &str, launch: i64) -> Self {
        Self {
            seed,
            prefix: prefix.to_string(),
            incidents: Incidents::new(seed, launch),
        }
    }

    /// One LookupEvents page as of `now`: events of the last day inside the
    /// query's window that have its attribute, newest first. The token
    /// pins the window's end, so later pages do not shift as time passes.
    pub fn lookup(&self, query: &TrailQuery, now: Timestamp) -> ProviderResult<TrailPage> {
        let (end, offset) = match &query.next_token {
            Some(token) => parse_token(token)?,
            None => (query.end.unwrap_or(now).min(now), 0),
        };
        let start = query.start.unwrap_or(now - HISTORY).max(now - HISTORY);
        if query.start.is_some_and(|s| s > end) {
            return Err(ProviderError::Invalid(
                "LookupEvents: the start time is after the end time".to_string(),
            ));
        }
        let mut records: Vec<TrailRecord> = self
            .records(start, end)
            .into_iter()
            .filter(|r| query.attribute.as_ref().is_none_or(|a| a.matches(r)))
            .collect();
        records.sort_by(|a, b| (b.event_time, &b.event_id).cmp(&(a.event_time, &a.event_id)));
        let next = offset + PAGE_SIZE;
        Ok(TrailPage {
            next_token: (records.len() > next).then(|| format!("{}:{next}", end.as_second())),
            events: records
                .iter()
                .skip(offset)
                .take(PAGE_SIZE)
                .map(to_event)
                .collect(),
        })
    }

    /// Every event between `start` and `end` (inclusive), unordered.
    fn records(&self, start: Timestamp, end: Timestamp) -> Vec<TrailRecord> {
        let first = start.as_second().div_euclid(60);
        let last = end.as_second().div_euclid(60);
        (first..=last)
            .flat_map(|minute| self.minute(minute))
            .filter(|v| {
                let t = v["eventTime"]
                    .as_str()
                    .and_then(|t| t.parse::<Timestamp>().ok());
                t.is_some_and(|t| t >= start && t <= end)
            })
            .filter_map(|v| TrailRecord::from_value(v, None).ok())
            .collect()
    }

    /// The events of epoch minute `minute`.
    fn minute(&self, minute: i64) -> Vec<Value> {
        let mut out = Vec::new();
        if minute.rem_euclid(SLOT_MINUTES) == self.slot_minute(minute) {
            out.push(self.routine(minute));
        }
        // The deploy that causes it, two minutes before each error burst.
        if self.incidents.lambda_burst(minute + DEPLOY_LEAD_MINUTES)
            && !self
                .incidents
                .lambda_burst(minute + DEPLOY_LEAD_MINUTES - 1)
        {
            out.push(self.deploy(minute));
        }
        out.extend(self.daily(minute));
        out
    }

    fn bits(&self, minute: i64, what: &str) -> u64 {
        splitmix64(splitmix64(self.seed ^ stream_id(what)) ^ minute as u64)
    }

    /// The minute of its slot at which a slot's routine call happens.
    fn slot_minute(&self, minute: i64) -> i64 {
        (self.bits(minute.div_euclid(SLOT_MINUTES), "trail.slot") % SLOT_MINUTES as u64) as i64
    }

    fn call(&self, minute: i64, what: &str, identity: Value, source: &str, name: &str) -> Call {
        let bits = self.bits(minute, what);
        let second = minute * 60 + (bits % 60) as i64;
        let time = Timestamp::from_second(second).unwrap_or(Timestamp::UNIX_EPOCH);
        let more = splitmix64(bits);
        let id = format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            bits >> 32,
            (bits >> 16) & 0xffff,
            bits & 0xfff,
            more >> 52,
            more & 0xffff_ffff_ffff
        );
        Call(json!({
            "eventVersion": "1.09",
            "userIdentity": identity,
            "eventTime": time.to_string(),
            "eventSource": source,
            "eventName": name,
            "awsRegion": REGION,
            "sourceIPAddress": OFFICE_IP,
            "userAgent": CLI_AGENT,
            "requestParameters": null,
            "responseElements": null,
            "requestID": format!("{more:016x}"),
            "eventID": id,
            "readOnly": false,
            "eventType": "AwsApiCall",
            "managementEvent": true,
            "recipientAccountId": ACCOUNT_ID,
            "eventCategory": "Management"
        }))
    }

    /// The routine call of the slot holding `minute`.
    fn routine(&self, minute: i64) -> Value {
        match self.bits(minute, "trail.kind") % 16 {
            pick @ 0..=3 => self.on_call_read(minute, pick as usize),
            4 | 5 => self.sign_in(minute, iam_user("alice"), "Success", "Yes"),
            6 => self.sign_in(minute, iam_user("bob"), "Success", "Yes"),
            7 => self.sign_in(minute, iam_user("carol"), "Success", "No"),
            8 => {
                let unknown =
                    json!({"type": "IAMUser", "accountId": ACCOUNT_ID, "userName": "carol"});
                self.sign_in(minute, unknown, "Failure", "No")
            }
            9 | 10 => self.iam_change(minute),
            11 => self.denied_secret(minute),
            12 => self.unauthorized_instance(minute),
            _ => self.service_assumes_role(minute),
        }
    }

    fn analytics_function(&self) -> String {
        format!("{}-{}", self.prefix, LAMBDAS[ANALYTICS_SERVICE].suffix)
    }

    fn analytics_role(&self) -> String {
        format!("{}-analytics-role", self.prefix)
    }

    /// The on-call engineer's monitui reading alarms, metrics, logs, events.
    fn on_call_read(&self, minute: i64, which: usize) -> Value {
        let (source, name) = [
            ("monitoring.amazonaws.com", "DescribeAlarms"),
            ("monitoring.amazonaws.com", "GetMetricData"),
            ("logs.amazonaws.com", "FilterLogEvents"),
            ("cloudtrail.amazonaws.com", "LookupEvents"),
        ][which % 4];
        self.call(minute, "read", on_call(), source, name)
            .set("readOnly", json!(true))
            .set("userAgent", json!("monitui/0.1.0"))
            .0
    }

    /// An admin changing the analytics role or carol's keys.
    fn iam_change(&self, minute: i64) -> Value {
        let role = self.analytics_role();
        let (name, params) = match self.bits(minute, "trail.iam") % 3 {
            0 => (
                "AttachRolePolicy",
                json!({"roleName": role, "policyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}),
            ),
            1 => (
                "PutRolePolicy",
                json!({"roleName": role, "policyName": "analytics-inline"}),
            ),
            _ => ("CreateAccessKey", json!({"userName": "carol"})),
        };
        self.call(minute, "iam", iam_user("alice"), "iam.amazonaws.com", name)
            .set("requestParameters", params)
            .0
    }

    /// The analytics Lambda reaching for a secret its role does not grant.
    fn denied_secret(&self, minute: i64) -> Value {
        let (role, function) = (self.analytics_role(), self.analytics_function());
        let message = format!(
            "User: arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{function} is not authorized \
             to perform: secretsmanager:GetSecretValue"
        );
        let source = "secretsmanager.amazonaws.com";
        self.call(
            minute,
            "denied",
            service_session(&role, &function),
            source,
            "GetSecretValue",
        )
        .set("errorCode", json!("AccessDenied"))
        .set("errorMessage", json!(message))
        .set("readOnly", json!(true))
        .set("sourceIPAddress", json!("198.51.100.44"))
        .set("userAgent", json!("aws-sdk-python/1.34.0"))
        .0
    }

    /// An intern trying to start a very large instance.
    fn unauthorized_instance(&self, minute: i64) -> Value {
        let who = iam_user("dev-intern");
        self.call(
            minute,
            "unauthorized",
            who,
            "ec2.amazonaws.com",
            "RunInstances",
        )
        .set("errorCode", json!("Client.UnauthorizedOperation"))
        .set(
            "errorMessage",
            json!("You are not authorized to perform this operation."),
        )
        .set("requestParameters", json!({"instanceType": "p4d.24xlarge"}))
        .0
    }

    /// Lambda assuming the analytics role for the function (an AWSService identity).
    fn service_assumes_role(&self, minute: i64) -> Value {
        let role_arn = format!("arn:aws:iam::{ACCOUNT_ID}:role/{}", self.analytics_role());
        let lambda = json!({"type": "AWSService", "invokedBy": "lambda.amazonaws.com"});
        self.call(minute, "service", lambda, "sts.amazonaws.com", "AssumeRole")
            .set("sourceIPAddress", json!("lambda.amazonaws.com"))
            .set("userAgent", json!("lambda.amazonaws.com"))
            .set(
                "requestParameters",
                json!({"roleArn": role_arn, "roleSessionName": self.analytics_function()}),
            )
            .set(
                "resources",
                json!([{"ARN": role_arn, "accountId": ACCOUNT_ID, "type": "AWS::IAM::Role"}]),
            )
            .0
    }

    fn sign_in(&self, minute: i64, identity: Value, outcome: &str, mfa: &str) -> Value {
        let mut call = self
            .call(
                minute,
                "signin",
                identity,
                "signin.amazonaws.com",
                "ConsoleLogin",
            )
            .set("userAgent", json!(CONSOLE_AGENT))
            .set("responseElements", json!({"ConsoleLogin": outcome}))
            .set(
                "additionalEventData",
                json!({
                    "LoginTo": "https://console.aws.amazon.com/console/home",
                    "MobileVersion": "No",
                    "MFAUsed": mfa
                }),
            )
            .set("eventType", json!("AwsConsoleSignIn"));
        if outcome == "Failure" {
            call = call.set("errorMessage", json!("Failed authentication"));
        }
        if let Some(o) = call.0.as_object_mut() {
            o.remove("readOnly");
        }
        call.0
    }

    /// The deploy of the analytics function that precedes an error burst.
    fn deploy(&self, minute: i64) -> Value {
        let function = self.analytics_function();
        self.call(
            minute,
            "deploy",
            deployer(),
            "lambda.amazonaws.com",
            "UpdateFunctionCode20150331v2",
        )
        .set("sourceIPAddress", json!("192.0.2.50"))
        .set(
            "requestParameters",
            json!({"functionName": function, "publish": true}),
        )
        .set(
            "responseElements",
            json!({
                "functionName": function,
                "functionArn": format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function}"),
                "lastUpdateStatus": "InProgress"
            }),
        )
        .0
    }

    /// The daily script: root signs in, a contractor stops the trail's
    /// logging, an admin restarts it.
    fn daily(&self, minute: i64) -> Vec<Value> {
        let at = (self.bits(0, "trail.daily") % (MINUTES_PER_DAY as u64 - 30)) as i64;
        let trail = format!(
            "arn:aws:cloudtrail:{REGION}:{ACCOUNT_ID}:trail/{}-trail",
            self.prefix
        );
        let logging = |name: &str, who: Value| {
            self.call(minute, name, who, "cloudtrail.amazonaws.com", name)
                .set("requestParameters", json!({"name": trail}))
                .set("resources", json!([{"ARN": trail, "accountId": ACCOUNT_ID, "type": "AWS::CloudTrail::Trail"}]))
                .0
        };
        match minute.rem_euclid(MINUTES_PER_DAY) - at {
            0 => vec![self.sign_in(minute, root(), "Success", "YES")],
            7 => vec![logging("StopLogging", iam_user("contractor-dev"))],
            19 => vec![logging("StartLogging", iam_user("alice"))],
            _ => Vec::new(),
        }
    }
}

/// A record under construction.
struct Call(Value);

impl Call {
    fn set(mut self, key: &str, value: Value) -> Self {
        if let Some(o) = self.0.as_object_mut() {
            o.insert(key.to_string(), value);
        }
        self
    }
}

fn iam_user(name: &str) -> Value {
    let key = format!("AKIA{:016X}", stream_id(name));
    json!({
        "type": "IAMUser",
        "principalId": format!("AIDA{}", &key[4..]),
        "arn": format!("arn:aws:iam::{ACCOUNT_ID}:user/{name}"),
        "accountId": ACCOUNT_ID,
        "accessKeyId": key,
        "userName": name
    })
}

fn session(role: &str, session: &str, mfa: bool) -> Value {
    let id = format!("AROA{:016X}", stream_id(role));
    json!({
        "type": "AssumedRole",
        "principalId": format!("{id}:{session}"),
        "arn": format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{session}"),
        "accountId": ACCOUNT_ID,
        "accessKeyId": format!("ASIA{}", &id[4..]),
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": id,
                "arn": format!("arn:aws:iam::{ACCOUNT_ID}:role/{role}"),
                "accountId": ACCOUNT_ID,
                "userName": role
            },
            "attributes": {"creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": mfa.to_string()}
        }
    })
}

/// The on-call engineer, as `caller_identity` names them.
fn on_call() -> Value {
    session("OnCall", "demo-oncall", true)
}

fn deployer() -> Value {
    session("GitHubDeployer", "deploy-bot", false)
}

fn service_session(role: &str, function: &str) -> Value {
    let mut v = session(role, function, false);
    if let Some(o) = v.as_object_mut() {
        o.insert("invokedBy".into(), json!("lambda.amazonaws.com"));
    }
    v
}

fn root() -> Value {
    json!({
        "type": "Root",
        "principalId": ACCOUNT_ID,
        "arn": format!("arn:aws:iam::{ACCOUNT_ID}:root"),
        "accountId": ACCOUNT_ID,
        "accessKeyId": ""
    })
}

/// The LookupEvents summary of a record, as the real service fills it.
fn to_event(record: &TrailRecord) -> TrailEvent {
    TrailEvent {
        id: record.event_id.clone().unwrap_or_default(),
        name: record.event_name.clone(),
        time: record.event_time.unwrap_or(Timestamp::UNIX_EPOCH),
        username: Some(record.user()).filter(|u| !u.is_empty()),
        source: Some(record.event_source.clone()),
        read_only: Some(record.is_read_only()),
        resources: record.resources.clone(),
        raw: record.raw.to_string(),
    }
}

fn parse_token(token: &str) -> ProviderResult<(Timestamp, usize)> {
    let invalid = || ProviderError::Invalid(format!("LookupEvents: invalid NextToken '{token}'"));
    let (end, offset) = token.split_once(':').ok_or_else(invalid)?;
    let end = end
        .parse()
        .ok()
        .and_then(|s| Timestamp::from_second(s).ok());
    Ok((
        end.ok_or_else(invalid)?,
        offset.parse().map_err(|_| invalid())?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trail::{LookupAttribute, Preset, TrailCriteria};
    use crate::provider::sim::incidents::Kind;

    const PREFIX: &str = "ecommerce-ai-platform";

    /// The account comes up at `now`.
    fn launch() -> i64 {
        now().as_second().div_euclid(60)
    }

    fn now() -> Timestamp {
        "2026-11-27T13:00:00Z".parse().unwrap()
    }

    /// Every event of the last day, all pages followed.
    fn all(history: &TrailHistory, attribute: Option<LookupAttribute>) -> Vec<TrailEvent> {
        let mut query = TrailQuery {
            attribute,
            ..TrailQuery::default()
        };
        let mut events = Vec::new();
        loop {
            let page = history.lookup(&query, now()).unwrap();
            assert!(page.events.len() <= PAGE_SIZE);
            events.extend(page.events);
            match page.next_token {
                Some(t) => query.next_token = Some(t),
                None => return events,
            }
        }
    }

    fn count(events: &[TrailEvent], preset: Preset) -> usize {
        let criteria = TrailCriteria {
            preset: Some(preset),
            ..TrailCriteria::default()
        };
        events
            .iter()
            .filter(|e| criteria.matches(&TrailRecord::from_event(e)))
            .count()
    }

    #[test]
    fn a_day_of_history_newest_first_with_every_kind_of_event() {
        let history = TrailHistory::new(1, PREFIX, launch());
        let events = all(&history, None);
        assert!((100..400).contains(&events.len()), "{}", events.len());
        assert!(events.windows(2).all(|w| w[0].time >= w[1].time));
        assert!(
            events
                .iter()
                .all(|e| e.time <= now() && e.time >= now() - HISTORY)
        );
        assert_eq!(count(&events, Preset::TrailTampering), 1);
        assert_eq!(count(&events, Preset::Root), 1);
        for preset in [Preset::IamChanges, Preset::NoMfaLogins, Preset::Denied] {
            assert!(count(&events, preset) >= 2, "{preset}");
        }
        assert!(count(&events, Preset::ConsoleLogins) > count(&events, Preset::NoMfaLogins));
        let ids: std::collections::BTreeSet<_> = events.iter().map(|e| &e.id).collect();
        assert_eq!(ids.len(), events.len(), "event ids are unique");
    }

    #[test]
    fn deploys_come_a_minute_before_each_error_burst() {
        let history = TrailHistory::new(4, PREFIX, launch());
        let incidents = Incidents::new(4, launch());
        let deploys = all(
            &history,
            Some(LookupAttribute::EventName(
                "UpdateFunctionCode20150331v2".into(),
            )),
        );
        let bursts = incidents
            .between(launch() - 24 * 60, launch())
            .into_iter()
            .filter(|w| w.kind == Kind::LambdaBurst)
            .count();
        assert!(bursts >= 1);
        assert_eq!(deploys.len(), bursts);
        for d in &deploys {
            let minute = d.time.as_second().div_euclid(60);
            assert!(
                !incidents.lambda_burst(minute + 1) && incidents.lambda_burst(minute + 2),
                "two minutes before a burst"
            );
            assert_eq!(d.username.as_deref(), Some("deploy-bot"));
        }
    }

    #[test]
    fn same_seed_same_history_and_the_attribute_filters() {
        let a = all(&TrailHistory::new(7, PREFIX, launch()), None);
        let b = all(&TrailHistory::new(7, PREFIX, launch()), None);
        assert_eq!(a, b);
        assert_ne!(a, all(&TrailHistory::new(8, PREFIX, launch()), None));
        let alice = all(
            &TrailHistory::new(7, PREFIX, launch()),
            Some(LookupAttribute::Username("alice".into())),
        );
        assert!(!alice.is_empty());
        assert!(alice.iter().all(|e| e.username.as_deref() == Some("alice")));
    }

    #[test]
    fn window_and_tokens() {
        let history = TrailHistory::new(1, PREFIX, launch());
        let query = TrailQuery {
            start: Some(now() - SignedDuration::from_hours(1)),
            end: Some(now() - SignedDuration::from_mins(30)),
            ..TrailQuery::default()
        };
        let page = history.lookup(&query, now()).unwrap();
        assert!(
            page.events
                .iter()
                .all(|e| e.time >= query.start.unwrap() && e.time <= query.end.unwrap())
        );
        let bad = TrailQuery {
            next_token: Some("nope".into()),
            ..TrailQuery::default()
        };
        assert!(matches!(
            history.lookup(&bad, now()),
            Err(ProviderError::Invalid(_))
        ));
        let reversed = TrailQuery {
            start: query.end,
            end: query.start,
            ..TrailQuery::default()
        };
        assert!(matches!(
            history.lookup(&reversed, now()),
            Err(ProviderError::Invalid(_))
        ));
    }
}
