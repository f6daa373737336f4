//! `monitui incident` against the emulator: an alarm set to ALARM, error
//! lines put in a log group and the alarm's creation recorded by
//! CloudTrail all show up in `--output json`, and a log group that fails
//! leaves every other piece intact.

mod support;

use aws_sdk_cloudwatch::types::StateValue;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use serde_json::Value;
use support::{ALARM_KEY, put_alarm_json};

const GROUP: &str = "/app/incident-emu";

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn the_json_holds_the_state_change_the_error_lines_and_the_trail_event() {
    let endpoint = support::emulator_endpoint();
    let _lock = support::emulator_lock().await;
    let alarm = format!("incident-emu-{}", std::process::id());
    put_alarm_json(&endpoint, &alarm);
    let config = support::sdk_config(&endpoint).await;
    aws_sdk_cloudwatch::Client::new(&config)
        .set_alarm_state()
        .alarm_name(&alarm)
        .state_value(StateValue::Alarm)
        .state_reason("incident test")
        .send()
        .await
        .unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let _ = logs.create_log_group().log_group_name(GROUP).send().await;
    let _ = logs
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name("app")
        .send()
        .await;
    let now = jiff::Timestamp::now().as_millisecond();
    let lines = [
        "ERROR payment failed for order 17",
        "INFO all good",
        "ERROR Exception: boom",
    ];
    let events: Vec<InputLogEvent> = lines
        .iter()
        .enumerate()
        .map(|(i, m)| {
            InputLogEvent::builder()
                .timestamp(now - 1_000 + i as i64)
                .message(format!("{m} [{alarm}]"))
                .build()
                .unwrap()
        })
        .collect();
    logs.put_log_events()
        .log_group_name(GROUP)
        .log_stream_name("app")
        .set_log_events(Some(events))
        .send()
        .await
        .unwrap();

    let out = support::succeeds(support::emulator_monitui(&endpoint, "incident").args([
        "incident",
        &alarm,
        "--log-group",
        GROUP,
        "--log-group",
        "/no/such/group",
        // The emulator's FilterLogEvents matches nothing for `?A ?B`
        // (EMULATOR.md), so the default error pattern cannot run here.
        "--errors",
        "ERROR",
        "--output",
        "json",
    ]));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(json["alarm"]["name"], alarm.as_str());
    assert_eq!(json["alarm"]["state"], "ALARM");
    assert!(
        json["state_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["to"] == "ALARM"),
        "{json:#}"
    );
    let messages: Vec<&str> = json["log_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["message"].as_str().unwrap().contains(&alarm))
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            format!("ERROR payment failed for order 17 [{alarm}]"),
            format!("ERROR Exception: boom [{alarm}]")
        ],
        "the error lines and only them"
    );
    assert!(
        json["trail_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event_name"] == "PutMetricAlarm" && e["user"] == ALARM_KEY),
        "the recorded write call: {:#}",
        json["trail_events"]
    );
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["piece"], "log_events");
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .contains("/no/such/group")
    );
}
