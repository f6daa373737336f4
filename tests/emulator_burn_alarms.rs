//! The targets' burn-rate alarms against the emulator over the real wire
//! protocol: apply makes every window alarm and every composite (checked
//! with the SDK directly: the composites' rules, topic and tag), a second
//! plan changes nothing but what the emulator drops of a metric-math alarm
//! (its `Metrics`, read back with the emulator's default statistic and
//! period: see EMULATOR.md; `recorded_burn_alarms.rs` shows AWS's answer
//! reads back unchanged), and prune deletes them all, each composite
//! before its children (the emulator refuses the other order, as AWS does).

mod support;

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cloudwatch::types::AlarmType;
use monitui::data::provision::plan_for;
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
