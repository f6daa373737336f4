//! Logs Insights in the demo account: StartQuery reads every event of the
//! groups in the window through the account's own FilterLogEvents (so the
//! queries see exactly the lines the Logs tab shows) and evaluates the
//! query with [`crate::insights`]. Like the service, a query is `Running`
//! on its first GetQueryResults (statistics half-way, no rows yet) and
//! `Complete` after; StopQuery before that cancels it.

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::insights::{DEFAULT_ROWS, InsightsQuery};
use crate::model::LogEvent;
use crate::model::insights::{
    QueryLanguage, QueryRequest, QueryResults, QueryStatistics, QueryStatus, QueryTable,
};
use crate::provider::logs_insights::MAX_QUERY_GROUPS;
use crate::provider::{LogsRead, ProviderError, ProviderResult};

use super::catalog::ACCOUNT_ID;
use super::noise::splitmix64;

/// Queries whose results are kept (older ones are forgotten, as the
/// service forgets results after a while).
const KEPT_QUERIES: usize = 64;

/// The demo account's queries.
#[derive(Debug)]
pub struct SimInsights {
    seed: u64,
    queries: Mutex<Queries>,
}

#[derive(Debug, Default)]
struct Queries {
    started: u64,
    kept: VecDeque<Kept>,
}

#[derive(Debug)]
struct Kept {
    id: String,
    /// The final results.
    done: QueryResults,
    /// GetQueryResults calls so far.
    polls: u32,
    /// Stopped before it completed.
    cancelled: bool,
}

impl SimInsights {
    /// No queries yet; ids derive from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            queries: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queries> {
        self.queries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// StartQuery: checks the request like the service, reads the groups'
    /// events through `logs` and evaluates the query.
    pub async fn start(
        &self,
        logs: &dyn LogsRead,
        request: &QueryRequest,
    ) -> ProviderResult<String> {
        if request.language != QueryLanguage::LogsInsights {
            return Err(ProviderError::Unsupported(format!(
                "the demo account does not evaluate {} queries (only Logs Insights QL); AWS runs them as written",
                request.language.as_str()
            )));
        }
        if request.groups.is_empty() || request.groups.len() > MAX_QUERY_GROUPS {
            return Err(ProviderError::Invalid(format!(
                "a query reads 1 to {MAX_QUERY_GROUPS} log groups, not {}",
                request.groups.len()
            )));
        }
        if request.range.start >= request.range.end {
            return Err(ProviderError::Invalid(
                "the query's start time is not before its end time".into(),
            ));
        }
        let query = InsightsQuery::parse(&request.query)
            .map_err(|e| ProviderError::Invalid(e.to_string()))?
            .in_account(ACCOUNT_ID);
        let mut events: Vec<LogEvent> = Vec::new();
        for group in &request.groups {
            let mut token: Option<String> = None;
            loop {
                let page = logs
                    .filter_log_events(group, request.range, None, token.as_deref())
                    .await?;
                events.extend(page.events);
                match page.next_token {
                    Some(next) => token = Some(next),
                    None => break,
                }
            }
        }
        let max_rows = request.limit.map_or(DEFAULT_ROWS, |l| l as usize);
        let (table, statistics) = query.run(&events, max_rows);
        let mut queries = self.lock();
        queries.started += 1;
        let id = query_id(self.seed, queries.started);
        if queries.kept.len() == KEPT_QUERIES {
            queries.kept.pop_front();
        }
        queries.kept.push_back(Kept {
            id: id.clone(),
            done: QueryResults {
                status: QueryStatus::Complete,
                table,
                statistics,
            },
            polls: 0,
            cancelled: false,
        });
        Ok(id)
    }

    /// GetQueryResults: `Running` half-way on the first call, then the
    /// final results (or `Cancelled`).
    pub fn results(&self, query_id: &str) -> ProviderResult<QueryResults> {
        let mut queries = self.lock();
        let kept = find(&mut queries, query_id)?;
        kept.polls += 1;
        if kept.cancelled {
            return Ok(QueryResults {
                status: QueryStatus::Cancelled,
                table: QueryTable::default(),
                statistics: half(&kept.done.statistics),
            });
        }
        if kept.polls == 1 {
            return Ok(QueryResults {
                status: QueryStatus::Running,
                table: QueryTable::default(),
                statistics: half(&kept.done.statistics),
            });
        }
        Ok(kept.done.clone())
    }

    /// StopQuery: cancels a query that has not completed yet.
    pub fn stop(&self, query_id: &str) -> ProviderResult<bool> {
        let mut queries = self.lock();
        let kept = find(&mut queries, query_id)?;
        let running = kept.polls < 2 && !kept.cancelled;
        kept.cancelled |= running;
        Ok(running)
    }
}

fn find<'q>(queries: &'q mut Queries, query_id: &str) -> ProviderResult<&'q mut Kept> {
    queries
        .kept
        .iter_mut()
        .find(|k| k.id == query_id)
        .ok_or_else(|| ProviderError::NotFound(format!("query {query_id}")))
}

