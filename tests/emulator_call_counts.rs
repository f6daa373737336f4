//! The binary against the emulator through the call-counting proxy: how
//! many requests `alarms list` makes on an account of 500 alarms, that its
//! table shows every alarm of 1,000 once with the alarms in ALARM first,
//! and what a silence does when its TagResource is denied.

mod support;

use std::sync::Arc;

use assert_cmd::Command;
use support::proxy::CallProxy;

const ALARMS: usize = 500;
const FIRING: usize = 20;

fn monitui(endpoint: &str, audit: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("monitui").unwrap();
    cmd.env_remove("MONITUI_CONFIG")
        .env_remove("MONITUI_ENV")
        .env("MONITUI_AUDIT_LOG", audit)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"]);
    cmd
}

/// Plants `count` alarms, 16 requests at a time.
async fn plant(cw: &aws_sdk_cloudwatch::Client, count: usize) {
    let permits = Arc::new(tokio::sync::Semaphore::new(16));
    let mut puts = tokio::task::JoinSet::new();
    for i in 0..count {
        let (cw, permits) = (cw.clone(), Arc::clone(&permits));
        puts.spawn(async move {
            let _permit = permits.acquire_owned().await;
            support::put_alarm(&cw, &format!("scale-{i:03}")).await;
        });
    }
    while let Some(done) = puts.join_next().await {
        done.unwrap();
    }
}

async fn force_alarm(cw: &aws_sdk_cloudwatch::Client, name: &str) {
    cw.set_alarm_state()
        .alarm_name(name)
        .state_value(aws_sdk_cloudwatch::types::StateValue::Alarm)
        .state_reason("forced by the test")
        .send()
        .await
        .expect("SetAlarmState");
}

/// The emulator, emptied and held for one test.
struct Emptied {
    endpoint: String,
    cw: aws_sdk_cloudwatch::Client,
    _guard: tokio::sync::MutexGuard<'static, ()>,
}

/// Acks `scale-000` with a note; the folder that keeps the audit log the
/// test's later commands share, and that log's path.
fn acked_first(endpoint: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    monitui(endpoint, &audit)
        .args(["alarms", "ack", "scale-000", "--note", "looking"])
        .assert()
        .success();
    (dir, audit)
}

/// Empties the emulator for this test.
async fn emptied_emulator() -> Emptied {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    Emptied {
        endpoint,
        cw,
        _guard,
    }
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn alarms_list_reads_the_tags_of_firing_alarms_only() {
    let emu = emptied_emulator().await;
    plant(&emu.cw, ALARMS).await;
    for i in 0..FIRING {
        force_alarm(&emu.cw, &format!("scale-{i:03}")).await;
    }
    let (_dir, audit) = acked_first(&emu.endpoint);

    let proxy = CallProxy::start(&emu.endpoint, "");
    let listed: Vec<serde_json::Value> = support::json_of(
        monitui(&proxy.endpoint(), &audit).args(["alarms", "list", "--output", "json"]),
    );
    assert_eq!(listed.len(), ALARMS);
    let firing = listed.iter().filter(|a| a["state"] == "ALARM").count();
    assert_eq!(firing, FIRING);
    let acked = listed.iter().find(|a| a["name"] == "scale-000").unwrap();
    assert_eq!(acked["ack_note"], "looking", "acks are still read");

    let counts = proxy.counts();
    let describe = counts.get("DescribeAlarms").copied().unwrap_or(0);
    // The pages, and the one StateValue=ALARM request sent beside the first.
    assert!(describe <= ALARMS.div_ceil(100) + 1, "{counts:?}");
    assert_eq!(
        counts.get("ListTagsForResource"),
        Some(&FIRING),
        "{counts:?}"
    );
    assert_eq!(
        counts.get("DescribeAlarmHistory"),
        None,
        "JSON reads the history only with --flaps: {counts:?}"
    );
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn the_table_shows_every_alarm_once_those_in_alarm_first_each_with_its_ack() {
    const MANY: usize = 1_000;
    let emu = emptied_emulator().await;
    plant(&emu.cw, MANY).await;
    // More than one DescribeAlarms page of 100 in ALARM: the first page
    // is printed early, the rest comes with the full listing.
    let firing: Vec<String> = (0..MANY)
        .filter(|i| i % 6 == 0)
        .map(|i| format!("scale-{i:03}"))
        .collect();
    for name in &firing {
        force_alarm(&emu.cw, name).await;
    }
    let (_dir, audit) = acked_first(&emu.endpoint);

    let proxy = CallProxy::start(&emu.endpoint, "");
    let out = monitui(&proxy.endpoint(), &audit)
        .args(["alarms", "list"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), MANY, "{stdout}");
    let names: std::collections::HashSet<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(names.len(), MANY, "an alarm shown twice");
    let in_alarm = rows.iter().take_while(|r| r[0] == "ALARM").count();
    assert_eq!(in_alarm, firing.len(), "the alarms in ALARM come first");
    assert!(rows[in_alarm..].iter().all(|r| r[0] != "ALARM"));
    let acked = rows.iter().find(|r| r[1] == "scale-000").unwrap();
    assert_eq!(acked[2..4], ["acked", "by"], "{acked:?}");
    assert!(
        rows.iter().any(|r| r.contains(&"…")),
        "no row was printed before the day's history was in: {stdout}"
    );
    let counts = proxy.counts();
    let describe = counts.get("DescribeAlarms").copied().unwrap_or(0);
    assert!(describe <= MANY.div_ceil(100) + 1, "{counts:?}");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn a_silence_whose_tag_write_is_denied_leaves_the_actions_on() {
    let emu = emptied_emulator().await;
    support::put_alarm(&emu.cw, "denied-tags").await;
    let proxy = CallProxy::start(&emu.endpoint, "TagResource");
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let out = monitui(&proxy.endpoint(), &audit)
        .args([
            "alarms",
            "silence",
            "denied-tags",
            "--for",
            "1h",
            "--note",
            "x",
        ])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains("TagResource"), "{stderr}");
    let counts = proxy.counts();
    assert_eq!(counts.get("DisableAlarmActions"), None, "{counts:?}");
    let alarm = emu
        .cw
        .describe_alarms()
        .alarm_names("denied-tags")
        .send()
        .await
        .unwrap();
    assert_eq!(
        alarm.metric_alarms()[0].actions_enabled(),
        Some(true),
        "the actions stay on"
    );
    let log = std::fs::read_to_string(&audit).unwrap();
    assert!(log.contains("\"result\":\"failed\""), "{log}");
}
