//! AlarmActions against the demo account on a manual clock.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::data::annotations::read_annotations;
use crate::data::audit::AuditResult;
use crate::model::ManualClock;
use crate::model::ack::{SILENCE_METHOD, SILENCE_UNTIL};
use crate::provider::Account;
use crate::provider::prelude::*;
use crate::provider::sim::SimProvider;

const PREFIX: &str = "ecommerce-ai-platform";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ecommerce-ai-platform-alerts";

struct Fixture {
    sim: Arc<SimProvider>,
    clock: ManualClock,
    actions: AlarmActions,
    audit: AuditLog,
    _dir: tempfile::TempDir,
}

fn name(suffix: &str) -> String {
    format!("{PREFIX}-{suffix}")
}

/// Alarm writes that can be denied or slowed, step by step.
#[derive(Debug, Default)]
struct Faults {
    deny_tags: bool,
    deny_disable: bool,
    slow_tags: Option<Duration>,
}

#[derive(Debug)]
struct FaultyWrites {
    inner: Arc<dyn AlarmsWrite>,
    faults: Faults,
}

fn denied(operation: &str) -> ProviderError {
    ProviderError::Service {
        operation: operation.into(),
        code: "AccessDenied".into(),
        message: "not allowed".into(),
        retryable: false,
    }
}

#[async_trait::async_trait]
impl AlarmsWrite for FaultyWrites {
    async fn set_alarm_state(
        &self,
        name: &str,
        state: AlarmState,
        reason: &str,
    ) -> crate::provider::ProviderResult<()> {
        self.inner.set_alarm_state(name, state, reason).await
    }

    async fn set_alarm_actions_enabled(
        &self,
        names: &[String],
        enabled: bool,
    ) -> crate::provider::ProviderResult<()> {
        if self.faults.deny_disable && !enabled {
            return Err(denied("DisableAlarmActions"));
        }
        self.inner.set_alarm_actions_enabled(names, enabled).await
    }

    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> crate::provider::ProviderResult<()> {
        if let Some(delay) = self.faults.slow_tags {
            tokio::time::sleep(delay).await;
        }
        if self.faults.deny_tags {
            return Err(denied("TagResource"));
        }
        self.inner.tag_resource(arn, tags).await
    }

    async fn untag_resource(
        &self,
        arn: &str,
        keys: &[String],
    ) -> crate::provider::ProviderResult<()> {
        self.inner.untag_resource(arn, keys).await
    }
}

fn fixture_with(read_only: bool) -> Fixture {
    fixture_with_faults(read_only, None)
}

fn faulty(faults: Faults) -> Fixture {
    fixture_with_faults(false, Some(faults))
}

fn fixture_with_faults(read_only: bool, faults: Option<Faults>) -> Fixture {
    let clock = ManualClock::new("2026-11-27T13:00:30Z".parse().unwrap());
    let sim = Arc::new(SimProvider::new(7, Arc::new(clock.clone()), PREFIX));
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let env = ResolvedEnv {
        sns_topic: Some(TOPIC.into()),
        read_only,
        ..ResolvedEnv::demo()
    };
    let mut account = Account::of(sim.clone());
    if let Some(faults) = faults {
        account.writes.alarms = Arc::new(FaultyWrites {
            inner: account.writes.alarms,
            faults,
        });
    }
    let session = Session::new(account, &env.name, read_only);
    let actions = AlarmActions::new(
        Arc::new(session),
        &env,
        Arc::new(clock.clone()),
        audit.clone(),
    );
    Fixture {
        sim,
        clock,
        actions,
        audit,
        _dir: dir,
    }
}

fn fixture() -> Fixture {
    fixture_with(false)
}

