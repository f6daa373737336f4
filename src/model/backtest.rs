//! What an alarm would have done over past data: the shared [`evaluate`]
//! stepped once a period over the alarm's datapoints (with another
//! threshold or M of N if asked), its ALARM episodes, set beside the
//! episodes the alarm really had (its StateUpdate history). Pure: the data
//! layer fetches, this replays.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::evaluate::{Rule, evaluate};
use super::explain::points_in;
use super::{AlarmState, HistoryItem, MetricAlarmSpec, TimeRange};

/// What to change in the alarm's rule for the replay.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    /// Another threshold.
    pub threshold: Option<f64>,
    /// Another N.
    pub evaluation_periods: Option<u32>,
    /// Another M.
    pub datapoints_to_alarm: Option<u32>,
}

/// Why a replay cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BacktestError {
    /// M larger than N can never alarm.
    #[error("datapoints to alarm ({m}) is more than evaluation periods ({n})")]
    MOverN {
        /// M.
        m: u32,
        /// N.
        n: u32,
    },
}

/// The rule replayed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayedRule {
    /// Threshold.
    pub threshold: f64,
    /// N.
    pub evaluation_periods: u32,
    /// M.
    pub datapoints_to_alarm: u32,
    /// Period in seconds.
    pub period_secs: u32,
}

impl ReplayedRule {
    /// The alarm's rule with `overrides` applied.
    pub fn of(spec: &MetricAlarmSpec, overrides: Overrides) -> Result<Self, BacktestError> {
        let (m, n) = spec.m_of_n();
        let n = overrides.evaluation_periods.unwrap_or(n).max(1);
        let m = overrides.datapoints_to_alarm.unwrap_or(m.min(n)).max(1);
        if m > n {
            return Err(BacktestError::MOverN { m, n });
        }
        Ok(Self {
            threshold: overrides.threshold.unwrap_or(spec.threshold),
            evaluation_periods: n,
            datapoints_to_alarm: m,
            period_secs: spec.period_secs.max(1),
        })
    }

    /// How far before `since` data is needed for the first full window.
    pub fn lead(&self) -> SignedDuration {
        SignedDuration::from_secs(i64::from(self.period_secs)) * (self.evaluation_periods as i32)
    }
}

/// One ALARM episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Episode {
    /// When it entered ALARM.
    pub start: Timestamp,
    /// When it left (`None`: still in ALARM at the end of the range).
    pub end: Option<Timestamp>,
}

/// Episodes with their count and time in ALARM.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episodes {
    /// The episodes, oldest first.
    pub episodes: Vec<Episode>,
    /// How many.
    pub count: usize,
    /// Seconds in ALARM within the range.
    pub alarm_secs: i64,
}

impl Episodes {
    fn of(episodes: Vec<Episode>, range: TimeRange) -> Self {
        let alarm_secs = episodes
            .iter()
            .map(|e| {
                let start = e.start.max(range.start);
                let end = e.end.unwrap_or(range.end).min(range.end);
                end.duration_since(start).as_secs().max(0)
            })
            .sum();
        Self {
            count: episodes.len(),
            episodes,
            alarm_secs,
        }
    }

    /// Whether any episode overlaps `[start, end)`.
    pub fn in_alarm_during(&self, start: Timestamp, end: Timestamp, until: Timestamp) -> bool {
        self.episodes
            .iter()
            .any(|e| e.start < end && e.end.unwrap_or(until) > start)
    }
}

/// A replay beside reality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// The range replayed.
    pub range: TimeRange,
    /// The rule replayed.
    pub rule: ReplayedRule,
    /// What the rule would have done.
    pub would: Episodes,
    /// What the alarm did (from its state history).
    pub did: Episodes,
    /// Periods without data in the range.
    pub missing_periods: usize,
    /// Periods evaluated.
    pub evaluations: usize,
}

