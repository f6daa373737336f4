//! Alarm actions through AwsProvider against the ministack emulator: ack
//! tags and the SNS note delivered to an HTTP subscriber on 127.0.0.1, ack
//! lapse on a new episode, silence through disabled actions (ministack has
//! no mute rules) ended by reconcile, unsilence, test state and history,
//! and two clients acking the same episode.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use monitui::config::ResolvedEnv;
use monitui::data::annotations::read_annotations;
use monitui::data::audit::AuditResult;
use monitui::data::{AlarmActions, Annotation, AuditLog, Session};
use monitui::model::ack::{Ack, SilenceMethod};
use monitui::model::{Alarm, AlarmState, HistoryKind, ManualClock, TimeRange};

struct Account {
    endpoint: String,
    session: Arc<Session>,
    cw: aws_sdk_cloudwatch::Client,
    audit: AuditLog,
    _dir: tempfile::TempDir,
}

async fn account(endpoint: &str, alarm: &str) -> Account {
    support::reset_emulator(endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(endpoint).await);
    support::put_alarm(&cw, alarm).await;
    let dir = tempfile::tempdir().unwrap();
    Account {
        endpoint: endpoint.to_string(),
        session: support::aws_session(endpoint).await,
        cw,
        audit: AuditLog::at(dir.path().join("audit.jsonl")),
        _dir: dir,
    }
}

impl Account {
    fn actions(&self, env: &ResolvedEnv, clock: ManualClock) -> AlarmActions {
        AlarmActions::new(
            Arc::clone(&self.session),
            env,
            Arc::new(clock),
            self.audit.clone(),
        )
    }

    fn env(&self) -> ResolvedEnv {
        support::aws_env(&self.endpoint)
    }

    async fn force(&self, alarm: &str, state: &str) {
        self.cw
            .set_alarm_state()
            .alarm_name(alarm)
            .state_value(state.into())
            .state_reason("forced by the test")
            .send()
            .await
            .expect("SetAlarmState");
    }

    async fn alarm(&self, name: &str) -> Alarm {
        self.session
            .reads
            .alarms
            .list_alarms()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.name == name)
            .expect("alarm exists")
    }

    async fn annotation(&self, name: &str) -> Annotation {
        let alarm = self.alarm(name).await;
        read_annotations(&self.session.reads, &[alarm])
            .await
            .unwrap()
            .remove(name)
            .unwrap()
    }
}

fn now_clock() -> ManualClock {
    ManualClock::new(Timestamp::now())
}

/// An HTTP endpoint on 127.0.0.1 that answers 200 and hands every POST
/// body to the returned channel.
fn http_subscriber() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sns", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            if tx
                .send(String::from_utf8_lossy(&body).into_owned())
                .is_err()
            {
                return;
            }
        }
    });
    (url, rx)
}

