//! The data layer against scripted AWS answers: after a good fetch, a run of
//! throttling errors and then 5xx errors shows "retrying" with the age of
//! the last good data and a growing backoff, and the next good answer shows
//! "live" again. Proves the UI is told about stale data instead of freezing.

mod support;

use std::sync::{Arc, mpsc};
use std::time::Duration;

use monitui::data::audit::AuditLog;
use monitui::data::backoff::Backoff;
use monitui::data::{Changes, DataEvent, DataLayer, JobConfig, LinkState, RefreshPolicy, Session};
use monitui::model::{Clock, SystemClock};
use monitui::provider::Account;
use support::cbor::{array, map};
use support::recorded::{RecordedRequest, RecordedServer, Reply, Rule};

fn identity() -> Reply {
    Reply::xml(
        200,
        &support::recorded::identity_xml("arn:aws:sts::123456789012:user/oncall", "AIDA1"),
    )
}

fn no_alarms() -> Reply {
    Reply::cbor(200, &map([("MetricAlarms", array([]))]))
}

/// Whether a DescribeAlarms request asks only for the alarms in ALARM
/// (StateValue), as the first fetch does beside the full listing.
fn asks_for_the_alarms_in_alarm(request: &RecordedRequest) -> bool {
    request.is("DescribeAlarms") && support::cbor::get(&request.cbor_body(), "StateValue").is_some()
}

/// Waits for the next link-state event, skipping others.
fn next_link(rx: &mpsc::Receiver<DataEvent>) -> LinkState {
    loop {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(DataEvent::Link(link)) => return link,
            Ok(_) => continue,
            Err(e) => panic!("no link event: {e}"),
        }
    }
}

#[test]
fn throttling_then_5xx_shows_retrying_with_backoff_then_live() {
    // The SDK makes 3 attempts per call (support::fast_tuning), so each failed
    // refresh uses three scripted answers.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordedServer::start([
        Rule::new("GetCallerIdentity", identity()),
        Rule::new("DescribeAlarms", no_alarms()).when(asks_for_the_alarms_in_alarm),
        Rule::new("DescribeAlarms", no_alarms()).times(1),
        Rule::new(
            "DescribeAlarms",
            Reply::cbor_error(400, "ThrottlingException", "Rate exceeded"),
        )
        .times(3),
        Rule::new(
            "DescribeAlarms",
            Reply::cbor_error(503, "ServiceUnavailable", "try later"),
        )
        .times(3),
        Rule::new("DescribeAlarms", no_alarms()),
        Rule::new(
            "ListAlarmMuteRules",
            Reply::cbor(200, &map([("AlarmMuteRuleSummaries", array([]))])),
        ),
    ]));

    let endpoint = server.endpoint();
    let connect: monitui::data::Connector = Arc::new(move || {
        let endpoint = endpoint.clone();
        Box::pin(async move {
            let provider = Arc::new(support::aws_provider(&endpoint).await);
            Ok(Session::new(Account::of(provider), "test", false))
        })
    });
    let (tx, rx) = mpsc::channel();
    let policy = RefreshPolicy {
        interval: Duration::from_millis(100),
        backoff: Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_millis(400),
        },
        fetch_timeout: Duration::from_secs(10),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let audit_dir = tempfile::tempdir().unwrap();
    let config = JobConfig {
        env: support::aws_env(&server.endpoint()),
        policy,
        audit: AuditLog::at(audit_dir.path().join("audit.jsonl")),
    };
    let _layer = DataLayer::start_with(
        runtime.handle(),
        config,
        connect,
        clock,
        Arc::new(move |e| {
            let _ = tx.send(e);
        }),
        &Changes::default(),
    );

    let LinkState::Live { at: first_ok } = next_link(&rx) else {
        panic!("first refresh should be live");
    };
    let throttled = next_link(&rx);
    let LinkState::Retrying {
        attempt: 1,
        last_success: Some(last),
        error,
        retry_at,
    } = throttled
    else {
        panic!("expected retrying #1, got {throttled:?}");
    };
    assert_eq!(
        last, first_ok,
        "retrying keeps the age of the last good data"
    );
    assert!(error.contains("throttled"), "{error}");
    let server_error = next_link(&rx);
    let LinkState::Retrying {
        attempt: 2,
        retry_at: second_retry_at,
        error,
        ..
    } = server_error
    else {
        panic!("expected retrying #2, got {server_error:?}");
    };
    assert!(error.contains("ServiceUnavailable"), "{error}");
    assert!(
        second_retry_at.duration_since(retry_at) > jiff::SignedDuration::ZERO,
        "backoff grows"
    );
    assert!(matches!(next_link(&rx), LinkState::Live { .. }));
    // The annotations job lists mute rules and the flaps job reads the
    // alarm history, each on its own cadence, so they are left out of the
    // order. Nor is the first fetch's request for the alarms in ALARM,
    // which runs beside the listing (and may be cut short when the listing
    // wins).
    let requests = runtime.block_on(server.requests());
    let operations: Vec<&str> = requests.iter().map(|r| r.operation()).collect();
    let ordered: Vec<&str> = requests
        .iter()
        .filter(|r| {
            !r.is("ListAlarmMuteRules")
                && !r.is("DescribeAlarmHistory")
                && !asks_for_the_alarms_in_alarm(r)
        })
        .map(|r| r.operation())
        .collect();
    let mut expected = vec!["GetCallerIdentity"];
    expected.extend(["DescribeAlarms"; 8]);
    assert_eq!(ordered, expected, "{operations:?}");
}
