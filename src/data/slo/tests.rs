use std::sync::Arc;

use super::*;
use crate::data::test_support::CountingMetrics;
use crate::model::slo::{BURN_WINDOWS, Sli};
use crate::model::{ManualClock, QuerySource, Series};
use crate::provider::sim::SimProvider;

const PREFIX: &str = "ecommerce-ai-platform";

fn demo(now: &str) -> (Arc<SimProvider>, Timestamp) {
    let now: Timestamp = now.parse().unwrap();
    let clock = Arc::new(ManualClock::new(now));
    (Arc::new(SimProvider::new(23, clock, PREFIX)), now)
}

fn targets() -> Vec<Slo> {
    let env = ResolvedEnv {
        prefix: PREFIX.into(),
        ..ResolvedEnv::demo()
    };
    targets_of(&env).unwrap()
}

/// One target's metrics fetched as plain metrics (no math), over the same
/// range: the datapoints the hand computation starts from.
async fn raw_points(
    sim: &SimProvider,
    slo: &Slo,
    range: TimeRange,
) -> std::collections::BTreeMap<String, Series> {
    let queries: Vec<MetricQuery> = slo
        .metrics
        .iter()
        .map(|m| MetricQuery::metric(m.id.clone(), m.metric.clone(), &m.stat, slo.period_secs))
        .collect();
    sim.metric_data(&queries, range)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect()
}

/// (bad, total) per complete period, worked out by hand from the raw
/// points: the SLI definitions of the built-in spec written out in Rust.
fn by_hand(
    slo: &Slo,
    raw: &std::collections::BTreeMap<String, Series>,
    now: Timestamp,
) -> Vec<(Timestamp, f64, f64)> {
    let complete = |t: &Timestamp| t.as_second() + i64::from(slo.period_secs) <= now.as_second();
    let points = |id: &str| -> std::collections::BTreeMap<Timestamp, f64> {
        raw[id]
            .points
            .iter()
            .copied()
            .filter(|(t, _)| complete(t))
            .collect()
    };
    match slo.name.trim_start_matches(PREFIX) {
        "-dms-lag" => points("mlag")
            .into_iter()
            .map(|(t, lag)| (t, if lag < 300.0 { 0.0 } else { 1.0 }, 1.0))
            .collect(),
        "-lambda-duration" => points("mduration")
            .into_iter()
            .map(|(t, p99)| (t, if p99 < 30_000.0 { 0.0 } else { 1.0 }, 1.0))
            .collect(),
        "-api-5xx-rate" | "-lambda-error-rate" => {
            let (bad, total) = match &slo.sli {
                Sli::Ratio { bad, total } => (points(bad), points(total)),
                Sli::Threshold { .. } => unreachable!(),
            };
            total
                .into_iter()
                .filter(|(_, n)| *n > 0.0)
                .map(|(t, n)| (t, bad.get(&t).copied().unwrap_or(0.0), n))
                .collect()
        }
        "-batch-failure-rate" => {
            let (failed, succeeded) = (points("mfailed"), points("msucceeded"));
            let mut starts: Vec<Timestamp> =
                failed.keys().chain(succeeded.keys()).copied().collect();
            starts.sort();
            starts.dedup();
            starts
                .into_iter()
                .map(|t| {
                    let f = failed.get(&t).copied().unwrap_or(0.0);
                    (t, f, f + succeeded.get(&t).copied().unwrap_or(0.0))
                })
                .collect()
        }
        other => panic!("no hand computation for {other}"),
    }
}

fn share(periods: &[(Timestamp, f64, f64)], now: Timestamp, secs: u64) -> f64 {
    let since = now.as_second() - secs as i64;
    let (bad, total) = periods
        .iter()
        .filter(|(t, _, _)| t.as_second() >= since)
        .fold((0.0, 0.0), |(b, n), (_, pb, pn)| (b + pb, n + pn));
    bad / total
}

#[tokio::test]
async fn the_demo_s_targets_match_a_hand_computation_over_the_same_datapoints() {
    let (sim, now) = demo("2026-01-16T15:07:30Z");
    let slos = targets();
    assert_eq!(slos.len(), 5);
    let counting = CountingMetrics::new(Arc::clone(&sim) as Arc<dyn MetricsRead>);
    let statuses = statuses(&counting, &slos, now).await.unwrap();
    let calls = counting.calls();
    assert_eq!(calls.len(), 1, "one GetMetricData batch for every target");
    let (asked, range) = calls[0];
    assert_eq!(asked, queries(&slos).len());
    assert!(
        queries(&slos)
            .iter()
            .any(|q| matches!(&q.source, QuerySource::Expression { expression, .. } if expression == "mlag < 300")),
        "the SLI goes to the service as metric math"
    );
    for (slo, status) in slos.iter().zip(&statuses) {
        assert_eq!(status.error, None, "{}", slo.name);
        let raw = raw_points(&sim, slo, range).await;
        let periods = by_hand(slo, &raw, now);
        assert!(!periods.is_empty(), "{}", slo.name);
        let allowed = 1.0 - slo.objective / 100.0;
        let bad = share(&periods, now, slo.window_secs);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        let current = status.current.unwrap();
        assert!(
            close(current, 100.0 * (1.0 - bad)),
            "{}: {current} vs {}",
            slo.name,
            100.0 * (1.0 - bad)
        );
        let left = status.budget_remaining.unwrap();
        assert!(
            close(left, 100.0 * (1.0 - bad / allowed)),
            "{}: {left}",
            slo.name
        );
        for (b, (_, secs)) in status.burn_rates.iter().zip(BURN_WINDOWS) {
            let want = share(&periods, now, secs) / allowed;
            assert!(
                close(b.rate.unwrap(), want),
                "{} {}: {:?} vs {want}",
                slo.name,
                b.window,
                b.rate
            );
        }
    }
}

