//! Alarm actions against scripted AWS answers: the mute-rule path of a
//! silence (the emulator has no mute rules), and read-only mode, where not
//! one request leaves the process.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ciborium::Value;
use monitui::data::{ActionError, AlarmActions, AuditLog, Mutation, Session};
use monitui::model::ManualClock;
use monitui::provider::{Account, ProviderError};
use support::cbor::{array, get, map, metric_alarm, text};
use support::recorded::{RecordedServer, Reply};

const ALARM: &str = "orders-api-5xx";
const IDENTITY: &str = "<GetCallerIdentityResponse><GetCallerIdentityResult>\
    <Arn>arn:aws:sts::123456789012:assumed-role/OnCall/alice</Arn><UserId>AROA1:alice</UserId>\
    <Account>123456789012</Account></GetCallerIdentityResult>\
    <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

fn one_alarm() -> Reply {
    let alarm = metric_alarm(ALARM, "AWS/ApiGateway", "5XXError");
    Reply::cbor(200, &map([("MetricAlarms", array([alarm]))]))
}

/// Alarm actions through an AwsProvider talking to `server`, on a clock
/// stopped at `now`, with the audit log in the returned temporary directory
/// (keep it alive as long as the actions).
async fn actions_at(server: &RecordedServer, now: &str) -> (AlarmActions, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let actions = AlarmActions::new(
        support::aws_session(&server.endpoint()).await,
        &support::aws_env(&server.endpoint()),
        Arc::new(ManualClock::new(now.parse().unwrap())),
        AuditLog::at(dir.path().join("audit.jsonl")),
    );
    (actions, dir)
}

fn text_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    let mut v = value;
    for key in path {
        v = get(v, key).unwrap_or_else(|| panic!("no {key} in {v:?}"));
    }
    v.as_text()
        .unwrap_or_else(|| panic!("{path:?} is not text: {v:?}"))
}

#[tokio::test]
async fn silence_uses_a_mute_rule_where_the_service_has_them() {
    let server = RecordedServer::start(vec![
        one_alarm(),
        Reply::xml(200, IDENTITY),
        Reply::cbor(200, &map([])),
        Reply::cbor(200, &map([])),
    ]);
    let (actions, _audit_dir) = actions_at(&server, "2026-01-16T03:04:50Z").await;
    let message = actions
        .silence(ALARM, Duration::from_secs(3600), "deploying the fix")
        .await
        .expect("silence");
    assert!(message.contains("mute rule"), "{message}");

    let requests = server.requests();
    let ops: Vec<&str> = requests.iter().map(|r| r.operation()).collect();
    assert_eq!(
        ops,
        ["DescribeAlarms", "", "PutAlarmMuteRule", "TagResource"]
    );
    let put = requests[2].cbor_body();
    assert_eq!(text_at(&put, &["Name"]), "monitui-silence-orders-api-5xx");
    assert_eq!(
        text_at(&put, &["Rule", "Schedule", "Expression"]),
        "at(2026-01-16T03:04)"
    );
    assert_eq!(text_at(&put, &["Rule", "Schedule", "Duration"]), "PT61M");
    assert_eq!(text_at(&put, &["Rule", "Schedule", "Timezone"]), "UTC");
    let targets = get(get(&put, "MuteTargets").unwrap(), "AlarmNames").unwrap();
    assert_eq!(targets.as_array().unwrap(), &vec![text(ALARM)]);
    assert!(text_at(&put, &["Description"]).contains("alice: deploying the fix"));

    let tags = requests[3].cbor_body();
    let tags: BTreeMap<&str, &str> = get(&tags, "Tags")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (text_at(t, &["Key"]), text_at(t, &["Value"])))
        .collect();
    assert_eq!(tags["monitui:silence-method"], "mute-rule");
    assert_eq!(tags["monitui:silence-by"], "alice");
    assert_eq!(tags["monitui:silence-until"], "2026-01-16T04:05:00Z");
}

#[tokio::test]
async fn unsupported_mute_rules_fall_back_to_disabling_actions() {
    let server = RecordedServer::start(vec![
        one_alarm(),
        Reply::xml(200, IDENTITY),
        Reply::cbor_error(400, "InvalidAction", "Unknown action: PutAlarmMuteRule"),
        Reply::cbor(200, &map([("Tags", array([]))])),
        Reply::cbor(200, &map([])),
        Reply::cbor(200, &map([])),
    ]);
    let (actions, _audit_dir) = actions_at(&server, "2026-01-16T03:00:00Z").await;
    let message = actions
        .silence(ALARM, Duration::from_secs(900), "noisy")
        .await
        .expect("silence");
    assert!(message.contains("actions disabled"), "{message}");
    let ops: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.operation().to_string())
        .collect();
    assert_eq!(
        ops,
        [
            "DescribeAlarms",
            "",
            "PutAlarmMuteRule",
            "ListTagsForResource",
            "TagResource",
            "DisableAlarmActions"
        ],
        "the silence is recorded before the actions go off"
    );
}

#[tokio::test]
async fn read_only_refuses_every_change_before_any_write() {
    let server = RecordedServer::start(vec![Reply::xml(200, IDENTITY)]);
    let provider = Arc::new(support::aws_provider(&server.endpoint()).await);
    let session = Arc::new(Session::new(Account::of(provider), "prod", true));
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let clock = ManualClock::new("2026-01-16T03:00:00Z".parse().unwrap());
    let actions = AlarmActions::new(
        session,
        &support::aws_env(&server.endpoint()),
        Arc::new(clock),
        audit.clone(),
    );
    let alarm = ALARM.to_string();
    let mutations = [
        Mutation::Ack {
            alarm: alarm.clone(),
            note: "n".into(),
        },
        Mutation::Unack {
            alarm: alarm.clone(),
        },
        Mutation::Silence {
            alarm: alarm.clone(),
            duration: Duration::from_secs(600),
            note: "n".into(),
        },
        Mutation::Unsilence {
            alarm: alarm.clone(),
        },
        Mutation::Test { alarm },
    ];
    for mutation in &mutations {
        let err = actions.run(mutation).await.unwrap_err();
        assert!(
            matches!(&err, ActionError::Provider(ProviderError::ReadOnly { env, .. }) if env == "prod"),
            "{mutation:?}: {err}"
        );
        assert!(err.to_string().contains("'prod' is read-only"), "{err}");
    }
    let ops: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.operation().to_string())
        .collect();
    assert_eq!(ops, [""], "only who-am-i, for the audit log, was sent");
    let log = audit.read().unwrap();
    assert_eq!(log.len(), mutations.len());
    assert!(
        log.iter()
            .all(|e| e.result == monitui::data::audit::AuditResult::Refused && e.who == "alice")
    );
}