impl Fixture {
    async fn alarm(&self, name: &str) -> Alarm {
        self.sim
            .list_alarms()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.name == name)
            .unwrap()
    }

    async fn tags(&self, name: &str) -> BTreeMap<String, String> {
        let arn = self.alarm(name).await.arn;
        self.sim.tags(&arn).await.unwrap()
    }

    async fn annotation(&self, name: &str) -> Annotation {
        let alarms = self.sim.list_alarms().await.unwrap();
        read_annotations(&Account::of(self.sim.clone()).reads, &alarms)
            .await
            .unwrap()
            .remove(name)
            .unwrap()
    }

    /// monitui's own silence record on `name` (panics if there is none).
    async fn silence(&self, name: &str) -> Silence {
        self.annotation(name)
            .await
            .own_silence()
            .cloned()
            .expect("a silence monitui recorded")
    }

    async fn force(&self, name: &str, state: AlarmState) {
        self.sim
            .set_alarm_state(name, state, "forced")
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn ack_is_only_for_alarms_in_alarm() {
    let f = fixture();
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Ok).await;
    let err = f.actions.ack(&batch, "mine").await.unwrap_err();
    assert!(matches!(
        err,
        ActionError::NotInAlarm {
            state: AlarmState::Ok,
            ..
        }
    ));
    assert!(err.to_string().contains("nothing changed"), "{err}");
    assert!(f.tags(&batch).await.is_empty());
    assert!(f.sim.published().is_empty());
    let log = f.audit.read().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].what.as_str(), log[0].result),
        ("ack", AuditResult::Failed)
    );
}

#[tokio::test]
async fn ack_tags_the_episode_publishes_and_is_audited() {
    let f = fixture();
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Alarm).await;
    let episode = f.alarm(&batch).await.transitioned_at;
    let message = f.actions.ack(&batch, "on it, restarting").await.unwrap();
    assert!(message.contains("acknowledged"), "{message}");
    let ack = f.annotation(&batch).await.ack.unwrap();
    assert_eq!(ack.by, "demo-oncall");
    assert_eq!(ack.episode, episode);
    assert_eq!(ack.note, "on it  restarting");
    assert!(ack.covers(&f.alarm(&batch).await));
    let published = f.sim.published();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].0, TOPIC);
    assert_eq!(
        published[0].2,
        "acknowledged by demo-oncall: on it, restarting"
    );
    let log = f.audit.read().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].who.as_str(),
            log[0].alarm.as_str(),
            log[0].env.as_str()
        ),
        ("demo-oncall", batch.as_str(), "demo")
    );
    assert_eq!(log[0].note, "on it, restarting");
    assert_eq!(log[0].result, AuditResult::Ok);
}

#[tokio::test]
async fn ack_lapses_when_a_new_episode_starts() {
    let f = fixture();
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Alarm).await;
    f.actions.ack(&batch, "").await.unwrap();
    let ack = f.annotation(&batch).await.ack.unwrap();
    f.force(&batch, AlarmState::Ok).await;
    assert!(!ack.covers(&f.alarm(&batch).await), "leaving ALARM ends it");
    f.clock.advance(SignedDuration::from_secs(5));
    f.force(&batch, AlarmState::Alarm).await;
    assert!(
        !ack.covers(&f.alarm(&batch).await),
        "a new episode is not acked"
    );
    f.actions.ack(&batch, "again").await.unwrap();
    let again = f.annotation(&batch).await.ack.unwrap();
    assert!(again.covers(&f.alarm(&batch).await));
    assert_ne!(again.episode, ack.episode);
}

#[tokio::test]
async fn unack_removes_the_ack_and_says_when_there_is_none() {
    let f = fixture();
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Alarm).await;
    f.actions.ack(&batch, "x").await.unwrap();
    f.actions.unack(&batch, false).await.unwrap();
    assert_eq!(f.annotation(&batch).await.ack, None);
    let err = f.actions.unack(&batch, false).await.unwrap_err();
    assert!(matches!(err, ActionError::NotAcked(_)), "{err}");
}

#[tokio::test]
async fn silence_falls_back_to_disabled_actions_and_records_tags() {
    let f = fixture();
    let dms = name("dms-replication-lag");
    let message = f
        .actions
        .silence(&dms, Duration::from_secs(3600), "planned failover")
        .await
        .unwrap();
    assert!(message.contains("alarm actions disabled"), "{message}");
    assert!(!f.alarm(&dms).await.actions_enabled);
    let silence = f.silence(&dms).await;
    assert_eq!(silence.method, SilenceMethod::ActionsDisabled);
    assert_eq!(silence.by, "demo-oncall");
    assert_eq!(silence.note, "planned failover");
    assert_eq!(
        silence.until,
        "2026-11-27T14:00:30Z".parse::<Timestamp>().unwrap()
    );
}

