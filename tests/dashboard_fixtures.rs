//! Every dashboard body in `tests/fixtures/third-party/dashboards/` (real bodies
//! written by others) parses with exactly the widget errors expected, and
//! renders without a panic at 120x35 and 80x24 with every widget titled.

mod dashboard_common;
mod support;

use std::path::PathBuf;

use monitui::model::dashboard::Dashboard;
use monitui::sanitize::sanitize_line;
use monitui::ui::dashboard::render_to_text;
use unicode_width::UnicodeWidthStr;

/// Widget errors expected per fixture: none of them is odd enough to be
/// refused (the shorthand, options and widget types all parse).
const EXPECTED_ERRORS: [(&str, usize); 10] = [
    ("alb-ecs-rds-cloudfront-dot-shorthand.json", 0),
    ("dms-replication-instance-tasks.json", 0),
    ("dr2-ingest-logs-insights-alarm.json", 0),
    ("ec2-runner-cwagent-singlevalue-logs.json", 0),
    ("front-door-search-expressions-variables.json", 0),
    ("glue-stepfunctions-medallion-text-markdown.json", 0),
    ("hma-lambda-sqs-apigw-dynamodb-no-xy.json", 0),
    ("lambda-etl-gauge-success-rate.json", 0),
    (
        "lambda-invocations-errors-ellipsis-dimension-override.json",
        0,
    ),
    ("serverless-cost-running-sum-explorer.json", 0),
];

/// The fixtures folder.
fn fixtures_dir() -> PathBuf {
    support::third_party("dashboards")
}

fn load(dir: &std::path::Path, name: &str) -> Dashboard {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    Dashboard::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_is_listed() {
    let dir = fixtures_dir();
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = EXPECTED_ERRORS.iter().map(|(n, _)| *n).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn every_fixture_parses_with_the_expected_widget_errors() {
    let dir = fixtures_dir();
    for (name, expected) in EXPECTED_ERRORS {
        let d = load(&dir, name);
        assert!(!d.widgets.is_empty(), "{name}");
        let errors: Vec<String> = d.errors().map(ToString::to_string).collect();
        assert_eq!(errors.len(), expected, "{name}: {errors:#?}");
        assert!(
            d.settings.errors.is_empty(),
            "{name}: {:?}",
            d.settings.errors
        );
    }
}

#[test]
fn every_fixture_renders_with_every_widget_titled() {
    let dir = fixtures_dir();
    let look = dashboard_common::look();
    for (name, _) in EXPECTED_ERRORS {
        let d = load(&dir, name);
        let data = dashboard_common::synthetic_data(&d);
        for (width, height) in [(120, 35), (80, 24)] {
            let out = render_to_text(&d, &data, &look, (width, height), true);
            assert!(!out.contains('\u{1b}'), "{name} {width}x{height}");
            assert!(
                out.lines().all(|l| l.width() <= usize::from(width)),
                "{name} {width}x{height}: a line is too wide"
            );
            let layout = monitui::ui::dashboard::layout(&d, width, height);
            for rect in &layout.rects {
                let title = sanitize_line(d.widgets[rect.widget].name());
                let room = usize::from(rect.width.saturating_sub(4));
                let shown = monitui::ui::dashboard::bars::fit(&title, room);
                let shown = shown.trim_end();
                assert!(
                    out.contains(&format!(" {shown} ")),
                    "{name} {width}x{height}: title {title:?} (shown as {shown:?}) missing"
                );
                if width == 80 {
                    assert_eq!(
                        shown,
                        title.trim_end(),
                        "{name}: stacked widgets show whole titles"
                    );
                }
            }
        }
    }
}

#[test]
fn the_trickiest_shorthand_resolves_as_the_console_does() {
    let dir = fixtures_dir();
    let d = load(
        &dir,
        "lambda-invocations-errors-ellipsis-dimension-override.json",
    );
    let q = d.metric_queries(dashboard_common::range());
    let shown: Vec<String> = q
        .iter()
        .take(2)
        .map(|q| match &q.source {
            monitui::model::QuerySource::Metric { metric, .. } => metric.display_name(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "AWS/Lambda Invocations FunctionName=home_monitoring_auth Resource=home_monitoring_auth",
            "AWS/Lambda Invocations FunctionName=home_monitoring_scraper_flume Resource=home_monitoring_scraper_flume",
        ]
    );
}

/// Every box whose top-left corner is at `(x, y)` of `buf` is closed: a
/// `│` column down to `└`, a `─` row across to `┘`, and a `│` column up
/// from it to the `┐` on the top row. Returns the corners of open boxes.
fn open_boxes(buf: &ratatui::buffer::Buffer) -> Vec<(u16, u16)> {
    let at = |x: u16, y: u16| buf.cell((x, y)).map_or("", |c| c.symbol());
    let (w, h) = (buf.area.width, buf.area.height);
    let mut open = Vec::new();
    for y in 0..h {
        for x in 0..w {
            if at(x, y) != "┌" {
                continue;
            }
            let mut bottom = y + 1;
            while bottom < h && at(x, bottom) == "│" {
                bottom += 1;
            }
            let mut right = x + 1;
            while right < w && bottom < h && at(right, bottom) == "─" {
                right += 1;
            }
            let mut top = bottom.saturating_sub(1);
            while top > y && right < w && at(right, top) == "│" {
                top -= 1;
            }
            let closed = bottom < h
                && at(x, bottom) == "└"
                && right < w
                && at(right, bottom) == "┘"
                && top == y
                && at(right, y) == "┐";
            if !closed {
                open.push((x, y));
            }
        }
    }
    open
}

/// The usual section header: a `"height": 1` text widget above a row of
/// charts, as the console's "Add text" builds it.
const SECTION_HEADER: &str = r####"{"widgets": [
    {"type": "text", "x": 0, "y": 0, "width": 24, "height": 1,
     "properties": {"markdown": "## Lambda"}},
    {"type": "metric", "x": 0, "y": 1, "width": 12, "height": 6, "properties": {
     "title": "Invocations", "region": "us-east-1",
     "metrics": [["AWS/Lambda", "Invocations"]]}},
    {"type": "text", "x": 12, "y": 1, "width": 12, "height": 1,
     "properties": {"markdown": "### right"}},
    {"type": "text", "x": 12, "y": 2, "width": 12, "height": 2,
     "properties": {"markdown": "notes"}}
]}"####;

#[test]
fn every_box_is_closed_at_every_width() {
    let dir = fixtures_dir();
    let look = dashboard_common::look();
    let bodies = EXPECTED_ERRORS
        .iter()
        .map(|(name, _)| (*name, load(&dir, name)))
        .chain([("section header", Dashboard::parse(SECTION_HEADER).unwrap())]);
    for (name, d) in bodies {
        let data = dashboard_common::synthetic_data(&d);
        for size in [(80, 24), (120, 35), (120, 20), (160, 40), (200, 50)] {
            let buf = monitui::ui::dashboard::text_output::render_to_buffer(&d, &data, &look, size);
            let open = open_boxes(&buf);
            assert!(
                open.is_empty(),
                "{name} {size:?}: boxes open at {open:?}\n{}",
                monitui::ui::dashboard::text_output::plain_text(&buf)
            );
        }
    }
}
