//! `logs search` and the tail against scripted FilterLogEvents answers
//! (AWS JSON 1.1), for what the emulator cannot show: it never returns a
//! nextToken, and never throttles. Every page is followed with its token
//! at the largest page size, groups are read side by side, throttling is
//! retried, and hostile messages never reach a terminal raw.

mod support;

use std::sync::Arc;

use jiff::Timestamp;
use monitui::cli::args::OutputFormat;
use monitui::cli::logs_read::{Found, SearchArgs, print_found, search};
use monitui::cli::logs_tail::{TailFormat, format_event};
use monitui::data::log_tail::PollTail;
use monitui::model::time_bound::TimeBound;
use monitui::provider::LogsRead;
use serde_json::{Value, json};
use support::hostile::{self, Allowed};
use support::recorded::{RecordedServer, Reply, Rule};

const FILTER: &str = "FilterLogEvents";
const NOW: i64 = 1_764_000_000;

fn event(id: &str, group_stream: &str, second: i64, message: &str) -> Value {
    json!({
        "logStreamName": group_stream,
        "timestamp": second * 1000,
        "ingestionTime": second * 1000 + 50,
        "message": message,
        "eventId": id,
    })
}

fn page(events: Vec<Value>, next: Option<&str>) -> Reply {
    let mut body = json!({"events": events, "searchedLogStreams": []});
    if let Some(token) = next {
        body["nextToken"] = json!(token);
    }
    Reply::json(200, &body)
}

/// Answers FilterLogEvents of `group` carrying `token` (`None`: none).
fn on(group: &'static str, token: Option<&'static str>, reply: Reply) -> Rule {
    Rule::new(FILTER, reply).when(move |r| {
        let body = r.json_body();
        body["logGroupName"] == group && body["nextToken"].as_str() == token
    })
}

fn throttled() -> Reply {
    Reply::json(
        400,
        &json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
    )
}

fn args(groups: &[&str]) -> SearchArgs {
    SearchArgs {
        groups: groups.iter().map(|g| g.to_string()).collect(),
        since: TimeBound::At(Timestamp::from_second(NOW - 3600).unwrap()),
        until: Some(TimeBound::At(Timestamp::from_second(NOW).unwrap())),
        filter: Some("ERROR".into()),
        limit: 10_000,
        output: OutputFormat::Json,
    }
}

async fn logs(server: &RecordedServer) -> Arc<dyn LogsRead> {
    Arc::new(support::aws_provider(&server.endpoint()).await)
}

