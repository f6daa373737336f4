//! The SDK's credential chain with its failures explained: what failed,
//! innermost first, and the fix (the SSO login command for the env's
//! profile, the role an assume-role profile could not assume, where the
//! chain looked when it found nothing). The SDK's own message for an
//! expired SSO login is "dispatch failure: other: an error occurred while
//! loading credentials: ..." with the cause at the very end.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_types::os_shim_internal::{Env, Fs};

use super::client::AwsSettings;
use super::errors::innermost_message;
use crate::provider::mfa;

/// What the env's shared-config profile says, as far as explaining a
/// credential failure needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ProfileFacts {
    /// The profile the chain reads (the env's, else `AWS_PROFILE`, else `default`).
    pub name: String,
    /// `role_arn`, for an assume-role profile.
    pub role_arn: Option<String>,
    /// `mfa_serial`, when assuming the role needs an MFA code.
    pub mfa_serial: Option<String>,
    /// `source_profile`: whose credentials assume the role.
    pub source_profile: Option<String>,
    /// `credential_source` (`Environment`, `Ec2InstanceMetadata`,
    /// `EcsContainer`): where the credentials that assume the role come
    /// from when there is no `source_profile`.
    pub credential_source: Option<String>,
    /// `role_session_name`, `external_id` and `duration_seconds`, passed
    /// to AssumeRole as the AWS CLI does.
    pub session_name: Option<String>,
    /// See `session_name`.
    pub external_id: Option<String>,
    /// See `session_name`.
    pub duration_seconds: Option<i32>,
    /// Whether the profile signs in through IAM Identity Center (SSO).
    pub sso: bool,
    /// `credential_process`, if the profile runs one.
    pub credential_process: Option<String>,
    /// Where the chain reads the shared config and credentials files.
    pub files: String,
}

impl ProfileFacts {
    /// Reads the profile `env` selects from the shared config files (the
    /// same files, and the same `AWS_PROFILE` rule, as the SDK's chain).
    pub async fn read(env: &AwsSettings) -> ProfileFacts {
        let files = format!(
            "{} and {}",
            path_or("AWS_CONFIG_FILE", "~/.aws/config"),
            path_or("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
        );
        let set = aws_config::profile::load(
            &Fs::real(),
            &Env::real(),
            &Default::default(),
            env.profile.clone().map(Cow::Owned),
        )
        .await
        .ok();
        let name = set.as_ref().map_or_else(
            || env.profile.clone().unwrap_or_else(|| "default".into()),
            |s| s.selected_profile().to_string(),
        );
        let profile = set.as_ref().and_then(|s| s.get_profile(&name));
        let get = |key: &str| profile.and_then(|p| p.get(key)).map(str::to_string);
        ProfileFacts {
            role_arn: get("role_arn"),
            mfa_serial: get("mfa_serial"),
            source_profile: get("source_profile"),
            credential_source: get("credential_source"),
            session_name: get("role_session_name"),
            external_id: get("external_id"),
            duration_seconds: get("duration_seconds").and_then(|d| d.parse().ok()),
            sso: get("sso_session").is_some() || get("sso_start_url").is_some(),
            credential_process: get("credential_process"),
            files,
            name,
        }
    }

    /// `message` (the innermost cause of a credential failure) on one line,
    /// followed by what to do about it.
    pub fn explain(&self, message: &str) -> String {
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        // credential_process failures end with the script's own words.
        let message = match message.split_once(". Stderr: ") {
            Some((exit, stderr)) => format!("{stderr} ({exit})"),
            None => message,
        };
        let lower = message.to_ascii_lowercase();
        let name = &self.name;
        let hint = if self.sso || lower.contains("sso") {
            format!("run `aws sso login --profile {name}`")
        } else if let Some(role) = &self.role_arn {
            format!("assuming role {role} (profile {name}) failed")
        } else if let Some(command) = &self.credential_process {
            format!("the credential_process of profile {name} failed: `{command}`")
        } else if lower.contains("no providers in chain") || lower.contains("no credentials") {
            format!(
                "no credentials found: looked in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, \
                 profile {name} in {}, web identity (AWS_WEB_IDENTITY_TOKEN_FILE), \
                 the ECS container endpoint and EC2 instance metadata",
                self.files
            )
        } else {
            format!("profile {name} in {}", self.files)
        };
        format!("{message} — {hint}")
    }
}

/// The value of environment variable `var`, else `default`.
fn path_or(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// A credentials provider whose failures carry [`ProfileFacts::explain`]'s
/// text as their innermost message (the one `errors::from_sdk` shows).
/// Failures are never cached: the next call asks the chain again, so a
/// fixed login is picked up without a restart.
#[derive(Debug)]
pub(super) struct Explained {
    /// The SDK's chain.
    inner: SharedCredentialsProvider,
    /// The profile, to explain failures with.
    facts: ProfileFacts,
}

impl Explained {
    /// Wraps `inner`, explaining its failures with `facts`.
    pub fn new(inner: SharedCredentialsProvider, facts: ProfileFacts) -> Self {
        Self { inner, facts }
    }
}

/// A credential failure explained (see [`ProfileFacts::explain`]).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Explanation(String);

impl ProvideCredentials for Explained {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.inner.provide_credentials().await.map_err(|e| {
                let explained = Explanation(self.facts.explain(&innermost_message(&e)));
                match e {
                    CredentialsError::CredentialsNotLoaded(_) => {
                        CredentialsError::not_loaded(explained)
                    }
                    CredentialsError::InvalidConfiguration(_) => {
                        CredentialsError::invalid_configuration(explained)
                    }
                    CredentialsError::ProviderTimedOut(_) => e,
                    _ => CredentialsError::provider_error(explained),
                }
            })
        })
    }
}

