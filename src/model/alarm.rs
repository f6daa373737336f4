//! Alarms as monitui sees them, independent of where they came from.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::anomaly::BandExpression;
use super::metric::{MetricQuery, MetricRef, QuerySource};

/// The three CloudWatch alarm states. The derived order is the on-call
/// order: ALARM first, then INSUFFICIENT_DATA, then OK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmState {
    /// The alarm is firing.
    Alarm,
    /// Not enough data to decide.
    InsufficientData,
    /// Within threshold.
    Ok,
}

impl AlarmState {
    /// The wire name (`ALARM`, `INSUFFICIENT_DATA`, `OK`).
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
            AlarmState::Ok => "OK",
        }
    }

    /// Parses a wire name, case-insensitively; `None` if it is not one.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().replace('-', "_").as_str() {
            "ALARM" => Some(AlarmState::Alarm),
            "INSUFFICIENT_DATA" | "INSUFFICIENT" => Some(AlarmState::InsufficientData),
            "OK" => Some(AlarmState::Ok),
            _ => None,
        }
    }
}

impl std::fmt::Display for AlarmState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CloudWatch's comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    /// `>=`
    GreaterThanOrEqualToThreshold,
    /// `>`
    GreaterThanThreshold,
    /// `<`
    LessThanThreshold,
    /// `<=`
    LessThanOrEqualToThreshold,
    /// Outside an anomaly band (either side).
    LessThanLowerOrGreaterThanUpperThreshold,
    /// Above an anomaly band.
    GreaterThanUpperThreshold,
    /// Below an anomaly band.
    LessThanLowerThreshold,
}

impl Comparison {
    /// Every operator, for parsing and exhaustive tests.
    pub const ALL: [Comparison; 7] = [
        Comparison::GreaterThanOrEqualToThreshold,
        Comparison::GreaterThanThreshold,
        Comparison::LessThanThreshold,
        Comparison::LessThanOrEqualToThreshold,
        Comparison::LessThanLowerOrGreaterThanUpperThreshold,
        Comparison::GreaterThanUpperThreshold,
        Comparison::LessThanLowerThreshold,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Comparison::GreaterThanThreshold => "GreaterThanThreshold",
            Comparison::LessThanThreshold => "LessThanThreshold",
            Comparison::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => {
                "LessThanLowerOrGreaterThanUpperThreshold"
            }
            Comparison::GreaterThanUpperThreshold => "GreaterThanUpperThreshold",
            Comparison::LessThanLowerThreshold => "LessThanLowerThreshold",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The operator as a symbol for tables (`>`, `>=`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => ">=",
            Comparison::GreaterThanThreshold | Comparison::GreaterThanUpperThreshold => ">",
            Comparison::LessThanThreshold | Comparison::LessThanLowerThreshold => "<",
            Comparison::LessThanOrEqualToThreshold => "<=",
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => "<>",
        }
    }

    /// Whether `value` breaches a static `threshold` under this operator.
    /// Band operators compare against the band `[threshold, upper]`; for a
    /// static threshold the band collapses to the threshold itself.
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::GreaterThanThreshold | Comparison::GreaterThanUpperThreshold => {
                value > threshold
            }
            Comparison::LessThanThreshold | Comparison::LessThanLowerThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => value != threshold,
        }
    }

    /// Whether `value` breaches an anomaly band `[lower, upper]` under this
    /// operator; a static operator compares against the band's upper limit
    /// (`>`, `>=`) or lower limit (`<`, `<=`).
    pub fn breaches_band(self, value: f64, lower: f64, upper: f64) -> bool {
        match self {
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => value < lower || value > upper,
            Comparison::GreaterThanUpperThreshold
            | Comparison::GreaterThanThreshold
            | Comparison::GreaterThanOrEqualToThreshold => self.breaches(value, upper),
            Comparison::LessThanLowerThreshold
            | Comparison::LessThanThreshold
            | Comparison::LessThanOrEqualToThreshold => self.breaches(value, lower),
        }
    }
}

/// How an alarm treats periods with no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TreatMissingData {
    /// Missing points count as breaching.
    Breaching,
    /// Missing points count as within threshold.
    NotBreaching,
    /// Missing points are skipped; the state is kept.
    Ignore,
    /// The default: missing points are not counted; all missing gives
    /// INSUFFICIENT_DATA.
    Missing,
}

impl TreatMissingData {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Ignore => "ignore",
            TreatMissingData::Missing => "missing",
        }
    }

    /// Parses a wire name; absent or unknown means `missing`, as in CloudWatch.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("breaching") => TreatMissingData::Breaching,
            Some("notBreaching") => TreatMissingData::NotBreaching,
            Some("ignore") => TreatMissingData::Ignore,
            _ => TreatMissingData::Missing,
        }
    }
}

