//! Credentials and endpoints as people have them: a failing
//! `credential_process` (what an expired SSO login looks like to the SDK)
//! explained and recovered from, clock skew explained, an endpoint that
//! answers in another protocol named as such, and an assume-role profile
//! with `mfa_serial` asking for its code.
//!
//! The AWS shared config of this binary is a temporary file (set once,
//! before any test reads the environment, through [`aws_files`]).

mod support;

use std::path::PathBuf;
use std::sync::OnceLock;

use monitui::config::ResolvedEnv;
use monitui::provider::ProviderError;
use monitui::provider::aws::{AwsProvider, AwsTuning};
use monitui::provider::prelude::*;
use support::recorded::{RecordedServer, Reply, Rule};

/// The temporary directory holding this binary's AWS config, credentials
/// and credential_process script; set up once for every test. The script
/// fails like an expired SSO login until a file `<profile>.ok` exists
/// next to it, then prints keys.
fn aws_files() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let script = dir.join("creds.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\nif [ -e \"$(dirname \"$0\")/$1.ok\" ]; then\n  echo '{\"Version\":1,\"AccessKeyId\":\"AKIDPROCESS\",\"SecretAccessKey\":\"secret\"}'\nelse\n  echo 'Error loading SSO Token: Token for my-sso does not exist' >&2\n  exit 1\nfi\n",
        )
        .unwrap();
        std::fs::set_permissions(
            &script,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let config = format!(
            "[profile flaky]\ncredential_process = {script} flaky\nregion = us-east-1\n\n\
             [profile broken]\ncredential_process = {script} broken\nregion = us-east-1\n",
            script = script.display()
        );
        std::fs::write(dir.join("config"), config).unwrap();
        std::fs::write(dir.join("credentials"), "").unwrap();
        // SAFETY: set once, under the OnceLock, before any test of this
        // binary builds an SDK client (every test calls this first).
        unsafe {
            std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
            std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
            std::env::remove_var("AWS_ACCESS_KEY_ID");
            std::env::remove_var("AWS_SECRET_ACCESS_KEY");
            std::env::remove_var("AWS_SESSION_TOKEN");
            std::env::remove_var("AWS_PROFILE");
        }
        dir
    })
}

/// An env on `endpoint` through shared-config profile `profile`.
fn profile_env(endpoint: &str, profile: &str) -> ResolvedEnv {
    ResolvedEnv {
        profile: Some(profile.to_string()),
        ..support::aws_env(endpoint)
    }
}

/// [`support::fast_tuning`] without its fixed keys: the credential chain runs.
fn chain_tuning() -> AwsTuning {
    AwsTuning {
        static_keys: None,
        ..support::fast_tuning()
    }
}

/// An expired SSO login behind `credential_process` (the easiest real
/// reproduction: the SDK runs the script and it fails) is explained with
/// its cause first and the login command of the profile; once the script
/// works again the same provider succeeds, with no restart.
#[tokio::test]
async fn failing_credential_process_is_explained_and_recovers() {
    let dir = aws_files();
    let server = RecordedServer::start([Rule::new(
        "DescribeAlarms",
        Reply::cbor(
            200,
            &support::cbor::map([("MetricAlarms", support::cbor::array([]))]),
        ),
    )])
    .await;
    let env = profile_env(&server.endpoint(), "flaky");
    let provider = AwsProvider::connect_with(&env, &chain_tuning())
        .await
        .unwrap();
    let err = provider.list_alarms().await.unwrap_err();
    assert!(matches!(err, ProviderError::Credentials(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("credentials: Error loading SSO Token: Token for my-sso does not exist"),
        "{text}"
    );
    assert!(
        text.contains(
            "Token for my-sso does not exist (Error retrieving credentials: external process \
             exited with code exit status: 1) — run `aws sso login --profile flaky`"
        ),
        "{text}"
    );
    assert!(!text.contains("dispatch failure"), "{text}");
    assert_eq!(server.calls("DescribeAlarms").await, 0);

    std::fs::write(dir.join("flaky.ok"), "").unwrap();
    assert!(provider.list_alarms().await.unwrap().is_empty());
    let signed = server.requests_for("DescribeAlarms").await;
    let auth = signed[0]
        .header("authorization")
        .unwrap_or_default()
        .to_string();
    assert!(auth.contains("Credential=AKIDPROCESS/"), "{auth}");
}

/// A request refused for clock skew says by how much the clock is off
/// (from the answer's Date header) and that SigV4 allows 5 minutes.
#[tokio::test]
async fn clock_skew_gives_the_offset() {
    aws_files();
    let ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(20 * 60);
    let date = aws_smithy_types::DateTime::from(ahead)
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .unwrap();
    let server = RecordedServer::start([Rule::new(
        "DescribeAlarms",
        Reply::cbor_error(
            400,
            "SignatureDoesNotMatch",
            "Signature expired: 20261207T100000Z is now earlier than 20261207T101500Z",
        )
        .header("date", &date),
    )])
    .await;
    let err = support::aws_provider(&server.endpoint())
        .await
        .list_alarms()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ProviderError::Credentials(_)), "{err:?}");
    let secs: i64 = text
        .split("clock is ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no offset in {text}"));
    assert!((1190..=1210).contains(&secs), "{text}");
    assert!(text.contains("s behind AWS's"), "{text}");
    assert!(text.contains("within 5 minutes"), "{text}");
}

/// An endpoint answering HTML or XML to CloudWatch's CBOR requests (as
/// moto and older emulators do) is named as speaking another protocol,
/// whether it says 404 or 200.
#[tokio::test]
async fn endpoint_in_another_protocol_is_named() {
    aws_files();
    let answers = [
        Reply::raw(404, "<html><body><h1>Not Found</h1></body></html>")
            .header("content-type", "text/html"),
        Reply::xml(
            200,
            "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms/>\
             </DescribeAlarmsResult></DescribeAlarmsResponse>",
        ),
        Reply::xml(
            404,
            "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>",
        ),
    ];
    for reply in answers {
        let status = reply.status;
        let server = RecordedServer::start([Rule::new("DescribeAlarms", reply)]).await;
        let err = support::aws_provider(&server.endpoint())
            .await
            .list_alarms()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ProviderError::WrongProtocol { service, .. } if service == "CloudWatch"),
            "{status}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("this endpoint does not speak the CloudWatch protocol monitui uses"),
            "{text}"
        );
        assert!(text.contains(&format!("HTTP {status}")), "{text}");
        assert!(!text.contains("not found:"), "{text}");
    }
}
