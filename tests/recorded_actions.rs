//! Alarm actions against scripted AWS answers: the mute-rule path of a
//! silence (the emulator has no mute rules), acks that hold across
//! re-evaluations (the emulator sends no StateTransitionedTimestamp), and
//! read-only mode, where not one request leaves the process.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ciborium::Value;
use monitui::data::{ActionError, AlarmActions, AuditLog, Mutation, Session};
use monitui::model::ManualClock;
use monitui::model::ack::{Ack, Silence, SilenceMethod};
use monitui::provider::prelude::*;
use monitui::provider::{Account, ProviderError};
use support::cbor::{array, get, map, metric_alarm, text, timestamp};
use support::recorded::{RecordedServer, Reply, Rule};

const ALARM: &str = "orders-api-5xx";
fn identity() -> Reply {
    Reply::xml(
        200,
        &support::recorded::identity_xml(
            "arn:aws:sts::123456789012:assumed-role/OnCall/alice",
            "AROA1:alice",
        ),
    )
}

fn one_alarm() -> Reply {
    let alarm = metric_alarm(ALARM, "AWS/ApiGateway", "5XXError");
    Reply::cbor(200, &map([("MetricAlarms", array([alarm]))]))
}

/// The alarm in ALARM since `transitioned` (epoch seconds), its state last
/// updated at `updated` by a re-evaluation that kept it there.
fn alarm_re_evaluated(transitioned: i64, updated: i64) -> Reply {
    let Value::Map(mut fields) = metric_alarm(ALARM, "AWS/ApiGateway", "5XXError") else {
        unreachable!("metric_alarm builds a map")
    };
    fields.retain(|(k, _)| k.as_text() != Some("StateUpdatedTimestamp"));
    fields.push((text("StateUpdatedTimestamp"), timestamp(updated)));
    fields.push((text("StateTransitionedTimestamp"), timestamp(transitioned)));
    Reply::cbor(200, &map([("MetricAlarms", array([Value::Map(fields)]))]))
}

/// A success with nothing in it (PutAlarmMuteRule, TagResource, ...).
fn empty_ok() -> Reply {
    Reply::cbor(200, &map([]))
}

/// Silences [`ALARM`] for `secs` with `note` through `server`, as if it were
/// `now`; the message it gives.
async fn silence_at(server: &RecordedServer, now: &str, secs: u64, note: &str) -> String {
    let (actions, _audit_dir) = actions_at(server, now).await;
    actions
        .silence(ALARM, Duration::from_secs(secs), note)
        .await
        .expect("silence")
}

/// A server that answers the reads every action starts with (the alarm
/// and who calls), then by `rules`.
async fn serve_alarm_and(rules: impl IntoIterator<Item = Rule>) -> RecordedServer {
    let alarm_and_identity = [
        Rule::new("DescribeAlarms", one_alarm()),
        Rule::new("GetCallerIdentity", identity()),
    ];
    RecordedServer::start(alarm_and_identity.into_iter().chain(rules)).await
}

/// The tags of a TagResource request body.
fn sent_tags(body: &Value) -> BTreeMap<String, String> {
    get(body, "Tags")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (text_at(t, &["Key"]).into(), text_at(t, &["Value"]).into()))
        .collect()
}

/// Alarm actions through an AwsProvider talking to `server`, on a clock
/// stopped at `now`, with the audit log in the returned temporary directory
/// (keep it alive as long as the actions).
async fn actions_at(server: &RecordedServer, now: &str) -> (AlarmActions, tempfile::TempDir) {
    actions_tuned(server, now, &support::fast_tuning()).await
}

/// [`actions_at`] with other timeouts and retries.
async fn actions_tuned(
    server: &RecordedServer,
    now: &str,
    tuning: &monitui::provider::aws::AwsTuning,
) -> (AlarmActions, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let actions = AlarmActions::new(
        support::aws_session_tuned(&server.endpoint(), tuning).await,
        &support::aws_env(&server.endpoint()),
        Arc::new(ManualClock::new(now.parse().unwrap())),
        AuditLog::at(dir.path().join("audit.jsonl")),
    );
    (actions, dir)
}

