//! What background jobs tell the UI.

use std::sync::Arc;

use jiff::Timestamp;

use super::connection::LinkState;
use crate::model::{Alarm, Identity};

/// A result or status change from a background job.
#[derive(Debug, Clone, PartialEq)]
pub enum DataEvent {
    /// Who we are, once known.
    Identity(Identity),
    /// A fresh alarm list (sorted ALARM first) and when it was fetched.
    Alarms {
        /// The alarms.
        alarms: Arc<Vec<Alarm>>,
        /// Fetch time.
        fetched_at: Timestamp,
    },
    /// Connection health changed.
    Link(LinkState),
}

/// Where jobs post events: the UI wraps this into its own event loop.
pub type EventSink = Arc<dyn Fn(DataEvent) + Send + Sync>;