/// Statistics half-way through reading.
fn half(s: &QueryStatistics) -> QueryStatistics {
    QueryStatistics {
        records_matched: (s.records_matched / 2.0).floor(),
        records_scanned: (s.records_scanned / 2.0).floor(),
        bytes_scanned: (s.bytes_scanned / 2.0).floor(),
    }
}

/// A query id shaped like the service's (a UUID), from the seed and count.
fn query_id(seed: u64, n: u64) -> String {
    let a = splitmix64(seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let b = splitmix64(a);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;
    use jiff::Timestamp;

    use super::*;
    use crate::model::{LogGroup, LogPage, TimeRange};

    /// Two pages of events for any group, to prove every page is read.
    #[derive(Debug)]
    struct TwoPages;

    #[async_trait]
    impl LogsRead for TwoPages {
        async fn list_log_groups(&self) -> ProviderResult<Vec<LogGroup>> {
            Ok(Vec::new())
        }

        async fn filter_log_events(
            &self,
            group: &str,
            _range: TimeRange,
            pattern: Option<&str>,
            next_token: Option<&str>,
        ) -> ProviderResult<LogPage> {
            assert_eq!(pattern, None, "Insights reads every event");
            let (minute, next) = match next_token {
                None => (1, Some("page2".to_string())),
                Some("page2") => (2, None),
                Some(other) => panic!("unknown token {other}"),
            };
            let message = if group.contains("auth") {
                "ERROR boom"
            } else {
                "INFO ok"
            };
            Ok(LogPage {
                events: vec![LogEvent {
                    group: group.to_string(),
                    stream: "s".into(),
                    timestamp: Timestamp::from_second(60 * minute).unwrap(),
                    event_id: None,
                    message: message.into(),
                }],
                next_token: next,
            })
        }
    }

    fn request(groups: &[&str], query: &str) -> QueryRequest {
        QueryRequest {
            groups: groups.iter().map(|g| g.to_string()).collect(),
            range: TimeRange {
                start: Timestamp::UNIX_EPOCH,
                end: Timestamp::from_second(3600).unwrap(),
            },
            query: query.into(),
            limit: None,
            language: QueryLanguage::LogsInsights,
        }
    }

    #[tokio::test]
    async fn a_query_runs_then_completes_over_every_page_of_every_group() {
        let sim = SimInsights::new(7);
        let id = sim
            .start(
                &TwoPages,
                &request(&["/auth", "/api"], "stats count(*) as n by @log"),
            )
            .await
            .unwrap();
        let first = sim.results(&id).unwrap();
        assert_eq!(first.status, QueryStatus::Running);
        assert!(first.table.rows.is_empty());
        assert_eq!(first.statistics.records_scanned, 2.0);
        let done = sim.results(&id).unwrap();
        assert_eq!(done.status, QueryStatus::Complete);
        assert_eq!(done.table.columns, ["@log", "n"]);
        assert_eq!(
            done.table.rows,
            vec![
                vec![format!("{ACCOUNT_ID}:/api"), "2".into()],
                vec![format!("{ACCOUNT_ID}:/auth"), "2".into()],
            ]
        );
        assert_eq!(done.statistics.records_scanned, 4.0);
        assert!(
            !sim.stop(&id).unwrap(),
            "a finished query cannot be stopped"
        );
    }

    #[tokio::test]
    async fn a_stopped_query_reports_cancelled() {
        let sim = SimInsights::new(7);
        let id = sim
            .start(
                &TwoPages,
                &request(&["/auth"], "filter @message like /ERROR/"),
            )
            .await
            .unwrap();
        assert!(sim.stop(&id).unwrap());
        assert_eq!(sim.results(&id).unwrap().status, QueryStatus::Cancelled);
        assert_eq!(sim.results(&id).unwrap().status, QueryStatus::Cancelled);
    }

    #[tokio::test]
    async fn bad_requests_are_refused_before_reading() {
        let sim = SimInsights::new(7);
        let e = sim
            .start(&TwoPages, &request(&[], "fields x"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("1 to 50 log groups"), "{e}");
        let e = sim
            .start(&TwoPages, &request(&["/a"], "fields x |"))
            .await
            .unwrap_err();
        assert!(
            matches!(e, ProviderError::Invalid(ref m) if m.contains("column 11")),
            "{e}"
        );
        let mut r = request(&["/a"], "fields x");
        r.range.end = r.range.start;
        assert!(sim.start(&TwoPages, &r).await.is_err());
        assert!(matches!(
            sim.results("nope"),
            Err(ProviderError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn ids_differ_and_old_queries_are_forgotten() {
        let sim = SimInsights::new(7);
        let mut ids = Vec::new();
        for _ in 0..=KEPT_QUERIES {
            ids.push(
                sim.start(&TwoPages, &request(&["/a"], "fields x"))
                    .await
                    .unwrap(),
            );
        }
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
        assert!(sim.results(&ids[0]).is_err());
        assert!(sim.results(&ids[KEPT_QUERIES]).is_ok());
    }
}
