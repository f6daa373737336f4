//! The shared data layer: background jobs fetch from the provider, keep the
//! latest results, track connection health and post [`DataEvent`]s. The UI
//! never awaits any of it. Alarm changes ([`actions`]) live here too, so the
//! TUI and the CLI share them, and read-only mode ([`guard`]) is enforced
//! here rather than in the UI.

pub mod actions;
pub mod annotations;
pub mod audit;
pub mod backoff;
pub mod connection;
pub mod detail;
pub mod events;
pub mod guard;
pub mod overview;
pub mod refresher;

pub use actions::{ActionError, AlarmActions};
pub use audit::AuditLog;
pub use connection::LinkState;
pub use events::{AlarmDetail, Annotation, DataEvent, EventSink, Mutation};
pub use guard::connect;
pub use refresher::{DataCommand, DataLayer, JobConfig, ProviderConnect, RefreshPolicy};
