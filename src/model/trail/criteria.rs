//! What a CloudTrail search asks for, the same for a live search, a
//! delivered log file and the demo account: attribute values (matched
//! exactly, as LookupEvents does), a preset and a time window.

use jiff::Timestamp;

use super::plan::LookupAttribute;
use super::preset::Preset;
use super::record::TrailRecord;

/// Search criteria; every one given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailCriteria {
    /// `eventID`.
    pub event_id: Option<String>,
    /// Access key the calls were signed with.
    pub access_key_id: Option<String>,
    /// A resource name or ARN the calls touched.
    pub resource_name: Option<String>,
    /// User name, role session name, or `root`.
    pub user_name: Option<String>,
    /// API name, e.g. `CreateUser`.
    pub event_name: Option<String>,
    /// Resource type, e.g. `AWS::IAM::Role`.
    pub resource_type: Option<String>,
    /// Service, e.g. `iam.amazonaws.com`.
    pub event_source: Option<String>,
    /// Only reads (`true`) or only writes (`false`).
    pub read_only: Option<bool>,
    /// A quick filter.
    pub preset: Option<Preset>,
    /// Earliest event time (inclusive).
    pub since: Option<Timestamp>,
    /// Latest event time (inclusive).
    pub until: Option<Timestamp>,
}

impl TrailCriteria {
    /// The criteria that are lookup attributes, most selective first.
    pub fn attributes(&self) -> Vec<LookupAttribute> {
        let text =
            |value: &Option<String>, make: fn(String) -> LookupAttribute| value.clone().map(make);
        [
            text(&self.event_id, LookupAttribute::EventId),
            text(&self.access_key_id, LookupAttribute::AccessKeyId),
            text(&self.resource_name, LookupAttribute::ResourceName),
            text(&self.user_name, LookupAttribute::Username),
            text(&self.event_name, LookupAttribute::EventName),
            text(&self.resource_type, LookupAttribute::ResourceType),
            text(&self.event_source, LookupAttribute::EventSource),
            self.read_only.map(LookupAttribute::ReadOnly),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Whether `record` meets every criterion.
    pub fn matches(&self, record: &TrailRecord) -> bool {
        self.matches_except(record, None)
    }

    /// Whether `record` meets every criterion except the attribute
    /// `applied` (one the service already filtered on).
    pub fn matches_except(&self, record: &TrailRecord, applied: Option<&LookupAttribute>) -> bool {
        self.in_window(record)
            && self.preset.is_none_or(|p| p.matches(record))
            && self
                .attributes()
                .iter()
                .filter(|a| Some(*a) != applied)
                .all(|a| a.matches(record))
    }

    /// Whether the record's time is inside `since..=until`; a record with
    /// no readable time is outside any window.
    fn in_window(&self, record: &TrailRecord) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        record.event_time.is_some_and(|t| {
            self.since.is_none_or(|since| t >= since) && self.until.is_none_or(|until| t <= until)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> TrailRecord {
        TrailRecord::from_value(
            json!({
                "eventTime": "2026-11-27T10:00:00Z",
                "eventName": "CreateUser",
                "eventSource": "iam.amazonaws.com",
                "eventID": "e-1",
                "userIdentity": {"type": "IAMUser", "userName": "alice", "accessKeyId": "AKIA1"},
                "requestParameters": {"userName": "bob"},
                "resources": [{"ARN": "arn:aws:iam::1:user/bob", "type": "AWS::IAM::User"}]
            }),
            None,
        )
        .unwrap()
    }

    fn at(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn each_attribute_must_hold() {
        let r = record();
        let hit = [
            TrailCriteria {
                event_id: Some("e-1".into()),
                ..Default::default()
            },
            TrailCriteria {
                access_key_id: Some("AKIA1".into()),
                ..Default::default()
            },
            TrailCriteria {
                resource_name: Some("bob".into()),
                ..Default::default()
            },
            TrailCriteria {
                resource_name: Some("arn:aws:iam::1:user/bob".into()),
                ..Default::default()
            },
            TrailCriteria {
                user_name: Some("alice".into()),
                ..Default::default()
            },
            TrailCriteria {
                event_name: Some("CreateUser".into()),
                ..Default::default()
            },
            TrailCriteria {
                resource_type: Some("AWS::IAM::User".into()),
                ..Default::default()
            },
            TrailCriteria {
                event_source: Some("iam.amazonaws.com".into()),
                ..Default::default()
            },
            TrailCriteria {
                read_only: Some(false),
                ..Default::default()
            },
            TrailCriteria {
                preset: Some(Preset::IamChanges),
                ..Default::default()
            },
        ];
        for c in &hit {
            assert!(c.matches(&r), "{c:?}");
        }
        let miss = [
            TrailCriteria {
                event_id: Some("e-2".into()),
                ..Default::default()
            },
            TrailCriteria {
                user_name: Some("Alice".into()),
                ..Default::default()
            },
            TrailCriteria {
                resource_name: Some("carol".into()),
                ..Default::default()
            },
            TrailCriteria {
                read_only: Some(true),
                ..Default::default()
            },
            TrailCriteria {
                preset: Some(Preset::Root),
                ..Default::default()
            },
            TrailCriteria {
                event_name: Some("CreateUser".into()),
                user_name: Some("mallory".into()),
                ..Default::default()
            },
        ];
        for c in &miss {
            assert!(!c.matches(&r), "{c:?}");
        }
    }

    #[test]
    fn the_applied_attribute_is_not_checked_again() {
        let c = TrailCriteria {
            user_name: Some("AKIA-as-username".into()),
            event_name: Some("CreateUser".into()),
            ..Default::default()
        };
        let sent = LookupAttribute::Username("AKIA-as-username".into());
        assert!(!c.matches(&record()));
        assert!(c.matches_except(&record(), Some(&sent)));
        let other = LookupAttribute::EventName("CreateUser".into());
        assert!(!c.matches_except(&record(), Some(&other)));
    }

    #[test]
    fn time_window_is_inclusive_and_excludes_undated_records() {
        let r = record();
        let window = |since, until| TrailCriteria {
            since,
            until,
            ..Default::default()
        };
        assert!(window(at("2026-11-27T10:00:00Z"), at("2026-11-27T10:00:00Z")).matches(&r));
        assert!(!window(at("2026-11-27T10:00:01Z"), None).matches(&r));
        assert!(!window(None, at("2026-11-27T09:59:59Z")).matches(&r));
        let undated = TrailRecord::from_value(json!({"eventName": "X"}), None).unwrap();
        assert!(window(None, None).matches(&undated));
        assert!(!window(at("2000-01-01T00:00:00Z"), None).matches(&undated));
    }
}
