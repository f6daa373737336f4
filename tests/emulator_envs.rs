//! `alarms list` across envs: two emulators stand in for two accounts
//! (`scripts/test` starts the second one and hands its URL as
//! MONITUI_TEST_ENDPOINT_B), and an env whose endpoint is a closed port
//! stands in for an account that cannot be reached.

mod support;

use std::net::TcpListener;
use std::path::PathBuf;

use serde_json::Value;

/// Environment variable through which `scripts/test` hands the second
/// emulator's URL.
const SECOND_ENDPOINT_VAR: &str = "MONITUI_TEST_ENDPOINT_B";

fn second_endpoint() -> String {
    match std::env::var(SECOND_ENDPOINT_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{SECOND_ENDPOINT_VAR} is not set: run the two-emulator tests through scripts/test"
        ),
    }
}

/// Empties the emulator at `endpoint` and plants `ok` (left in OK... or
/// INSUFFICIENT_DATA, as the emulator leaves a new alarm) and `firing`
/// (forced into ALARM).
async fn plant(endpoint: &str, ok: &str, firing: &str) {
    support::reset_emulator(endpoint);
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(endpoint).await);
    for name in [ok, firing] {
        support::put_alarm(&cw, name).await;
    }
    cw.set_alarm_state()
        .alarm_name(ok)
        .state_value(aws_sdk_cloudwatch::types::StateValue::Ok)
        .state_reason("quiet")
        .send()
        .await
        .expect("SetAlarmState OK");
    cw.set_alarm_state()
        .alarm_name(firing)
        .state_value(aws_sdk_cloudwatch::types::StateValue::Alarm)
        .state_reason("forced by the test")
        .send()
        .await
        .expect("SetAlarmState ALARM");
}

/// A config file with envs `a` and `b`, each an AWS env on its endpoint.
fn config(suite: &str, a: &str, b: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("monitui-envs-{suite}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[envs.a]\nkind = \"aws\"\nregion = \"us-east-1\"\nendpoint_url = \"{a}\"\n\n\
             [envs.b]\nkind = \"aws\"\nregion = \"us-east-1\"\nendpoint_url = \"{b}\"\n"
        ),
    )
    .unwrap();
    path
}

/// monitui with dummy keys and `config`, listing `envs` as JSON.
fn list(suite: &str, config: &PathBuf, envs: &str) -> std::process::Output {
    let mut cmd = support::demo_command(suite);
    cmd.env_remove("AWS_PROFILE")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("--config")
        .arg(config)
        .args(["alarms", "list", "--env", envs, "--output", "json"]);
    cmd.output().unwrap()
}

/// `(env, name, state)` of each record, in the order printed.
fn rows(stdout: &[u8]) -> Vec<(String, String, String)> {
    let records: Vec<Value> = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(stdout)
        )
    });
    records
        .iter()
        .map(|r| {
            (
                r["env"]
                    .as_str()
                    .expect("every record names its env")
                    .to_string(),
                r["name"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn two_accounts_make_one_list_alarm_first_each_row_naming_its_env() {
    let (a, b) = (support::emulator_endpoint(), second_endpoint());
    let _guard = support::emulator_lock().await;
    plant(&a, "a-quiet", "a-firing").await;
    plant(&b, "b-quiet", "b-firing").await;
    let config = config("two", &a, &b);

    let out = list("envs-two", &config, "a,b");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = rows(&out.stdout);
    let row = |env: &str, name: &str, state: &str| (env.into(), name.into(), state.into());
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        rows[..2].contains(&row("a", "a-firing", "ALARM")),
        "{rows:?}"
    );
    assert!(
        rows[..2].contains(&row("b", "b-firing", "ALARM")),
        "{rows:?}"
    );
    assert!(rows[2..].contains(&row("a", "a-quiet", "OK")), "{rows:?}");
    assert!(rows[2..].contains(&row("b", "b-quiet", "OK")), "{rows:?}");

    let all = list("envs-two", &config, "all");
    assert!(all.status.success());
    assert_eq!(
        self::rows(&all.stdout).len(),
        4,
        "all: every env of the config"
    );
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn an_env_that_cannot_be_reached_is_named_and_the_others_are_still_listed() {
    let a = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    plant(&a, "a-quiet", "a-firing").await;
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let config = config("closed", &a, &closed);

    let out = list("envs-closed", &config, "a,b");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed env fails the command: {stderr}"
    );
    assert!(
        stderr.contains("env 'b': cannot list alarms"),
        "the failed env is named: {stderr}"
    );
    assert!(
        stderr.contains("1 of 2 envs could not be listed: b"),
        "{stderr}"
    );
    let rows = rows(&out.stdout);
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|(e, n, _)| (e.as_str(), n.as_str()))
        .collect();
    assert_eq!(names, [("a", "a-firing"), ("a", "a-quiet")]);
}
