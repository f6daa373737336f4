use std::sync::Arc;

use super::*;
use crate::data::AuditLog;
use crate::data::provision::{Provisioner, plan_for};
use crate::data::session::Session;
use crate::model::{Clock, ManualClock};
use crate::provider::Account;
use crate::provider::sim::SimProvider;
use crate::provision::spec::BUILTIN;

fn desired() -> Desired {
    crate::provision::builtin_for_tests(BUILTIN, "ecommerce-ai-platform", "prod", "ops@example.com")
}

#[tokio::test]
async fn the_demo_account_passes_after_an_apply_and_fails_before() {
    let clock = ManualClock::new("2026-01-16T12:00:00Z".parse().unwrap());
    let shared: Arc<dyn Clock> = Arc::new(clock.clone());
    let session = Session::new(
        Account::of(Arc::new(SimProvider::new(
            23,
            shared,
            "ecommerce-ai-platform",
        ))),
        "demo",
        false,
    );
    let d = desired();
    let before = run(&session.reads, &d, clock.now()).await.unwrap();
    let missing: Vec<&Check> = before.iter().filter(|c| c.detail == "missing").collect();
    // The demo's alarm list has the seed's alarms, not the targets'
    // burn-rate alarms (window alarms and their composites).
    let burn: Vec<String> = d
        .slos
        .iter()
        .flat_map(|s| crate::provision::burn::burn_alarms(s, "t"))
        .map(|r| r.name())
        .collect();
    assert!(!burn.is_empty());
    assert_eq!(
        missing.len(),
        3 + 10 + 1 + burn.len(),
        "dashboards, log groups, trail, burn-rate alarms: {before:#?}"
    );
    for name in &burn {
        assert!(
            missing
                .iter()
                .any(|c| c.check == "alarm" && &c.target == name),
            "doctor checks {name}"
        );
    }
    for c in &missing {
        let fix = if c.target == "/aws/batch/job" {
            ADOPT
        } else {
            APPLY
        };
        assert_eq!(c.hint.as_deref(), Some(fix), "{c:?}");
    }

    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("a.jsonl"));
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    Provisioner::new(&session, &audit, &clock)
        .apply(&d, &plan, &mut |_| {})
        .await
        .unwrap();
    let after = run(&session.reads, &d, clock.now()).await.unwrap();
    let failed: Vec<&Check> = after.iter().filter(|c| !c.ok).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    for name in &burn {
        assert!(
            after
                .iter()
                .any(|c| c.check == "alarm" && &c.target == name && c.ok),
            "{name} passes once applied"
        );
    }
    let kinds: std::collections::BTreeSet<&str> = after.iter().map(|c| c.check).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "alarm",
            "dashboard",
            "dashboard data",
            "log group",
            "subscription",
            "trail"
        ]
    );
}

#[test]
fn trail_failures_name_the_cause_and_the_fix() {
    assert!(
        trail_check("t", None)
            .hint
            .unwrap()
            .contains("provision apply")
    );
    let stopped = TrailHealth::default();
    assert_eq!(trail_check("t", Some(&stopped)).detail, "not logging");
    let s3 = TrailHealth {
        logging: true,
        delivery_error: Some("AccessDenied".into()),
        logs_delivery_error: None,
    };
    let c = trail_check("t", Some(&s3));
    assert_eq!(c.detail, "S3 delivery failing: AccessDenied");
    assert!(c.hint.unwrap().contains("bucket policy"));
    let logs = TrailHealth {
        logging: true,
        delivery_error: None,
        logs_delivery_error: Some("role".into()),
    };
    assert!(
        trail_check("t", Some(&logs))
            .hint
            .unwrap()
            .contains("IAM role")
    );
    assert!(
        trail_check(
            "t",
            Some(&TrailHealth {
                logging: true,
                ..TrailHealth::default()
            })
        )
        .ok
    );
}
