//! Error lines read as failures. A Lambda runtime writes the error itself
//! after a timestamp and the request id (`[ERROR]\t<time>\t<request>\t
//! ConnectionError: ...`), and then a `REPORT RequestId: <request> ...
//! Status: error` line for the same invocation: two error lines, one
//! failure. [`headline`] puts the error first; [`failures`] groups the
//! lines of one request id into one failure, so counts say how many
//! invocations failed, not how many lines matched.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::model::LogEvent;

/// The parts of a log line's first line monitui reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineParts<'a> {
    /// The Lambda request id, when the line carries one.
    pub request_id: Option<&'a str>,
    /// What the line says, without the runtime's prefix.
    pub text: String,
    /// Whether it is the runtime's `REPORT` line of a failed invocation.
    pub report: bool,
}

/// Whether `word` is an RFC 3339 timestamp (the runtime's prefix).
fn is_time(word: &str) -> bool {
    word.len() >= 20 && word.parse::<Timestamp>().is_ok()
}

/// Whether `word` is shaped like a Lambda request id (a UUID).
fn is_request_id(word: &str) -> bool {
    word.len() == 36
        && word.chars().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Reads the first line of `message`: a Lambda runtime line (Python's
/// `[LEVEL]\ttime\trequest\ttext`, Node's `time\trequest\tLEVEL\ttext`,
/// `REPORT RequestId: ...`), else the line without a leading timestamp.
pub fn parts(message: &str) -> LineParts<'_> {
    let first = message.lines().next().unwrap_or_default().trim_end();
    if let Some(rest) = first.strip_prefix("REPORT RequestId: ") {
        let mut fields = rest.split('\t').map(str::trim);
        let request_id = fields.next().filter(|id| !id.is_empty());
        let field = |name: &str| {
            rest.split('\t')
                .find_map(|f| f.trim().strip_prefix(name))
                .map(str::trim)
        };
        let status = field("Status:");
        let text = match (status, field("Error Type:")) {
            (Some(status), Some(kind)) => format!("{kind} ({status})"),
            (Some(status), None) => format!("invocation {status}"),
            _ => "invocation report".to_string(),
        };
        let text = match field("Duration:") {
            Some(duration) => format!("{text} after {duration}"),
            None => text,
        };
        return LineParts {
            request_id,
            text,
            report: status.is_some(),
        };
    }
    let fields: Vec<&str> = first.split('\t').collect();
    let level = |f: &str| {
        let f = f.trim_matches(['[', ']']);
        !f.is_empty() && f.len() <= 7 && f.chars().all(|c| c.is_ascii_uppercase())
    };
    let runtime = match fields.as_slice() {
        [lvl, time, id, text @ ..] if level(lvl) && is_time(time) && is_request_id(id) => {
            Some((*id, text.join("\t")))
        }
        [time, id, lvl, text @ ..] if is_time(time) && is_request_id(id) && level(lvl) => {
            Some((*id, text.join("\t")))
        }
        _ => None,
    };
    if let Some((id, text)) = runtime {
        return LineParts {
            request_id: Some(id),
            text: text.trim().to_string(),
            report: false,
        };
    }
    let text = match first.split_once(char::is_whitespace) {
        Some((head, rest)) if is_time(head) => rest.trim_start(),
        _ => first,
    };
    LineParts {
        request_id: None,
        text: text.to_string(),
        report: false,
    }
}

/// The first line of `message` with the error first: the runtime's
/// timestamp, level and request id left out.
pub fn headline(message: &str) -> String {
    parts(message).text
}

/// One failure: the error lines of one invocation (one request id), or a
/// line that names no request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// When its first line was written.
    pub at: Timestamp,
    /// The log group.
    pub group: String,
    /// The invocation's request id, if the lines name one.
    pub request_id: Option<String>,
    /// What went wrong, error first: the application's error line when
    /// there is one, else the runtime's report.
    pub headline: String,
    /// Its lines (indices into the events given), oldest first.
    pub lines: Vec<usize>,
}

