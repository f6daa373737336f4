//! A target's burn-rate alarms through the AWS provider against scripted
//! answers: the emulator accepts a metric-math alarm but does not keep its
//! `Metrics`, so what PutMetricAlarm sends (the metrics with the window as
//! period, hidden; the burn-rate expression, returned; no metric of the
//! alarm's own) and what PutCompositeAlarm sends (the rule over both
//! windows, the topic, the stack's tag) are checked here, and the alarms
//! read back as AWS returns them equal the spec's (a second plan is empty).

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use ciborium::Value;
use monitui::model::stack::{Kind, Resource, managed_tags};
use monitui::provider::provision::ReadScope;
use monitui::provider::{ProvisionRead, ProvisionWrite};
use monitui::provision::burn::burn_alarms;
use monitui::provision::spec::{BUILTIN, SpecSource, slos};
use support::cbor::{array, float, get, map, text};
use support::recorded::{RecordedServer, Reply, Rule, identity_xml};

/// The burn-rate alarms of the built-in target `suffix` of stack `shop`.
fn burn(suffix: &str) -> Vec<Resource> {
    let env = BTreeMap::from([("prefix".to_string(), "shop".to_string())]);
    let targets = slos(&SpecSource {
        file: Path::new("builtin.toml"),
        text: BUILTIN,
        env_vars: &env,
        cli_vars: &BTreeMap::new(),
    })
    .unwrap();
    let slo = targets
        .iter()
        .find(|s| s.name == format!("shop-{suffix}"))
        .unwrap();
    burn_alarms(slo, "shop-alerts")
}

fn identity() -> Rule {
    Rule::new(
        "GetCallerIdentity",
        Reply::xml(
            200,
            &identity_xml("arn:aws:iam::123456789012:user/ops", "AID"),
        ),
    )
}

fn int(v: i64) -> Value {
    Value::Integer(v.into())
}

/// The request's map without `key`s (what DescribeAlarms would not echo).
fn without(body: &Value, keys: &[&str]) -> Vec<(Value, Value)> {
    body.as_map()
        .unwrap()
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_text().unwrap()))
        .cloned()
        .collect()
}

