use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;
use crate::model::stack::Kind;

fn env_vars(stage: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("prefix".into(), "shop".into()),
        ("region".into(), "eu-west-1".into()),
        ("stage".into(), stage.into()),
        ("account".into(), "123456789012".into()),
        ("partition".into(), "aws".into()),
    ])
}

fn cli_vars() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("kms_key".into(), "arn:aws:kms:eu-west-1:1:key/k".into()),
        (
            "alert_emails".into(),
            "ops@example.com, oncall@example.com".into(),
        ),
        ("data_lake_bucket".into(), "shop-lake".into()),
    ])
}

fn parse_text(
    text: &str,
    stage: &str,
    cli: &BTreeMap<String, String>,
) -> Result<Desired, SpecError> {
    parse(&SpecSource {
        file: Path::new("stack.toml"),
        text,
        env_vars: &env_vars(stage),
        cli_vars: cli,
    })
}

fn of_kind(d: &Desired, kind: Kind) -> Vec<&Resource> {
    d.resources.iter().filter(|r| r.kind() == kind).collect()
}

#[test]
fn the_builtin_spec_is_the_seed_stack() {
    let d = parse_text(BUILTIN, "prod", &cli_vars()).unwrap();
    assert_eq!(d.prefix, "shop");
    let counts: Vec<usize> = Kind::ALL.iter().map(|k| of_kind(&d, *k).len()).collect();
    // Alarms: the seed's four, then per target (five, each with alarms)
    // four burn-rate window alarms and two composites.
    assert_eq!(counts, [1, 2, 10, 1, 1, 1, 4 + 5 * 4, 5 * 2, 3]);
    let kinds: Vec<Kind> = d.resources.iter().map(Resource::kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted, "resources come in apply order");
    let Resource::Topic(topic) = of_kind(&d, Kind::Topic)[0] else {
        unreachable!()
    };
    assert_eq!(topic.name, "shop-alerts");
    assert_eq!(
        topic.kms_key.as_deref(),
        Some("arn:aws:kms:eu-west-1:1:key/k")
    );
    assert_eq!(
        topic.dashboards,
        [
            "shop-api-performance",
            "shop-data-pipeline",
            "shop-ml-performance"
        ]
    );
    for group in of_kind(&d, Kind::LogGroup) {
        let Resource::LogGroup(g) = group else {
            unreachable!()
        };
        assert_eq!(g.retention_days, Some(30));
        assert_eq!(g.kms_key.as_deref(), Some("arn:aws:kms:eu-west-1:1:key/k"));
    }
    assert!(
        of_kind(&d, Kind::LogGroup)
            .iter()
            .any(|g| g.name() == "/aws/batch/job")
    );
    assert_eq!(
        d.shared,
        BTreeSet::from([(Kind::LogGroup, "/aws/batch/job".to_string())]),
        "the group every Batch job writes to is shared, not claimed"
    );
    assert!(!d.adopt_shared);
    let Resource::Trail(trail) = of_kind(&d, Kind::Trail)[0] else {
        unreachable!()
    };
    assert!(trail.multi_region && trail.log_file_validation && trail.lambda_data_events);
    assert_eq!(trail.s3_data_buckets, ["shop-lake"]);
    assert_eq!(trail.log_group.as_deref(), Some("/aws/cloudtrail/shop"));
    let Resource::Bucket(bucket) = of_kind(&d, Kind::Bucket)[0] else {
        unreachable!()
    };
    assert!(bucket.public_access_blocked);
    assert_eq!(bucket.name, trail.bucket);
    let Resource::Role(role) = of_kind(&d, Kind::Role)[0] else {
        unreachable!()
    };
    assert_eq!(Some(&role.name), trail.role.as_ref());
    let thresholds: BTreeMap<String, (f64, String)> = of_kind(&d, Kind::Alarm)
        .into_iter()
        .map(|a| {
            let Resource::Alarm(a) = a else {
                unreachable!()
            };
            // A burn-rate window alarm notifies nobody: its composite does.
            let topics: &[&str] = if a.name.contains("-burn-") {
                &[]
            } else {
                &["shop-alerts"]
            };
            assert_eq!(a.topics, topics, "{}", a.name);
            (a.name.clone(), (a.threshold, a.comparison.clone()))
        })
        .collect();
    assert_eq!(
        thresholds["shop-dms-replication-lag"],
        (300.0, "GreaterThanThreshold".into())
    );
    assert_eq!(
        thresholds["shop-lambda-errors"],
        (10.0, "GreaterThanThreshold".into())
    );
    assert_eq!(
        thresholds["shop-api-5xx-errors"],
        (5.0, "GreaterThanThreshold".into())
    );
    assert_eq!(
        thresholds["shop-batch-job-failures"],
        (1.0, "GreaterThanOrEqualToThreshold".into())
    );
    let Resource::Dashboard(dash) = of_kind(&d, Kind::Dashboard)[0] else {
        unreachable!()
    };
    assert_eq!(dash.name, "shop-data-pipeline");
    assert!(!dash.body.to_string().contains("${prefix}"));
    assert!(dash.body.to_string().contains("shop-cdc-task"));
}

