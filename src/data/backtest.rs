//! `alarms backtest`: fetches an alarm's datapoints over the replayed range
//! in as few GetMetricData calls as the 100,800-datapoint limit allows
//! (each call covers as many periods as fit) and its whole state history,
//! then hands them to [`crate::model::backtest`].

use jiff::{SignedDuration, Timestamp};

use super::explain::{ExplainFailure, judged_points};
use crate::model::backtest::{Backtest, BacktestError, Overrides, ReplayedRule, backtest};
use crate::model::explain::{ExplainError, alarm_queries};
use crate::model::{Alarm, TimeRange};
use crate::provider::Reads;
use crate::provider::metrics::MAX_DATAPOINTS_PER_CALL;

/// Why a backtest could not run.
#[derive(Debug, thiserror::Error)]
pub enum BacktestFailure {
    /// The alarm cannot be replayed, or a read failed.
    #[error(transparent)]
    Fetch(#[from] ExplainFailure),
    /// The overrides make no rule.
    #[error(transparent)]
    Rule(#[from] BacktestError),
}

/// A replay and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestRun {
    /// The replay beside reality.
    pub backtest: Backtest,
    /// GetMetricData requests made (one per range slice).
    pub metric_calls: usize,
}

/// The slices of `range` that each fit one GetMetricData call for
/// `series` returned series of `period_secs` periods, period-aligned.
pub fn slices(range: TimeRange, period_secs: u32, series: usize) -> Vec<TimeRange> {
    let per_call = (MAX_DATAPOINTS_PER_CALL / series.max(1)).max(1) as i64;
    let step = SignedDuration::from_secs(i64::from(period_secs.max(1)) * per_call);
    let mut out = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let end = (start + step).min(range.end);
        out.push(TimeRange { start, end });
        start = end;
    }
    out
}

/// Replays `alarm` with `overrides` over `range` (`range.end` is now).
pub async fn run_backtest(
    reads: &Reads,
    alarm: &Alarm,
    overrides: Overrides,
    range: TimeRange,
) -> Result<BacktestRun, BacktestFailure> {
    let (queries, judged) = alarm_queries(alarm).map_err(ExplainFailure::from)?;
    let spec = alarm
        .metric_spec()
        .ok_or_else(|| ExplainFailure::from(ExplainError::Composite(alarm.name.clone())))?;
    let rule = ReplayedRule::of(spec, overrides)?;
    let secs = i64::from(rule.period_secs);
    let aligned_start = Timestamp::from_second(range.start.as_second().div_euclid(secs) * secs)
        .unwrap_or(range.start);
    let fetch = TimeRange {
        start: aligned_start - rule.lead(),
        end: range.end,
    };
    let returned = queries.iter().filter(|q| q.return_data).count();
    let pieces = slices(fetch, rule.period_secs, returned);
    let points = judged_points(reads, &queries, &judged, &pieces)
        .await
        .map_err(ExplainFailure::from)?;
    let history = reads
        .alarms
        .alarm_state_history(&alarm.name, range)
        .await
        .map_err(ExplainFailure::from)?;
    Ok(BacktestRun {
        backtest: backtest(spec, &rule, &points, &history, range),
        metric_calls: pieces.len(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::ManualClock;
    use crate::provider::sim::SimProvider;
    use crate::provider::{Account, AlarmsRead};

    #[test]
    fn slices_hold_at_most_the_limit() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let fortnight = TimeRange {
            start: t("2026-11-13T00:00:00Z"),
            end: t("2026-11-27T00:00:00Z"),
        };
        assert_eq!(
            slices(fortnight, 60, 1).len(),
            1,
            "20,160 minutes fit one call"
        );
        assert_eq!(
            slices(fortnight, 10, 1).len(),
            2,
            "120,960 ten-second periods"
        );
        assert_eq!(slices(fortnight, 60, 6).len(), 2, "6 series x 20,160");
        let s = slices(fortnight, 10, 1);
        assert_eq!(s[0].end, s[1].start);
        assert_eq!(s[0].end.duration_since(s[0].start).as_secs(), 100_800 * 10);
    }

    /// On the demo account the replay of an alarm's own rule over the range
    /// the account evaluated finds the episodes the alarm really had.
    #[tokio::test]
    async fn the_demo_alarms_own_rule_replays_its_real_episodes() {
        let now: Timestamp = "2026-11-27T18:00:00Z".parse().unwrap();
        let sim = Arc::new(SimProvider::new(7, Arc::new(ManualClock::new(now)), "p"));
        let alarms = sim.list_alarms().await.unwrap();
        let reads = Account::of(sim).reads;
        let range = TimeRange {
            start: now - SignedDuration::from_hours(2),
            end: now,
        };
        let mut compared = 0;
        let static_threshold = |a: &&crate::model::Alarm| {
            a.metric_spec()
                .is_some_and(|s| s.threshold_metric_id.is_none())
        };
        for alarm in alarms.iter().filter(static_threshold) {
            let run = run_backtest(&reads, alarm, Overrides::default(), range)
                .await
                .unwrap();
            assert_eq!(run.metric_calls, 1);
            let b = run.backtest;
            // The account's first transitions in the range can differ only
            // in where an episode open at the start is cut.
            let cut = |e: &crate::model::backtest::Episodes| {
                e.episodes
                    .iter()
                    .filter(|x| x.start > range.start)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(cut(&b.would), cut(&b.did), "{}", alarm.name);
            compared += b.did.count;
        }
        assert!(compared > 0, "no real episode to compare with");
    }
}