fn text_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    let mut v = value;
    for key in path {
        v = get(v, key).unwrap_or_else(|| panic!("no {key} in {v:?}"));
    }
    v.as_text()
        .unwrap_or_else(|| panic!("{path:?} is not text: {v:?}"))
}

#[tokio::test]
async fn silence_uses_a_mute_rule_where_the_service_has_them() {
    let server = serve_alarm_and([
        Rule::new("PutAlarmMuteRule", empty_ok()),
        Rule::new("TagResource", empty_ok()),
    ])
    .await;
    let message = silence_at(&server, "2026-01-16T03:04:50Z", 3600, "deploying the fix").await;
    assert!(message.contains("mute rule"), "{message}");

    let requests = server.requests().await;
    assert_eq!(
        server.operations().await,
        [
            "DescribeAlarms",
            "GetCallerIdentity",
            "PutAlarmMuteRule",
            "TagResource"
        ]
    );
    let put = requests[2].cbor_body();
    assert_eq!(text_at(&put, &["Name"]), "monitui-silence-orders-api-5xx");
    assert_eq!(
        text_at(&put, &["Rule", "Schedule", "Expression"]),
        "at(2026-01-16T03:04)"
    );
    assert_eq!(text_at(&put, &["Rule", "Schedule", "Duration"]), "PT61M");
    assert_eq!(text_at(&put, &["Rule", "Schedule", "Timezone"]), "UTC");
    let targets = get(get(&put, "MuteTargets").unwrap(), "AlarmNames").unwrap();
    assert_eq!(targets.as_array().unwrap(), &vec![text(ALARM)]);
    assert!(text_at(&put, &["Description"]).contains("alice: deploying the fix"));

    let tags = sent_tags(&requests[3].cbor_body());
    assert_eq!(tags["monitui:silence-method"], "mute-rule");
    assert_eq!(tags["monitui:silence-by"], "alice");
    assert_eq!(tags["monitui:silence-until"], "2026-01-16T04:05:00Z");
}

#[tokio::test]
async fn unsupported_mute_rules_fall_back_to_disabling_actions() {
    let server = serve_alarm_and([
        Rule::new(
            "PutAlarmMuteRule",
            Reply::cbor_error(400, "InvalidAction", "Unknown action: PutAlarmMuteRule"),
        ),
        Rule::new(
            "ListTagsForResource",
            Reply::cbor(200, &map([("Tags", array([]))])),
        ),
        Rule::new("DisableAlarmActions", empty_ok()),
        Rule::new("TagResource", empty_ok()),
    ])
    .await;
    let message = silence_at(&server, "2026-01-16T03:00:00Z", 900, "noisy").await;
    assert!(message.contains("actions disabled"), "{message}");
    assert_eq!(
        server.operations().await,
        [
            "DescribeAlarms",
            "GetCallerIdentity",
            "PutAlarmMuteRule",
            "ListTagsForResource",
            "TagResource",
            "DisableAlarmActions"
        ],
        "the silence is recorded before the actions go off"
    );
}

