//! Hostile AWS text through the real binary on a pseudo-terminal: alarm
//! names, reasons, metric names, tag values, error messages and the
//! caller's identity full of escape sequences (CSI, OSC 0/2/8/52, DCS, APC,
//! PM, SOS), C1 controls, bidi overrides, zero-width characters, invalid
//! UTF-8 and a 1 MiB line, served by a recorded-response server. The check
//! is on the bytes the terminal received, not on a buffer: nothing raw may
//! arrive (see `support::hostile`).

mod support;

use std::fs::File;
use std::io::Write;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use ciborium::Value;
use support::cbor::{array, map, metric_alarm, text};
use support::hostile::{self, Allowed, assert_harmless, assert_payloads_hidden};
use support::pty::{Pty, read_to_end, read_until, type_and_settle};
use support::recorded::{RecordedServer, Reply, Rule};

const PATIENCE: Duration = Duration::from_secs(60);
/// How long the TUI gets to answer a key (a CloudTrail search included).
const SETTLE: Duration = Duration::from_millis(700);

/// The caller's identity with C1 and bidi characters in its ARN (XML 1.0
/// allows those, unlike ESC).
const IDENTITY: &str = "<GetCallerIdentityResponse><GetCallerIdentityResult>\
    <Arn>arn:aws:sts::123456789012:assumed-role/OnCall/\u{202e}eve\u{9b}31m\u{200b}</Arn>\
    <UserId>AROA1:eve</UserId><Account>123456789012</Account></GetCallerIdentityResult>\
    <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

/// `alarm` with `key` set to `value`.
fn with(alarm: Value, key: &str, value: Value) -> Value {
    let Value::Map(mut entries) = alarm else {
        panic!("an alarm is a CBOR map");
    };
    entries.retain(|(k, _)| k.as_text() != Some(key));
    entries.push((text(key), value));
    Value::Map(entries)
}

/// One alarm per hostile piece (name and reason carry it), one with every
/// piece in its metric, and one with a 1 MiB reason.
fn hostile_alarms() -> Value {
    let mut alarms: Vec<Value> = hostile::PIECES
        .iter()
        .map(|(label, piece)| {
            let alarm = metric_alarm(&format!("{label}-{piece}"), "AWS/Lambda", "Errors");
            with(alarm, "StateReason", text(piece))
        })
        .collect();
    let everything = hostile::all_pieces();
    alarms.push(metric_alarm("metric-pieces", &everything, &everything));
    alarms.push(with(
        metric_alarm("huge-reason", "AWS/Lambda", "Errors"),
        "StateReason",
        text(&hostile::huge_line()),
    ));
    map([("MetricAlarms", array(alarms))])
}

/// Tags of a live silence set by someone whose name is every hostile piece.
fn hostile_silence_tags() -> Value {
    let tag = |key: &str, value: &str| map([("Key", text(key)), ("Value", text(value))]);
    map([(
        "Tags",
        array([
            tag("monitui:silence-until", "2099-01-01T00:00:00Z"),
            tag("monitui:silence-by", &hostile::all_pieces()),
            tag("monitui:silence-note", &hostile::all_pieces()),
            tag("monitui:silence-method", "mute-rule"),
            tag("monitui:silence-id", "4070908800-0123456789abcdef"),
        ]),
    )])
}

/// LookupEvents' answer: one event per hostile piece in the last hour, the
/// piece in every field someone else controls (summary and record), and
/// one event with a 1 MiB user agent.
fn hostile_trail_events() -> serde_json::Value {
    let now = jiff::Timestamp::now().as_second();
    let event = |n: usize, piece: &str, agent: &str| {
        let second = now - 60 - n as i64;
        let record = serde_json::json!({
            "eventVersion": "1.09",
            "eventTime": jiff::Timestamp::from_second(second).unwrap().to_string(),
            "eventName": format!("Delete{piece}"),
            "eventSource": format!("{piece}.amazonaws.com"),
            "eventID": format!("id-{n}"),
            "awsRegion": piece,
            "sourceIPAddress": piece,
            "userAgent": agent,
            "errorCode": format!("AccessDenied{piece}"),
            "errorMessage": piece,
            "userIdentity": {
                "type": "AssumedRole",
                "arn": format!("arn:aws:sts::1:assumed-role/Ops/{piece}"),
                "sessionContext": {"sessionIssuer": {"type": "Role", "userName": piece, "arn": piece}}
            },
            "requestParameters": {"bucketName": piece}
        });
        serde_json::json!({
            "EventId": format!("id-{n}"),
            "EventName": format!("Delete{piece}"),
            "EventTime": second,
            "Username": piece,
            "Resources": [{"ResourceType": piece, "ResourceName": piece}],
            "CloudTrailEvent": record.to_string()
        })
    };
    let mut events: Vec<serde_json::Value> = hostile::PIECES
        .iter()
        .enumerate()
        .map(|(n, (_, piece))| event(n, piece, piece))
        .collect();
    events.push(event(99, "huge", &hostile::huge_line()));
    serde_json::json!({ "Events": events })
}

