//! `provision` against the emulator over the real wire protocol: the
//! built-in spec applied to an empty account, every resource checked with
//! the SDK directly (not through monitui's own reads), a second plan empty,
//! a changed spec planned to exactly the expected lines, an apply stopped
//! half-way (an operation denied by the call proxy) that converges on the
//! next run, `--prune` deleting only what the stack manages (never a
//! subscription monitui did not make), an alarm update that keeps a
//! silence, and a resource made by hand between plan and apply left alone.
//! The targets' burn-rate alarms: `emulator_burn_alarms.rs`.

mod support;

use std::collections::BTreeMap;

use monitui::cli::provision_cmd::print_plan;
use monitui::data::provision::{ProvisionError, Provisioner, plan_for};
use monitui::provision::plan::Plan;
use monitui::provision::spec::Desired;

use support::stack::{KMS, PREFIX, apply, fresh, spec, without_burn_alarms};

/// The built-in spec without the targets' burn-rate alarms (see
/// [`without_burn_alarms`]).
static BUILTIN: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| without_burn_alarms(monitui::provision::spec::BUILTIN));

fn desired(text: &str) -> Desired {
    spec(text, "prod", "ops@example.com,oncall@example.com")
}

fn text_of(plan: &Plan) -> String {
    let mut out = Vec::new();
    print_plan(plan, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn managed(tags: &BTreeMap<String, String>) -> bool {
    tags.get("monitui:managed").map(String::as_str) == Some(PREFIX)
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn the_builtin_spec_creates_the_seed_stack_and_a_second_plan_is_empty() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let d = desired(&BUILTIN);
    let made = apply(session, &d, audit).await.unwrap();
    assert_eq!(made, 23);
    assert_eq!(audit.read().unwrap().len(), 23);

    let config = support::sdk_config(&endpoint).await;
    let account = "000000000000";
    let topic_arn = format!("arn:aws:sns:us-east-1:{account}:{PREFIX}-alerts");

    let sns = aws_sdk_sns::Client::new(&config);
    let attrs = sns
        .get_topic_attributes()
        .topic_arn(&topic_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(attrs.attributes().unwrap()["KmsMasterKeyId"], KMS);
    let tags = sns
        .list_tags_for_resource()
        .resource_arn(&topic_arn)
        .send()
        .await
        .unwrap();
    let tags: BTreeMap<String, String> = tags
        .tags()
        .iter()
        .map(|t| (t.key().into(), t.value().into()))
        .collect();
    assert!(managed(&tags));
    assert_eq!(
        tags["monitui:dashboards"],
        format!("{PREFIX}-api-performance {PREFIX}-data-pipeline {PREFIX}-ml-performance")
    );
    let subs = sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic_arn)
        .send()
        .await
        .unwrap();
    let mut endpoints: Vec<(&str, &str)> = subs
        .subscriptions()
        .iter()
        .map(|s| (s.protocol().unwrap(), s.endpoint().unwrap()))
        .collect();
    endpoints.sort();
    assert_eq!(
        endpoints,
        [
            ("email", "oncall@example.com"),
            ("email", "ops@example.com")
        ]
    );

    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let groups = logs.describe_log_groups().send().await.unwrap();
    assert_eq!(groups.log_groups().len(), 10);
    for g in groups.log_groups() {
        assert_eq!(g.retention_in_days(), Some(30), "{g:?}");
        assert_eq!(g.kms_key_id(), Some(KMS), "{g:?}");
        let tags = logs
            .list_tags_for_resource()
            .resource_arn(g.arn().unwrap().trim_end_matches(":*"))
            .send()
            .await
            .unwrap();
        let tags: BTreeMap<String, String> = tags
            .tags()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let shared = g.log_group_name() == Some("/aws/batch/job");
        assert_eq!(
            managed(&tags),
            !shared,
            "the group every Batch job writes to is adopted, never claimed: {g:?}"
        );
    }

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    let bucket = format!("{PREFIX}-cloudtrail-logs");
    let enc = s3
        .get_bucket_encryption()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let rule = &enc.server_side_encryption_configuration().unwrap().rules()[0];
    let default = rule.apply_server_side_encryption_by_default().unwrap();
    assert_eq!(default.sse_algorithm().as_str(), "aws:kms");
    assert_eq!(default.kms_master_key_id(), Some(KMS));
    let block = s3
        .get_public_access_block()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let block = block.public_access_block_configuration().unwrap();
    assert_eq!(
        (
            block.block_public_acls(),
            block.ignore_public_acls(),
            block.block_public_policy(),
            block.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    let policy: serde_json::Value = serde_json::from_str(
        s3.get_bucket_policy()
            .bucket(&bucket)
            .send()
            .await
            .unwrap()
            .policy()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(policy["Statement"][1]["Action"], "s3:PutObject");
    assert_eq!(
        policy["Statement"][1]["Resource"],
        format!("arn:aws:s3:::{bucket}/AWSLogs/{account}/*")
    );
    let trail_arn = format!("arn:aws:cloudtrail:us-east-1:{account}:trail/{PREFIX}-audit-trail");
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(
            statement["Condition"]["StringEquals"]["aws:SourceArn"],
            trail_arn
        );
        assert_eq!(
            statement["Condition"]["StringEquals"]["aws:SourceAccount"],
            account
        );
    }
    assert_eq!(
        policy["Statement"][1]["Principal"]["Service"],
        "cloudtrail.amazonaws.com"
    );

    let iam = aws_sdk_iam::Client::new(&config);
    let role = iam
        .get_role()
        .role_name(format!("{PREFIX}-cloudtrail-to-logs"))
        .send()
        .await
        .unwrap();
    let role = role.role().unwrap();
    let trust = percent_encoding::percent_decode_str(role.assume_role_policy_document().unwrap())
        .decode_utf8_lossy();
    assert!(trust.contains("cloudtrail.amazonaws.com"), "{trust}");
    assert!(trust.contains(&trail_arn), "{trust}");
    assert_eq!(
        role.permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        Some(format!("arn:aws:iam::{account}:policy/{PREFIX}-monitui-boundary").as_str()),
        "the role is made inside the stack's boundary"
    );
    assert!(managed(
        &role
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect()
    ));
    let inline = iam
        .get_role_policy()
        .role_name(role.role_name())
        .policy_name("cloudtrail-to-cloudwatch-logs")
        .send()
        .await
        .unwrap();
    let inline = percent_encoding::percent_decode_str(inline.policy_document()).decode_utf8_lossy();
    assert!(
        inline.contains(&format!("log-group:/aws/cloudtrail/{PREFIX}:log-stream:*")),
        "{inline}"
    );

    let ct = aws_sdk_cloudtrail::Client::new(&config);
    let trail = ct
        .get_trail()
        .name(format!("{PREFIX}-audit-trail"))
        .send()
        .await
        .unwrap();
    let trail = trail.trail().unwrap();
    assert_eq!(trail.is_multi_region_trail(), Some(true));
    assert_eq!(trail.log_file_validation_enabled(), Some(true));
    assert_eq!(trail.s3_bucket_name(), Some(bucket.as_str()));
    assert_eq!(trail.kms_key_id(), Some(KMS));
    assert_eq!(
        trail.cloud_watch_logs_log_group_arn(),
        Some(
            format!("arn:aws:logs:us-east-1:{account}:log-group:/aws/cloudtrail/{PREFIX}:*")
                .as_str()
        )
    );
    assert_eq!(trail.cloud_watch_logs_role_arn(), Some(role.arn()));
    let selectors = ct
        .get_event_selectors()
        .trail_name(trail.name().unwrap())
        .send()
        .await
        .unwrap();
    let resources: Vec<(String, Vec<String>)> = selectors.event_selectors()[0]
        .data_resources()
        .iter()
        .map(|r| (r.r#type().unwrap().to_string(), r.values().to_vec()))
        .collect();
    assert_eq!(
        resources,
        [
            (
                "AWS::S3::Object".to_string(),
                vec![format!("arn:aws:s3:::{PREFIX}-data-lake/")]
            ),
            (
                "AWS::Lambda::Function".to_string(),
                vec!["arn:aws:lambda".to_string()]
            ),
        ]
    );
    assert_eq!(
        ct.get_trail_status()
            .name(trail.name().unwrap())
            .send()
            .await
            .unwrap()
            .is_logging(),
        Some(true)
    );

    let cw = aws_sdk_cloudwatch::Client::new(&config);
    let alarms = cw
        .describe_alarms()
        .alarm_name_prefix(PREFIX)
        .send()
        .await
        .unwrap();
    let mut seen: Vec<(String, f64, String)> = alarms
        .metric_alarms()
        .iter()
        .map(|a| {
            assert_eq!(a.alarm_actions(), std::slice::from_ref(&topic_arn), "{a:?}");
            (
                a.alarm_name()
                    .unwrap()
                    .trim_start_matches(PREFIX)
                    .to_string(),
                a.threshold().unwrap(),
                a.comparison_operator().unwrap().as_str().to_string(),
            )
        })
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        [
            ("-api-5xx-errors".into(), 5.0, "GreaterThanThreshold".into()),
            (
                "-batch-job-failures".into(),
                1.0,
                "GreaterThanOrEqualToThreshold".into()
            ),
            (
                "-dms-replication-lag".into(),
                300.0,
                "GreaterThanThreshold".into()
            ),
            ("-lambda-errors".into(), 10.0, "GreaterThanThreshold".into()),
        ]
    );
    for suffix in ["data-pipeline", "api-performance", "ml-performance"] {
        let body = cw
            .get_dashboard()
            .dashboard_name(format!("{PREFIX}-{suffix}"))
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_str(body.dashboard_body().unwrap()).unwrap();
        assert!(!body["widgets"].as_array().unwrap().is_empty());
    }

    let again = plan_for(&session.reads, &d, true).await.unwrap();
    assert_eq!(
        text_of(&again),
        "No changes: the account matches the spec.\n"
    );
    assert_eq!(apply(session, &d, audit).await.unwrap(), 0, "idempotent");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn a_changed_spec_plans_exactly_the_changed_fields() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    apply(session, &desired(&BUILTIN), audit).await.unwrap();
    let changed = desired(
        &BUILTIN
            .replace("threshold = 10\n", "threshold = 20\n")
            .replace("    \"/aws/apigateway/${prefix}\",\n", "")
            .replace(
                "names = [\n",
                "names = [\n    \"/aws/apigateway/${prefix}\",\n",
            )
            .replace("lambda_data_events = true", "lambda_data_events = false")
            .replace(
                "builtin = \"ml-performance\"",
                "body = '{\"widgets\": [{\"type\": \"text\", \"x\": 0, \"y\": 0, \"width\": 24, \"height\": 2, \"properties\": {\"markdown\": \"# ML\"}}]}'",
            ),
    );
    let plan = plan_for(&session.reads, &changed, false).await.unwrap();
    let text = text_of(&plan);
    let ml = format!("{PREFIX}-ml-performance");
    let expected_head = format!(
        "~ trail {PREFIX}-audit-trail\n    lambda_data_events: true -> false\n~ alarm {PREFIX}-lambda-errors\n    threshold: 10.0 -> 20.0\n~ dashboard {ml}\n"
    );
    assert!(text.starts_with(&expected_head), "{text}");
    assert!(
        text.contains("    body.widgets[0].properties.markdown: \"# ML Performance"),
        "{text}"
    );
    assert!(text.contains("    body.widgets[1]: {"), "{text}");
    assert!(
        text.ends_with("Plan: 0 to create, 3 to update, 0 to delete.\n"),
        "{text}"
    );
    apply(session, &changed, audit).await.unwrap();
    assert_settled(session, &changed, false).await;
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn an_apply_stopped_half_way_converges_on_the_next_run() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { audit, .. } = &fresh(&endpoint).await;
    let d = desired(&BUILTIN);
    let proxy = support::proxy::CallProxy::start(&endpoint, "CreateTrail");
    let failing = support::aws_session(&proxy.endpoint()).await;
    let err = apply(&failing, &d, audit).await.unwrap_err();
    let ProvisionError::Step { kind, done, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!((kind.as_str(), *done), ("trail", 15), "{err}");
    assert_eq!(
        proxy.counts().get("CreateTrail"),
        Some(&1),
        "a refused step is sent once"
    );
    let last = audit.read().unwrap().pop().unwrap();
    assert_eq!(
        (last.alarm.as_str(), last.result),
        (
            format!("trail {}", d.resources[15].name()).as_str(),
            monitui::data::audit::AuditResult::Failed
        ),
        "recorded as failed, never as done"
    );
    drop(proxy);

    let proxy = support::proxy::CallProxy::start(&endpoint, "");
    let session = support::aws_session(&proxy.endpoint()).await;
    let rest = plan_for(&session.reads, &d, false).await.unwrap();
    assert_eq!(rest.counts(), (23 - 15, 0, 0), "{}", text_of(&rest));
    apply(&session, &d, audit).await.unwrap();
    let counts = proxy.counts();
    for op in ["CreateTopic", "CreateLogGroup", "CreateRole", "Subscribe"] {
        assert_eq!(counts.get(op), None, "{op} sent again: {counts:?}");
    }
    assert_eq!(counts.get("CreateTrail"), Some(&1));
    assert_eq!(counts.get("PutDashboard"), Some(&3));
    assert_settled(&session, &d, true).await;
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn prune_deletes_only_what_the_stack_manages() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let config = support::sdk_config(&endpoint).await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let theirs = format!("/aws/lambda/{PREFIX}-someone-elses");
    logs.create_log_group()
        .log_group_name(&theirs)
        .send()
        .await
        .unwrap();
    let cw = aws_sdk_cloudwatch::Client::new(&config);
    support::put_alarm(&cw, &format!("{PREFIX}-hand-made")).await;

    let with_extra = BUILTIN.replace(
        "names = [\n",
        "names = [\n    \"/aws/lambda/${prefix}-retired\",\n",
    );
    apply(session, &desired(&with_extra), audit).await.unwrap();
    let d = desired(&BUILTIN);
    let kept = plan_for(&session.reads, &d, false).await.unwrap();
    assert!(!kept.has_changes(), "{}", text_of(&kept));
    let pruned = plan_for(&session.reads, &d, true).await.unwrap();
    assert_eq!(
        text_of(&pruned),
        format!(
            "- log_group /aws/lambda/{PREFIX}-retired\nPlan: 0 to create, 0 to update, 1 to delete.\n"
        )
    );
    apply(session, &d, audit).await.unwrap();
    let names: Vec<String> = logs
        .describe_log_groups()
        .send()
        .await
        .unwrap()
        .log_groups()
        .iter()
        .map(|g| g.log_group_name().unwrap().to_string())
        .collect();
    assert!(
        names.contains(&theirs),
        "an unmanaged group survives: {names:?}"
    );
    assert!(!names.contains(&format!("/aws/lambda/{PREFIX}-retired")));
    let alarms = cw
        .describe_alarms()
        .alarm_names(format!("{PREFIX}-hand-made"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        alarms.metric_alarms().len(),
        1,
        "an unmanaged alarm survives"
    );
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn a_role_made_without_the_boundary_is_given_it_by_the_next_apply() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let iam = aws_sdk_iam::Client::new(&support::sdk_config(&endpoint).await);
    let name = format!("{PREFIX}-cloudtrail-to-logs");
    // As monitui before boundaries made it: managed, no boundary.
    let d = desired(&BUILTIN);
    let Some(monitui::model::stack::Resource::Role(wanted)) = d
        .resources
        .iter()
        .find(|r| matches!(r, monitui::model::stack::Resource::Role(_)))
    else {
        panic!("the built-in spec has a role")
    };
    iam.create_role()
        .role_name(&name)
        .assume_role_policy_document(wanted.trust_policy.to_string())
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("monitui:managed")
                .value(PREFIX)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let plan = text_of(&plan_for(&session.reads, &d, false).await.unwrap());
    let boundary = format!(
        "arn:aws:iam::{}:policy/{PREFIX}-monitui-boundary",
        support::stack::ACCOUNT
    );
    assert!(plan.contains(&format!("~ role {name}\n")), "{plan}");
    assert!(
        plan.contains(&format!(
            "\n    permissions_boundary: (none) -> \"{boundary}\"\n"
        )),
        "{plan}"
    );
    apply(session, &d, audit).await.unwrap();
    let role = iam.get_role().role_name(&name).send().await.unwrap();
    assert_eq!(
        role.role()
            .and_then(|r| r.permissions_boundary())
            .and_then(|b| b.permissions_boundary_arn()),
        Some(boundary.as_str())
    );
    assert_settled(session, &d, false).await;
}

/// Asserts that a new plan of `d` (with `prune` or not) has nothing to do.
async fn assert_settled(session: &monitui::data::Session, d: &Desired, prune: bool) {
    let plan = plan_for(&session.reads, d, prune).await.unwrap();
    assert!(!plan.has_changes(), "{}", text_of(&plan));
}

/// (protocol, endpoint) of every subscription of the stack's topic, read
/// with the SDK.
async fn subscriptions(sns: &aws_sdk_sns::Client, topic_arn: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = sns
        .list_subscriptions_by_topic()
        .topic_arn(topic_arn)
        .send()
        .await
        .unwrap()
        .subscriptions()
        .iter()
        .map(|s| {
            (
                s.protocol().unwrap().to_string(),
                s.endpoint().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn prune_never_deletes_a_subscription_monitui_did_not_make() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    apply(session, &desired(&BUILTIN), audit).await.unwrap();
    let config = support::sdk_config(&endpoint).await;
    let sns = aws_sdk_sns::Client::new(&config);
    let topic_arn = format!("arn:aws:sns:us-east-1:000000000000:{PREFIX}-alerts");
    let by_hand = [
        ("sqs", "arn:aws:sqs:us-east-1:000000000000:pager-queue"),
        ("http", "http://127.0.0.1:9/pagerduty"),
        ("email", "by-hand@example.com"),
    ];
    for (protocol, address) in by_hand {
        sns.subscribe()
            .topic_arn(&topic_arn)
            .protocol(protocol)
            .endpoint(address)
            .send()
            .await
            .unwrap();
    }
    let fewer = spec(&BUILTIN, "prod", "ops@example.com");
    let pruned = plan_for(&session.reads, &fewer, true).await.unwrap();
    assert_eq!(
        text_of(&pruned),
        "- subscription email:oncall@example.com\nPlan: 0 to create, 0 to update, 1 to delete.\n",
        "only the subscription monitui made and the spec dropped"
    );
    apply(session, &fewer, audit).await.unwrap();
    assert_eq!(
        subscriptions(&sns, &topic_arn).await,
        [
            ("email".to_string(), "by-hand@example.com".to_string()),
            ("email".into(), "ops@example.com".into()),
            ("http".into(), "http://127.0.0.1:9/pagerduty".into()),
            (
                "sqs".into(),
                "arn:aws:sqs:us-east-1:000000000000:pager-queue".into()
            ),
        ]
    );
    let tags = sns
        .list_tags_for_resource()
        .resource_arn(&topic_arn)
        .send()
        .await
        .unwrap();
    let ledger = tags
        .tags()
        .iter()
        .find(|t| t.key() == "monitui:subscriptions")
        .map(|t| t.value().to_string());
    assert_eq!(ledger.as_deref(), Some("email:ops@example.com"));
    let none = spec(&BUILTIN, "prod", "");
    let pruned = plan_for(&session.reads, &none, true).await.unwrap();
    assert_eq!(pruned.counts(), (0, 0, 1), "{}", text_of(&pruned));
    apply(session, &none, audit).await.unwrap();
    assert_eq!(
        subscriptions(&sns, &topic_arn).await.len(),
        3,
        "the three made by hand"
    );
    assert_settled(session, &none, true).await;
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn an_alarm_update_keeps_its_silence_and_disabled_actions() {
    use std::sync::Arc;
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    apply(session, &desired(&BUILTIN), audit).await.unwrap();
    let name = format!("{PREFIX}-lambda-errors");
    let actions = monitui::data::AlarmActions::new(
        Arc::clone(session),
        &support::aws_env(&endpoint),
        Arc::new(monitui::model::SystemClock),
        audit.clone(),
    );
    actions
        .silence(&name, std::time::Duration::from_secs(3600), "deploy window")
        .await
        .unwrap();
    let changed = desired(&BUILTIN.replace("threshold = 10\n", "threshold = 20\n"));
    let plan = plan_for(&session.reads, &changed, false).await.unwrap();
    assert_eq!(
        text_of(&plan),
        format!(
            "~ alarm {name}\n    threshold: 10.0 -> 20.0\nPlan: 0 to create, 1 to update, 0 to delete.\n"
        )
    );
    apply(session, &changed, audit).await.unwrap();

    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    let found = cw
        .describe_alarms()
        .alarm_names(&name)
        .send()
        .await
        .unwrap();
    let alarm = &found.metric_alarms()[0];
    assert_eq!(alarm.threshold(), Some(20.0), "the update was made");
    assert_eq!(
        alarm.actions_enabled(),
        Some(false),
        "the silence still holds"
    );
    let tags = cw
        .list_tags_for_resource()
        .resource_arn(alarm.alarm_arn().unwrap())
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = tags.tags().iter().map(|t| t.key().unwrap()).collect();
    for key in [
        "monitui:managed",
        "monitui:silence-until",
        "monitui:silence-method",
    ] {
        assert!(keys.contains(&key), "{key} kept: {keys:?}");
    }
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn an_alarm_made_by_hand_while_apply_waited_is_a_conflict_not_overwritten() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let d = desired(&BUILTIN);
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    let name = format!("{PREFIX}-lambda-errors");
    let cw = aws_sdk_cloudwatch::Client::new(&support::sdk_config(&endpoint).await);
    support::put_alarm(&cw, &name).await;

    let mut lines = Vec::new();
    let err = Provisioner::new(session, audit, &monitui::model::SystemClock)
        .apply(&d, &plan, &mut |p| {
            if let Some(outcome) = p.outcome {
                lines.push((p.step.name.clone(), outcome));
            }
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ProvisionError::Changed { name: n, .. } if *n == name),
        "{err}"
    );
    let (last, outcome) = lines.last().unwrap();
    assert_eq!(last, &name);
    assert!(
        outcome
            .as_ref()
            .unwrap_err()
            .contains("appeared since the plan"),
        "{outcome:?}"
    );
    let found = cw
        .describe_alarms()
        .alarm_names(&name)
        .send()
        .await
        .unwrap();
    let alarm = &found.metric_alarms()[0];
    assert_eq!(alarm.threshold(), Some(5.0), "the hand-made alarm stands");
    assert!(alarm.alarm_actions().is_empty());
    let entry = audit.read().unwrap().pop().unwrap();
    assert_eq!(entry.alarm, format!("alarm {name}"));
    assert_eq!(entry.result, monitui::data::audit::AuditResult::Failed);
    assert!(entry.message.contains("appeared since the plan"));
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn prune_never_deletes_a_topic_with_a_subscription_monitui_did_not_make() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    apply(session, &desired(&BUILTIN), audit).await.unwrap();
    let sns = aws_sdk_sns::Client::new(&support::sdk_config(&endpoint).await);
    let managed_tag = aws_sdk_sns::types::Tag::builder()
        .key("monitui:managed")
        .value(PREFIX)
        .build()
        .unwrap();
    let old = sns
        .create_topic()
        .name(format!("{PREFIX}-old-alerts"))
        .tags(managed_tag)
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    let queue = "arn:aws:sqs:us-east-1:000000000000:pager-queue";
    sns.subscribe()
        .topic_arn(&old)
        .protocol("sqs")
        .endpoint(queue)
        .send()
        .await
        .unwrap();
    let d = desired(&BUILTIN);
    let pruned = plan_for(&session.reads, &d, true).await.unwrap();
    assert_eq!(
        text_of(&pruned),
        format!("- topic {PREFIX}-old-alerts\nPlan: 0 to create, 0 to update, 1 to delete.\n")
    );
    let err = apply(session, &d, audit).await.unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "topic {PREFIX}-old-alerts has subscriptions monitui did not make (sqs:{queue})"
        )),
        "{err}"
    );
    assert!(
        subscriptions(&sns, &old)
            .await
            .contains(&("sqs".to_string(), queue.to_string())),
        "the hand-made subscription and its topic stand"
    );
}
