use std::sync::Mutex;

use jiff::SignedDuration;

use super::*;
use crate::model::incident::DEFAULT_ERROR_PATTERN;
use crate::model::{AlarmState, Clock, ManualClock};
use crate::provider::Account;
use crate::provider::sim::SimProvider;

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";

/// The demo account at the first minute (after `from`) at which the
/// Lambda errors alarm is in ALARM.
async fn demo_during_the_lambda_incident() -> (Reads, Timestamp) {
    let clock = Arc::new(ManualClock::new("2026-11-27T13:00:00Z".parse().unwrap()));
    let sim = Arc::new(SimProvider::new(3, clock.clone(), "ecommerce-ai-platform"));
    let reads = Account::of(sim).reads;
    for _ in 0..60 {
        let alarm = reads.alarms.alarm(LAMBDA).await.unwrap().unwrap();
        if alarm.state == AlarmState::Alarm {
            return (reads, clock.now());
        }
        clock.advance(SignedDuration::from_mins(1));
    }
    panic!("the Lambda alarm never went into ALARM");
}

fn request() -> IncidentRequest {
    IncidentRequest {
        alarm: LAMBDA.into(),
        window: None,
        groups: None,
        errors: DEFAULT_ERROR_PATTERN.into(),
    }
}

async fn gathered(sources: &Sources, request: &IncidentRequest, now: Timestamp) -> Vec<Piece> {
    let pieces = Mutex::new(Vec::new());
    gather(sources, request, now, &|p| pieces.lock().unwrap().push(p))
        .await
        .unwrap();
    pieces.into_inner().unwrap()
}

fn sources(reads: Reads) -> Sources {
    let mut sources = Sources::new(
        reads,
        None,
        Relations {
            related_logs: Vec::new(),
            prefix: "ecommerce-ai-platform".into(),
        },
    );
    sources.trail = Arc::new(LiveTrailSearch::new(
        Arc::clone(&sources.reads.trail),
        LiveOptions {
            interval: std::time::Duration::ZERO,
            limit: TRAIL_LIMIT,
            ..LiveOptions::default()
        },
    ));
    sources
}

#[tokio::test]
async fn the_demo_s_lambda_incident_shows_the_deploy_the_errors_and_the_state_change() {
    let (reads, now) = demo_during_the_lambda_incident().await;
    let pieces = gathered(&sources(reads), &request(), now).await;
    assert_eq!(pieces.len(), 6, "every piece arrives once");
    let Piece::Alarm {
        window,
        state_changes,
        ..
    } = &pieces[0]
    else {
        panic!("the alarm comes first: {:?}", pieces[0]);
    };
    assert_eq!(window.end, now);
    assert!(
        state_changes
            .iter()
            .any(|h| h.transition.is_some_and(|(_, to)| to == AlarmState::Alarm)),
        "{state_changes:?}"
    );
    for piece in &pieces[1..] {
        match piece {
            Piece::Metric(m) => {
                let series = m.as_ref().unwrap().as_ref().unwrap();
                assert!(series.points.iter().any(|(_, v)| *v > 10.0), "{series:?}");
            }
            Piece::Logs(l) => {
                let logs = l.as_ref().unwrap();
                assert!(
                    logs.groups.iter().all(|g| g.starts_with("/aws/lambda/")),
                    "{:?}",
                    logs.groups
                );
                assert!(!logs.events.is_empty(), "the burst's error lines");
                assert!(logs.events.iter().all(|e| e.timestamp >= window.start));
            }
            Piece::Trail(t) => {
                let trail = t.as_ref().unwrap();
                assert!(
                    trail
                        .events
                        .iter()
                        .any(|e| e.event_name.starts_with("UpdateFunctionCode")),
                    "the deploy before the burst"
                );
                assert!(trail.events.iter().all(|e| e.read_only != Some(true)));
            }
            Piece::OtherAlarms(o) => {
                assert!(o.as_ref().unwrap().iter().all(|h| h.alarm_name != LAMBDA));
            }
            Piece::Annotations(a) => assert_eq!(a.as_ref().unwrap(), &Vec::new()),
            Piece::Alarm { .. } => panic!("the alarm piece came twice"),
        }
    }
}

#[tokio::test]
async fn given_groups_replace_the_related_ones_and_a_failing_group_leaves_the_rest() {
    let (reads, now) = demo_during_the_lambda_incident().await;
    let request = IncidentRequest {
        groups: Some(vec!["/aws/batch/job".into(), "/no/such/group".into()]),
        ..request()
    };
    let pieces = gathered(&sources(reads), &request, now).await;
    let logs = pieces
        .iter()
        .find_map(|p| match p {
            Piece::Logs(l) => Some(l.as_ref().unwrap().clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(logs.groups, ["/aws/batch/job", "/no/such/group"]);
    assert_eq!(logs.failed.len(), 1, "{:?}", logs.failed);
    assert_eq!(logs.failed[0].0, "/no/such/group");
    assert!(
        pieces
            .iter()
            .any(|p| matches!(p, Piece::Metric(Ok(Some(_)))))
    );
}

#[tokio::test]
async fn an_unknown_alarm_is_an_error_before_anything_arrives() {
    let (reads, now) = demo_during_the_lambda_incident().await;
    let request = IncidentRequest {
        alarm: "nope".into(),
        ..request()
    };
    let pieces = Mutex::new(Vec::new());
    let err = gather(&sources(reads), &request, now, &|p| {
        pieces.lock().unwrap().push(p)
    })
    .await
    .unwrap_err();
    assert!(matches!(err, IncidentError::UnknownAlarm(_)));
    assert!(pieces.into_inner().unwrap().is_empty());
}