#[test]
fn retention_follows_the_stage() {
    for (stage, days) in [("dev", 7), ("staging", 14), ("prod", 30)] {
        let d = parse_text(BUILTIN, stage, &cli_vars()).unwrap();
        let Resource::LogGroup(g) = of_kind(&d, Kind::LogGroup)[0] else {
            unreachable!()
        };
        assert_eq!(g.retention_days, Some(days), "{stage}");
    }
}

#[test]
fn a_missing_variable_is_named_with_its_line_and_field() {
    let mut cli = cli_vars();
    cli.remove("kms_key");
    let err = parse_text(BUILTIN, "dev", &cli).unwrap_err();
    let line = BUILTIN
        .lines()
        .position(|l| l.starts_with("kms_key = \"${kms_key}\""))
        .unwrap()
        + 1;
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "stack.toml:{line}: topic.kms_key: missing variable 'kms_key'"
        )),
        "{text}"
    );
}

#[test]
fn vars_in_the_file_count_and_cli_vars_win() {
    let text = BUILTIN.replacen(
        "\n[vars]\n",
        "\n[vars]\nkms_key = \"file-key\"\nalert_emails = \"a@example.com\"\ndata_lake_bucket = \"lake\"\n",
        1,
    );
    let d = parse_text(&text, "dev", &BTreeMap::new()).unwrap();
    assert_eq!(of_kind(&d, Kind::Subscription).len(), 1);
    let cli = BTreeMap::from([("kms_key".to_string(), "cli-key".to_string())]);
    let d = parse_text(&text, "dev", &cli).unwrap();
    let Resource::Topic(t) = &d.resources[0] else {
        unreachable!()
    };
    assert_eq!(t.kms_key.as_deref(), Some("cli-key"));
    let cli = BTreeMap::from([("kms_key".to_string(), String::new())]);
    let d = parse_text(&text, "dev", &cli).unwrap();
    let Resource::Topic(t) = &d.resources[0] else {
        unreachable!()
    };
    assert_eq!(t.kms_key, None, "an empty value means no key");
}

#[test]
fn e_mails_must_fit_the_topics_record_of_its_subscriptions() {
    let with = |emails: &str| {
        let mut cli = cli_vars();
        cli.insert("alert_emails".into(), emails.into());
        parse_text(BUILTIN, "prod", &cli).unwrap_err().to_string()
    };
    let line = line_of(BUILTIN, "emails = \"${alert_emails}\"");
    assert_eq!(
        with("o'brien@example.com"),
        format!(
            "stack.toml:{line}: topic.emails: 'o'brien@example.com' has characters an SNS tag cannot hold, so monitui could not record making its subscription"
        )
    );
    let many: Vec<String> = (0..12).map(|i| format!("oncall-{i}@example.com")).collect();
    assert!(with(&many.join(",")).ends_with(
        "the subscriptions add up to more than the 256 characters the topic's tag can record"
    ));
}

#[test]
fn a_spec_cannot_set_the_envs_own_variables() {
    for name in crate::provision::vars::ENV_ONLY {
        let text = BUILTIN.replacen("\n[vars]\n", &format!("\n[vars]\n{name} = \"teamb\"\n"), 1);
        let e = parse_text(&text, "prod", &cli_vars())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "stack.toml:{}: vars.{name}: '{name}' comes from the env (pick it with --env), never from the spec: remove this line",
                line_of(&text, &format!("{name} = \"teamb\""))
            )
        );
    }
    let mut cli = cli_vars();
    cli.insert("prefix".into(), "teamb".into());
    let d = parse_text(BUILTIN, "prod", &cli).unwrap();
    assert_eq!(d.prefix, "shop", "the env's prefix stands");
    assert!(d.resources.iter().all(|r| !r.name().contains("teamb")));
}

