//! CloudWatch's StateReasonData: the JSON document a metric alarm's state
//! carries beside its reason text, naming the evaluation window
//! (`startDate`, `period`), the statistic, the threshold, every value of
//! the window (`recentDatapoints`, oldest first) and the datapoints that
//! decided (`evaluatedDatapoints`, newest first; a missing one has no
//! `value`). `alarms explain` checks its own verdict against it, and the
//! demo account writes it the way the service does.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::evaluate::{Outcome, Point};

/// Why a StateReasonData document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReasonDataError {
    /// Not JSON, or not the document's shape.
    #[error("StateReasonData is not a threshold evaluation document: {0}")]
    Shape(#[from] serde_json::Error),
}

/// The parsed StateReasonData of a threshold evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonData {
    /// Document version (`1.0`).
    pub version: String,
    /// When the service evaluated.
    #[serde(with = "wire_time")]
    pub query_date: Timestamp,
    /// Start of the evaluation window (absent when no datapoint was seen).
    #[serde(
        default,
        with = "wire_time_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date: Option<Timestamp>,
    /// Unit of the metric, when the alarm names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Statistic evaluated (`Average`, `Sum`, `p99`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// Period in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u32>,
    /// Every present value of the window, oldest first.
    #[serde(default)]
    pub recent_datapoints: Vec<f64>,
    /// The threshold compared against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The datapoints that decided, newest first.
    #[serde(default)]
    pub evaluated_datapoints: Vec<EvaluatedDatapoint>,
}

/// One datapoint named in `evaluatedDatapoints`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluatedDatapoint {
    /// Start of its period.
    #[serde(with = "wire_time")]
    pub timestamp: Timestamp,
    /// How many samples made it (absent for a missing datapoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_count: Option<f64>,
    /// Its value (absent for a missing datapoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl ReasonData {
    /// Parses a StateReasonData document.
    pub fn parse(text: &str) -> Result<Self, ReasonDataError> {
        Ok(serde_json::from_str(text)?)
    }

    /// The document the service writes for an evaluation at `query_date`
    /// of `points` (the window, oldest first) that gave `outcome`.
    pub fn of_evaluation(
        points: &[Point],
        outcome: &Outcome,
        statistic: &str,
        period: u32,
        threshold: f64,
        query_date: Timestamp,
    ) -> Self {
        let recent: Vec<f64> = points.iter().filter_map(|(_, v)| *v).collect();
        Self {
            version: "1.0".to_string(),
            query_date,
            start_date: (!recent.is_empty())
                .then(|| points.first().map(|(t, _)| *t))
                .flatten(),
            unit: None,
            statistic: Some(statistic.to_string()),
            period: Some(period),
            recent_datapoints: recent,
            threshold: Some(threshold),
            evaluated_datapoints: outcome
                .decided
                .iter()
                .map(|(timestamp, value)| EvaluatedDatapoint {
                    timestamp: *timestamp,
                    sample_count: None,
                    value: *value,
                })
                .collect(),
        }
    }

    /// The document as the service writes it (compact JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a reason document always serialises")
    }
}

/// The service's time format: `2024-04-23T20:50:27.367+0000`. Reading
/// also takes RFC 3339 (`...Z`, `+00:00`).
mod wire_time {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.strftime("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    /// Parses either form.
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        if let Ok(t) = text.parse::<Timestamp>() {
            return Ok(t);
        }
        jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%z", text)
            .and_then(|t| t.to_timestamp())
            .map_err(|e| format!("time '{text}': {e}"))
    }
}

/// [`wire_time`] for an optional field.
mod wire_time_opt {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => wire_time::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| wire_time::parse(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document as DescribeAlarms returned it (public sample, RDS alarm).
    const SERVICE: &str = r#"{"version":"1.0","queryDate":"2024-04-23T20:50:27.367+0000","startDate":"2024-04-23T20:44:00.000+0000","statistic":"Maximum","period":300,"recentDatapoints":[3.4666088898518357],"threshold":20.0,"evaluatedDatapoints":[{"timestamp":"2024-04-23T20:44:00.000+0000","sampleCount":5.0,"value":3.4666088898518357}]}"#;

    /// All missing: no startDate, timestamps only.
    const MISSING: &str = r#"{"version":"1.0","queryDate":"2023-08-04T12:31:29.591+0000","statistic":"Average","period":60,"recentDatapoints":[],"threshold":5.0,"evaluatedDatapoints":[{"timestamp":"2023-08-04T12:30:00.000+0000"},{"timestamp":"2023-08-04T12:29:00.000+0000"}]}"#;

    #[test]
    fn reads_the_service_document() {
        let d = ReasonData::parse(SERVICE).unwrap();
        assert_eq!(d.start_date, Some("2024-04-23T20:44:00Z".parse().unwrap()));
        assert_eq!(d.query_date, "2024-04-23T20:50:27.367Z".parse().unwrap());
        assert_eq!(d.statistic.as_deref(), Some("Maximum"));
        assert_eq!(d.period, Some(300));
        assert_eq!(d.threshold, Some(20.0));
        assert_eq!(d.recent_datapoints, [3.4666088898518357]);
        assert_eq!(d.evaluated_datapoints[0].value, Some(3.4666088898518357));
        assert_eq!(d.evaluated_datapoints[0].sample_count, Some(5.0));
    }

    #[test]
    fn missing_datapoints_have_no_value() {
        let d = ReasonData::parse(MISSING).unwrap();
        assert_eq!(d.start_date, None);
        assert!(d.recent_datapoints.is_empty());
        assert_eq!(d.evaluated_datapoints.len(), 2);
        assert!(d.evaluated_datapoints.iter().all(|p| p.value.is_none()));
    }

    #[test]
    fn writes_what_it_reads() {
        let d = ReasonData::parse(SERVICE).unwrap();
        assert_eq!(d.to_json(), SERVICE);
        assert_eq!(ReasonData::parse(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn other_documents_are_refused() {
        assert!(ReasonData::parse("{}").is_err());
        assert!(ReasonData::parse("Threshold Crossed").is_err());
        assert!(ReasonData::parse(r#"{"version":"1.0","queryDate":"yesterday"}"#).is_err());
    }
}
