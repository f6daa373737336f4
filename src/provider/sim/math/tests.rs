//! Metric math over hand-made series.

use std::collections::HashMap;

use super::*;

fn t(minute: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 / 60 * 60 + minute * 60).unwrap()
}

fn line(label: &str, values: &[(i64, f64)]) -> Line {
    Line {
        label: label.into(),
        points: values.iter().map(|(m, v)| (t(*m), *v)).collect(),
    }
}

struct Fixed {
    ids: HashMap<&'static str, Value>,
}

impl Scope for Fixed {
    fn id(&mut self, id: &str) -> Result<Value, String> {
        self.ids.get(id).cloned().ok_or_else(|| format!("no {id}"))
    }
    fn search(&mut self, query: &str, _: &str, _: u32) -> Result<Vec<Line>, String> {
        Ok(vec![
            line(query, &[(0, 1.0)]),
            line(query, &[(0, 2.0), (1, 5.0)]),
        ])
    }
    fn id_with_history(&mut self, id: &str, _: usize) -> Result<Value, String> {
        self.id(id)
    }
    fn period_secs(&self) -> u32 {
        60
    }
    fn window(&self) -> (Timestamp, Timestamp) {
        (t(0), t(4))
    }
}

fn scope() -> Fixed {
    Fixed {
        ids: HashMap::from([
            (
                "a",
                Value::Series(line("a", &[(0, 2.0), (1, 4.0), (2, 0.0)])),
            ),
            (
                "b",
                Value::Series(line("b", &[(0, 1.0), (1, 0.0), (3, 9.0)])),
            ),
        ]),
    }
}

fn points(v: Value) -> Vec<(i64, f64)> {
    let Value::Series(l) = v else {
        panic!("expected one series, got {v:?}")
    };
    l.points
        .iter()
        .map(|(ts, v)| (ts.duration_since(t(0)).as_secs() / 60, *v))
        .collect()
}

fn eval(text: &str) -> Value {
    evaluate(text, &mut scope()).unwrap()
}

#[test]
fn arithmetic_joins_on_timestamps_and_drops_divisions_by_zero() {
    assert_eq!(points(eval("a + b")), [(0, 3.0), (1, 4.0)]);
    assert_eq!(points(eval("100 * b / a")), [(0, 50.0), (1, 0.0)]);
    assert_eq!(points(eval("a / b")), [(0, 2.0)]);
    assert_eq!(
        points(eval("-a ^ 2 + 1")),
        [(0, -3.0), (1, -15.0), (2, 1.0)]
    );
    assert_eq!(eval("2 ^ 3 ^ 2"), Value::Scalar(512.0), "right associative");
    assert_eq!(eval("(1 + 2) * 3 - 4 / 2"), Value::Scalar(7.0));
    assert_eq!(points(eval("a > 3 AND b < 5")), [(0, 0.0), (1, 1.0)]);
}

#[test]
fn functions_reduce_across_arrays_or_over_one_series() {
    assert_eq!(
        points(eval("SUM([a, b])")),
        [(0, 3.0), (1, 4.0), (2, 0.0), (3, 9.0)]
    );
    assert_eq!(points(eval("MAX([a, b])"))[0], (0, 2.0));
    assert_eq!(eval("MAX(a)"), Value::Scalar(4.0));
    assert_eq!(eval("AVG(a)"), Value::Scalar(2.0));
    assert_eq!(points(eval("a / MAX(a)")), [(0, 0.5), (1, 1.0), (2, 0.0)]);
    assert_eq!(points(eval("RATE(a)")), [(1, 2.0 / 60.0), (2, -4.0 / 60.0)]);
    assert_eq!(points(eval("DIFF(a)")), [(1, 2.0), (2, -4.0)]);
    assert_eq!(
        points(eval("RUNNING_SUM(a)")),
        [(0, 2.0), (1, 6.0), (2, 6.0)]
    );
    assert_eq!(points(eval("ABS(a - 3)")), [(0, 1.0), (1, 1.0), (2, 3.0)]);
    assert_eq!(eval("PERIOD(a)"), Value::Scalar(60.0));
}

#[test]
fn if_and_fill() {
    assert_eq!(
        points(eval("IF(a > 1, a, 0)")),
        [(0, 2.0), (1, 4.0), (2, 0.0)]
    );
    assert_eq!(points(eval("IF(a > 1, a)")), [(0, 2.0), (1, 4.0)]);
    assert_eq!(
        points(eval("FILL(b, 7)")),
        [(0, 1.0), (1, 0.0), (2, 7.0), (3, 9.0)]
    );
    assert_eq!(points(eval("FILL(b, REPEAT)"))[2], (2, 0.0));
    assert_eq!(points(eval("FILL(b, LINEAR)"))[2], (2, 4.5));
}

#[test]
fn search_brings_several_series_and_arrays_flatten() {
    let Value::Many(lines) = eval("SEARCH('{AWS/Lambda} Errors', 'Sum', 300)") else {
        panic!("several")
    };
    assert_eq!(lines.len(), 2);
    assert_eq!(
        points(eval("SUM(SEARCH('x', 'Sum'))")),
        [(0, 3.0), (1, 5.0)]
    );
    let Value::Many(twice) = eval("2 * [a, b]") else {
        panic!("several")
    };
    assert_eq!(twice[1].points[0].1, 2.0);
}

#[test]
fn errors_say_what_is_wrong() {
    let err = |text: &str| evaluate(text, &mut scope()).unwrap_err();
    assert!(err("a +").contains("ends too soon"));
    assert!(err("nope * 2").contains("no nope"));
    assert!(err("INSIGHT_RULE_METRIC('r', 'Sum')").contains("not evaluated"));
    assert!(err("ANOMALY_DETECTION_BAND(a, 0)").contains("positive"));
    assert!(err("ANOMALY_DETECTION_BAND(a + 1)").contains("id of a query"));
    assert!(err("ABS(a, b)").contains("takes 1"));
    assert!(err("a $ b").contains("unexpected '$'"));
    assert!(err("SEARCH(a, 'Sum')").contains("quoted"));
    assert!(err("'open").contains("unclosed"));
}
