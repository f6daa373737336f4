//! The service level targets through the AWS provider against a recorded
//! GetMetricData answer: every target's SLI goes out as metric math in
//! ONE call (the metrics hidden with ReturnData false, the expressions
//! returned), and the answer becomes budgets and burn rates as worked out
//! by hand below.

mod support;

use std::collections::BTreeMap;

use ciborium::Value;
use jiff::Timestamp;
use monitui::config::ResolvedEnv;
use monitui::data::slo::{statuses, targets_of};
use support::cbor::{array, float, get, map, text, timestamp};
use support::recorded::{RecordedServer, Reply, Rule};

const NOW: i64 = 1_800_000_000;

fn result(id: &str, points: &[(i64, f64)]) -> Value {
    map([
        ("Id", text(id)),
        ("Label", text(id)),
        (
            "Timestamps",
            array(points.iter().map(|(t, _)| timestamp(*t))),
        ),
        ("Values", array(points.iter().map(|(_, v)| float(*v)))),
        ("StatusCode", text("Complete")),
    ])
}

#[tokio::test]
async fn every_target_goes_out_as_metric_math_in_one_call() {
    // The last complete five-minute period, and one two days back.
    let last = NOW - NOW % 300 - 300;
    let old = last - 2 * 86_400;
    let answer = map([(
        "MetricDataResults",
        array([
            // DMS lag: one bad period of two.
            result("s0good", &[(old, 1.0), (last, 0.0)]),
            // API: 3 bad of 100 now, 1 of 900 two days ago.
            result("s1bad", &[(old, 1.0), (last, 3.0)]),
            result("s1total", &[(old, 900.0), (last, 100.0)]),
            result("s2bad", &[]),
            result("s2total", &[(last, 50.0)]),
            result("s3good", &[(last, 1.0)]),
            result("s4bad", &[(last, 1.0)]),
            result("s4total", &[(last, 4.0)]),
        ]),
    )]);
    let server =
        RecordedServer::start([Rule::new("GetMetricData", Reply::cbor(200, &answer))]).await;
    let session = support::aws_session(&server.endpoint()).await;
    let env = ResolvedEnv {
        prefix: "shop".into(),
        ..ResolvedEnv::demo()
    };
    let slos = targets_of(&env).unwrap();
    let now = Timestamp::from_second(NOW).unwrap();
    let got = statuses(session.reads.metrics.as_ref(), &slos, now)
        .await
        .unwrap();

    assert_eq!(
        server.calls("GetMetricData").await,
        1,
        "one call for all five targets"
    );
    let body = server.requests_for("GetMetricData").await[0].cbor_body();
    let queries = get(&body, "MetricDataQueries")
        .and_then(Value::as_array)
        .unwrap();
    let by_id: BTreeMap<&str, &Value> = queries
        .iter()
        .map(|q| (get(q, "Id").and_then(Value::as_text).unwrap(), q))
        .collect();
    let expression = |id: &str| get(by_id[id], "Expression").and_then(Value::as_text);
    assert_eq!(expression("s0good"), Some("mlag < 300"));
    assert_eq!(expression("s1bad"), Some("m5xx"));
    assert_eq!(
        expression("s4total"),
        Some("FILL(mfailed, 0) + FILL(msucceeded, 0)")
    );
    assert_eq!(get(by_id["s0good"], "ReturnData"), Some(&Value::Bool(true)));
    assert_eq!(get(by_id["mlag"], "ReturnData"), Some(&Value::Bool(false)));
    let stat = get(by_id["mduration"], "MetricStat").unwrap();
    assert_eq!(get(stat, "Stat").and_then(Value::as_text), Some("p99"));
    assert_eq!(queries.len(), 16, "8 metrics and 8 expressions");

    // DMS: 1 bad period of 2 over 30 days: 50 % good, budget 1 %:
    // 1 - 0.5 / 0.01 = -4900 % left. Over 1 h only the bad one: 100x.
    assert_eq!(got[0].current, Some(50.0));
    assert!((got[0].budget_remaining.unwrap() + 4900.0).abs() < 1e-6);
    assert!((got[0].burn_rates[0].rate.unwrap() - 100.0).abs() < 1e-9);
    // API: 30 days: 4 bad of 1000 = 0.4 %: 99.6 % good, 60 % of the
    // budget left, i.e. 0.6 * 1 % * 30 days = 15552 s. 1 h: 3 % -> 3x;
    // 3 d: 0.4 % -> 0.4x.
    assert!((got[1].current.unwrap() - 99.6).abs() < 1e-9);
    assert!((got[1].budget_remaining.unwrap() - 60.0).abs() < 1e-6);
    assert!((got[1].budget_remaining_secs.unwrap() - 15_552.0).abs() < 1e-3);
    assert!((got[1].burn_rates[0].rate.unwrap() - 3.0).abs() < 1e-9);
    assert!((got[1].burn_rates[2].rate.unwrap() - 0.4).abs() < 1e-9);
    // Lambda errors: no bad series points, 50 events: all good.
    assert_eq!(got[2].current, Some(100.0));
    // Batch: 1 failed of 4, objective 95 %: 25 % / 5 % = 5x.
    assert!((got[4].burn_rates[0].rate.unwrap() - 5.0).abs() < 1e-9);
}
