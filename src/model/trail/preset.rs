//! The quick filters of a security review: each preset is a named
//! predicate on a record, plus the lookup attributes it implies so that a
//! live search can let the service do part of the filtering.

use super::plan::LookupAttribute;
use super::record::{SignInOutcome, TrailRecord};
use crate::model::trail::identity::IdentityKind;

/// A named quick filter (`--preset NAME`, a key each in the tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// IAM calls that change something.
    IamChanges,
    /// Every console sign-in, failed ones included.
    ConsoleLogins,
    /// Console sign-ins that did not fail and did not use MFA.
    NoMfaLogins,
    /// Calls refused for lack of permission, and failed console sign-ins.
    Denied,
    /// Calls that stop or reshape what CloudTrail records.
    TrailTampering,
    /// Anything the root user did.
    Root,
}

/// CloudTrail calls that can blind the trail.
const TAMPERING_CALLS: [&str; 4] = [
    "StopLogging",
    "DeleteTrail",
    "UpdateTrail",
    "PutEventSelectors",
];

/// Error codes of a call refused for lack of permission.
const DENIED_CODES: [&str; 2] = ["UnauthorizedOperation", "Client.UnauthorizedOperation"];

const IAM: &str = "iam.amazonaws.com";
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";
const CONSOLE_LOGIN: &str = "ConsoleLogin";

impl Preset {
    /// Every preset, in the order the tab and `--help` list them.
    pub const ALL: [Preset; 6] = [
        Preset::IamChanges,
        Preset::ConsoleLogins,
        Preset::NoMfaLogins,
        Preset::Denied,
        Preset::TrailTampering,
        Preset::Root,
    ];

