//! The flapping counts' history read against recorded CloudWatch answers:
//! one account-wide DescribeAlarmHistory listing (no alarm name, state
//! updates only, the largest page, every page followed), and a second
//! refresh that asks only for what came after the newest change held.

mod support;

use ciborium::Value;
use jiff::Timestamp;
use monitui::data::history::StateHistory;
use support::cbor::{array, get, map, text, timestamp};
use support::recorded::{RecordedRequest, RecordedServer, Reply, Rule};

const NOW: i64 = 1_700_100_000;

fn entered(alarm: &str, at: i64) -> Value {
    map([
        ("AlarmName", text(alarm)),
        ("Timestamp", timestamp(at)),
        ("HistoryItemType", text("StateUpdate")),
        ("HistorySummary", text("Alarm updated from OK to ALARM")),
        (
            "HistoryData",
            text(r#"{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM"}}"#),
        ),
    ])
}

fn page(items: Vec<Value>, next: Option<&str>) -> Reply {
    let mut entries = vec![(Value::Text("AlarmHistoryItems".into()), array(items))];
    if let Some(token) = next {
        entries.push((Value::Text("NextToken".into()), text(token)));
    }
    Reply::cbor(200, &Value::Map(entries))
}

fn token(r: &RecordedRequest) -> Option<String> {
    get(&r.cbor_body(), "NextToken")
        .and_then(Value::as_text)
        .map(str::to_string)
}

fn field<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    get(body, key)
}

#[tokio::test]
async fn one_batched_listing_every_page_then_only_what_is_new() {
    let server = RecordedServer::start([
        Rule::new(
            "DescribeAlarmHistory",
            page(
                vec![entered("api", NOW - 600), entered("db", NOW - 700)],
                Some("p2"),
            ),
        )
        .when(|r| token(r).is_none()),
        Rule::new(
            "DescribeAlarmHistory",
            page(vec![entered("api", NOW - 3600)], None),
        )
        .when(|r| token(r).as_deref() == Some("p2")),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let now = Timestamp::from_second(NOW).unwrap();
    let mut history = StateHistory::default();
    history.refresh(&provider, now).await.expect("history");
    let counts = history.flap_counts(now);
    assert_eq!((counts.of("api"), counts.of("db")), (2, 1));

    let requests = server.requests_for("DescribeAlarmHistory").await;
    assert_eq!(requests.len(), 2, "both pages, one listing");
    for r in &requests {
        let body = r.cbor_body();
        assert!(
            field(&body, "AlarmName").is_none(),
            "no alarm name: every alarm at once"
        );
        assert_eq!(
            field(&body, "HistoryItemType").and_then(Value::as_text),
            Some("StateUpdate")
        );
        assert_eq!(
            field(&body, "MaxRecords")
                .and_then(|v| v.as_integer())
                .map(i64::try_from),
            Some(Ok(100))
        );
        assert!(field(&body, "StartDate").is_some());
    }

    history
        .refresh(&provider, Timestamp::from_second(NOW + 60).unwrap())
        .await
        .expect("second refresh");
    let requests = server.requests_for("DescribeAlarmHistory").await;
    let third = requests[2].cbor_body();
    let start = match field(&third, "StartDate") {
        Some(Value::Tag(1, inner)) => match inner.as_ref() {
            Value::Integer(i) => i64::try_from(*i).ok(),
            Value::Float(f) => Some(*f as i64),
            _ => None,
        },
        other => panic!("StartDate {other:?}"),
    };
    assert_eq!(
        start,
        Some(NOW - 600),
        "the next read starts at the newest change held"
    );
    assert_eq!(
        history.flap_counts(now).of("api"),
        2,
        "nothing counted twice"
    );
}
