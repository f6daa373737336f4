//! The poller against a scripted service: status transitions, throttling,
//! failures and cancellation, with every call counted.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use jiff::Timestamp;

use super::*;
use crate::model::TimeRange;
use crate::model::insights::{QueryLanguage, QueryStatistics, QueryTable};
use crate::provider::ProviderResult;

/// Answers GetQueryResults from a script; once the script is used up it
/// repeats its last answer (a query still running).
#[derive(Debug, Default)]
struct Scripted {
    answers: Mutex<VecDeque<ProviderResult<QueryResults>>>,
    calls: Mutex<Vec<&'static str>>,
    /// What StopQuery turns the query into.
    stop_to: Option<QueryStatus>,
}

impl Scripted {
    fn new(answers: Vec<ProviderResult<QueryResults>>) -> Self {
        Self {
            answers: Mutex::new(answers.into()),
            ..Self::default()
        }
    }

    fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().unwrap().clone()
    }
}

fn answer(status: QueryStatus, rows: usize, scanned: f64) -> ProviderResult<QueryResults> {
    Ok(QueryResults {
        status,
        table: QueryTable {
            columns: vec!["n".into()],
            rows: (0..rows).map(|i| vec![i.to_string()]).collect(),
        },
        statistics: QueryStatistics {
            records_matched: rows as f64,
            records_scanned: scanned,
            bytes_scanned: scanned * 100.0,
        },
    })
}

fn throttled() -> ProviderResult<QueryResults> {
    Err(ProviderError::Throttled {
        operation: "GetQueryResults".into(),
        message: "Rate exceeded".into(),
    })
}

#[async_trait]
impl InsightsRead for Scripted {
    async fn start_query(&self, request: &QueryRequest) -> ProviderResult<String> {
        self.calls.lock().unwrap().push("StartQuery");
        if request.query.is_empty() {
            return Err(ProviderError::Service {
                operation: "StartQuery".into(),
                code: "MalformedQueryException".into(),
                message: "empty".into(),
                retryable: false,
            });
        }
        Ok("q-1".into())
    }

    async fn query_results(&self, query_id: &str) -> ProviderResult<QueryResults> {
        assert_eq!(query_id, "q-1");
        self.calls.lock().unwrap().push("GetQueryResults");
        let mut answers = self.answers.lock().unwrap();
        match answers.len() {
            0 => answer(QueryStatus::Running, 0, 1.0),
            1 => answers.front().cloned().unwrap(),
            _ => answers.pop_front().unwrap(),
        }
    }

    async fn stop_query(&self, _query_id: &str) -> ProviderResult<bool> {
        self.calls.lock().unwrap().push("StopQuery");
        if let Some(status) = self.stop_to {
            *self.answers.lock().unwrap() = vec![answer(status, 0, 5.0)].into();
        }
        Ok(self.stop_to.is_some())
    }
}

/// Millisecond waits, so the tests take no time.
fn fast() -> PollOptions {
    PollOptions {
        waits: Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(4),
        },
        ..PollOptions::default()
    }
}

fn request(query: &str) -> QueryRequest {
    QueryRequest {
        groups: vec!["/g".into()],
        range: TimeRange {
            start: Timestamp::UNIX_EPOCH,
            end: Timestamp::from_second(60).unwrap(),
        },
        query: query.into(),
        limit: None,
        language: QueryLanguage::LogsInsights,
    }
}

/// Runs `query` against `service` with `options`, not cancelled, no
/// progress callback: how most tests start a run.
async fn run(
    service: &Scripted,
    query: &str,
    options: PollOptions,
) -> Result<QueryOutcome, InsightsError> {
    run_query(
        service,
        &request(query),
        options,
        &CancellationToken::new(),
        |_| {},
    )
    .await
}

#[tokio::test]
async fn polls_until_complete_reporting_each_answer() {
    let service = Scripted::new(vec![
        answer(QueryStatus::Scheduled, 0, 0.0),
        answer(QueryStatus::Running, 1, 10.0),
        answer(QueryStatus::Running, 2, 20.0),
        answer(QueryStatus::Complete, 3, 30.0),
    ]);
    let mut seen = Vec::new();
    let outcome = run_query(
        &service,
        &request("fields n"),
        fast(),
        &CancellationToken::new(),
        |r| seen.push((r.status, r.statistics.records_scanned)),
    )
    .await
    .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Complete);
    assert_eq!(outcome.results.table.rows.len(), 3);
    assert_eq!(outcome.polls, 4);
    assert_eq!(
        seen,
        vec![
            (QueryStatus::Scheduled, 0.0),
            (QueryStatus::Running, 10.0),
            (QueryStatus::Running, 20.0),
            (QueryStatus::Complete, 30.0),
        ]
    );
    assert_eq!(
        service.calls(),
        [
            "StartQuery",
            "GetQueryResults",
            "GetQueryResults",
            "GetQueryResults",
            "GetQueryResults"
        ]
    );
}