/// The definition of a metric alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricAlarmSpec {
    /// The watched metric; `None` when the alarm watches a math expression.
    pub metric: Option<MetricRef>,
    /// Statistic or extended statistic (`Sum`, `Average`, `p99`).
    pub stat: String,
    /// Period in seconds.
    pub period_secs: u32,
    /// N: how many recent periods are evaluated.
    pub evaluation_periods: u32,
    /// M: how many of the N must breach (defaults to N).
    pub datapoints_to_alarm: Option<u32>,
    /// Threshold value.
    pub threshold: f64,
    /// Comparison operator.
    pub comparison: Comparison,
    /// Missing-data treatment.
    pub treat_missing: TreatMissingData,
    /// The alarm's own GetMetricData queries (metric-math and
    /// anomaly-detection alarms); empty when it watches `metric`.
    #[serde(default)]
    pub queries: Vec<MetricQuery>,
    /// For an anomaly-detection alarm: the id of the query whose
    /// ANOMALY_DETECTION_BAND is the threshold.
    #[serde(default)]
    pub threshold_metric_id: Option<String>,
}

impl MetricAlarmSpec {
    /// M out of N, with M defaulted the way CloudWatch does.
    pub fn m_of_n(&self) -> (u32, u32) {
        (
            self.datapoints_to_alarm.unwrap_or(self.evaluation_periods),
            self.evaluation_periods,
        )
    }

    /// `> 300` style summary of the condition.
    pub fn condition(&self) -> String {
        match self.band_expression() {
            Some(band) => format!(
                "{} band ({} sd)",
                self.comparison.symbol(),
                format_number(band.width)
            ),
            None => format!(
                "{} {}",
                self.comparison.symbol(),
                format_number(self.threshold)
            ),
        }
    }

    /// For an anomaly-detection alarm, its band expression
    /// (`ANOMALY_DETECTION_BAND(m1, 2)`), read from the query that
    /// `threshold_metric_id` names.
    pub fn band_expression(&self) -> Option<BandExpression> {
        let id = self.threshold_metric_id.as_ref()?;
        self.queries
            .iter()
            .find(|q| &q.id == id)
            .and_then(|q| match &q.source {
                QuerySource::Expression { expression, .. } => BandExpression::parse(expression),
                QuerySource::Metric { .. } => None,
            })
    }
}

/// Formats a threshold without a useless `.0`.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Metric alarm or composite alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AlarmKind {
    /// Watches one metric (or expression).
    Metric(MetricAlarmSpec),
    /// Combines other alarms with a rule.
    Composite {
        /// The alarm rule, e.g. `ALARM(a) OR ALARM(b)`.
        rule: String,
    },
}

/// One alarm with its current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    /// Alarm name (unique per account and region).
    pub name: String,
    /// Alarm ARN (what tags are attached to).
    pub arn: String,
    /// Free-text description.
    pub description: Option<String>,
    /// Current state.
    pub state: AlarmState,
    /// Why the state is what it is.
    pub reason: String,
    /// The service's StateReasonData JSON beside the reason (the evaluated
    /// window and datapoints), when it sent one.
    #[serde(default)]
    pub reason_data: Option<String>,
    /// When the service last updated the state (CloudWatch's
    /// StateUpdatedTimestamp). It moves on every state change, but also when
    /// an evaluation keeps the state (a new reason or evaluation state; for
    /// a composite alarm, any update), so it does not say how long the alarm
    /// has been in its state: [`Alarm::transitioned_at`] does.
    pub updated_at: Timestamp,
    /// When the alarm entered its current state (StateTransitionedTimestamp,
    /// or StateUpdatedTimestamp where the service sends no transition time):
    /// the start of the episode that acks refer to.
    pub transitioned_at: Timestamp,
    /// Metric or composite.
    pub kind: AlarmKind,
    /// Whether actions run on state changes.
    pub actions_enabled: bool,
    /// Actions run on entering ALARM (SNS topic ARNs and the like).
    pub alarm_actions: Vec<String>,
    /// Actions run on entering OK.
    pub ok_actions: Vec<String>,
    /// Actions run on entering INSUFFICIENT_DATA.
    pub insufficient_data_actions: Vec<String>,
}

impl Alarm {
    /// The metric line for tables: the metric name or "composite".
    pub fn metric_label(&self) -> String {
        match &self.kind {
            AlarmKind::Metric(spec) => match &spec.metric {
                Some(m) => format!("{}/{}", m.namespace.trim_start_matches("AWS/"), m.name),
                None => "expression".to_string(),
            },
            AlarmKind::Composite { .. } => "composite".to_string(),
        }
    }

