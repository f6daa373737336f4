//! Parser and evaluator cases: every command, the errors' positions, and
//! results checked cell by cell.

use jiff::Timestamp;

use super::*;

fn event(group: &str, stream: &str, at: &str, message: &str) -> LogEvent {
    LogEvent {
        group: group.into(),
        stream: stream.into(),
        timestamp: at.parse::<Timestamp>().unwrap(),
        event_id: None,
        message: message.into(),
    }
}

const LAMBDA: &str = "/aws/lambda/ecommerce-ai-platform-auth-service";
const API: &str = "/aws/apigateway/ecommerce-ai-platform";

fn events() -> Vec<LogEvent> {
    vec![
        event(LAMBDA, "s1", "2026-11-28T10:00:10Z", "START RequestId: r1"),
        event(
            LAMBDA,
            "s1",
            "2026-11-28T10:00:20Z",
            "ERROR TimeoutError: upstream took 3001 ms",
        ),
        event(
            LAMBDA,
            "s2",
            "2026-11-28T10:03:00Z",
            "INFO user alice logged in from 10.0.0.1",
        ),
        event(
            LAMBDA,
            "s2",
            "2026-11-28T10:06:00Z",
            "ERROR KeyError: 'sku' in handler",
        ),
        event(
            LAMBDA,
            "s2",
            "2026-11-28T10:07:00Z",
            "REPORT RequestId: r2\tDuration: 120.50 ms\tBilled Duration: 121 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB",
        ),
        event(
            API,
            "a1",
            "2026-11-28T10:01:00Z",
            r#"{"status":200,"latency":35,"path":"/orders","user":{"id":"u1"}}"#,
        ),
        event(
            API,
            "a1",
            "2026-11-28T10:02:00Z",
            r#"{"status":502,"latency":900,"path":"/orders","user":{"id":"u2"}}"#,
        ),
        event(
            API,
            "a1",
            "2026-11-28T10:08:00Z",
            r#"{"status":200,"latency":40,"path":"/cart","user":{"id":"u1"}}"#,
        ),
        event(
            API,
            "a2",
            "2026-11-28T10:09:00Z",
            r#"{"status":404,"latency":5,"path":"/cart"}"#,
        ),
    ]
}

fn run(q: &str) -> QueryTable {
    let evs = events();
    InsightsQuery::parse(q)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .run(&evs, DEFAULT_ROWS)
        .0
}

fn column(t: &QueryTable, name: &str) -> Vec<String> {
    let i = t
        .columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", t.columns));
    t.rows.iter().map(|r| r[i].clone()).collect()
}

fn err(q: &str) -> QueryError {
    match InsightsQuery::parse(q) {
        Ok(_) => panic!("{q} parsed"),
        Err(e) => e,
    }
}

#[test]
fn the_seeds_find_lambda_errors_query() {
    let t = run(
        "fields @timestamp, @message\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 50",
    );
    assert_eq!(t.columns, ["@timestamp", "@message"]);
    assert_eq!(
        column(&t, "@timestamp"),
        ["2026-11-28 10:06:00.000", "2026-11-28 10:00:20.000"]
    );
    assert!(column(&t, "@message")[0].starts_with("ERROR KeyError"));
}

#[test]
fn without_fields_the_results_are_timestamp_and_message_newest_first() {
    let t = run("filter @log = '/aws/apigateway/ecommerce-ai-platform'");
    assert_eq!(t.columns, ["@timestamp", "@message"]);
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.rows[0][0], "2026-11-28 10:09:00.000");
}

#[test]
fn system_fields_have_their_values() {
    let t = run("fields @logStream, @log | filter @logStream = 'a2'");
    assert_eq!(t.rows, vec![vec!["a2".to_string(), API.to_string()]]);
    let evs = events();
    let q = InsightsQuery::parse("filter @logStream = 'a2' | display @log")
        .unwrap()
        .in_account("123456789012");
    let t = q.run(&evs, DEFAULT_ROWS).0;
    assert_eq!(t.rows, vec![vec![format!("123456789012:{API}")]]);
}

