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
use std::sync::{Arc, OnceLock};

use monitui::provider::ProviderError;
use monitui::provider::aws::{AwsProvider, AwsSettings, AwsTuning};
use monitui::provider::mfa::{self, MfaRequest};
use monitui::provider::prelude::*;
use support::mfa::{ScriptedPrompt, sts_and_cloudwatch};
use support::recorded::{RecordedServer, Reply, Rule};

/// The role and MFA device of the `mfa` profile.
const ROLE: &str = "arn:aws:iam::123456789012:role/ops";
const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

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
             [profile broken]\ncredential_process = {script} broken\nregion = us-east-1\n\n\
             [profile mfa-source]\naws_access_key_id = AKIDSOURCE\n\
             aws_secret_access_key = source-secret\n\n\
             [profile mfa]\nrole_arn = {ROLE}\nmfa_serial = {SERIAL}\n\
             source_profile = mfa-source\nrole_session_name = alice\nregion = us-east-1\n",
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
fn profile_env(endpoint: &str, profile: &str) -> AwsSettings {
    AwsSettings {
        profile: Some(profile.to_string()),
        ..support::aws_settings(endpoint)
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

/// An assume-role profile with `mfa_serial` asks the installed prompt for
/// the code once, sends it to AssumeRole with the device's serial (signed
/// with the source profile's keys), signs with the role's credentials, and
/// keeps them: a second call neither asks nor assumes again.
#[tokio::test]
async fn mfa_profile_asks_for_the_code_once() {
    aws_files();
    let prompt = Arc::new(ScriptedPrompt::default());
    assert!(
        mfa::install(prompt.clone()),
        "only this test installs a prompt"
    );
    let server = sts_and_cloudwatch(ROLE).await;
    let env = profile_env(&server.endpoint(), "mfa");
    let provider = AwsProvider::connect_with(&env, &chain_tuning())
        .await
        .unwrap();
    provider.list_alarms().await.unwrap();
    provider.list_alarms().await.unwrap();

    assert_eq!(prompt.calls(), 1);
    assert_eq!(
        prompt.asked.lock().unwrap()[0],
        MfaRequest {
            profile: "mfa".into(),
            role_arn: ROLE.into(),
            serial: SERIAL.into(),
        }
    );
    let assumed = server.requests_for("AssumeRole").await;
    assert_eq!(assumed.len(), 1);
    assert_eq!(
        assumed[0].form_field("SerialNumber").as_deref(),
        Some(SERIAL)
    );
    assert_eq!(
        assumed[0].form_field("TokenCode").as_deref(),
        Some("123456")
    );
    assert_eq!(assumed[0].form_field("RoleArn").as_deref(), Some(ROLE));
    assert_eq!(
        assumed[0].form_field("RoleSessionName").as_deref(),
        Some("alice")
    );
    let source_auth = assumed[0].header("authorization").unwrap_or_default();
    assert!(
        source_auth.contains("Credential=AKIDSOURCE/"),
        "{source_auth}"
    );
    let reads = server.requests_for("DescribeAlarms").await;
    assert_eq!(reads.len(), 2);
    for read in reads {
        assert!(
            read.header("authorization")
                .unwrap_or_default()
                .contains("Credential=ASIAROLE/"),
            "{read:?}"
        );
        assert_eq!(read.header("x-amz-security-token"), Some("role-token"));
    }
}

/// `monitui alarms list` through profile `profile` (of [`aws_files`]) at an
/// endpoint nothing listens on: sign-in fails before any request.
fn cli_with_profile(profile: &str) -> std::process::Output {
    aws_files();
    let mut cmd = support::demo_command("credentials");
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .args(["--profile", profile, "--region", "us-east-1"])
        .args(["--endpoint-url", &support::recorded::closed_endpoint()])
        .args(["alarms", "list"]);
    cmd.output().unwrap()
}

/// The CLI prints the cause and the fix of a failed sign-in on one line.
#[test]
fn cli_says_the_cause_and_the_fix() {
    let output = cli_with_profile("broken");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Token for my-sso does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("run `aws sso login --profile broken`"),
        "{stderr}"
    );
    assert!(!stderr.contains("dispatch failure"), "{stderr}");
}

/// Without a terminal on stdin nothing can ask for the MFA code: the CLI
/// says so and how to sign in, instead of hanging or failing at STS.
#[test]
fn mfa_without_a_terminal_says_how_to_sign_in() {
    let output = cli_with_profile("mfa");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "profile mfa needs an MFA code ({SERIAL}) to assume {ROLE}"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("aws configure export-credentials --profile mfa"),
        "{stderr}"
    );
}
