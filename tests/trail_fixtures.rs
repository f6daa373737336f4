//! Real CloudTrail records written by others (`tests/fixtures/third-party/cloudtrail/`,
//! AWS documentation examples of eventVersion 1.0 to 1.09): every record
//! parses into the fields monitui shows, and every preset finds exactly the
//! records it should, one file at a time and in the `{"Records": [...]}`
//! file that holds them all.

mod support;

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::PathBuf;

use monitui::model::trail::log_file::read_records;
use monitui::model::trail::{IdentityKind, Preset, TrailCriteria, TrailRecord};

/// The fixtures folder.
fn fixtures() -> PathBuf {
    support::third_party("cloudtrail")
}

/// Each fixture file, the user monitui names, and the presets that must
/// find it (and no others).
const EXPECTED: [(&str, &str, &[Preset]); 20] = {
    use Preset::*;
    [
        ("cloudtrail-start-logging", "Mary_Major", &[]),
        (
            "cloudtrail-update-trail-error-trail-not-found",
            "Alice",
            &[TrailTampering],
        ),
        (
            "console-login-failure-hidden-username",
            "HIDDEN_DUE_TO_SECURITY_REASONS",
            &[ConsoleLogins, Denied],
        ),
        (
            "console-login-iam-user-failure",
            "anaya",
            &[ConsoleLogins, Denied],
        ),
        (
            "console-login-iam-user-no-mfa",
            "anaya",
            &[ConsoleLogins, NoMfaLogins],
        ),
        ("console-login-iam-user-with-mfa", "anaya", &[ConsoleLogins]),
        (
            "console-login-root-failure",
            "root",
            &[ConsoleLogins, Denied, Root],
        ),
        (
            "console-login-root-no-mfa",
            "root",
            &[ConsoleLogins, NoMfaLogins, Root],
        ),
        (
            "console-login-root-with-mfa",
            "root",
            &[ConsoleLogins, Root],
        ),
        ("ec2-start-instances", "Alice", &[]),
        ("iam-add-user-to-group", "Alice", &[IamChanges]),
        ("iam-create-role", "Alice", &[IamChanges]),
        ("iam-create-user", "Alice", &[IamChanges]),
        ("lambda-delete-function", "myUserName", &[]),
        ("lambda-get-function-access-denied", "myUserName", &[Denied]),
        ("s3-delete-bucket-by-assumed-role", "devdsk", &[]),
        ("s3-outposts-put-object-data-event", "yourUserName", &[]),
        ("s3-put-bucket-acl", "myUserName", &[]),
        ("sts-assume-role-cross-account-caller", "JohnDoe", &[]),
        (
            "sts-assume-role-role-chaining-session-tags",
            "JohnRole1",
            &[],
        ),
    ]
};

fn parse_file(dir: &std::path::Path, name: &str) -> TrailRecord {
    let path = dir.join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    TrailRecord::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn preset(p: Preset) -> TrailCriteria {
    TrailCriteria {
        preset: Some(p),
        ..TrailCriteria::default()
    }
}

#[test]
fn every_record_parses_with_its_user_and_every_preset_finds_exactly_its_records() {
    let dir = fixtures();
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "records.json")
        .collect();
    let listed: BTreeSet<String> = EXPECTED.iter().map(|(n, ..)| format!("{n}.json")).collect();
    assert_eq!(on_disk, listed, "every fixture file is covered");

    for (name, user, presets) in EXPECTED {
        let record = parse_file(&dir, name);
        assert!(record.event_time.is_some(), "{name}: eventTime");
        assert!(!record.event_name.is_empty(), "{name}: eventName");
        assert!(
            record.event_source.ends_with(".amazonaws.com"),
            "{name}: eventSource"
        );
        assert!(
            record.event_id.is_some() || record.event_version.as_deref() == Some("1.0"),
            "{name}: eventID"
        );
        assert_ne!(
            record.identity.kind,
            IdentityKind::Unknown,
            "{name}: userIdentity"
        );
        assert_eq!(record.user(), user, "{name}: user");
        for p in Preset::ALL {
            assert_eq!(
                preset(p).matches(&record),
                presets.contains(&p),
                "{name}: preset {p}"
            );
        }
    }
}

#[test]
fn identities_are_explained() {
    let dir = fixtures();
    let explain = |name| parse_file(&dir, name).identity.explain();
    assert_eq!(
        explain("s3-delete-bucket-by-assumed-role"),
        "session devdsk of assumed role AssumeNothing (issuer arn:aws:iam::777788889999:role/AssumeNothing), account 777788889999, no MFA"
    );
    assert_eq!(
        explain("console-login-root-no-mfa"),
        "the root user, account 111122223333"
    );
    assert_eq!(
        explain("iam-create-user"),
        "IAM user Alice, account 123456789012"
    );
    let data_event = parse_file(&dir, "s3-outposts-put-object-data-event");
    assert_eq!(data_event.event_category.as_deref(), Some("Data"));
    assert_eq!(data_event.resources.len(), 2);
    assert!(data_event.is_read_only() == data_event.read_only.unwrap());
    let failed = parse_file(&dir, "cloudtrail-update-trail-error-trail-not-found");
    assert_eq!(failed.error_code.as_deref(), Some("TrailNotFoundException"));
    assert!(failed.error_message.is_some());
}

#[test]
fn the_records_file_streams_the_same_twenty_records() {
    let dir = fixtures();
    let file = std::fs::File::open(dir.join("records.json")).unwrap();
    let mut records = Vec::new();
    let read = read_records(std::io::BufReader::new(file), |r| {
        records.push(r);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(read, 20);
    let singles: Vec<TrailRecord> = EXPECTED.iter().map(|(n, ..)| parse_file(&dir, n)).collect();
    for p in Preset::ALL {
        let ids = |rs: &[TrailRecord]| {
            let mut found: Vec<String> = rs
                .iter()
                .filter(|r| preset(p).matches(r))
                .map(|r| r.raw.to_string())
                .collect();
            found.sort();
            found
        };
        let expected = EXPECTED.iter().filter(|(_, _, ps)| ps.contains(&p)).count();
        assert_eq!(ids(&records).len(), expected, "preset {p} in records.json");
        assert_eq!(ids(&records), ids(&singles), "preset {p}");
    }
}
