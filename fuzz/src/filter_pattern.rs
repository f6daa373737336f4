//! The `filter_pattern` check: filter patterns from arbitrary text.

use monitui::filter::FilterPattern;

const EVENTS: [&str; 8] = [
    "",
    "[ERROR 400] BAD REQUEST",
    "[ERROR 500] INTERNAL SERVER ERROR",
    r#"{"eventType": "UpdateTrail", "arrayKey": ["value", "another value"], "objectList": [{"name": "a", "id": 1}], "SomeObject": null}"#,
    r#"{"user": {"id": 1, "email": "John.Stiles@example.com"}, "coordinates": [[0, 1, 2], [4, 5, 6]], "ok": true, "n": -1.5e3}"#,
    r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#,
    "héllo wörld 日本語 \u{202e} \t tab",
    "{\"unterminated\": [1, 2",
];

/// Parsing never panics, and a pattern that parses matches a few typical
/// events (and any lines after the first line of the input) without
/// panicking, with highlight spans that are ordered, non-overlapping and
/// on character boundaries.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (pattern, extra) = text.split_once('\n').unwrap_or((&*text, ""));
    let Ok(pattern) = FilterPattern::parse(pattern) else {
        return;
    };
    for event in EVENTS.into_iter().chain(extra.lines()) {
        let matched = pattern.matches(event);
        let spans = pattern.match_spans(event);
        let mut end = 0;
        for span in spans {
            assert!(span.start >= end && span.start < span.end && span.end <= event.len());
            assert!(event.is_char_boundary(span.start) && event.is_char_boundary(span.end));
            end = span.end;
        }
        assert_eq!(matched, pattern.matches(event), "matching is deterministic");
    }
}