fn error_of(text: &str) -> String {
    parse_text(text, "dev", &cli_vars())
        .unwrap_err()
        .to_string()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_fields_name_file_line_and_field() {
    let text = BUILTIN.replace(
        "comparison = \"GreaterThanOrEqualToThreshold\"",
        "comparison = \">=\"",
    );
    let e = error_of(&text);
    assert!(
        e.starts_with(&format!(
            "stack.toml:{}: alarms[3].comparison:",
            line_of(&text, "\">=\"")
        )),
        "{e}"
    );

    let text = BUILTIN.replace("period = 60\n", "period = 45\n");
    let e = error_of(&text);
    assert!(
        e.contains("alarms[0].period: 45 s is not 10, 30 or a multiple of 60"),
        "{e}"
    );

    let text = BUILTIN.replace("prod = 30", "prod = 31");
    assert!(
        parse_text(&text, "prod", &cli_vars())
            .unwrap_err()
            .to_string()
            .contains("31 days is not a retention")
    );

    let text = BUILTIN.replace("ops@example.com", "x");
    let mut cli = cli_vars();
    cli.insert("alert_emails".into(), "not-an-address".into());
    let e = parse_text(&text, "dev", &cli).unwrap_err().to_string();
    assert!(
        e.contains("topic.emails: 'not-an-address' is not an e-mail address"),
        "{e}"
    );

    let text = BUILTIN.replace("threshold = 10\n", "threshold = \"ten\"\n");
    let e = error_of(&text);
    assert!(
        e.starts_with(&format!("stack.toml:{}:", line_of(&text, "\"ten\""))),
        "{e}"
    );

    let text = BUILTIN.replace("multi_region = true", "multi_regoin = true");
    let e = error_of(&text);
    assert!(
        e.starts_with(&format!("stack.toml:{}:", line_of(&text, "multi_regoin"))),
        "{e}"
    );
    assert!(e.contains("multi_regoin"), "{e}");
}

#[test]
fn duplicates_are_refused_where_they_repeat() {
    let text = BUILTIN.replace(
        "\"/aws/batch/job\"",
        "\"/aws/lambda/${prefix}-auth-service\"",
    );
    let e = error_of(&text);
    assert!(
        e.contains("log_groups.shared[0]: '/aws/lambda/shop-auth-service' appears twice"),
        "{e}"
    );
}

#[test]
fn dashboard_bodies_are_checked_before_anything_is_sent() {
    let bad_json =
        format!("{BUILTIN}\n[[dashboards]]\nname = \"extra\"\nbody = '{{\"widgets\": [}}'\n");
    let e = error_of(&bad_json);
    assert!(
        e.contains("dashboards[3].body: not a dashboard body: not valid JSON"),
        "{e}"
    );
    let bad_widget = format!(
        "{BUILTIN}\n[[dashboards]]\nname = \"extra\"\nbody = '{{\"widgets\": [{{\"type\": \"metric\", \"properties\": {{\"metrics\": 5}}}}]}}'\n"
    );
    let e = error_of(&bad_widget);
    assert!(
        e.contains("dashboards[3].body: dashboard body has unusable widgets"),
        "{e}"
    );
    let unknown = BUILTIN.replace("builtin = \"ml-performance\"", "builtin = \"nope\"");
    assert!(error_of(&unknown).contains(
        "'nope' is not a built-in dashboard (api-performance, data-pipeline, ml-performance)"
    ));
    let both = BUILTIN.replace(
        "builtin = \"ml-performance\"",
        "builtin = \"ml-performance\"\nbody = '{}'",
    );
    assert!(error_of(&both).contains("give exactly one of builtin, body_file and body"));
}

#[test]
fn body_files_are_read_relative_to_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.json"),
        r#"{"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2, "properties": {"markdown": "${prefix}"}}]}"#,
    )
    .unwrap();
    let text = BUILTIN.replace("builtin = \"ml-performance\"", "body_file = \"mine.json\"");
    let d = parse(&SpecSource {
        file: &dir.path().join("stack.toml"),
        text: &text,
        env_vars: &env_vars("dev"),
        cli_vars: &cli_vars(),
    })
    .unwrap();
    let Resource::Dashboard(dash) = of_kind(&d, Kind::Dashboard)[2] else {
        unreachable!()
    };
    assert_eq!(dash.body["widgets"][0]["properties"]["markdown"], "shop");
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let e = error_of("[topic]\nname = \"x\"\nkms_key = \n");
    assert!(e.starts_with("stack.toml:3:"), "{e}");
}

