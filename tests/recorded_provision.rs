//! Provisioning calls the emulator cannot show, against scripted answers:
//! a log group's KMS key changed in place (AssociateKmsKey /
//! DisassociateKmsKey, missing from the emulator), with only the calls the
//! change needs; an apply step whose answer is a 5xx, re-read before it is
//! tried again, never repeated blindly by the SDK; an alarm update that
//! keeps every field the spec does not name (the emulator drops some).

mod support;

use std::collections::BTreeMap;

use monitui::model::stack::{LogGroup, Resource};
use monitui::provider::ProvisionWrite;
use serde_json::json;
use support::recorded::{RecordedServer, Reply, Rule};

fn group(kms: Option<&str>, retention: u32) -> Resource {
    Resource::LogGroup(LogGroup {
        name: "/aws/batch/job".into(),
        retention_days: Some(retention),
        kms_key: kms.map(str::to_string),
    })
}

#[tokio::test]
async fn a_new_kms_key_is_associated_in_place() {
    let server = RecordedServer::start([
        Rule::new("AssociateKmsKey", Reply::json(200, &json!({}))),
        Rule::new("PutRetentionPolicy", Reply::json(200, &json!({}))),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    provider
        .put_resource(
            &group(Some("arn:new"), 30),
            Some(&group(Some("arn:old"), 30)),
            &BTreeMap::new(),
        )
        .await
        .unwrap();
    assert_eq!(server.operations().await, ["AssociateKmsKey"]);
    let body = server.requests_for("AssociateKmsKey").await[0].json_body();
    assert_eq!(
        body,
        json!({"logGroupName": "/aws/batch/job", "kmsKeyId": "arn:new"})
    );
}

#[tokio::test]
async fn a_removed_key_is_disassociated_and_retention_follows() {
    let server = RecordedServer::start([
        Rule::new("DisassociateKmsKey", Reply::json(200, &json!({}))),
        Rule::new("PutRetentionPolicy", Reply::json(200, &json!({}))),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    provider
        .put_resource(
            &group(None, 14),
            Some(&group(Some("arn:old"), 30)),
            &BTreeMap::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        server.operations().await,
        ["DisassociateKmsKey", "PutRetentionPolicy"]
    );
    let body = server.requests_for("PutRetentionPolicy").await[0].json_body();
    assert_eq!(
        body,
        json!({"logGroupName": "/aws/batch/job", "retentionInDays": 14})
    );
}

#[tokio::test]
async fn a_refused_association_is_an_error_naming_the_operation() {
    let server = RecordedServer::start([Rule::new(
        "AssociateKmsKey",
        Reply::json(
            400,
            &json!({"__type": "InvalidParameterException", "message": "The KMS key does not allow CloudWatch Logs"}),
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let err = provider
        .put_resource(
            &group(Some("arn:new"), 30),
            Some(&group(None, 30)),
            &BTreeMap::new(),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("AssociateKmsKey: InvalidParameterException"),
        "{err}"
    );
}

#[tokio::test]
async fn trail_delivery_errors_reach_doctor_with_their_fix() {
    use monitui::data::doctor::trail_check;
    use monitui::provider::ProvisionRead;
    let server = RecordedServer::start([Rule::new(
        "GetTrailStatus",
        Reply::json(
            200,
            &json!({
                "IsLogging": true,
                "LatestDeliveryError": "AccessDenied",
                "LatestCloudWatchLogsDeliveryError": "",
                "LatestDeliveryAttemptTime": "2026-01-16T03:00:00Z"
            }),
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let health = provider.trail_health("t").await.unwrap().unwrap();
    assert!(health.logging);
    assert_eq!(health.delivery_error.as_deref(), Some("AccessDenied"));
    assert_eq!(
        health.logs_delivery_error, None,
        "an empty error is no error"
    );
    let check = trail_check("t", Some(&health));
    assert!(!check.ok);
    assert_eq!(check.detail, "S3 delivery failing: AccessDenied");
    assert!(check.hint.unwrap().contains("bucket policy"));
    assert_eq!(
        server.requests_for("GetTrailStatus").await[0].json_body(),
        json!({"Name": "t"})
    );
}

#[tokio::test]
async fn a_missing_trail_has_no_health() {
    use monitui::provider::ProvisionRead;
    let server = RecordedServer::start([Rule::new(
        "GetTrailStatus",
        Reply::json(
            400,
            &json!({"__type": "TrailNotFoundException", "message": "Unknown trail"}),
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    assert_eq!(provider.trail_health("gone").await.unwrap(), None);
}

/// Applies the one-log-group stack `/aws/batch/job` (no retention) with
/// CreateLogGroup answered 500 once, then 200, and DescribeLogGroups
/// answering no group to the read just before the write, then `listed`;
/// returns the server, the apply's result and the audit log.
async fn apply_after_a_500(
    listed: serde_json::Value,
) -> (
    RecordedServer,
    Result<usize, monitui::data::provision::ProvisionError>,
    Vec<monitui::data::audit::AuditEntry>,
) {
    use monitui::data::audit::AuditLog;
    use monitui::data::provision::Provisioner;
    use monitui::model::stack::managed_tags;
    use monitui::provision::plan::plan;
    use monitui::provision::spec::Desired;
    use support::recorded::identity_xml;
    let server = RecordedServer::start([
        Rule::new(
            "GetCallerIdentity",
            Reply::xml(
                200,
                &identity_xml("arn:aws:iam::123456789012:user/ops", "AID"),
            ),
        ),
        Rule::new(
            "CreateLogGroup",
            Reply::json(
                500,
                &json!({"__type": "ServiceUnavailableException", "message": "try later"}),
            ),
        )
        .times(1),
        Rule::new("CreateLogGroup", Reply::json(200, &json!({}))),
        Rule::new(
            "DescribeLogGroups",
            Reply::json(200, &json!({"logGroups": []})),
        )
        .times(1),
        Rule::new("DescribeLogGroups", Reply::json(200, &listed)),
        Rule::new(
            "ListTagsForResource",
            Reply::json(200, &json!({ "tags": managed_tags("p") })),
        ),
    ])
    .await;
    let session = support::aws_session(&server.endpoint()).await;
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let clock = monitui::model::ManualClock::new("2026-01-16T03:00:00Z".parse().unwrap());
    let desired = Desired {
        prefix: "p".into(),
        resources: vec![Resource::LogGroup(LogGroup {
            name: "/aws/batch/job".into(),
            retention_days: None,
            kms_key: None,
        })],
        shared: Default::default(),
        slos: Vec::new(),
        adopt_shared: false,
    };
    let steps = plan(&desired, &[], false);
    let result = Provisioner::new(&session, &audit, &clock)
        .apply(&desired, &steps, &mut |_| {})
        .await;
    let entries = audit.read().unwrap();
    (server, result, entries)
}

#[tokio::test]
async fn a_create_answered_500_that_took_effect_is_re_read_not_sent_again() {
    let (server, result, audit) = apply_after_a_500(json!({
        "logGroups": [{"logGroupName": "/aws/batch/job", "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/batch/job:*"}]
    }))
    .await;
    assert_eq!(result.unwrap(), 1);
    assert_eq!(
        server.calls("CreateLogGroup").await,
        1,
        "the SDK must not retry a change"
    );
    assert_eq!(
        server.calls("DescribeLogGroups").await,
        2,
        "one read before the write, one re-read after it"
    );
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0].message.contains("confirmed by re-reading"),
        "{}",
        audit[0].message
    );
}

#[tokio::test]
async fn a_create_answered_500_that_did_not_take_effect_is_sent_once_more() {
    let (server, result, audit) = apply_after_a_500(json!({"logGroups": []})).await;
    assert_eq!(result.unwrap(), 1);
    assert_eq!(server.calls("CreateLogGroup").await, 2);
    assert_eq!(server.calls("DescribeLogGroups").await, 2);
    assert_eq!(audit[0].message, "created");
}

#[tokio::test]
async fn an_alarm_update_keeps_what_the_spec_does_not_name() {
    use ciborium::Value;
    use monitui::model::stack::{Alarm, managed_tags};
    use support::cbor::{array, float, get, map, metric_alarm, text};
    let pager = "arn:aws:sns:us-east-1:123456789012:pager";
    let Value::Map(mut now) = metric_alarm("p-errors", "AWS/Lambda", "Errors") else {
        unreachable!("metric_alarm builds a map")
    };
    now.extend([
        (text("ActionsEnabled"), Value::Bool(false)),
        (text("OKActions"), array([text(pager)])),
        (text("InsufficientDataActions"), array([text(pager)])),
        (text("Unit"), text("Count")),
        (text("EvaluateLowSampleCountPercentile"), text("ignore")),
    ]);
    let server = RecordedServer::start([
        Rule::new(
            "GetCallerIdentity",
            Reply::xml(
                200,
                &support::recorded::identity_xml("arn:aws:iam::123456789012:user/ops", "AID"),
            ),
        ),
        Rule::new(
            "DescribeAlarms",
            Reply::cbor(200, &map([("MetricAlarms", array([Value::Map(now)]))])),
        ),
        Rule::new("PutMetricAlarm", Reply::cbor(200, &map([]))),
    ])
    .await;
    let alarm = |threshold| {
        Resource::Alarm(Alarm {
            name: "p-errors".into(),
            description: String::new(),
            namespace: "AWS/Lambda".into(),
            metric: "Errors".into(),
            dimensions: BTreeMap::new(),
            statistic: "Sum".into(),
            queries: Vec::new(),
            period: 300,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            threshold,
            comparison: "GreaterThanThreshold".into(),
            treat_missing_data: "missing".into(),
            topics: vec!["p-alerts".into()],
        })
    };
    let provider = support::aws_provider(&server.endpoint()).await;
    provider
        .put_resource(&alarm(20.0), Some(&alarm(5.0)), &managed_tags("p"))
        .await
        .unwrap();
    let sent = server.requests_for("PutMetricAlarm").await[0].cbor_body();
    assert_eq!(get(&sent, "Threshold"), Some(&float(20.0)), "the change");
    assert_eq!(
        get(&sent, "ActionsEnabled"),
        Some(&Value::Bool(false)),
        "a silence is not ended"
    );
    assert_eq!(get(&sent, "OKActions"), Some(&array([text(pager)])));
    assert_eq!(
        get(&sent, "InsufficientDataActions"),
        Some(&array([text(pager)]))
    );
    assert_eq!(get(&sent, "Unit"), Some(&text("Count")));
    assert_eq!(
        get(&sent, "EvaluateLowSampleCountPercentile"),
        Some(&text("ignore"))
    );
    assert_eq!(
        get(&sent, "AlarmActions"),
        Some(&array([text(
            "arn:aws:sns:us-east-1:123456789012:p-alerts"
        )])),
        "what the spec names"
    );
    assert_eq!(get(&sent, "Tags"), None, "tags (acks, silences) untouched");
}