/// A server answering by operation: `describe_alarms` for DescribeAlarms,
/// hostile silence tags, the hostile identity, and empty answers to the
/// other reads the CLI and the TUI make. The runtime keeps it serving.
fn server(describe_alarms: Reply) -> (tokio::runtime::Runtime, RecordedServer) {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let empty = || Reply::cbor(200, &map([]));
    let server = runtime.block_on(RecordedServer::start([
        Rule::new("GetCallerIdentity", Reply::xml(200, IDENTITY)),
        Rule::new("DescribeAlarms", describe_alarms),
        Rule::new(
            "ListTagsForResource",
            Reply::cbor(200, &hostile_silence_tags()),
        ),
        Rule::new("ListAlarmMuteRules", empty()),
        Rule::new("GetMetricData", empty()),
        Rule::new("DescribeAlarmHistory", empty()),
        Rule::new("LookupEvents", Reply::json(200, &hostile_trail_events())),
    ]));
    (runtime, server)
}

/// `monitui` on a fresh pty, talking to `server`, with no config file.
fn monitui(pty: &Pty, server: &RecordedServer, args: &[&str]) -> Command {
    pty.aws_command(&server.endpoint(), args)
}

/// The TUI on a 160x50 pty talking to `server`: the process, the keyboard
/// and what it prints.
fn tui(server: &RecordedServer) -> (Child, File, Receiver<Vec<u8>>) {
    let pty = Pty::open(160, 50);
    let child = monitui(&pty, server, &[]).spawn().expect("spawn monitui");
    let rx = pty.output();
    let Pty { master, slave } = pty;
    drop(slave);
    (child, master, rx)
}

/// Runs a subcommand to its end on a pty: exit status and every byte the
/// terminal received (stdout and stderr).
fn run_cli(server: &RecordedServer, args: &[&str]) -> (ExitStatus, Vec<u8>) {
    let pty = Pty::open(200, 50);
    let mut child = monitui(&pty, server, args).spawn().expect("spawn monitui");
    let rx = pty.output();
    drop(pty);
    let mut out = Vec::new();
    read_to_end(&rx, &mut out, PATIENCE);
    (child.wait().expect("wait for monitui"), out)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn alarms_list_table_reaches_the_terminal_harmless() {
    let (_runtime, server) = server(Reply::cbor(200, &hostile_alarms()));
    let (status, out) = run_cli(&server, &["alarms", "list"]);
    let shown = lossy(&out);
    assert!(status.success(), "{status}: {shown}");
    assert_harmless(&out, Allowed::NoEscapes);
    assert_payloads_hidden(&out);
    for word in hostile::VISIBLE {
        assert!(shown.contains(word), "{word} is missing:\n{shown}");
    }
    assert!(shown.contains("silenced"), "the hostile silence shows");
    assert!(shown.contains("hugeLLLL"), "the huge reason starts");
    assert!(
        shown.contains(monitui::sanitize::CUT_MARKER),
        "the huge reason is cut visibly"
    );
    assert!(
        out.len() < hostile::HUGE_LINE_BYTES / 10,
        "the 1 MiB line was cut, not printed: {} bytes",
        out.len()
    );
}

#[test]
fn alarms_list_json_escapes_what_it_keeps_whole() {
    let (_runtime, server) = server(Reply::cbor(200, &hostile_alarms()));
    let (status, out) = run_cli(&server, &["alarms", "list", "--output", "json"]);
    assert!(status.success(), "{status}: {}", lossy(&out));
    assert_harmless(&out, Allowed::NoEscapes);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&lossy(&out).replace("\r\n", "\n")).expect("JSON on stdout");
    for (label, piece) in hostile::PIECES {
        let name = format!("{label}-{piece}");
        let record = json
            .iter()
            .find(|a| a["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{label}: the name did not survive JSON whole"));
        assert_eq!(record["reason"], *piece, "{label}: reason changed");
    }
    let huge = json.iter().find(|a| a["name"] == "huge-reason").unwrap();
    assert_eq!(
        huge["reason"],
        hostile::huge_line(),
        "JSON keeps the whole line"
    );
}