    /// The threshold line for tables: `> 300`, or the composite rule.
    pub fn threshold_label(&self) -> String {
        match &self.kind {
            AlarmKind::Metric(spec) => spec.condition(),
            AlarmKind::Composite { rule } => rule.clone(),
        }
    }

    /// Since when the alarm has been in its current state: what IN STATE
    /// and sorting by time in state measure from.
    pub fn in_state_since(&self) -> Timestamp {
        self.transitioned_at
    }

    /// The metric spec, if this is a metric alarm.
    pub fn metric_spec(&self) -> Option<&MetricAlarmSpec> {
        match &self.kind {
            AlarmKind::Metric(spec) => Some(spec),
            AlarmKind::Composite { .. } => None,
        }
    }
}

#[cfg(test)]
impl Alarm {
    /// A composite alarm `name` in `state` since `transitioned_at` and last
    /// updated at `updated_at`, for the model's tests.
    pub(crate) fn for_tests(
        name: &str,
        state: AlarmState,
        transitioned_at: Timestamp,
        updated_at: Timestamp,
    ) -> Self {
        Self {
            name: name.to_string(),
            arn: format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"),
            description: None,
            state,
            reason: String::new(),
            reason_data: None,
            updated_at,
            transitioned_at,
            kind: AlarmKind::Composite {
                rule: String::new(),
            },
            actions_enabled: true,
            alarm_actions: Vec::new(),
            ok_actions: Vec::new(),
            insufficient_data_actions: Vec::new(),
        }
    }
}

/// Sorts alarms the on-call way: ALARM first, then INSUFFICIENT_DATA, then
/// OK; within a state the longest-standing first, then by name.
pub fn sort_for_oncall(alarms: &mut [Alarm]) {
    alarms.sort_by(oncall_order);
}

/// The order of [`sort_for_oncall`]: ALARM first, then INSUFFICIENT_DATA,
/// then OK; longest in its state first; then by name. Lists across envs
/// sort by it and then by env.
pub fn oncall_order(a: &Alarm, b: &Alarm) -> std::cmp::Ordering {
    a.state
        .cmp(&b.state)
        .then(a.in_state_since().cmp(&b.in_state_since()))
        .then(a.name.cmp(&b.name))
}

/// Kinds of alarm-history entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryKind {
    /// A state transition.
    StateUpdate,
    /// The alarm's definition changed.
    ConfigurationUpdate,
    /// An action ran (or failed).
    Action,
}

/// One entry of an alarm's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    /// Which alarm.
    pub alarm_name: String,
    /// When.
    pub timestamp: Timestamp,
    /// What kind of entry.
    pub kind: HistoryKind,
    /// Human summary from the service.
    pub summary: String,
    /// For state updates: the old and new states.
    pub transition: Option<(AlarmState, AlarmState)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_sort_alarm_first() {
        let mut v = vec![
            AlarmState::Ok,
            AlarmState::Alarm,
            AlarmState::InsufficientData,
        ];
        v.sort();
        assert_eq!(
            v,
            vec![
                AlarmState::Alarm,
                AlarmState::InsufficientData,
                AlarmState::Ok
            ]
        );
    }

    #[test]
    fn state_parse_round_trips() {
        for s in [
            AlarmState::Alarm,
            AlarmState::InsufficientData,
            AlarmState::Ok,
        ] {
            assert_eq!(AlarmState::parse(s.as_str()), Some(s));
        }
        assert_eq!(AlarmState::parse("alarm"), Some(AlarmState::Alarm));
        assert_eq!(AlarmState::parse("firing"), None);
    }

    #[test]
    fn comparison_names_round_trip() {
        for c in Comparison::ALL {
            assert_eq!(Comparison::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn oncall_order_measures_time_in_state_from_the_transition() {
        let t = |s: &str| -> Timestamp { s.parse().unwrap() };
        let mut alarms = vec![
            Alarm::for_tests(
                "fresh",
                AlarmState::Alarm,
                t("2026-01-16T03:00:00Z"),
                t("2026-01-16T03:00:00Z"),
            ),
            Alarm::for_tests(
                "old-but-re-evaluated",
                AlarmState::Alarm,
                t("2026-01-16T01:00:00Z"),
                t("2026-01-16T03:10:00Z"),
            ),
            Alarm::for_tests(
                "ok",
                AlarmState::Ok,
                t("2026-01-15T00:00:00Z"),
                t("2026-01-15T00:00:00Z"),
            ),
        ];
        sort_for_oncall(&mut alarms);
        let names: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["old-but-re-evaluated", "fresh", "ok"]);
    }

    #[test]
    fn format_number_drops_trailing_zero() {
        assert_eq!(format_number(300.0), "300");
        assert_eq!(format_number(0.5), "0.5");
    }
}
