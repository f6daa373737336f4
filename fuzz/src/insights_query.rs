//! The `insights_query` check: Logs Insights queries from arbitrary text.

use monitui::insights::InsightsQuery;
use monitui::model::LogEvent;

const MESSAGES: [&str; 7] = [
    "",
    "ERROR TimeoutError: upstream took 3001 ms",
    "INFO user alice logged in from 10.0.0.1",
    r#"{"status": 502, "latency": 900.5, "path": "/orders", "user": {"id": "u1"}, "tags": ["a", null, 3]}"#,
    "REPORT RequestId: r2\tDuration: 120.50 ms\tBilled Duration: 121 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB",
    "héllo wörld 日本語 \u{202e} \t tab",
    "{\"unterminated\": [1, 2",
];

/// Parsing never panics; a refusal points inside the text at a character
/// boundary, with a line and column that agree with the offset; a query
/// that parses runs over typical events (and any lines after the first
/// line of the input, as messages) into a table whose every row has one
/// cell per column, with at most the row cap unless the query has a limit.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (query, extra) = text.split_once('\u{0}').unwrap_or((&*text, ""));
    let parsed = match InsightsQuery::parse(query) {
        Ok(parsed) => parsed,
        Err(e) => {
            assert!(
                e.offset <= query.len() && query.is_char_boundary(e.offset),
                "{e}"
            );
            let before = &query[..e.offset];
            assert_eq!(e.line, before.matches('\n').count() + 1, "{e}");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(e.column, before[line_start..].chars().count() + 1, "{e}");
            assert!(!e.expected.is_empty() && !e.found.is_empty());
            return;
        }
    };
    let events: Vec<LogEvent> = MESSAGES
        .into_iter()
        .chain(extra.lines())
        .enumerate()
        .map(|(i, message)| LogEvent {
            group: format!("/aws/lambda/g{}", i % 3),
            stream: format!("s{}", i % 2),
            timestamp: jiff::Timestamp::from_second(1_795_860_000 + 97 * i as i64).unwrap(),
            event_id: None,
            message: message.to_string(),
        })
        .collect();
    let (table, stats) = parsed.run(&events, 5);
    assert_eq!(stats.records_scanned, events.len() as f64);
    for row in &table.rows {
        assert_eq!(row.len(), table.columns.len());
    }
    if !query.to_ascii_lowercase().contains("limit") {
        assert!(table.rows.len() <= 5, "row cap");
    }
    let again = parsed.run(&events, 5).0;
    assert_eq!(again, table, "deterministic");
}
