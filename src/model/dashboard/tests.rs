//! Parser tests: every shorthand and option rule, widget-level errors,
//! whole-body errors, settings and the query batch.

use serde_json::json;

use super::*;
use crate::model::{Dimension, MetricRef, QuerySource, TimeRange};

fn body(widgets: serde_json::Value) -> Dashboard {
    Dashboard::parse(&json!({ "widgets": widgets }).to_string()).expect("a dashboard body")
}

fn metric_widget(rows: serde_json::Value) -> MetricWidget {
    let d = body(json!([{ "type": "metric", "properties": { "metrics": rows } }]));
    match &d.widgets[0].content {
        Ok(WidgetContent::Metric(m)) => m.clone(),
        other => panic!("not a metric widget: {other:?}"),
    }
}

fn rows_error(rows: serde_json::Value) -> WidgetError {
    let d = body(json!([{ "type": "metric", "properties": { "title": "T", "metrics": rows } }]));
    d.widgets[0].content.clone().expect_err("a widget error")
}

fn metrics(m: &MetricWidget) -> Vec<MetricRef> {
    m.rows
        .iter()
        .filter_map(|r| match r {
            MetricRow::Metric { metric, .. } => Some(metric.clone()),
            MetricRow::Expression { .. } => None,
        })
        .collect()
}

fn m(ns: &str, name: &str, dims: &[(&str, &str)]) -> MetricRef {
    MetricRef::new(
        ns,
        name,
        dims.iter().map(|(k, v)| Dimension::new(*k, *v)).collect(),
    )
}

#[test]
fn a_full_row_is_namespace_name_and_dimension_pairs() {
    let w = metric_widget(json!([["AWS/Lambda", "Errors", "FunctionName", "auth"]]));
    assert_eq!(
        metrics(&w),
        [m("AWS/Lambda", "Errors", &[("FunctionName", "auth")])]
    );
}

#[test]
fn dot_copies_the_previous_rows_value_at_the_same_position() {
    let w = metric_widget(json!([
        ["AWS/ApiGateway", "4xx", "Stage", "$default", "ApiId", "a1"],
        [".", "5xx", ".", ".", ".", "."],
    ]));
    assert_eq!(
        metrics(&w)[1],
        m(
            "AWS/ApiGateway",
            "5xx",
            &[("Stage", "$default"), ("ApiId", "a1")]
        )
    );
}

#[test]
fn dot_then_new_dimensions_and_later_dropped_ones() {
    let w = metric_widget(json!([
        ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", "t"],
        [".", "ConsumedReadCapacityUnits", ".", ".", "GlobalSecondaryIndexName", "GSI-2", {"yAxis": "right"}],
        [".", "ConsumedWriteCapacityUnits", ".", ".", ".", "."],
        [".", "ConsumedReadCapacityUnits", ".", ".", ".", "GSI-1"],
        [".", "TransactionConflict", ".", "."],
    ]));
    let got = metrics(&w);
    let gsi = |name: &str, idx: &str| {
        m(
            "AWS/DynamoDB",
            name,
            &[("TableName", "t"), ("GlobalSecondaryIndexName", idx)],
        )
    };
    assert_eq!(got[1], gsi("ConsumedReadCapacityUnits", "GSI-2"));
    assert_eq!(got[2], gsi("ConsumedWriteCapacityUnits", "GSI-2"));
    assert_eq!(got[3], gsi("ConsumedReadCapacityUnits", "GSI-1"));
    assert_eq!(
        got[4],
        m("AWS/DynamoDB", "TransactionConflict", &[("TableName", "t")])
    );
    assert_eq!(w.rows[1].options().y_axis, AxisSide::Right);
}

#[test]
fn dot_namespace_with_entirely_new_dimensions() {
    let w = metric_widget(json!([
        ["AWS/DMS", "SwapUsage", "ReplicationInstanceIdentifier", "a-rep"],
        [".", "FreeableMemory", "InstanceClass", "db.t3.micro", {"visible": false}],
    ]));
    assert_eq!(
        metrics(&w)[1],
        m(
            "AWS/DMS",
            "FreeableMemory",
            &[("InstanceClass", "db.t3.micro")]
        )
    );
    assert!(!w.rows[1].options().visible);
}

