//! Provisioning calls the emulator cannot show, against scripted answers:
//! a log group's KMS key changed in place (AssociateKmsKey /
//! DisassociateKmsKey, missing from the emulator), with only the calls the
//! change needs.

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
