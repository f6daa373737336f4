//! The dashboard job against the demo account: nothing is fetched while
//! the tab is hidden; opening reads the body then the data in one batch;
//! refreshes ask only for the tail; a failing account marks the frame
//! stale and keeps the data.

use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::data::test_support::CountingMetrics;
use crate::model::ManualClock;
use crate::model::dashboard::LogResult;
use crate::provider::sim::SimProvider;
use crate::provider::{Account, MetricsRead};

struct Running {
    commands: tokio::sync::mpsc::UnboundedSender<DashboardCommand>,
    events: mpsc::Receiver<DashboardEvent>,
    metrics: Arc<CountingMetrics>,
    wake: watch::Sender<u64>,
    _runtime: tokio::runtime::Runtime,
}

fn start(clock: &ManualClock) -> Running {
    let sim = Arc::new(SimProvider::new(5, Arc::new(clock.clone()), "p"));
    let account = Account::of(sim);
    let metrics = Arc::new(CountingMetrics::new(account.reads.metrics.clone()));
    start_on(account, metrics, clock)
}

/// Starts the job on `account`, its metrics read through `metrics`.
fn start_on(mut account: Account, metrics: Arc<CountingMetrics>, clock: &ManualClock) -> Running {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    account.reads.metrics = metrics.clone();
    let (tx, events) = mpsc::channel();
    let sink: Sink<DashboardEvent> = Arc::new(move |e| {
        let _ = tx.send(e);
    });
    let job = DashboardFetcher {
        reads: account.reads,
        clock: Arc::new(clock.clone()),
        sink,
        timeout: Duration::from_secs(5),
    };
    let (commands, cmd_rx) = tokio::sync::mpsc::unbounded_channel();
    let wake = watch::Sender::new(0);
    let woken = wake.subscribe();
    runtime.spawn(job.run(cmd_rx, woken));
    Running {
        commands,
        events,
        metrics,
        wake,
        _runtime: runtime,
    }
}

/// The next event that is not a `Degraded` one.
fn next(r: &Running) -> DashboardEvent {
    loop {
        match r
            .events
            .recv_timeout(Duration::from_secs(5))
            .expect("an event")
        {
            DashboardEvent::Degraded(_) => continue,
            e => return e,
        }
    }
}

fn frame(r: &Running) -> Arc<DashboardFrame> {
    match next(r) {
        DashboardEvent::Frame(f) => f,
        other => panic!("expected a dashboard frame, got {other:?}"),
    }
}

#[test]
fn fetches_only_when_visible_then_the_body_then_one_batch_then_tails() {
    let clock = ManualClock::new("2026-11-27T14:02:10Z".parse().unwrap());
    let r = start(&clock);
    let open = DashboardCommand::Open {
        name: "p-api-performance".into(),
        view: DashboardView::default(),
    };
    r.commands.send(open).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert!(r.events.try_recv().is_err(), "hidden: nothing fetched");

    r.commands.send(DashboardCommand::Visible(true)).unwrap();
    match next(&r) {
        DashboardEvent::List(Ok(list)) => assert_eq!(list.len(), 3),
        other => panic!("expected the list, got {other:?}"),
    }
    let laid_out = frame(&r);
    assert!(laid_out.dashboard.is_ok());
    assert_eq!(
        laid_out.fetched_at, None,
        "the layout comes before the data"
    );
    let with_data = frame(&r);
    assert!(with_data.fetched_at.is_some());
    assert!(!with_data.data.series.is_empty());
    assert!(
        with_data
            .data
            .logs
            .values()
            .all(|l| matches!(l, LogResult::Pending)),
        "the log widget's query is under way"
    );
    let with_logs = frame(&r);
    assert!(
        !with_logs.data.logs.is_empty()
            && with_logs
                .data
                .logs
                .values()
                .all(|l| !matches!(l, LogResult::Pending)),
        "then its answer: {:?}",
        with_logs.data.logs
    );
    assert_eq!(r.metrics.calls().len(), 1, "one batch for every widget");

    clock.advance(jiff::SignedDuration::from_secs(600));
    r.wake.send_modify(|n| *n += 1);
    assert!(matches!(next(&r), DashboardEvent::List(Ok(_))));
    let refreshed = frame(&r);
    let calls = r.metrics.calls();
    assert_eq!(calls.len(), 2);
    let tail = calls[1].1;
    assert!(
        tail.end.duration_since(tail.start) < jiff::SignedDuration::from_secs(3600),
        "only the newest part: {tail:?}"
    );
    assert!(refreshed.fetched_at > with_data.fetched_at);

    r.commands.send(DashboardCommand::Close).unwrap();
    r.commands.send(DashboardCommand::Visible(false)).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    r.wake.send_modify(|n| *n += 1);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(r.metrics.calls().len(), 2, "closed: no more fetching");
}

