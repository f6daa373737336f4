//! Alarm evaluation with CloudWatch's semantics, as a pure function: the
//! last N period values, M (datapoints to alarm), the comparison, the
//! threshold and the missing-data treatment decide the new state, and the
//! reason is worded the way CloudWatch words it. The demo account steps
//! its alarms with it, and `alarms explain` / `alarms backtest` run it on
//! an account's real datapoints, so both judge the same way.

use jiff::Timestamp;

use crate::model::{AlarmState, Comparison, TreatMissingData};

/// The decision rule of a metric alarm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// M: how many evaluated points must breach for ALARM.
    pub datapoints_to_alarm: u32,
    /// Comparison operator.
    pub comparison: Comparison,
    /// Threshold.
    pub threshold: f64,
    /// Missing-data treatment.
    pub treat_missing: TreatMissingData,
}

/// One evaluated period: its start and its value (`None` when missing).
pub type Point = (Timestamp, Option<f64>);

/// A period that has a value: its start and the value.
type Present = (Timestamp, f64);

/// The result of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The state the alarm should be in.
    pub state: AlarmState,
    /// CloudWatch-style reason for that state.
    pub reason: String,
    /// The points the reason names as deciding, newest first (all of them,
    /// missing, when none was present): StateReasonData's
    /// `evaluatedDatapoints`.
    pub decided: Vec<Point>,
}

/// Evaluates `points` (the last N periods, oldest first) under `rule` for an
/// alarm currently in `current`.
///
/// - `missing`: missing points are not counted; all missing gives
///   INSUFFICIENT_DATA.
/// - `notBreaching` / `breaching`: missing points count as good / bad.
/// - `ignore`: all missing keeps the current state; otherwise the present
///   points are evaluated.
///
/// ALARM when at least M of the counted points breach, otherwise OK.
pub fn evaluate(points: &[Point], rule: &Rule, current: AlarmState) -> Outcome {
    let limit =
        |_: &[(Timestamp, f64)]| format!("{} ({})", phrase(rule.comparison), value(rule.threshold));
    judge(
        points,
        rule,
        current,
        &|_, v| rule.comparison.breaches(v, rule.threshold),
        &limit,
    )
}

