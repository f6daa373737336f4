use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::model::stack::{LogGroup, Subscription, managed_tags};
use crate::provision::spec::BUILTIN;

fn desired() -> Desired {
    crate::provision::builtin_for_tests(BUILTIN, "p", "dev", "a@example.com")
}

/// The account after a perfect apply of `d` (subscriptions read as
/// recorded by the topic).
fn applied(d: &Desired) -> Vec<Existing> {
    d.resources
        .iter()
        .map(|r| Existing {
            resource: r.clone(),
            tags: match r.kind() {
                Kind::Dashboard => BTreeMap::new(),
                _ => managed_tags(&d.prefix),
            },
        })
        .collect()
}

/// A subscription of the stack's topic, recorded as made by monitui or not.
fn subscription(protocol: &str, endpoint: &str, recorded: bool) -> Existing {
    Existing {
        resource: Resource::Subscription(Subscription {
            topic: "p-alerts".into(),
            protocol: protocol.into(),
            endpoint: endpoint.into(),
            pending: false,
        }),
        tags: if recorded {
            managed_tags("p")
        } else {
            BTreeMap::new()
        },
    }
}

#[test]
fn an_empty_account_gets_everything_created_in_order() {
    let d = desired();
    let p = plan(&d, &[], true);
    assert_eq!(p.counts(), (d.resources.len(), 0, 0));
    assert!(p.has_changes());
    assert_eq!(p.steps[0].kind, Kind::Topic);
    assert_eq!(p.steps.last().unwrap().kind, Kind::Dashboard);
}

#[test]
fn an_applied_account_has_no_changes() {
    let d = desired();
    let p = plan(&d, &applied(&d), true);
    assert_eq!(p.steps, vec![]);
    assert!(!p.has_changes());
}

#[test]
fn changed_fields_are_listed_one_by_one() {
    let d = desired();
    let mut now = applied(&d);
    for e in &mut now {
        match &mut e.resource {
            Resource::LogGroup(g) if g.name == "/aws/apigateway/p" => g.retention_days = Some(30),
            Resource::Dashboard(db) if db.name == "p-data-pipeline" => {
                db.body["widgets"][1]["properties"]["title"] = json!("old title");
            }
            _ => {}
        }
    }
    let p = plan(&d, &now, false);
    assert_eq!(p.counts(), (0, 2, 0));
    let Action::Update { changes } = &p.steps[0].action else {
        panic!()
    };
    assert_eq!(p.steps[0].name, "/aws/apigateway/p");
    assert_eq!(
        changes,
        &[Change {
            path: "retention_days".into(),
            old: Some(json!(30)),
            new: Some(json!(7))
        }]
    );
    let Action::Update { changes } = &p.steps[1].action else {
        panic!()
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "body.widgets[1].properties.title");
    assert_eq!(changes[0].old, Some(json!("old title")));
}

#[test]
fn unmanaged_resources_conflict_and_are_never_deleted() {
    let d = desired();
    let mut now = applied(&d);
    now.iter_mut()
        .find(|e| e.resource.kind() == Kind::LogGroup)
        .unwrap()
        .tags
        .clear();
    now.push(Existing {
        resource: Resource::LogGroup(LogGroup {
            name: "/someone/else".into(),
            retention_days: None,
            kms_key: None,
        }),
        tags: BTreeMap::new(),
    });
    let p = plan(&d, &now, true);
    assert_eq!(p.conflicts().count(), 1);
    assert!(!p.has_changes(), "{:?}", p.steps);
    assert!(p.steps.iter().all(|s| s.name != "/someone/else"));
}

#[test]
fn prune_deletes_only_managed_leftovers_in_reverse_order() {
    let d = desired();
    let mut now = applied(&d);
    let mut extra_group = now
        .iter()
        .find(|e| e.resource.kind() == Kind::LogGroup)
        .unwrap()
        .clone();
    if let Resource::LogGroup(g) = &mut extra_group.resource {
        g.name = "/old/managed".into();
    }
    now.push(extra_group);
    now.push(subscription("email", "gone@example.com", true));
    let mut old_dash = now
        .iter()
        .find(|e| e.resource.kind() == Kind::Dashboard)
        .unwrap()
        .clone();
    if let Resource::Dashboard(db) = &mut old_dash.resource {
        db.name = "p-old".into();
    }
    now.push(old_dash.clone());
    if let Resource::Topic(t) = &mut now[0].resource {
        t.dashboards.push("p-old".into());
    }
    let kept = plan(&d, &now, false);
    assert!(kept.steps.iter().all(|s| s.action != Action::Delete));
    let p = plan(&d, &now, true);
    let deletes: Vec<(Kind, &str)> = p
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| (s.kind, s.name.as_str()))
        .collect();
    assert_eq!(
        deletes,
        [
            (Kind::Dashboard, "p-old"),
            (Kind::LogGroup, "/old/managed"),
            (Kind::Subscription, "email:gone@example.com")
        ]
    );
    if let Resource::Topic(t) = &mut now[0].resource {
        t.dashboards.retain(|n| n != "p-old");
    }
    let p = plan(&d, &now, true);
    assert!(
        p.steps.iter().all(|s| s.name != "p-old"),
        "a dashboard off the ledger is not ours"
    );
}

