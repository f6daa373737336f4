//! CloudTrail LookupEvents, one page at a time.

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{self as ct, LookupAttributeKey};

use super::convert::{opt_timestamp, to_datetime};
use super::errors::from_sdk;
use crate::model::trail::{LookupAttribute, TrailResource};
use crate::model::{TrailEvent, TrailPage, TrailQuery};
use crate::provider::{ProviderError, ProviderResult};

/// LookupEvents page size (the service maximum).
const LOOKUP_PAGE_SIZE: i32 = 50;

/// One page of events matching `query` (the caller follows its token).
pub async fn lookup(client: &Client, query: &TrailQuery) -> ProviderResult<TrailPage> {
    let attribute = query.attribute.as_ref().map(lookup_attribute).transpose()?;
    let page = client
        .lookup_events()
        .set_lookup_attributes(attribute.map(|a| vec![a]))
        .set_start_time(query.start.map(to_datetime))
        .set_end_time(query.end.map(to_datetime))
        .set_next_token(query.next_token.clone())
        .max_results(LOOKUP_PAGE_SIZE)
        .send()
        .await
        .map_err(|e| from_sdk("LookupEvents", e))?;
    Ok(TrailPage {
        events: page.events().iter().map(from_event).collect(),
        next_token: page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

/// The SDK form of a lookup attribute.
fn lookup_attribute(attribute: &LookupAttribute) -> ProviderResult<ct::LookupAttribute> {
    let key = match attribute {
        LookupAttribute::EventId(_) => LookupAttributeKey::EventId,
        LookupAttribute::AccessKeyId(_) => LookupAttributeKey::AccessKeyId,
        LookupAttribute::ResourceName(_) => LookupAttributeKey::ResourceName,
        LookupAttribute::Username(_) => LookupAttributeKey::Username,
        LookupAttribute::EventName(_) => LookupAttributeKey::EventName,
        LookupAttribute::ResourceType(_) => LookupAttributeKey::ResourceType,
        LookupAttribute::EventSource(_) => LookupAttributeKey::EventSource,
        LookupAttribute::ReadOnly(_) => LookupAttributeKey::ReadOnly,
    };
    ct::LookupAttribute::builder()
        .attribute_key(key)
        .attribute_value(attribute.value())
        .build()
        .map_err(|e| ProviderError::Invalid(format!("LookupEvents: {e}")))
}

/// Converts one event; `raw` is the full record JSON.
fn from_event(e: &ct::Event) -> TrailEvent {
    TrailEvent {
        id: e.event_id().unwrap_or_default().to_string(),
        name: e.event_name().unwrap_or_default().to_string(),
        time: opt_timestamp(e.event_time()).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        username: e.username().map(str::to_string),
        source: e.event_source().map(str::to_string),
        read_only: e.read_only().map(|r| r.eq_ignore_ascii_case("true")),
        resources: e
            .resources()
            .iter()
            .map(|r| TrailResource {
                resource_type: r.resource_type().map(str::to_string),
                name: r.resource_name().map(str::to_string),
                arn: None,
            })
            .collect(),
        raw: e.cloud_trail_event().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_become_the_sdk_key_and_value() {
        let a = lookup_attribute(&LookupAttribute::EventName("ConsoleLogin".into())).unwrap();
        assert_eq!(a.attribute_key(), &LookupAttributeKey::EventName);
        assert_eq!(a.attribute_value(), "ConsoleLogin");
        let a = lookup_attribute(&LookupAttribute::ReadOnly(true)).unwrap();
        assert_eq!(a.attribute_key(), &LookupAttributeKey::ReadOnly);
        assert_eq!(a.attribute_value(), "true");
    }
}
