//! Alarm actions against scripted AWS answers: the mute-rule path of a
//! silence (the emulator has no mute rules), and read-only mode, where not
//! one request leaves the process.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ciborium::Value;
use monitui::data::guard::ReadOnlyProvider;
use monitui::data::{ActionError, AlarmActions, AuditLog};
use monitui::model::mute::MuteRule;
use monitui::model::{AlarmState, Clock, ManualClock, MetricDatum, MetricRef};
use monitui::provider::{Provider, ProviderError};
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
    let provider: Arc<dyn Provider> = Arc::new(support::aws_provider(&server.endpoint()).await);
    let dir = tempfile::tempdir().unwrap();
    let actions = AlarmActions::new(
        provider,
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
            "DisableAlarmActions",
            "TagResource"
        ]
    );
}

#[tokio::test]
async fn read_only_sends_no_request_at_all() {
    let server = RecordedServer::start(vec![]);
    let inner: Arc<dyn Provider> = Arc::new(support::aws_provider(&server.endpoint()).await);
    let guarded = ReadOnlyProvider::new(inner, "prod");
    let clock = ManualClock::new("2026-01-16T03:00:00Z".parse().unwrap());
    let tags = BTreeMap::from([("monitui:ack-by".to_string(), "alice".to_string())]);
    let names = vec![ALARM.to_string()];
    let arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-api-5xx";
    let datum = MetricDatum {
        metric: MetricRef::new("Shop", "Orders", vec![]),
        value: 1.0,
        unit: None,
        timestamp: None,
    };
    let rule = MuteRule::for_silence(ALARM, clock.now(), Duration::from_secs(60), "x");
    let results: Vec<(&str, ProviderError)> = vec![
        (
            "SetAlarmState",
            guarded
                .set_alarm_state(ALARM, AlarmState::Alarm, "x")
                .await
                .unwrap_err(),
        ),
        (
            "DisableAlarmActions",
            guarded
                .set_alarm_actions_enabled(&names, false)
                .await
                .unwrap_err(),
        ),
        (
            "EnableAlarmActions",
            guarded
                .set_alarm_actions_enabled(&names, true)
                .await
                .unwrap_err(),
        ),
        (
            "TagResource",
            guarded.tag_resource(arn, &tags).await.unwrap_err(),
        ),
        (
            "UntagResource",
            guarded.untag_resource(arn, &names).await.unwrap_err(),
        ),
        (
            "PutMetricData",
            guarded.put_metric_data("Shop", &[datum]).await.unwrap_err(),
        ),
        (
            "Publish",
            guarded
                .publish("arn:aws:sns:::t", "s", "m")
                .await
                .unwrap_err(),
        ),
        (
            "PutAlarmMuteRule",
            guarded.put_mute_rule(&rule).await.unwrap_err(),
        ),
        (
            "DeleteAlarmMuteRule",
            guarded.delete_mute_rule(&rule.name).await.unwrap_err(),
        ),
    ];
    for (operation, err) in results {
        assert_eq!(
            err,
            ProviderError::ReadOnly {
                env: "prod".into(),
                operation: operation.into()
            }
        );
        assert!(err.to_string().contains("'prod' is read-only"), "{err}");
    }
    assert_eq!(server.request_count(), 0, "{:?}", server.requests());

    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let actions = AlarmActions::new(
        Arc::new(guarded),
        &support::aws_env(&server.endpoint()),
        Arc::new(clock),
        audit.clone(),
    );
    server.push(one_alarm());
    server.push(Reply::xml(200, IDENTITY));
    let err = actions.test(ALARM).await.unwrap_err();
    assert!(matches!(
        err,
        ActionError::Provider(ProviderError::ReadOnly { .. })
    ));
    let ops: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.operation().to_string())
        .collect();
    assert_eq!(ops, ["DescribeAlarms", ""], "only reads were sent");
    let log = audit.read().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].result, monitui::data::audit::AuditResult::Refused);
    assert_eq!(log[0].who, "alice");
}
