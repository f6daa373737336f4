//! Snapshots of each dashboard widget type at two sizes (a 12-column
//! widget at 120x35, stacked full width at 80x24) with synthetic data, and
//! a sweep of sizes from 1x1 to 300x100 that must never panic.

mod dashboard_common;

use jiff::Timestamp;
use monitui::model::dashboard::{Dashboard, DashboardData, LogResult, LogTable};
use monitui::model::{Alarm, AlarmKind, AlarmState};
use monitui::ui::dashboard::{ViewState, render, render_to_text};
use ratatui::{buffer::Buffer, layout::Rect};

fn one_widget(widget: &str) -> Dashboard {
    Dashboard::parse(&format!("{{\"widgets\": [{widget}]}}")).unwrap()
}

fn metric(view: &str, extra: &str) -> Dashboard {
    one_widget(&format!(
        r#"{{"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {{
            "title": "Lambda {view}", "view": "{view}", "stat": "Sum", {extra}
            "metrics": [
                ["AWS/Lambda", "Invocations", "FunctionName", "auth"],
                [".", "Errors", ".", ".", {{"label": "errors", "yAxis": "right"}}],
                ["...", "checkout", {{"label": "checkout errors"}}]
            ]}}}}"#
    ))
}

fn alarm(name: &str, state: AlarmState, at: &str) -> Alarm {
    Alarm {
        name: name.into(),
        arn: format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"),
        description: None,
        state,
        reason: "test".into(),
        reason_data: None,
        updated_at: at.parse::<Timestamp>().unwrap(),
        transitioned_at: at.parse::<Timestamp>().unwrap(),
        kind: AlarmKind::Composite {
            rule: "ALARM(x)".into(),
        },
        actions_enabled: true,
        alarm_actions: vec![],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
    }
}

