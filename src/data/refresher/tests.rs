//! The job against the demo account: events for alarms, annotations,
//! overview and detail; mutations answered and followed by a refresh;
//! expired silences ended by the job.

use std::sync::mpsc;

use jiff::SignedDuration;

use super::*;
use crate::data::audit::AuditResult;
use crate::data::events::Annotation;
use crate::data::session::Session;
use crate::data::test_support::{CountingMetrics, SlowAlarms};
use crate::data::trail_job::TrailUpdate;
use crate::model::{AlarmState, ManualClock};
use crate::provider::prelude::*;
use crate::provider::sim::SimProvider;
use crate::provider::{Account, ProviderError};

struct Running {
    layer: DataLayer,
    events: mpsc::Receiver<DataEvent>,
    sim: Arc<SimProvider>,
    metrics: Arc<CountingMetrics>,
    clock: ManualClock,
    changes: Changes,
    audit: AuditLog,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

/// Connects to the demo account after `failures` failed attempts.
fn connector(account: Account, failures: u32) -> Connector {
    let attempts = Arc::new(std::sync::atomic::AtomicU32::new(0));
    Arc::new(move || {
        let account = account.clone();
        let attempt = attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            if attempt < failures {
                return Err(ProviderError::Network {
                    operation: "connect".into(),
                    message: format!("attempt {attempt} refused"),
                });
            }
            Ok(Session::new(account, "demo", false))
        })
    })
}

fn start() -> Running {
    start_after_failures(0)
}

fn start_after_failures(failures: u32) -> Running {
    start_tuned(failures, |_| {})
}

/// Like [`start_after_failures`], with `tune` changing the demo account.
fn start_tuned(failures: u32, tune: impl FnOnce(&mut Account)) -> Running {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let clock = ManualClock::new("2026-11-27T13:00:30Z".parse().unwrap());
    let sim = Arc::new(SimProvider::new(5, Arc::new(clock.clone()), "p"));
    let dir = tempfile::tempdir().unwrap();
    let mut account = Account::of(sim.clone());
    let metrics = Arc::new(CountingMetrics::new(account.reads.metrics.clone()));
    account.reads.metrics = metrics.clone();
    tune(&mut account);
    let (tx, events) = mpsc::channel();
    let changes = Changes::default();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let config = JobConfig {
        env: ResolvedEnv {
            prefix: "p".into(),
            ..ResolvedEnv::demo()
        },
        policy: RefreshPolicy {
            backoff: crate::data::backoff::Backoff {
                base: Duration::from_millis(20),
                max: Duration::from_millis(50),
            },
            ..RefreshPolicy::every(Duration::from_secs(3600))
        },
        audit: audit.clone(),
    };
    let layer = DataLayer::start_with(
        runtime.handle(),
        config,
        connector(account, failures),
        Arc::new(clock.clone()),
        Arc::new(move |e| {
            let _ = tx.send(e);
        }),
        &changes,
    );
    Running {
        layer,
        events,
        sim,
        metrics,
        clock,
        changes,
        audit,
        runtime,
        _dir: dir,
    }
}

impl Running {
    /// The next event `pick` accepts, skipping others.
    fn next<T>(&self, mut pick: impl FnMut(DataEvent) -> Option<T>) -> T {
        loop {
            let event = self
                .events
                .recv_timeout(Duration::from_secs(20))
                .expect("an event within 20 s");
            if let Some(found) = pick(event) {
                return found;
            }
        }
    }

    fn annotations(&self) -> Arc<std::collections::BTreeMap<String, Annotation>> {
        self.next(|e| match e {
            DataEvent::Annotations(a) => Some(a),
            _ => None,
        })
    }
}