#[test]
fn ellipsis_alone_repeats_the_whole_previous_row_with_new_options() {
    let w = metric_widget(json!([
        ["AWS/Lambda", "Duration", "FunctionName", "f", {"label": "p90", "stat": "p90"}],
        ["...", {"label": "Av", "stat": "Average"}],
    ]));
    let got = metrics(&w);
    assert_eq!(got[0], got[1]);
    assert_eq!(w.rows[1].options().label.as_deref(), Some("Av"));
    assert_eq!(w.rows[1].options().stat.as_deref(), Some("Average"));
}

#[test]
fn ellipsis_followed_by_values_replaces_the_trailing_ones() {
    let w = metric_widget(json!([
        [
            "AWS/Lambda",
            "Invocations",
            "FunctionName",
            "auth",
            "Resource",
            "auth"
        ],
        ["...", "flume", ".", "flume"],
        ["...", "enphase", ".", "enphase"],
    ]));
    let got = metrics(&w);
    let f = |name: &str| {
        m(
            "AWS/Lambda",
            "Invocations",
            &[("FunctionName", name), ("Resource", name)],
        )
    };
    assert_eq!(got, [f("auth"), f("flume"), f("enphase")]);
}

#[test]
fn ellipsis_with_one_value_after_two_dimension_pairs() {
    let w = metric_widget(json!([
        ["AWS/Lambda", "Duration", "FunctionName", "a", "Resource", "a", {"id": "m1"}],
        [".", ".", ".", "x", {"id": "m2"}],
        ["...", "y", {"id": "m3"}],
    ]));
    let got = metrics(&w);
    assert_eq!(
        got[1],
        m("AWS/Lambda", "Duration", &[("FunctionName", "x")])
    );
    assert_eq!(
        got[2],
        m("AWS/Lambda", "Duration", &[("FunctionName", "y")]),
        "\"...\" aligns with the previous row as resolved, which had one pair"
    );
}

#[test]
fn shorthand_skips_expression_rows() {
    let w = metric_widget(json!([
        ["AWS/Lambda", "Errors", "FunctionName", "f", {"id": "errors", "visible": false}],
        [{"expression": "errors * 2", "id": "e1"}],
        [".", "Invocations", ".", "."],
    ]));
    assert_eq!(
        metrics(&w)[1],
        m("AWS/Lambda", "Invocations", &[("FunctionName", "f")])
    );
}

#[test]
fn rows_without_dimensions_and_options_only() {
    let w = metric_widget(json!([
        ["AWS/DMS", "CPUUtilization"],
        ["AWS/Glue", "glue.driver.aggregate.numCompletedTasks", {"label": "done", "id": "bronze"}],
    ]));
    assert_eq!(metrics(&w)[0], m("AWS/DMS", "CPUUtilization", &[]));
    assert_eq!(w.rows[1].options().id.as_deref(), Some("bronze"));
}

#[test]
fn every_row_option_is_read() {
    let w = metric_widget(json!([[
        "N", "M", {
            "label": "L", "color": "#ff0000", "stat": "p99", "period": 60, "yAxis": "right",
            "visible": false, "id": "abc_1", "region": "eu-west-1", "accountId": "123456789012"
        }
    ]]));
    let o = w.rows[0].options();
    assert_eq!(o.label.as_deref(), Some("L"));
    assert_eq!(o.color.as_deref(), Some("#ff0000"));
    assert_eq!(o.stat.as_deref(), Some("p99"));
    assert_eq!(o.period_secs, Some(60));
    assert_eq!(o.y_axis, AxisSide::Right);
    assert!(!o.visible);
    assert_eq!(o.id.as_deref(), Some("abc_1"));
    assert_eq!(o.region.as_deref(), Some("eu-west-1"));
    assert_eq!(o.account_id.as_deref(), Some("123456789012"));
}