/// Renders at 120x35 and 80x24 (plain) and snapshots both.
fn snapshot_both(name: &str, dashboard: &Dashboard, data: &DashboardData) {
    let look = dashboard_common::look();
    for (w, h) in [(120u16, 35u16), (80, 24)] {
        let text = render_to_text(dashboard, data, &look, (w, h), true);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn time_series_with_right_axis_threshold_and_legend() {
    let d = metric(
        "timeSeries",
        r#""annotations": {"horizontal": [{"label": "max", "value": 60}]},"#,
    );
    let data = dashboard_common::synthetic_data(&d);
    let text = render_to_text(&d, &data, &dashboard_common::look(), (120, 35), true);
    assert!(text.contains("● Invocations auth") && text.contains("■ errors"));
    snapshot_both("time_series", &d, &data);
}

#[test]
fn stacked_time_series() {
    let d = metric(
        "timeSeries",
        r#""stacked": true, "legend": {"position": "right"},"#,
    );
    snapshot_both("stacked", &d, &dashboard_common::synthetic_data(&d));
}

#[test]
fn single_value_with_sparkline() {
    let d = metric("singleValue", r#""sparkline": true,"#);
    let data = dashboard_common::synthetic_data(&d);
    let text = render_to_text(&d, &data, &dashboard_common::look(), (120, 35), true);
    assert!(text.contains("errors"), "{text}");
    snapshot_both("single_value", &d, &data);
}

#[test]
fn gauge() {
    let d = metric("gauge", r#""yAxis": {"left": {"min": 0, "max": 100}},"#);
    snapshot_both("gauge", &d, &dashboard_common::synthetic_data(&d));
}

#[test]
fn bar_and_pie() {
    let d = metric("bar", "");
    snapshot_both("bar", &d, &dashboard_common::synthetic_data(&d));
    let d = metric("pie", "");
    let data = dashboard_common::synthetic_data(&d);
    let text = render_to_text(&d, &data, &dashboard_common::look(), (120, 35), true);
    assert!(text.contains('%'), "pie shows shares: {text}");
    snapshot_both("pie", &d, &data);
}

#[test]
fn metric_without_data_says_so() {
    let d = metric("timeSeries", "");
    let data = DashboardData::empty(dashboard_common::range());
    let text = render_to_text(&d, &data, &dashboard_common::look(), (120, 35), true);
    assert!(text.contains("no data"));
}

#[test]
fn alarm_widget_lists_states() {
    let d = one_widget(
        r#"{"type": "alarm", "x": 0, "y": 0, "width": 12, "height": 4, "properties": {
            "title": "Alarms", "sortBy": "stateUpdatedTimestamp", "alarms": [
              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx",
              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:dms-lag",
              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:gone"]}}"#,
    );
    let mut data = DashboardData::empty(dashboard_common::range());
    data.alarms = vec![
        alarm("api-5xx", AlarmState::Alarm, "2026-01-16T14:50:00Z"),
        alarm("dms-lag", AlarmState::Ok, "2026-01-16T10:00:00Z"),
    ];
    snapshot_both("alarm", &d, &data);
}

#[test]
fn text_widget_markdown() {
    let d = one_widget(
        r##"{"type": "text", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {
            "markdown": "# Runbook\nCheck **DMS** lag and `CDCLatencySource`.\n\n- restart the task\n- page [on-call](https://example.com/oncall)\n\n| step | who |\n|---|---|\n| 1 | dba |"}}"##,
    );
    snapshot_both("text", &d, &DashboardData::empty(dashboard_common::range()));
}

#[test]
fn log_widget_table_and_pending() {
    let d = one_widget(
        r#"{"type": "log", "x": 0, "y": 0, "width": 12, "height": 5, "properties": {
            "title": "Errors", "query": "SOURCE '/aws/lambda/auth' | fields @timestamp, @message | limit 5"}}"#,
    );
    let mut data = DashboardData::empty(dashboard_common::range());
    let look = dashboard_common::look();
    let pending = render_to_text(&d, &data, &look, (120, 35), true);
    assert!(pending.contains("query not run: /aws/lambda/auth"));
    data.logs.insert(0, LogResult::Pending);
    assert!(render_to_text(&d, &data, &look, (120, 35), true).contains("query pending"));
    data.logs.insert(
        0,
        LogResult::Rows(LogTable {
            columns: vec!["@timestamp".into(), "@message".into()],
            rows: vec![
                vec![
                    "2026-01-16 14:41:02".into(),
                    "ERROR token expired \u{1b}[31mred".into(),
                ],
                vec![
                    "2026-01-16 14:40:55".into(),
                    "ERROR upstream timeout".into(),
                ],
            ],
        }),
    );
    let text = render_to_text(&d, &data, &look, (120, 35), true);
    assert!(
        text.contains("ERROR token expired red"),
        "sanitised: {text}"
    );
    snapshot_both("log", &d, &data);
}

#[test]
fn unsupported_and_broken_widgets_in_place() {
    let d = Dashboard::parse(
        r#"{"widgets": [
            {"type": "explorer", "x": 0, "y": 0, "width": 12, "height": 4, "properties": {"title": "Explorer"}},
            {"type": "metric", "x": 12, "y": 0, "width": 12, "height": 4,
             "properties": {"title": "Broken", "metrics": [["N", "M", "Dim"]]}}
        ]}"#,
    )
    .unwrap();
    let data = DashboardData::empty(dashboard_common::range());
    let text = render_to_text(&d, &data, &dashboard_common::look(), (120, 35), true);
    assert!(text.contains("\"explorer\" widgets are not drawn"));
    assert!(text.contains("dimension \"Dim\" has no value"));
    snapshot_both("unsupported_and_error", &d, &data);
}

#[test]
fn fetch_failures_show_in_place() {
    let d = metric("timeSeries", "");
    let mut data = DashboardData::empty(dashboard_common::range());
    data.failures.insert(0, "metrics: throttled".into());
    let text = render_to_text(&d, &data, &dashboard_common::look(), (80, 24), true);
    assert!(text.contains("⚠ metrics: throttled"));
}

#[test]
fn never_panics_at_any_size_or_scroll() {
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dashboards/api-performance.json"
    ))
    .unwrap();
    let d = Dashboard::parse(&body).unwrap();
    let data = dashboard_common::synthetic_data(&d);
    let look = dashboard_common::look();
    let sizes = [
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (7, 4),
        (12, 6),
        (24, 10),
        (40, 12),
        (80, 24),
        (99, 30),
        (100, 30),
        (120, 35),
        (200, 60),
        (300, 100),
    ];
    for (w, h) in sizes {
        for scroll in [0, 1, 7, 1000] {
            let area = Rect::new(0, 0, w, h);
            let mut buf = Buffer::empty(area);
            render(
                area,
                &mut buf,
                &d,
                &data,
                &look,
                ViewState {
                    scroll,
                    selected: Some(1),
                },
            );
        }
        let text = render_to_text(&d, &data, &look, (w, h), false);
        assert!(!text.is_empty(), "{w}x{h}");
    }
}