#[test]
fn prune_never_deletes_a_subscription_monitui_did_not_record_making() {
    let d = desired();
    let mut now = applied(&d);
    now.extend([
        subscription("sqs", "arn:aws:sqs:us-east-1:1:pager", false),
        subscription("https", "https://events.pagerduty.com/x", false),
        subscription("email", "by-hand@example.com", false),
        subscription("lambda", "arn:aws:lambda:us-east-1:1:function:f", true),
        subscription("email", "made@example.com", true),
    ]);
    let p = plan(&d, &now, true);
    let deletes: Vec<&str> = p
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        deletes,
        ["email:made@example.com"],
        "only the recorded e-mail subscription"
    );
    let mut by_hand = applied(&d);
    for e in &mut by_hand {
        if e.resource.kind() == Kind::Subscription {
            e.tags.clear();
        }
    }
    assert_eq!(
        plan(&d, &by_hand, true).steps,
        vec![],
        "a subscription the spec wants that exists unrecorded is left as found, no conflict"
    );
}

#[test]
fn json_diff_reports_added_and_removed_paths() {
    let mut out = Vec::new();
    json_diff(
        "policy",
        Some(&json!({"a": [{"x": 1}], "b": 2})),
        Some(&json!({"a": [{"x": 1}, {"y": 2}], "c": 3})),
        &mut out,
    );
    let paths: Vec<&str> = out.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["policy.a[1]", "policy.b", "policy.c"]);
    assert_eq!(out[1].new, None);
    assert_eq!(out[2].old, None);
}

#[test]
fn a_step_is_in_effect_once_a_re_read_of_its_resource_plans_nothing_for_it() {
    let d = desired();
    let all = applied(&d);
    for step in plan(&d, &[], false).steps {
        let alone: Vec<Existing> = all
            .iter()
            .filter(|e| (e.resource.kind(), e.resource.name()) == (step.kind, step.name.clone()))
            .cloned()
            .collect();
        assert_eq!(
            remaining(&d, &step, &alone),
            None,
            "{} {}",
            step.kind,
            step.name
        );
        assert_eq!(
            remaining(&d, &step, &[]),
            Some(step.clone()),
            "still absent"
        );
    }
    let group = |retention| Existing {
        resource: Resource::LogGroup(LogGroup {
            name: "/aws/apigateway/p".into(),
            retention_days: retention,
            kms_key: None,
        }),
        tags: managed_tags(&d.prefix),
    };
    let create = plan(&d, &[], false)
        .steps
        .into_iter()
        .find(|s| s.name == "/aws/apigateway/p")
        .unwrap();
    let left = remaining(&d, &create, &[group(Some(1))]).unwrap();
    assert!(matches!(left.action, Action::Update { .. }), "{left:?}");
    assert_eq!(
        left.current,
        Some(group(Some(1)).resource),
        "from the state found"
    );
    let untagged = Existing {
        tags: BTreeMap::new(),
        ..group(Some(1))
    };
    let left = remaining(&d, &create, &[untagged]).unwrap();
    assert!(matches!(left.action, Action::Conflict { .. }), "{left:?}");
}

#[test]
fn a_delete_is_in_effect_once_the_resource_is_gone() {
    let d = desired();
    let mut now = applied(&d);
    now.push(Existing {
        resource: Resource::LogGroup(LogGroup {
            name: "p-old".into(),
            retention_days: None,
            kms_key: None,
        }),
        tags: managed_tags(&d.prefix),
    });
    let delete = plan(&d, &now, true).steps.remove(0);
    assert_eq!(
        (delete.action.clone(), delete.name.as_str()),
        (Action::Delete, "p-old")
    );
    assert_eq!(remaining(&d, &delete, &[]), None);
    assert_eq!(remaining(&d, &delete, &now), Some(delete.clone()));
}

#[test]
fn a_role_without_the_stack_s_boundary_is_updated_to_carry_it() {
    let d = desired();
    let mut now = applied(&d);
    for e in &mut now {
        if let Resource::Role(r) = &mut e.resource {
            r.permissions_boundary = None;
        }
    }
    let p = plan(&d, &now, false);
    assert_eq!(p.counts(), (0, 1, 0));
    let Action::Update { changes } = &p.steps[0].action else {
        panic!("{:?}", p.steps[0])
    };
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].path, "permissions_boundary");
    assert_eq!(changes[0].old, None);
    assert_eq!(
        changes[0].new,
        Some(json!("arn:aws:iam::123456789012:policy/p-monitui-boundary"))
    );
}

