//! What a dashboard shows besides its definition: the series of its
//! queries, the alarms its alarm widgets list, its log widgets' results and
//! fetch failures. The data layer fills it; drawing only reads it.

use std::collections::HashMap;

use super::queries::PlannedQuery;
use crate::model::insight_rule::InsightReport;
use crate::model::{Alarm, Series, TimeRange};

/// The result of a log widget's Insights query.
#[derive(Debug, Clone, PartialEq)]
pub enum LogResult {
    /// Started, not finished yet.
    Pending,
    /// Finished: a table of rows.
    Rows(LogTable),
    /// The query failed; shown in the widget's place.
    Failed(String),
    /// The query cannot be run here (and why); shown in the widget's place.
    Unavailable(String),
}

/// Insights results as a table (columns in the order the query gave).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogTable {
    /// Field names (`@timestamp`, `@message`, `count()`, ...).
    pub columns: Vec<String>,
    /// One entry per result row, one cell per column (empty when absent).
    pub rows: Vec<Vec<String>>,
}

/// Everything a dashboard's widgets draw from.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardData {
    /// The time range shown.
    pub range: TimeRange,
    /// Series by batch query id; a SEARCH expression yields several.
    pub series: HashMap<String, Vec<Series>>,
    /// The account's alarms (alarm widgets pick theirs by ARN or name).
    pub alarms: Vec<Alarm>,
    /// Log widget results by widget index; absent means not started.
    pub logs: HashMap<usize, LogResult>,
    /// Contributor Insights reports by widget index (or why there is
    /// none); absent means not fetched yet.
    pub contributors: HashMap<usize, Result<InsightReport, String>>,
    /// Widgets whose fetch failed, by index, with the message to show.
    pub failures: HashMap<usize, String>,
}

impl DashboardData {
    /// No data yet over `range`.
    pub fn empty(range: TimeRange) -> Self {
        Self {
            range,
            series: HashMap::new(),
            alarms: Vec::new(),
            logs: HashMap::new(),
            contributors: HashMap::new(),
            failures: HashMap::new(),
        }
    }

    /// Files `series` (as `Provider::metric_data` returns them) by id.
    pub fn add_series(&mut self, series: impl IntoIterator<Item = Series>) {
        for s in series {
            self.series.entry(s.id.clone()).or_default().push(s);
        }
    }

    /// Files the answer to `planned` (one `metric_data` call), dropping
    /// each series' still-filling last period unless its widget asked for
    /// `liveData`: a half-counted Sum would look like a drop. A period as
    /// long as half the range or more (`setPeriodToTimeRange`) is the
    /// widget's whole answer and is kept.
    pub fn add_fetched(&mut self, series: Vec<Series>, planned: &[PlannedQuery]) {
        let range_secs = self.range.end.duration_since(self.range.start).as_secs();
        let trims: HashMap<&str, u32> = planned
            .iter()
            .filter(|p| !p.live_data)
            .filter_map(|p| Some((p.query.id.as_str(), p.period_secs()?)))
            .filter(|(_, period)| i64::from(*period) * 2 <= range_secs)
            .collect();
        let now = self.range.end;
        self.add_series(series.into_iter().map(|mut s| {
            if let Some(period) = trims.get(s.id.as_str()) {
                s.drop_incomplete(*period, now);
            }
            s
        }));
    }

    /// The series answering query `id` (none when it has no data yet).
    pub fn series_for(&self, id: &str) -> &[Series] {
        self.series.get(id).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dashboard::Dashboard;

    #[test]
    fn fetched_series_lose_their_filling_period_unless_live() {
        let d = Dashboard::parse(
            r#"{"widgets": [
                {"type": "metric", "properties": {"metrics": [["N", "M"]]}},
                {"type": "metric", "properties": {"liveData": true, "metrics": [["N", "M"]]}},
                {"type": "metric", "properties": {"view": "singleValue", "setPeriodToTimeRange": true, "metrics": [["N", "M"]]}}
            ]}"#,
        )
        .unwrap();
        let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let range = TimeRange {
            start: t("2026-01-16T14:00:00Z"),
            end: t("2026-01-16T14:12:00Z"),
        };
        let planned = d.planned_queries(range);
        let answer = |id: &str| Series {
            id: id.into(),
            label: String::new(),
            points: vec![
                (t("2026-01-16T14:05:00Z"), 1.0),
                (t("2026-01-16T14:10:00Z"), 0.2),
            ],
            message: None,
        };
        let mut data = DashboardData::empty(range);
        data.add_fetched(
            vec![answer("w0_m1"), answer("w1_m1"), answer("w2_m1")],
            &planned,
        );
        assert_eq!(data.series_for("w0_m1")[0].points.len(), 1);
        assert_eq!(data.series_for("w1_m1")[0].points.len(), 2);
        assert_eq!(
            data.series_for("w2_m1")[0].points.len(),
            2,
            "a period spanning the range is the whole answer"
        );
        assert!(data.series_for("w3_m1").is_empty());
    }
}