#[tokio::test]
async fn actions_turned_off_by_hand_stay_off_after_the_silence() {
    let f = fixture();
    let dms = name("dms-replication-lag");
    f.sim
        .set_alarm_actions_enabled(std::slice::from_ref(&dms), false)
        .await
        .unwrap();
    let message = f
        .actions
        .silence(&dms, Duration::from_secs(3600), "maintenance")
        .await
        .unwrap();
    assert!(message.contains("already off"), "{message}");
    let silence = f.silence(&dms).await;
    assert_eq!(silence.method, SilenceMethod::ActionsAlreadyOff);
    f.actions.unsilence(&dms).await.unwrap();
    assert!(!f.alarm(&dms).await.actions_enabled);
    assert!(f.annotation(&dms).await.silence.is_none());
}

#[tokio::test]
async fn a_second_silence_still_turns_the_actions_back_on_when_it_ends() {
    let f = fixture();
    let dms = name("dms-replication-lag");
    for note in ["first", "extended"] {
        f.actions
            .silence(&dms, Duration::from_secs(3600), note)
            .await
            .unwrap();
    }
    let silence = f.silence(&dms).await;
    assert_eq!(silence.method, SilenceMethod::ActionsDisabled);
    assert_eq!(silence.note, "extended");
    f.actions.unsilence(&dms).await.unwrap();
    assert!(f.alarm(&dms).await.actions_enabled);
}

#[tokio::test]
async fn silence_needs_a_note_and_a_sane_duration() {
    let f = fixture();
    let dms = name("dms-replication-lag");
    let err = f
        .actions
        .silence(&dms, Duration::from_secs(60), "  ")
        .await
        .unwrap_err();
    assert!(err.is_bad_input(), "{err}");
    let err = f
        .actions
        .silence(&dms, Duration::from_secs(16 * 24 * 3600), "long")
        .await
        .unwrap_err();
    assert!(err.is_bad_input(), "{err}");
    assert!(f.alarm(&dms).await.actions_enabled);
    assert!(f.tags(&dms).await.is_empty());
    let err = f.actions.test("ghost").await.unwrap_err();
    assert!(matches!(err, ActionError::UnknownAlarm(_)), "{err}");
}

#[tokio::test]
async fn reconcile_ends_only_expired_silences() {
    let f = fixture();
    let dms = name("dms-replication-lag");
    let batch = name("batch-job-failures");
    f.actions
        .silence(&dms, Duration::from_secs(15 * 60), "short")
        .await
        .unwrap();
    f.actions
        .silence(&batch, Duration::from_secs(4 * 3600), "long")
        .await
        .unwrap();
    assert!(f.actions.reconcile().await.unwrap().ended.is_empty());
    f.clock.advance(SignedDuration::from_mins(15));
    let done = f.actions.reconcile().await.unwrap().ended;
    assert_eq!(done.len(), 1);
    assert!(done[0].as_ref().unwrap().contains(&dms));
    assert!(f.alarm(&dms).await.actions_enabled);
    assert!(!f.tags(&dms).await.contains_key(SILENCE_UNTIL));
    assert!(!f.alarm(&batch).await.actions_enabled);
    assert!(f.tags(&batch).await.contains_key(SILENCE_UNTIL));
    let log = f.audit.read().unwrap();
    assert_eq!(log.last().unwrap().what, "reconcile");
    assert_eq!(log.last().unwrap().alarm, dms);
}

#[tokio::test]
async fn unsilence_reenables_actions_and_removes_tags() {
    let f = fixture();
    let dms = name("dms-replication-lag");
    f.actions
        .silence(&dms, Duration::from_secs(3600), "why")
        .await
        .unwrap();
    f.actions.unsilence(&dms).await.unwrap();
    assert!(f.alarm(&dms).await.actions_enabled);
    assert_eq!(f.annotation(&dms).await.silence, None);
    let err = f.actions.unsilence(&dms).await.unwrap_err();
    assert!(matches!(err, ActionError::NotSilenced(_)), "{err}");
}