#[test]
fn expression_rows_keep_their_text_and_options() {
    let w = metric_widget(json!([
        [{"expression": "SEARCH('{AWS/Lambda,FunctionName} MetricName=\"Errors\"', 'Sum', 60)",
          "id": "s", "label": "errors", "yAxis": "right"}],
    ]));
    match &w.rows[0] {
        MetricRow::Expression {
            expression,
            options,
        } => {
            assert!(expression.starts_with("SEARCH("));
            assert_eq!(options.y_axis, AxisSide::Right);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn widget_defaults_are_the_consoles() {
    let w = metric_widget(json!([["N", "M"]]));
    assert_eq!(w.period_secs, 300);
    assert_eq!(w.stat, "Average");
    assert_eq!(w.view, MetricView::TimeSeries);
    assert!(!w.stacked && !w.sparkline && !w.set_period_to_time_range && !w.live_data);
    assert_eq!(w.legend, LegendPosition::Bottom);
    assert!(w.y_axis.left.show_units && w.y_axis.left.min.is_none());
}

#[test]
fn widget_properties_are_read() {
    let d = body(json!([{ "type": "metric", "properties": {
        "metrics": [["N", "M"]], "view": "singleValue", "stacked": true, "sparkline": true,
        "region": "us-west-2", "stat": "Sum", "period": 60, "setPeriodToTimeRange": true,
        "liveData": true, "legend": {"position": "hidden"},
        "yAxis": {"left": {"min": 0, "max": 100, "label": "%"}, "right": {"showUnits": false}},
    }}]));
    let Ok(WidgetContent::Metric(w)) = &d.widgets[0].content else {
        panic!("{:?}", d.widgets[0].content)
    };
    assert_eq!(w.view, MetricView::SingleValue);
    assert!(w.stacked && w.sparkline && w.set_period_to_time_range && w.live_data);
    assert_eq!(w.region.as_deref(), Some("us-west-2"));
    assert_eq!((w.stat.as_str(), w.period_secs), ("Sum", 60));
    assert_eq!(w.legend, LegendPosition::Hidden);
    assert_eq!(
        (w.y_axis.left.min, w.y_axis.left.max),
        (Some(0.0), Some(100.0))
    );
    assert_eq!(w.y_axis.left.label.as_deref(), Some("%"));
    assert!(!w.y_axis.right.show_units);
}

#[test]
fn annotations_lines_bands_and_vertical() {
    let d = body(json!([{ "type": "metric", "properties": {
        "metrics": [["N", "M"]],
        "annotations": {
            "horizontal": [
                {"label": "max", "value": 300, "color": "#ff0000", "fill": "above"},
                [{"value": 10, "label": "band"}, {"value": 20}],
                {"value": 5, "yAxis": "right", "visible": false}
            ],
            "vertical": [
                {"value": "2026-01-16T14:00:00Z", "label": "deploy", "fill": "after"},
                [{"value": "2026-01-16T13:00:00Z"}, {"value": "2026-01-16T13:30:00Z"}]
            ],
            "alarms": ["arn:aws:cloudwatch:us-east-1:1:alarm:a"]
        }
    }}]));
    let Ok(WidgetContent::Metric(w)) = &d.widgets[0].content else {
        panic!()
    };
    let h = &w.annotations.horizontal;
    assert_eq!((h[0].value, h[0].look.fill), (300.0, Some(Fill::Above)));
    assert_eq!((h[1].value, h[1].to), (10.0, Some(20.0)));
    assert_eq!(h[2].y_axis, AxisSide::Right);
    assert!(!h[2].look.visible);
    let v = &w.annotations.vertical;
    assert_eq!(v[0].look.label.as_deref(), Some("deploy"));
    assert_eq!(v[0].look.fill, Some(Fill::After));
    assert!(v[1].to.is_some());
    assert_eq!(w.annotations.alarms.len(), 1);
}

#[test]
fn shorthand_errors_name_the_row_and_what_was_wrong() {
    let e = rows_error(json!([[".", "M"]]));
    assert_eq!(
        e.to_string(),
        "widget 0 \"T\" at x=0, y=0: metrics row 1: \".\" needs a previous metric row to copy from"
    );
    let e = rows_error(json!([
        ["N", "M", "D", "v"],
        ["...", "a", "b", "c", "d", "e"]
    ]));
    assert!(
        matches!(
            e.problem,
            WidgetProblem::Row {
                row: 2,
                problem: RowProblem::EllipsisTooLong {
                    given: 5,
                    previous: 4
                }
            }
        ),
        "{e}"
    );
    let e = rows_error(json!([["N", "M"], ["N", "..."]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::EllipsisNotFirst { position: 2 },
            ..
        }
    ));
    let e = rows_error(json!([["N", "M"], [".", ".", "D", "."]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::DotPastPrevious {
                position: 4,
                previous: 2
            },
            ..
        }
    ));
    let e = rows_error(json!([["N", "M", "FunctionName"]]));
    assert!(
        e.to_string()
            .contains("dimension \"FunctionName\" has no value"),
        "{e}"
    );
    let e = rows_error(json!([["OnlyNamespace"]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::TooShort { found: 1 },
            ..
        }
    ));
    let e = rows_error(json!([["N", 5]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::NotString {
                position: 2,
                found: "a number"
            },
            ..
        }
    ));
    let e = rows_error(json!(["N"]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::NotArray { .. },
            ..
        }
    ));
    let e = rows_error(json!([[{"label": "x"}]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::Empty,
            ..
        }
    ));
    let e = rows_error(json!([["N", "M", {"expression": "m1"}]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::MetricAndExpression,
            ..
        }
    ));
}

#[test]
fn option_errors_name_the_option() {
    let e = rows_error(json!([["N", "M", {"period": 7}]]));
    assert!(
        e.to_string()
            .contains("\"period\" = 7: a period is 1, 5, 10, 30 or a multiple of 60"),
        "{e}"
    );
    let e = rows_error(json!([["N", "M", {"yAxis": "middle"}]]));
    assert!(e.to_string().contains("expected one of left, right"), "{e}");
    let e = rows_error(json!([["N", "M", {"visible": "no"}]]));
    assert!(
        e.to_string()
            .contains("\"visible\" is a string, expected true or false"),
        "{e}"
    );
    let e = rows_error(json!([["N", "M", {"id": "M1"}]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            problem: RowProblem::BadId { .. },
            ..
        }
    ));
    let e = rows_error(json!([["N", "M", {"id": "a"}], ["N", "X", {"id": "a"}]]));
    assert!(matches!(
        e.problem,
        WidgetProblem::Row {
            row: 2,
            problem: RowProblem::DuplicateId { .. }
        }
    ));
}

#[test]
fn a_bad_widget_never_stops_the_rest() {
    let d = body(json!([
        { "type": "metric", "x": 0, "y": 0, "width": 12, "height": 6,
          "properties": { "title": "broken", "metrics": [[".", "M"]] } },
        { "type": "text", "x": 12, "y": 0, "width": 12, "height": 6, "properties": { "markdown": "# hi" } },
        "not a widget",
        { "x": 0, "y": 6, "properties": { "title": "no type" } },
        { "type": "metric", "width": "wide", "properties": { "metrics": [] } },
        { "type": "explorer", "properties": { "title": "Lambda" } },
        { "type": "custom", "properties": { "endpoint": "arn:aws:lambda:..." } },
        { "type": "alarm", "properties": { "title": "alarms" } },
    ]));
    assert_eq!(d.widgets.len(), 8);
    let errors: Vec<String> = d.errors().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(errors[0].starts_with("widget 0 \"broken\" at x=0, y=0: metrics row 1"));
    assert_eq!(
        errors[1],
        "widget 2 \"?\" at x=6, y=6: the widget is a string, not an object"
    );
    assert!(errors[2].contains("\"no type\"") && errors[2].contains("no \"type\""));
    assert!(
        errors[3].contains("\"width\" is a string, expected a number"),
        "{}",
        errors[3]
    );
    assert!(errors[4].contains("\"alarms\"") && errors[4].contains("no \"properties.alarms\""));
    assert!(matches!(d.widgets[1].content, Ok(WidgetContent::Text(_))));
    assert_eq!(
        d.widgets[5].content,
        Ok(WidgetContent::Unsupported {
            type_name: "explorer".into()
        })
    );
    assert_eq!(d.widgets[6].name(), "custom");
}

#[test]
fn whole_body_errors_say_why() {
    let e = Dashboard::parse("{\"widgets\": [").unwrap_err();
    assert!(matches!(e, BodyError::NotJson { line: 1, .. }), "{e}");
    assert_eq!(
        Dashboard::parse("[1]").unwrap_err().to_string(),
        "the body is an array, not a JSON object with a \"widgets\" array"
    );
    assert_eq!(Dashboard::parse("{}").unwrap_err(), BodyError::NoWidgets);
    assert_eq!(
        Dashboard::parse("{\"widgets\": {}}")
            .unwrap_err()
            .to_string(),
        "\"widgets\" is an object, not an array"
    );
    assert!(
        Dashboard::parse("{\"widgets\": []}")
            .unwrap()
            .widgets
            .is_empty()
    );
}

#[test]
fn text_alarm_and_log_widgets() {
    let d = body(json!([
        { "type": "text", "properties": { "markdown": "# Title\nbody" } },
        { "type": "alarm", "properties": { "title": "A", "alarms": ["arn:aws:cloudwatch:r:1:alarm:x"],
          "sortBy": "stateUpdatedTimestamp", "states": ["ALARM"] } },
        { "type": "log", "properties": { "query": "SOURCE '/aws/batch/job' | fields @message | limit 5",
          "region": "us-east-1", "view": "bar", "title": "L" } },
    ]));
    let Ok(WidgetContent::Text(t)) = &d.widgets[0].content else {
        panic!()
    };
    assert_eq!(t.markdown, "# Title\nbody");
    let Ok(WidgetContent::Alarm(a)) = &d.widgets[1].content else {
        panic!()
    };
    assert_eq!(a.states, [crate::model::AlarmState::Alarm]);
    assert_eq!(a.sort_by.as_deref(), Some("stateUpdatedTimestamp"));
    let Ok(WidgetContent::Log(l)) = &d.widgets[2].content else {
        panic!()
    };
    assert_eq!(l.log_groups, ["/aws/batch/job"]);
    assert_eq!(l.query_string, "fields @message | limit 5");
    assert_eq!(
        (l.view, l.region.as_deref()),
        (LogView::Bar, Some("us-east-1"))
    );
    let e = body(json!([{ "type": "log", "properties": { "query": "x", "view": "map" } }]));
    assert!(
        e.errors()
            .next()
            .unwrap()
            .to_string()
            .contains("expected one of table, timeSeries, bar, pie")
    );
}

#[test]
fn log_widgets_keep_their_query_language() {
    use crate::model::insights::QueryLanguage;
    let d = body(json!([
        { "type": "log", "properties": { "query": "SOURCE '/g' | fields @message" } },
        { "type": "log", "properties": { "query": "SELECT * FROM `/g`", "queryLanguage": "SQL" } },
        { "type": "log", "properties": { "query": "SOURCE '/g' | head 5", "queryLanguage": "PPL" } },
        { "type": "log", "properties": { "query": "fields a", "queryLanguage": "KQL" } },
    ]));
    let languages: Vec<_> = d
        .widgets
        .iter()
        .filter_map(|w| match &w.content {
            Ok(WidgetContent::Log(l)) => Some(l.language),
            _ => None,
        })
        .collect();
    assert_eq!(
        languages,
        [
            QueryLanguage::LogsInsights,
            QueryLanguage::Sql,
            QueryLanguage::Ppl
        ]
    );
    let Ok(WidgetContent::Log(sql)) = &d.widgets[1].content else {
        panic!()
    };
    assert_eq!(sql.query_string, "SELECT * FROM `/g`");
    assert!(
        d.errors()
            .next()
            .unwrap()
            .to_string()
            .contains("expected one of CWLI, Logs, SQL, PPL")
    );
}

#[test]
fn widgets_without_position_fill_rows_and_names_fall_back_to_the_type() {
    let d = body(json!([
        { "type": "metric", "width": 6, "properties": { "metrics": [["N", "M"]], "title": "a" } },
        { "type": "metric", "width": 12, "properties": { "metrics": [["N", "M"]] } },
        { "type": "metric", "width": 12, "properties": { "metrics": [["N", "M"]] } },
    ]));
    let at: Vec<(u32, u32, u32)> = d
        .widgets
        .iter()
        .map(|w| (w.rect.x, w.rect.y, w.rect.height))
        .collect();
    assert_eq!(at, [(0, 0, 6), (6, 0, 6), (0, 6, 6)]);
    assert_eq!(d.widgets[0].name(), "a");
    assert_eq!(d.widgets[1].name(), "metric");
}

#[test]
fn settings_are_kept_and_bad_ones_reported() {
    let d = Dashboard::parse(&json!({
        "widgets": [], "start": "-PT3H", "end": "2026-01-16T15:00:00Z", "periodOverride": "inherit",
        "variables": [{"type": "property", "property": "region", "id": "region", "defaultValue": "us-east-1"}]
    }).to_string()).unwrap();
    let s = &d.settings;
    assert_eq!(
        s.start,
        Some(TimeSpec::Relative(jiff::SignedDuration::from_hours(-3)))
    );
    assert!(matches!(s.end, Some(TimeSpec::Absolute(_))));
    assert_eq!(s.period_override, Some(PeriodOverride::Inherit));
    assert_eq!(
        s.variables[0].kind,
        crate::model::dashboard::VariableKind::Property("region".into())
    );
    assert!(s.errors.is_empty());
    let now: jiff::Timestamp = "2026-01-16T16:00:00Z".parse().unwrap();
    let r = s.time_range(now, std::time::Duration::from_secs(3600));
    assert_eq!(r.end.to_string(), "2026-01-16T15:00:00Z");
    assert_eq!(r.start.to_string(), "2026-01-16T13:00:00Z");

    let d = Dashboard::parse(
        &json!({"widgets": [], "start": "yesterday", "periodOverride": 5}).to_string(),
    )
    .unwrap();
    assert_eq!(d.settings.errors.len(), 2);
    assert!(
        d.settings.errors[0]
            .to_string()
            .contains("\"start\" = \"yesterday\"")
    );
    let r = d
        .settings
        .time_range(now, std::time::Duration::from_secs(3600));
    assert_eq!(
        r.start.to_string(),
        "2026-01-16T15:00:00Z",
        "falls back to the last hour"
    );
    assert_eq!(
        TimeSpec::parse("-P7D"),
        Some(TimeSpec::Relative(jiff::SignedDuration::from_hours(-168)))
    );
}

#[test]
fn queries_get_batch_unique_ids_and_inherit_widget_defaults() {
    let d = body(json!([
        { "type": "metric", "properties": { "stat": "Sum", "period": 60, "region": "eu-west-2", "metrics": [
            ["AWS/Lambda", "Errors", "FunctionName", "f", {"id": "errors", "visible": false}],
            [".", "Invocations", ".", ".", {"id": "invocations", "visible": false, "stat": "Maximum"}],
            [{"expression": "100 - 100 * errors / MAX([errors, invocations])", "id": "availability", "label": "ok %"}],
        ]}},
        { "type": "metric", "properties": { "metrics": [
            ["AWS/Lambda", "Errors", "FunctionName", "g", {"period": 3600}],
            [{"expression": "SUM(METRICS())"}],
        ]}},
    ]));
    let range = TimeRange {
        start: "2026-01-16T12:00:00Z".parse().unwrap(),
        end: "2026-01-16T15:00:00Z".parse().unwrap(),
    };
    let q = d.planned_queries(range);
    let ids: Vec<&str> = q.iter().map(|p| p.query.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "w0_errors",
            "w0_invocations",
            "w0_availability",
            "w1_m1",
            "w1_e2"
        ]
    );
    let QuerySource::Metric {
        stat, period_secs, ..
    } = &q[0].query.source
    else {
        panic!()
    };
    assert_eq!((stat.as_str(), *period_secs), ("Sum", 60));
    let QuerySource::Metric { stat, .. } = &q[1].query.source else {
        panic!()
    };
    assert_eq!(stat, "Maximum");
    assert!(!q[0].query.return_data && q[2].query.return_data);
    assert_eq!(q[0].region.as_deref(), Some("eu-west-2"));
    let QuerySource::Expression { expression, .. } = &q[2].query.source else {
        panic!()
    };
    assert_eq!(
        expression,
        "100 - 100 * w0_errors / MAX([w0_errors, w0_invocations])"
    );
    assert_eq!(q[2].query.label.as_deref(), Some("ok %"));
    let QuerySource::Metric {
        stat, period_secs, ..
    } = &q[3].query.source
    else {
        panic!()
    };
    assert_eq!((stat.as_str(), *period_secs), ("Average", 3600));
    let QuerySource::Expression { expression, .. } = &q[4].query.source else {
        panic!()
    };
    assert_eq!(expression, "SUM([w1_m1])");
}

#[test]
fn expressions_keep_quoted_text_and_function_names() {
    let renames: std::collections::HashMap<&str, String> =
        [("m1", "w2_m1".to_string()), ("fill", "w2_fill".to_string())].into();
    assert_eq!(
        queries::rewrite_expression(
            "FILL(SEARCH('{AWS/Lambda,m1} MetricName=\"m1\"', 'Sum', 60), 0) + m1*1e3 + fill",
            &renames,
            &["m1"],
        ),
        "FILL(SEARCH('{AWS/Lambda,m1} MetricName=\"m1\"', 'Sum', 60), 0) + w2_m1*1e3 + w2_fill"
    );
    assert_eq!(
        queries::rewrite_expression("AVG(METRICS('m'))", &renames, &["m1", "fill"]),
        "AVG([w2_m1])"
    );
}

#[test]
fn set_period_to_time_range_applies_to_single_number_views() {
    let d = body(json!([
        { "type": "metric", "properties": { "view": "gauge", "setPeriodToTimeRange": true, "period": 60,
          "metrics": [["N", "M"]] } },
        { "type": "metric", "properties": { "setPeriodToTimeRange": true, "period": 60,
          "metrics": [["N", "M"]] } },
    ]));
    let range = TimeRange {
        start: "2026-01-16T12:00:00Z".parse().unwrap(),
        end: "2026-01-16T15:00:30Z".parse().unwrap(),
    };
    let periods: Vec<u32> = d
        .planned_queries(range)
        .iter()
        .map(|p| match &p.query.source {
            QuerySource::Metric { period_secs, .. } => *period_secs,
            QuerySource::Expression { .. } => 0,
        })
        .collect();
    assert_eq!(periods, [10_860, 60]);
}

#[test]
fn auto_ids_skip_explicit_ones() {
    let w = metric_widget(json!([["N", "A"], ["N", "B", {"id": "m1"}]]));
    assert_eq!(queries::local_ids(&w.rows), ["m1_", "m1"]);
}

#[test]
fn periods_adapt_to_long_ranges_unless_the_body_inherits() {
    let body = |extra: &str| {
        Dashboard::parse(&format!(
            r#"{{{extra} "widgets": [{{"type": "metric", "properties": {{"period": 60, "metrics": [["N", "M"]]}}}}]}}"#
        ))
        .unwrap()
    };
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    let week = TimeRange {
        start: t("2026-01-09T15:00:00Z"),
        end: t("2026-01-16T15:00:00Z"),
    };
    let three_hours = TimeRange {
        start: t("2026-01-16T12:00:00Z"),
        end: t("2026-01-16T15:00:00Z"),
    };
    let period = |d: &Dashboard, r| d.planned_queries(r)[0].period_secs();
    assert_eq!(period(&body(""), week), Some(900));
    assert_eq!(period(&body(""), three_hours), Some(60));
    let inherit = body(r#""periodOverride": "inherit","#);
    assert_eq!(period(&inherit, week), Some(60));
    assert_eq!(crate::model::dashboard::queries::auto_period(3600), 5);
}

#[test]
fn contributor_insights_widgets_name_their_rule() {
    use crate::model::insight_rule::ContributorOrder;
    let d = body(json!([
        { "type": "metric", "properties": { "title": "Top", "period": 60, "region": "eu-west-1",
          "insightRule": { "maxContributorCount": 25, "orderBy": "Maximum", "ruleName": "r" } } },
        { "type": "metric", "properties": { "insightRule": { "ruleName": "plain" } } },
        { "type": "metric", "properties": { "insightRule": { "orderBy": "Sum" } } },
        { "type": "metric", "properties": { "insightRule": { "ruleName": "r", "maxContributorCount": 500 } } },
        { "type": "metric", "properties": { "insightRule": "r" } },
    ]));
    let Ok(WidgetContent::Contributors(c)) = &d.widgets[0].content else {
        panic!("{:?}", d.widgets[0].content)
    };
    assert_eq!(
        (
            c.rule_name.as_str(),
            c.max_contributors,
            c.order_by,
            c.period_secs
        ),
        ("r", 25, ContributorOrder::Maximum, 60)
    );
    assert_eq!(c.region.as_deref(), Some("eu-west-1"));
    let Ok(WidgetContent::Contributors(c)) = &d.widgets[1].content else {
        panic!()
    };
    assert_eq!(
        (c.max_contributors, c.order_by, c.period_secs),
        (10, ContributorOrder::Sum, 300)
    );
    let errors: Vec<String> = d.errors().map(|e| e.problem.to_string()).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("properties.insightRule.ruleName"),
        "{errors:?}"
    );
    assert!(errors[1].contains("from 1 to 100"), "{errors:?}");
    assert!(errors[2].contains("properties.insightRule"), "{errors:?}");
}