#[test]
fn json_fields_are_discovered_and_compared_as_numbers() {
    let t = run("filter status >= 500 or latency > 100 | fields path, user.id, status");
    assert_eq!(t.columns, ["path", "user.id", "status"]);
    assert_eq!(t.rows, vec![vec!["/orders", "u2", "502"]]);
    let t = run("filter status = 200 | stats count(*) as ok");
    assert_eq!(column(&t, "ok"), ["2"]);
    let t = run("filter status in [404, 502] | display path");
    assert_eq!(t.columns, ["path"]);
    assert_eq!(column(&t, "path"), ["/cart", "/orders"]);
    let t = run("filter status not in [200] and ispresent(user.id) | fields status");
    assert_eq!(column(&t, "status"), ["502"]);
}

#[test]
fn like_takes_regexes_and_substrings_and_not_negates() {
    assert_eq!(run("filter @message like 'KeyError'").rows.len(), 1);
    assert_eq!(run("filter @message like /(?i)error/").rows.len(), 2);
    assert_eq!(run("filter @message =~ /^INFO/").rows.len(), 1);
    assert_eq!(
        run("filter @log like /lambda/ and @message not like /ERROR/")
            .rows
            .len(),
        3
    );
    assert_eq!(
        run("filter not (@message like /ERROR/) and @log like /lambda/")
            .rows
            .len(),
        3
    );
    assert_eq!(run("filter !ispresent(status)").rows.len(), 5);
}

#[test]
fn and_binds_tighter_than_or() {
    let t = run("filter status = 404 or status = 200 and path = '/cart' | fields status");
    assert_eq!(column(&t, "status"), ["404", "200"]);
    let t = run("filter (status = 404 or status = 200) and path = '/cart' | fields status");
    assert_eq!(column(&t, "status"), ["404", "200"]);
    let t = run("filter (status = 404 or status = 200) and path = '/orders' | fields status");
    assert_eq!(column(&t, "status"), ["200"]);
}

#[test]
fn missing_fields_fail_every_comparison() {
    assert_eq!(run("filter nosuch = 1").rows.len(), 0);
    assert_eq!(run("filter nosuch != 1").rows.len(), 0);
    assert_eq!(run("filter isempty(nosuch)").rows.len(), 9);
    assert_eq!(run("filter isblank(path)").rows.len(), 5);
}

#[test]
fn parse_with_a_glob_names_each_star() {
    let t = run(
        "parse @message 'user * logged in from *' as user, ip | filter ispresent(user) | fields user, ip",
    );
    assert_eq!(t.rows, vec![vec!["alice", "10.0.0.1"]]);
    let t = run(
        "parse @message \"ERROR *: *\" as kind, detail | filter ispresent(kind) | display kind",
    );
    assert_eq!(column(&t, "kind"), ["KeyError", "TimeoutError"]);
}

#[test]
fn parse_with_a_regex_uses_its_named_groups() {
    let t = run(
        "filter @message like /ERROR/ | parse @message /ERROR (?<kind>\\w+): .*?(?<ms>\\d+) ms/ | stats max(ms) as worst by kind",
    );
    assert_eq!(t.columns, ["kind", "worst"]);
    // Records the regex did not match group under a missing key, sorted last.
    assert_eq!(t.rows, vec![vec!["TimeoutError", "3001"], vec!["", ""]]);
}

#[test]
fn parsed_fields_show_beside_the_default_columns() {
    let t = run("parse 'user * logged' as who | filter ispresent(who)");
    assert_eq!(t.columns, ["@timestamp", "@message", "who"]);
}

#[test]
fn stats_by_bin_counts_per_period_oldest_first() {
    let t = run("filter @log like /lambda/ | stats count(*) by bin(5m)");
    assert_eq!(t.columns, ["bin(5m)", "count(*)"]);
    assert_eq!(
        t.rows,
        vec![
            vec!["2026-11-28 10:00:00.000", "3"],
            vec!["2026-11-28 10:05:00.000", "2"],
        ]
    );
}

#[test]
fn stats_aggregates_by_field() {
    let t = run(
        "stats count(*) as n, avg(latency), max(latency), min(latency), sum(latency) by path | sort n desc, path",
    );
    assert_eq!(
        t.columns,
        [
            "path",
            "n",
            "avg(latency)",
            "max(latency)",
            "min(latency)",
            "sum(latency)"
        ]
    );
    assert_eq!(t.rows[0], vec!["", "5", "", "", "", ""]);
    assert_eq!(t.rows[1], vec!["/cart", "2", "22.5", "40", "5", "45"]);
    assert_eq!(t.rows[2], vec!["/orders", "2", "467.5", "900", "35", "935"]);
}