/// `config` with its credential chain wrapped in [`Explained`] for the
/// profile `env` selects.
pub(super) async fn explained(
    config: aws_config::SdkConfig,
    env: &AwsSettings,
) -> aws_config::SdkConfig {
    let Some(chain) = config.credentials_provider() else {
        return config;
    };
    let facts = ProfileFacts::read(env).await;
    let chain = match MfaAssumeRole::for_profile(&config, &facts, &env.env) {
        Some(mfa) => SharedCredentialsProvider::new(Detached(Arc::new(mfa))),
        None => chain,
    };
    config
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(Explained::new(chain, facts)))
        .build()
}

/// Assumes the role of a profile with `role_arn`, `mfa_serial` and
/// `source_profile` or `credential_source`, asking the installed [`mfa::MfaPrompt`] for the code
/// once and keeping the role's credentials until shortly before they
/// expire (aws-config would call AssumeRole without the code and fail).
#[derive(Debug)]
struct MfaAssumeRole {
    /// STS signed with the source profile's credentials.
    sts: aws_sdk_sts::Client,
    /// The role, the device and the session, from the profile.
    facts: ProfileFacts,
    /// The monitui env, for the hint when nothing can ask for a code.
    env_name: String,
    /// The role's credentials once assumed; the lock also keeps two
    /// clients from asking for a code at the same time.
    cached: tokio::sync::Mutex<Option<Credentials>>,
}

/// Credentials this close to expiry are renewed (with a new code).
const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

impl MfaAssumeRole {
    /// The provider for `facts`' profile if it is an assume-role profile
    /// with `mfa_serial` and a source of credentials this knows; else
    /// `None` (the SDK's chain handles it, and says what is wrong).
    fn for_profile(
        config: &aws_config::SdkConfig,
        facts: &ProfileFacts,
        env_name: &str,
    ) -> Option<Self> {
        facts.role_arn.as_ref()?;
        facts.mfa_serial.as_ref()?;
        let source = source_credentials(facts)?;
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::config::Builder::from(config)
                .credentials_provider(source)
                .build(),
        );
        Some(Self {
            sts,
            facts: facts.clone(),
            env_name: env_name.to_string(),
            cached: Default::default(),
        })
    }

    /// The role's credentials: the kept ones while fresh, else a new
    /// AssumeRole with a code from the prompt.
    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut cached = self.cached.lock().await;
        if let Some(credentials) = cached.as_ref()
            && credentials
                .expiry()
                .is_none_or(|expiry| expiry > SystemTime::now() + RENEW_BEFORE)
        {
            return Ok(credentials.clone());
        }
        let request = mfa::MfaRequest {
            profile: self.facts.name.clone(),
            role_arn: self.facts.role_arn.clone().unwrap_or_default(),
            serial: self.facts.mfa_serial.clone().unwrap_or_default(),
        };
        let Some(prompt) = mfa::installed() else {
            return Err(CredentialsError::not_loaded(no_prompt_message(
                &request,
                &self.env_name,
            )));
        };
        let asked = request.clone();
        let code = tokio::task::spawn_blocking(move || prompt.code(&asked))
            .await
            .map_err(CredentialsError::unhandled)?
            .map_err(|why| {
                CredentialsError::not_loaded(format!(
                    "MFA code for {} not given: {why}",
                    request.serial
                ))
            })?;
        let answer = self
            .sts
            .assume_role()
            .role_arn(&request.role_arn)
            .role_session_name(
                self.facts
                    .session_name
                    .clone()
                    .unwrap_or_else(|| format!("monitui-{}", self.facts.name)),
            )
            .serial_number(&request.serial)
            .token_code(code.trim())
            .set_external_id(self.facts.external_id.clone())
            .set_duration_seconds(self.facts.duration_seconds)
            .send()
            .await
            .map_err(|e| {
                CredentialsError::provider_error(super::errors::from_sdk("AssumeRole", e))
            })?;
        let role = answer.credentials().ok_or_else(|| {
            CredentialsError::provider_error("AssumeRole answered without credentials")
        })?;
        let credentials = Credentials::new(
            role.access_key_id(),
            role.secret_access_key(),
            Some(role.session_token().to_string()),
            SystemTime::try_from(*role.expiration()).ok(),
            "monitui-mfa-assume-role",
        );
        *cached = Some(credentials.clone());
        Ok(credentials)
    }
}

