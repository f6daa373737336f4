//! Lookup planning: LookupEvents takes ONE lookup attribute per call, so a
//! search sends the most selective attribute it has and applies the rest
//! of its criteria to the results itself.

use serde::{Deserialize, Serialize};

use super::criteria::TrailCriteria;
use super::record::TrailRecord;

/// One LookupEvents lookup attribute with its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LookupAttribute {
    /// `EventId`: one event.
    EventId(String),
    /// `AccessKeyId`: calls signed with one key.
    AccessKeyId(String),
    /// `ResourceName`: calls on a named resource.
    ResourceName(String),
    /// `Username`: calls by one user (or role session, or `root`).
    Username(String),
    /// `EventName`: one API.
    EventName(String),
    /// `ResourceType`, e.g. `AWS::IAM::Role`.
    ResourceType(String),
    /// `EventSource`, e.g. `iam.amazonaws.com`.
    EventSource(String),
    /// `ReadOnly`: only reads or only writes.
    ReadOnly(bool),
}

impl LookupAttribute {
    /// The API's name for the attribute key, e.g. `EventName`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::EventId(_) => "EventId",
            Self::AccessKeyId(_) => "AccessKeyId",
            Self::ResourceName(_) => "ResourceName",
            Self::Username(_) => "Username",
            Self::EventName(_) => "EventName",
            Self::ResourceType(_) => "ResourceType",
            Self::EventSource(_) => "EventSource",
            Self::ReadOnly(_) => "ReadOnly",
        }
    }

    /// The attribute value as the API takes it.
    pub fn value(&self) -> String {
        match self {
            Self::EventId(v)
            | Self::AccessKeyId(v)
            | Self::ResourceName(v)
            | Self::Username(v)
            | Self::EventName(v)
            | Self::ResourceType(v)
            | Self::EventSource(v) => v.clone(),
            Self::ReadOnly(v) => v.to_string(),
        }
    }

    /// How selective the attribute usually is: lower sends first. An event
    /// id names one event; `ReadOnly` splits the account in two.
    fn rank(&self) -> u8 {
        match self {
            Self::EventId(_) => 0,
            Self::AccessKeyId(_) => 1,
            Self::ResourceName(_) => 2,
            Self::Username(_) => 3,
            Self::EventName(_) => 4,
            Self::ResourceType(_) => 5,
            Self::EventSource(_) => 6,
            Self::ReadOnly(_) => 7,
        }
    }

    /// Whether `record` has this attribute, the way LookupEvents matches it
    /// (exact, case-sensitive values). The demo account filters with this.
    pub fn matches(&self, record: &TrailRecord) -> bool {
        match self {
            Self::EventId(id) => record.event_id.as_deref() == Some(id),
            Self::AccessKeyId(key) => record.identity.access_key_id.as_deref() == Some(key),
            Self::ResourceName(name) => record.resource_names().any(|n| n == name),
            Self::Username(user) => {
                record.user() == *user
                    || record.identity.user_name.as_deref() == Some(user)
                    || record.lookup_username.as_deref() == Some(user)
            }
            Self::EventName(name) => record.event_name == *name,
            Self::ResourceType(kind) => record
                .resources
                .iter()
                .any(|r| r.resource_type.as_deref() == Some(kind)),
            Self::EventSource(source) => record.event_source == *source,
            Self::ReadOnly(read_only) => record.is_read_only() == *read_only,
        }
    }
}

/// What one search sends and what it checks itself.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupPlan {
    /// The attribute sent to LookupEvents, if the search has any.
    pub attribute: Option<LookupAttribute>,
    /// The full criteria, checked on every returned record except for the
    /// attribute the service already applied.
    pub criteria: TrailCriteria,
}

impl LookupPlan {
    /// Sends the most selective attribute among the criteria's own and
    /// those their preset implies (an explicit one wins a tie of kind).
    pub fn new(criteria: &TrailCriteria) -> Self {
        let implied = criteria
            .preset
            .map(|p| p.implied_attributes())
            .unwrap_or_default();
        let attribute = criteria
            .attributes()
            .into_iter()
            .chain(implied)
            .enumerate()
            .min_by_key(|(order, a)| (a.rank(), *order))
            .map(|(_, a)| a);
        Self {
            attribute,
            criteria: criteria.clone(),
        }
    }

    /// Whether a record the service returned for this plan is a result:
    /// every criterion but the attribute sent holds.
    pub fn keeps(&self, record: &TrailRecord) -> bool {
        self.criteria
            .matches_except(record, self.attribute.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trail::Preset;

    #[test]
    fn the_most_selective_attribute_is_sent() {
        let criteria = TrailCriteria {
            event_name: Some("CreateUser".into()),
            user_name: Some("alice".into()),
            event_source: Some("iam.amazonaws.com".into()),
            read_only: Some(false),
            ..TrailCriteria::default()
        };
        let plan = LookupPlan::new(&criteria);
        assert_eq!(
            plan.attribute,
            Some(LookupAttribute::Username("alice".into()))
        );

        let with_key = TrailCriteria {
            access_key_id: Some("AKIA1".into()),
            resource_name: Some("bucket".into()),
            ..criteria.clone()
        };
        assert_eq!(
            LookupPlan::new(&with_key).attribute,
            Some(LookupAttribute::AccessKeyId("AKIA1".into()))
        );
        let with_id = TrailCriteria {
            event_id: Some("e-1".into()),
            ..with_key
        };
        assert_eq!(
            LookupPlan::new(&with_id).attribute,
            Some(LookupAttribute::EventId("e-1".into()))
        );
    }

    #[test]
    fn order_below_username() {
        let only = |c: TrailCriteria| LookupPlan::new(&c).attribute.unwrap().key();
        let base = TrailCriteria {
            resource_type: Some("AWS::S3::Bucket".into()),
            event_source: Some("s3.amazonaws.com".into()),
            read_only: Some(true),
            ..TrailCriteria::default()
        };
        assert_eq!(only(base.clone()), "ResourceType");
        assert_eq!(
            only(TrailCriteria {
                resource_type: None,
                ..base.clone()
            }),
            "EventSource"
        );
        assert_eq!(
            only(TrailCriteria {
                read_only: Some(true),
                ..TrailCriteria::default()
            }),
            "ReadOnly"
        );
        assert_eq!(
            only(TrailCriteria {
                event_name: Some("X".into()),
                ..base
            }),
            "EventName"
        );
    }

    #[test]
    fn presets_lend_their_attributes_but_explicit_ones_win() {
        let preset = |p| TrailCriteria {
            preset: Some(p),
            ..TrailCriteria::default()
        };
        assert_eq!(
            LookupPlan::new(&preset(Preset::IamChanges)).attribute,
            Some(LookupAttribute::EventSource("iam.amazonaws.com".into()))
        );
        assert_eq!(LookupPlan::new(&preset(Preset::Denied)).attribute, None);
        let named = TrailCriteria {
            event_name: Some("Other".into()),
            ..preset(Preset::ConsoleLogins)
        };
        assert_eq!(
            LookupPlan::new(&named).attribute,
            Some(LookupAttribute::EventName("Other".into()))
        );
        assert_eq!(LookupPlan::new(&TrailCriteria::default()).attribute, None);
    }

    #[test]
    fn keys_and_values_are_the_api_spelling() {
        assert_eq!(LookupAttribute::ReadOnly(false).key(), "ReadOnly");
        assert_eq!(LookupAttribute::ReadOnly(false).value(), "false");
        assert_eq!(LookupAttribute::EventId("x".into()).key(), "EventId");
    }
}