/// The next delivered SNS envelope of `kind`.
fn next_envelope(rx: &mpsc::Receiver<String>, kind: &str) -> serde_json::Value {
    loop {
        let body = rx
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("no {kind} delivered within 15 s"));
        let envelope: serde_json::Value = serde_json::from_str(&body).expect("JSON envelope");
        if envelope["Type"] == kind {
            return envelope;
        }
    }
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn ack_writes_tags_and_notifies_an_http_subscriber() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "ack-http";
    let acct = account(&endpoint, name).await;
    acct.force(name, "ALARM").await;
    let sns = aws_sdk_sns::Client::new(&support::sdk_config(&endpoint).await);
    let topic = sns
        .create_topic()
        .name("oncall")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    let (url, deliveries) = http_subscriber();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("http")
        .endpoint(&url)
        .send()
        .await
        .unwrap();
    let confirmation = next_envelope(&deliveries, "SubscriptionConfirmation");
    sns.confirm_subscription()
        .topic_arn(&topic)
        .token(confirmation["Token"].as_str().unwrap())
        .send()
        .await
        .expect("confirm the HTTP subscription");

    let env = ResolvedEnv {
        sns_topic: Some(topic.clone()),
        ..acct.env()
    };
    let actions = acct.actions(&env, now_clock());
    let message = actions.ack(name, "restarting the consumer").await.unwrap();
    assert!(message.contains("notified"), "{message}");

    let alarm = acct.alarm(name).await;
    let ack = acct.annotation(name).await.ack.expect("ack tags");
    assert!(ack.covers(&alarm));
    assert_eq!(ack.note, "restarting the consumer");
    let who = acct.session.reads.identity.caller_identity().await.unwrap();
    assert_eq!(ack.by, who.short_name());

    let note = next_envelope(&deliveries, "Notification");
    assert_eq!(note["TopicArn"], topic.as_str());
    assert_eq!(
        note["Message"],
        format!(
            "acknowledged by {}: restarting the consumer",
            who.short_name()
        )
        .as_str()
    );
    assert_eq!(note["Subject"], "ack-http acknowledged");
    assert_eq!(acct.audit.read().unwrap()[0].result, AuditResult::Ok);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn ack_lapses_when_a_new_episode_starts() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "ack-lapse";
    let acct = account(&endpoint, name).await;
    acct.force(name, "ALARM").await;
    let actions = acct.actions(&acct.env(), now_clock());
    actions.ack(name, "").await.unwrap();
    let ack = acct.annotation(name).await.ack.unwrap();
    assert!(ack.covers(&acct.alarm(name).await));
    acct.force(name, "OK").await;
    assert!(
        !ack.covers(&acct.alarm(name).await),
        "leaving ALARM ends it"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    acct.force(name, "ALARM").await;
    let alarm = acct.alarm(name).await;
    assert_eq!(alarm.state, AlarmState::Alarm);
    assert_ne!(alarm.transitioned_at, ack.episode, "a new episode started");
    assert!(!acct.annotation(name).await.ack.unwrap().covers(&alarm));
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn silence_disables_actions_until_reconcile_after_expiry() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "silence-expiry";
    let acct = account(&endpoint, name).await;
    let clock = now_clock();
    let actions = acct.actions(&acct.env(), clock.clone());
    let message = actions
        .silence(name, Duration::from_secs(15 * 60), "failover drill")
        .await
        .unwrap();
    assert!(message.contains("alarm actions disabled"), "{message}");
    assert!(!acct.alarm(name).await.actions_enabled);
    let annotation = acct.annotation(name).await;
    let silence = annotation.own_silence().expect("monitui's own record");
    assert_eq!(silence.method, SilenceMethod::ActionsDisabled);
    assert_eq!(silence.note, "failover drill");

    assert!(
        actions.reconcile().await.unwrap().ended.is_empty(),
        "not yet"
    );
    assert!(!acct.alarm(name).await.actions_enabled);
    clock.advance(SignedDuration::from_mins(15));
    let done = actions.reconcile().await.unwrap().ended;
    assert_eq!(done.len(), 1);
    assert!(done[0].as_ref().unwrap().contains(name));
    assert!(acct.alarm(name).await.actions_enabled);
    assert_eq!(acct.annotation(name).await.silence, None);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn unsilence_reenables_actions_and_clears_tags() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "unsilence";
    let acct = account(&endpoint, name).await;
    let actions = acct.actions(&acct.env(), now_clock());
    actions
        .silence(name, Duration::from_secs(3600), "deploy")
        .await
        .unwrap();
    assert!(!acct.alarm(name).await.actions_enabled);
    actions.unsilence(name).await.unwrap();
    assert!(acct.alarm(name).await.actions_enabled);
    assert_eq!(acct.annotation(name).await, Annotation::default());
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn test_sets_alarm_with_a_reason_and_history_shows_it() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "test-state";
    let acct = account(&endpoint, name).await;
    acct.force(name, "OK").await;
    let actions = acct.actions(&acct.env(), now_clock());
    actions.test(name).await.unwrap();
    let alarm = acct.alarm(name).await;
    let who = acct.session.reads.identity.caller_identity().await.unwrap();
    assert_eq!(alarm.state, AlarmState::Alarm);
    assert_eq!(
        alarm.reason,
        format!("Test by {} via monitui", who.short_name())
    );
    let now = Timestamp::now();
    let range = TimeRange {
        start: now - SignedDuration::from_hours(1),
        end: now + SignedDuration::from_mins(1),
    };
    let history = acct
        .session
        .reads
        .alarms
        .alarm_history(name, range, 50)
        .await
        .unwrap();
    assert!(
        history.iter().any(|h| h.kind == HistoryKind::StateUpdate
            && h.transition.map(|t| t.1) == Some(AlarmState::Alarm)),
        "{history:?}"
    );
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn two_clients_acking_one_episode_leave_one_consistent_ack() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "two-clients";
    let acct = account(&endpoint, name).await;
    acct.force(name, "ALARM").await;
    let t1: Timestamp = "2030-01-01T00:00:01Z".parse().unwrap();
    let t2: Timestamp = "2030-01-01T00:00:02Z".parse().unwrap();
    let env = acct.env();
    let first = acct.actions(&env, ManualClock::new(t1));
    let second = AlarmActions::new(
        support::aws_session(&endpoint).await,
        &env,
        Arc::new(ManualClock::new(t2)),
        acct.audit.clone(),
    );
    for _ in 0..5 {
        let (a, b) = tokio::join!(first.ack(name, "first"), second.ack(name, "second"));
        a.unwrap();
        b.unwrap();
        let ack: Ack = acct.annotation(name).await.ack.unwrap();
        let consistent =
            (ack.note == "first" && ack.at == t1) || (ack.note == "second" && ack.at == t2);
        assert!(consistent, "mixed ack: {ack:?}");
        assert!(ack.covers(&acct.alarm(name).await));
    }
}

