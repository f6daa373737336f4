//! The shared data layer: background jobs fetch from the provider, keep the
//! latest results, track connection health and post [`DataEvent`]s. The UI
//! never awaits any of it.

pub mod backoff;
pub mod connection;
pub mod events;
pub mod refresher;

pub use connection::LinkState;
pub use events::{AlarmDetail, Annotation, DataEvent, EventSink, Mutation};
pub use refresher::{DataCommand, DataLayer, ProviderConnect, RefreshPolicy};