#[tokio::test]
async fn failed_and_timed_out_queries_end_the_run_with_their_status() {
    for status in [QueryStatus::Failed, QueryStatus::Timeout] {
        let service = Scripted::new(vec![
            answer(QueryStatus::Running, 0, 1.0),
            answer(status, 0, 2.0),
        ]);
        let outcome = run(&service, "fields n", fast()).await.unwrap();
        assert_eq!(outcome.results.status, status);
    }
}

#[tokio::test]
async fn throttled_polls_wait_and_try_again() {
    let service = Scripted::new(vec![
        throttled(),
        throttled(),
        answer(QueryStatus::Complete, 1, 1.0),
    ]);
    let outcome = run(&service, "fields n", fast()).await.unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Complete);
    assert_eq!(outcome.polls, 3);

    let always = Scripted::new(vec![throttled()]);
    let options = PollOptions {
        throttle_retries: 2,
        ..fast()
    };
    let e = run(&always, "fields n", options).await.unwrap_err();
    assert!(matches!(e, InsightsError::Results { ref query_id, .. } if query_id == "q-1"));
    assert_eq!(always.calls().len(), 1 + 3);
}

#[tokio::test]
async fn a_refused_query_is_bad_input() {
    let service = Scripted::new(vec![]);
    let e = run(&service, "", fast()).await.unwrap_err();
    assert!(e.is_bad_input(), "{e}");
    assert!(e.to_string().contains("MalformedQueryException"), "{e}");
    assert_eq!(service.calls(), ["StartQuery"]);
}

#[tokio::test]
async fn cancelling_stops_the_query_and_reads_its_last_status() {
    let service = Scripted {
        stop_to: Some(QueryStatus::Cancelled),
        ..Scripted::new(vec![])
    };
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let mut polls = 0;
    let outcome = run_query(&service, &request("fields n"), fast(), &cancel, |_| {
        polls += 1;
        if polls == 3 {
            trigger.cancel();
        }
    })
    .await
    .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Cancelled);
    assert_eq!(
        service.calls(),
        [
            "StartQuery",
            "GetQueryResults",
            "GetQueryResults",
            "GetQueryResults",
            "StopQuery",
            "GetQueryResults"
        ]
    );
}

#[tokio::test]
async fn a_stop_the_service_is_slow_to_honour_is_polled_without_stopping_twice() {
    let service = Scripted::new(vec![
        answer(QueryStatus::Running, 0, 1.0),
        answer(QueryStatus::Running, 0, 2.0),
        answer(QueryStatus::Cancelled, 0, 2.0),
    ]);
    let cancel = CancellationToken::new();
    cancel.cancel();
    // Cancelled before StartQuery answered: nothing is started at all.
    let outcome = run_query(&service, &request("fields n"), fast(), &cancel, |_| {})
        .await
        .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Cancelled);
    assert!(service.calls().len() <= 1);

    let service = Scripted::new(vec![
        answer(QueryStatus::Running, 0, 1.0),
        answer(QueryStatus::Running, 0, 2.0),
        answer(QueryStatus::Cancelled, 0, 2.0),
    ]);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let outcome = run_query(&service, &request("fields n"), fast(), &cancel, |_| {
        trigger.cancel()
    })
    .await
    .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Cancelled);
    let stops = service
        .calls()
        .iter()
        .filter(|c| **c == "StopQuery")
        .count();
    assert_eq!(stops, 1);
}

#[tokio::test]
async fn the_job_posts_answers_of_its_run_and_a_new_run_stops_the_old() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let sink: crate::data::jobs::Sink<InsightsUpdate> = Arc::new(move |e| {
        let _ = tx.send(e);
    });
    let service: Arc<dyn InsightsRead> = Arc::new(Scripted::new(vec![
        answer(QueryStatus::Running, 0, 1.0),
        answer(QueryStatus::Complete, 2, 2.0),
    ]));
    let mut job = InsightsJob::new(sink);
    let runtime = tokio::runtime::Handle::current();
    let clock = Arc::new(crate::model::ManualClock::new(
        Timestamp::from_second(3600).unwrap(),
    ));
    let source = InsightsSource {
        logs: Arc::new(NoListing),
        insights: Arc::clone(&service),
        clock,
    };
    let ask = InsightsAsk {
        groups: vec!["/g".into()],
        query: "fields n".into(),
        since: Duration::from_secs(600),
    };
    job.start(&runtime, source.clone(), (6, ask.clone()));
    job.start(&runtime, source.clone(), (7, ask));
    let mut states = Vec::new();
    while let Some(update) = rx.recv().await {
        if update.run == 6 {
            // The first run was stopped by the second: it may have answered
            // once, never to the end.
            assert!(matches!(&update.state, RunState::Answer(a) if !a.status.is_finished()));
            continue;
        }
        assert_eq!(update.run, 7);
        let RunState::Answer(a) = update.state else {
            panic!("failed: {:?}", update.state)
        };
        states.push(a.status);
        if a.status.is_finished() {
            break;
        }
    }
    assert!(states.ends_with(&[QueryStatus::Complete]), "{states:?}");

    let ask = InsightsAsk {
        groups: vec!["/prefix*".into()],
        query: "fields n".into(),
        since: Duration::from_secs(600),
    };
    job.start(&runtime, source, (8, ask));
    let Some(update) = rx.recv().await else {
        panic!("no update")
    };
    assert_eq!(update.run, 8);
    assert!(
        matches!(&update.state, RunState::Failed(m) if m.contains("listing log groups for /prefix*")),
        "{update:?}"
    );
}

