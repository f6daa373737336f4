//! The demo account's alarms: the seed's four metric alarms, one
//! anomaly-detection alarm (API requests outside their band) and one
//! composite, with CloudWatch's state machine stepped in one-minute
//! evaluation ticks, their history, and the writes AWS accepts on them
//! (SetAlarmState, Enable/DisableAlarmActions, tags).

use std::collections::{BTreeMap, VecDeque};

use jiff::Timestamp;

use super::catalog::{ACCOUNT_ID, ApiMetric, BatchMetric, Catalog, DmsMetric, REGION};
use super::stats::Statistic;
use super::store::{MetricData, epoch_minute, minute_start};
use crate::model::anomaly::{self, Band};
use crate::model::evaluate::{Outcome, Rule, evaluate, evaluate_band};
use crate::model::reason_data::ReasonData;
use crate::model::{
    Alarm, AlarmKind, AlarmState, Comparison, HistoryItem, HistoryKind, MetricAlarmSpec,
    MetricQuery, MetricRef, QuerySource, TimeRange, TreatMissingData,
};
use crate::provider::ProviderError;

/// How far back the state machine starts evaluating on first use, minutes.
pub const WARM_UP_MINUTES: i64 = 24 * 60;
/// History entries kept per alarm (CloudWatch keeps 30 days; the demo less).
const HISTORY_CAP: usize = 500;

/// The ARN of the platform's SNS alert topic.
pub fn alert_topic(prefix: &str) -> String {
    format!("arn:aws:sns:{REGION}:{ACCOUNT_ID}:{prefix}-alerts")
}

/// One alarm with everything the account keeps about it.
#[derive(Debug, Clone)]
struct Record {
    alarm: Alarm,
    /// For composites: the alarms whose ALARM state the rule ORs together.
    children: Vec<String>,
    tags: BTreeMap<String, String>,
    history: VecDeque<HistoryItem>,
}

impl Record {
    fn push_history(&mut self, item: HistoryItem) {
        if self.history.len() == HISTORY_CAP {
            self.history.pop_front();
        }
        self.history.push_back(item);
    }

    /// Moves to `state` at `at`, recording the transition (and the action
    /// CloudWatch would run): a new episode starts.
    fn transition(&mut self, state: AlarmState, reason: String, at: Timestamp) {
        let from = self.alarm.state;
        self.alarm.state = state;
        self.alarm.reason = reason;
        self.alarm.reason_data = None;
        self.alarm.updated_at = at;
        self.alarm.transitioned_at = at;
        let name = self.alarm.name.clone();
        self.push_history(HistoryItem {
            alarm_name: name.clone(),
            timestamp: at,
            kind: HistoryKind::StateUpdate,
            summary: format!("Alarm updated from {from} to {state}"),
            transition: Some((from, state)),
        });
        let actions = match state {
            AlarmState::Alarm => self.alarm.alarm_actions.clone(),
            AlarmState::Ok => self.alarm.ok_actions.clone(),
            AlarmState::InsufficientData => self.alarm.insufficient_data_actions.clone(),
        };
        if self.alarm.actions_enabled {
            for action in actions {
                self.push_history(HistoryItem {
                    alarm_name: name.clone(),
                    timestamp: at,
                    kind: HistoryKind::Action,
                    summary: format!("Successfully executed action {action}"),
                    transition: None,
                });
            }
        }
    }

    /// Applies an evaluation's `outcome` at `at`: another state is a
    /// transition; the same state with a new reason only updates the state
    /// (StateUpdatedTimestamp moves, the episode does not).
    /// `reason_data` is the StateReasonData document that goes with the
    /// outcome's reason (none for composites).
    fn apply(&mut self, outcome: Outcome, reason_data: Option<String>, at: Timestamp) {
        if outcome.state != self.alarm.state {
            self.transition(outcome.state, outcome.reason, at);
            self.alarm.reason_data = reason_data;
        } else if outcome.reason != self.alarm.reason {
            self.alarm.reason = outcome.reason;
            self.alarm.reason_data = reason_data;
            self.alarm.updated_at = at;
        }
    }
}

