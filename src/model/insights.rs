//! Logs Insights queries and their results as GetQueryResults gives them:
//! a status, a table of named columns, and how much was read.

use serde::{Deserialize, Serialize};

use super::TimeRange;
use super::dashboard::LogTable;

/// Where a query is in its life, as the service reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueryStatus {
    /// Accepted, not started.
    Scheduled,
    /// Reading events; partial results may be present.
    Running,
    /// Done: the results are final.
    Complete,
    /// The service gave up with an error.
    Failed,
    /// Stopped by StopQuery.
    Cancelled,
    /// Ran past the service's 60-minute limit.
    Timeout,
    /// A status this build does not know.
    Unknown,
}

impl QueryStatus {
    /// Whether the status is final: no more results will come.
    pub fn is_finished(self) -> bool {
        !matches!(self, Self::Scheduled | Self::Running)
    }

    /// The service's spelling (`Complete`, `Running`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::Running => "Running",
            Self::Complete => "Complete",
            Self::Failed => "Failed",
            Self::Cancelled => "Cancelled",
            Self::Timeout => "Timeout",
            Self::Unknown => "Unknown",
        }
    }

    /// Reads the service's spelling; anything else is [`Self::Unknown`].
    pub fn parse(s: &str) -> Self {
        match s {
            "Scheduled" => Self::Scheduled,
            "Running" => Self::Running,
            "Complete" => Self::Complete,
            "Failed" => Self::Failed,
            "Cancelled" => Self::Cancelled,
            "Timeout" => Self::Timeout,
            _ => Self::Unknown,
        }
    }
}

/// How much a query read and kept so far (GetQueryResults' `statistics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryStatistics {
    /// Events that matched the query.
    pub records_matched: f64,
    /// Events read.
    pub records_scanned: f64,
    /// Bytes of events read.
    pub bytes_scanned: f64,
}

/// A query's results: columns in the order the query named them (or first
/// met them), one row of cells per result, empty where a row lacks a field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryTable {
    /// Field names (`@timestamp`, `count(*)`, `bin(5m)`, ...); `@ptr` is left out.
    pub columns: Vec<String>,
    /// One entry per result row, one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl QueryTable {
    /// Builds a table from rows of (field, value) pairs as the service
    /// returns them: the columns are every field in first-seen order,
    /// without the hidden `@ptr`.
    pub fn from_field_rows<R, F, V>(rows: R) -> Self
    where
        R: IntoIterator,
        R::Item: IntoIterator<Item = (F, V)>,
        F: AsRef<str>,
        V: Into<String>,
    {
        let mut table = QueryTable::default();
        let mut cells_of_rows: Vec<Vec<(usize, String)>> = Vec::new();
        for row in rows {
            let mut cells = Vec::new();
            for (field, value) in row {
                let field = field.as_ref();
                if field == "@ptr" {
                    continue;
                }
                let column = match table.columns.iter().position(|c| c == field) {
                    Some(i) => i,
                    None => {
                        table.columns.push(field.to_string());
                        table.columns.len() - 1
                    }
                };
                cells.push((column, value.into()));
            }
            cells_of_rows.push(cells);
        }
        let width = table.columns.len();
        table.rows = cells_of_rows
            .into_iter()
            .map(|cells| {
                let mut row = vec![String::new(); width];
                for (column, value) in cells {
                    row[column] = value;
                }
                row
            })
            .collect();
        table
    }

    /// The cell of `row` under `column`, if both exist.
    pub fn cell(&self, row: usize, column: &str) -> Option<&str> {
        let i = self.columns.iter().position(|c| c == column)?;
        self.rows.get(row)?.get(i).map(String::as_str)
    }
}

impl From<QueryTable> for LogTable {
    fn from(t: QueryTable) -> Self {
        LogTable {
            columns: t.columns,
            rows: t.rows,
        }
    }
}

/// One GetQueryResults answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResults {
    /// Where the query is.
    pub status: QueryStatus,
    /// The rows so far (final once the status is [`QueryStatus::Complete`]).
    pub table: QueryTable,
    /// What was read so far.
    pub statistics: QueryStatistics,
}

impl QueryResults {
    /// `Running: 3 rows; 1,234 records matched of 56,789 scanned (12.3 MB)`:
    /// the progress line of the CLI and the query view.
    pub fn summary(&self) -> String {
        let s = &self.statistics;
        let rows = match self.table.rows.len() {
            1 => "1 row".to_string(),
            n => format!("{n} rows"),
        };
        format!(
            "{}: {rows}; {} records matched of {} scanned ({})",
            self.status.as_str(),
            thousands(s.records_matched),
            thousands(s.records_scanned),
            bytes(s.bytes_scanned)
        )
    }
}

