//! The shared data layer: background jobs fetch from the provider, keep the
//! latest results, track connection health and post [`DataEvent`]s. The UI
//! never awaits any of it. Alarm changes ([`actions`]) live here too, so the
//! TUI and the CLI share them, and read-only mode ([`session`]) is enforced
//! here, by the types, rather than in the UI.

pub mod actions;
pub mod alarm_listing;
pub mod annotations;
pub mod audit;
pub mod backoff;
pub mod backtest;
pub mod change_locks;
pub mod changes;
pub mod checked;
pub mod connection;
pub mod cost;
pub mod dashboard_data;
pub mod detail;
pub mod doctor;
pub mod events;
pub mod explain;
pub mod handoff;
pub mod history;
pub mod incident;
pub mod insights;
pub mod jobs;
pub mod log_buffer;
pub mod log_fetch;
pub mod log_tail;
pub mod mfa;
pub mod overview;
pub mod provision;
pub mod publish;
pub mod refresher;
pub mod session;
pub mod slo;
pub mod tab_jobs;
pub mod tab_message;
pub mod tailer;
#[cfg(test)]
pub(crate) mod test_support;
pub mod trail_search;

pub use actions::{ActionError, AlarmActions, Reconciled};
pub use audit::AuditLog;
pub use changes::Changes;
pub use connection::LinkState;
pub use events::{AlarmDetail, Annotation, DataEvent, EventSink, Mutation};
pub use jobs::{
    dashboard as dashboard_job, logs as logs_job, metrics as metrics_job, trail as trail_job,
};
pub use refresher::{Connector, DataCommand, DataLayer, JobConfig, RefreshPolicy};
pub use session::{Session, connect};
pub use trail_job::{TrailRequest, TrailStatus};
