//! AwsProvider against the ministack emulator: identity, alarms across
//! pages, forced states, history and tags.

mod support;

use std::collections::BTreeMap;

use jiff::{Timestamp, ToSpan};
use monitui::model::{AlarmState, TimeRange};
use monitui::provider::prelude::*;

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn caller_identity_comes_from_sts() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let provider = support::aws_provider(&endpoint).await;
    let id = provider.caller_identity().await.expect("identity");
    assert_eq!(id.account.len(), 12, "account id: {id:?}");
    assert!(id.arn.starts_with("arn:aws:"), "arn: {id:?}");
    assert_eq!(provider.region(), "us-east-1");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn more_than_a_page_of_alarms_is_listed_completely() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    let names: Vec<String> = (0..120).map(|i| format!("paged-{i:03}")).collect();
    for name in &names {
        support::put_alarm(&cw, name).await;
    }
    let first_page = cw
        .describe_alarms()
        .max_records(100)
        .send()
        .await
        .expect("first page");
    assert!(
        first_page.next_token().is_some(),
        "the emulator must page 120 alarms at 100 a page for this test to mean anything"
    );

    let provider = support::aws_provider(&endpoint).await;
    let alarms = provider.list_alarms().await.expect("list alarms");
    let mut listed: Vec<String> = alarms.iter().map(|a| a.name.clone()).collect();
    listed.sort();
    assert_eq!(listed, names);
    let spec = alarms[0].metric_spec().expect("metric alarm");
    assert_eq!(spec.threshold, 5.0);
    assert_eq!(spec.period_secs, 300);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn forced_states_read_back_and_appear_in_history() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    support::put_alarm(&cw, "stateful").await;
    let provider = support::aws_provider(&endpoint).await;
    let start = Timestamp::now() - 1.minute();

    for state in [
        AlarmState::Alarm,
        AlarmState::Ok,
        AlarmState::InsufficientData,
    ] {
        provider
            .set_alarm_state("stateful", state, "test")
            .await
            .expect("set state");
        let alarms = provider.list_alarms().await.expect("list");
        let alarm = alarms.iter().find(|a| a.name == "stateful").expect("alarm");
        assert_eq!(alarm.state, state);
        assert_eq!(alarm.reason, "test");
    }

    let range = TimeRange {
        start,
        end: Timestamp::now() + 1.minute(),
    };
    let history = provider
        .alarm_history("stateful", range, 50)
        .await
        .expect("history");
    let transitions: Vec<(AlarmState, AlarmState)> =
        history.iter().filter_map(|h| h.transition).collect();
    assert!(
        transitions.contains(&(AlarmState::Alarm, AlarmState::Ok)),
        "history: {history:?}"
    );
    assert!(
        transitions.contains(&(AlarmState::Ok, AlarmState::InsufficientData)),
        "history: {history:?}"
    );
    assert!(
        history.windows(2).all(|w| w[0].timestamp >= w[1].timestamp),
        "newest first: {history:?}"
    );
    let limited = provider
        .alarm_history("stateful", range, 1)
        .await
        .expect("limited history");
    assert_eq!(limited.len(), 1);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn alarm_actions_toggle() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    support::put_alarm(&cw, "muted").await;
    let provider = support::aws_provider(&endpoint).await;
    let names = vec!["muted".to_string()];
    for enabled in [false, true] {
        provider
            .set_alarm_actions_enabled(&names, enabled)
            .await
            .expect("toggle actions");
        let alarms = provider.list_alarms().await.expect("list");
        assert_eq!(alarms[0].actions_enabled, enabled);
    }
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn one_alarm_is_found_by_name() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    for name in ["first", "second", "third"] {
        support::put_alarm(&cw, name).await;
    }
    let provider = support::aws_provider(&endpoint).await;
    let second = provider.alarm("second").await.expect("describe");
    assert_eq!(second.map(|a| a.name), Some("second".to_string()));
    assert_eq!(provider.alarm("fourth").await.expect("describe"), None);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn tags_round_trip_on_an_alarm() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    support::put_alarm(&cw, "tagged").await;
    let provider = support::aws_provider(&endpoint).await;
    let arn = provider.list_alarms().await.expect("list")[0].arn.clone();

    let tags = BTreeMap::from([
        ("monitui:ack-by".to_string(), "alice".to_string()),
        ("monitui:ack-note".to_string(), "looking".to_string()),
    ]);
    provider.tag_resource(&arn, &tags).await.expect("tag");
    assert_eq!(provider.tags(&arn).await.expect("tags"), tags);

    provider
        .untag_resource(&arn, &["monitui:ack-note".to_string()])
        .await
        .expect("untag");
    let left = provider.tags(&arn).await.expect("tags after untag");
    assert_eq!(
        left,
        BTreeMap::from([("monitui:ack-by".to_string(), "alice".to_string())])
    );
}
