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
