//! What a dashboard shows besides its definition: the series of its
//! queries, the alarms its alarm widgets list, its log widgets' results and
//! fetch failures. The data layer fills it; drawing only reads it.

use std::collections::HashMap;

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
            failures: HashMap::new(),
        }
    }

    /// Files `series` (as `Provider::metric_data` returns them) by id.
    pub fn add_series(&mut self, series: impl IntoIterator<Item = Series>) {
        for s in series {
            self.series.entry(s.id.clone()).or_default().push(s);
        }
    }

    /// The series answering query `id` (none when it has no data yet).
    pub fn series_for(&self, id: &str) -> &[Series] {
        self.series.get(id).map_or(&[], Vec::as_slice)
    }
}
