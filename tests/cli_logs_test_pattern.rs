//! `monitui logs test-pattern` through the built binary: matching lines
//! come out unchanged, nothing matching is still success, a bad pattern is
//! exit status 2 with its column.

mod support;

use std::io::Write;

use assert_cmd::Command;
use predicates::prelude::*;

fn monitui() -> Command {
    support::demo_monitui("cli-logs")
}

const EVENTS: &str = "\
[ERROR 400] BAD REQUEST
[ERROR 401] UNAUTHORIZED REQUEST
[ERROR 419] MISSING ARGUMENTS
[ERROR 420] INVALID ARGUMENTS
[ERROR 500] INTERNAL SERVER ERROR
{\"level\": \"error\", \"latency_ms\": 812, \"user\": {\"id\": 7}}
{\"level\": \"info\", \"latency_ms\": 12, \"user\": null}
127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534
";

fn test_pattern(pattern: &str) -> String {
    let out = monitui()
        .args(["logs", "test-pattern", pattern])
        .write_stdin(EVENTS)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn term_patterns_select_lines_in_order() {
    assert_eq!(
        test_pattern("ERROR -ARGUMENTS"),
        "[ERROR 400] BAD REQUEST\n[ERROR 401] UNAUTHORIZED REQUEST\n[ERROR 500] INTERNAL SERVER ERROR\n"
    );
    assert_eq!(
        test_pattern("?BAD ?INVALID"),
        "[ERROR 400] BAD REQUEST\n[ERROR 420] INVALID ARGUMENTS\n"
    );
}

#[test]
fn a_pattern_may_start_with_a_minus() {
    let out = test_pattern("-ERROR");
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(!out.contains("ERROR"));
}

#[test]
fn json_delimited_and_regex_patterns() {
    assert_eq!(
        test_pattern("{ $.level = \"error\" && $.latency_ms > 500 }"),
        "{\"level\": \"error\", \"latency_ms\": 812, \"user\": {\"id\": 7}}\n"
    );
    assert_eq!(
        test_pattern("{ $.user IS NULL }"),
        "{\"level\": \"info\", \"latency_ms\": 12, \"user\": null}\n"
    );
    assert!(test_pattern("[..., status = 4*, bytes > 1000]").starts_with("127.0.0.1 Prod frank"));
    assert_eq!(
        test_pattern(r"%^\[ERROR\s4[0-9]{2}\]\s[A-Z]+\sARG%")
            .lines()
            .count(),
        2
    );
}

#[test]
fn nothing_matching_is_success_with_no_output() {
    monitui()
        .args(["logs", "test-pattern", "NOTHING_LIKE_THIS"])
        .write_stdin(EVENTS)
        .assert()
        .success()
        .stdout("");
}

#[test]
fn reads_the_file_given() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(EVENTS.as_bytes()).unwrap();
    monitui()
        .args([
            "logs",
            "test-pattern",
            "\"INTERNAL SERVER ERROR\"",
            "--file",
        ])
        .arg(file.path())
        .assert()
        .success()
        .stdout("[ERROR 500] INTERNAL SERVER ERROR\n");
}

#[test]
fn invalid_utf8_and_line_endings_pass_through_unchanged() {
    let input: &[u8] = b"keep \xff\xfe ERROR\r\ndrop\nERROR at the end without newline";
    let out = monitui()
        .args(["logs", "test-pattern", "ERROR"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        out,
        b"keep \xff\xfe ERROR\r\nERROR at the end without newline\n".to_vec()
    );
}

#[test]
fn an_invalid_pattern_exits_2_naming_the_column() {
    monitui()
        .args(["logs", "test-pattern", "{ $.latency_ms > fast }"])
        .write_stdin(EVENTS)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains(
                "invalid filter pattern at column 18: expected a number after `>`",
            )
            .and(predicate::str::contains(
                "\n  { $.latency_ms > fast }\n                   ^",
            )),
        );
}

#[test]
fn an_unsupported_regex_character_exits_2() {
    monitui()
        .args(["logs", "test-pattern", "%something!%"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("column 11"));
}

#[test]
fn a_missing_file_exits_2_naming_it() {
    monitui()
        .args([
            "logs",
            "test-pattern",
            "ERROR",
            "--file",
            "/nonexistent/monitui-events.log",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--file /nonexistent/monitui-events.log",
        ));
}

#[test]
fn works_without_any_config_or_account() {
    monitui()
        .args(["--env", "no-such-env", "logs", "test-pattern", "x"])
        .write_stdin("x\n")
        .assert()
        .success()
        .stdout("x\n");
}