#[test]
fn stats_counts_fields_only_where_present() {
    let t =
        run("stats count(status) as with_status, count() as all, count_distinct(user.id) as users");
    assert_eq!(t.rows, vec![vec!["4", "9", "2"]]);
    let t = run("filter nosuch = 1 | stats count(*)");
    assert_eq!(t.rows, vec![vec!["0"]]);
    let t = run("filter nosuch = 1 | stats count(*) by bin(1h)");
    assert!(t.rows.is_empty());
}

#[test]
fn percentiles_stddev_and_first_last() {
    let t = run(
        "filter ispresent(latency) | stats pct(latency, 50) as p50, pct(latency, 99) as p99, stddev(status) as sd, earliest(path) as first, latest(path) as last",
    );
    assert_eq!(t.rows[0][0], "35");
    assert_eq!(t.rows[0][1], "900");
    assert_eq!(t.rows[0][3], "/orders");
    assert_eq!(t.rows[0][4], "/cart");
    let sd: f64 = t.rows[0][2].parse().unwrap();
    assert!((sd - 131.16).abs() < 0.01, "{sd}");
}

#[test]
fn lambda_report_fields() {
    let t = run(
        "filter @type = 'REPORT' | stats max(@duration) as d, max(@maxMemoryUsed / 1000 / 1000) as mb",
    );
    assert_eq!(t.rows, vec![vec!["120.5", "90"]]);
}

#[test]
fn arithmetic_and_functions_in_fields() {
    let t = run(
        "filter path = '/cart' | fields latency * 2 + 1 as x, toupper(path) as p, strlen(path), concat(path, '!') as c, -latency as neg, latency % 3 as r | sort x",
    );
    assert_eq!(t.columns, ["x", "p", "strlen(path)", "c", "neg", "r"]);
    assert_eq!(t.rows[0], vec!["11", "/CART", "5", "/cart!", "-5", "2"]);
    assert_eq!(t.rows[1], vec!["81", "/CART", "5", "/cart!", "-40", "1"]);
    let t = run(
        "filter ispresent(status) | fields coalesce(user.id, 'anon') as who, floor(latency / 100) as h, ceil(latency / 100) as c, abs(0 - latency) as a, tolower('AB') as l, trim('  x ') as t | limit 1",
    );
    assert_eq!(t.rows[0], vec!["anon", "0", "1", "5", "ab", "x"]);
}

#[test]
fn sort_is_natural_and_limit_cuts() {
    let t = run("filter ispresent(latency) | sort latency desc | limit 2 | fields latency");
    assert_eq!(column(&t, "latency"), ["900", "40"]);
    let t = run("filter ispresent(latency) | sort latency | fields latency");
    assert_eq!(column(&t, "latency"), ["5", "35", "40", "900"]);
    let t = run("sort @logStream asc | limit 1 | display @logStream");
    assert_eq!(column(&t, "@logStream"), ["a1"]);
}

#[test]
fn commands_and_keywords_ignore_case_and_backquotes_quote_fields() {
    let t = run(
        "FILTER `user.id` = 'u1' AND status = 200 | SORT @timestamp DESC | LIMIT 1 | DISPLAY path",
    );
    assert_eq!(column(&t, "path"), ["/cart"]);
}

#[test]
fn the_default_row_cap_applies_without_limit() {
    let evs = events();
    let q = InsightsQuery::parse("fields @message").unwrap();
    assert_eq!(q.run(&evs, 3).0.rows.len(), 3);
    let q = InsightsQuery::parse("fields @message | limit 5").unwrap();
    assert_eq!(q.run(&evs, 3).0.rows.len(), 5);
}

