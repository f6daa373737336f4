//! The multi-window burn-rate alarms of a service level target: for each
//! of [`BURN_ALARMS`] (fast: 14.4x over 1 h and 5 m; slow: 6x over 6 h and
//! 30 m) two metric-math alarms, one per window, that go to ALARM when the
//! error budget burns at that rate or faster over their window, and a
//! composite alarm (long window AND short window) that notifies the
//! stack's topic. The long window keeps a short blip from paging; the
//! short one lets the page end soon after the burning stops. The children
//! notify nobody: only the composite pages.
//!
//! A ratio target's alarm reads its metrics with the window as period and
//! compares the burn rate `100 * (bad) / (total) / (100 - objective)` with
//! the rate. A threshold target's periods are good or bad one by one, so
//! its alarm compares `1 - (good)` (1 for a bad period) at the target's
//! period and goes to ALARM when enough of the window's periods are bad:
//! M of N, N periods in the window and M the bad periods that burn at the
//! rate (`ceil(rate * allowed share * N)`).

use crate::model::metric::{MetricQuery, QuerySource};
use crate::model::metric_browse::period_label;
use crate::model::slo::{BURN_ALARMS, BurnAlarm, Sli, Slo};
use crate::model::stack::{Alarm, CompositeAlarm, Resource};

/// The id of the expression a burn-rate alarm compares.
const VALUE_ID: &str = "burn";

/// The names of the three alarms of one burn speed of target `slo`:
/// (composite, long window, short window).
pub fn names(slo: &str, burn: &BurnAlarm) -> (String, String, String) {
    let composite = format!("{slo}-burn-{}", burn.speed);
    let long = format!("{composite}-{}", period_label(burn.long_secs));
    let short = format!("{composite}-{}", period_label(burn.short_secs));
    (composite, long, short)
}

/// A number as metric math and descriptions write it: no float noise
/// (`100 - 99.9` is `0.1`, not `0.09999999999999432`).
fn number(v: f64) -> String {
    let rounded = (v * 1e9).round() / 1e9;
    format!("{rounded}")
}

/// Every burn-rate alarm of `slo` notifying `topic`, children before
/// their composite; none when the target does not ask for them.
pub fn burn_alarms(slo: &Slo, topic: &str) -> Vec<Resource> {
    if !slo.alarms {
        return Vec::new();
    }
    let mut out = Vec::new();
    for burn in &BURN_ALARMS {
        let (composite, long, short) = names(&slo.name, burn);
        out.push(Resource::Alarm(window_alarm(
            slo,
            burn,
            long.clone(),
            burn.long_secs,
            "long",
        )));
        out.push(Resource::Alarm(window_alarm(
            slo,
            burn,
            short.clone(),
            burn.short_secs,
            "short",
        )));
        let lasts_days = slo.window_secs as f64 / burn.rate / 86_400.0;
        out.push(Resource::CompositeAlarm(CompositeAlarm {
            name: composite,
            description: format!(
                "{}: error budget burning at {}x or more over both {} and {} ({} burn; at that rate the {} budget lasts {:.1} days)",
                slo.name,
                number(burn.rate),
                period_label(burn.long_secs),
                period_label(burn.short_secs),
                burn.speed,
                period_label(u32::try_from(slo.window_secs).unwrap_or(u32::MAX)),
                lasts_days
            ),
            rule: format!("ALARM(\"{long}\") AND ALARM(\"{short}\")"),
            topics: vec![topic.to_string()],
        }));
    }
    out
}

/// The metric-math alarm of one window of one burn speed.
fn window_alarm(slo: &Slo, burn: &BurnAlarm, name: String, window: u32, which: &str) -> Alarm {
    let (period, expression, evaluation_periods, datapoints, threshold) = match &slo.sli {
        Sli::Ratio { bad, total } => (
            window,
            format!(
                "100 * ({bad}) / ({total}) / {}",
                number(100.0 - slo.objective)
            ),
            1,
            None,
            burn.rate,
        ),
        Sli::Threshold { good } => {
            let period = slo.period_secs;
            let n = window.div_ceil(period).max(1);
            let m = ((burn.rate * slo.allowed_bad() * f64::from(n)) - 1e-9)
                .ceil()
                .clamp(1.0, f64::from(n)) as u32;
            (period, format!("1 - ({good})"), n, Some(m), 1.0)
        }
    };
    let mut queries: Vec<MetricQuery> = slo
        .metrics
        .iter()
        .map(|m| MetricQuery {
            return_data: false,
            ..MetricQuery::metric(m.id.clone(), m.metric.clone(), &m.stat, period)
        })
        .collect();
    queries.push(MetricQuery {
        id: VALUE_ID.into(),
        source: QuerySource::Expression {
            expression,
            period_secs: None,
        },
        label: None,
        return_data: true,
    });
    Alarm {
        description: format!(
            "{}: budget burning at {}x or more over {} ({} burn, {} window); it notifies nobody, its composite {} does",
            slo.name,
            number(burn.rate),
            period_label(window),
            burn.speed,
            which,
            names(&slo.name, burn).0
        ),
        name,
        namespace: String::new(),
        metric: String::new(),
        dimensions: Default::default(),
        statistic: String::new(),
        queries,
        period,
        evaluation_periods,
        datapoints_to_alarm: datapoints,
        threshold,
        comparison: "GreaterThanOrEqualToThreshold".into(),
        treat_missing_data: "notBreaching".into(),
        topics: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
