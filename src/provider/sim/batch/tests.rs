//! Batches with expressions against the demo account's data.

use jiff::SignedDuration;

use super::*;
use crate::model::{Dimension, MetricRef};
use crate::provider::sim::catalog::{ApiMetric, LAMBDAS};
use crate::provider::sim::metrics::Generator;
use crate::provider::sim::store::{Published, epoch_minute};

struct Fixture {
    catalog: Catalog,
    generator: Generator,
    published: Published,
}

fn fixture() -> Fixture {
    Fixture {
        catalog: Catalog::new("p"),
        generator: Generator::new(3, 0),
        published: Published::default(),
    }
}

fn expression(id: &str, text: &str) -> MetricQuery {
    MetricQuery {
        id: id.into(),
        source: QuerySource::Expression {
            expression: text.into(),
            period_secs: Some(300),
        },
        label: None,
        return_data: true,
    }
}

fn run(queries: &[MetricQuery]) -> Vec<Series> {
    let f = fixture();
    let data = MetricData {
        catalog: &f.catalog,
        generator: &f.generator,
        published: &f.published,
    };
    let end: Timestamp = "2026-11-27T15:00:00Z".parse().unwrap();
    let range = TimeRange {
        start: end - SignedDuration::from_hours(1),
        end,
    };
    answer(queries, range, epoch_minute(end), &data, &f.catalog)
}

#[test]
fn an_error_rate_over_hidden_inputs() {
    let f = fixture();
    let mut requests = MetricQuery::metric("req", f.catalog.api(ApiMetric::Count), "Sum", 300);
    requests.return_data = false;
    let mut errors = MetricQuery::metric("err", f.catalog.api(ApiMetric::Error4xx), "Sum", 300);
    errors.return_data = false;
    let out = run(&[
        requests.clone(),
        errors.clone(),
        expression("rate", "100 * err / req"),
    ]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].label, "100 * err / req");
    assert_eq!(out[0].points.len(), 12);
    requests.return_data = true;
    errors.return_data = true;
    let raw = run(&[requests, errors]);
    let expected = 100.0 * raw[1].points[0].1 / raw[0].points[0].1;
    assert_eq!(out[0].points[0].1, expected);
    assert!((0.5..3.0).contains(&expected), "{expected}");
}

#[test]
fn search_finds_every_function_and_sums() {
    let out = run(&[
        expression(
            "each",
            r#"SEARCH('{AWS/Lambda,FunctionName} MetricName="Invocations"', 'Sum', 300)"#,
        ),
        expression(
            "total",
            r#"SUM(SEARCH('{AWS/Lambda,FunctionName} MetricName="Invocations"', 'Sum', 300))"#,
        ),
        MetricQuery::metric(
            "all",
            MetricRef::new("AWS/Lambda", "Invocations", vec![]),
            "Sum",
            300,
        ),
    ]);
    let each: Vec<&Series> = out.iter().filter(|s| s.id == "each").collect();
    assert_eq!(each.len(), LAMBDAS.len());
    assert!(each.iter().all(|s| s.label.starts_with("Invocations p-")));
    let total = out.iter().find(|s| s.id == "total").unwrap();
    let all = out.iter().find(|s| s.id == "all").unwrap();
    assert_eq!(
        total.points, all.points,
        "the sum of the functions is the total"
    );
    let _ = Dimension::new("FunctionName", "x");
}

#[test]
fn bad_and_circular_expressions_answer_with_the_reason() {
    let out = run(&[
        expression("a", "b + 1"),
        expression("b", "a * 2"),
        expression("c", "missing * 2"),
        expression("d", "MAX(SEARCH('{AWS/Lambda} Errors', 'Sum', 300))"),
    ]);
    assert!(
        out[0]
            .message
            .as_deref()
            .unwrap()
            .contains("refers to itself")
    );
    assert!(out[2].message.as_deref().unwrap().contains("'missing'"));
    assert!(out[3].message.is_none() && !out[3].points.is_empty());
}

#[test]
fn an_anomaly_band_is_trained_on_the_periods_before_the_window() {
    let f = fixture();
    let latency = MetricQuery::metric("m1", f.catalog.api(ApiMetric::Latency), "Average", 300);
    let out = run(&[
        latency.clone(),
        expression("ad1", "ANOMALY_DETECTION_BAND(m1, 2)"),
    ]);
    assert_eq!(out.len(), 3, "the metric, then the band's two limits");
    let band = crate::model::anomaly::Band::from_series("ad1", &out).expect("two limits");
    assert_eq!(band.points.len(), 12, "every period of the hour has limits");
    assert_eq!(band.points[0].0, out[0].points[0].0);
    // The same band, trained by hand on the three hours before the end.
    let end: Timestamp = "2026-11-27T15:00:00Z".parse().unwrap();
    let data = MetricData {
        catalog: &f.catalog,
        generator: &f.generator,
        published: &f.published,
    };
    let history = data.series(
        &latency,
        TimeRange {
            start: end - SignedDuration::from_hours(3),
            end,
        },
        epoch_minute(end),
    );
    let by_hand = crate::model::anomaly::Band::trained(
        "",
        &history.points,
        end - SignedDuration::from_hours(1),
        2.0,
    );
    assert_eq!(band.points, by_hand.points);
    let inside = out[0]
        .points
        .iter()
        .filter(|(t, v)| band.at(*t).is_some_and(|(lo, hi)| (lo..=hi).contains(v)))
        .count();
    assert!(
        inside >= 9,
        "a 2-deviation band holds most points: {inside} of 12"
    );
}