#[test]
fn statistics_count_scanned_and_matched() {
    let evs = events();
    let q =
        InsightsQuery::parse("filter @message like /ERROR/ | stats count(*) by bin(1h)").unwrap();
    let (_, stats) = q.run(&evs, DEFAULT_ROWS);
    assert_eq!(stats.records_scanned, 9.0);
    assert_eq!(stats.records_matched, 2.0);
    let bytes: usize = evs.iter().map(|e| e.message.len()).sum();
    assert_eq!(stats.bytes_scanned, bytes as f64);
    let q = InsightsQuery::parse("filter @log like /lambda/ | limit 2").unwrap();
    let (table, stats) = q.run(&evs, DEFAULT_ROWS);
    assert_eq!(table.rows.len(), 2);
    assert_eq!(
        stats.records_matched, 5.0,
        "matched counts before the limit"
    );
}

#[test]
fn chart_columns_of_binned_stats() {
    let cols = |q: &str| InsightsQuery::parse(q).unwrap().chart_columns();
    assert_eq!(
        cols("stats count(*) as n by bin(5m) | limit 10"),
        Some(("bin(5m)".into(), "n".into()))
    );
    assert_eq!(
        cols("stats avg(x) by bin(1h) as t, level"),
        Some(("t".into(), "avg(x)".into()))
    );
    assert_eq!(cols("stats count(*) by level"), None);
    assert_eq!(cols("stats count(*) by bin(5m) | fields x"), None);
    assert_eq!(cols("fields @message"), None);
}

#[test]
fn errors_say_where_and_what_was_expected() {
    let e = err("");
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.expected.starts_with("a command"), "{e}");
    assert_eq!(e.found, "the end of the query");

    let e = err("fields @message\n| frobnicate x");
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.found, "`frobnicate`");

    let e = err("filter status =");
    assert_eq!(e.column, 16);
    assert!(e.expected.contains("a field, a value"), "{e}");

    let e = err("stats count(*) by bin(five)");
    assert_eq!(e.column, 23);
    assert!(e.expected.contains("time span"), "{e}");

    let e = err("stats frob(x)");
    assert!(e.expected.starts_with("an aggregation"), "{e}");

    let e = err("parse @message 'a * b *' as one");
    assert!(e.expected.contains("2 field name(s)"), "{e}");
    assert_eq!(e.column, 29);

    let e = err("parse @message /no groups/");
    assert!(e.expected.contains("named groups"), "{e}");

    let e = err("filter @message like /(unclosed/");
    assert!(e.expected.starts_with("a valid regular expression"), "{e}");
    assert_eq!(e.column, 22);

    let e = err("limit 0");
    assert!(e.expected.contains("1 to 10000"), "{e}");
    assert!(err("limit 10001").expected.contains("1 to 10000"));
    assert!(err("limit 2.5").expected.contains("whole number"));

    let e = err("fields a b");
    assert!(e.expected.contains("after the `fields` command"), "{e}");
    assert_eq!(e.column, 10);

    let e = err("filter status in [200, 404");
    assert!(e.expected.contains("`]`"), "{e}");

    let e = err("filter nosuchfn(x)");
    assert!(e.expected.starts_with("a known function"), "{e}");

    let e = err("filter strlen(a, b)");
    assert!(e.expected.contains("takes 1 argument"), "{e}");

    let e = err("filter a not b");
    assert!(e.expected.contains("`like` or `in` after `not`"), "{e}");

    let e = err("stats pct(x)");
    assert!(e.expected.contains("percentile"), "{e}");

    let e = err("filter (a = 1");
    assert!(e.expected.contains("`)`"), "{e}");

    let e = err("fields x |");
    assert!(e.expected.starts_with("a command"), "{e}");

    let e = err("filter and");
    assert!(e.expected.contains("a field, a value"), "{e}");

    let e = err("filter x = 1 | ");
    assert_eq!(
        e.to_string(),
        "invalid query at line 1, column 16: expected a command (fields, filter, parse, stats, sort, limit, display, dedup), found the end of the query"
    );
}

#[test]
fn nesting_is_bounded_instead_of_overflowing_the_stack() {
    let deep = |open: &str, n: usize| {
        format!(
            "filter {}x = 1{}",
            open.repeat(n),
            ")".repeat(n * usize::from(open == "("))
        )
    };
    assert!(InsightsQuery::parse(&deep("(", 64)).is_ok());
    let e = err(&deep("(", 5000));
    assert!(e.expected.contains("at most 64 nested"), "{e}");
    assert_eq!(e.column, 8 + 64 + 1);
    assert!(err(&deep("not ", 5000)).expected.contains("nested"));
    assert!(
        err(&format!("fields {}1", "-".repeat(5000)))
            .expected
            .contains("nested")
    );
    // Function calls nest through parentheses too.
    let calls = format!("fields {}x{}", "abs(".repeat(5000), ")".repeat(5000));
    assert!(InsightsQuery::parse(&calls).is_err());
}

