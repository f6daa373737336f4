//! Provisioning on AWS: one file per service turns stack resources into
//! SDK calls and back. Names in the model become ARNs of the caller's
//! account here (the account id is read once, from STS).

mod alarms;
mod dashboards;
mod iam;
mod logs;
mod s3;
mod sns;
mod trail;

use std::collections::BTreeMap;

use crate::model::stack::{Existing, Kind, Resource};
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, ProviderResult};

use super::AwsProvider;

/// ARNs of the caller's account, partition and region.
#[derive(Debug, Clone)]
pub(super) struct Arns {
    partition: String,
    region: String,
    account: String,
}

impl Arns {
    fn topic(&self, name: &str) -> String {
        format!(
            "arn:{}:sns:{}:{}:{name}",
            self.partition, self.region, self.account
        )
    }

    fn log_group(&self, name: &str) -> String {
        format!(
            "arn:{}:logs:{}:{}:log-group:{name}",
            self.partition, self.region, self.account
        )
    }

    fn role(&self, name: &str) -> String {
        format!("arn:{}:iam::{}:role/{name}", self.partition, self.account)
    }
}

/// The last part of an ARN after `sep` (a topic's or role's name).
fn arn_tail(arn: &str, sep: char) -> String {
    arn.rsplit(sep).next().unwrap_or(arn).to_string()
}

/// Whether a resource named `name` is one the scope asks about.
fn in_scope(scope: &ReadScope<'_>, name: &str) -> bool {
    scope.names.iter().any(|n| n == name) || name.contains(scope.prefix)
}

impl AwsProvider {
    /// The ARNs of this account (the caller identity is read once).
    async fn arns(&self) -> ProviderResult<Arns> {
        let identity = self
            .account
            .get_or_try_init(|| super::identity::caller_identity(self.reads.sts()))
            .await?;
        let partition = identity.partition().ok_or_else(|| {
            ProviderError::Invalid(format!(
                "the caller ARN '{}' names no partition",
                identity.arn
            ))
        })?;
        Ok(Arns {
            partition: partition.to_string(),
            region: self.region.clone(),
            account: identity.account.clone(),
        })
    }

    /// See `ProvisionRead::read_kind`.
    pub(super) async fn read_stack_kind(
        &self,
        kind: Kind,
        scope: ReadScope<'_>,
    ) -> ProviderResult<Vec<Existing>> {
        let found = match kind {
            Kind::Topic => sns::read_topics(self, &scope).await?,
            Kind::Subscription => sns::read_subscriptions(self, scope.topic).await?,
            Kind::LogGroup => logs::read(self, &scope).await?,
            Kind::Bucket => s3::read(self, &scope).await?,
            Kind::Role => iam::read(self, &scope).await?,
            Kind::Trail => trail::read(self, &scope).await?,
            Kind::Alarm => alarms::read(self, &scope).await?,
            Kind::CompositeAlarm => alarms::read_composites(self, &scope).await?,
            Kind::Dashboard => dashboards::read(self, scope.names).await?,
        };
        Ok(found
            .into_iter()
            .filter(|e| {
                kind == Kind::Subscription
                    || scope.names.contains(&e.resource.name())
                    || e.tagged_for(scope.prefix)
            })
            .collect())
    }

    /// See `ProvisionRead::trail_health`.
    pub(super) async fn stack_trail_health(
        &self,
        name: &str,
    ) -> ProviderResult<Option<crate::model::stack::TrailHealth>> {
        trail::health(self, name).await
    }

    /// See `ProvisionWrite::put_resource`.
    pub(super) async fn put_stack_resource(
        &self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        match (desired, current) {
            (Resource::Topic(d), c) => sns::put_topic(self, d, c.is_some(), tags).await,
            (Resource::Subscription(d), None) => sns::subscribe(self, d).await,
            (Resource::LogGroup(d), c) => logs::put(self, d, as_log_group(c), tags).await,
            (Resource::Bucket(d), c) => s3::put(self, d, c.is_some(), tags).await,
            (Resource::Role(d), c) => iam::put(self, d, as_role(c), tags).await,
            (Resource::Trail(d), c) => trail::put(self, d, as_trail(c), tags).await,
            (Resource::Alarm(d), c) => alarms::put(self, d, c.is_some(), tags).await,
            (Resource::CompositeAlarm(d), c) => {
                alarms::put_composite(self, d, c.is_some(), tags).await
            }
            (Resource::Dashboard(d), _) => dashboards::put(self, d).await,
            (Resource::Subscription(d), Some(_)) => Err(ProviderError::Invalid(format!(
                "subscription {} of {} cannot change; delete it and subscribe again",
                d.endpoint, d.topic
            ))),
        }
    }

    /// See `ProvisionWrite::delete_resource`.
    pub(super) async fn delete_stack_resource(&self, current: &Resource) -> ProviderResult<()> {
        match current {
            Resource::Topic(r) => sns::delete_topic(self, &r.name).await,
            Resource::Subscription(r) => sns::unsubscribe(self, r).await,
            Resource::LogGroup(r) => logs::delete(self, &r.name).await,
            Resource::Bucket(r) => s3::delete(self, &r.name).await,
            Resource::Role(r) => iam::delete(self, &r.name).await,
            Resource::Trail(r) => trail::delete(self, &r.name).await,
            Resource::Alarm(r) => alarms::delete(self, &r.name).await,
            Resource::CompositeAlarm(r) => alarms::delete(self, &r.name).await,
            Resource::Dashboard(r) => dashboards::delete(self, &r.name).await,
        }
    }
}

fn as_log_group(r: Option<&Resource>) -> Option<&crate::model::stack::LogGroup> {
    match r {
        Some(Resource::LogGroup(g)) => Some(g),
        _ => None,
    }
}

fn as_role(r: Option<&Resource>) -> Option<&crate::model::stack::Role> {
    match r {
        Some(Resource::Role(role)) => Some(role),
        _ => None,
    }
}

fn as_trail(r: Option<&Resource>) -> Option<&crate::model::stack::Trail> {
    match r {
        Some(Resource::Trail(t)) => Some(t),
        _ => None,
    }
}

/// `Ok(None)` for an answer meaning "not there" (a 404, or an S3
/// `NoSuch...` code), other errors unchanged.
fn absent_is_none<T>(result: ProviderResult<T>) -> ProviderResult<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(ProviderError::NotFound(_)) => Ok(None),
        Err(ProviderError::Service { code, .. }) if code.starts_with("NoSuch") => Ok(None),
        Err(e) => Err(e),
    }
}

/// Runs `f` on every item with at most `LIMIT` calls in flight, keeping
/// the order; the first error wins. The futures are made before anything
/// is awaited, so the closure is not part of the returned future.
fn for_each<'a, T, R, F, Fut>(
    items: &'a [T],
    f: F,
) -> impl std::future::Future<Output = ProviderResult<Vec<R>>> + 'a
where
    F: Fn(&'a T) -> Fut,
    Fut: std::future::Future<Output = ProviderResult<R>> + 'a,
    R: 'a,
{
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    const LIMIT: usize = 8;
    let futures: Vec<Fut> = items.iter().map(f).collect();
    stream::iter(futures).buffered(LIMIT).try_collect()
}