#[test]
fn the_trail_s_documents_name_the_account_its_trail_and_the_boundary() {
    let d = parse_text(BUILTIN, "prod", &cli_vars()).unwrap();
    let trail_arn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/shop-audit-trail";
    let Resource::Bucket(bucket) = of_kind(&d, Kind::Bucket)[0] else {
        unreachable!()
    };
    let policy = bucket.policy.as_ref().unwrap();
    assert_eq!(
        policy["Statement"][1]["Resource"],
        "arn:aws:s3:::shop-cloudtrail-logs/AWSLogs/123456789012/*"
    );
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"]["aws:SourceArn"],
        trail_arn
    );
    let Resource::Role(role) = of_kind(&d, Kind::Role)[0] else {
        unreachable!()
    };
    assert_eq!(
        role.trust_policy["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"],
        "123456789012"
    );
    assert_eq!(
        role.permissions_boundary.as_deref(),
        Some("arn:aws:iam::123456789012:policy/shop-monitui-boundary")
    );
}

#[test]
fn a_trail_needs_the_account_from_the_env() {
    let mut env = env_vars("prod");
    env.remove("account");
    let err = parse(&SpecSource {
        file: Path::new("stack.toml"),
        text: BUILTIN,
        env_vars: &env,
        cli_vars: &cli_vars(),
    })
    .unwrap_err();
    assert!(err.to_string().contains("no account"), "{err}");
}

#[test]
fn the_builtin_spec_carries_the_seed_s_five_targets() {
    use crate::model::slo::Sli;
    let d = parse_text(BUILTIN, "prod", &cli_vars()).unwrap();
    let names: Vec<&str> = d.slos.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "shop-dms-lag",
            "shop-api-5xx-rate",
            "shop-lambda-error-rate",
            "shop-lambda-duration",
            "shop-batch-failure-rate"
        ]
    );
    let objectives: Vec<f64> = d.slos.iter().map(|s| s.objective).collect();
    assert_eq!(objectives, [99.0, 99.0, 99.0, 99.0, 95.0]);
    assert!(d.slos.iter().all(|s| s.window_secs == 30 * 86_400));
    assert_eq!(
        d.slos[0].sli,
        Sli::Threshold {
            good: "mlag < 300".into()
        }
    );
    let dms = &d.slos[0].metrics[0].metric;
    assert_eq!(
        dms.display_name(),
        "AWS/DMS CDCLatencySource ReplicationInstanceIdentifier=shop-dms ReplicationTaskIdentifier=shop-cdc-task"
    );
    assert_eq!(d.slos[1].sli_text(), "100 * (m5xx) / (mcount)");
    assert_eq!(d.slos[3].metrics[0].stat, "p99");
}

#[test]
fn the_targets_alone_need_only_their_own_variables() {
    let slos = slos(&SpecSource {
        file: Path::new("stack.toml"),
        text: BUILTIN,
        env_vars: &BTreeMap::from([("prefix".to_string(), "shop".to_string())]),
        cli_vars: &BTreeMap::new(),
    })
    .unwrap();
    assert_eq!(slos.len(), 5);
}

#[test]
fn a_bad_target_names_file_line_and_field() {
    let text = BUILTIN.replace("objective = 95", "objective = 105");
    let e = error_of(&text);
    assert!(
        e.starts_with(&format!(
            "stack.toml:{}: slos[4].objective: 105 is not a percentage",
            line_of(&text, "objective = 105")
        )),
        "{e}"
    );
    let text = BUILTIN.replace(
        "ReplicationTaskIdentifier = \"${prefix}-cdc-task\" }, statistic",
        "ReplicationTaskIdentifier = \"${task}\" }, statistic",
    );
    let e = error_of(&text);
    assert!(
        e.starts_with(&format!(
            "stack.toml:{}: slos[0].metrics.mlag.dimensions.ReplicationTaskIdentifier: missing variable 'task'",
            line_of(&text, "${task}")
        )),
        "{e}"
    );
    let text = BUILTIN
        .replace("metrics.mduration", "metrics.mlag")
        .replace("mduration < 30000", "mlag < 30000");
    let e = error_of(&text);
    assert!(
        e.contains("slos[3].metrics.mlag: id 'mlag' is used by an earlier target"),
        "{e}"
    );
}

#[test]
fn a_burn_rate_alarm_name_taken_by_an_alarm_names_the_target_s_line() {
    let text = BUILTIN.replacen(
        "name = \"${prefix}-lambda-errors\"",
        "name = \"${prefix}-dms-lag-burn-fast-1h\"",
        1,
    );
    let err = parse_text(&text, "prod", &cli_vars()).unwrap_err();
    let line = 1 + BUILTIN[..BUILTIN.find("name = \"${prefix}-dms-lag\"").unwrap()]
        .matches('\n')
        .count();
    assert_eq!(
        err.to_string(),
        format!("stack.toml:{line}: slos[0].name: 'shop-dms-lag-burn-fast-1h' appears twice")
    );
}