#[test]
fn errors_in_multibyte_text_count_characters() {
    let e = err("filter msg = 'é' frob");
    assert_eq!(e.column, 18);
    assert_eq!(e.offset, 18);
}

#[test]
fn comment_lines_and_trailing_comments_are_ignored() {
    let t = run(
        "# Lambda errors\n  # per stream\nfilter @message like /ERROR/ # not WARN\n# | limit 1\n| stats count(*) as n",
    );
    assert_eq!(t.columns, vec!["n"]);
    let all = run("filter @message like /ERROR/ | stats count(*) as n");
    assert_eq!(t.rows, all.rows);
    assert!(
        err("# nothing but a comment")
            .expected
            .starts_with("a command")
    );
}

#[test]
fn display_computes_expressions_under_their_aliases() {
    let t = run(
        "filter path = '/cart' | sort latency | display path, latency * 2 as twice, toupper(path), latency",
    );
    assert_eq!(t.columns, ["path", "twice", "toupper(path)", "latency"]);
    assert_eq!(t.rows[0], vec!["/cart", "10", "/CART", "5"]);
    let t = run("stats count(*) as n by path | display n + 1 as more, path | sort path");
    assert_eq!(t.columns, ["more", "path"]);
    assert_eq!(t.rows.len(), run("stats count(*) by path").rows.len());
}

#[test]
fn stats_columns_are_arithmetic_over_aggregations_with_precedence() {
    let t = run(
        "filter @type = 'REPORT' | stats sum(@billedDuration)/1000 * avg(@memorySize) as x, count(*) + 1, max(@duration) - min(@duration) * 2 as p by bin(1d)",
    );
    assert_eq!(t.columns, ["bin(1d)", "x", "count(*) + 1", "p"]);
    let plain = run(
        "filter @type = 'REPORT' | stats sum(@billedDuration) as s, avg(@memorySize) as m, count(*) as n, max(@duration) as hi, min(@duration) as lo by bin(1d)",
    );
    assert!(!plain.rows.is_empty());
    for (row, p) in t.rows.iter().zip(&plain.rows) {
        let n = |s: &str| s.parse::<f64>().unwrap();
        assert_eq!(n(&row[1]), n(&p[1]) / 1000.0 * n(&p[2]));
        assert_eq!(n(&row[2]), n(&p[3]) + 1.0);
        assert_eq!(n(&row[3]), n(&p[4]) - n(&p[5]) * 2.0);
    }
    let t = run("stats (count(*) + 1) * 2 as a, count(*) + 1 * 2 as b");
    let n = run("stats count(*) as n").rows[0][0]
        .parse::<f64>()
        .unwrap();
    assert_eq!(
        t.rows[0],
        vec![format!("{}", (n + 1.0) * 2.0), format!("{}", n + 2.0)]
    );
    assert!(err("stats 1 + 2").expected.starts_with("an aggregation"));
    assert!(
        err("stats sum(count(*))")
            .expected
            .starts_with("a known function")
    );
}