#[tokio::test]
async fn test_sets_alarm_naming_who() {
    let f = fixture();
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Ok).await;
    f.actions
        .run(&Mutation::Test {
            alarm: batch.clone(),
        })
        .await
        .unwrap();
    let alarm = f.alarm(&batch).await;
    assert_eq!(alarm.state, AlarmState::Alarm);
    assert_eq!(alarm.reason, "Test by demo-oncall via monitui");
}

#[tokio::test]
async fn read_only_refuses_everything_before_the_account() {
    let f = fixture_with(true);
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Alarm).await;
    let before = f.alarm(&batch).await;
    let mutations = [
        Mutation::Ack {
            alarm: batch.clone(),
            note: "n".into(),
        },
        Mutation::Silence {
            alarm: batch.clone(),
            duration: Duration::from_secs(60),
            note: "n".into(),
        },
        Mutation::Test {
            alarm: batch.clone(),
        },
    ];
    for m in &mutations {
        let err = f.actions.run(m).await.unwrap_err();
        assert!(
            matches!(&err, ActionError::Provider(ProviderError::ReadOnly { env, .. }) if env == "demo"),
            "{m:?}: {err}"
        );
        assert!(err.to_string().contains("read-only"), "{err}");
    }
    assert_eq!(f.alarm(&batch).await, before);
    assert!(f.tags(&batch).await.is_empty());
    assert!(f.sim.published().is_empty());
    let log = f.audit.read().unwrap();
    assert_eq!(log.len(), mutations.len());
    assert!(log.iter().all(|e| e.result == AuditResult::Refused));
}

#[tokio::test]
async fn a_silence_whose_record_is_denied_leaves_the_actions_on() {
    let f = faulty(Faults {
        deny_tags: true,
        ..Faults::default()
    });
    let lag = name("dms-replication-lag");
    assert!(f.alarm(&lag).await.actions_enabled);
    let err = f
        .actions
        .silence(&lag, Duration::from_secs(3600), "failover")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("AccessDenied"), "{err}");
    assert!(f.alarm(&lag).await.actions_enabled, "actions stay on");
    assert!(f.tags(&lag).await.is_empty(), "no record either");
    let log = f.audit.read().unwrap();
    assert_eq!(
        (log[0].what.as_str(), log[0].result),
        ("silence", AuditResult::Failed)
    );
}

#[tokio::test]
async fn a_silence_whose_actions_cannot_be_disabled_removes_its_record() {
    let f = faulty(Faults {
        deny_disable: true,
        ..Faults::default()
    });
    let lag = name("dms-replication-lag");
    let err = f
        .actions
        .silence(&lag, Duration::from_secs(3600), "failover")
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("DisableAlarmActions"), "{message}");
    assert!(message.contains("nothing changed"), "{message}");
    assert!(f.alarm(&lag).await.actions_enabled);
    assert!(
        f.tags(&lag).await.is_empty(),
        "the record was removed again"
    );
}

#[tokio::test]
async fn changes_to_one_alarm_run_in_the_order_asked() {
    let f = faulty(Faults {
        slow_tags: Some(Duration::from_millis(50)),
        ..Faults::default()
    });
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Alarm).await;
    let (ack, unack) = tokio::join!(
        f.actions.ack(&batch, "mine"),
        f.actions.unack(&batch, false)
    );
    ack.unwrap();
    unack.expect("the unack waited for the ack");
    assert!(f.annotation(&batch).await.ack.is_none());
}

