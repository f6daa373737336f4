//! Live CloudTrail searches against scripted LookupEvents answers (AWS
//! JSON 1.1): every page followed with its token, one lookup attribute per
//! call (the most selective) with the rest applied locally, the two
//! requests a second quota kept, throttling retried with backoff, and the
//! result cap with its "more available" marker. The emulator cannot show
//! these: it never pages and accepts several attributes at once.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use monitui::data::backoff::Backoff;
use monitui::data::trail_search::{Cutoff, LiveOptions, LiveTrailSearch};
use monitui::data::trail_search::{TrailSearch, TrailSearchError};
use monitui::model::trail::{Preset, TrailCriteria};
use monitui::provider::{ProviderError, TrailRead};
use serde_json::{Value, json};
use support::recorded::{RecordedServer, Reply, Rule};

/// The operation in the X-Amz-Target header (the Rust SDK leaves out the
/// `com.amazonaws.cloudtrail.v20131101.` namespace other SDKs put before it).
const TARGET: &str = "CloudTrail_20131101.LookupEvents";

const LOOKUP: &str = "LookupEvents";

fn throttled() -> Reply {
    Reply::json(
        400,
        &json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
    )
}

/// A LookupEvents event as the service sends it, its record inside.
fn event(id: &str, name: &str, user: &str, second: i64) -> Value {
    let record = json!({
        "eventVersion": "1.09",
        "eventTime": jiff::Timestamp::from_second(second).unwrap().to_string(),
        "eventName": name,
        "eventSource": "iam.amazonaws.com",
        "eventID": id,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.9",
        "readOnly": false,
        "userIdentity": {"type": "IAMUser", "userName": user, "accessKeyId": "AKIAEXAMPLE"}
    });
    json!({
        "EventId": id,
        "EventName": name,
        "ReadOnly": "false",
        "AccessKeyId": "AKIAEXAMPLE",
        "EventTime": second,
        "EventSource": "iam.amazonaws.com",
        "Username": user,
        "Resources": [{"ResourceType": "AWS::IAM::User", "ResourceName": "bob"}],
        "CloudTrailEvent": record.to_string()
    })
}

fn page(events: Vec<Value>, next: Option<&str>) -> Reply {
    let mut body = json!({"Events": events});
    if let Some(token) = next {
        body["NextToken"] = json!(token);
    }
    Reply::json(200, &body)
}

fn body(request: &support::recorded::RecordedRequest) -> Value {
    request.json_body()
}

/// Answers LookupEvents with `reply` only when the request carries
/// `token` as its NextToken (`None`: no token).
fn on_token(token: Option<&'static str>, reply: Reply) -> Rule {
    Rule::new(LOOKUP, reply).when(move |r| r.json_body()["NextToken"].as_str() == token)
}

async fn searcher(server: &RecordedServer, options: LiveOptions) -> LiveTrailSearch {
    let provider: Arc<dyn TrailRead> = Arc::new(support::aws_provider(&server.endpoint()).await);
    LiveTrailSearch::new(provider, options)
}

/// Options that try a throttled page again `retries` times, waiting little.
fn throttle_retries(retries: u32) -> LiveOptions {
    LiveOptions {
        throttle_retries: retries,
        backoff: Backoff {
            base: Duration::from_millis(20),
            max: Duration::from_millis(80),
        },
        ..LiveOptions::default()
    }
}

/// A search with `options` and no criteria against `server`.
async fn search_all(
    server: &RecordedServer,
    options: LiveOptions,
) -> Result<TrailSearch, TrailSearchError> {
    searcher(server, options)
        .await
        .search(&TrailCriteria::default())
        .await
}

