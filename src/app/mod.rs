//! UI state and what the user can do to it. [`App`] owns what every screen
//! shares (env, connection, identity, the alarm list, acks and silences,
//! the command line, messages, and the stack of views and dialogs open over
//! the tab, [`overlay`]) and routes keys and data events to the tab
//! components in [`tabs`] and the views over them, each of which owns its
//! own state and keys ([`component`]). Keys become
//! [`Action`]s, actions update the state and may ask the outside world for
//! [`Effect`]s. Nothing here draws or talks to the network.

pub mod action;
pub mod alarm_list;
mod alarm_ops;
pub mod command;
pub mod component;
pub mod detail;
pub mod dialog;
pub mod goto;
pub mod handoff;
pub mod incident;
pub mod insights_view;
pub mod keys;
pub mod overlay;
pub mod query_editor;
pub mod state;
pub mod tabs;
pub mod trail_detail;
pub mod trail_form;
pub mod wall;

pub use action::{Action, Effect, WidgetCopy};
pub use overlay::{Overlay, Overlays};
pub use state::{App, Mode};
pub use tabs::Tab;
pub use wall::Wall;
