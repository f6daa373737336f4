//! Read-only mode enforced by types: a [`Session`] holds an account's reads
//! and, unless the env is read-only, its writes. Writes are reachable only
//! through [`Session::writes`], inside the data layer, which refuses before
//! any request is built, so no forwarder has to refuse them one by one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::config::{EnvKind, ResolvedEnv};
use crate::model::Clock;
use crate::provider::aws::AwsSettings;
use crate::provider::{Account, AccountSettings, ProviderError, Reads, Writes};

/// One env's account as the rest of monitui sees it.
#[derive(Debug, Clone)]
pub struct Session {
    /// The env's name (for messages and the audit log).
    pub env: String,
    /// Everything that can be read.
    pub reads: Reads,
    /// Everything that can be changed; `None` in read-only mode.
    writes: Option<Writes>,
}

impl Session {
    /// The session of `account` for the env called `env`; `read_only`
    /// withholds the writes.
    pub fn new(account: Account, env: &str, read_only: bool) -> Self {
        Session {
            env: env.to_string(),
            reads: account.reads,
            writes: (!read_only).then_some(account.writes),
        }
    }

    /// Whether changes are refused.
    pub fn is_read_only(&self) -> bool {
        self.writes.is_none()
    }

    /// The write side, or the refusal that names the env and `operation`.
    pub(in crate::data) fn writes(&self, operation: &str) -> Result<&Writes, ProviderError> {
        self.writes.as_ref().ok_or_else(|| ProviderError::ReadOnly {
            env: self.env.clone(),
            operation: operation.to_string(),
        })
    }
}

/// Builds a session in the background (see [`connect`]).
pub type SessionConnect = Pin<Box<dyn Future<Output = Result<Session, ProviderError>> + Send>>;

/// Builds the session of `env`, read-only when the env (or `--read-only`)
/// says so. Everything that talks to an account goes through this, never
/// `provider::connect`.
pub fn connect(env: ResolvedEnv, clock: Arc<dyn Clock>) -> SessionConnect {
    Box::pin(async move {
        let account = crate::provider::connect(account_settings(&env), clock).await?;
        Ok(Session::new(account, &env.name, env.read_only))
    })
}

/// What the provider needs of `env` to reach its account.
pub fn account_settings(env: &ResolvedEnv) -> AccountSettings {
    match env.kind {
        EnvKind::Demo => AccountSettings::Demo {
            seed: env.seed,
            prefix: env.prefix.clone(),
        },
        EnvKind::Aws => AccountSettings::Aws(AwsSettings {
            env: env.name.clone(),
            profile: env.profile.clone(),
            region: env.region.clone(),
            endpoint_url: env.endpoint_url.clone(),
        }),
    }
}