#[tokio::test]
async fn read_only_refuses_every_change_before_any_write() {
    let server = RecordedServer::start([Rule::new("GetCallerIdentity", identity())]).await;
    let provider = Arc::new(support::aws_provider(&server.endpoint()).await);
    let session = Arc::new(Session::new(Account::of(provider), "prod", true));
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let clock = ManualClock::new("2026-01-16T03:00:00Z".parse().unwrap());
    let actions = AlarmActions::new(
        session,
        &support::aws_env(&server.endpoint()),
        Arc::new(clock),
        audit.clone(),
    );
    let alarm = ALARM.to_string();
    let mutations = [
        Mutation::Ack {
            alarm: alarm.clone(),
            note: "n".into(),
        },
        Mutation::Unack {
            alarm: alarm.clone(),
            any: false,
        },
        Mutation::Silence {
            alarm: alarm.clone(),
            duration: Duration::from_secs(600),
            note: "n".into(),
        },
        Mutation::Unsilence {
            alarm: alarm.clone(),
        },
        Mutation::Test { alarm },
    ];
    for mutation in &mutations {
        let err = actions.run(mutation).await.unwrap_err();
        assert!(
            matches!(&err, ActionError::Provider(ProviderError::ReadOnly { env, .. }) if env == "prod"),
            "{mutation:?}: {err}"
        );
        assert!(err.to_string().contains("'prod' is read-only"), "{err}");
    }
    assert_eq!(
        server.operations().await,
        ["GetCallerIdentity"],
        "only who-am-i, for the audit log, was sent"
    );
    let log = audit.read().unwrap();
    assert_eq!(log.len(), mutations.len());
    assert!(
        log.iter()
            .all(|e| e.result == monitui::data::audit::AuditResult::Refused && e.who == "alice")
    );
}

#[tokio::test]
async fn an_ack_holds_while_re_evaluations_keep_the_alarm_in_alarm() {
    let (transitioned, updated, updated_later) = (1_700_000_000, 1_700_000_600, 1_700_001_200);
    let server = RecordedServer::start([
        Rule::new("DescribeAlarms", alarm_re_evaluated(transitioned, updated)).times(1),
        Rule::new(
            "DescribeAlarms",
            alarm_re_evaluated(transitioned, updated_later),
        ),
        Rule::new("GetCallerIdentity", identity()),
        Rule::new("TagResource", empty_ok()),
    ])
    .await;
    let (actions, _audit_dir) = actions_at(&server, "2023-11-14T22:20:00Z").await;
    actions.ack(ALARM, "on it").await.expect("ack");

    let tagged = server.requests_for("TagResource").await;
    assert_eq!(tagged.len(), 1);
    let ack = Ack::from_tags(&sent_tags(&tagged[0].cbor_body())).expect("ack tags");
    assert_eq!(
        ack.episode.as_second(),
        transitioned,
        "the episode is the transition"
    );

    let provider = support::aws_provider(&server.endpoint()).await;
    let alarm = provider.alarm(ALARM).await.unwrap().expect("the alarm");
    assert_eq!(alarm.updated_at.as_second(), updated_later);
    assert!(ack.covers(&alarm), "a re-evaluation keeps the ack");
    assert_eq!(server.calls("DescribeAlarms").await, 2);
}

/// An ack whose TagResource answer never comes in time: the SDK does not
/// resend it blindly; monitui re-reads the alarm's tags, finds no ack, and
/// only then writes it again.
#[tokio::test]
async fn an_ack_that_timed_out_is_re_read_before_it_is_written_again() {
    let tagged = empty_ok();
    let server = serve_alarm_and([
        Rule::new(
            "TagResource",
            tagged.clone().delayed(Duration::from_secs(3)),
        )
        .times(1),
        Rule::new("TagResource", tagged),
        Rule::new(
            "ListTagsForResource",
            Reply::cbor(200, &map([("Tags", array([]))])),
        ),
    ])
    .await;
    let tuning = monitui::provider::aws::AwsTuning {
        attempt_timeout: Duration::from_millis(300),
        ..support::fast_tuning()
    };
    let (actions, _audit_dir) = actions_tuned(&server, "2026-01-16T03:04:50Z", &tuning).await;
    let message = actions.ack(ALARM, "on it").await.expect("ack");
    assert!(message.starts_with("acknowledged"), "{message}");
    let requests = server.requests().await;
    assert_eq!(
        server.operations().await,
        [
            "DescribeAlarms",
            "GetCallerIdentity",
            "TagResource",
            "ListTagsForResource",
            "TagResource"
        ]
    );
    assert_eq!(
        sent_tags(&requests[2].cbor_body()),
        sent_tags(&requests[4].cbor_body()),
        "the same ack is written again"
    );
}

