//! `monitui logs query` on the demo account through the built binary:
//! bad input is refused with exit status 2 and a message saying where; a
//! query over the demo's log lines prints its rows (table and JSON).

mod support;

use predicates::prelude::*;

fn monitui() -> assert_cmd::Command {
    support::demo_monitui("cli-logs-query")
}

/// Runs `logs query` with `args` on the demo account.
fn query(args: &[&str]) -> assert_cmd::assert::Assert {
    monitui().args(["logs", "query"]).args(args).assert()
}

/// Runs a valid `logs query` of `/g` over the last hour, with `extra`.
fn query_last_hour(extra: &[&str]) -> assert_cmd::assert::Assert {
    let query_args = ["fields @message", "--group", "/g", "--since", "1h"];
    query(&[&query_args[..], extra].concat())
}

#[test]
fn a_query_outside_the_language_names_its_line_and_column() {
    let query_text = "fields @message\n| frobnicate @logStream";
    query(&[query_text, "--group", "/aws/batch/job", "--since", "1h"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "invalid query at line 2, column 3: expected a command (fields, filter, parse, stats, sort, limit, display, dedup), found `frobnicate`",
        ));
}

#[test]
fn valid_insights_the_demo_does_not_evaluate_is_named_not_called_a_syntax_error() {
    let query_text = "# group the errors\nfilter @message like /ERROR/\n| pattern @message";
    query(&[query_text, "--group", "/aws/batch/job", "--since", "1h"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "the demo account does not evaluate the `pattern` command (line 3, column 3); AWS runs the query as written",
        ))
        .stderr(predicate::str::contains("invalid query").not());
}

#[test]
fn missing_groups_unknown_saved_queries_and_empty_windows_are_bad_input() {
    query(&["fields @message", "--since", "1h"])
        .code(2)
        .stderr(predicate::str::contains(
            "give the log groups to read with --group",
        ));
    query(&["--saved", "Nope", "--since", "1h"])
        .code(2)
        .stderr(predicate::str::contains(
            "no saved query 'Nope'; saved queries: 'Find Lambda errors'",
        ));
    query_last_hour(&["--until", "2h"])
        .code(2)
        .stderr(predicate::str::contains("is not before --until"));
    query_last_hour(&["--limit", "0"]).code(2);
    query(&["fields @message", "--group", "/nothing/*", "--since", "1h"])
        .failure()
        .stderr(predicate::str::contains("/nothing/*"));
}

#[test]
fn the_seeds_query_and_stats_by_bin_run_over_the_demos_lines() {
    let out = support::succeeds(monitui().args(support::SAVED_QUERY_JSON));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 50, "{}", rows.len());
    for row in rows {
        assert!(row["@message"].as_str().unwrap().contains("ERROR"), "{row}");
    }
    let times: Vec<&str> = rows
        .iter()
        .map(|r| r["@timestamp"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert!(stderr.starts_with("Complete: "), "{stderr}");

    let out = support::succeeds(monitui().args([
        "logs",
        "query",
        "stats count(*) as n by bin(10m)",
        "--group",
        "/aws/apigateway/*",
        "--since",
        "1h",
    ]));
    let table = String::from_utf8_lossy(&out.stdout);
    let mut lines = table.lines();
    assert_eq!(
        lines
            .next()
            .map(str::split_whitespace)
            .map(Iterator::collect::<Vec<_>>),
        Some(vec!["bin(10m)", "n"])
    );
    let counts: Vec<u64> = lines
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!((6..=7).contains(&counts.len()), "{table}");
    assert!(counts.iter().all(|n| *n > 0), "{table}");
}
