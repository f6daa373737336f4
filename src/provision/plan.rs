//! The plan: what must change for an account to match a spec, computed
//! purely from the desired resources and what the account has. A resource
//! that exists without this stack's managed tag is a conflict, never
//! touched; deletes happen only with `prune` and only to resources the
//! stack manages (tagged, or for untaggable kinds: a dashboard in the
//! topic's ledger, an e-mail subscription the topic records monitui
//! making). A resource the spec marks `shared` is never claimed: no
//! conflict for its missing tag, never deleted, and its settings changed
//! (or it created) only when the person asks (`Desired::adopt_shared`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::spec::Desired;
use crate::model::stack::{Existing, Kind, Resource, SPEC_PROTOCOLS};

/// One changed value: a field, or a path inside a JSON field (dashboard
/// bodies and policies are compared as JSON, so only what changed shows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `retention_days`, `body.widgets[1].properties.title`, ...
    pub path: String,
    /// The value now (`None`: absent).
    pub old: Option<Value>,
    /// The value wanted (`None`: to be removed).
    pub new: Option<Value>,
}

/// What happens to one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// It does not exist yet.
    Create,
    /// It exists with other values.
    Update {
        /// Each changed value.
        changes: Vec<Change>,
    },
    /// It is managed, exists and is no longer wanted (`--prune`).
    Delete,
    /// It exists but this stack does not manage it: nothing is done.
    Conflict {
        /// Why, and what to do.
        reason: String,
    },
    /// It is shared with the account and differs from the spec (or is
    /// absent): left as it is, as nobody asked to adopt it.
    Shared {
        /// What is left alone, and how to adopt it.
        reason: String,
        /// What adopting it would change.
        changes: Vec<Change>,
    },
}

/// One resource's entry in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
    /// The wanted state (create, update).
    #[serde(skip)]
    pub desired: Option<Resource>,
    /// The current state (update, delete).
    #[serde(skip)]
    pub current: Option<Resource>,
}

impl Step {
    /// Whether applying it sends something (a create, update or delete).
    pub fn is_change(&self) -> bool {
        matches!(
            self.action,
            Action::Create | Action::Update { .. } | Action::Delete
        )
    }
}

/// Every step: deletes first (in reverse apply order, so nothing still
/// named by a kept resource goes before it, and a dashboard leaves the
/// topic's ledger only after it is gone), then creates and updates in apply
/// order; resources already as wanted have no step.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    /// The steps.
    pub steps: Vec<Step>,
}

impl Plan {
    /// Whether applying would change anything.
    pub fn has_changes(&self) -> bool {
        self.steps.iter().any(Step::is_change)
    }

    /// Resources that block an apply.
    pub fn conflicts(&self) -> impl Iterator<Item = &Step> {
        self.steps
            .iter()
            .filter(|s| matches!(s.action, Action::Conflict { .. }))
    }

    /// (create, update, delete) counts.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |f: fn(&Action) -> bool| self.steps.iter().filter(|s| f(&s.action)).count();
        (
            count(|a| matches!(a, Action::Create)),
            count(|a| matches!(a, Action::Update { .. })),
            count(|a| matches!(a, Action::Delete)),
        )
    }
}

/// The name of the stack's topic.
pub fn topic_name(desired: &Desired) -> Option<String> {
    desired
        .resources
        .iter()
        .find(|d| d.kind() == Kind::Topic)
        .map(Resource::name)
}

