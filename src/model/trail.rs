//! CloudTrail events.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One CloudTrail event as returned by LookupEvents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailEvent {
    /// Event id.
    pub id: String,
    /// API name, e.g. `ConsoleLogin`.
    pub name: String,
    /// Event time.
    pub time: Timestamp,
    /// Who, as CloudTrail names them.
    pub username: Option<String>,
    /// Service, e.g. `signin.amazonaws.com`.
    pub source: Option<String>,
    /// Whether the call only read.
    pub read_only: Option<bool>,
    /// The full event record JSON (not yet sanitised).
    pub raw: String,
}

/// Lookup criteria for CloudTrail (one attribute at a time, as the API allows).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrailQuery {
    /// Attribute key (`EventName`, `Username`, `ResourceName`, ...) and value.
    pub attribute: Option<(String, String)>,
    /// Start of the window.
    pub start: Option<Timestamp>,
    /// End of the window.
    pub end: Option<Timestamp>,
    /// Page token.
    pub next_token: Option<String>,
}

/// A page of trail events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrailPage {
    /// Events, newest first as the API returns them.
    pub events: Vec<TrailEvent>,
    /// Token for the next page.
    pub next_token: Option<String>,
}