#[test]
fn a_hostile_error_message_from_aws_reaches_the_terminal_harmless() {
    let message = format!("denied {}", hostile::all_pieces());
    let (_runtime, server) = server(Reply::cbor_error(400, "ValidationError", &message));
    let (status, out) = run_cli(&server, &["alarms", "list"]);
    assert_eq!(status.code(), Some(1), "{}", lossy(&out));
    assert_harmless(&out, Allowed::NoEscapes);
    assert_payloads_hidden(&out);
    let shown = lossy(&out);
    assert!(shown.contains("DescribeAlarms"), "{shown}");
    assert!(shown.contains("CSI-RED"), "the message is shown: {shown}");
}

/// The SDK refuses a reply with invalid UTF-8 (the command fails naming
/// the call); were it to replace the bytes instead, the output must still
/// be harmless.
#[test]
fn invalid_utf8_from_aws_reaches_the_terminal_harmless() {
    let alarm = with(
        metric_alarm(hostile::INVALID_UTF8_STAND_IN, "AWS/Lambda", "Errors"),
        "StateReason",
        text(hostile::INVALID_UTF8_STAND_IN),
    );
    let mut reply = Reply::cbor(200, &map([("MetricAlarms", array([alarm]))]));
    reply.body = hostile::with_invalid_utf8(&reply.body);
    assert!(std::str::from_utf8(&reply.body).is_err());
    let (_runtime, server) = server(reply);
    for output in ["table", "json"] {
        let (status, out) = run_cli(&server, &["alarms", "list", "--output", output]);
        let shown = lossy(&out);
        match status.code() {
            Some(0) => {}
            Some(1) => assert!(shown.contains("DescribeAlarms"), "{output}: {shown}"),
            _ => panic!("{output}: {status}: {shown}"),
        }
        assert_harmless(&out, Allowed::NoEscapes);
    }
}

#[test]
fn trail_search_table_and_json_reach_the_terminal_harmless() {
    let (_runtime, server) = server(Reply::cbor(200, &map([])));
    let (status, out) = run_cli(&server, &["trail", "search"]);
    let shown = lossy(&out);
    assert!(status.success(), "{status}: {shown}");
    assert_harmless(&out, Allowed::NoEscapes);
    assert_payloads_hidden(&out);
    assert!(shown.contains("CSI-RED"), "{shown}");
    let (status, out) = run_cli(&server, &["trail", "search", "--output", "json"]);
    assert!(status.success(), "{status}: {}", lossy(&out));
    assert_harmless(&out, Allowed::NoEscapes);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&lossy(&out).replace("\r\n", "\n")).expect("JSON on stdout");
    for (label, piece) in hostile::PIECES {
        assert!(
            json.iter().any(|e| e["source_ip"] == *piece),
            "{label}: the source IP did not survive JSON whole"
        );
    }
}

#[test]
fn the_cloudtrail_tab_draws_hostile_events_harmless() {
    let (_runtime, server) = server(Reply::cbor(200, &map([])));
    let (mut child, mut master, rx) = tui(&server);
    let mut out = Vec::new();
    read_until(&rx, &mut out, b"Alarms", PATIENCE);
    let mut settle = |keys: &str, out: &mut Vec<u8>| {
        type_and_settle(&mut master, &rx, out, keys.as_bytes(), SETTLE)
    };
    for keys in ["5", "\r", "o", "o", "o"] {
        settle(keys, &mut out);
    }
    assert!(lossy(&out).contains("CSI-RED"), "{}", lossy(&out));
    assert_harmless(&out, Allowed::OwnCsi);
    assert_payloads_hidden(&out);
    let mut detail = Vec::new();
    for keys in ["\r", "G", "\x1b", "j", "\r"] {
        settle(keys, &mut detail);
    }
    settle("\x1b", &mut detail);
    settle("q", &mut detail);
    read_to_end(&rx, &mut detail, PATIENCE);
    let status = child.wait().expect("wait for monitui");
    assert!(status.success(), "{status}");
    assert!(lossy(&detail).contains("Who"), "the detail opened");
    assert_harmless(&detail, Allowed::OwnCsi);
}

#[test]
fn the_tui_draws_hostile_aws_text_harmless() {
    let (_runtime, server) = server(Reply::cbor(200, &hostile_alarms()));
    let (mut child, mut master, rx) = tui(&server);
    let mut out = Vec::new();
    read_until(&rx, &mut out, b"CSI-RED", PATIENCE);
    for keys in ["2", "\r", "\x1b", "j", "\r"] {
        type_and_settle(&mut master, &rx, &mut out, keys.as_bytes(), SETTLE);
    }
    // The detail is open: the first q closes it, the second quits.
    master.write_all(b"qq").expect("type q");
    read_to_end(&rx, &mut out, PATIENCE);
    let status = child.wait().expect("wait for monitui");
    assert!(status.success(), "{status}");
    assert_harmless(&out, Allowed::OwnCsi);
    assert_payloads_hidden(&out);
}