/// All alarms of the account and the position of the evaluation clock.
#[derive(Debug, Clone)]
pub struct AlarmBook {
    records: Vec<Record>,
    /// The next epoch minute to evaluate; `None` before first use.
    next_tick: Option<i64>,
}

/// What the seed's metric alarms differ in.
struct MetricAlarmDef {
    suffix: &'static str,
    description: &'static str,
    metric: MetricRef,
    stat: &'static str,
    period_secs: u32,
    evaluation_periods: u32,
    datapoints_to_alarm: u32,
    threshold: f64,
    comparison: Comparison,
    treat_missing: TreatMissingData,
}

impl AlarmBook {
    /// The seed's alarms for `prefix`, not yet evaluated.
    pub fn seed(prefix: &str) -> Self {
        let catalog = Catalog::new(prefix);
        let defs = [
            MetricAlarmDef {
                suffix: "dms-replication-lag",
                description: "DMS replication lag above 5 minutes (CDCLatencySource > 300 s)",
                metric: catalog.dms(DmsMetric::CdcLatencySource),
                stat: "Average",
                period_secs: 60,
                evaluation_periods: 3,
                datapoints_to_alarm: 2,
                threshold: 300.0,
                comparison: Comparison::GreaterThanThreshold,
                treat_missing: TreatMissingData::Missing,
            },
            MetricAlarmDef {
                suffix: "lambda-errors",
                description: "Lambda errors above 10 in 5 minutes, all functions",
                metric: MetricRef::new("AWS/Lambda", "Errors", vec![]),
                stat: "Sum",
                period_secs: 300,
                evaluation_periods: 1,
                datapoints_to_alarm: 1,
                threshold: 10.0,
                comparison: Comparison::GreaterThanThreshold,
                treat_missing: TreatMissingData::NotBreaching,
            },
            MetricAlarmDef {
                suffix: "api-5xx-errors",
                description: "API Gateway 5xx errors above 5 in 5 minutes",
                metric: catalog.api(ApiMetric::Error5xx),
                stat: "Sum",
                period_secs: 300,
                evaluation_periods: 1,
                datapoints_to_alarm: 1,
                threshold: 5.0,
                comparison: Comparison::GreaterThanThreshold,
                treat_missing: TreatMissingData::NotBreaching,
            },
            MetricAlarmDef {
                suffix: "batch-job-failures",
                description: "Any Batch job failure",
                metric: catalog.batch(BatchMetric::Failed),
                stat: "Sum",
                period_secs: 300,
                evaluation_periods: 1,
                datapoints_to_alarm: 1,
                threshold: 1.0,
                comparison: Comparison::GreaterThanOrEqualToThreshold,
                treat_missing: TreatMissingData::NotBreaching,
            },
        ];
        let mut records: Vec<Record> = defs
            .into_iter()
            .map(|d| {
                let spec = MetricAlarmSpec {
                    metric: Some(d.metric),
                    stat: d.stat.to_string(),
                    period_secs: d.period_secs,
                    evaluation_periods: d.evaluation_periods,
                    datapoints_to_alarm: Some(d.datapoints_to_alarm),
                    threshold: d.threshold,
                    comparison: d.comparison,
                    treat_missing: d.treat_missing,
                    queries: Vec::new(),
                    threshold_metric_id: None,
                };
                new_record(
                    prefix,
                    d.suffix,
                    d.description,
                    AlarmKind::Metric(spec),
                    vec![],
                )
            })
            .collect();
        records.push(new_record(
            prefix,
            "api-requests-anomaly",
            "API Gateway requests outside their anomaly-detection band (3 deviations), 2 of 3 periods",
            AlarmKind::Metric(anomaly_spec(catalog.api(ApiMetric::Count))),
            vec![],
        ));
        let children = vec![
            format!("{prefix}-lambda-errors"),
            format!("{prefix}-api-5xx-errors"),
        ];
        let rule = children
            .iter()
            .map(|c| format!("ALARM(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" OR ");
        records.push(new_record(
            prefix,
            "platform-degraded",
            "Platform degraded: Lambda errors or API Gateway 5xx errors",
            AlarmKind::Composite { rule },
            children,
        ));
        Self {
            records,
            next_tick: None,
        }
    }

    /// Evaluates every tick up to `now`. On first use the alarms are created
    /// [`WARM_UP_MINUTES`] before `now`, so there is history to show; after
    /// a jump longer than that, the ticks in between are skipped.
    pub fn advance(&mut self, now: Timestamp, data: &MetricData<'_>) {
        let now_minute = epoch_minute(now);
        let first = match self.next_tick {
            Some(next) => next.max(now_minute - WARM_UP_MINUTES),
            None => {
                let created = now_minute - WARM_UP_MINUTES;
                self.create_at(created);
                created + 1
            }
        };
        for tick in first..=now_minute {
            self.tick(tick, data);
        }
        self.next_tick = Some(first.max(now_minute + 1));
    }

    fn create_at(&mut self, minute: i64) {
        let at = minute_start(minute);
        for r in &mut self.records {
            r.alarm.updated_at = at;
            r.alarm.transitioned_at = at;
            let item = HistoryItem {
                alarm_name: r.alarm.name.clone(),
                timestamp: at,
                kind: HistoryKind::ConfigurationUpdate,
                summary: format!("Alarm \"{}\" created", r.alarm.name),
                transition: None,
            };
            r.push_history(item);
        }
    }

    /// One evaluation at the start of epoch minute `tick`: metric alarms
    /// over their completed periods, then composites over their children.
    fn tick(&mut self, tick: i64, data: &MetricData<'_>) {
        let at = minute_start(tick);
        for r in &mut self.records {
            let AlarmKind::Metric(spec) = &r.alarm.kind else {
                continue;
            };
            let (outcome, reason_data) = evaluate_metric_alarm(spec, tick, r.alarm.state, data);
            r.apply(outcome, Some(reason_data), at);
        }
        for i in 0..self.records.len() {
            if self.records[i].children.is_empty() {
                continue;
            }
            let outcome = self.composite_state(&self.records[i].children, at);
            self.records[i].apply(outcome, None, at);
        }
    }

    fn composite_state(&self, children: &[String], at: Timestamp) -> Outcome {
        let states: Vec<(&Alarm, AlarmState)> = children
            .iter()
            .filter_map(|c| self.find(c).map(|r| (&r.alarm, r.alarm.state)))
            .collect();
        let firing: Vec<String> = states
            .iter()
            .filter(|(_, s)| *s == AlarmState::Alarm)
            .map(|(a, _)| format!("{} transitioned to ALARM at {}", a.arn, a.transitioned_at))
            .collect();
        if !firing.is_empty() {
            return Outcome {
                state: AlarmState::Alarm,
                reason: firing.join("; "),
                decided: Vec::new(),
            };
        }
        let listed = states
            .iter()
            .map(|(a, s)| format!("{} is {s}", a.name))
            .collect::<Vec<_>>()
            .join(", ");
        if states
            .iter()
            .all(|(_, s)| *s == AlarmState::InsufficientData)
        {
            return Outcome {
                state: AlarmState::InsufficientData,
                reason: format!("No alarm in the rule has data at {at}: {listed}"),
                decided: Vec::new(),
            };
        }
        Outcome {
            state: AlarmState::Ok,
            reason: format!("No alarm in the rule is in ALARM: {listed}"),
            decided: Vec::new(),
        }
    }

    fn find(&self, name: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.alarm.name == name)
    }

    fn find_mut(&mut self, name: &str) -> Result<&mut Record, ProviderError> {
        self.records
            .iter_mut()
            .find(|r| r.alarm.name == name)
            .ok_or_else(|| ProviderError::NotFound(format!("alarm {name}")))
    }

    fn index_by_arn(&self, arn: &str) -> Result<usize, ProviderError> {
        self.records
            .iter()
            .position(|r| r.alarm.arn == arn)
            .ok_or_else(|| ProviderError::NotFound(format!("resource {arn}")))
    }

    /// Every alarm with its current state.
    pub fn alarms(&self) -> Vec<Alarm> {
        self.records.iter().map(|r| r.alarm.clone()).collect()
    }

    /// History of alarm `name` within `range`, newest first, at most `limit`.
    pub fn history(
        &self,
        name: &str,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, ProviderError> {
        let r = self
            .find(name)
            .ok_or_else(|| ProviderError::NotFound(format!("alarm {name}")))?;
        Ok(r.history
            .iter()
            .rev()
            .filter(|h| h.timestamp >= range.start && h.timestamp < range.end)
            .take(limit)
            .cloned()
            .collect())
    }

    /// State changes of every alarm within `range`, newest first, at most
    /// `limit`.
    pub fn state_changes(&self, range: TimeRange, limit: usize) -> Vec<HistoryItem> {
        let mut changes: Vec<HistoryItem> = self
            .records
            .iter()
            .flat_map(|r| r.history.iter())
            .filter(|h| {
                h.kind == HistoryKind::StateUpdate
                    && h.timestamp >= range.start
                    && h.timestamp < range.end
            })
            .cloned()
            .collect();
        changes.sort_by_key(|h| std::cmp::Reverse(h.timestamp));
        changes.truncate(limit);
        changes
    }

    /// SetAlarmState: the state holds until an evaluation disagrees. Setting
    /// the current state again only replaces the reason and the update time
    /// (same episode).
    pub fn set_state(
        &mut self,
        name: &str,
        state: AlarmState,
        reason: &str,
        now: Timestamp,
    ) -> Result<(), ProviderError> {
        let r = self.find_mut(name)?;
        if r.alarm.state == state {
            r.alarm.reason = reason.to_string();
            r.alarm.reason_data = None;
            r.alarm.updated_at = now;
            let item = HistoryItem {
                alarm_name: name.to_string(),
                timestamp: now,
                kind: HistoryKind::StateUpdate,
                summary: format!("Alarm state set to {state} (unchanged): {reason}"),
                transition: None,
            };
            r.push_history(item);
        } else {
            r.transition(state, reason.to_string(), now);
        }
        Ok(())
    }

    /// Enable/DisableAlarmActions; fails without changing anything if a name
    /// is unknown.
    pub fn set_actions_enabled(
        &mut self,
        names: &[String],
        enabled: bool,
    ) -> Result<(), ProviderError> {
        if let Some(unknown) = names.iter().find(|n| self.find(n).is_none()) {
            return Err(ProviderError::NotFound(format!("alarm {unknown}")));
        }
        for name in names {
            self.find_mut(name)?.alarm.actions_enabled = enabled;
        }
        Ok(())
    }

    /// The tags of the alarm with `arn`.
    pub fn tags(&self, arn: &str) -> Result<BTreeMap<String, String>, ProviderError> {
        Ok(self.records[self.index_by_arn(arn)?].tags.clone())
    }

    /// Adds or overwrites tags on the alarm with `arn`.
    pub fn tag(&mut self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), ProviderError> {
        let i = self.index_by_arn(arn)?;
        let r = &mut self.records[i];
        r.tags
            .extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(())
    }

    /// Removes tags from the alarm with `arn`.
    pub fn untag(&mut self, arn: &str, keys: &[String]) -> Result<(), ProviderError> {
        let i = self.index_by_arn(arn)?;
        let r = &mut self.records[i];
        for k in keys {
            r.tags.remove(k);
        }
        Ok(())
    }
}

/// The seed's anomaly-detection alarm on `metric`: its queries as
/// PutMetricAlarm takes them (`m1` the metric, `ad1` its band), judged
/// against the band, as the AWS side reads such an alarm back.
fn anomaly_spec(metric: MetricRef) -> MetricAlarmSpec {
    let mut m1 = MetricQuery::metric("m1", metric.clone(), "Sum", 300);
    m1.label = Some("Requests".to_string());
    let band = MetricQuery {
        id: "ad1".to_string(),
        source: QuerySource::Expression {
            expression: "ANOMALY_DETECTION_BAND(m1, 3)".to_string(),
            period_secs: None,
        },
        label: Some("Requests (expected)".to_string()),
        return_data: true,
    };
    MetricAlarmSpec {
        metric: Some(metric),
        stat: "Sum".to_string(),
        period_secs: 300,
        evaluation_periods: 3,
        datapoints_to_alarm: Some(2),
        threshold: 0.0,
        comparison: Comparison::LessThanLowerOrGreaterThanUpperThreshold,
        treat_missing: TreatMissingData::Missing,
        queries: vec![m1, band],
        threshold_metric_id: Some("ad1".to_string()),
    }
}

fn new_record(
    prefix: &str,
    suffix: &str,
    description: &str,
    kind: AlarmKind,
    children: Vec<String>,
) -> Record {
    let name = format!("{prefix}-{suffix}");
    let topic = alert_topic(prefix);
    Record {
        alarm: Alarm {
            arn: format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:{name}"),
            name,
            description: Some(description.to_string()),
            state: AlarmState::InsufficientData,
            reason: "Unchecked: Initial alarm creation".to_string(),
            reason_data: None,
            updated_at: Timestamp::UNIX_EPOCH,
            transitioned_at: Timestamp::UNIX_EPOCH,
            kind,
            actions_enabled: true,
            alarm_actions: vec![topic.clone()],
            ok_actions: vec![topic],
            insufficient_data_actions: vec![],
        },
        children,
        tags: BTreeMap::new(),
        history: VecDeque::new(),
    }
}

/// Evaluates a metric alarm at epoch minute `tick` over its last N completed
/// periods (aligned to the period): the outcome and its StateReasonData.
fn evaluate_metric_alarm(
    spec: &MetricAlarmSpec,
    tick: i64,
    current: AlarmState,
    data: &MetricData<'_>,
) -> (Outcome, String) {
    let period = i64::from(spec.period_secs.div_ceil(60).max(1));
    let (m, n) = spec.m_of_n();
    let last_end = tick.div_euclid(period) * period;
    let stat = Statistic::parse(&spec.stat);
    let width = spec.band_expression().map(|b| b.width);
    // A band alarm also reads the periods its band is trained on.
    let history = if width.is_some() {
        anomaly::TRAINING_PERIODS as i64
    } else {
        0
    };
    let points: Vec<_> = (1..=i64::from(n) + history)
        .rev()
        .map(|k| {
            let start = last_end - k * period;
            let value = match (&spec.metric, stat) {
                (Some(metric), Some(stat)) => data.aggregate(metric, stat, start, start + period),
                _ => None,
            };
            (minute_start(start), value)
        })
        .collect();
    let rule = Rule {
        datapoints_to_alarm: m,
        comparison: spec.comparison,
        threshold: spec.threshold,
        treat_missing: spec.treat_missing,
    };
    let (trained, points) = points.split_at(history as usize);
    let outcome = match width {
        Some(width) => {
            let known: Vec<(Timestamp, f64)> = trained
                .iter()
                .chain(points)
                .filter_map(|(t, v)| v.map(|v| (*t, v)))
                .collect();
            let from = points.first().map_or(Timestamp::MAX, |p| p.0);
            let band = Band::trained("", &known, from, width);
            evaluate_band(points, &|t| band.at(t), &rule, current)
        }
        None => evaluate(points, &rule, current),
    };
    let reason_data = ReasonData::of_evaluation(
        points,
        &outcome,
        &spec.stat,
        spec.period_secs,
        spec.threshold,
        minute_start(tick),
    );
    (outcome, reason_data.to_json())
}
