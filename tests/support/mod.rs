//! Helpers shared by the integration tests: the emulator (ministack)
//! started by `scripts/test`, [`recorded::RecordedServer`], a local HTTP
//! server that answers each AWS operation by scripted rules and records
//! every request, [`pty::Pty`] to run the binary on a pseudo-terminal, and
//! the [`hostile`] text corpus with its check on what a terminal received.
//!
//! Each test binary uses only some of these helpers, hence the allow below.
#![allow(dead_code)]

pub mod cbor;
pub mod hostile;
pub mod mfa;
pub mod proxy;
pub mod pty;
pub mod random_keys;
pub mod recorded;
pub mod screen;
pub mod stack;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use monitui::config::{EnvKind, ResolvedEnv};
use monitui::data::Session;
use monitui::provider::aws::{AwsProvider, AwsSettings, AwsTuning, StaticKeys};
use monitui::provider::{Account, AccountSettings};
use serde_json::json;

/// The built binary on the demo account, isolated from the user's config
/// and environment: HOME and XDG_CONFIG_HOME point at a temporary folder
/// named after `suite`.
pub fn demo_monitui(suite: &str) -> assert_cmd::Command {
    demo_command(suite).into()
}

/// [`demo_monitui`] as a plain [`std::process::Command`], for a test that
/// spawns it and reads it while it runs.
pub fn demo_command(suite: &str) -> std::process::Command {
    use assert_cmd::cargo::CommandCargoExt;
    let dir = std::env::temp_dir().join(format!("monitui-{suite}-test"));
    let mut cmd = std::process::Command::cargo_bin("monitui").unwrap();
    cmd.env_remove("MONITUI_CONFIG")
        .env_remove("MONITUI_ENV")
        .env("HOME", &dir)
        .env("XDG_CONFIG_HOME", &dir);
    cmd
}

/// Runs `cmd` and fails the test, showing its stderr, unless it exits 0;
/// what it printed, for the test to read.
pub fn succeeds(cmd: &mut assert_cmd::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `logs query` of the seed's saved query "Find Lambda errors" over the
/// last hour, as JSON: the demo and the emulator tests both run it.
pub const SAVED_QUERY_JSON: [&str; 8] = [
    "logs",
    "query",
    "--saved",
    "Find Lambda errors",
    "--since",
    "1h",
    "--output",
    "json",
];

/// `path` under `tests/fixtures/third-party/` (inputs written by others,
/// kept in the repository with their provenance in `PROVENANCE.md` there).
/// A missing one fails the test: a clone must run every test.
pub fn third_party(path: &str) -> std::path::PathBuf {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/third-party")
        .join(path);
    assert!(full.exists(), "{} is missing", full.display());
    full
}

/// Runs `cmd`, which must succeed (see [`succeeds`]), and reads what it
/// printed as JSON (`--output json`).
pub fn json_of<T: serde::de::DeserializeOwned>(cmd: &mut assert_cmd::Command) -> T {
    let out = succeeds(cmd);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not the JSON expected ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The access key the hand-made PutMetricAlarm calls are signed with (the
/// emulator records the caller's access key id as the user name).
pub const ALARM_KEY: &str = "AKIATRAILTESTEXAMPLE";

/// PutMetricAlarm in CloudWatch's JSON protocol (awsJson1_0). The emulator
/// does not check signatures; it reads the access key from the
/// Authorization header's credential scope.
pub fn put_alarm_json(endpoint: &str, name: &str) {
    let authority = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let body = json!({
        "AlarmName": name,
        "Namespace": "AWS/Lambda",
        "MetricName": "Errors",
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold"
    })
    .to_string();
    let mut stream = TcpStream::connect(authority).expect("reach the emulator");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Target: GraniteServiceVersion20100801.PutMetricAlarm\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={ALARM_KEY}/20261128/us-east-1/monitoring/aws4_request, \
         SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "PutMetricAlarm {name}: {answer}"
    );
}

/// The built binary against the emulator at `endpoint` with dummy keys,
/// isolated from the user's config (a temporary home named after `suite`).
pub fn emulator_monitui(endpoint: &str, suite: &str) -> assert_cmd::Command {
    emulator_command(endpoint, suite).into()
}

/// [`emulator_monitui`] as a plain [`std::process::Command`], to spawn.
pub fn emulator_command(endpoint: &str, suite: &str) -> std::process::Command {
    endpoint_command(endpoint, &format!("emulator-{suite}"))
}

/// The built binary against any AWS endpoint (the emulator, a recorded
/// server) with dummy keys in us-east-1, no profile and no instance
/// metadata, isolated like [`demo_monitui`].
pub fn endpoint_monitui(endpoint: &str, suite: &str) -> assert_cmd::Command {
    endpoint_command(endpoint, suite).into()
}

/// [`endpoint_monitui`] as a plain [`std::process::Command`], to spawn.
pub fn endpoint_command(endpoint: &str, suite: &str) -> std::process::Command {
    let mut cmd = demo_command(suite);
    cmd.env_remove("AWS_PROFILE")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["--endpoint-url", endpoint]);
    cmd
}

/// Environment variable through which `scripts/test` hands the emulator's URL.
pub const ENDPOINT_VAR: &str = "MONITUI_TEST_ENDPOINT";

/// The emulator's URL. Emulator tests are `#[ignore = "needs the emulator:
/// run scripts/test"]`, so plain `cargo test` reports them as ignored and
/// `scripts/test` runs them (`--include-ignored`) once the emulator is up;
/// reaching this without the emulator is a failure, not a silent pass.
pub fn emulator_endpoint() -> String {
    match std::env::var(ENDPOINT_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{ENDPOINT_VAR} is not set: emulator tests are #[ignore]d and run through \
             scripts/test, which starts the emulator"
        ),
    }
}

