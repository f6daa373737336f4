//! `iam-policy` covers every AWS operation monitui calls: the operations
//! are read from the aws provider's source (every method called on an SDK
//! client, not a hand list), turned into IAM actions, and compared with the
//! permission table both ways: nothing called is missing, nothing listed is
//! unused. Each action's role is checked by what the call does: reads
//! belong to the viewer, changes to oncall or admin.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use monitui::provider::permissions::{PERMISSIONS, Role, iam_action};
use regex::Regex;

/// IAM action -> the provider files that call it.
fn actions_in_provider_source() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/provider/aws");
    // `name: &Client` / `name: &aws_sdk_x::Client` bind a client variable;
    // `use aws_sdk_x::Client` says which crate a bare `Client` is.
    let binding = Regex::new(r"(\w+):\s*&(?:aws_sdk_(\w+)::)?Client\b").unwrap();
    let import = Regex::new(r"use aws_sdk_(\w+)::Client;").unwrap();
    // `AwsProvider`'s own fields (`sns: aws_sdk_sns::Client`), called as
    // `p.sns.subscribe()` by the provisioning files.
    let field = Regex::new(r"(\w+):\s*aws_sdk_(\w+)::Client\b").unwrap();
    let provider_source = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
    let fields: Vec<(String, String)> = field
        .captures_iter(&provider_source)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
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
        for (name, sdk) in &fields {
            let call = Regex::new(&format!(r"\.\s*{name}\s*\.\s*([a-z][a-z0-9_]*)\(\)")).unwrap();
            for op in call.captures_iter(&source) {
                for action in iam_action(sdk, &camel(&op[1])) {
                    found.entry(action).or_default().insert(file.clone());
                }
            }
        }
        let bare = import.captures(&source).map(|c| c[1].to_string());
        for bound in binding.captures_iter(&source) {
            let sdk = bound
                .get(2)
                .map(|m| m.as_str().to_string())
                .or_else(|| bare.clone())
                .unwrap_or_else(|| panic!("{}: a Client of no known crate", path.display()));
            let call =
                Regex::new(&format!(r"\b{}\s*\.\s*([a-z][a-z0-9_]*)\(\)", &bound[1])).unwrap();
            for op in call.captures_iter(&source) {
                for action in iam_action(&sdk, &camel(&op[1])) {
                    found.entry(action).or_default().insert(file.clone());
                }
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

/// Whether an action only reads, by the verbs AWS names reads with.
fn reads_only(action: &str) -> bool {
    let name = action.split(':').nth(1).unwrap();
    ["Describe", "Get", "List", "Filter", "Lookup", "Head"]
        .iter()
        .any(|verb| name.starts_with(verb))
        || ["logs:StartQuery", "logs:StopQuery", "logs:StartLiveTail"].contains(&action)
}

#[test]
fn the_source_scan_finds_the_calls_it_should() {
    let found = actions_in_provider_source();
    assert!(found.contains_key("cloudwatch:DescribeAlarms"), "{found:?}");
    assert!(found.contains_key("sns:Publish"), "{found:?}");
    assert!(found.contains_key("logs:FilterLogEvents"), "{found:?}");
    assert!(
        found.contains_key("s3:PutEncryptionConfiguration"),
        "{found:?}"
    );
    assert!(found.contains_key("iam:PassRole"), "{found:?}");
    assert!(
        !found.contains_key("sts:GetCallerIdentity"),
        "needs no permission"
    );
}

#[test]
fn every_call_is_in_the_policy_and_every_listed_action_is_called() {
    let called = actions_in_provider_source();
    let listed: BTreeSet<&str> = PERMISSIONS.iter().map(|p| p.action).collect();
    let missing: Vec<_> = called
        .iter()
        .filter(|(a, _)| !listed.contains(a.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "called but not in any policy: {missing:?}"
    );
    let unused: Vec<_> = listed
        .iter()
        .filter(|a| !called.contains_key(**a))
        .collect();
    assert!(unused.is_empty(), "granted but never called: {unused:?}");
}

#[test]
fn reads_belong_to_the_viewer_and_changes_to_the_roles_that_make_them() {
    for p in PERMISSIONS {
        let viewer = p.role == Role::Viewer;
        assert_eq!(
            viewer,
            reads_only(p.action),
            "{} is granted to {:?}",
            p.action,
            p.role
        );
    }
}

#[test]
fn the_cli_prints_each_role_s_policy() {
    for role in Role::ALL {
        let out = support::succeeds(support::demo_monitui("iam-policy").args([
            "iam-policy",
            "--role",
            role.name(),
        ]));
        let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(policy["Version"], "2012-10-17");
        let actions: BTreeSet<String> = policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap().clone())
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        for p in PERMISSIONS {
            assert_eq!(
                actions.contains(p.action),
                p.role <= role,
                "{} in the {} policy",
                p.action,
                role.name()
            );
        }
    }
    let out = support::demo_monitui("iam-policy")
        .args(["iam-policy", "--role", "root"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
