//! AwsProvider against the ministack emulator: PutMetricData then
//! GetMetricData, duplicate queries answered from one wire query; SNS
//! publish as an HTTP subscriber receives it; dashboard bodies; log groups
//! and events. (ListDashboards is covered by `recorded_retries`: ministack
//! 1.5.33 encodes its LastModified as a text string over CBOR, which the
//! SDK rejects.)

mod support;

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use jiff::{Timestamp, ToSpan};
use monitui::model::{Dimension, MetricDatum, MetricQuery, MetricRef, TimeRange};
use monitui::provider::ProviderError;
use monitui::provider::prelude::*;
use support::proxy::read_request;

fn checkout_latency() -> MetricRef {
    MetricRef::new(
        "Monitui/Test",
        "Latency",
        vec![Dimension::new("Service", "checkout")],
    )
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn metric_values_put_come_back_to_every_duplicate_query() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let provider = support::aws_provider(&endpoint).await;
    let minute = Timestamp::now().as_second() / 60 * 60;
    let times: Vec<Timestamp> = (1..=3)
        .map(|i| Timestamp::from_second(minute - 60 * (4 - i)).unwrap())
        .collect();
    let data: Vec<MetricDatum> = times
        .iter()
        .zip([10.0, 20.0, 30.0])
        .map(|(t, v)| MetricDatum {
            metric: checkout_latency(),
            value: v,
            unit: Some("Milliseconds".into()),
            timestamp: Some(*t),
        })
        .collect();
    provider
        .put_metric_data("Monitui/Test", &data)
        .await
        .expect("put");

    let other = MetricRef::new(
        "Monitui/Test",
        "Latency",
        vec![Dimension::new("Service", "search")],
    );
    let queries = vec![
        MetricQuery::metric("first", checkout_latency(), "Average", 60),
        MetricQuery::metric("empty", other, "Average", 60),
        MetricQuery::metric("again", checkout_latency(), "Average", 60),
    ];
    let range = TimeRange {
        start: Timestamp::from_second(minute - 600).unwrap(),
        end: Timestamp::from_second(minute + 60).unwrap(),
    };
    let series = provider
        .metric_data(&queries, range)
        .await
        .expect("metric data");
    let ids: Vec<&str> = series.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["first", "empty", "again"]);
    let expected: Vec<(Timestamp, f64)> = times.iter().copied().zip([10.0, 20.0, 30.0]).collect();
    assert_eq!(series[0].points, expected);
    assert_eq!(series[2].points, expected);
    assert!(series[1].points.is_empty());
}

/// An HTTP endpoint on 127.0.0.1 that answers 200 to every request and
/// hands over each one's JSON body (what SNS posts to an HTTP
/// subscription).
fn http_subscriber() -> (String, mpsc::Receiver<serde_json::Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut writer = stream.try_clone().unwrap();
            let mut reader = BufReader::new(stream);
            let Ok(Some((_, request))) = read_request(&mut reader, &mut writer) else {
                continue;
            };
            let _ = writer
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let body = serde_json::from_slice(&request.body).unwrap_or_default();
            if tx.send(body).is_err() {
                return;
            }
        }
    });
    (url, rx)
}