/// ListTagsForResource's answer: the alarm's tags.
fn tags_reply(tags: &BTreeMap<String, String>) -> Reply {
    let entries = tags
        .iter()
        .map(|(k, v)| map([("Key", text(k)), ("Value", text(v))]));
    Reply::cbor(200, &map([("Tags", array(entries))]))
}

/// An actions-disabled silence of [`ALARM`] with `id`, ending at `until`.
fn silence_tags(id: &str, until: &str) -> BTreeMap<String, String> {
    Silence {
        until: until.parse().unwrap(),
        by: "alice".into(),
        note: "failover".into(),
        method: SilenceMethod::ActionsDisabled,
        id: id.into(),
    }
    .to_tags()
}

/// Reconcile against an account whose successive tag reads answer
/// `reads` in turn (the last one from then on).
async fn reconcile_with_tag_reads(reads: &[BTreeMap<String, String>]) -> RecordedServer {
    let mut rules = vec![Rule::new(
        "ListAlarmMuteRules",
        Reply::cbor_error(400, "InvalidAction", "Unknown action: ListAlarmMuteRules"),
    )];
    for (i, tags) in reads.iter().enumerate() {
        let rule = Rule::new("ListTagsForResource", tags_reply(tags));
        rules.push(if i + 1 < reads.len() {
            rule.times(1)
        } else {
            rule
        });
    }
    rules.extend([
        Rule::new("EnableAlarmActions", empty_ok()),
        Rule::new("DisableAlarmActions", empty_ok()),
        Rule::new("UntagResource", empty_ok()),
    ]);
    let server = serve_alarm_and(rules).await;
    let (actions, _audit_dir) = actions_at(&server, "2026-01-16T05:00:00Z").await;
    actions.reconcile().await.expect("reconcile");
    server
}

/// Another monitui extended the silence between reconcile's first read
/// and the read just before it acts: the new id is seen, so nothing is
/// re-enabled and nothing untagged.
#[tokio::test]
async fn reconcile_leaves_a_silence_whose_id_changed_before_it_acted() {
    let old = silence_tags("1768532400-aaaa", "2026-01-16T04:00:00Z");
    let extended = silence_tags("1768536000-bbbb", "2026-01-16T08:00:00Z");
    let server = reconcile_with_tag_reads(&[old.clone(), extended]).await;
    assert_eq!(server.calls("ListTagsForResource").await, 2);
    assert_eq!(server.calls("EnableAlarmActions").await, 0, "no enable");
    assert_eq!(server.calls("UntagResource").await, 0, "no untag");

    let server = reconcile_with_tag_reads(&[old.clone(), old]).await;
    assert_eq!(server.calls("EnableAlarmActions").await, 1);
    assert_eq!(server.calls("UntagResource").await, 1, "the same id ends");
}

/// The new silence appeared after the actions were turned back on: its
/// record stays and its actions go off again.
#[tokio::test]
async fn reconcile_keeps_a_silence_replaced_between_enable_and_untag() {
    let old = silence_tags("1768532400-aaaa", "2026-01-16T04:00:00Z");
    let extended = silence_tags("1768536000-bbbb", "2026-01-16T08:00:00Z");
    let server = reconcile_with_tag_reads(&[old.clone(), old, extended]).await;
    assert_eq!(
        server.operations().await[2..],
        [
            "ListTagsForResource",
            "ListTagsForResource",
            "EnableAlarmActions",
            "ListTagsForResource",
            "DisableAlarmActions",
            "GetCallerIdentity",
        ][..],
        "{:?}",
        server.operations().await
    );
    assert_eq!(server.calls("UntagResource").await, 0);
}