impl Account {
    /// Writes `tags` on `alarm` by hand, as someone else would.
    async fn tag_by_hand(&self, alarm: &str, tags: &[(&str, &str)]) {
        let arn = self.alarm(alarm).await.arn;
        let mut request = self.cw.tag_resource().resource_arn(arn);
        for (key, value) in tags {
            request = request.tags(
                aws_sdk_cloudwatch::types::Tag::builder()
                    .key(*key)
                    .value(*value)
                    .build(),
            );
        }
        request.send().await.expect("TagResource");
    }

    /// `monitui alarms ARGS` against this account, auditing to `audit`.
    fn cli(&self, args: &[&str]) -> std::process::Output {
        support::emulator_monitui(&self.endpoint, "actions")
            .env("MONITUI_AUDIT_LOG", self.audit.path())
            .arg("alarms")
            .args(args)
            .output()
            .unwrap()
    }
}

/// Actions turned off by hand with only a stale `monitui:silence-until`
/// tag: `alarms reconcile` leaves them off, names the record, and
/// `alarms list` shows it as unrecognised.
#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn reconcile_leaves_actions_turned_off_by_hand_alone() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "off-by-hand";
    let acct = account(&endpoint, name).await;
    acct.cw
        .disable_alarm_actions()
        .alarm_names(name)
        .send()
        .await
        .expect("DisableAlarmActions");
    acct.tag_by_hand(name, &[("monitui:silence-until", "2020-01-01T00:00:00Z")])
        .await;

    let out = acct.cli(&["reconcile"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("left alone: {name}: unrecognised silence record")),
        "{stdout}"
    );
    assert!(!acct.alarm(name).await.actions_enabled, "still off");
    assert!(acct.audit.read().unwrap().is_empty(), "nothing changed");

    let out = acct.cli(&["list"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("unrecognised silence record"), "{stdout}");
    let out = acct.cli(&["list", "--output", "json"]);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["unrecognised_silence_record"], true);
    assert_eq!(listed[0]["silenced_until"], serde_json::Value::Null);
}

/// Someone else's ack: `alarms unack` refuses it (exit 2), `--any` without
/// a terminal needs `--yes`, and with both it goes, audited as unack-any.
#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn unack_of_someone_elses_ack_needs_any_and_yes() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let name = "bobs-ack";
    let acct = account(&endpoint, name).await;
    acct.force(name, "ALARM").await;
    let episode = acct.alarm(name).await.transitioned_at.to_string();
    acct.tag_by_hand(
        name,
        &[
            ("monitui:ack-by", "bob"),
            ("monitui:ack-at", "2026-01-16T03:00:00Z"),
            ("monitui:ack-episode", &episode),
        ],
    )
    .await;

    let out = acct.cli(&["unack", name]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bob's, not yours"), "{stderr}");
    let out = acct.cli(&["unack", name, "--any"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--yes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(acct.annotation(name).await.ack.is_some(), "bob's ack stays");

    let out = acct.cli(&["unack", name, "--any", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(acct.annotation(name).await.ack.is_none());
    let log = acct.audit.read().unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (last.what.as_str(), last.result),
        ("unack-any", AuditResult::Ok)
    );
    assert!(last.message.contains("bob's ack"), "{}", last.message);
}