/// What the provider publishes reaches a subscriber as sent: the subject,
/// the message and the message id it returned.
#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn publish_delivers_the_subject_and_message_sent() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let sns = aws_sdk_sns::Client::new(&support::sdk_config(&endpoint).await);
    let topic = sns
        .create_topic()
        .name("monitui-alerts")
        .send()
        .await
        .expect("create topic");
    let arn = topic.topic_arn().expect("topic arn").to_string();
    let (url, delivered) = http_subscriber();
    let patience = Duration::from_secs(15);
    sns.subscribe()
        .topic_arn(&arn)
        .protocol("http")
        .endpoint(&url)
        .send()
        .await
        .expect("subscribe");
    let confirmation = delivered
        .recv_timeout(patience)
        .expect("a subscription confirmation");
    assert_eq!(
        confirmation["Type"], "SubscriptionConfirmation",
        "{confirmation}"
    );
    sns.confirm_subscription()
        .topic_arn(&arn)
        .token(confirmation["Token"].as_str().expect("a token"))
        .send()
        .await
        .expect("confirm the subscription");

    let provider = support::aws_provider(&endpoint).await;
    let id = provider
        .publish(&arn, "ack", "acknowledged by alice: looking")
        .await
        .expect("publish");
    let note = delivered.recv_timeout(patience).expect("the notification");
    assert_eq!(note["Type"], "Notification", "{note}");
    assert_eq!(note["TopicArn"], arn.as_str(), "{note}");
    assert_eq!(note["MessageId"], id.as_str(), "{note}");
    assert_eq!(note["Subject"], "ack", "{note}");
    assert_eq!(note["Message"], "acknowledged by alice: looking", "{note}");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn dashboard_bodies_round_trip() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    let body = r#"{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":3,"properties":{"markdown":"hi"}}]}"#;
    cw.put_dashboard()
        .dashboard_name("ops")
        .dashboard_body(body)
        .send()
        .await
        .expect("put dashboard");
    let provider = support::aws_provider(&endpoint).await;
    let stored: serde_json::Value =
        serde_json::from_str(&provider.dashboard_body("ops").await.expect("body")).unwrap();
    assert_eq!(
        stored,
        serde_json::from_str::<serde_json::Value>(body).unwrap()
    );
    let missing = provider.dashboard_body("nope").await.unwrap_err();
    assert!(matches!(missing, ProviderError::NotFound(_)), "{missing:?}");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn log_groups_and_events_are_read() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&support::sdk_config(&endpoint).await);
    let group = "/aws/lambda/monitui-test";
    logs.create_log_group()
        .log_group_name(group)
        .send()
        .await
        .expect("create group");
    logs.put_retention_policy()
        .log_group_name(group)
        .retention_in_days(7)
        .send()
        .await
        .expect("retention");
    logs.create_log_stream()
        .log_group_name(group)
        .log_stream_name("s1")
        .send()
        .await
        .expect("create stream");
    let now = Timestamp::now().as_millisecond();
    let events = ["INFO started", "ERROR boom", "INFO done"]
        .iter()
        .enumerate()
        .map(|(i, m)| {
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(now - 3000 + i as i64 * 1000)
                .message(*m)
                .build()
                .unwrap()
        })
        .collect::<Vec<_>>();
    logs.put_log_events()
        .log_group_name(group)
        .log_stream_name("s1")
        .set_log_events(Some(events))
        .send()
        .await
        .expect("put events");

    let provider = support::aws_provider(&endpoint).await;
    let groups = provider.list_log_groups().await.expect("groups");
    let found = groups
        .iter()
        .find(|g| g.name == group)
        .expect("group listed");
    assert_eq!(found.retention_days, Some(7));

    let range = TimeRange {
        start: Timestamp::now() - 1.minute(),
        end: Timestamp::now() + 1.minute(),
    };
    let page = provider
        .filter_log_events(group, range, None, None)
        .await
        .expect("events");
    let messages: Vec<&str> = page.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, vec!["INFO started", "ERROR boom", "INFO done"]);
    assert!(
        page.events
            .iter()
            .all(|e| e.stream == "s1" && e.group == group)
    );
    let errors = provider
        .filter_log_events(group, range, Some("ERROR"), None)
        .await
        .expect("filtered");
    let messages: Vec<&str> = errors.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, vec!["ERROR boom"]);
}

/// `metrics list` and `metrics get` on the built binary after PutMetricData:
/// the emulator lists what was put, filtered by namespace, name and
/// dimension, and gives back the values at the statistic and period asked.
#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn metrics_list_and_get_find_what_was_put() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let provider = support::aws_provider(&endpoint).await;
    let minute = Timestamp::now().as_second() / 60 * 60;
    let put = |name: &str, service: &str, value: f64, ago: i64| MetricDatum {
        metric: MetricRef::new(
            "Monitui/Explore",
            name,
            vec![Dimension::new("Service", service)],
        ),
        value,
        unit: None,
        timestamp: Some(Timestamp::from_second(minute - 60 * ago).unwrap()),
    };
    let data = vec![
        put("Latency", "checkout", 10.0, 3),
        put("Latency", "checkout", 30.0, 2),
        put("Latency", "search", 99.0, 2),
        put("Errors", "checkout", 1.0, 2),
    ];
    provider
        .put_metric_data("Monitui/Explore", &data)
        .await
        .expect("put");

    let list = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut cmd = support::emulator_monitui(&endpoint, "metrics-explore");
        cmd.args(["metrics", "list", "--output", "json"]).args(args);
        support::json_of(&mut cmd)
    };
    let all = list(&["--namespace", "Monitui/Explore"]);
    assert_eq!(all.len(), 3, "{all:?}");
    let checkout = list(&[
        "--namespace",
        "Monitui/Explore",
        "--dim",
        "Service=checkout",
    ]);
    let names: Vec<&str> = checkout
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Errors", "Latency"]);
    let latency = list(&["--name", "Latency", "--dim", "Service"]);
    assert_eq!(latency.len(), 2, "{latency:?}");
    assert_eq!(latency[0]["dimensions"][0]["name"], "Service");

    let mut get = support::emulator_monitui(&endpoint, "metrics-explore");
    get.args([
        "metrics",
        "get",
        "Monitui/Explore",
        "Latency",
        "--dim",
        "Service=checkout",
        "--stat",
        "Sum",
        "--period",
        "1m",
        "--since",
        "10m",
        "--output",
        "json",
    ]);
    let got: serde_json::Value = support::json_of(&mut get);
    let values: Vec<f64> = got["datapoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [10.0, 30.0], "{got}");
}
