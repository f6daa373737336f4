//! Everything monitui reads from or writes to an AWS account, one
//! interface per service: [`identity`], [`alarms`], [`metrics`] (metrics
//! and dashboards), [`contributors`] (Contributor Insights), [`logs`],
//! [`logs_insights`], [`trail`], [`notify`] and
//! [`provision`] (the monitoring stack's resources). Each service has a
//! read trait and, where monitui changes something, a separate write trait:
//! read-only mode withholds the write side (see `data::Session`), so no
//! forwarder has to refuse writes one by one.
//!
//! `aws` speaks the real wire protocol through aws-sdk-rust; `sim` is the
//! embedded demo account. Both implement every trait; [`Account::of`] splits
//! one of them into its [`Reads`] and [`Writes`].

pub mod alarms;
pub mod aws;
pub mod contributors;
pub mod error;
pub mod identity;
pub mod logs;
pub mod logs_insights;
pub mod metrics;
pub mod mfa;
pub mod notify;
pub mod permissions;
pub mod provision;
pub mod sim;
pub mod trail;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use alarms::{AlarmsRead, AlarmsWrite, FiringAlarms, OnPage};
pub use contributors::ContributorsRead;
pub use error::ProviderError;
pub use identity::IdentityRead;
pub use logs::LogsRead;
pub use logs_insights::InsightsRead;
pub use metrics::{MAX_QUERIES_PER_CALL, MetricsRead, MetricsWrite};
pub use notify::NotifyWrite;
pub use provision::{ProvisionRead, ProvisionWrite};
pub use trail::TrailRead;

/// Every service trait, for code that calls a provider directly (tests,
/// the data layer): `use crate::provider::prelude::*;`.
pub mod prelude {
    pub use super::{
        AlarmsRead, AlarmsWrite, ContributorsRead, IdentityRead, InsightsRead, LogsRead,
        MetricsRead, MetricsWrite, NotifyWrite, ProvisionRead, ProvisionWrite, TrailRead,
    };
}

/// Result alias for provider calls.
pub type ProviderResult<T> = Result<T, ProviderError>;

/// The read side of every service of one account.
#[derive(Debug, Clone)]
pub struct Reads {
    /// Region and caller identity.
    pub identity: Arc<dyn IdentityRead>,
    /// Alarms, their history and tags.
    pub alarms: Arc<dyn AlarmsRead>,
    /// Metric data and dashboards.
    pub metrics: Arc<dyn MetricsRead>,
    /// Log groups and events.
    pub logs: Arc<dyn LogsRead>,
    /// Logs Insights queries.
    pub insights: Arc<dyn InsightsRead>,
    /// Contributor Insights reports.
    pub contributors: Arc<dyn ContributorsRead>,
    /// CloudTrail events.
    pub trail: Arc<dyn TrailRead>,
    /// The current state of the monitoring stack's resources.
    pub provision: Arc<dyn ProvisionRead>,
}

/// The write side of every service monitui changes. Only the data layer
/// hands it out, and never in read-only mode.
#[derive(Debug, Clone)]
pub struct Writes {
    /// Alarm state, actions, mute rules and tags.
    pub alarms: Arc<dyn AlarmsWrite>,
    /// Custom metric data.
    pub metrics: Arc<dyn MetricsWrite>,
    /// SNS messages.
    pub notify: Arc<dyn NotifyWrite>,
    /// The monitoring stack's resources.
    pub provision: Arc<dyn ProvisionWrite>,
}

/// An account with both sides, as a provider builds it.
#[derive(Debug, Clone)]
pub struct Account {
    /// What can be read.
    pub reads: Reads,
    /// What can be changed.
    pub writes: Writes,
}

/// A provider that serves every service (the AWS one and the demo account).
pub trait FullProvider:
    IdentityRead
    + AlarmsRead
    + AlarmsWrite
    + MetricsRead
    + MetricsWrite
    + ContributorsRead
    + LogsRead
    + InsightsRead
    + TrailRead
    + NotifyWrite
    + ProvisionRead
    + ProvisionWrite
    + 'static
{
}

impl<T> FullProvider for T where
    T: IdentityRead
        + AlarmsRead
        + AlarmsWrite
        + MetricsRead
        + MetricsWrite
        + ContributorsRead
        + LogsRead
        + InsightsRead
        + TrailRead
        + NotifyWrite
        + ProvisionRead
        + ProvisionWrite
        + 'static
{
}

impl Account {
    /// Splits one provider into the per-service read and write handles.
    pub fn of<P: FullProvider>(provider: Arc<P>) -> Self {
        Account {
            reads: Reads {
                identity: provider.clone(),
                alarms: provider.clone(),
                metrics: provider.clone(),
                logs: provider.clone(),
                insights: provider.clone(),
                contributors: provider.clone(),
                trail: provider.clone(),
                provision: provider.clone(),
            },
            writes: Writes {
                alarms: provider.clone(),
                metrics: provider.clone(),
                notify: provider.clone(),
                provision: provider,
            },
        }
    }
}

/// Builds an account in the background (building AWS clients can read
/// files and probe metadata endpoints, which the UI must not wait for).
pub type AccountConnect = Pin<Box<dyn Future<Output = ProviderResult<Account>> + Send>>;

/// What connecting to one env's account needs: the provider's own plain
/// settings, built by the data layer from the env's (the provider does not
/// know the config file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountSettings {
    /// The embedded demo account.
    Demo {
        /// Its seed.
        seed: u64,
        /// The resource name prefix of its stack.
        prefix: String,
    },
    /// An AWS account (or an emulator) through aws-sdk-rust.
    Aws(aws::AwsSettings),
}

/// Builds the account `settings` describe: the demo account needs nothing;
/// the AWS provider loads profiles and builds clients. Callers go through
/// `data::connect`, which applies read-only mode.
pub fn connect(settings: AccountSettings, clock: Arc<dyn crate::model::Clock>) -> AccountConnect {
    Box::pin(async move {
        Ok(match settings {
            AccountSettings::Demo { seed, prefix } => {
                Account::of(Arc::new(sim::SimProvider::new(seed, clock, &prefix)))
            }
            AccountSettings::Aws(aws) => {
                Account::of(Arc::new(aws::AwsProvider::connect(&aws).await?))
            }
        })
    })
}