#[test]
fn each_refresh_posts_alarms_annotations_and_the_visible_overview() {
    let job = start();
    job.layer.send(DataCommand::OverviewVisible(true));
    let (mut alarms, mut annotations, mut overview) = (None, None, None);
    while alarms.is_none() || annotations.is_none() || overview.is_none() {
        job.next(|e| {
            match e {
                DataEvent::Alarms { alarms: a, .. } => alarms = Some(a),
                DataEvent::Annotations(a) => annotations = Some(a),
                DataEvent::Overview(s) => overview = Some(s),
                _ => {}
            }
            Some(())
        });
    }
    let (alarms, annotations, overview) =
        (alarms.unwrap(), annotations.unwrap(), overview.unwrap());
    let worth_reading: Vec<&str> = alarms
        .iter()
        .filter(|a| a.state == AlarmState::Alarm || !a.actions_enabled)
        .map(|a| a.name.as_str())
        .collect();
    let read: Vec<&str> = annotations.keys().map(String::as_str).collect();
    let mut expected = worth_reading.clone();
    expected.sort_unstable();
    assert_eq!(read, expected, "tags read only where they can count");
    let metric_alarms = alarms.iter().filter(|a| a.metric_spec().is_some()).count();
    assert_eq!(overview.len(), metric_alarms);
    assert!(
        overview
            .iter()
            .all(|s| alarms.iter().any(|a| a.name == s.id))
    );
}

#[test]
fn a_mutation_is_answered_then_the_annotations_refresh() {
    let job = start();
    job.annotations();
    let alarm = "p-batch-job-failures".to_string();
    job.runtime
        .block_on(job.sim.set_alarm_state(&alarm, AlarmState::Alarm, "forced"))
        .unwrap();
    job.layer.send(DataCommand::Mutate(Mutation::Ack {
        alarm: alarm.clone(),
        note: "mine".into(),
    }));
    let result = job.next(|e| match e {
        DataEvent::MutationDone { result, .. } => Some(result),
        _ => None,
    });
    assert!(result.unwrap().contains("acknowledged"));
    let annotations = job.annotations();
    assert_eq!(annotations[&alarm].ack.as_ref().unwrap().note, "mine");
}

#[test]
fn detail_loads_on_request() {
    let job = start();
    job.layer.send(DataCommand::LoadDetail {
        alarm: "p-dms-replication-lag".into(),
        range: Duration::from_secs(3600),
    });
    let detail = job.next(|e| match e {
        DataEvent::Detail(d) => Some(d),
        _ => None,
    });
    assert_eq!(detail.alarm, "p-dms-replication-lag");
    assert!(detail.series.is_some());
    assert_eq!(detail.error, None);
    job.layer.send(DataCommand::LoadDetail {
        alarm: "ghost".into(),
        range: Duration::from_secs(3600),
    });
    let missing = job.next(|e| match e {
        DataEvent::Detail(d) => Some(d),
        _ => None,
    });
    assert!(missing.error.unwrap().contains("ghost"));
}

#[test]
fn the_job_ends_expired_silences() {
    let job = start();
    job.annotations();
    let alarm = "p-dms-replication-lag".to_string();
    job.layer.send(DataCommand::Mutate(Mutation::Silence {
        alarm: alarm.clone(),
        duration: Duration::from_secs(900),
        note: "failover".into(),
    }));
    job.next(|e| match e {
        DataEvent::MutationDone { result, .. } => Some(result.unwrap()),
        _ => None,
    });
    assert!(job.annotations()[&alarm].silence.is_some());
    job.clock.advance(SignedDuration::from_mins(16));
    job.layer.send(DataCommand::RefreshNow);
    let after = job.annotations();
    assert_eq!(after[&alarm].silence, None);
    let actions_on = job.runtime.block_on(job.sim.list_alarms()).unwrap();
    assert!(actions_on.iter().all(|a| a.actions_enabled));
}