#[tokio::test]
async fn every_page_is_followed_sending_one_attribute_and_filtering_the_rest() {
    let server = RecordedServer::start([
        on_token(
            None,
            page(
                vec![
                    event("e1", "CreateUser", "alice", 1_764_000_300),
                    event("e2", "DeleteUser", "alice", 1_764_000_200),
                ],
                Some("token-2"),
            ),
        ),
        on_token(
            Some("token-2"),
            page(
                vec![event("e3", "CreateUser", "alice", 1_764_000_100)],
                Some("token-3"),
            ),
        ),
        on_token(
            Some("token-3"),
            page(vec![event("e4", "ListUsers", "alice", 1_764_000_000)], None),
        ),
    ])
    .await;
    let criteria = TrailCriteria {
        event_name: Some("CreateUser".into()),
        user_name: Some("alice".into()),
        event_source: Some("iam.amazonaws.com".into()),
        read_only: Some(false),
        since: Some(jiff::Timestamp::from_second(1_763_990_000).unwrap()),
        ..TrailCriteria::default()
    };
    let started = Instant::now();
    let found = searcher(&server, LiveOptions::default())
        .await
        .search(&criteria)
        .await
        .unwrap();
    let elapsed = started.elapsed();

    let ids: Vec<_> = found
        .records
        .iter()
        .map(|r| r.event_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["e1", "e3"]);
    assert_eq!((found.pages, found.scanned, found.cutoff), (3, 4, None));
    let requests = server.requests().await;
    assert_eq!(requests.len(), 3);
    let tokens: Vec<Value> = requests
        .iter()
        .map(|r| body(r)["NextToken"].clone())
        .collect();
    assert_eq!(tokens, [Value::Null, json!("token-2"), json!("token-3")]);
    for request in &requests {
        let target = request.header("x-amz-target").unwrap_or_default();
        assert!(target.ends_with(TARGET), "{target}");
        let sent = body(request);
        assert_eq!(
            sent["LookupAttributes"],
            json!([{"AttributeKey": "Username", "AttributeValue": "alice"}]),
            "one attribute, the most selective"
        );
        assert_eq!(sent["StartTime"], json!(1_763_990_000));
    }
    assert!(
        elapsed >= Duration::from_millis(950),
        "3 requests at 2 a second take a second: {elapsed:?}"
    );
}

#[tokio::test]
async fn throttling_is_retried_with_backoff_until_the_retries_run_out() {
    // support::fast_tuning lets the SDK try 3 times; each throttled call
    // therefore uses 3 scripted answers before the search retries it.
    let server = RecordedServer::start([
        Rule::new(LOOKUP, throttled()).times(3),
        Rule::new(
            LOOKUP,
            page(vec![event("e1", "CreateUser", "bob", 1_764_000_000)], None),
        ),
    ])
    .await;
    let found = search_all(&server, throttle_retries(2)).await.unwrap();
    assert_eq!(found.records.len(), 1);
    assert_eq!(server.calls(LOOKUP).await, 4);

    let server = RecordedServer::start([Rule::new(LOOKUP, throttled())]).await;
    let err = search_all(&server, throttle_retries(1)).await.unwrap_err();
    assert!(
        matches!(
            err,
            TrailSearchError::Provider(ProviderError::Throttled { .. })
        ),
        "{err:?}"
    );
    assert!(!err.is_bad_input());
    assert_eq!(server.calls(LOOKUP).await, 6);
}

#[tokio::test]
async fn the_cap_stops_paging_and_says_more_is_available() {
    let events = (0..3)
        .map(|i| event(&format!("e{i}"), "CreateUser", "carol", 1_764_000_000 - i))
        .collect();
    let server = RecordedServer::start([on_token(None, page(events, Some("token-2")))]).await;
    let options = LiveOptions {
        limit: 2,
        ..LiveOptions::default()
    };
    let found = search_all(&server, options).await.unwrap();
    assert_eq!(found.records.len(), 2);
    assert_eq!(found.cutoff, Some(Cutoff::Limit));
    assert_eq!(
        server.calls(LOOKUP).await,
        1,
        "no page fetched past the limit"
    );

    let server = RecordedServer::start([
        on_token(
            None,
            page(
                vec![event("e1", "DeleteUser", "carol", 1_764_000_000)],
                Some("token-2"),
            ),
        ),
        on_token(
            Some("token-2"),
            page(
                vec![event("e2", "DeleteUser", "carol", 1_763_000_000)],
                Some("token-3"),
            ),
        ),
    ])
    .await;
    let options = LiveOptions {
        max_pages: 2,
        ..LiveOptions::default()
    };
    let criteria = TrailCriteria {
        preset: Some(Preset::Denied),
        ..TrailCriteria::default()
    };
    let found = searcher(&server, options)
        .await
        .search(&criteria)
        .await
        .unwrap();
    assert!(found.records.is_empty());
    assert!(
        body(&server.requests().await[0])
            .get("LookupAttributes")
            .is_none()
    );
    assert_eq!(
        (found.cutoff, found.pages, found.scanned),
        (Some(Cutoff::PageCap), 2, 2)
    );
    assert_eq!(server.calls(LOOKUP).await, 2);
}
