//! The SDK's credential chain with its failures explained: what failed,
//! innermost first, and the fix (the SSO login command for the env's
//! profile, the role an assume-role profile could not assume, where the
//! chain looked when it found nothing). The SDK's own message for an
//! expired SSO login is "dispatch failure: other: an error occurred while
//! loading credentials: ..." with the cause at the very end.

use std::borrow::Cow;

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_types::os_shim_internal::{Env, Fs};

use super::errors::innermost_message;
use crate::config::ResolvedEnv;

/// What the env's shared-config profile says, as far as explaining a
/// credential failure needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ProfileFacts {
    /// The profile the chain reads (the env's, else `AWS_PROFILE`, else `default`).
    pub name: String,
    /// `role_arn`, for an assume-role profile.
    pub role_arn: Option<String>,
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
    pub async fn read(env: &ResolvedEnv) -> ProfileFacts {
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
    env: &ResolvedEnv,
) -> aws_config::SdkConfig {
    let Some(chain) = config.credentials_provider() else {
        return config;
    };
    let facts = ProfileFacts::read(env).await;
    config
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(Explained::new(chain, facts)))
        .build()
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