#[test]
fn documented_string_numeric_time_and_ip_functions_evaluate() {
    let t = run(
        "filter path = '/cart' and status = 404 | fields strcontains(path, 'ar') as has, strcontains(path, 'x') as hasnt, greatest(latency, 3, 9) as g, least(latency, 3, 9) as l, substr(path, 1, 2) as sub, substr(path, 2) as tail, replace(path, 'a', 'A') as rep, ltrim('xxaxx', 'x') as lt, rtrim('  a  ') as rt, trim('--a-', '-') as tr, sqrt(latency + 4) as sq, floor(log(latency) * 1000) as ln, 2 ^ 3 ^ 2 as p, -2 ^ 2 as np",
    );
    assert_eq!(
        t.rows,
        vec![vec![
            "1", "0", "9", "3", "ca", "art", "/cArt", "axx", "  a", "a", "3", "1609", "512", "-4"
        ]]
    );
    let t = run(
        "filter status = 404 | fields bin(5m) as b, datefloor(@timestamp, 1h) as f, dateceil(@timestamp, 1h) as c, toMillis(@timestamp) as ms, fromMillis(0) as epoch",
    );
    assert_eq!(
        t.rows,
        vec![vec![
            "2026-11-28 10:05:00.000",
            "2026-11-28 10:00:00.000",
            "2026-11-28 11:00:00.000",
            "1795860540000",
            "1970-01-01 00:00:00.000",
        ]]
    );
    let t = run(
        "filter @message like /alice/ | parse @message 'from *' as ip | fields isIpv4InSubnet(ip, '10.0.0.0/8') as a, isIpv4InSubnet(ip, '10.1.0.0/16') as b, isIpInSubnet('2001:db8::1', '2001:db8::/32') as c, isIpv6InSubnet(ip, '::/0') as d, isValidIp(ip) as e, isValidIpV6(ip) as f, isValidIpV4('300.1.1.1') as g",
    );
    assert_eq!(
        t.rows[0][..7],
        ["true", "false", "true", "false", "true", "false", "false"]
    );
    let e = err("filter substr(path)");
    assert!(e.expected.contains("takes 2 to 3 arguments"), "{e}");
    assert!(err("filter greatest()").expected.starts_with("a field"));
}

#[test]
fn dedup_keeps_the_first_record_of_each_value_and_those_missing_it() {
    let t = run("sort latency | dedup path | display path, latency");
    assert_eq!(
        t.rows,
        vec![vec!["/cart", "5"], vec!["/orders", "35"]]
            .into_iter()
            .chain(std::iter::repeat_n(vec!["", ""], 5))
            .collect::<Vec<_>>()
    );
}

#[test]
fn valid_queries_the_demo_cannot_run_say_so_and_malformed_ones_stay_syntax_errors() {
    for (query, construct, column) in [
        (
            "fields @message\n| pattern @message",
            "the `pattern` command",
            3,
        ),
        (
            "fields jsonParse(@message) as j | display j.a",
            "the `jsonParse` function",
            8,
        ),
        (
            "stats sortsFirst(@message) by @logStream",
            "the `sortsFirst` function",
            7,
        ),
        (
            "filterIndex requestId = 'x'",
            "the `filterIndex` command",
            1,
        ),
        ("anomaly", "the `anomaly` command", 1),
    ] {
        let e = err(query);
        assert_eq!(e.unsupported.as_deref(), Some(construct), "{query}");
        assert_eq!(e.column, column, "{query}");
        assert!(
            e.to_string()
                .starts_with(&format!("the demo account does not evaluate {construct}")),
            "{e}"
        );
    }
    for malformed in [
        "fields a b",
        "filter (a",
        "stats sum(x",
        "frob x",
        "fields strcontains(a)",
    ] {
        let e = err(malformed);
        assert_eq!(e.unsupported, None, "{malformed}");
        assert!(e.to_string().starts_with("invalid query at line"), "{e}");
    }
}

#[test]
fn sort_names_a_stats_column_by_its_call_and_columns_reuse_earlier_ones() {
    let t = run("filter ispresent(status) | stats count(*) by status | sort count(*) desc");
    assert_eq!(t.rows[0], vec!["200", "2"]);
    let t = run(
        "filter ispresent(latency) | stats max(latency) as hi, min(latency) as lo, hi - lo as spread",
    );
    assert_eq!(t.rows, vec![vec!["900", "5", "895"]]);
    assert!(
        err("stats max(latency) as hi, lo - 1 as x")
            .expected
            .starts_with("an aggregation")
    );
}

#[test]
fn date_rounding_saturates_at_the_ends_of_time() {
    let t = run(
        "limit 1 | fields datefloor(fromMillis(0 - 9223372036854775807 * 10), 5) as lo, dateceil(fromMillis(9223372036854775807 * 10), 5) as hi, toMillis(lo) < 0 as neg",
    );
    assert_eq!(t.rows[0][2], "true");
}

/// The built-in saved queries (plain data in `model`, which does not know
/// the language) are queries this parser takes.
#[test]
fn the_builtin_saved_queries_parse() {
    for q in crate::model::insights::builtin_saved_queries("shop") {
        assert!(InsightsQuery::parse(&q.query).is_ok(), "{}", q.query);
    }
}
