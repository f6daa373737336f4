//! Building the SDK clients for one environment: profile, region, endpoint
//! override, timeouts and retries in one place; each service's client is
//! built the first time a call needs it.

use std::sync::OnceLock;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, retry::RetryConfig, timeout::TimeoutConfig};
use aws_credential_types::Credentials;

/// Region used when neither the environment nor the SDK chain names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Timeouts and retry policy of the SDK clients. The defaults suit a real
/// account; tests shorten them so failures surface in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsTuning {
    /// Time allowed to open a TCP connection.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt of an operation.
    pub attempt_timeout: Duration,
    /// Time allowed for an operation including all its retries.
    pub operation_timeout: Duration,
    /// Attempts per operation (1 means no retry).
    pub max_attempts: u32,
    /// First retry backoff; later ones grow exponentially.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff.
    pub max_backoff: Duration,
    /// Fixed access key and secret instead of the SDK credential chain
    /// (emulators and recorded-response tests).
    pub static_keys: Option<StaticKeys>,
}

/// An access key pair used instead of the credential chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticKeys {
    /// Access key id.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
}

impl Default for AwsTuning {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            attempt_timeout: Duration::from_secs(10),
            operation_timeout: Duration::from_secs(30),
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            static_keys: None,
        }
    }
}

/// The configuration of the clients that change things: one attempt per
/// call, no automatic retry. A change whose answer timed out may have
/// happened; the data layer re-reads before it tries again
/// (`data::actions::checked`), which a blind SDK retry would not.
pub fn without_retries(config: &aws_config::SdkConfig) -> aws_config::SdkConfig {
    config
        .to_builder()
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build()
}

/// Where an AWS account is and how to sign in to it: what the provider
/// needs of an env's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    /// The env's name (the MFA prompt and credential hints name it).
    pub env: String,
    /// AWS shared-config profile; `None`: the SDK's chain.
    pub profile: Option<String>,
    /// Region; `None`: the SDK's chain (for the profile), else
    /// [`FALLBACK_REGION`].
    pub region: Option<String>,
    /// Endpoint override for AWS-compatible services (an emulator).
    pub endpoint_url: Option<String>,
}

/// The shared SDK configuration for `env` under `tuning`.
pub async fn sdk_config(env: &AwsSettings, tuning: &AwsTuning) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(tuning.connect_timeout)
                .operation_attempt_timeout(tuning.attempt_timeout)
                .operation_timeout(tuning.operation_timeout)
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(tuning.max_attempts)
                .with_initial_backoff(tuning.initial_backoff)
                .with_max_backoff(tuning.max_backoff),
        );
    if let Some(profile) = &env.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &env.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(keys) = &tuning.static_keys {
        loader = loader.credentials_provider(Credentials::new(
            keys.access_key_id.clone(),
            keys.secret_access_key.clone(),
            None,
            None,
            "monitui-static",
        ));
    }
    loader = loader.region(resolve_region(env).await);
    let config = loader.load().await;
    if tuning.static_keys.is_some() {
        return config;
    }
    super::credentials::explained(config, env).await
}

/// The env's region, else the SDK chain's (for the env's profile), else
/// [`FALLBACK_REGION`].
async fn resolve_region(env: &AwsSettings) -> Region {
    if let Some(region) = &env.region {
        return Region::new(region.clone());
    }
    let mut chain = aws_config::default_provider::region::Builder::default();
    if let Some(profile) = &env.profile {
        chain = chain.profile_name(profile);
    }
    chain
        .build()
        .region()
        .await
        .unwrap_or_else(|| Region::new(FALLBACK_REGION))
}