fn thousands(n: f64) -> String {
    let digits = format!("{}", n.max(0.0).round() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes(n: f64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut value = n.max(0.0);
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The language a query is written in (StartQuery's `queryLanguage`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueryLanguage {
    /// Logs Insights QL (the service's default, `CWLI`).
    #[default]
    LogsInsights,
    /// OpenSearch SQL: the log groups are named in the query itself.
    Sql,
    /// OpenSearch PPL.
    Ppl,
}

impl QueryLanguage {
    /// The service's spelling (`CWLI`, `SQL`, `PPL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LogsInsights => "CWLI",
            Self::Sql => "SQL",
            Self::Ppl => "PPL",
        }
    }

    /// Whether the log groups are named in the query text rather than
    /// given beside it (SQL's `FROM`).
    pub fn names_groups_in_query(self) -> bool {
        self == Self::Sql
    }
}

/// What StartQuery is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryRequest {
    /// Log group names (at most 50).
    pub groups: Vec<String>,
    /// The events' time window.
    pub range: TimeRange,
    /// The query text.
    pub query: String,
    /// Most rows to return when the query has no `limit` (service default 1000).
    pub limit: Option<u32>,
    /// The language the query is written in.
    pub language: QueryLanguage,
}

/// A query kept under a name: the built-in ones and the env's
/// `[[envs.NAME.saved_queries]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedQuery {
    /// What the picker lists.
    pub name: String,
    /// The query text.
    pub query: String,
    /// The log groups it reads; an entry ending in `*` means every group
    /// whose name starts with the rest. Empty: the groups chosen at the time.
    pub groups: Vec<String>,
}

/// The name of the seed's query, built into every env.
pub const FIND_LAMBDA_ERRORS: &str = "Find Lambda errors";

/// The queries every env has: the seed's "Find Lambda errors" over the
/// env's Lambda log groups (`/aws/lambda/<prefix>-*`).
pub fn builtin_saved_queries(prefix: &str) -> Vec<SavedQuery> {
    vec![SavedQuery {
        name: FIND_LAMBDA_ERRORS.to_string(),
        query: "fields @timestamp, @message\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 50"
            .to_string(),
        groups: vec![format!("/aws/lambda/{prefix}-*")],
    }]
}

/// The groups `patterns` name among `known`: exact names as given, and
/// for an entry ending in `*` every known group starting with the rest
/// (sorted); each group once, in the order first named.
pub fn expand_groups(patterns: &[String], known: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pattern in patterns {
        let found: Vec<String> = match pattern.strip_suffix('*') {
            Some(prefix) => {
                let mut matching: Vec<String> = known
                    .iter()
                    .filter(|g| g.starts_with(prefix))
                    .cloned()
                    .collect();
                matching.sort();
                matching
            }
            None => vec![pattern.clone()],
        };
        for g in found {
            if !out.contains(&g) {
                out.push(g);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_query_is_the_seeds_over_the_lambda_groups() {
        let q = &builtin_saved_queries("shop")[0];
        assert_eq!(q.name, "Find Lambda errors");
        assert_eq!(
            q.query,
            "fields @timestamp, @message\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 50"
        );
        assert_eq!(q.groups, ["/aws/lambda/shop-*"]);
    }

    #[test]
    fn group_patterns_expand_over_the_known_groups() {
        let known: Vec<String> = ["/aws/lambda/b", "/aws/batch/job", "/aws/lambda/a"]
            .map(String::from)
            .to_vec();
        let asked = ["/aws/lambda/*", "/aws/lambda/a", "/other"].map(String::from);
        assert_eq!(
            expand_groups(&asked, &known),
            ["/aws/lambda/a", "/aws/lambda/b", "/other"]
        );
        assert!(expand_groups(&["/none/*".to_string()], &known).is_empty());
    }

    #[test]
    fn field_rows_become_columns_in_first_seen_order_without_ptr() {
        let t = QueryTable::from_field_rows(vec![
            vec![("@timestamp", "t1"), ("@message", "m1"), ("@ptr", "p")],
            vec![("@message", "m2"), ("level", "ERROR")],
        ]);
        assert_eq!(t.columns, ["@timestamp", "@message", "level"]);
        assert_eq!(t.rows, vec![vec!["t1", "m1", ""], vec!["", "m2", "ERROR"]]);
        assert_eq!(t.cell(1, "level"), Some("ERROR"));
        assert_eq!(t.cell(2, "level"), None);
    }

    #[test]
    fn statuses_round_trip_and_know_when_they_are_final() {
        for s in [
            QueryStatus::Scheduled,
            QueryStatus::Running,
            QueryStatus::Complete,
            QueryStatus::Failed,
            QueryStatus::Cancelled,
            QueryStatus::Timeout,
        ] {
            assert_eq!(QueryStatus::parse(s.as_str()), s);
        }
        assert_eq!(QueryStatus::parse("Weird"), QueryStatus::Unknown);
        assert!(!QueryStatus::Running.is_finished());
        assert!(QueryStatus::Cancelled.is_finished());
    }

    #[test]
    fn progress_counts_rows_records_and_bytes() {
        let results = QueryResults {
            status: QueryStatus::Running,
            table: QueryTable {
                columns: vec!["n".into()],
                rows: vec![vec!["1".into()]],
            },
            statistics: QueryStatistics {
                records_matched: 1234.0,
                records_scanned: 1_234_567.0,
                bytes_scanned: 12_345_678.0,
            },
        };
        assert_eq!(
            results.summary(),
            "Running: 1 row; 1,234 records matched of 1,234,567 scanned (12.3 MB)"
        );
        assert_eq!(bytes(999.0), "999 B");
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(100.0), "100");
    }
}