#[tokio::test]
async fn reconcile_leaves_a_silence_extended_since_it_was_read() {
    let f = fixture();
    let lag = name("dms-replication-lag");
    f.actions
        .silence(&lag, Duration::from_secs(600), "short")
        .await
        .unwrap();
    let alarms = f.sim.list_alarms().await.unwrap();
    let stale = read_annotations(&Account::of(f.sim.clone()).reads, &alarms)
        .await
        .unwrap();
    f.clock.advance(SignedDuration::from_mins(11));
    f.actions
        .silence(&lag, Duration::from_secs(3600), "longer")
        .await
        .unwrap();
    let results = f.actions.reconcile_with(&alarms, &stale).await;
    assert!(results.ended.is_empty(), "{results:?}");
    assert_eq!(f.silence(&lag).await.note, "longer");
    assert!(!f.alarm(&lag).await.actions_enabled);
}

/// Actions turned off by hand, and a stale `silence-until` tag with no
/// method or id (or an older record without an id): reconcile leaves the
/// actions off and the tags in place, and says so.
#[tokio::test]
async fn reconcile_leaves_silence_tags_it_did_not_write_alone() {
    let f = fixture();
    let lag = name("dms-replication-lag");
    let batch = name("batch-job-failures");
    let hand_off = [lag.clone(), batch.clone()];
    f.sim
        .set_alarm_actions_enabled(&hand_off, false)
        .await
        .unwrap();
    let stale_until = BTreeMap::from([(SILENCE_UNTIL.to_string(), "2026-11-01T00:00:00Z".into())]);
    f.sim
        .tag_resource(&f.alarm(&lag).await.arn, &stale_until)
        .await
        .unwrap();
    let no_id = BTreeMap::from([
        (SILENCE_UNTIL.to_string(), "2026-11-01T00:00:00Z".into()),
        (SILENCE_METHOD.to_string(), "actions-disabled".into()),
    ]);
    f.sim
        .tag_resource(&f.alarm(&batch).await.arn, &no_id)
        .await
        .unwrap();

    let done = f.actions.reconcile().await.unwrap();
    assert!(done.ended.is_empty(), "{:?}", done.ended);
    let mut left = done.unrecognised.clone();
    left.sort();
    assert_eq!(left, [batch.clone(), lag.clone()]);
    for alarm in [&lag, &batch] {
        assert!(!f.alarm(alarm).await.actions_enabled, "{alarm}: still off");
        assert!(f.tags(alarm).await.contains_key(SILENCE_UNTIL), "{alarm}");
        assert!(matches!(
            f.annotation(alarm).await.silence,
            Some(SilenceRecord::Unrecognised { .. })
        ));
    }
    assert!(f.audit.read().unwrap().is_empty(), "nothing was changed");

    let message = f.actions.unsilence(&lag).await.unwrap();
    assert!(message.contains("left off"), "{message}");
    assert!(
        !f.alarm(&lag).await.actions_enabled,
        "unsilence leaves them too"
    );
    assert!(f.tags(&lag).await.is_empty(), "the stale record is gone");
}

#[tokio::test]
async fn unack_removes_only_your_own_ack_unless_told_any() {
    let f = fixture();
    let batch = name("batch-job-failures");
    f.force(&batch, AlarmState::Alarm).await;
    let alarm = f.alarm(&batch).await;
    let bobs = Ack {
        by: "bob".into(),
        at: f.clock.now(),
        episode: alarm.transitioned_at,
        note: "mine".into(),
    };
    f.sim
        .tag_resource(&alarm.arn, &bobs.to_tags())
        .await
        .unwrap();

    let err = f.actions.unack(&batch, false).await.unwrap_err();
    assert!(
        matches!(&err, ActionError::NotYourAck { by, .. } if by == "bob"),
        "{err}"
    );
    assert!(err.is_bad_input());
    assert_eq!(f.annotation(&batch).await.ack, Some(bobs));

    let message = f.actions.unack(&batch, true).await.unwrap();
    assert!(message.contains("bob's ack"), "{message}");
    assert_eq!(f.annotation(&batch).await.ack, None);
    let log = f.audit.read().unwrap();
    let whats: Vec<(&str, AuditResult)> = log.iter().map(|e| (e.what.as_str(), e.result)).collect();
    assert_eq!(
        whats,
        [
            ("unack", AuditResult::Failed),
            ("unack-any", AuditResult::Ok)
        ]
    );
    assert!(log[1].message.contains("bob's ack"), "{}", log[1].message);
}