/// Replays `rule` (built from `spec`) over `series` (the alarm's
/// datapoints from [`ReplayedRule::lead`] before `range.start`) at every
/// period end in `range`, and reads the real episodes from `history`
/// (StateUpdate items, any order).
pub fn backtest(
    spec: &MetricAlarmSpec,
    rule: &ReplayedRule,
    series: &[(Timestamp, f64)],
    history: &[HistoryItem],
    range: TimeRange,
) -> Backtest {
    let period = SignedDuration::from_secs(i64::from(rule.period_secs));
    let secs = i64::from(rule.period_secs);
    let aligned =
        |t: Timestamp| Timestamp::from_second(t.as_second().div_euclid(secs) * secs).unwrap_or(t);
    let lead = rule.lead();
    let all = points_in(
        TimeRange {
            start: aligned(range.start) - lead,
            end: aligned(range.end),
        },
        rule.period_secs,
        series,
    );
    let eval_rule = Rule {
        datapoints_to_alarm: rule.datapoints_to_alarm,
        comparison: spec.comparison,
        threshold: rule.threshold,
        treat_missing: spec.treat_missing,
    };
    let n = rule.evaluation_periods as usize;
    let mut state = AlarmState::InsufficientData;
    let mut episodes = Vec::new();
    let mut open: Option<Timestamp> = None;
    let mut evaluations = 0;
    for window in all.windows(n) {
        let at = window[n - 1].0 + period;
        if at < range.start || at > range.end {
            continue;
        }
        evaluations += 1;
        let next = evaluate(window, &eval_rule, state).state;
        if next == AlarmState::Alarm && open.is_none() {
            open = Some(at);
        } else if next != AlarmState::Alarm
            && let Some(start) = open.take()
        {
            episodes.push(Episode {
                start,
                end: Some(at),
            });
        }
        state = next;
    }
    if let Some(start) = open {
        episodes.push(Episode { start, end: None });
    }
    let missing_periods = all
        .iter()
        .filter(|(t, v)| *t >= range.start && v.is_none())
        .count();
    Backtest {
        range,
        rule: rule.clone(),
        would: Episodes::of(episodes, range),
        did: Episodes::of(real_episodes(history, range), range),
        missing_periods,
        evaluations,
    }
}

/// The ALARM episodes a state history tells, oldest first: a first change
/// out of ALARM means the alarm was already in ALARM at the range start.
pub fn real_episodes(history: &[HistoryItem], range: TimeRange) -> Vec<Episode> {
    let mut changes: Vec<(Timestamp, AlarmState, AlarmState)> = history
        .iter()
        .filter_map(|h| h.transition.map(|(from, to)| (h.timestamp, from, to)))
        .filter(|(_, from, to)| from != to)
        .collect();
    changes.sort_by_key(|(t, ..)| *t);
    let mut out = Vec::new();
    let mut open = changes
        .first()
        .filter(|(_, from, _)| *from == AlarmState::Alarm)
        .map(|_| range.start);
    for (t, _, to) in changes {
        if to == AlarmState::Alarm {
            open.get_or_insert(t);
        } else if let Some(start) = open.take() {
            out.push(Episode {
                start,
                end: Some(t),
            });
        }
    }
    if let Some(start) = open {
        out.push(Episode { start, end: None });
    }
    out
}

