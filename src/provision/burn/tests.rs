use super::*;
use crate::model::stack::Kind;
use crate::provision::spec::BUILTIN;

fn target(suffix: &str) -> Slo {
    crate::provision::builtin_for_tests(BUILTIN, "p", "dev", "a@example.com")
        .slos
        .into_iter()
        .find(|s| s.name == format!("p-{suffix}"))
        .unwrap()
}

fn alarm<'a>(resources: &'a [Resource], name: &str) -> &'a Alarm {
    resources
        .iter()
        .find_map(|r| match r {
            Resource::Alarm(a) if a.name == name => Some(a),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no alarm {name}"))
}

fn expression(a: &Alarm) -> &str {
    let returned: Vec<&MetricQuery> = a.queries.iter().filter(|q| q.return_data).collect();
    assert_eq!(returned.len(), 1, "exactly one query gives the value");
    match &returned[0].source {
        QuerySource::Expression { expression, .. } => expression,
        other => panic!("{other:?}"),
    }
}

/// (id, stat, period) of the metrics an alarm reads.
fn inputs(a: &Alarm) -> Vec<(String, String, u32)> {
    a.queries
        .iter()
        .filter_map(|q| match &q.source {
            QuerySource::Metric {
                stat, period_secs, ..
            } => {
                assert!(!q.return_data, "{} is an input", q.id);
                Some((q.id.clone(), stat.clone(), *period_secs))
            }
            QuerySource::Expression { .. } => None,
        })
        .collect()
}

#[test]
fn a_ratio_target_compares_its_burn_rate_over_each_window_with_the_rate() {
    let slo = target("lambda-error-rate");
    let out = burn_alarms(&slo, "p-alerts");
    assert_eq!(out.len(), 6);
    // (name, window = period, rate) by hand from the SRE workbook's table.
    for (name, period, rate) in [
        ("p-lambda-error-rate-burn-fast-1h", 3600, 14.4),
        ("p-lambda-error-rate-burn-fast-5m", 300, 14.4),
        ("p-lambda-error-rate-burn-slow-6h", 21_600, 6.0),
        ("p-lambda-error-rate-burn-slow-30m", 1800, 6.0),
    ] {
        let a = alarm(&out, name);
        // Objective 99 %: 1 % may be bad, so the burn rate is the percent bad.
        assert_eq!(
            expression(a),
            "100 * (merrors) / (minvocations) / 1",
            "{name}"
        );
        assert_eq!(
            inputs(a),
            [
                ("merrors".to_string(), "Sum".to_string(), period),
                ("minvocations".to_string(), "Sum".to_string(), period),
            ],
            "{name}"
        );
        assert_eq!(
            (
                a.period,
                a.evaluation_periods,
                a.datapoints_to_alarm,
                a.threshold
            ),
            (period, 1, None, rate),
            "{name}"
        );
        assert_eq!(a.comparison, "GreaterThanOrEqualToThreshold");
        assert_eq!(a.treat_missing_data, "notBreaching");
        assert!(a.topics.is_empty(), "only the composite notifies");
        assert!(a.namespace.is_empty() && a.metric.is_empty() && a.statistic.is_empty());
    }
}

#[test]
fn the_budget_in_the_expression_is_the_objective_s_complement_without_float_noise() {
    let batch = target("batch-failure-rate");
    let out = burn_alarms(&batch, "p-alerts");
    assert_eq!(
        expression(alarm(&out, "p-batch-failure-rate-burn-fast-1h")),
        "100 * (FILL(mfailed, 0)) / (FILL(mfailed, 0) + FILL(msucceeded, 0)) / 5"
    );
    let tight = Slo {
        objective: 99.9,
        ..target("api-5xx-rate")
    };
    let out = burn_alarms(&tight, "p-alerts");
    assert_eq!(
        expression(alarm(&out, "p-api-5xx-rate-burn-slow-6h")),
        "100 * (m5xx) / (mcount) / 0.1"
    );
}

#[test]
fn a_threshold_target_alarms_on_m_bad_periods_out_of_the_window_s_n() {
    let slo = target("dms-lag");
    assert_eq!(slo.period_secs, 300);
    let out = burn_alarms(&slo, "p-alerts");
    // N = window / 300 s; M = ceil(rate * 1 % * N), by hand:
    // fast 1h: 14.4 * 0.01 * 12 = 1.728 -> 2; fast 5m: 0.144 -> 1;
    // slow 6h: 6 * 0.01 * 72 = 4.32 -> 5; slow 30m: 0.36 -> 1.
    for (name, n, m) in [
        ("p-dms-lag-burn-fast-1h", 12, 2),
        ("p-dms-lag-burn-fast-5m", 1, 1),
        ("p-dms-lag-burn-slow-6h", 72, 5),
        ("p-dms-lag-burn-slow-30m", 6, 1),
    ] {
        let a = alarm(&out, name);
        assert_eq!(expression(a), "1 - (mlag < 300)", "{name}");
        assert_eq!(
            inputs(a),
            [("mlag".to_string(), "Average".to_string(), 300)]
        );
        assert_eq!(
            (
                a.period,
                a.evaluation_periods,
                a.datapoints_to_alarm,
                a.threshold
            ),
            (300, n, Some(m), 1.0),
            "{name}"
        );
    }
    let p99 = burn_alarms(&target("lambda-duration"), "p-alerts");
    assert_eq!(
        inputs(alarm(&p99, "p-lambda-duration-burn-fast-1h")),
        [("mduration".to_string(), "p99".to_string(), 300)]
    );
}

#[test]
fn each_composite_needs_both_windows_notifies_the_topic_and_comes_after_them() {
    let slo = target("api-5xx-rate");
    let out = burn_alarms(&slo, "p-alerts");
    let names: Vec<(Kind, String)> = out.iter().map(|r| (r.kind(), r.name())).collect();
    assert_eq!(
        names,
        [
            (Kind::Alarm, "p-api-5xx-rate-burn-fast-1h".to_string()),
            (Kind::Alarm, "p-api-5xx-rate-burn-fast-5m".to_string()),
            (Kind::CompositeAlarm, "p-api-5xx-rate-burn-fast".to_string()),
            (Kind::Alarm, "p-api-5xx-rate-burn-slow-6h".to_string()),
            (Kind::Alarm, "p-api-5xx-rate-burn-slow-30m".to_string()),
            (Kind::CompositeAlarm, "p-api-5xx-rate-burn-slow".to_string()),
        ]
    );
    let Resource::CompositeAlarm(fast) = &out[2] else {
        unreachable!()
    };
    assert_eq!(
        fast.rule,
        r#"ALARM("p-api-5xx-rate-burn-fast-1h") AND ALARM("p-api-5xx-rate-burn-fast-5m")"#
    );
    assert_eq!(fast.topics, ["p-alerts"]);
    assert!(
        fast.description.contains("lasts 2.1 days"),
        "30 days / 14.4: {}",
        fast.description
    );
    assert_eq!(
        crate::alarm_rule::Rule::parse(&fast.rule)
            .unwrap()
            .children(),
        ["p-api-5xx-rate-burn-fast-1h", "p-api-5xx-rate-burn-fast-5m"]
    );
}

#[test]
fn a_target_that_does_not_ask_gets_no_alarms() {
    let slo = Slo {
        alarms: false,
        ..target("lambda-error-rate")
    };
    assert!(burn_alarms(&slo, "p-alerts").is_empty());
}