/// The names of the dashboards the stack's existing topic records as
/// managed.
fn ledger(desired: &Desired, existing: &[Existing]) -> Vec<String> {
    let topic = topic_name(desired);
    existing
        .iter()
        .find_map(|e| match &e.resource {
            Resource::Topic(t)
                if Some(&t.name) == topic.as_ref() && e.tagged_for(&desired.prefix) =>
            {
                Some(t.dashboards.clone())
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// Whether this stack manages `e`. A subscription only when it is of the
/// stack's topic, of a protocol a spec can declare, and recorded by the
/// topic as made by monitui (see `Subscription::recorded_tags`): a pager's
/// or queue's subscription added by hand is never touched.
fn manages(desired: &Desired, ledger: &[String], e: &Existing) -> bool {
    match &e.resource {
        Resource::Dashboard(d) => ledger.contains(&d.name),
        Resource::Subscription(s) => {
            topic_name(desired).as_ref() == Some(&s.topic)
                && SPEC_PROTOCOLS.contains(&s.protocol.as_str())
                && e.tagged_for(&desired.prefix)
        }
        _ => e.tagged_for(&desired.prefix),
    }
}

/// Compares `desired` with what exists. `existing` holds the current state
/// of every wanted resource that exists and of every resource the stack
/// manages; `prune` deletes the managed ones no longer wanted.
pub fn plan(desired: &Desired, existing: &[Existing], prune: bool) -> Plan {
    let ledger = ledger(desired, existing);
    let by_key: BTreeMap<(Kind, String), &Existing> = existing
        .iter()
        .map(|e| ((e.resource.kind(), e.resource.name()), e))
        .collect();
    let mut steps = if prune {
        deletes(desired, existing, &ledger)
    } else {
        Vec::new()
    };
    steps.extend(desired.resources.iter().filter_map(|d| {
        let found = by_key.get(&(d.kind(), d.name())).copied();
        step_for(desired, &ledger, d, found)
    }));
    Plan { steps }
}

/// The step the desired resource `d` needs given `found`, its current
/// state (`None`: absent); none when it is as wanted.
fn step_for(
    desired: &Desired,
    ledger: &[String],
    d: &Resource,
    found: Option<&Existing>,
) -> Option<Step> {
    let (kind, name) = (d.kind(), d.name());
    let shared = desired.is_shared(kind, &name);
    let left = shared && !desired.adopt_shared;
    let action = match found {
        None if left => Action::Shared {
            reason: "shared with the account and absent: left to the service that writes to it (apply --adopt-shared creates it, without this stack's tag)".into(),
            changes: Vec::new(),
        },
        None => Action::Create,
        // A subscription has nothing to change once it exists; one monitui
        // did not make is left as found (and never pruned).
        Some(_) if kind == Kind::Subscription => return None,
        Some(e) if !shared && !manages(desired, ledger, e) => Action::Conflict {
            reason: match kind {
                Kind::Dashboard => "exists and is not in the topic's list of managed dashboards; delete it or remove it from the spec".into(),
                _ => format!(
                    "exists without the tag {}={}: it is not managed by this stack; tag it or remove it from the spec",
                    crate::model::stack::MANAGED_TAG,
                    desired.prefix
                ),
            },
        },
        Some(e) => {
            let changes = field_changes(&e.resource, d);
            if changes.is_empty() {
                return None;
            }
            if left {
                Action::Shared {
                    reason: "shared with the account: left as it is (apply --adopt-shared sets these values, without this stack's tag)".into(),
                    changes,
                }
            } else {
                Action::Update { changes }
            }
        }
    };
    Some(Step {
        kind,
        name,
        action,
        desired: Some(d.clone()),
        current: found.map(|e| e.resource.clone()),
    })
}

/// What is left of `step`, a step of a plan for `desired`, according to
/// `found`, a fresh read of its resource: nothing when it is in effect (a
/// create or update: the resource exists, the stack manages it and it
/// differs in nothing from the desired one; a delete: it is gone), else
/// the step to make now, from the state found. The topic's list of managed
/// dashboards is taken to be the desired one: an apply writes the topic
/// before any dashboard.
pub fn remaining(desired: &Desired, step: &Step, found: &[Existing]) -> Option<Step> {
    let found = found
        .iter()
        .find(|e| e.resource.kind() == step.kind && e.resource.name() == step.name);
    match (&step.action, &step.desired) {
        (Action::Delete, _) => found.map(|e| Step {
            current: Some(e.resource.clone()),
            ..step.clone()
        }),
        (Action::Create | Action::Update { .. }, Some(d)) => {
            let ledger = desired
                .resources
                .iter()
                .find_map(|r| match r {
                    Resource::Topic(t) => Some(t.dashboards.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            step_for(desired, &ledger, d, found)
        }
        _ => Some(step.clone()),
    }
}

/// Why `step` must not be made now, if its resource is no longer as the
/// plan found it: `found` is a read made just before the write. Something
/// that appeared (a create), changed, went away or lost this stack's tag
/// (an update or delete) since the plan is a conflict, so that an apply
/// never overwrites what someone made while it waited for a "yes".
/// `tagged` says whether the stack's claim on the resource is its managed
/// tag (not for dashboards, whose claim is the topic's list).
pub fn changed_since_plan(
    step: &Step,
    found: &[Existing],
    prefix: &str,
    tagged: bool,
) -> Option<String> {
    let found = found
        .iter()
        .find(|e| e.resource.kind() == step.kind && e.resource.name() == step.name);
    match (&step.action, found, &step.current) {
        (Action::Create, Some(_), _) => Some(
            "conflict: it appeared since the plan (someone made it meanwhile); nothing was sent"
                .into(),
        ),
        (Action::Update { .. } | Action::Delete, None, _) => {
            Some("conflict: it is gone since the plan; nothing was sent".into())
        }
        (Action::Update { .. } | Action::Delete, Some(e), Some(planned)) => {
            let changes = field_changes(planned, &e.resource);
            if !changes.is_empty() {
                let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
                Some(format!(
                    "conflict: it changed since the plan ({}); nothing was sent",
                    paths.join(", ")
                ))
            } else if tagged && !e.tagged_for(prefix) {
                Some(format!(
                    "conflict: it no longer carries {}={prefix}; nothing was sent",
                    crate::model::stack::MANAGED_TAG
                ))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The managed resources no longer wanted, in reverse apply order.
fn deletes(desired: &Desired, existing: &[Existing], ledger: &[String]) -> Vec<Step> {
    let wanted: std::collections::BTreeSet<(Kind, String)> = desired
        .resources
        .iter()
        .map(|d| (d.kind(), d.name()))
        .collect();
    let mut deletes: Vec<Step> = existing
        .iter()
        .filter(|e| manages(desired, ledger, e))
        .filter(|e| !wanted.contains(&(e.resource.kind(), e.resource.name())))
        .map(|e| Step {
            kind: e.resource.kind(),
            name: e.resource.name(),
            action: Action::Delete,
            desired: None,
            current: Some(e.resource.clone()),
        })
        .collect();
    deletes.sort_by(|a, b| b.kind.cmp(&a.kind).then_with(|| a.name.cmp(&b.name)));
    deletes.dedup_by(|a, b| a.kind == b.kind && a.name == b.name);
    deletes
}

/// The changed values between `current` and `desired` of one resource.
pub fn field_changes(current: &Resource, desired: &Resource) -> Vec<Change> {
    let mut changes = Vec::new();
    for ((field, old), (_, new)) in current.fields().into_iter().zip(desired.fields()) {
        json_diff(field, Some(&old), Some(&new), &mut changes);
    }
    changes
}

/// Appends the differences between `old` and `new` under `path`: objects
/// key by key, arrays index by index, anything else as a whole.
pub fn json_diff(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) if !a.is_empty() && !b.is_empty() => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                json_diff(&format!("{path}.{k}"), a.get(k), b.get(k), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.iter().chain(b).any(|v| v.is_object() || v.is_array()) =>
        {
            for i in 0..a.len().max(b.len()) {
                json_diff(&format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a != b => out.push(Change {
            path: path.to_string(),
            old: a.filter(|v| !v.is_null()).cloned(),
            new: b.filter(|v| !v.is_null()).cloned(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