#[test]
fn no_metric_data_is_asked_for_while_the_overview_is_hidden() {
    let job = start();
    job.annotations();
    job.layer.send(DataCommand::RefreshNow);
    job.annotations();
    assert!(
        job.metrics.calls().is_empty(),
        "Alarms tab: no GetMetricData"
    );
    job.layer.send(DataCommand::OverviewVisible(true));
    let (mut sparklines, mut targets) = (false, false);
    while !(sparklines && targets) {
        job.next(|e| match e {
            DataEvent::Overview(_) => {
                sparklines = true;
                Some(())
            }
            DataEvent::Slos(_) => {
                targets = true;
                Some(())
            }
            _ => None,
        });
    }
    assert_eq!(
        job.metrics.calls().len(),
        2,
        "one call for the sparklines, one for all the service level targets"
    );
    job.layer.send(DataCommand::OverviewVisible(false));
    job.clock.advance(SignedDuration::from_mins(10));
    job.layer.send(DataCommand::RefreshNow);
    job.annotations();
    job.layer.send(DataCommand::RefreshNow);
    job.annotations();
    assert_eq!(job.metrics.calls().len(), 2, "hidden again: no more calls");
}

#[test]
fn a_failed_connect_is_retried_until_it_works() {
    let job = start_after_failures(2);
    let errors: Vec<String> = (0..2)
        .map(|_| {
            job.next(|e| match e {
                DataEvent::Link(LinkState::Retrying { error, .. }) => Some(error),
                _ => None,
            })
        })
        .collect();
    assert!(
        errors.iter().all(|e| e.contains("connecting")),
        "{errors:?}"
    );
    job.next(|e| matches!(e, DataEvent::Alarms { .. }).then_some(()));
}

#[test]
fn a_change_outlives_the_layer_that_started_it() {
    let job = start();
    job.annotations();
    let alarm = "p-dms-replication-lag".to_string();
    job.layer.send(DataCommand::Mutate(Mutation::Silence {
        alarm: alarm.clone(),
        duration: Duration::from_secs(900),
        note: "failover".into(),
    }));
    let Running {
        layer,
        sim,
        changes,
        audit,
        runtime,
        ..
    } = job;
    std::thread::sleep(Duration::from_millis(50));
    drop(layer);
    assert_eq!(runtime.block_on(changes.finish(Duration::from_secs(10))), 0);
    let silenced = runtime.block_on(sim.alarm(&alarm)).unwrap().unwrap();
    assert!(!silenced.actions_enabled, "the silence was applied");
    let log = audit.read().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].what.as_str(), log[0].result),
        ("silence", AuditResult::Ok)
    );
}

#[test]
fn a_trail_search_runs_in_the_layer_and_a_newer_one_replaces_it() {
    use crate::data::trail_job::{TrailRequest, TrailStatus};
    use crate::model::time_bound::TimeBound;
    use crate::model::trail::{Preset, TrailCriteria};
    let job = start();
    let day = Some(TimeBound::Ago(Duration::from_secs(86_400)));
    job.layer.send(DataCommand::tab(TrailRequest {
        id: 1,
        criteria: TrailCriteria::default(),
        since: day,
        until: None,
    }));
    job.layer.send(DataCommand::tab(TrailRequest {
        id: 2,
        criteria: TrailCriteria {
            preset: Some(Preset::TrailTampering),
            ..TrailCriteria::default()
        },
        since: day,
        until: None,
    }));
    let found = job.next(|e| match e.for_tab::<TrailUpdate>()? {
        TrailUpdate {
            id,
            status: TrailStatus::Done(found),
        } => {
            assert_eq!(*id, 2, "the replaced search never finishes");
            Some(found.clone())
        }
        _ => None,
    });
    assert_eq!(found.records.len(), 1);
    assert_eq!(found.records[0].event_name, "StopLogging");
}

#[test]
fn the_flapping_counts_come_from_the_day_s_history() {
    let job = start();
    let flaps = job.next(|e| match e {
        DataEvent::Flaps(f) => Some(f),
        _ => None,
    });
    assert!(!flaps.cut);
    assert!(
        flaps.counts.values().any(|&n| n > 0),
        "the demo's alarms enter ALARM within a day: {flaps:?}"
    );
}