/// Evaluates `points` like [`evaluate`], against an anomaly band instead of
/// `rule.threshold`: `band` gives the limits at a period start. A period
/// the band has no limits for counts as missing (CloudWatch has no band
/// while its model trains), and the reason names the limits crossed.
pub fn evaluate_band(
    points: &[Point],
    band: &dyn Fn(Timestamp) -> Option<(f64, f64)>,
    rule: &Rule,
    current: AlarmState,
) -> Outcome {
    let points: Vec<Point> = points
        .iter()
        .map(|(t, v)| (*t, v.filter(|_| band(*t).is_some())))
        .collect();
    let limits = |listed: &[(Timestamp, f64)], pick: fn((f64, f64)) -> f64| {
        listed
            .iter()
            .filter_map(|(t, _)| band(*t).map(|l| value(pick(l))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let limit = |listed: &[(Timestamp, f64)]| {
        let lower = format!(
            "less than the lower thresholds [{}]",
            limits(listed, |l| l.0)
        );
        let upper = format!(
            "greater than the upper thresholds [{}]",
            limits(listed, |l| l.1)
        );
        match rule.comparison {
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => format!("{lower} or {upper}"),
            Comparison::LessThanLowerThreshold
            | Comparison::LessThanThreshold
            | Comparison::LessThanOrEqualToThreshold => lower,
            _ => upper,
        }
    };
    judge(
        &points,
        rule,
        current,
        &|t, v| band(t).is_some_and(|(lo, hi)| rule.comparison.breaches_band(v, lo, hi)),
        &limit,
    )
}

/// The evaluation both entry points share: `breaches` judges one present
/// point, `limit` words what the listed points were compared with.
fn judge(
    points: &[Point],
    rule: &Rule,
    current: AlarmState,
    breaches: &dyn Fn(Timestamp, f64) -> bool,
    limit: &dyn Fn(&[Present]) -> String,
) -> Outcome {
    let present: Vec<(Timestamp, f64)> = points
        .iter()
        .filter_map(|(t, v)| v.map(|v| (*t, v)))
        .collect();
    let missing = points.len() - present.len();
    let filled = match rule.treat_missing {
        TreatMissingData::Breaching | TreatMissingData::NotBreaching => missing,
        TreatMissingData::Missing | TreatMissingData::Ignore => 0,
    };
    if present.is_empty() {
        return all_missing(points, rule.treat_missing, current);
    }
    let (bad, good): (Vec<_>, Vec<_>) = present.iter().rev().partition(|(t, v)| breaches(*t, *v));
    let missing_bad = if rule.treat_missing == TreatMissingData::Breaching {
        missing
    } else {
        0
    };
    let counted = present.len() + filled;
    let m = rule.datapoints_to_alarm as usize;
    let (state, listed, verb, needed) = if bad.len() + missing_bad >= m {
        (AlarmState::Alarm, bad, "", m)
    } else {
        let n = points.len();
        (
            AlarmState::Ok,
            good,
            "not ",
            (n + 1).saturating_sub(m).max(1),
        )
    };
    let count = listed.len()
        + if state == AlarmState::Alarm {
            missing_bad
        } else {
            filled - missing_bad
        };
    let decided = listed.iter().map(|(t, v)| (*t, Some(*v))).collect();
    let mut reason = format!(
        "Threshold Crossed: {count} out of the last {counted} datapoints [{}] {} {verb}{} (minimum {needed} {} for {current} -> {state} transition).",
        listed
            .iter()
            .map(|(t, v)| format!("{} ({})", value(*v), time(*t)))
            .collect::<Vec<_>>()
            .join(", "),
        if count == 1 { "was" } else { "were" },
        limit(&listed),
        plural(needed, "datapoint"),
    );
    if filled > 0 {
        reason.push_str(&format!(
            " {filled} missing {} treated as [{}].",
            plural(filled, "datapoint"),
            treated_as(rule.treat_missing)
        ));
    }
    Outcome {
        state,
        reason,
        decided,
    }
}

fn all_missing(points: &[Point], treat: TreatMissingData, current: AlarmState) -> Outcome {
    let n = points.len();
    let periods = plural(n, "period");
    let datapoints = plural(n, "datapoint");
    let (state, reason) = match treat {
        TreatMissingData::Missing => (
            AlarmState::InsufficientData,
            format!(
                "Insufficient Data: {n} {datapoints} {} unknown.",
                if n == 1 { "was" } else { "were" }
            ),
        ),
        TreatMissingData::Ignore => (
            current,
            format!(
                "No datapoints were received for {n} {periods}; missing data is ignored, so the state stays {current}."
            ),
        ),
        TreatMissingData::Breaching | TreatMissingData::NotBreaching => (
            if treat == TreatMissingData::Breaching {
                AlarmState::Alarm
            } else {
                AlarmState::Ok
            },
            format!(
                "Threshold Crossed: no datapoints were received for {n} {periods} and {n} missing {datapoints} {} treated as [{}].",
                if n == 1 { "was" } else { "were" },
                treated_as(treat)
            ),
        ),
    };
    Outcome {
        state,
        reason,
        decided: points.iter().rev().copied().collect(),
    }
}

fn treated_as(treat: TreatMissingData) -> &'static str {
    match treat {
        TreatMissingData::Breaching => "Breaching",
        _ => "NonBreaching",
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// How CloudWatch words a comparison in reasons.
fn phrase(c: Comparison) -> &'static str {
    match c {
        Comparison::GreaterThanOrEqualToThreshold => "greater than or equal to the threshold",
        Comparison::GreaterThanThreshold => "greater than the threshold",
        Comparison::LessThanThreshold => "less than the threshold",
        Comparison::LessThanOrEqualToThreshold => "less than or equal to the threshold",
        Comparison::LessThanLowerOrGreaterThanUpperThreshold => "outside the band",
        Comparison::GreaterThanUpperThreshold => "greater than the upper threshold",
        Comparison::LessThanLowerThreshold => "less than the lower threshold",
    }
}

/// A value as CloudWatch prints it in reasons (`412.0`, `0.25`).
fn value(v: f64) -> String {
    let rounded = (v * 1e6).round() / 1e6;
    if rounded.fract() == 0.0 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded}")
    }
}

/// A period start as CloudWatch prints it in reasons (`27/11/26 13:58:00`).
fn time(t: Timestamp) -> String {
    t.strftime("%d/%m/%y %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(m: u32, comparison: Comparison, threshold: f64, treat: TreatMissingData) -> Rule {
        Rule {
            datapoints_to_alarm: m,
            comparison,
            threshold,
            treat_missing: treat,
        }
    }

    /// Points one minute apart starting 2026-11-27 13:56 UTC.
    fn points(values: &[Option<f64>]) -> Vec<Point> {
        let start: Timestamp = "2026-11-27T13:56:00Z".parse().unwrap();
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (start + jiff::SignedDuration::from_mins(i as i64), *v))
            .collect()
    }

    fn state(values: &[Option<f64>], r: &Rule, current: AlarmState) -> AlarmState {
        evaluate(&points(values), r, current).state
    }

    #[test]
    fn every_comparison_with_equality_edges() {
        use AlarmState::{Alarm, Ok};
        use TreatMissingData::Missing;
        let cases = [
            (Comparison::GreaterThanThreshold, [Ok, Ok, Alarm]),
            (
                Comparison::GreaterThanOrEqualToThreshold,
                [Ok, Alarm, Alarm],
            ),
            (Comparison::LessThanThreshold, [Alarm, Ok, Ok]),
            (Comparison::LessThanOrEqualToThreshold, [Alarm, Alarm, Ok]),
            (Comparison::GreaterThanUpperThreshold, [Ok, Ok, Alarm]),
            (Comparison::LessThanLowerThreshold, [Alarm, Ok, Ok]),
            (
                Comparison::LessThanLowerOrGreaterThanUpperThreshold,
                [Alarm, Ok, Alarm],
            ),
        ];
        for (comparison, expected) in cases {
            let r = rule(1, comparison, 10.0, Missing);
            for (value, want) in [9.0, 10.0, 11.0].into_iter().zip(expected) {
                assert_eq!(
                    state(&[Some(value)], &r, Ok),
                    want,
                    "{comparison:?} {value}"
                );
            }
        }
    }

    #[test]
    fn band_alarms_judge_each_period_against_its_own_limits() {
        let values = points(&[Some(50.0), Some(50.0), Some(50.0)]);
        let (t0, t1, t2) = (values[0].0, values[1].0, values[2].0);
        // The same value is inside the first band, above the second and
        // below the third; the band has no limits for a fourth period.
        let band = move |t: Timestamp| {
            [(t0, (40.0, 60.0)), (t1, (20.0, 45.0)), (t2, (55.0, 70.0))]
                .into_iter()
                .find(|(p, _)| *p == t)
                .map(|(_, l)| l)
        };
        let r = |m, comparison| rule(m, comparison, 0.0, TreatMissingData::Missing);
        let outside = evaluate_band(
            &values,
            &band,
            &r(2, Comparison::LessThanLowerOrGreaterThanUpperThreshold),
            AlarmState::Ok,
        );
        assert_eq!(outside.state, AlarmState::Alarm);
        assert_eq!(outside.decided, vec![(t2, Some(50.0)), (t1, Some(50.0))]);
        assert!(
            outside.reason.contains(
                "were less than the lower thresholds [55.0, 20.0] or greater than the upper thresholds [70.0, 45.0]"
            ),
            "{}",
            outside.reason
        );
        let above = r(2, Comparison::GreaterThanUpperThreshold);
        let outcome = evaluate_band(&values, &band, &above, AlarmState::Ok);
        assert_eq!(outcome.state, AlarmState::Ok);
        assert!(
            outcome
                .reason
                .contains("not greater than the upper thresholds")
        );
        // A static threshold of 0 would have alarmed on every point.
        assert_eq!(
            evaluate(&values, &above, AlarmState::Ok).state,
            AlarmState::Alarm
        );
        let untrained = evaluate_band(&values, &|_| None, &above, AlarmState::Ok);
        assert_eq!(untrained.state, AlarmState::InsufficientData);
    }

    #[test]
    fn m_of_n() {
        let r = rule(
            2,
            Comparison::GreaterThanThreshold,
            300.0,
            TreatMissingData::Missing,
        );
        let ok = AlarmState::Ok;
        assert_eq!(
            state(&[Some(10.0), Some(412.0), Some(20.0)], &r, ok),
            AlarmState::Ok
        );
        assert_eq!(
            state(&[Some(412.0), Some(20.0), Some(380.0)], &r, ok),
            AlarmState::Alarm
        );
        assert_eq!(
            state(&[Some(412.0), Some(500.0), Some(380.0)], &r, ok),
            AlarmState::Alarm
        );
        let three_of_three = Rule {
            datapoints_to_alarm: 3,
            ..r
        };
        let two = [Some(412.0), Some(20.0), Some(380.0)];
        assert_eq!(
            state(&two, &three_of_three, AlarmState::Alarm),
            AlarmState::Ok
        );
    }

    #[test]
    fn all_missing_per_treatment() {
        let none = [None, None, None];
        let cases = [
            (
                TreatMissingData::Missing,
                AlarmState::Ok,
                AlarmState::InsufficientData,
            ),
            (
                TreatMissingData::NotBreaching,
                AlarmState::Alarm,
                AlarmState::Ok,
            ),
            (
                TreatMissingData::Breaching,
                AlarmState::Ok,
                AlarmState::Alarm,
            ),
            (
                TreatMissingData::Ignore,
                AlarmState::Alarm,
                AlarmState::Alarm,
            ),
            (TreatMissingData::Ignore, AlarmState::Ok, AlarmState::Ok),
        ];
        for (treat, current, want) in cases {
            let r = rule(2, Comparison::GreaterThanThreshold, 300.0, treat);
            assert_eq!(state(&none, &r, current), want, "{treat:?} from {current}");
        }
    }

    #[test]
    fn partly_missing_per_treatment() {
        let one_bad = [Some(400.0), None, Some(100.0)];
        let two_missing_one_bad = [None, None, Some(400.0)];
        let cases = [
            (TreatMissingData::Missing, AlarmState::Ok, AlarmState::Ok),
            (TreatMissingData::Ignore, AlarmState::Ok, AlarmState::Ok),
            (
                TreatMissingData::NotBreaching,
                AlarmState::Ok,
                AlarmState::Ok,
            ),
            (
                TreatMissingData::Breaching,
                AlarmState::Alarm,
                AlarmState::Alarm,
            ),
        ];
        for (treat, want_one_bad, want_two_missing) in cases {
            let r = rule(2, Comparison::GreaterThanThreshold, 300.0, treat);
            assert_eq!(
                state(&one_bad, &r, AlarmState::Alarm),
                want_one_bad,
                "{treat:?}"
            );
            assert_eq!(
                state(&two_missing_one_bad, &r, AlarmState::Alarm),
                want_two_missing,
                "{treat:?}"
            );
        }
        let ignore = rule(
            1,
            Comparison::GreaterThanThreshold,
            300.0,
            TreatMissingData::Ignore,
        );
        assert_eq!(
            state(&[None, Some(400.0)], &ignore, AlarmState::Ok),
            AlarmState::Alarm
        );
    }

    #[test]
    fn reasons_read_like_cloudwatch() {
        let r = rule(
            2,
            Comparison::GreaterThanThreshold,
            300.0,
            TreatMissingData::Missing,
        );
        let alarm = evaluate(
            &points(&[Some(20.0), Some(380.0), Some(412.0)]),
            &r,
            AlarmState::Ok,
        );
        assert_eq!(
            alarm.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [412.0 (27/11/26 13:58:00), \
             380.0 (27/11/26 13:57:00)] were greater than the threshold (300.0) \
             (minimum 2 datapoints for OK -> ALARM transition)."
        );
        let ok = evaluate(
            &points(&[Some(20.0), Some(380.0), Some(12.5)]),
            &r,
            AlarmState::Alarm,
        );
        assert_eq!(
            ok.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [12.5 (27/11/26 13:58:00), \
             20.0 (27/11/26 13:56:00)] were not greater than the threshold (300.0) \
             (minimum 2 datapoints for ALARM -> OK transition)."
        );
        let insufficient = evaluate(&points(&[None, None, None]), &r, AlarmState::Ok);
        assert_eq!(
            insufficient.reason,
            "Insufficient Data: 3 datapoints were unknown."
        );
        let nb = rule(
            1,
            Comparison::GreaterThanThreshold,
            5.0,
            TreatMissingData::NotBreaching,
        );
        let quiet = evaluate(&points(&[None]), &nb, AlarmState::Alarm);
        assert_eq!(
            quiet.reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing \
             datapoint was treated as [NonBreaching]."
        );
    }

    #[test]
    fn filled_missing_points_are_mentioned() {
        let r = rule(
            2,
            Comparison::GreaterThanThreshold,
            300.0,
            TreatMissingData::Breaching,
        );
        let out = evaluate(&points(&[Some(400.0), None, Some(1.0)]), &r, AlarmState::Ok);
        assert_eq!(out.state, AlarmState::Alarm);
        assert!(
            out.reason
                .starts_with("Threshold Crossed: 2 out of the last 3 datapoints [400.0"),
            "{}",
            out.reason
        );
        assert!(
            out.reason
                .ends_with("1 missing datapoint treated as [Breaching]."),
            "{}",
            out.reason
        );
    }
}
