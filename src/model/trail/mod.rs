//! CloudTrail: the events LookupEvents returns ([`TrailEvent`], one page a
//! [`TrailPage`]), the records inside them and inside delivered log files
//! ([`TrailRecord`], [`log_file`]), and what a search asks for
//! ([`TrailCriteria`], [`Preset`]) and sends ([`LookupPlan`]).

pub mod changed;
pub mod criteria;
pub mod identity;
pub mod log_file;
pub mod plan;
pub mod preset;
pub mod record;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use changed::Changed;
pub use criteria::TrailCriteria;
pub use identity::{IdentityKind, SessionIssuer, UserIdentity};
pub use plan::{LookupAttribute, LookupPlan};
pub use preset::Preset;
pub use record::{RecordError, SignInOutcome, TrailRecord, TrailResource};

/// The column headers of a list of events, the same in the CLI table and
/// the tab: time, user, event, what it changed, source, source IP, region,
/// error code.
pub const COLUMNS: [&str; 8] = [
    "TIME (UTC)",
    "USER",
    "EVENT",
    "RESOURCE",
    "SOURCE",
    "SOURCE IP",
    "REGION",
    "ERROR",
];

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
    /// Resources LookupEvents lists for the event.
    pub resources: Vec<TrailResource>,
    /// The full event record JSON (not yet sanitised).
    pub raw: String,
}

/// One LookupEvents call: at most one lookup attribute (the API takes no
/// more), a time window and the page token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrailQuery {
    /// The attribute the service filters on.
    pub attribute: Option<LookupAttribute>,
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