#[test]
fn the_alarms_in_alarm_come_before_the_first_full_list_and_not_on_later_refreshes() {
    let slow = Arc::new(SlowAlarms::new(100, 20));
    let job = start_tuned(0, |account| account.reads.alarms = slow.clone());
    let (firing, all) = job.next(|e| match e {
        DataEvent::FiringFirst { alarms, all, .. } => Some((alarms, all)),
        DataEvent::Alarms { .. } => panic!("the full list came before the alarms in ALARM"),
        _ => None,
    });
    let names: Vec<String> = firing.iter().map(|a| a.name.clone()).collect();
    assert_eq!(names, slow.firing_names());
    assert!(all);
    let full = job.next(|e| match e {
        DataEvent::Alarms { alarms, .. } => Some(alarms),
        _ => None,
    });
    assert_eq!(full.len(), 100);
    job.layer.send(DataCommand::RefreshNow);
    job.next(|e| match e {
        DataEvent::FiringFirst { .. } => {
            panic!("a refresh replaced the full list by the alarms in ALARM")
        }
        DataEvent::Alarms { .. } => Some(()),
        _ => None,
    });
}

#[test]
fn a_detail_asked_for_while_connecting_is_loaded_once_connected() {
    let job = start_after_failures(3);
    job.next(|e| matches!(e, DataEvent::Link(LinkState::Retrying { .. })).then_some(()));
    job.layer.send(DataCommand::LoadDetail {
        alarm: "p-dms-replication-lag".into(),
        range: Duration::from_secs(3600),
    });
    let detail = job.next(|e| match e {
        DataEvent::Detail(d) => Some(d),
        _ => None,
    });
    assert_eq!(detail.alarm, "p-dms-replication-lag");
    assert_eq!(detail.error, None);
}

#[test]
fn a_detail_opened_and_closed_while_connecting_is_not_loaded() {
    let job = start_after_failures(3);
    job.next(|e| matches!(e, DataEvent::Link(LinkState::Retrying { .. })).then_some(()));
    job.layer.send(DataCommand::LoadDetail {
        alarm: "p-dms-replication-lag".into(),
        range: Duration::from_secs(3600),
    });
    job.layer.send(DataCommand::CloseDetail);
    job.next(|e| matches!(e, DataEvent::Alarms { .. }).then_some(()));
    job.annotations();
    assert!(
        job.events
            .try_iter()
            .all(|e| !matches!(e, DataEvent::Detail(_))),
        "closed before the session was there: nothing to load"
    );
}

#[test]
fn tab_requests_sent_while_connecting_are_kept_or_answered_by_their_job() {
    use crate::data::jobs::logs::{LogsCommand, LogsEvent};
    use crate::data::jobs::metrics::{ExplorerCommand, ExplorerEvent};
    let job = start_after_failures(3);
    job.next(|e| matches!(e, DataEvent::Link(LinkState::Retrying { .. })).then_some(()));
    job.layer.send(DataCommand::tab(LogsCommand::ListGroups));
    job.layer
        .send(DataCommand::tab(ExplorerCommand::List { id: 5 }));
    let refused = job.next(|e| {
        let connected = matches!(e, DataEvent::Alarms { .. });
        assert!(!connected, "connected before the listing was answered");
        match e.for_tab::<ExplorerEvent>()? {
            ExplorerEvent::Listed { id: 5, result } => Some(result.clone()),
            _ => None,
        }
    });
    let why = refused.expect_err("answered, not run, while connecting");
    assert!(why.starts_with("not connected yet: "), "{why}");
    let groups = job.next(|e| match e.for_tab::<LogsEvent>()? {
        LogsEvent::Groups(groups) => Some(groups.clone()),
        _ => None,
    });
    assert!(!groups.expect("listed once connected").is_empty());
}
