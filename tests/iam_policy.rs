//! `iam-policy` covers every AWS operation monitui calls, and only what
//! IAM accepts. The operations are read from the aws provider's source
//! (every method called on an SDK client, not a hand list), turned into
//! IAM actions, and compared with the permission table both ways: nothing
//! called is missing, nothing listed is unused; a create whose call sends
//! tags needs the service's tagging action too. Every action of every
//! policy document monitui writes (the role policies and the trail's
//! documents) is checked against a copy of IAM's list of actions
//! (`tests/fixtures/iam`, see its PROVENANCE.md): the action exists, its
//! resources are ARNs of its resource types (or `*` where it has none), and
//! its condition keys are ones IAM evaluates for it.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use monitui::model::stack::{DASHBOARDS_TAG, Resource, managed_tags};
use monitui::provider::permissions::{
    PERMISSIONS, Role, STACK_TAG_KEYS, Target, iam_action, policy,
};
use monitui::provision::policies::{
    Home, boundary_policy, bucket_policy, role_policy, role_trust_policy,
};
use monitui::provision::spec::{BUILTIN, SpecSource, parse};
use regex::Regex;
use serde_json::{Value, json};

/// One SDK call in the provider's source.
#[derive(Debug, Clone)]
struct Call {
    /// The IAM actions it needs (none for `sts:GetCallerIdentity`).
    actions: Vec<String>,
    /// Whether its request builder sets tags (`.tags(`, `.set_tags(`,
    /// `.tags_list(`, `.set_tags_list(`) before it is sent.
    sends_tags: bool,
    /// The file it is in.
    file: String,
}

/// The request builder of the call starting at `from`: its text up to
/// the `.send()` that sends it.
fn builder_chain(source: &str, from: usize) -> &str {
    let rest = &source[from..];
    let end = Regex::new(r"\.\s*send\(\)").unwrap();
    end.find(rest).map_or(rest, |m| &rest[..m.start()])
}

