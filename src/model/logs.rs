//! Log groups and log events.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A CloudWatch Logs log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    /// Group name, e.g. `/aws/lambda/ecommerce-ai-platform-auth-service`.
    pub name: String,
    /// Retention in days; `None` means never expire.
    pub retention_days: Option<u32>,
    /// Stored bytes as reported by the service.
    pub stored_bytes: Option<u64>,
    /// KMS key ARN used for encryption, if any.
    pub kms_key_id: Option<String>,
    /// Creation time.
    pub created_at: Option<Timestamp>,
    /// Time of the newest event, when the provider knows it cheaply.
    #[serde(default)]
    pub last_event_at: Option<Timestamp>,
}

/// One log event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogEvent {
    /// The group it came from.
    pub group: String,
    /// The stream it came from.
    pub stream: String,
    /// Event time.
    pub timestamp: Timestamp,
    /// Service event id, used to de-duplicate overlapping polls.
    pub event_id: Option<String>,
    /// The raw message (not yet sanitised for the terminal).
    pub message: String,
}

/// A page of filtered log events plus the token for the next page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogPage {
    /// Events, oldest first.
    pub events: Vec<LogEvent>,
    /// Token for the next page; `None` when done.
    pub next_token: Option<String>,
}

/// What a live-tail session delivered at once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveTailUpdate {
    /// New events, as the service sent them.
    pub events: Vec<LogEvent>,
    /// Whether the service sampled them (it drops lines when more than it
    /// streams arrive): some lines were lost.
    pub sampled: bool,
}

/// A short label for a group in a list of groups: `/aws/lambda/<prefix>-auth`
/// is `auth`, `/aws/batch/job` is `batch/job`, `/aws/apigateway/<prefix>` is
/// `apigateway`, for resources named `<prefix>-...`. Other names keep
/// their last part.
pub fn short_group_name<'a>(name: &'a str, prefix: &str) -> std::borrow::Cow<'a, str> {
    let trimmed = name.trim_end_matches('/');
    let (service, last) = match trimmed
        .strip_prefix("/aws/")
        .and_then(|r| r.split_once('/'))
    {
        Some((service, last)) => (Some(service), last),
        None => (None, trimmed.rsplit('/').next().unwrap_or(trimmed)),
    };
    let bare = if !prefix.is_empty() && last == prefix {
        ""
    } else {
        last.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('-'))
            .filter(|_| !prefix.is_empty())
            .unwrap_or(last)
    };
    match (service, bare) {
        (Some("lambda"), b) if !b.is_empty() => b.into(),
        (Some(service), "") => service.into(),
        (Some(service), b) => format!("{service}/{b}").into(),
        (None, "") => last.into(),
        (None, b) => b.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_group_name;

    #[test]
    fn short_names_drop_what_every_group_shares() {
        let p = "shop";
        assert_eq!(
            short_group_name("/aws/lambda/shop-auth-service", p),
            "auth-service"
        );
        assert_eq!(short_group_name("/aws/batch/job", p), "batch/job");
        assert_eq!(short_group_name("/aws/apigateway/shop", p), "apigateway");
        assert_eq!(short_group_name("/aws/cloudtrail/shop", p), "cloudtrail");
        assert_eq!(short_group_name("app/web", p), "web");
        assert_eq!(short_group_name("/aws/lambda/other", ""), "other");
        assert_eq!(short_group_name("shop", p), "shop");
    }
}