/// One emulator is shared by every test of a binary: tests hold this lock
/// so that a reset in one test cannot wipe another's fixtures. (Test
/// binaries run one after another, so a lock per binary suffices.)
pub async fn emulator_lock() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}

/// Sends `request_line` with an empty body to the emulator at `endpoint`;
/// the answer, or why there was none.
fn emulator_request(endpoint: &str, request_line: &str) -> std::io::Result<String> {
    let authority = endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{request_line} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

fn is_ok(answer: &str) -> bool {
    answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
}

/// Clears all emulator state (`POST /_ministack/reset`).
pub fn reset_emulator(endpoint: &str) {
    let answer = emulator_request(endpoint, "POST /_ministack/reset")
        .unwrap_or_else(|e| panic!("cannot reach the emulator at {endpoint}: {e}"));
    assert!(is_ok(&answer), "emulator reset failed: {answer}");
}

/// Whether the emulator at `endpoint` is up (its health check answers).
pub fn emulator_answers(endpoint: &str) -> bool {
    emulator_request(endpoint, "GET /_ministack/health").is_ok_and(|a| is_ok(&a))
}

/// An AWS environment pointing at `endpoint` (an emulator or a recorded server).
pub fn aws_env(endpoint: &str) -> ResolvedEnv {
    ResolvedEnv {
        name: "emulator".into(),
        kind: EnvKind::Aws,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
        read_only: false,
        confirm_mutations: false,
        ..ResolvedEnv::demo()
    }
}

/// What the AWS provider needs to reach `endpoint` (as [`aws_env`] says).
pub fn aws_settings(endpoint: &str) -> AwsSettings {
    match monitui::data::session::account_settings(&aws_env(endpoint)) {
        AccountSettings::Aws(settings) => settings,
        other => panic!("an AWS env gives AWS settings, not {other:?}"),
    }
}

/// Short timeouts and backoffs, fixed dummy keys: failures surface in
/// milliseconds and no credential chain is consulted.
pub fn fast_tuning() -> AwsTuning {
    AwsTuning {
        connect_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(10),
        operation_timeout: Duration::from_secs(30),
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        static_keys: Some(StaticKeys {
            access_key_id: "test".into(),
            secret_access_key: "test".into(),
        }),
    }
}

/// An [`AwsProvider`] for `endpoint` with [`fast_tuning`].
pub async fn aws_provider(endpoint: &str) -> AwsProvider {
    tuned_provider(endpoint, &fast_tuning()).await
}

async fn tuned_provider(endpoint: &str, tuning: &AwsTuning) -> AwsProvider {
    AwsProvider::connect_with(&aws_settings(endpoint), tuning)
        .await
        .expect("connect to test endpoint")
}

/// A writable [`Session`] on an [`aws_provider`] for `endpoint`.
pub async fn aws_session(endpoint: &str) -> std::sync::Arc<Session> {
    aws_session_tuned(endpoint, &fast_tuning()).await
}

/// A writable [`Session`] for `endpoint` with other timeouts and retries.
pub async fn aws_session_tuned(endpoint: &str, tuning: &AwsTuning) -> std::sync::Arc<Session> {
    let provider = std::sync::Arc::new(tuned_provider(endpoint, tuning).await);
    std::sync::Arc::new(Session::new(Account::of(provider), "test", false))
}

/// SDK configuration for planting fixtures directly in the emulator.
pub async fn sdk_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await
}

/// Creates a simple metric alarm on `AWS/Lambda Errors` for function `name`.
pub async fn put_alarm(cw: &aws_sdk_cloudwatch::Client, name: &str) {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
    cw.put_metric_alarm()
        .alarm_name(name)
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .dimensions(
            Dimension::builder()
                .name("FunctionName")
                .value(name)
                .build(),
        )
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutMetricAlarm {name}: {e:?}"));
}
