//! Realistic Logs Insights queries (AWS documentation samples and the like,
//! `tests/fixtures/insights-queries/queries.md`, provenance beside it) run
//! through the demo account's evaluator: every `query` block parses and
//! evaluates; every `query-unsupported` block is refused as valid but not
//! evaluated, naming the construct, never as a syntax error.

use jiff::Timestamp;
use monitui::insights::InsightsQuery;
use monitui::model::LogEvent;

/// A query of the fixture, with what the fixture says of it.
struct Case {
    heading: String,
    text: String,
    /// `Refused as:` for a query the demo does not evaluate.
    refused_as: Option<String>,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/insights-queries/queries.md"
    );
    let md = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut cases = Vec::new();
    let (mut heading, mut refused_as) = (String::new(), None);
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.to_string();
            refused_as = None;
        } else if let Some(r) = line.strip_prefix("Refused as: ") {
            refused_as = Some(r.to_string());
        } else if let Some(kind) = line.strip_prefix("```query") {
            let text: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            assert_eq!(
                kind == "-unsupported",
                refused_as.is_some(),
                "block {heading}"
            );
            cases.push(Case {
                heading: heading.clone(),
                text: text.join("\n"),
                refused_as: refused_as.take(),
            });
        }
    }
    cases
}

fn events() -> Vec<LogEvent> {
    let event = |at: &str, message: &str| LogEvent {
        group: "/aws/lambda/orders".into(),
        stream: "2026/12/07/[$LATEST]abc".into(),
        timestamp: at.parse::<Timestamp>().unwrap(),
        event_id: None,
        message: message.into(),
    };
    vec![
        event(
            "2026-12-07T10:00:00Z",
            "START RequestId: r1 Version: $LATEST",
        ),
        event(
            "2026-12-07T10:00:01Z",
            "[ERROR] TimeoutError: upstream timeout after 3001 ms",
        ),
        event(
            "2026-12-07T10:00:02Z",
            "REPORT RequestId: r1\tDuration: 120.50 ms\tBilled Duration: 121 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB",
        ),
        event(
            "2026-12-07T10:05:00Z",
            r#"{"status":503,"latency":900,"path":"/orders","clientIp":"192.0.2.7","srcAddr":"192.0.2.7","dstAddr":"10.0.0.5","bytes":1200,"packets":3,"action":"REJECT","eventSource":"ec2.amazonaws.com","eventName":"StartInstances","errorCode":"AccessDenied","userIdentity":{"arn":"arn:aws:iam::123456789012:user/a"}}"#,
        ),
        event(
            "2026-12-07T10:06:00Z",
            "user=alice, method:GET, latency := 42",
        ),
    ]
}

#[test]
fn the_corpus_has_at_least_30_queries() {
    let cases = cases();
    assert!(cases.iter().filter(|c| c.refused_as.is_none()).count() >= 30);
}

#[test]
fn every_query_evaluates_or_names_what_the_demo_does_not_evaluate() {
    let events = events();
    let mut evaluated_rows = 0;
    for case in cases() {
        let (heading, text) = (&case.heading, &case.text);
        match (InsightsQuery::parse(text), &case.refused_as) {
            (Ok(query), None) => {
                let (table, _) = query.run(&events, 1000);
                assert!(!table.columns.is_empty(), "query {heading}");
                assert!(
                    table.rows.iter().all(|r| r.len() == table.columns.len()),
                    "query {heading}"
                );
                evaluated_rows += table.rows.len();
            }
            (Err(e), Some(construct)) => {
                assert_eq!(
                    e.unsupported.as_deref(),
                    Some(construct.as_str()),
                    "query {heading}: {e}"
                );
                assert!(
                    e.to_string()
                        .starts_with("the demo account does not evaluate"),
                    "{e}"
                );
            }
            (Ok(_), Some(construct)) => {
                panic!("query {heading} should say the demo does not evaluate {construct}")
            }
            (Err(e), None) => panic!("query {heading} refused: {e}\n{text}"),
        }
    }
    assert!(evaluated_rows > 0);
}