#[test]
fn an_unknown_dashboard_says_why() {
    let clock = ManualClock::new("2026-11-27T14:02:10Z".parse().unwrap());
    let r = start(&clock);
    r.commands.send(DashboardCommand::Visible(true)).unwrap();
    r.commands
        .send(DashboardCommand::Open {
            name: "p-nope".into(),
            view: DashboardView::default(),
        })
        .unwrap();
    assert!(matches!(next(&r), DashboardEvent::List(Ok(_))));
    let f = frame(&r);
    assert!(
        f.dashboard.as_ref().unwrap_err().contains("p-nope"),
        "{f:?}"
    );
}

/// Serves one body for every dashboard name, the rest from `inner`.
#[derive(Debug)]
struct OneBody {
    body: String,
    inner: Arc<dyn MetricsRead>,
}

#[async_trait::async_trait]
impl MetricsRead for OneBody {
    async fn metric_data(
        &self,
        queries: &[crate::model::MetricQuery],
        range: crate::model::TimeRange,
    ) -> crate::provider::ProviderResult<Vec<crate::model::Series>> {
        self.inner.metric_data(queries, range).await
    }

    async fn list_metrics(
        &self,
        filter: &crate::model::metric_browse::MetricFilter,
        limit: usize,
    ) -> crate::provider::ProviderResult<crate::model::metric_browse::MetricList> {
        self.inner.list_metrics(filter, limit).await
    }

    async fn list_dashboards(&self) -> crate::provider::ProviderResult<Vec<DashboardSummary>> {
        self.inner.list_dashboards().await
    }

    async fn dashboard_body(&self, _name: &str) -> crate::provider::ProviderResult<String> {
        Ok(self.body.clone())
    }
}

#[test]
fn a_new_variable_value_parses_the_body_again_and_re_queries() {
    let clock = ManualClock::new("2026-11-27T14:02:10Z".parse().unwrap());
    let sim = Arc::new(SimProvider::new(5, Arc::new(clock.clone()), "p"));
    let account = Account::of(sim);
    let body = r#"{"variables": [{"type": "property", "property": "FunctionName", "id": "fn",
        "defaultValue": "p-auth-service", "values": ["p-auth-service", "p-analytics-service"]}],
      "widgets": [{"type": "metric", "properties": {"stat": "Sum", "period": 300,
        "metrics": [["AWS/Lambda", "Errors", "FunctionName", "p-auth-service"]]}}]}"#;
    let metrics = Arc::new(CountingMetrics::new(Arc::new(OneBody {
        body: body.into(),
        inner: account.reads.metrics.clone(),
    })));
    let r = start_on(account, metrics, &clock);
    let function = |f: &DashboardFrame| {
        let d = f.dashboard.as_ref().unwrap();
        d.planned_queries(f.data.range)[0].query.clone()
    };
    r.commands.send(DashboardCommand::Visible(true)).unwrap();
    r.commands
        .send(DashboardCommand::Open {
            name: "vars".into(),
            view: DashboardView::default(),
        })
        .unwrap();
    assert!(matches!(next(&r), DashboardEvent::List(Ok(_))));
    let first = frame(&r);
    let before = function(&first);
    while frame(&r).fetched_at.is_none() {}
    let calls = r.metrics.calls().len();

    let view = DashboardView {
        variables: crate::model::dashboard::Chosen::from([(
            "fn".to_string(),
            "p-analytics-service".to_string(),
        )]),
        ..DashboardView::default()
    };
    r.commands.send(DashboardCommand::View(view)).unwrap();
    // Frames of the first fetch may still be queued before the new one.
    let after = (0..10)
        .map(|_| function(&frame(&r)))
        .find(|q| *q != before)
        .expect("a frame parsed with the new value");
    assert!(
        format!("{after:?}").contains("p-analytics-service"),
        "{after:?}"
    );
    let fetched = loop {
        let f = frame(&r);
        if f.fetched_at.is_some() && r.metrics.calls().len() > calls {
            break f;
        }
    };
    let asked = r.metrics.calls()[calls];
    assert_eq!(
        asked.1.end.duration_since(asked.1.start),
        jiff::SignedDuration::from_hours(3),
        "the whole window again"
    );
    assert!(!fetched.data.series.is_empty());
}
