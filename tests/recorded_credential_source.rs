//! An assume-role profile with `mfa_serial` whose credentials come from a
//! `credential_source` (no `source_profile`): `Environment` (keys in
//! `AWS_ACCESS_KEY_ID`), `EcsContainer` (the container credentials
//! endpoint) and `Ec2InstanceMetadata` (IMDSv2: a token, then the
//! instance role's keys), both endpoints local servers. Each asks the
//! prompt once, calls STS AssumeRole with the code signed by the source's
//! keys, then signs with the role's.
//!
//! A binary of its own: it sets the process's AWS environment (keys, the
//! container and instance metadata endpoints, the shared config file)
//! once, in its only test.

mod support;

use std::sync::Arc;
use std::time::Duration;

use monitui::provider::aws::{AwsProvider, AwsSettings, AwsTuning};
use monitui::provider::mfa;
use monitui::provider::prelude::*;
use support::mfa::{ScriptedPrompt, sts_and_cloudwatch};
use support::recorded::RecordedServer;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROLE: &str = "arn:aws:iam::123456789012:role/ops";
const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

/// Lists alarms through profile `profile` at `server`; returns the
/// AssumeRole requests and the alarm reads' authorization headers.
async fn through(server: &RecordedServer, profile: &str) -> (Vec<String>, Vec<String>) {
    let env = AwsSettings {
        profile: Some(profile.to_string()),
        ..support::aws_settings(&server.endpoint())
    };
    let tuning = AwsTuning {
        static_keys: None,
        ..support::fast_tuning()
    };
    let provider = AwsProvider::connect_with(&env, &tuning).await.unwrap();
    provider.list_alarms().await.unwrap();
    provider.list_alarms().await.unwrap();
    let assumed = server.requests_for("AssumeRole").await;
    for request in &assumed {
        assert_eq!(request.form_field("SerialNumber").as_deref(), Some(SERIAL));
        assert_eq!(request.form_field("TokenCode").as_deref(), Some("123456"));
        assert_eq!(request.form_field("RoleArn").as_deref(), Some(ROLE));
    }
    let signed_by = |r: &support::recorded::RecordedRequest| {
        r.header("authorization").unwrap_or_default().to_string()
    };
    let reads = server.requests_for("DescribeAlarms").await;
    (
        assumed.iter().map(signed_by).collect(),
        reads.iter().map(signed_by).collect(),
    )
}

/// An instance metadata service (IMDSv2) whose instance role `ops-instance`
/// has the keys `AKIDIMDS`; it answers the role's reads only with the
/// token it handed out.
async fn instance_metadata() -> MockServer {
    let imds = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
                .set_body_string("imds-token-1"),
        )
        .mount(&imds)
        .await;
    let credentials = "/latest/meta-data/iam/security-credentials/";
    Mock::given(method("GET"))
        .and(path(credentials))
        .and(header("x-aws-ec2-metadata-token", "imds-token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ops-instance"))
        .mount(&imds)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{credentials}ops-instance")))
        .and(header("x-aws-ec2-metadata-token", "imds-token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Code": "Success",
            "LastUpdated": "2026-12-07T00:00:00Z",
            "Type": "AWS-HMAC",
            "AccessKeyId": "AKIDIMDS",
            "SecretAccessKey": "imds-secret",
            "Token": "imds-session",
            "Expiration": "2099-01-01T00:00:00Z",
        })))
        .mount(&imds)
        .await;
    imds
}

#[tokio::test]
async fn credential_source_profiles_ask_for_the_code_and_assume_with_the_source_keys() {
    let container = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/creds"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "AccessKeyId": "AKIDECS",
            "SecretAccessKey": "ecs-secret",
            "Token": "ecs-token",
            "Expiration": "2099-01-01T00:00:00Z",
        })))
        .mount(&container)
        .await;
    let imds = instance_metadata().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        format!(
            "[profile from-env]\nrole_arn = {ROLE}\nmfa_serial = {SERIAL}\n\
             credential_source = Environment\nregion = us-east-1\n\n\
             [profile from-ecs]\nrole_arn = {ROLE}\nmfa_serial = {SERIAL}\n\
             credential_source = EcsContainer\nregion = us-east-1\n\n\
             [profile from-imds]\nrole_arn = {ROLE}\nmfa_serial = {SERIAL}\n\
             credential_source = Ec2InstanceMetadata\nregion = us-east-1\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("credentials"), "").unwrap();
    // SAFETY: the only test of this binary, before any SDK client exists.
    unsafe {
        std::env::set_var("AWS_CONFIG_FILE", dir.path().join("config"));
        std::env::set_var(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("credentials"),
        );
        std::env::remove_var("AWS_EC2_METADATA_DISABLED");
        std::env::set_var("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.uri());
        std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDENV");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "env-secret");
        std::env::remove_var("AWS_SESSION_TOKEN");
        std::env::remove_var("AWS_PROFILE");
        std::env::set_var(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", container.uri()),
        );
    }
    let prompt = Arc::new(ScriptedPrompt::default());
    assert!(mfa::install(prompt.clone()));

    let sources = [
        ("from-env", "AKIDENV"),
        ("from-ecs", "AKIDECS"),
        ("from-imds", "AKIDIMDS"),
    ];
    for (profile, source_key) in sources {
        let server = sts_and_cloudwatch(ROLE).await;
        let (assumed, reads) = through(&server, profile).await;
        assert_eq!(assumed.len(), 1, "{profile}: one AssumeRole");
        assert!(
            assumed[0].contains(&format!("Credential={source_key}/")),
            "{profile}: {}",
            assumed[0]
        );
        assert_eq!(reads.len(), 2);
        for read in reads {
            assert!(read.contains("Credential=ASIAROLE/"), "{profile}: {read}");
        }
        assert_eq!(
            prompt
                .asked
                .lock()
                .unwrap()
                .last()
                .map(|r| r.profile.as_str()),
            Some(profile)
        );
    }
    assert_eq!(prompt.calls(), 3, "once per profile");
    let token_asked = imds
        .received_requests()
        .await
        .unwrap()
        .iter()
        .any(|r| r.method.as_str() == "PUT" && r.url.path() == "/latest/api/token");
    assert!(
        token_asked,
        "the instance role was read with an IMDSv2 token"
    );

    // The person takes longer to type the code than the first call waits:
    // that call fails, the code still assumes the role, and the next call
    // signs with it instead of asking again.
    *prompt.typing.lock().unwrap() = Duration::from_millis(1500);
    let server = sts_and_cloudwatch(ROLE).await;
    let env = AwsSettings {
        profile: Some("from-env".into()),
        ..support::aws_settings(&server.endpoint())
    };
    let tuning = AwsTuning {
        static_keys: None,
        operation_timeout: Duration::from_millis(500),
        ..support::fast_tuning()
    };
    let provider = AwsProvider::connect_with(&env, &tuning).await.unwrap();
    assert!(provider.list_alarms().await.is_err(), "gave up waiting");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    provider.list_alarms().await.unwrap();
    assert_eq!(prompt.calls(), 4, "the slow code was asked for once");
    assert_eq!(server.requests_for("AssumeRole").await.len(), 1);
}
