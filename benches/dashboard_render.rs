//! A 50-widget dashboard at 120x35: parsing its body, laying it out, and
//! drawing a full screen of it (and all of it as text) with data for every
//! metric row.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use monitui::config::theme::load_theme;
use monitui::model::dashboard::{Dashboard, DashboardData, LogResult, LogTable};
use monitui::model::{Series, TimeRange};
use monitui::ui::dashboard::{ViewState, layout, palette::Look, render, render_to_text};
use ratatui::{buffer::Buffer, layout::Rect};

fn range() -> TimeRange {
    TimeRange {
        start: "2026-01-16T12:00:00Z".parse().unwrap(),
        end: "2026-01-16T15:00:00Z".parse().unwrap(),
    }
}

/// 50 widgets, 6 columns wide: 30 line charts of 4 metrics (with shorthand,
/// an expression and a threshold), 8 single values, 4 gauges, 4 bars, 2
/// text and 2 log widgets.
fn body() -> String {
    let mut widgets = Vec::new();
    for i in 0..50 {
        let (x, y) = ((i % 4) * 6, (i / 4) * 6);
        let properties = match i % 25 {
            0 => r##"{"title": "Runbook", "markdown": "# On call\n- check **DMS** lag\n- then `Batch`"}"##.to_string(),
            1 => r#"{"title": "Errors", "query": "SOURCE '/aws/lambda/f' | fields @timestamp, @message | limit 20"}"#.to_string(),
            n => {
                let view = match n % 6 {
                    0 => "singleValue",
                    1 => "gauge",
                    2 => "bar",
                    _ => "timeSeries",
                };
                format!(
                    r#"{{"title": "Lambda {i}", "view": "{view}", "stat": "Sum", "period": 300,
                       "annotations": {{"horizontal": [{{"value": 40, "label": "max"}}]}},
                       "yAxis": {{"left": {{"min": 0, "max": 100}}}},
                       "metrics": [
                         ["AWS/Lambda", "Invocations", "FunctionName", "f{i}", {{"id": "inv"}}],
                         [".", "Errors", ".", ".", {{"id": "err", "yAxis": "right"}}],
                         ["...", "g{i}", {{"id": "err2"}}],
                         [{{"expression": "100 * err / inv", "id": "rate", "label": "error rate"}}]
                       ]}}"#
                )
            }
        };
        let kind = match i % 25 {
            0 => "text",
            1 => "log",
            _ => "metric",
        };
        widgets.push(format!(
            r#"{{"type": "{kind}", "x": {x}, "y": {y}, "width": 6, "height": 6, "properties": {properties}}}"#
        ));
    }
    format!("{{\"widgets\": [{}]}}", widgets.join(","))
}

fn data_for(dashboard: &Dashboard) -> DashboardData {
    let mut data = DashboardData::empty(range());
    let series = dashboard
        .metric_queries(range())
        .into_iter()
        .enumerate()
        .map(|(n, q)| {
            let start: Timestamp = range().start;
            Series {
                id: q.id,
                label: String::new(),
                points: (0..36)
                    .map(|i: i64| {
                        let v = ((i * 7 + n as i64 * 3) % 40) as f64 + 5.0;
                        (start + SignedDuration::from_secs(i * 300), v)
                    })
                    .collect(),
                message: None,
            }
        });
    data.add_series(series);
    for w in &dashboard.widgets {
        if w.type_name == "log" {
            let rows = (0..20)
                .map(|i| {
                    vec![
                        format!("2026-01-16 14:{i:02}:00"),
                        format!("ERROR request {i} failed"),
                    ]
                })
                .collect();
            data.logs.insert(
                w.index,
                LogResult::Rows(LogTable {
                    columns: vec!["@timestamp".into(), "@message".into()],
                    rows,
                }),
            );
        }
    }
    data
}

fn dashboard_50_widgets(c: &mut Criterion) {
    let text = body();
    let dashboard = Dashboard::parse(&text).unwrap();
    assert_eq!(dashboard.widgets.len(), 50);
    assert_eq!(dashboard.errors().count(), 0);
    let data = data_for(&dashboard);
    let look = Look::new(&load_theme("default", None).unwrap());
    let area = Rect::new(0, 0, 120, 35);

    c.bench_function("dashboard_parse_50_widgets", |b| {
        b.iter(|| Dashboard::parse(black_box(&text)).unwrap())
    });
    c.bench_function("dashboard_layout_50_widgets_120x35", |b| {
        b.iter(|| layout(black_box(&dashboard), 120, 35))
    });
    c.bench_function("dashboard_draw_screen_120x35", |b| {
        b.iter(|| {
            let mut buf = Buffer::empty(area);
            render(
                area,
                &mut buf,
                &dashboard,
                &data,
                &look,
                ViewState::default(),
            );
            buf
        })
    });
    c.bench_function("dashboard_parse_layout_draw_120x35", |b| {
        b.iter(|| {
            let d = Dashboard::parse(black_box(&text)).unwrap();
            let mut buf = Buffer::empty(area);
            render(area, &mut buf, &d, &data, &look, ViewState::default());
            buf
        })
    });
    c.bench_function("dashboard_all_50_widgets_as_text_120", |b| {
        b.iter(|| render_to_text(&dashboard, &data, &look, (120, 35), true))
    });
}

/// A text widget of a megabyte of nested lists (200 levels on each of
/// 2,500 lines), as anyone who can put a dashboard can write: all of the
/// dashboard as text (`dashboards show --plain`), body parse included.
fn dashboard_hostile_markdown(c: &mut Criterion) {
    let markdown: Vec<String> = (0..2_500)
        .map(|i| format!("{}item {i}", "- ".repeat(200)))
        .collect();
    let body = serde_json::json!({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 24,
        "height": 6, "properties": {"markdown": markdown.join("\n")}}]})
    .to_string();
    let look = Look::new(&load_theme("default", None).unwrap());
    let data = DashboardData::empty(range());
    c.bench_function("dashboard_text_1mb_nested_lists_as_text_120", |b| {
        b.iter(|| {
            let d = Dashboard::parse(black_box(&body)).unwrap();
            render_to_text(&d, &data, &look, (120, 35), true)
        })
    });
}

criterion_group!(benches, dashboard_50_widgets, dashboard_hostile_markdown);
criterion_main!(benches);