/// The SDK client of each service over one configuration, each built on
/// first use: a command that lists alarms never builds the other six, and
/// building all of them up front was most of the start-up memory of a CLI
/// run (BENCHMARKS.md, "Listing alarms").
#[derive(Debug)]
pub(super) struct Clients {
    config: aws_config::SdkConfig,
    /// Path-style S3 addressing (emulators need it).
    s3_path_style: bool,
    cloudwatch: OnceLock<aws_sdk_cloudwatch::Client>,
    logs: OnceLock<aws_sdk_cloudwatchlogs::Client>,
    sns: OnceLock<aws_sdk_sns::Client>,
    sts: OnceLock<aws_sdk_sts::Client>,
    cloudtrail: OnceLock<aws_sdk_cloudtrail::Client>,
    s3: OnceLock<aws_sdk_s3::Client>,
    iam: OnceLock<aws_sdk_iam::Client>,
}

impl Clients {
    /// Clients over `config`; none is built yet.
    pub(super) fn new(config: aws_config::SdkConfig, s3_path_style: bool) -> Self {
        Self {
            config,
            s3_path_style,
            cloudwatch: OnceLock::new(),
            logs: OnceLock::new(),
            sns: OnceLock::new(),
            sts: OnceLock::new(),
            cloudtrail: OnceLock::new(),
            s3: OnceLock::new(),
            iam: OnceLock::new(),
        }
    }

    /// CloudWatch (alarms, metrics, dashboards).
    pub(super) fn cloudwatch(&self) -> &aws_sdk_cloudwatch::Client {
        self.cloudwatch
            .get_or_init(|| aws_sdk_cloudwatch::Client::new(&self.config))
    }

    /// CloudWatch Logs.
    pub(super) fn logs(&self) -> &aws_sdk_cloudwatchlogs::Client {
        self.logs
            .get_or_init(|| aws_sdk_cloudwatchlogs::Client::new(&self.config))
    }

    /// SNS.
    pub(super) fn sns(&self) -> &aws_sdk_sns::Client {
        self.sns
            .get_or_init(|| aws_sdk_sns::Client::new(&self.config))
    }

    /// STS (who the caller is).
    pub(super) fn sts(&self) -> &aws_sdk_sts::Client {
        self.sts
            .get_or_init(|| aws_sdk_sts::Client::new(&self.config))
    }

    /// CloudTrail.
    pub(super) fn cloudtrail(&self) -> &aws_sdk_cloudtrail::Client {
        self.cloudtrail
            .get_or_init(|| aws_sdk_cloudtrail::Client::new(&self.config))
    }

    /// S3, path-style when the clients were made for an emulator.
    pub(super) fn s3(&self) -> &aws_sdk_s3::Client {
        self.s3.get_or_init(|| {
            aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&self.config)
                    .force_path_style(self.s3_path_style)
                    .build(),
            )
        })
    }

    /// IAM.
    pub(super) fn iam(&self) -> &aws_sdk_iam::Client {
        self.iam
            .get_or_init(|| aws_sdk_iam::Client::new(&self.config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which clients have been built so far, by service name.
    fn built(clients: &Clients) -> Vec<&'static str> {
        [
            ("cloudwatch", clients.cloudwatch.get().is_some()),
            ("logs", clients.logs.get().is_some()),
            ("sns", clients.sns.get().is_some()),
            ("sts", clients.sts.get().is_some()),
            ("cloudtrail", clients.cloudtrail.get().is_some()),
            ("s3", clients.s3.get().is_some()),
            ("iam", clients.iam.get().is_some()),
        ]
        .into_iter()
        .filter_map(|(name, built)| built.then_some(name))
        .collect()
    }

    #[test]
    fn a_client_is_built_on_first_use_and_only_then() {
        let config = aws_config::SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(FALLBACK_REGION))
            .build();
        let clients = Clients::new(config, true);
        assert!(built(&clients).is_empty(), "{:?}", built(&clients));
        let first: *const _ = clients.cloudwatch();
        assert_eq!(built(&clients), ["cloudwatch"]);
        assert!(std::ptr::eq(first, clients.cloudwatch()), "built twice");
        clients.s3();
        assert_eq!(built(&clients), ["cloudwatch", "s3"]);
    }
}