/// The failures among `events` (oldest first): lines of the same group
/// and request id are one failure, headed by its error line rather than
/// its `REPORT` line; a line without a request id is a failure alone.
pub fn failures(events: &[LogEvent]) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    // Per failure of `out`: whether a `REPORT` line heads it so far.
    let mut report_headed: Vec<bool> = Vec::new();
    let mut by_request: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        let parts = parts(&event.message);
        let known = parts
            .request_id
            .and_then(|id| by_request.get(&(event.group.as_str(), id)).copied());
        match known {
            Some(at) => {
                let failure = &mut out[at];
                failure.lines.push(i);
                failure.at = failure.at.min(event.timestamp);
                if report_headed[at] && !parts.report {
                    failure.headline = parts.text;
                    report_headed[at] = false;
                }
            }
            None => {
                if let Some(id) = parts.request_id {
                    by_request.insert((event.group.as_str(), id), out.len());
                }
                report_headed.push(parts.report);
                out.push(Failure {
                    at: event.timestamp,
                    group: event.group.clone(),
                    request_id: parts.request_id.map(str::to_string),
                    headline: parts.text,
                    lines: vec![i],
                });
            }
        }
    }
    out.sort_by_key(|f| f.at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &str = "e90cd321-e2a8-4cfa-9869-c97e9f13b9f1";

    fn event(group: &str, second: i64, message: String) -> LogEvent {
        LogEvent {
            group: group.into(),
            stream: "s".into(),
            timestamp: Timestamp::from_second(1_765_000_000 + second).unwrap(),
            event_id: None,
            message,
        }
    }

    fn python_error(request: &str) -> String {
        format!(
            "[ERROR]\t2026-12-07T11:40:38.199Z\t{request}\tConnectionError: Read timed out.\nTraceback (most recent call last):"
        )
    }

    fn report(request: &str) -> String {
        format!(
            "REPORT RequestId: {request}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 1024 MB\tMax Memory Used: 268 MB\tStatus: error\tError Type: Runtime.Unknown"
        )
    }

    #[test]
    fn the_error_comes_first() {
        assert_eq!(
            headline(&python_error(REQUEST)),
            "ConnectionError: Read timed out."
        );
        assert_eq!(
            headline(&format!(
                "2026-12-07T11:40:38.199Z\t{REQUEST}\tERROR\tInvoke Error {{\"errorType\":\"TypeError\"}}"
            )),
            "Invoke Error {\"errorType\":\"TypeError\"}"
        );
        assert_eq!(
            headline(&report(REQUEST)),
            "Runtime.Unknown (error) after 3000.00 ms"
        );
        assert_eq!(
            headline("2026-12-07T11:40:38Z ERROR [etl.extract] giving up\nTraceback"),
            "ERROR [etl.extract] giving up"
        );
        assert_eq!(headline("plain ERROR line"), "plain ERROR line");
        let line = report(REQUEST);
        let report = parts(&line);
        assert_eq!((report.request_id, report.report), (Some(REQUEST), true));
    }

    #[test]
    fn the_lines_of_one_request_are_one_failure_headed_by_its_error() {
        let other = "3d82d8b9-dfc1-4133-b55d-f903558ff467";
        let events = vec![
            event("/aws/lambda/a", 0, python_error(REQUEST)),
            event("/aws/lambda/a", 2, report(REQUEST)),
            event("/aws/lambda/a", 5, report(other)),
            event("/aws/lambda/a", 4, python_error(other)),
            event("/aws/lambda/b", 6, report(REQUEST)),
            event("/aws/batch/job", 7, "ERROR giving up".into()),
            event("/aws/batch/job", 8, "ERROR giving up".into()),
        ];
        let found = failures(&events);
        let summary: Vec<(&str, Option<&str>, &str, usize)> = found
            .iter()
            .map(|f| {
                (
                    f.group.as_str(),
                    f.request_id.as_deref(),
                    f.headline.as_str(),
                    f.lines.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "/aws/lambda/a",
                    Some(REQUEST),
                    "ConnectionError: Read timed out.",
                    2
                ),
                (
                    "/aws/lambda/a",
                    Some(other),
                    "ConnectionError: Read timed out.",
                    2
                ),
                (
                    "/aws/lambda/b",
                    Some(REQUEST),
                    "Runtime.Unknown (error) after 3000.00 ms",
                    1
                ),
                ("/aws/batch/job", None, "ERROR giving up", 1),
                ("/aws/batch/job", None, "ERROR giving up", 1),
            ]
        );
        assert_eq!(
            found[1].at, events[3].timestamp,
            "a failure starts at its first line"
        );
    }
}