/// The credentials that assume the role of `facts`' profile: its
/// `source_profile`'s, else those of its `credential_source` (the names are
/// case-insensitive, as in aws-config); `None` for neither or an unknown
/// source.
fn source_credentials(facts: &ProfileFacts) -> Option<SharedCredentialsProvider> {
    if let Some(profile) = &facts.source_profile {
        return Some(SharedCredentialsProvider::new(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .build(),
        ));
    }
    let conf = aws_config::provider_config::ProviderConfig::default();
    let source = facts.credential_source.as_deref()?.to_ascii_lowercase();
    Some(match source.as_str() {
        "environment" => SharedCredentialsProvider::new(
            aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
        ),
        "ec2instancemetadata" => SharedCredentialsProvider::new(
            aws_config::imds::credentials::ImdsCredentialsProvider::builder()
                .configure(&conf)
                .build(),
        ),
        "ecscontainer" => SharedCredentialsProvider::new(
            aws_config::ecs::EcsCredentialsProvider::builder()
                .configure(&conf)
                .build(),
        ),
        _ => return None,
    })
}

/// What to do when a profile needs an MFA code and nothing can ask for
/// one (the CLI with stdin not a terminal; the TUI always asks).
fn no_prompt_message(request: &mfa::MfaRequest, env_name: &str) -> String {
    format!(
        "profile {profile} needs an MFA code ({serial}) to assume {role}, and nothing here can \
         ask for it (stdin is not a terminal): run it on a terminal (`monitui --env {env_name} \
         alarms list` asks there, the TUI asks in a dialog), or export session credentials \
         first: eval \"$(aws configure export-credentials --profile {profile} --format env)\" \
         and use an env without a profile",
        profile = request.profile,
        serial = request.serial,
        role = request.role_arn,
    )
}

/// [`MfaAssumeRole`] run as a task of its own, so that a caller that
/// gives up while the person types the code (the SDK's identity load
/// timeout, an operation or fetch timeout) does not throw the code away:
/// the AssumeRole still happens and the next caller gets its credentials
/// instead of a second ask.
#[derive(Debug)]
struct Detached(Arc<MfaAssumeRole>);

impl ProvideCredentials for Detached {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let assumer = Arc::clone(&self.0);
        future::ProvideCredentials::new(async move {
            tokio::spawn(async move { assumer.credentials().await })
                .await
                .map_err(CredentialsError::unhandled)?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str) -> ProfileFacts {
        ProfileFacts {
            name: name.into(),
            files: "/cfg and /creds".into(),
            ..ProfileFacts::default()
        }
    }

    #[test]
    fn sso_failures_name_the_login_command_of_the_profile() {
        let text = facts("prod").explain("the SSO token has expired and cannot be refreshed");
        assert!(text.starts_with("the SSO token has expired"), "{text}");
        assert!(text.contains("aws sso login --profile prod"), "{text}");
        let sso_profile = ProfileFacts {
            sso: true,
            ..facts("dev")
        };
        assert!(
            sso_profile
                .explain("invalid grant")
                .contains("aws sso login --profile dev")
        );
    }

    #[test]
    fn assume_role_failures_name_the_role() {
        let text = ProfileFacts {
            role_arn: Some("arn:aws:iam::123456789012:role/ops".into()),
            ..facts("ops")
        }
        .explain("AccessDenied: not authorized to perform sts:AssumeRole");
        assert!(text.starts_with("AccessDenied"), "{text}");
        assert!(text.contains("assuming role arn:aws:iam::123456789012:role/ops (profile ops)"));
    }

    #[test]
    fn no_credentials_says_where_it_looked() {
        let text = facts("default").explain("no providers in chain provided credentials");
        for place in [
            "AWS_ACCESS_KEY_ID",
            "profile default in /cfg and /creds",
            "instance metadata",
        ] {
            assert!(text.contains(place), "{place}: {text}");
        }
    }

    #[test]
    fn without_a_prompt_the_mfa_message_says_what_to_do() {
        let text = no_prompt_message(
            &mfa::MfaRequest {
                profile: "ops".into(),
                role_arn: "arn:aws:iam::1:role/ops".into(),
                serial: "arn:aws:iam::1:mfa/alice".into(),
            },
            "prod",
        );
        assert!(text.starts_with("profile ops needs an MFA code (arn:aws:iam::1:mfa/alice)"));
        assert!(text.contains("`monitui --env prod alarms list`"), "{text}");
        assert!(
            text.contains("aws configure export-credentials --profile ops"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn explained_failures_lead_with_the_cause() {
        let failing = SharedCredentialsProvider::new(
            aws_credential_types::credential_fn::provide_credentials_fn(|| async {
                Err(CredentialsError::provider_error(
                    "Token for my-sso does not exist",
                ))
            }),
        );
        let err = Explained::new(failing, facts("x"))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            innermost_message(&err)
                .starts_with("Token for my-sso does not exist — run `aws sso login --profile x`"),
            "{err}"
        );
    }
}