/// The demo story: the demo account's incidents spend budget, so some
/// target burns faster than its budget lasts (1 h burn rate at or above
/// 1x) at some five-minute step of the last three days, and burns slower
/// again at a later step, once the incident is over. Read from the one
/// batch the Overview's panel reads, at the pinned clock.
#[tokio::test]
async fn an_incident_burns_a_target_s_budget_and_the_burn_stops_after() {
    let (sim, now) = demo("2026-01-16T15:07:30Z");
    let slos = targets();
    let series = sim
        .metric_data(&queries(&slos), range(&slos, now))
        .await
        .unwrap();
    let steps: Vec<Timestamp> = (0..3 * 288)
        .rev()
        .map(|i| now - jiff::SignedDuration::from_mins(5 * i))
        .collect();
    let stories: Vec<&str> = slos
        .iter()
        .enumerate()
        .filter(|(k, slo)| {
            let periods = slo.periods(*k, &series, now).unwrap();
            let burn = |t: Timestamp| {
                crate::model::slo::bad_share(&periods, t, 3600).unwrap_or(0.0) / slo.allowed_bad()
            };
            let burns: Vec<f64> = steps.iter().map(|t| burn(*t)).collect();
            burns
                .iter()
                .position(|b| *b >= crate::model::slo::BURNING)
                .is_some_and(|first| {
                    burns[first..]
                        .iter()
                        .any(|b| *b < crate::model::slo::BURNING)
                })
        })
        .map(|(_, slo)| slo.name.as_str())
        .collect();
    assert!(
        !stories.is_empty(),
        "no target burned and then stopped burning"
    );
}

/// Launch times across a day and a half: night, morning, peak, evening,
/// each at another second of its minute.
const LAUNCHES: [&str; 5] = [
    "2026-11-27T03:00:00Z",
    "2026-11-27T09:17:42Z",
    "2026-11-27T13:58:05Z",
    "2026-11-27T15:31:59Z",
    "2026-11-28T22:44:30Z",
];

/// The 1 h burn rate of each target of the demo launched at `launch` with
/// `seed`, seen `after` the launch (as the Overview's targets job does).
async fn burns_1h(seed: u64, launch: &str, after: jiff::SignedDuration) -> Vec<(String, f64)> {
    let launch: Timestamp = launch.parse().unwrap();
    let clock = Arc::new(ManualClock::new(launch));
    let sim = SimProvider::new(seed, clock.clone(), PREFIX);
    clock.advance(after);
    let now = crate::model::Clock::now(clock.as_ref());
    statuses(&sim, &targets(), now)
        .await
        .unwrap()
        .into_iter()
        .map(|s| {
            let rate = s
                .burn_rates
                .iter()
                .find(|b| b.window == BURN_WINDOWS[0].0)
                .and_then(|b| b.rate)
                .unwrap_or(0.0);
            (s.name, rate)
        })
        .collect()
}

#[tokio::test]
async fn the_opening_incident_burns_a_target_at_launch_and_it_recovers_after() {
    for seed in [0, 23, 42] {
        for launch in LAUNCHES {
            let at_launch = burns_1h(seed, launch, jiff::SignedDuration::from_secs(60)).await;
            let burning: Vec<&(String, f64)> = at_launch
                .iter()
                .filter(|(_, rate)| *rate >= crate::model::slo::BURNING)
                .collect();
            assert!(
                !burning.is_empty(),
                "seed {seed} at {launch}: no target burns at launch: {at_launch:?}"
            );
            // The opening burst is over within the first half hour; an hour
            // later its errors have left the 1 h window.
            let later = burns_1h(seed, launch, jiff::SignedDuration::from_mins(100)).await;
            for (name, _) in &burning {
                let rate = later.iter().find(|(n, _)| n == name).unwrap().1;
                assert!(
                    rate < crate::model::slo::BURNING,
                    "seed {seed} at {launch}: {name} still burns {rate} after the incident"
                );
            }
        }
    }
}