/// An account whose group listing fails.
#[derive(Debug)]
struct NoListing;

#[async_trait]
impl LogsRead for NoListing {
    async fn list_log_groups(&self) -> ProviderResult<Vec<crate::model::LogGroup>> {
        Err(ProviderError::Unsupported("no listing".into()))
    }

    async fn filter_log_events(
        &self,
        _group: &str,
        _range: TimeRange,
        _pattern: Option<&str>,
        _next_token: Option<&str>,
    ) -> ProviderResult<crate::model::LogPage> {
        Err(ProviderError::Unsupported("no events".into()))
    }
}

fn log_widget(query: &str) -> crate::model::dashboard::LogWidget {
    let body = serde_json::json!({"widgets": [{"type": "log", "properties": {"query": query}}]});
    let dashboard = crate::model::dashboard::Dashboard::parse(&body.to_string()).unwrap();
    match &dashboard.widgets[0].content {
        Ok(crate::model::dashboard::WidgetContent::Log(w)) => w.clone(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_log_widget_runs_its_query_over_its_sources() {
    let service = Scripted::new(vec![
        answer(QueryStatus::Running, 0, 1.0),
        answer(QueryStatus::Complete, 2, 2.0),
    ]);
    let widget = log_widget("SOURCE '/g' | fields n | limit 2");
    let result = widget_result(&NoListing, &service, &widget, request("").range, fast()).await;
    let LogResult::Rows(table) = result else {
        panic!("{result:?}")
    };
    assert_eq!(table.rows.len(), 2);
    assert_eq!(service.calls()[0], "StartQuery");

    let failed = Scripted::new(vec![answer(QueryStatus::Failed, 0, 1.0)]);
    let result = widget_result(&NoListing, &failed, &widget, request("").range, fast()).await;
    assert_eq!(result, LogResult::Failed("the query ended Failed".into()));

    let none = log_widget("fields @message");
    let result = widget_result(&NoListing, &failed, &none, request("").range, fast()).await;
    assert!(matches!(result, LogResult::Failed(m) if m.contains("names no log group")));
}

/// A dashboard log widget written in `language` (`"SQL"`, `"PPL"`).
fn log_widget_in(language: &str, query: &str) -> crate::model::dashboard::LogWidget {
    let body = serde_json::json!({"widgets": [{"type": "log", "properties": {
        "query": query, "queryLanguage": language
    }}]});
    let dashboard = crate::model::dashboard::Dashboard::parse(&body.to_string()).unwrap();
    match &dashboard.widgets[0].content {
        Ok(crate::model::dashboard::WidgetContent::Log(w)) => w.clone(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_demo_says_it_does_not_evaluate_sql_or_ppl_widgets() {
    let now: Timestamp = "2026-11-27T13:00:00Z".parse().unwrap();
    let clock = std::sync::Arc::new(crate::model::ManualClock::new(now));
    let sim = crate::provider::sim::SimProvider::new(1, clock, "p");
    let range = TimeRange {
        start: now - jiff::SignedDuration::from_hours(1),
        end: now,
    };
    let sql = log_widget_in(
        "SQL",
        "SELECT count(*) FROM `/aws/lambda/p-analytics-service`",
    );
    assert_eq!(sql.language, QueryLanguage::Sql);
    let ppl = log_widget_in(
        "PPL",
        "SOURCE '/aws/lambda/p-analytics-service' | fields @message | head 5",
    );
    for (widget, language) in [(sql, "SQL"), (ppl, "PPL")] {
        let result = widget_result(&sim, &sim, &widget, range, fast()).await;
        let LogResult::Unavailable(why) = &result else {
            panic!("{language}: {result:?}")
        };
        assert!(
            why.starts_with(&format!(
                "the demo account does not evaluate {language} queries"
            )),
            "{why}"
        );
        assert!(!why.contains("syntax"), "{why}");
    }
}
