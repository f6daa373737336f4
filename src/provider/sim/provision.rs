//! Provisioning in the demo account: stack resources kept in memory with
//! their tags, checked like the real services check them (a subscription,
//! alarm, composite alarm or trail needs what it names to exist, an alarm a
//! composite names cannot be deleted before it; names are unique per kind;
//! a subscription monitui makes is recorded in its topic's ledger tag), so
//! plan, apply and doctor can be tried with no AWS.

use std::collections::BTreeMap;

use crate::model::stack::{
    Existing, Kind, Resource, SUBSCRIPTIONS_TAG, Subscription, TrailHealth, ledger_value,
};
use crate::provider::provision::{ReadScope, unrecorded_subscriptions};
use crate::provider::{ProviderError, ProviderResult};

/// The alarms a composite alarm's rule names (CloudWatch refuses a rule
/// naming an alarm that does not exist, and the deletion of an alarm a
/// composite names).
fn children(rule: &str) -> Vec<String> {
    crate::alarm_rule::Rule::parse(rule)
        .map(|r| r.children())
        .unwrap_or_default()
}

/// The demo account's stack resources by (kind, name).
#[derive(Debug, Default)]
pub struct StackStore {
    resources: BTreeMap<(Kind, String), Existing>,
}

impl StackStore {
    /// What `read_kind` answers: the named ones, the ones tagged for the
    /// prefix, and every subscription of the topic (with the tags its
    /// topic's ledger gives it).
    pub fn read(&self, kind: Kind, scope: ReadScope<'_>) -> Vec<Existing> {
        self.resources
            .range((kind, String::new())..)
            .take_while(|((k, _), _)| *k == kind)
            .filter_map(|((_, name), e)| match &e.resource {
                Resource::Subscription(s) if s.topic == scope.topic => Some(Existing {
                    tags: s.recorded_tags(&self.topic_tags(&s.topic)),
                    ..e.clone()
                }),
                Resource::Subscription(_) => None,
                _ if scope.names.contains(name) || e.tagged_for(scope.prefix) => Some(e.clone()),
                _ => None,
            })
            .collect()
    }

    fn topic_tags(&self, topic: &str) -> BTreeMap<String, String> {
        self.resources
            .get(&(Kind::Topic, topic.to_string()))
            .map(|e| e.tags.clone())
            .unwrap_or_default()
    }

    /// Adds `sub` to its topic's subscription ledger (`add`) or removes it.
    fn record(&mut self, sub: &Subscription, add: bool) {
        if let Some(topic) = self.resources.get_mut(&(Kind::Topic, sub.topic.clone())) {
            let name = Subscription::key(&sub.protocol, &sub.endpoint);
            let value = ledger_value(topic.tags.get(SUBSCRIPTIONS_TAG), &name, add);
            topic.tags.insert(SUBSCRIPTIONS_TAG.into(), value);
        }
    }

    fn has(&self, kind: Kind, name: &str) -> bool {
        self.resources.contains_key(&(kind, name.to_string()))
    }

    fn require(&self, kind: Kind, name: &str, by: &Resource) -> ProviderResult<()> {
        if self.has(kind, name) {
            Ok(())
        } else {
            Err(ProviderError::NotFound(format!(
                "{} {} names {kind} {name}, which does not exist",
                by.kind(),
                by.name()
            )))
        }
    }

    /// Creates or changes one resource.
    pub fn put(
        &mut self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        match desired {
            Resource::Subscription(s) => self.require(Kind::Topic, &s.topic, desired)?,
            Resource::Trail(t) => {
                self.require(Kind::Bucket, &t.bucket, desired)?;
                if let Some(group) = &t.log_group {
                    self.require(Kind::LogGroup, group, desired)?;
                }
                if let Some(role) = &t.role {
                    self.require(Kind::Role, role, desired)?;
                }
            }
            Resource::Alarm(a) => {
                for topic in &a.topics {
                    self.require(Kind::Topic, topic, desired)?;
                }
            }
            Resource::CompositeAlarm(c) => {
                for topic in &c.topics {
                    self.require(Kind::Topic, topic, desired)?;
                }
                for child in children(&c.rule) {
                    self.require(Kind::Alarm, &child, desired)?;
                }
            }
            _ => {}
        }
        let key = (desired.kind(), desired.name());
        let exists = self.resources.contains_key(&key);
        if exists != current.is_some() {
            return Err(ProviderError::Invalid(format!(
                "{} {} {}",
                key.0,
                key.1,
                if exists {
                    "already exists"
                } else {
                    "does not exist"
                }
            )));
        }
        let tags = match (self.resources.get(&key), desired.kind()) {
            (_, Kind::Subscription | Kind::Dashboard) => BTreeMap::new(),
            (Some(old), _) => old.tags.clone(),
            (None, _) => tags.clone(),
        };
        if let Resource::Subscription(s) = desired {
            self.record(s, true);
        }
        self.resources.insert(
            key,
            Existing {
                resource: desired.clone(),
                tags,
            },
        );
        Ok(())
    }

    /// A provisioned trail logs as configured and delivers without error.
    pub fn trail_health(&self, name: &str) -> Option<TrailHealth> {
        match self
            .resources
            .get(&(Kind::Trail, name.to_string()))
            .map(|e| &e.resource)
        {
            Some(Resource::Trail(t)) => Some(TrailHealth {
                logging: t.logging,
                ..TrailHealth::default()
            }),
            _ => None,
        }
    }

    /// Deletes one resource; a topic (with its subscriptions, as SNS does)
    /// only when every subscription of it is one monitui recorded making.
    pub fn delete(&mut self, current: &Resource) -> ProviderResult<()> {
        match current {
            Resource::Alarm(a) => {
                if let Some(parent) = self.resources.values().find_map(|e| match &e.resource {
                    Resource::CompositeAlarm(c) if children(&c.rule).contains(&a.name) => {
                        Some(c.name.clone())
                    }
                    _ => None,
                }) {
                    return Err(ProviderError::Invalid(format!(
                        "alarm {} is in the rule of composite alarm {parent}: delete that first",
                        a.name
                    )));
                }
            }
            Resource::Subscription(s) => self.record(s, false),
            Resource::Topic(t) => {
                let tags = self.topic_tags(&t.name);
                let theirs: Vec<String> = self
                    .resources
                    .values()
                    .filter_map(|e| match &e.resource {
                        Resource::Subscription(s)
                            if s.topic == t.name && s.recorded_tags(&tags).is_empty() =>
                        {
                            Some(e.resource.name())
                        }
                        _ => None,
                    })
                    .collect();
                if !theirs.is_empty() {
                    return Err(unrecorded_subscriptions(&t.name, &theirs));
                }
                self.resources.retain(
                    |_, e| !matches!(&e.resource, Resource::Subscription(s) if s.topic == t.name),
                );
            }
            _ => {}
        }
        self.resources
            .remove(&(current.kind(), current.name()))
            .map(|_| ())
            .ok_or_else(|| {
                ProviderError::NotFound(format!("{} {}", current.kind(), current.name()))
            })
    }
}
