//! `logs search` and the tail against scripted FilterLogEvents answers
//! (AWS JSON 1.1), for what the emulator cannot show: it never returns a
//! nextToken, and never throttles. Every page is followed with its token
//! at the largest page size, groups are read side by side, throttling is
//! retried, the tail pages forward from its cursor at the account's pace,
//! and hostile messages never reach a terminal raw.

mod support;

use std::sync::Arc;

use jiff::Timestamp;
use monitui::cli::args::OutputFormat;
use monitui::cli::logs_read::{SearchArgs, Searched, search};
use monitui::cli::logs_tail::{TailFormat, format_event};
use monitui::data::log_tail::{PAGES_PER_POLL, PollTail};
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

/// What `logs search` printed: its summary, stdout and stderr.
struct Printed {
    searched: Searched,
    out: Vec<u8>,
    err: String,
}

impl Printed {
    /// The JSON printed.
    fn json(&self) -> Value {
        serde_json::from_slice(&self.out).unwrap()
    }
}

/// `logs search` with `args` against `server`, at [`NOW`]; it must succeed.
async fn search_at_now(server: &RecordedServer, args: &SearchArgs) -> Printed {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let searched = search(
        logs(server).await,
        args,
        Timestamp::from_second(NOW).unwrap(),
        &mut out,
        &mut err,
    )
    .await
    .unwrap();
    Printed {
        searched,
        out,
        err: String::from_utf8(err).unwrap(),
    }
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
    let printed = found.json();
    let ids: Vec<_> = printed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a1", "b1", "a2", "b2", "a3"], "merged by time");
    assert_eq!(
        found.searched,
        Searched {
            printed: 5,
            truncated: false
        }
    );
    let requests = server.requests_for(FILTER).await;
    assert_eq!(requests.len(), 5);
    for r in &requests {
        let body = r.json_body();
        assert_eq!(body["limit"], 10_000, "the largest page size");
        assert_eq!(body["filterPattern"], "ERROR");
        assert_eq!(body["startTime"], (NOW - 3600) * 1000);
        assert_eq!(body["endTime"], NOW * 1000);
    }
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
    assert_eq!(found.searched.printed, 1);
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
    a.output = OutputFormat::Table;
    let found = search_at_now(&server, &a).await;
    assert_eq!(found.searched.printed, 2);
    assert!(found.searched.truncated);
    assert_eq!(
        String::from_utf8(found.out).unwrap().lines().count(),
        3,
        "the header and two events"
    );
    assert!(found.err.contains("more events are available"));
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
    let mut table_args = args(&["/a"]);
    table_args.output = OutputFormat::Table;
    let table = search_at_now(&server, &table_args).await.out;
    hostile::assert_harmless(&table, Allowed::NoEscapes);
    hostile::assert_payloads_hidden(&table);
    let text = String::from_utf8_lossy(&table);
    for word in hostile::VISIBLE {
        assert!(text.contains(word), "{word} should stay visible");
    }
    assert!(table.len() < 20_000, "a megabyte line is cut");

    let json = search_at_now(&server, &args(&["/a"])).await.out;
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

/// Answers FilterLogEvents of `group` carrying `token` (`None`: none).
fn on_owned(group: &str, token: Option<String>, reply: Reply) -> Rule {
    let group = group.to_string();
    Rule::new(FILTER, reply).when(move |r| {
        let body = r.json_body();
        body["logGroupName"] == group.as_str() && body["nextToken"].as_str() == token.as_deref()
    })
}

/// A read of `group` that takes `pages` pages of one event each, tokens
/// `GROUP-1`, `GROUP-2`, ...
fn chain(group: &str, pages: usize) -> Vec<Rule> {
    (0..pages)
        .map(|k| {
            let token = (k > 0).then(|| format!("{group}-{k}"));
            let next = format!("{group}-{}", k + 1);
            let id = format!("{group}{k}");
            let reply = page(
                vec![event(&id, "s", NOW - 60 + k as i64, &id)],
                (k + 1 < pages).then_some(next.as_str()),
            );
            on_owned(group, token, reply)
        })
        .collect()
}

fn ids(events: &[monitui::model::LogEvent]) -> Vec<String> {
    events.iter().map(|e| e.event_id.clone().unwrap()).collect()
}

#[tokio::test]
async fn a_tail_pages_forward_from_its_cursor_and_repeats_nothing_at_the_boundary() {
    let server = RecordedServer::start([
        on(
            "/a",
            None,
            page(
                vec![
                    event("e1", "s", NOW - 30, "one"),
                    event("e2", "s", NOW - 20, "two"),
                ],
                Some("t2"),
            ),
        )
        .times(1),
        on(
            "/a",
            Some("t2"),
            page(
                vec![
                    event("e3", "s", NOW - 10, "three"),
                    event("e4", "t", NOW - 10, "four, same millisecond"),
                ],
                None,
            ),
        ),
        // The next poll reads from the newest millisecond again: the
        // service answers its lines once more, and one that arrived since.
        on(
            "/a",
            None,
            page(
                vec![
                    event("e3", "s", NOW - 10, "three"),
                    event("e4", "t", NOW - 10, "four, same millisecond"),
                    event("e5", "u", NOW - 10, "five, late in that millisecond"),
                    event("e6", "s", NOW - 1, "six"),
                ],
                None,
            ),
        ),
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
    let one = tail.poll(now).await;
    assert_eq!(
        ids(&one.events),
        ["e1", "e2", "e3", "e4"],
        "every page followed"
    );
    assert!(one.behind.is_none());
    let two = tail.poll(now + jiff::SignedDuration::from_secs(2)).await;
    assert_eq!(ids(&two.events), ["e5", "e6"], "nothing repeated");
    let requests = server.requests_for(FILTER).await;
    assert_eq!(requests.len(), 3);
    let body = |i: usize| requests[i].json_body();
    assert_eq!(body(0)["startTime"], (NOW - 600) * 1000);
    assert_eq!(body(1)["nextToken"], "t2");
    assert_eq!(
        (body(1)["startTime"].clone(), body(1)["endTime"].clone()),
        (body(0)["startTime"].clone(), body(0)["endTime"].clone()),
        "a token is sent with the window it belongs to"
    );
    assert_eq!(
        body(2)["startTime"],
        (NOW - 10) * 1000,
        "the next read starts at the newest line handed out, not a minute before"
    );
    assert!(body(2).get("nextToken").is_none());
}

#[tokio::test]
async fn a_poll_stops_after_its_pages_says_it_is_behind_and_goes_on_from_the_token() {
    let server = RecordedServer::start(chain("/a", PAGES_PER_POLL + 2)).await;
    let mut tail = PollTail::new(
        logs(&server).await,
        vec!["/a".into()],
        None,
        Timestamp::from_second(NOW - 600).unwrap(),
    )
    .unwrap();
    let now = Timestamp::from_second(NOW).unwrap();
    let one = tail.poll(now).await;
    assert_eq!(one.events.len(), PAGES_PER_POLL);
    let newest = NOW - 60 + PAGES_PER_POLL as i64 - 1;
    assert_eq!(
        one.behind,
        Some(jiff::SignedDuration::from_secs(NOW - newest)),
        "how far behind the newest line handed out is"
    );
    let two = tail.poll(now + jiff::SignedDuration::from_secs(1)).await;
    assert_eq!(two.events.len(), 2);
    assert!(two.behind.is_none(), "caught up");
    let requests = server.requests_for(FILTER).await;
    assert_eq!(requests.len(), PAGES_PER_POLL + 2);
    let last = requests.last().unwrap().json_body();
    assert_eq!(last["nextToken"], format!("/a-{}", PAGES_PER_POLL + 1));
    assert_eq!(last["endTime"], requests[0].json_body()["endTime"]);
}

#[tokio::test]
async fn every_tail_of_an_account_shares_one_pace_of_five_requests_a_second() {
    let mut rules = chain("/a", 5);
    rules.extend(chain("/b", 5));
    let server = RecordedServer::start(rules).await;
    let account = logs(&server).await;
    let since = Timestamp::from_second(NOW - 600).unwrap();
    let mut a = PollTail::new(Arc::clone(&account), vec!["/a".into()], None, since).unwrap();
    let mut b = PollTail::new(account, vec!["/b".into()], None, since).unwrap();
    let now = Timestamp::from_second(NOW).unwrap();
    let started = std::time::Instant::now();
    let (one, two) = tokio::join!(a.poll(now), b.poll(now));
    let took = started.elapsed();
    assert_eq!((one.events.len(), two.events.len()), (5, 5));
    assert!(one.errors.is_empty() && two.errors.is_empty());
    assert_eq!(server.calls(FILTER).await, 10);
    // Ten calls, one every 200 ms with no burst: at least 1.8 s.
    assert!(
        took >= std::time::Duration::from_millis(1750),
        "ten calls took {took:?}: faster than 5 a second"
    );
}