#[tokio::test]
async fn put_metric_alarm_sends_the_burn_rate_as_metric_math_and_it_reads_back_unchanged() {
    let server = RecordedServer::start([
        identity(),
        Rule::new("PutMetricAlarm", Reply::cbor(200, &map([]))),
        Rule::new("PutCompositeAlarm", Reply::cbor(200, &map([]))),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let alarms = burn("api-5xx-rate");
    for r in &alarms {
        provider
            .put_resource(r, None, &managed_tags("shop"))
            .await
            .unwrap();
    }
    let sent = server.requests_for("PutMetricAlarm").await;
    assert_eq!(sent.len(), 4, "two windows of two speeds");
    let fast_long = sent
        .iter()
        .map(|r| r.cbor_body())
        .find(|b| get(b, "AlarmName") == Some(&text("shop-api-5xx-rate-burn-fast-1h")))
        .unwrap();
    for absent in [
        "Namespace",
        "MetricName",
        "Dimensions",
        "Statistic",
        "Period",
    ] {
        assert_eq!(
            get(&fast_long, absent),
            None,
            "{absent}: the metrics carry it"
        );
    }
    let metric = |name: &str| {
        map([
            (
                "Metric",
                map([
                    ("Namespace", text("AWS/ApiGateway")),
                    ("MetricName", text(name)),
                    (
                        "Dimensions",
                        array([map([
                            ("Name", text("ApiName")),
                            ("Value", text("shop-api")),
                        ])]),
                    ),
                ]),
            ),
            ("Period", int(3600)),
            ("Stat", text("Sum")),
        ])
    };
    let metrics = get(&fast_long, "Metrics")
        .and_then(Value::as_array)
        .unwrap();
    assert_eq!(
        metrics,
        &[
            map([
                ("Id", text("m5xx")),
                ("MetricStat", metric("5XXError")),
                ("ReturnData", Value::Bool(false)),
            ]),
            map([
                ("Id", text("mcount")),
                ("MetricStat", metric("Count")),
                ("ReturnData", Value::Bool(false)),
            ]),
            map([
                ("Id", text("burn")),
                ("Expression", text("100 * (m5xx) / (mcount) / 1")),
                ("ReturnData", Value::Bool(true)),
            ]),
        ]
    );
    assert_eq!(get(&fast_long, "Threshold"), Some(&float(14.4)));
    assert_eq!(get(&fast_long, "EvaluationPeriods"), Some(&int(1)));
    assert_eq!(
        get(&fast_long, "ComparisonOperator"),
        Some(&text("GreaterThanOrEqualToThreshold"))
    );
    assert_eq!(
        get(&fast_long, "TreatMissingData"),
        Some(&text("notBreaching"))
    );
    assert_eq!(
        get(&fast_long, "AlarmActions"),
        Some(&array([])),
        "only the composite notifies"
    );
    assert_eq!(
        get(&fast_long, "Tags"),
        Some(&array([map([
            ("Key", text("monitui:managed")),
            ("Value", text("shop"))
        ])]))
    );

    let composites = server.requests_for("PutCompositeAlarm").await;
    assert_eq!(composites.len(), 2);
    let fast = composites[0].cbor_body();
    assert_eq!(
        get(&fast, "AlarmName"),
        Some(&text("shop-api-5xx-rate-burn-fast"))
    );
    assert_eq!(
        get(&fast, "AlarmRule"),
        Some(&text(
            r#"ALARM("shop-api-5xx-rate-burn-fast-1h") AND ALARM("shop-api-5xx-rate-burn-fast-5m")"#
        ))
    );
    assert_eq!(
        get(&fast, "AlarmActions"),
        Some(&array([text(
            "arn:aws:sns:us-east-1:123456789012:shop-alerts"
        )]))
    );
    assert_eq!(get(&fast, "ActionsEnabled"), Some(&Value::Bool(true)));
    assert!(get(&fast, "Tags").is_some());
    // DescribeAlarms answers with what was stored (AWS keeps Metrics).
    let arn = |name: &Value| {
        text(&format!(
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}",
            name.as_text().unwrap()
        ))
    };
    let stored_metric: Vec<Value> = sent
        .iter()
        .map(|r| {
            let body = r.cbor_body();
            let mut m = without(&body, &["Tags"]);
            m.push((text("AlarmArn"), arn(get(&body, "AlarmName").unwrap())));
            Value::Map(m)
        })
        .collect();
    let stored_composite: Vec<Value> = composites
        .iter()
        .map(|r| {
            let body = r.cbor_body();
            let mut m = without(&body, &["Tags"]);
            m.push((text("AlarmArn"), arn(get(&body, "AlarmName").unwrap())));
            Value::Map(m)
        })
        .collect();
    let reader = RecordedServer::start([
        identity(),
        Rule::new(
            "DescribeAlarms",
            Reply::cbor(200, &map([("MetricAlarms", array(stored_metric))])),
        )
        .when(|r| get(&r.cbor_body(), "AlarmTypes") == Some(&array([text("MetricAlarm")]))),
        Rule::new(
            "DescribeAlarms",
            Reply::cbor(200, &map([("CompositeAlarms", array(stored_composite))])),
        ),
        Rule::new(
            "ListTagsForResource",
            Reply::cbor(
                200,
                &map([(
                    "Tags",
                    array([map([
                        ("Key", text("monitui:managed")),
                        ("Value", text("shop")),
                    ])]),
                )]),
            ),
        ),
    ])
    .await;
    let provider = support::aws_provider(&reader.endpoint()).await;
    let names: Vec<String> = alarms.iter().map(Resource::name).collect();
    let scope = ReadScope {
        prefix: "shop",
        names: &names,
        topic: "shop-alerts",
    };
    let mut read = provider.read_kind(Kind::Alarm, scope).await.unwrap();
    read.extend(
        provider
            .read_kind(Kind::CompositeAlarm, scope)
            .await
            .unwrap(),
    );
    let mut wanted = alarms.clone();
    wanted.sort_by_key(|r| (r.kind(), r.name()));
    let got: Vec<Resource> = read.iter().map(|e| e.resource.clone()).collect();
    assert_eq!(
        got, wanted,
        "read back as the spec has them: nothing to update"
    );
    assert!(read.iter().all(|e| e.tagged_for("shop")));
}

#[tokio::test]
async fn a_threshold_target_s_window_alarm_counts_bad_periods_m_of_n() {
    let server = RecordedServer::start([
        identity(),
        Rule::new("PutMetricAlarm", Reply::cbor(200, &map([]))),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let slow_long = burn("lambda-duration")
        .into_iter()
        .find(|r| r.name() == "shop-lambda-duration-burn-slow-6h")
        .unwrap();
    provider
        .put_resource(&slow_long, None, &managed_tags("shop"))
        .await
        .unwrap();
    let body = server.requests_for("PutMetricAlarm").await[0].cbor_body();
    let metrics = get(&body, "Metrics").and_then(Value::as_array).unwrap();
    assert_eq!(
        get(&metrics[0], "MetricStat").and_then(|s| get(s, "Stat")),
        Some(&text("p99"))
    );
    assert_eq!(
        get(&metrics[0], "MetricStat").and_then(|s| get(s, "Period")),
        Some(&int(300))
    );
    assert_eq!(
        get(&metrics[1], "Expression"),
        Some(&text("1 - (mduration < 30000)"))
    );
    // 6 h of 5-minute periods; 6x of a 1 % budget is 4.32 bad periods.
    assert_eq!(get(&body, "EvaluationPeriods"), Some(&int(72)));
    assert_eq!(get(&body, "DatapointsToAlarm"), Some(&int(5)));
    assert_eq!(get(&body, "Threshold"), Some(&float(1.0)));
}