    /// The name used on the command line, e.g. `no-mfa-logins`.
    pub const fn name(self) -> &'static str {
        match self {
            Preset::IamChanges => "iam-changes",
            Preset::ConsoleLogins => "console-logins",
            Preset::NoMfaLogins => "no-mfa-logins",
            Preset::Denied => "denied",
            Preset::TrailTampering => "trail-tampering",
            Preset::Root => "root",
        }
    }

    /// What the preset finds, for help texts.
    pub fn description(self) -> &'static str {
        match self {
            Preset::IamChanges => "IAM write calls",
            Preset::ConsoleLogins => "console sign-ins, failed ones included",
            Preset::NoMfaLogins => "console sign-ins without MFA (failed ones excluded)",
            Preset::Denied => {
                "AccessDenied* and UnauthorizedOperation errors, and failed console sign-ins"
            }
            Preset::TrailTampering => "StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors",
            Preset::Root => "calls made by the root user",
        }
    }

    /// The preset called `name`; the error lists the known names.
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|p| p.name()).collect();
                format!("unknown preset '{name}'; known: {}", names.join(", "))
            })
    }

    /// Whether `record` is one the preset looks for.
    pub fn matches(self, record: &TrailRecord) -> bool {
        match self {
            Preset::IamChanges => record.event_source == IAM && !record.is_read_only(),
            Preset::ConsoleLogins => record.event_name == CONSOLE_LOGIN,
            Preset::NoMfaLogins => {
                record.event_name == CONSOLE_LOGIN
                    && record.sign_in_outcome() != Some(SignInOutcome::Failure)
                    && record.mfa_used() != Some(true)
            }
            Preset::Denied => {
                let refused = record.error_code.as_deref().is_some_and(|code| {
                    code.starts_with("AccessDenied") || DENIED_CODES.contains(&code)
                });
                let failed_sign_in = record.event_name == CONSOLE_LOGIN
                    && record.sign_in_outcome() == Some(SignInOutcome::Failure);
                refused || failed_sign_in
            }
            Preset::TrailTampering => {
                record.event_source == CLOUDTRAIL
                    && TAMPERING_CALLS.contains(&record.event_name.as_str())
            }
            Preset::Root => record.identity.kind == IdentityKind::Root,
        }
    }

    /// Lookup attributes every match has, which the service can filter on.
    pub fn implied_attributes(self) -> Vec<LookupAttribute> {
        match self {
            Preset::IamChanges => vec![
                LookupAttribute::EventSource(IAM.to_string()),
                LookupAttribute::ReadOnly(false),
            ],
            Preset::ConsoleLogins | Preset::NoMfaLogins => {
                vec![LookupAttribute::EventName(CONSOLE_LOGIN.to_string())]
            }
            Preset::Denied => Vec::new(),
            Preset::TrailTampering => vec![LookupAttribute::EventSource(CLOUDTRAIL.to_string())],
            Preset::Root => vec![LookupAttribute::Username("root".to_string())],
        }
    }
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn record(value: Value) -> TrailRecord {
        TrailRecord::from_value(value, None).unwrap()
    }

    fn login(outcome: &str, mfa: &str) -> TrailRecord {
        record(json!({
            "eventName": "ConsoleLogin",
            "eventSource": "signin.amazonaws.com",
            "userIdentity": {"type": "IAMUser", "userName": "u"},
            "responseElements": {"ConsoleLogin": outcome},
            "additionalEventData": {"MFAUsed": mfa}
        }))
    }

    #[test]
    fn names_round_trip_and_unknown_names_list_the_known() {
        for p in Preset::ALL {
            assert_eq!(Preset::parse(p.name()), Ok(p));
        }
        let err = Preset::parse("admins").unwrap_err();
        assert!(
            err.contains("admins") && err.contains("trail-tampering"),
            "{err}"
        );
    }

    #[test]
    fn mfa_is_compared_without_case() {
        assert!(Preset::NoMfaLogins.matches(&login("Success", "No")));
        assert!(!Preset::NoMfaLogins.matches(&login("Success", "YES")));
        assert!(!Preset::NoMfaLogins.matches(&login("Success", "Yes")));
        assert!(!Preset::NoMfaLogins.matches(&login("Failure", "No")));
        assert!(Preset::ConsoleLogins.matches(&login("Failure", "No")));
    }

    #[test]
    fn denied_covers_error_codes_and_failed_sign_ins() {
        let failed = |code: &str| record(json!({"eventName": "RunInstances", "errorCode": code}));
        assert!(Preset::Denied.matches(&failed("AccessDenied")));
        assert!(Preset::Denied.matches(&failed("AccessDeniedException")));
        assert!(Preset::Denied.matches(&failed("Client.UnauthorizedOperation")));
        assert!(Preset::Denied.matches(&failed("UnauthorizedOperation")));
        assert!(!Preset::Denied.matches(&failed("ThrottlingException")));
        assert!(Preset::Denied.matches(&login("Failure", "No")));
        assert!(!Preset::Denied.matches(&login("Success", "No")));
    }

    #[test]
    fn iam_changes_skip_reads_and_other_services() {
        let call =
            |name: &str, source: &str| record(json!({"eventName": name, "eventSource": source}));
        assert!(Preset::IamChanges.matches(&call("AttachRolePolicy", IAM)));
        assert!(!Preset::IamChanges.matches(&call("ListRoles", IAM)));
        assert!(!Preset::IamChanges.matches(&call("CreateBucket", "s3.amazonaws.com")));
    }

    #[test]
    fn tampering_and_root() {
        let ct = |name: &str| record(json!({"eventName": name, "eventSource": CLOUDTRAIL}));
        assert!(Preset::TrailTampering.matches(&ct("StopLogging")));
        assert!(Preset::TrailTampering.matches(&ct("PutEventSelectors")));
        assert!(!Preset::TrailTampering.matches(&ct("StartLogging")));
        assert!(Preset::Root.matches(&record(json!({"userIdentity": {"type": "Root"}}))));
        assert!(!Preset::Root.matches(&record(
            json!({"userIdentity": {"type": "IAMUser", "userName": "root"}})
        )));
    }

    #[test]
    fn implied_attributes_hold_for_every_match() {
        let logins = Preset::NoMfaLogins.implied_attributes();
        assert_eq!(
            logins,
            vec![LookupAttribute::EventName("ConsoleLogin".into())]
        );
        assert!(Preset::Denied.implied_attributes().is_empty());
    }
}
