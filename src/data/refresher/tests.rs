//! The job against the demo account: events for alarms, annotations,
//! overview and detail; mutations answered and followed by a refresh;
//! expired silences ended by the job.

use std::sync::mpsc;

use jiff::SignedDuration;

use super::*;
use crate::data::events::Annotation;
use crate::model::{AlarmState, ManualClock};
use crate::provider::sim::SimProvider;

struct Running {
    layer: DataLayer,
    events: mpsc::Receiver<DataEvent>,
    sim: Arc<SimProvider>,
    clock: ManualClock,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn start() -> Running {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let clock = ManualClock::new("2026-11-27T13:00:30Z".parse().unwrap());
    let sim = Arc::new(SimProvider::new(5, Arc::new(clock.clone()), "p"));
    let dir = tempfile::tempdir().unwrap();
    let provider: Arc<dyn Provider> = sim.clone();
    let connect: ProviderConnect = Box::pin(async move { Ok(provider) });
    let (tx, events) = mpsc::channel();
    let config = JobConfig {
        env: ResolvedEnv {
            prefix: "p".into(),
            ..ResolvedEnv::demo()
        },
        policy: RefreshPolicy::every(Duration::from_secs(3600)),
        audit: AuditLog::at(dir.path().join("audit.jsonl")),
    };
    let layer = DataLayer::start_with(
        runtime.handle(),
        config,
        connect,
        Arc::new(clock.clone()),
        Arc::new(move |e| {
            let _ = tx.send(e);
        }),
    );
    Running {
        layer,
        events,
        sim,
        clock,
        _runtime: runtime,
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
fn each_refresh_posts_alarms_annotations_and_overview() {
    let job = start();
    let alarms = job.next(|e| match e {
        DataEvent::Alarms { alarms, .. } => Some(alarms),
        _ => None,
    });
    let annotations = job.annotations();
    assert_eq!(annotations.len(), alarms.len());
    let overview = job.next(|e| match e {
        DataEvent::Overview(s) => Some(s),
        _ => None,
    });
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
    job._runtime
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
    let actions_on = job._runtime.block_on(job.sim.list_alarms()).unwrap();
    assert!(actions_on.iter().all(|a| a.actions_enabled));
}
