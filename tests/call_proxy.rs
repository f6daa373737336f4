//! The tests' own call-counting proxy (`tests/support/proxy.rs`) in front
//! of a recorded server: it counts each protocol's operations, forwards
//! requests and answers unchanged, refuses the operations it is told to
//! with an error the SDK reads as AccessDenied (without forwarding them),
//! and adds its latency to every request.

mod support;

use std::time::{Duration, Instant};

use monitui::provider::ProviderError;
use monitui::provider::prelude::*;
use support::cbor::{array, map, metric_alarm};
use support::proxy::{CallProxy, ProxyOptions, op_list};
use support::recorded::{RecordedServer, Reply, Rule, identity_xml};

/// A server that answers one alarm, one log group and the caller identity.
async fn server() -> RecordedServer {
    let alarms = map([(
        "MetricAlarms",
        array([metric_alarm("cpu-high", "AWS/EC2", "CPUUtilization")]),
    )]);
    let groups =
        serde_json::json!({"logGroups": [{"logGroupName": "/app/api", "creationTime": 0}]});
    RecordedServer::start([
        Rule::new("DescribeAlarms", Reply::cbor(200, &alarms)),
        Rule::new("DescribeLogGroups", Reply::json(200, &groups)),
        Rule::new(
            "GetCallerIdentity",
            Reply::xml(
                200,
                &identity_xml("arn:aws:iam::123456789012:user/ci", "AIDAEXAMPLE"),
            ),
        ),
    ])
    .await
}

#[tokio::test]
async fn counts_every_protocol_and_forwards_the_answers() {
    let server = server().await;
    let proxy = CallProxy::start(&server.endpoint(), "");
    let provider = support::aws_provider(&proxy.endpoint()).await;

    let alarms = provider.list_alarms().await.unwrap();
    let names: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["cpu-high"], "the CBOR answer came through");
    let groups = provider.list_log_groups().await.unwrap();
    let groups: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["/app/api"], "the JSON answer came through");
    let who = provider.caller_identity().await.unwrap();
    assert_eq!(
        who.arn, "arn:aws:iam::123456789012:user/ci",
        "the XML answer came through"
    );
    provider.list_alarms().await.unwrap();

    let counted: Vec<(String, usize)> = proxy.counts().into_iter().collect();
    let expected = [
        ("DescribeAlarms", 2),
        ("DescribeLogGroups", 1),
        ("GetCallerIdentity", 1),
    ]
    .map(|(op, n)| (op.to_string(), n));
    assert_eq!(counted, expected);
    assert_eq!(
        server.operations().await,
        [
            "DescribeAlarms",
            "DescribeLogGroups",
            "GetCallerIdentity",
            "DescribeAlarms"
        ],
        "every request reached the server"
    );
}

#[tokio::test]
async fn a_refused_operation_is_access_denied_and_never_forwarded() {
    let server = server().await;
    let proxy = CallProxy::start(&server.endpoint(), "DescribeAlarms,DescribeLogGroups");
    let provider = support::aws_provider(&proxy.endpoint()).await;

    for (err, code) in [
        (provider.list_alarms().await.unwrap_err(), "AccessDenied"),
        (
            provider.list_log_groups().await.unwrap_err(),
            "AccessDeniedException",
        ),
    ] {
        let ProviderError::Service { code: got, .. } = &err else {
            panic!("not a service error: {err:?}");
        };
        assert_eq!(got, code, "{err}");
    }
    provider.caller_identity().await.unwrap();

    assert_eq!(
        proxy.counts().get("DescribeAlarms"),
        Some(&1),
        "refused once, not retried"
    );
    assert_eq!(server.operations().await, ["GetCallerIdentity"]);
}

#[tokio::test]
async fn every_request_waits_the_latency() {
    let server = server().await;
    let options = ProxyOptions {
        latency: Duration::from_millis(300),
        ..ProxyOptions::default()
    };
    let proxy = CallProxy::with(&server.endpoint(), options).unwrap();
    let provider = support::aws_provider(&proxy.endpoint()).await;
    let started = Instant::now();
    provider.caller_identity().await.unwrap();
    provider.caller_identity().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "two calls one after another: {:?}",
        started.elapsed()
    );
}

#[test]
fn the_op_list_is_comma_separated() {
    assert_eq!(
        op_list(" TagResource, CreateTrail,,"),
        ["TagResource", "CreateTrail"]
    );
    assert!(op_list("").is_empty());
}
