//! Provisioning the monitoring stack: reading the current state of each
//! managed resource kind, and creating, updating and deleting one resource
//! at a time. The plan and the order live above (`provision`,
//! `data::provision`); a provider only speaks for one resource per call.

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::{ProviderError, ProviderResult};
use crate::model::stack::{Existing, Kind, Resource, TrailHealth};

/// What to read of one kind.
#[derive(Debug, Clone, Copy)]
pub struct ReadScope<'a> {
    /// The stack's prefix: resources tagged as managed for it are read too
    /// (among those whose names carry the prefix), so that a prune sees
    /// them.
    pub prefix: &'a str,
    /// Names wanted (by the spec, or recorded as managed).
    pub names: &'a [String],
    /// The stack's topic name (subscriptions are read from it).
    pub topic: &'a str,
}

/// The refusal to delete topic `name`, which has subscriptions monitui did
/// not make (`theirs`, by name): deleting a topic deletes every
/// subscription of it, and a pager's subscription added by hand must
/// outlive a prune.
pub fn unrecorded_subscriptions(name: &str, theirs: &[String]) -> ProviderError {
    ProviderError::Invalid(format!(
        "topic {name} has subscriptions monitui did not make ({}); deleting it would delete them too: move or remove them first",
        theirs.join(", ")
    ))
}

/// Reads the current state of stack resources.
#[async_trait]
pub trait ProvisionRead: Send + Sync + std::fmt::Debug {
    /// The resources of `kind` that exist among `scope.names`, and those
    /// tagged as managed for `scope.prefix`; subscriptions: every
    /// subscription of `scope.topic`, carrying the topic's managed tag only
    /// when the topic records monitui making it
    /// (`Subscription::recorded_tags`). Missing ones are simply absent.
    async fn read_kind(&self, kind: Kind, scope: ReadScope<'_>) -> ProviderResult<Vec<Existing>>;

    /// Logging state and delivery errors of the trail `name`; `None` if
    /// there is no such trail.
    async fn trail_health(&self, name: &str) -> ProviderResult<Option<TrailHealth>>;
}

/// Creates, updates and deletes stack resources.
#[async_trait]
pub trait ProvisionWrite: Send + Sync + std::fmt::Debug {
    /// Makes `desired` exist as given: creates it (with `tags`) when
    /// `current` is `None` (a subscription is recorded in its topic's
    /// ledger first), otherwise changes what differs from `current` and
    /// keeps what the model does not describe (an alarm's ActionsEnabled).
    async fn put_resource(
        &self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()>;

    /// Deletes `current` (a subscription leaves its topic's ledger first; a
    /// topic with subscriptions monitui did not make is refused).
    async fn delete_resource(&self, current: &Resource) -> ProviderResult<()>;
}