/// One text row per side, `width` characters across the range: `#` where
/// the side was in ALARM at any time in that slice, `.` elsewhere.
pub fn chart_rows(b: &Backtest, width: usize) -> (String, String) {
    let width = width.max(1);
    let span = b.range.end.duration_since(b.range.start).as_secs().max(1);
    let row = |e: &Episodes| -> String {
        (0..width)
            .map(|i| {
                let from =
                    b.range.start + SignedDuration::from_secs(span * i as i64 / width as i64);
                let to =
                    b.range.start + SignedDuration::from_secs(span * (i as i64 + 1) / width as i64);
                if e.in_alarm_during(from, to, b.range.end) {
                    '#'
                } else {
                    '.'
                }
            })
            .collect()
    };
    (row(&b.would), row(&b.did))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comparison, HistoryKind, MetricRef, TreatMissingData};

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn spec() -> MetricAlarmSpec {
        MetricAlarmSpec {
            metric: Some(MetricRef::new("N", "M", vec![])),
            stat: "Sum".into(),
            period_secs: 60,
            evaluation_periods: 2,
            datapoints_to_alarm: Some(2),
            threshold: 10.0,
            comparison: Comparison::GreaterThanThreshold,
            treat_missing: TreatMissingData::Missing,
            queries: Vec::new(),
            threshold_metric_id: None,
        }
    }

    /// Minute values from 10:00.
    fn series(values: &[f64]) -> Vec<(Timestamp, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    t("2026-11-27T10:00:00Z") + SignedDuration::from_mins(i as i64),
                    *v,
                )
            })
            .collect()
    }

    fn change(at: &str, from: AlarmState, to: AlarmState) -> HistoryItem {
        HistoryItem {
            alarm_name: "a".into(),
            timestamp: t(at),
            kind: HistoryKind::StateUpdate,
            summary: String::new(),
            transition: Some((from, to)),
        }
    }

    fn range() -> TimeRange {
        TimeRange {
            start: t("2026-11-27T10:02:00Z"),
            end: t("2026-11-27T10:10:00Z"),
        }
    }

    #[test]
    fn episodes_follow_m_of_n() {
        let s = series(&[0.0, 0.0, 20.0, 20.0, 20.0, 0.0, 0.0, 20.0, 0.0, 20.0]);
        let rule = ReplayedRule::of(&spec(), Overrides::default()).unwrap();
        let b = backtest(&spec(), &rule, &s, &[], range());
        // Windows ending 10:04 (20, 20) and 10:05 (20, 20) alarm; 10:06 clears.
        assert_eq!(
            b.would.episodes,
            [Episode {
                start: t("2026-11-27T10:04:00Z"),
                end: Some(t("2026-11-27T10:06:00Z"))
            }]
        );
        assert_eq!(b.would.alarm_secs, 120);
        assert_eq!(b.evaluations, 9, "10:02 to 10:10, both ends");
        let one_of_two = ReplayedRule::of(
            &spec(),
            Overrides {
                datapoints_to_alarm: Some(1),
                ..Overrides::default()
            },
        )
        .unwrap();
        let b = backtest(&spec(), &one_of_two, &s, &[], range());
        assert_eq!(b.would.count, 2, "{:?}", b.would.episodes);
        assert_eq!(b.would.episodes[1].end, None, "still in ALARM at the end");
        let higher = ReplayedRule::of(
            &spec(),
            Overrides {
                threshold: Some(50.0),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(backtest(&spec(), &higher, &s, &[], range()).would.count, 0);
    }

    #[test]
    fn m_over_n_is_refused() {
        let over = Overrides {
            evaluation_periods: Some(1),
            datapoints_to_alarm: Some(3),
            ..Overrides::default()
        };
        assert_eq!(
            ReplayedRule::of(&spec(), over),
            Err(BacktestError::MOverN { m: 3, n: 1 })
        );
    }

    #[test]
    fn real_episodes_come_from_the_history() {
        use AlarmState::{Alarm, InsufficientData, Ok};
        let history = [
            change("2026-11-27T10:08:00Z", Ok, Alarm),
            change("2026-11-27T10:03:00Z", Alarm, Ok),
            change("2026-11-27T10:05:00Z", Ok, InsufficientData),
            change("2026-11-27T10:06:00Z", InsufficientData, InsufficientData),
        ];
        let eps = real_episodes(&history, range());
        assert_eq!(
            eps,
            [
                Episode {
                    start: t("2026-11-27T10:02:00Z"),
                    end: Some(t("2026-11-27T10:03:00Z"))
                },
                Episode {
                    start: t("2026-11-27T10:08:00Z"),
                    end: None
                }
            ]
        );
        assert_eq!(Episodes::of(eps, range()).alarm_secs, 60 + 120);
    }

    #[test]
    fn the_chart_marks_alarm_slices() {
        let s = series(&[0.0, 0.0, 20.0, 20.0, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        let rule = ReplayedRule::of(&spec(), Overrides::default()).unwrap();
        let history = [change(
            "2026-11-27T10:09:00Z",
            AlarmState::Ok,
            AlarmState::Alarm,
        )];
        let b = backtest(&spec(), &rule, &s, &history, range());
        let (would, did) = chart_rows(&b, 8);
        assert_eq!(would, "..##....");
        assert_eq!(did, ".......#");
    }
}