#[test]
fn dynamic_labels_are_evaluated_unless_the_service_did() {
    let body = r#"{"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 24, "height": 6,
        "properties": {"title": "labels", "region": "eu-west-1", "stat": "Sum", "period": 300,
        "metrics": [
            ["AWS/Lambda", "Errors", "FunctionName", "auth",
             {"label": "${PROP('Dim.FunctionName')} ${PROP('MetricName')} ${PROP('Stat')}/${PROP('Period')} ${PROP('Region')} n=${DATAPOINT_COUNT}"}],
            ["...", "checkout", {"label": "${LABEL} max ${MAX}"}]
        ]}}]}"#;
    let labelled = Dashboard::parse(body).unwrap();
    let mut data = dashboard_common::synthetic_data(&labelled);
    let look = dashboard_common::look();
    let text = render_to_text(&labelled, &data, &look, (120, 35), true);
    assert!(!text.contains("${"), "{text}");
    assert!(
        text.contains("auth Errors Sum/300 eu-west-1 n=36"),
        "{text}"
    );
    assert!(text.contains("Errors checkout max "), "{text}");
    // A real account's GetMetricData answers with the label evaluated: it
    // is drawn as the service wrote it.
    for series in data.series.values_mut().flatten() {
        series.label = format!("service {}", series.id);
    }
    let text = render_to_text(&labelled, &data, &look, (120, 35), true);
    assert!(text.contains("service w0_"), "{text}");
}

#[test]
fn table_view_draws_a_row_per_line_with_periods_and_summaries() {
    let d = metric("table", "");
    assert!(
        d.errors().next().is_none(),
        "{:?}",
        d.errors().collect::<Vec<_>>()
    );
    let data = dashboard_common::synthetic_data(&d);
    let look = dashboard_common::look();
    let text = render_to_text(&d, &data, &look, (120, 35), true);
    let header = text
        .lines()
        .find(|l| l.contains("MIN"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        header.contains("MAX") && header.contains("SUM") && header.contains("AVG"),
        "{header}"
    );
    assert!(header.contains(":"), "period columns: {header}");
    let errors_row = text.lines().find(|l| l.contains("│errors")).unwrap();
    assert!(errors_row.split_whitespace().count() > 5, "{errors_row}");
    snapshot_both("table", &d, &data);

    let summaries_only = metric(
        "table",
        r#""table": {"summaryColumns": ["MAX", "AVG"], "showTimeSeriesData": false},"#,
    );
    let text = render_to_text(&summaries_only, &data, &look, (120, 35), true);
    let header = text.lines().find(|l| l.contains("MAX")).unwrap();
    assert!(!header.contains("MIN") && !header.contains(':'), "{header}");
    let words: Vec<&str> = header
        .trim_matches(|c| c == '│' || c == ' ')
        .split_whitespace()
        .collect();
    assert_eq!(words, ["MAX", "AVG"]);
}

/// The demo account serves one Contributor Insights rule (its API's
/// requests by route and status, counted from its access logs): a widget
/// naming it draws the top contributors as bars, largest first, while the
/// opening incident's 502s on the analytics routes are among them; an
/// unknown rule is said in place.
#[tokio::test]
async fn contributor_insights_widget_from_the_demo_rule() {
    use std::sync::Arc;

    use monitui::data::dashboard_data::fetch_once;
    use monitui::model::dashboard::RangeChoice;
    use monitui::model::{Clock, ManualClock};
    use monitui::provider::{Account, sim::SimProvider};

    let now: Timestamp = "2026-01-16T14:43:30Z".parse().unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let reads = Account::of(Arc::new(SimProvider::new(
        23,
        clock,
        "ecommerce-ai-platform",
    )))
    .reads;
    let d = Arc::new(one_widget(
        r#"{"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": {
            "title": "Top API routes", "period": 300, "region": "us-east-1",
            "insightRule": {"maxContributorCount": 8, "orderBy": "Sum",
                            "ruleName": "ecommerce-ai-platform-api-top-routes"}}}"#,
    ));
    let data = fetch_once(
        &d,
        &reads,
        RangeChoice::Last(std::time::Duration::from_secs(3600)),
        now,
    )
    .await;
    let report = data.contributors[&0].as_ref().expect("the demo's rule");
    assert_eq!(report.contributors.len(), 8);
    assert!(
        report
            .contributors
            .windows(2)
            .all(|w| w[0].value >= w[1].value)
    );
    assert!(
        report.contributors.iter().any(|c| c.keys[1] == "502"),
        "the opening burst's 502s: {report:?}"
    );
    snapshot_both("contributors", &d, &data);

    let unknown = Arc::new(one_widget(
        r#"{"type": "metric", "properties": {"insightRule": {"ruleName": "nope"}}}"#,
    ));
    let data = fetch_once(&unknown, &reads, RangeChoice::Body, now).await;
    let text = render_to_text(&unknown, &data, &dashboard_common::look(), (80, 24), true);
    assert!(text.contains("not found: insight rule nope"), "{text}");
}