/// Every SDK call of the aws provider.
fn calls_in_provider_source() -> Vec<Call> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/provider/aws");
    // `name: &Client` / `name: &aws_sdk_x::Client` bind a client variable;
    // `use aws_sdk_x::Client` says which crate a bare `Client` is.
    let binding = Regex::new(r"(\w+):\s*&(?:aws_sdk_(\w+)::)?Client\b").unwrap();
    let import = Regex::new(r"use aws_sdk_(\w+)::Client;").unwrap();
    // The clients' lazy accessors (`fn sns(&self) -> &aws_sdk_sns::Client`),
    // called as `p.reads.sns().subscribe()` by the provider files.
    let accessor = Regex::new(r"fn (\w+)\(&self\)\s*->\s*&aws_sdk_(\w+)::Client\b").unwrap();
    let tags = Regex::new(r"\.\s*(?:set_)?tags(?:_list)?\(").unwrap();
    let client_source = std::fs::read_to_string(dir.join("client.rs")).unwrap();
    let fields: Vec<(String, String)> = accessor
        .captures_iter(&client_source)
        .map(|c| (format!(r"{}\(\)", &c[1]), c[2].to_string()))
        .collect();
    assert!(
        fields.len() >= 7,
        "the scan must find every service's client accessor in client.rs: {fields:?}"
    );
    let mut found = Vec::new();
    let mut files = vec![dir];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut clients: Vec<(String, String)> = fields
            .iter()
            .map(|(name, sdk)| (format!(r"\.\s*{name}"), sdk.clone()))
            .collect();
        let bare = import.captures(&source).map(|c| c[1].to_string());
        for bound in binding.captures_iter(&source) {
            let sdk = bound
                .get(2)
                .map(|m| m.as_str().to_string())
                .or_else(|| bare.clone())
                .unwrap_or_else(|| panic!("{}: a Client of no known crate", path.display()));
            clients.push((format!(r"\b{}", &bound[1]), sdk));
        }
        for (client, sdk) in clients {
            let call = Regex::new(&format!(r"{client}\s*\.\s*([a-z][a-z0-9_]*)\(\)")).unwrap();
            for op in call.captures_iter(&source) {
                let chain = builder_chain(&source, op.get(0).unwrap().start());
                found.push(Call {
                    actions: iam_action(&sdk, &camel(&op[1])),
                    sends_tags: tags.is_match(chain),
                    file: file.clone(),
                });
            }
        }
    }
    found
}

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn fixture(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/fixtures/iam", name]
        .iter()
        .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of a fixture: tab-separated fields, comments and blanks left out.
fn rows(name: &str) -> Vec<Vec<String>> {
    fixture(name)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn list(field: Option<&String>) -> Vec<String> {
    field
        .map(|f| {
            f.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// One action of IAM's list.
#[derive(Debug)]
struct IamAction {
    /// Read, List, Write, Tagging or Permissions management.
    access: String,
    /// Resource types, and whether each is required.
    resource_types: Vec<(String, bool)>,
    /// Action-level condition keys.
    condition_keys: Vec<String>,
}

/// IAM's actions (`service:Action` -> what the reference says of it).
fn iam_actions() -> BTreeMap<String, IamAction> {
    rows("actions.tsv")
        .into_iter()
        .map(|row| {
            let resource_types = list(row.get(2))
                .into_iter()
                .map(|t| match t.strip_suffix('*') {
                    Some(required) => (required.to_string(), true),
                    None => (t, false),
                })
                .collect();
            let action = IamAction {
                access: row[1].clone(),
                resource_types,
                condition_keys: list(row.get(3)),
            };
            (row[0].clone(), action)
        })
        .collect()
}

/// `(service, resource type)` -> a regex matching its ARNs.
fn resource_types() -> BTreeMap<(String, String), Regex> {
    let variable = Regex::new(r"\$\{(\w+)\}").unwrap();
    rows("resource-types.tsv")
        .into_iter()
        .map(|row| {
            let mut pattern = String::from("^");
            let mut last = 0;
            for v in variable.captures_iter(&row[2]) {
                let whole = v.get(0).unwrap();
                pattern.push_str(&regex::escape(&row[2][last..whole.start()]));
                pattern.push_str(match &v[1] {
                    "Partition" => "aws(?:-[a-z]+)*",
                    "Region" | "Account" => "[^:/]+",
                    _ => ".+",
                });
                last = whole.end();
            }
            pattern.push_str(&regex::escape(&row[2][last..]));
            pattern.push('$');
            (
                (row[0].clone(), row[1].clone()),
                Regex::new(&pattern).unwrap(),
            )
        })
        .collect()
}

/// Create action -> the tagging actions one of which it needs with tags.
fn tag_on_create() -> BTreeMap<String, Vec<String>> {
    rows("tag-on-create.tsv")
        .into_iter()
        .map(|row| (row[0].clone(), list(row.get(1))))
        .collect()
}

fn global_condition_keys() -> BTreeSet<String> {
    fixture("global-condition-keys.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The calls that create something and send its tags with the request
/// (a tagging call itself sends tags too, and needs nothing more).
fn creates_with_tags() -> Vec<Call> {
    let actions = iam_actions();
    calls_in_provider_source()
        .into_iter()
        .filter(|c| {
            c.sends_tags
                && c.actions
                    .first()
                    .and_then(|a| actions.get(a))
                    .is_some_and(|a| a.access != "Tagging")
        })
        .collect()
}

/// IAM actions the provider's calls need (the tagging action a create with
/// tags needs included, as the alternatives IAM accepts) -> the files.
fn actions_needed() -> BTreeMap<String, BTreeSet<String>> {
    let creates = tag_on_create();
    let mut needed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for call in calls_in_provider_source() {
        for action in &call.actions {
            needed
                .entry(action.clone())
                .or_default()
                .insert(call.file.clone());
        }
    }
    for call in creates_with_tags() {
        let create = &call.actions[0];
        let tagging = creates.get(create).unwrap_or_else(|| {
            panic!(
                "{create} ({}) sends tags: add the tagging action it needs to tests/fixtures/iam/tag-on-create.tsv",
                call.file
            )
        });
        // IAM accepts any one of the alternatives: the granted one, or
        // the first (then reported missing).
        let action = tagging
            .iter()
            .find(|t| PERMISSIONS.iter().any(|p| p.action == t.as_str()))
            .unwrap_or(&tagging[0]);
        needed
            .entry(action.clone())
            .or_default()
            .insert(format!("{} (tags of {create})", call.file));
    }
    needed
}

/// A target naming every kind of stack resource, in a partition that is
/// not `aws`, so a hard-coded `arn:aws:` shows.
fn target() -> Target {
    Target {
        buckets: vec!["shop-cloudtrail-logs".into()],
        roles: vec!["shop-cloudtrail-to-logs".into()],
        other_log_groups: vec!["/aws/batch/job".into()],
        ..Target::account_only("aws-cn", "123456789012", "shop")
    }
}

/// Every statement of `document` with its actions as a list.
fn statements(document: &Value) -> Vec<(&Value, Vec<String>)> {
    document["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let actions = match &s["Action"] {
                Value::String(a) => vec![a.clone()],
                Value::Array(a) => a.iter().map(|a| a.as_str().unwrap().to_string()).collect(),
                other => panic!("Action {other}"),
            };
            (s, actions)
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
        other => panic!("not a string or list: {other}"),
    }
}

/// What is wrong with `document` according to IAM's list, one line each.
fn iam_rejects(document: &Value) -> Vec<String> {
    let actions = iam_actions();
    let types = resource_types();
    let globals = global_condition_keys();
    let mut wrong = Vec::new();
    for (statement, granted) in statements(document) {
        let resources = strings(&statement["Resource"]);
        let keys: Vec<String> = statement["Condition"]
            .as_object()
            .into_iter()
            .flat_map(|ops| ops.values())
            .flat_map(|block| block.as_object().unwrap().keys().cloned())
            .collect();
        for name in &granted {
            let Some(action) = actions.get(name) else {
                wrong.push(format!("{name}: no such IAM action"));
                continue;
            };
            let service = name.split(':').next().unwrap().to_string();
            for key in &keys {
                if !globals.contains(key) && !action.condition_keys.contains(key) {
                    wrong.push(format!("{name}: IAM does not evaluate {key} for it"));
                }
            }
            if resources.iter().any(|r| r == "*") {
                continue;
            }
            if resources.is_empty() {
                // A resource policy or trust policy: the resource is its own.
                continue;
            }
            if action.resource_types.is_empty() {
                wrong.push(format!(
                    "{name}: has no resource type, so it needs Resource \"*\", not {resources:?}"
                ));
                continue;
            }
            let type_of = |arn: &str| {
                // A policy's `*` stands for some text: try the ARN with
                // each wildcard as a plain name.
                let concrete = arn.replace('*', "x");
                action
                    .resource_types
                    .iter()
                    .find(|(t, _)| {
                        types
                            .get(&(service.clone(), t.clone()))
                            .unwrap_or_else(|| panic!("{service} has no resource type {t}"))
                            .is_match(&concrete)
                    })
                    .map(|(t, _)| t.clone())
            };
            let mut covered = BTreeSet::new();
            for arn in &resources {
                match type_of(arn) {
                    Some(t) => {
                        covered.insert(t);
                    }
                    None => wrong.push(format!("{name}: {arn} is none of its resource types")),
                }
            }
            for (t, required) in &action.resource_types {
                if *required && !covered.contains(t) {
                    wrong.push(format!("{name}: needs a {t} resource, has {resources:?}"));
                }
            }
        }
    }
    wrong
}

/// The trail's documents as the spec makes them.
fn trail_documents() -> Vec<(&'static str, Value)> {
    let home = Home {
        partition: "aws-us-gov".into(),
        account: "123456789012".into(),
        region: "us-gov-west-1".into(),
    };
    vec![
        (
            "bucket policy",
            bucket_policy(&home, "shop-cloudtrail-logs", "shop-audit-trail"),
        ),
        ("trust policy", role_trust_policy(&home, "shop-audit-trail")),
        ("role policy", role_policy(&home, "/aws/cloudtrail/shop")),
        (
            "boundary",
            boundary_policy("aws-us-gov", "123456789012", "shop"),
        ),
    ]
}

#[test]
fn the_source_scan_finds_the_calls_it_should() {
    let calls = calls_in_provider_source();
    let called: BTreeSet<&str> = calls
        .iter()
        .flat_map(|c| &c.actions)
        .map(String::as_str)
        .collect();
    for action in [
        "cloudwatch:DescribeAlarms",
        "sns:Publish",
        "logs:FilterLogEvents",
        "s3:PutEncryptionConfiguration",
        "iam:PassRole",
        "iam:PutRolePermissionsBoundary",
    ] {
        assert!(called.contains(action), "{action}: {called:?}");
    }
    assert!(
        !called.contains("sts:GetCallerIdentity"),
        "needs no permission"
    );
    let creates = creates_with_tags();
    let tagged: BTreeSet<&str> = creates.iter().map(|c| c.actions[0].as_str()).collect();
    for create in [
        "logs:CreateLogGroup",
        "iam:CreateRole",
        "sns:CreateTopic",
        "cloudwatch:PutMetricAlarm",
    ] {
        assert!(tagged.contains(create), "{create}: {tagged:?}");
    }
    assert!(
        !tagged.contains("s3:CreateBucket") && !tagged.contains("cloudtrail:CreateTrail"),
        "tagged afterwards by their own calls: {tagged:?}"
    );
}

#[test]
fn every_call_is_in_the_policy_and_every_listed_action_is_called() {
    let needed = actions_needed();
    let listed: BTreeSet<&str> = PERMISSIONS.iter().map(|p| p.action).collect();
    let missing: Vec<_> = needed
        .iter()
        .filter(|(a, _)| !listed.contains(a.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "called but not in any policy: {missing:?}"
    );
    let unused: Vec<_> = listed
        .iter()
        .filter(|a| !needed.contains_key(**a))
        .collect();
    assert!(unused.is_empty(), "granted but never called: {unused:?}");
}

#[test]
fn every_action_of_every_role_is_one_iam_accepts_on_those_resources() {
    for role in Role::ALL {
        let wrong = iam_rejects(&policy(role, &target()));
        assert!(wrong.is_empty(), "{}:\n{}", role.name(), wrong.join("\n"));
    }
}

#[test]
fn the_trail_s_documents_are_ones_iam_accepts() {
    for (name, document) in trail_documents() {
        let wrong = iam_rejects(&document);
        assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
    }
}

#[test]
fn the_check_catches_what_iam_would_refuse() {
    let bad = json!({"Statement": [
        {"Action": ["sns:Unsubscribe"], "Resource": "arn:aws:sns:*:123456789012:shop-*"},
        {"Action": ["cloudwatch:PutAlarmMuteRule"], "Resource": "arn:aws:cloudwatch:*:123456789012:alarm:shop-*"},
        {"Action": ["s3:CreateBucket"], "Resource": "arn:aws:iam::123456789012:role/shop-x"},
        {"Action": ["logs:CreateLogGroups"], "Resource": "*"},
        {"Action": ["iam:DeleteRole"], "Resource": "arn:aws:iam::123456789012:role/shop-x",
         "Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/b"}}}
    ]});
    let wrong = iam_rejects(&bad);
    for expected in [
        "sns:Unsubscribe: has no resource type",
        "cloudwatch:PutAlarmMuteRule: needs a alarm-mute-rule resource",
        "s3:CreateBucket: arn:aws:iam::123456789012:role/shop-x is none of its resource types",
        "logs:CreateLogGroups: no such IAM action",
        "iam:DeleteRole: IAM does not evaluate iam:PermissionsBoundary",
    ] {
        assert!(
            wrong.iter().any(|w| w.starts_with(expected)),
            "{expected}: {wrong:?}"
        );
    }
}

#[test]
fn every_create_that_sends_tags_may_tag_what_it_creates() {
    let creates = tag_on_create();
    let sent: BTreeSet<String> = managed_tags("shop")
        .into_keys()
        .chain([DASHBOARDS_TAG.to_string()])
        .collect();
    assert!(
        sent.iter().all(|k| STACK_TAG_KEYS.contains(&k.as_str())),
        "{sent:?}"
    );
    let tagged: BTreeSet<String> = creates_with_tags()
        .into_iter()
        .map(|c| c.actions[0].clone())
        .collect();
    assert!(!tagged.is_empty());
    let admin = policy(Role::Admin, &target());
    let granting = |action: &str| -> Vec<&Value> {
        statements(&admin)
            .into_iter()
            .filter(|(_, actions)| actions.iter().any(|a| a == action))
            .map(|(s, _)| s)
            .collect()
    };
    for create in tagged {
        let made_on: BTreeSet<String> = granting(&create)
            .iter()
            .flat_map(|s| strings(&s["Resource"]))
            .collect();
        assert!(!made_on.is_empty(), "{create} is not granted");
        let tagging = &creates[&create];
        let ok = tagging.iter().any(|tag_action| {
            granting(tag_action).iter().any(|s| {
                let on: BTreeSet<String> = strings(&s["Resource"]).into_iter().collect();
                let covers = on.contains("*") || made_on.is_subset(&on);
                let keys_allowed = match s["Condition"]
                    .as_object()
                    .and_then(|c| c.iter().find(|(op, _)| op.starts_with("ForAllValues:")))
                {
                    None => true,
                    Some((op, block)) => {
                        let patterns = strings(&block["aws:TagKeys"]);
                        sent.iter().all(|k| {
                            patterns.iter().any(|p| {
                                if op.ends_with("StringLike") {
                                    Regex::new(&format!(
                                        "^{}$",
                                        regex::escape(p).replace(r"\*", ".*")
                                    ))
                                    .unwrap()
                                    .is_match(k)
                                } else {
                                    p == k
                                }
                            })
                        })
                    }
                };
                covers && keys_allowed
            })
        });
        assert!(
            ok,
            "{create} sends tags, but no statement grants one of {tagging:?} on {made_on:?} for the tag keys {sent:?}"
        );
    }
}

#[test]
fn reads_belong_to_the_viewer_and_changes_to_the_roles_that_make_them() {
    let actions = iam_actions();
    for p in PERMISSIONS {
        let viewer = p.role == Role::Viewer;
        let name = p.action.split(':').nth(1).unwrap();
        let reads = ["Describe", "Get", "List", "Filter", "Lookup", "Head"]
            .iter()
            .any(|verb| name.starts_with(verb))
            || ["logs:StartQuery", "logs:StopQuery", "logs:StartLiveTail"].contains(&p.action);
        assert_eq!(viewer, reads, "{} is granted to {:?}", p.action, p.role);
        assert!(actions.contains_key(p.action), "{}", p.action);
    }
}

/// Writes the built-in spec and returns the args that point `iam-policy`
/// or `provision` at it.
fn builtin_spec_args(suite: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("monitui-{suite}-spec"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stack.toml");
    support::succeeds(support::demo_monitui(suite).args([
        "provision",
        "init",
        "--force",
        "--out",
        file.to_str().unwrap(),
    ]));
    [
        "--spec",
        file.to_str().unwrap(),
        "--var",
        "kms_key=arn:aws:kms:us-east-1:123456789012:key/k",
        "--var",
        "alert_emails=ops@example.com",
        "--var",
        "data_lake_bucket=shop-data-lake",
    ]
    .map(str::to_string)
    .to_vec()
}

#[test]
fn the_cli_prints_each_role_s_policy_for_the_account_and_the_spec_s_stack() {
    let spec = builtin_spec_args("iam-policy");
    // The demo account (partition aws, account 123456789012) and the
    // built-in spec's bucket, role and log groups outside the prefix.
    let mut demo = Target::account_only("aws", "123456789012", "shop");
    let env = BTreeMap::from(
        [
            ("prefix", "shop"),
            ("region", "us-east-1"),
            ("stage", "dev"),
            ("account", "123456789012"),
            ("partition", "aws"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let cli = BTreeMap::from(
        [
            ("kms_key", "k"),
            ("alert_emails", "ops@example.com"),
            ("data_lake_bucket", "shop-data-lake"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let builtin = parse(&SpecSource {
        file: Path::new("stack.toml"),
        text: BUILTIN,
        env_vars: &env,
        cli_vars: &cli,
    })
    .unwrap();
    for resource in builtin.resources {
        match resource {
            Resource::Bucket(b) => demo.buckets.push(b.name),
            Resource::Role(r) => demo.roles.push(r.name),
            Resource::LogGroup(g) if !g.name.contains("shop") => demo.other_log_groups.push(g.name),
            _ => {}
        }
    }
    assert_eq!(demo.buckets, ["shop-cloudtrail-logs"]);
    for role in Role::ALL {
        let out = support::succeeds(
            support::demo_monitui("iam-policy")
                .args(["iam-policy", "--role", role.name(), "--prefix", "shop"])
                .args(&spec),
        );
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected = if role == Role::Admin {
            policy(role, &demo)
        } else {
            policy(role, &Target::account_only("aws", "123456789012", "shop"))
        };
        assert_eq!(printed, expected, "{}", role.name());
    }
    let admin = String::from_utf8(
        support::succeeds(
            support::demo_monitui("iam-policy")
                .args(["iam-policy", "--role", "admin", "--prefix", "shop"])
                .args(&spec),
        )
        .stdout,
    )
    .unwrap();
    assert!(admin.contains("\"arn:aws:s3:::shop-cloudtrail-logs\""));
    assert!(
        !admin.contains("shop-data-lake") && !admin.contains("s3:::shop-*"),
        "{admin}"
    );
    let boundary: Value = serde_json::from_slice(
        &support::succeeds(support::demo_monitui("iam-policy").args([
            "iam-policy",
            "--boundary",
            "--prefix",
            "shop",
        ]))
        .stdout,
    )
    .unwrap();
    assert_eq!(boundary, boundary_policy("aws", "123456789012", "shop"));
    let out = support::demo_monitui("iam-policy")
        .args(["iam-policy", "--role", "root"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
