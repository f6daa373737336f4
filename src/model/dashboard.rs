//! Dashboards as listed by the service; the body model lands with the
//! dashboards issue.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A dashboard in the account's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardSummary {
    /// Dashboard name.
    pub name: String,
    /// Last modification time.
    pub modified_at: Option<Timestamp>,
    /// Body size in bytes.
    pub size: Option<i64>,
}