#[test]
fn a_shared_resource_is_never_claimed_and_changed_only_when_adopted() {
    let left = Desired {
        adopt_shared: false,
        ..desired()
    };
    let shared = "/aws/batch/job";
    let without = |d: &Desired| -> Vec<Existing> {
        applied(d)
            .into_iter()
            .filter(|e| e.resource.name() != shared)
            .collect()
    };
    let p = plan(&left, &without(&left), true);
    assert_eq!(p.steps.len(), 1);
    assert!(matches!(&p.steps[0].action, Action::Shared { changes, .. } if changes.is_empty()));
    assert!(
        !p.has_changes(),
        "absent, left to the service that makes it"
    );

    let mut theirs = applied(&left);
    for e in &mut theirs {
        if let Resource::LogGroup(g) = &mut e.resource
            && g.name == shared
        {
            g.retention_days = Some(365);
            e.tags = BTreeMap::from([("team".to_string(), "batch".to_string())]);
        }
    }
    let p = plan(&left, &theirs, true);
    let Action::Shared { changes, reason } = &p.steps[0].action else {
        panic!("{:?}", p.steps)
    };
    assert_eq!(changes[0].path, "retention_days");
    assert!(reason.contains("--adopt-shared"), "{reason}");
    assert_eq!(
        p.steps.len(),
        1,
        "no conflict for the missing tag, no delete"
    );
    assert!(!p.has_changes());

    let adopted = desired();
    let p = plan(&adopted, &theirs, true);
    assert_eq!(p.counts(), (0, 1, 0), "{:?}", p.steps);
    assert_eq!(p.conflicts().count(), 0);
    assert_eq!(plan(&adopted, &without(&adopted), true).counts(), (1, 0, 0));
}

/// The spec without the targets' burn-rate alarms (as when `alarms` goes
/// false on every target).
fn without_burn_alarms(d: &Desired) -> Desired {
    let burn: std::collections::BTreeSet<String> = d
        .slos
        .iter()
        .flat_map(|s| crate::provision::burn::burn_alarms(s, "t"))
        .map(|r| r.name())
        .collect();
    assert!(!burn.is_empty());
    let mut out = d.clone();
    out.resources.retain(|r| !burn.contains(&r.name()));
    out
}

/// Each (composite, child) pair of `d`'s composite alarms.
fn composite_children(d: &Desired) -> Vec<(String, String)> {
    d.resources
        .iter()
        .filter_map(|r| match r {
            Resource::CompositeAlarm(c) => Some(c),
            _ => None,
        })
        .flat_map(|c| {
            crate::alarm_rule::Rule::parse(&c.rule)
                .unwrap()
                .children()
                .into_iter()
                .map(|child| (c.name.clone(), child))
        })
        .collect()
}

#[test]
fn burn_rate_alarms_are_made_before_their_composite_and_pruned_after_it() {
    let d = desired();
    let pairs = composite_children(&d);
    assert_eq!(
        pairs.len(),
        5 * 2 * 2,
        "five targets, two speeds, two windows"
    );
    let position = |p: &Plan, kind: Kind, name: &str| {
        p.steps
            .iter()
            .position(|s| s.kind == kind && s.name == name)
            .unwrap_or_else(|| panic!("no step for {kind} {name}"))
    };
    let create = plan(&d, &[], false);
    for (composite, child) in &pairs {
        assert!(
            position(&create, Kind::Alarm, child)
                < position(&create, Kind::CompositeAlarm, composite),
            "{child} is made before {composite}"
        );
    }
    let prune = plan(&without_burn_alarms(&d), &applied(&d), true);
    assert_eq!(prune.counts(), (0, 0, 5 * 6));
    for (composite, child) in &pairs {
        assert!(
            position(&prune, Kind::CompositeAlarm, composite)
                < position(&prune, Kind::Alarm, child),
            "{composite} is deleted before {child}"
        );
    }
    assert_eq!(
        plan(&without_burn_alarms(&d), &applied(&d), false).steps,
        vec![],
        "without prune nothing is deleted"
    );
}

#[test]
fn a_burn_rate_alarm_made_by_someone_else_is_a_conflict_never_touched() {
    let d = desired();
    let mut now = applied(&d);
    for e in &mut now {
        if e.resource.name() == "p-api-5xx-rate-burn-fast" {
            e.tags = BTreeMap::new();
        }
    }
    let p = plan(&d, &now, true);
    let conflicts: Vec<(Kind, &str)> = p.conflicts().map(|s| (s.kind, s.name.as_str())).collect();
    assert_eq!(
        conflicts,
        [(Kind::CompositeAlarm, "p-api-5xx-rate-burn-fast")]
    );
    let pruned = plan(&without_burn_alarms(&d), &now, true);
    assert!(
        pruned
            .steps
            .iter()
            .all(|s| s.name != "p-api-5xx-rate-burn-fast"),
        "an untagged composite is never deleted"
    );
}

#[test]
fn a_changed_burn_rate_expression_is_an_update_of_the_queries() {
    let d = desired();
    let mut now = applied(&d);
    for e in &mut now {
        if let Resource::Alarm(a) = &mut e.resource
            && a.name == "p-lambda-error-rate-burn-slow-6h"
        {
            a.queries.pop();
        }
    }
    let p = plan(&d, &now, false);
    assert_eq!(p.counts(), (0, 1, 0));
    let Action::Update { changes } = &p.steps[0].action else {
        panic!("{:?}", p.steps[0])
    };
    assert_eq!(changes.len(), 1);
    assert!(changes[0].path.starts_with("queries"), "{changes:?}");
}