/// `logs search` with `args` against `server`, at [`NOW`]; it must succeed.
async fn search_at_now(server: &RecordedServer, args: &SearchArgs) -> Found {
    search(
        logs(server).await,
        args,
        Timestamp::from_second(NOW).unwrap(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn search_follows_every_page_of_every_group_at_the_largest_page_size() {
    let server = RecordedServer::start([
        on(
            "/a",
            None,
            page(
                vec![
                    event("a1", "s", NOW - 30, "ERROR a1"),
                    event("a2", "s", NOW - 20, "ERROR a2"),
                ],
                Some("a-2"),
            ),
        ),
        on("/a", Some("a-2"), page(vec![], Some("a-3"))),
        on(
            "/a",
            Some("a-3"),
            page(vec![event("a3", "s", NOW - 5, "ERROR a3")], None),
        ),
        on(
            "/b",
            None,
            page(vec![event("b1", "t", NOW - 25, "ERROR b1")], Some("b-2")),
        ),
        on(
            "/b",
            Some("b-2"),
            page(vec![event("b2", "t", NOW - 10, "ERROR b2")], None),
        ),
    ])
    .await;
    let found = search_at_now(&server, &args(&["/a", "/b"])).await;
    let ids: Vec<_> = found
        .events
        .iter()
        .map(|e| e.event_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["a1", "b1", "a2", "b2", "a3"], "merged by time");
    assert!(!found.truncated);
    assert_eq!(found.calls, 5);
    let requests = server.requests_for(FILTER).await;
    assert_eq!(requests.len(), 5);
    for r in &requests {
        let body = r.json_body();
        assert_eq!(body["limit"], 10_000, "the largest page size");
        assert_eq!(body["filterPattern"], "ERROR");
        assert_eq!(body["startTime"], (NOW - 3600) * 1000);
        assert_eq!(body["endTime"], NOW * 1000);
    }
    let mut out = Vec::new();
    print_found(&found, OutputFormat::Json, &mut out, &mut Vec::new()).unwrap();
    let printed: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(printed[0]["timestamp"], "2025-11-24T15:59:30.000Z");
    assert_eq!(printed[0]["group"], "/a");
    assert_eq!(printed[0]["stream"], "s");
    assert_eq!(printed[0]["event_id"], "a1");
    assert_eq!(printed[0]["message"], "ERROR a1");
}

#[tokio::test]
async fn throttling_is_retried_until_the_page_comes() {
    let server = RecordedServer::start([
        Rule::new(FILTER, throttled()).times(4),
        on(
            "/a",
            None,
            page(vec![event("a1", "s", NOW - 30, "ERROR a1")], None),
        ),
    ])
    .await;
    let found = search_at_now(&server, &args(&["/a"])).await;
    assert_eq!(found.events.len(), 1);
    assert_eq!(server.calls(FILTER).await, 5, "4 throttled, then the page");
}

#[tokio::test]
async fn the_limit_stops_paging_and_says_more_are_available() {
    let server = RecordedServer::start([
        on(
            "/a",
            None,
            page(
                vec![
                    event("a1", "s", NOW - 30, "ERROR 1"),
                    event("a2", "s", NOW - 29, "ERROR 2"),
                ],
                Some("a-2"),
            ),
        ),
        on(
            "/a",
            Some("a-2"),
            page(vec![event("a3", "s", NOW - 28, "ERROR 3")], None),
        ),
    ])
    .await;
    let mut a = args(&["/a"]);
    a.limit = 2;
    let found = search_at_now(&server, &a).await;
    assert_eq!(found.events.len(), 2);
    assert!(found.truncated);
    assert_eq!(server.calls(FILTER).await, 1, "no page read past the limit");
    let mut err = Vec::new();
    print_found(&found, OutputFormat::Table, &mut Vec::new(), &mut err).unwrap();
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("more events are available")
    );
}

#[tokio::test]
async fn hostile_messages_are_harmless_in_the_search_table_and_the_tail() {
    let hostile_line = hostile::all_pieces();
    let huge = hostile::huge_line();
    let server = RecordedServer::start([on(
        "/a",
        None,
        page(
            vec![
                event(
                    "h1",
                    "evil\u{1b}]0;PWNED-TITLE\u{7}stream",
                    NOW - 30,
                    &hostile_line,
                ),
                event("h2", "s", NOW - 20, &huge),
            ],
            None,
        ),
    )])
    .await;
    let found = search_at_now(&server, &args(&["/a"])).await;
    assert_eq!(found.events.len(), 2);
    let mut table = Vec::new();
    print_found(&found, OutputFormat::Table, &mut table, &mut Vec::new()).unwrap();
    hostile::assert_harmless(&table, Allowed::NoEscapes);
    hostile::assert_payloads_hidden(&table);
    let text = String::from_utf8_lossy(&table);
    for word in hostile::VISIBLE {
        assert!(text.contains(word), "{word} should stay visible");
    }
    assert!(table.len() < 20_000, "a megabyte line is cut");

    let mut json = Vec::new();
    print_found(&found, OutputFormat::Json, &mut json, &mut Vec::new()).unwrap();
    hostile::assert_harmless(&json, Allowed::NoEscapes);
    let back: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        back[0]["message"], hostile_line,
        "JSON keeps the exact text, escaped"
    );

    let mut tail = PollTail::new(
        logs(&server).await,
        vec!["/a".into()],
        None,
        Timestamp::from_second(NOW - 60).unwrap(),
    )
    .unwrap();
    let batch = tail.poll(Timestamp::from_second(NOW).unwrap()).await;
    assert_eq!(batch.events.len(), 2);
    for format in [TailFormat::Short, TailFormat::Detailed, TailFormat::Json] {
        let out: String = batch
            .events
            .iter()
            .map(|e| format_event(e, format, "x"))
            .collect();
        hostile::assert_harmless(out.as_bytes(), Allowed::NoEscapes);
        if format != TailFormat::Json {
            hostile::assert_payloads_hidden(out.as_bytes());
        }
    }
}

#[tokio::test]
async fn a_tail_repeats_nothing_across_overlapping_polls() {
    let first = vec![
        event("e1", "s", NOW - 30, "one"),
        event("e2", "s", NOW - 20, "two"),
    ];
    let mut second = first.clone();
    second.push(event("e3", "s", NOW - 25, "late but within the overlap"));
    second.push(event("e4", "s", NOW - 1, "four"));
    let server = RecordedServer::start([
        Rule::new(FILTER, page(first, None)).times(1),
        Rule::new(FILTER, page(second, None)),
    ])
    .await;
    let mut tail = PollTail::new(
        logs(&server).await,
        vec!["/a".into()],
        None,
        Timestamp::from_second(NOW - 600).unwrap(),
    )
    .unwrap();
    let now = Timestamp::from_second(NOW).unwrap();
    let one: Vec<_> = tail
        .poll(now)
        .await
        .events
        .into_iter()
        .map(|e| e.message)
        .collect();
    let two: Vec<_> = tail
        .poll(now)
        .await
        .events
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(one, ["one", "two"]);
    assert_eq!(two, ["late but within the overlap", "four"]);
    let requests = server.requests_for(FILTER).await;
    assert_eq!(
        requests[1].json_body()["startTime"],
        (NOW - 20 - 60) * 1000,
        "the second poll reaches back the overlap before the newest event"
    );
}
