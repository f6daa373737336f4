//! The targets' burn-rate alarms against the emulator over the real wire
//! protocol: apply makes every window alarm and every composite (checked
//! with the SDK directly: the composites' rules, topic and tag), a second
//! plan changes nothing but what the emulator drops of a metric-math alarm
//! (its `Metrics`, read back with the emulator's default statistic and
//! period: see EMULATOR.md; `recorded_burn_alarms.rs` shows AWS's answer
//! reads back unchanged), and prune deletes them all, each composite
//! before its children (the emulator refuses the other order, as AWS does).
//! Composites made by hand beside them are never changed: one with a
//! name the spec uses is a conflict that stops apply, one it does not
//! name is left through apply and prune.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cloudwatch::types::AlarmType;
use monitui::data::provision::{ProvisionError, plan_for};
use monitui::model::stack::{Kind, Resource};
use monitui::provision::burn::burn_alarms;
use monitui::provision::plan::Action;
use monitui::provision::spec::BUILTIN;

use support::stack::{ACCOUNT, PREFIX, apply, fresh, spec, without_burn_alarms};

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn apply_makes_the_burn_rate_alarms_and_prune_removes_them() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let d = spec(BUILTIN, "prod", "ops@example.com");
    let burn: Vec<Resource> = d
        .slos
        .iter()
        .flat_map(|s| burn_alarms(s, &format!("{PREFIX}-alerts")))
        .collect();
    let without = spec(&without_burn_alarms(BUILTIN), "prod", "ops@example.com");
    assert_eq!(d.resources.len(), without.resources.len() + burn.len());
    let made = apply(session, &d, audit).await.unwrap();
    assert_eq!(made, d.resources.len());

    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    let listed = cw
        .describe_alarms()
        .alarm_name_prefix(PREFIX)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .send()
        .await
        .unwrap();
    let metric_names: BTreeSet<&str> = listed
        .metric_alarms()
        .iter()
        .filter_map(|a| a.alarm_name())
        .collect();
    let composites: BTreeMap<&str, _> = listed
        .composite_alarms()
        .iter()
        .map(|c| (c.alarm_name().unwrap(), c))
        .collect();
    let topic_arn = format!("arn:aws:sns:us-east-1:{ACCOUNT}:{PREFIX}-alerts");
    for b in &burn {
        match b {
            Resource::Alarm(a) => assert!(metric_names.contains(a.name.as_str()), "{}", a.name),
            Resource::CompositeAlarm(c) => {
                let found = composites
                    .get(c.name.as_str())
                    .unwrap_or_else(|| panic!("composite {} made", c.name));
                assert_eq!(found.alarm_rule(), Some(c.rule.as_str()));
                assert_eq!(found.alarm_actions(), std::slice::from_ref(&topic_arn));
                let tags = cw
                    .list_tags_for_resource()
                    .resource_arn(found.alarm_arn().unwrap())
                    .send()
                    .await
                    .unwrap();
                assert!(
                    tags.tags()
                        .iter()
                        .any(|t| t.key() == Some("monitui:managed") && t.value() == Some(PREFIX)),
                    "{}: {tags:?}",
                    c.name
                );
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(composites.len(), 10, "two per target");

    // A second plan: only the emulator's loss of the math alarms' Metrics.
    let again = plan_for(&session.reads, &d, true).await.unwrap();
    let windows: BTreeSet<String> = burn
        .iter()
        .filter(|r| r.kind() == Kind::Alarm)
        .map(Resource::name)
        .collect();
    for step in &again.steps {
        let Action::Update { changes } = &step.action else {
            panic!("{step:?}")
        };
        assert!(
            step.kind == Kind::Alarm && windows.contains(&step.name),
            "only window alarms differ: {step:?}"
        );
        for c in changes {
            assert!(
                ["statistic", "period"].contains(&c.path.as_str())
                    || c.path.starts_with("queries["),
                "{}: {} (not what the emulator drops)",
                step.name,
                c.path
            );
        }
    }

    let prune = plan_for(&session.reads, &without, true).await.unwrap();
    assert_eq!(prune.counts(), (0, 0, burn.len()));
    let pruned = apply(session, &without, audit).await.unwrap();
    assert_eq!(pruned, burn.len());
    let left = cw
        .describe_alarms()
        .alarm_name_prefix(PREFIX)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .send()
        .await
        .unwrap();
    assert!(left.composite_alarms().is_empty());
    assert!(
        left.metric_alarms()
            .iter()
            .all(|a| !windows.contains(a.alarm_name().unwrap())),
        "window alarms pruned"
    );
    assert_eq!(left.metric_alarms().len(), 4, "the seed's alarms stay");
    let after = plan_for(&session.reads, &without, true).await.unwrap();
    assert_eq!(after.steps, vec![]);
}

/// Puts a composite alarm by hand, untagged, as someone outside monitui
/// would.
async fn hand_made_composite(cw: &aws_sdk_cloudwatch::Client, name: &str, rule: &str) {
    cw.put_composite_alarm()
        .alarm_name(name)
        .alarm_rule(rule)
        .send()
        .await
        .unwrap();
}

/// The rule of composite `name`, if it exists.
async fn rule_of(cw: &aws_sdk_cloudwatch::Client, name: &str) -> Option<String> {
    let found = cw
        .describe_alarms()
        .alarm_names(name)
        .alarm_types(AlarmType::CompositeAlarm)
        .send()
        .await
        .unwrap();
    let composite = found.composite_alarms().first()?;
    composite.alarm_rule().map(str::to_string)
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn composites_made_by_hand_beside_the_burn_alarms_are_never_touched() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let d = spec(BUILTIN, "prod", "ops@example.com");
    let without = spec(&without_burn_alarms(BUILTIN), "prod", "ops@example.com");
    let taken = d
        .resources
        .iter()
        .find(|r| r.kind() == Kind::CompositeAlarm)
        .map(Resource::name)
        .expect("the spec's burn composites");

    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    let child = format!("{PREFIX}-hand-made-cpu");
    cw.put_metric_alarm()
        .alarm_name(&child)
        .namespace("AWS/EC2")
        .metric_name("CPUUtilization")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Average)
        .period(300)
        .evaluation_periods(1)
        .threshold(90.0)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .unwrap();
    let rule = format!("ALARM(\"{child}\")");
    let rollup = format!("{PREFIX}-oncall-rollup");
    hand_made_composite(&cw, &rollup, &rule).await;
    hand_made_composite(&cw, &taken, &rule).await;

    let plan = plan_for(&session.reads, &d, true).await.unwrap();
    let step_of = |name: &str| plan.steps.iter().find(|s| s.name == name);
    assert!(
        matches!(
            step_of(&taken).map(|s| &s.action),
            Some(Action::Conflict { .. })
        ),
        "a composite of the spec's name made by hand is a conflict: {:?}",
        step_of(&taken)
    );
    assert_eq!(
        step_of(&rollup),
        None,
        "one the spec does not name is not in the plan"
    );
    assert_eq!(step_of(&child), None);

    let refused = apply(session, &d, audit).await;
    assert!(
        matches!(refused, Err(ProvisionError::Conflicts { count: 1 })),
        "{refused:?}"
    );
    for name in [&rollup, &taken] {
        assert_eq!(
            rule_of(&cw, name).await.as_deref(),
            Some(rule.as_str()),
            "{name}: made by hand, untouched by a refused apply"
        );
    }

    // Its owner moves the conflicting one out of the way; apply and prune
    // then run, and the other stays as it was.
    cw.delete_alarms().alarm_names(&taken).send().await.unwrap();
    apply(session, &d, audit).await.unwrap();
    let pruned = apply(session, &without, audit).await.unwrap();
    assert!(pruned > 0, "the burn alarms monitui made are pruned");
    assert_eq!(
        rule_of(&cw, &rollup).await.as_deref(),
        Some(rule.as_str()),
        "made by hand, kept as it was through apply and prune"
    );
    assert_eq!(rule_of(&cw, &taken).await, None, "monitui's own is pruned");
    let children = cw
        .describe_alarms()
        .alarm_names(&child)
        .send()
        .await
        .unwrap();
    assert_eq!(children.metric_alarms().len(), 1, "its child stays too");
}
