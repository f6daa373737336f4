//! UI state and what the user can do to it: keys become [`Action`]s, actions
//! update [`App`] and may ask the outside world for [`Effect`]s. Nothing here
//! draws or talks to the network.

pub mod action;
mod alarm_ops;
pub mod alarms_view;
pub mod command;
pub mod detail;
pub mod dialog;
pub mod keys;
pub mod state;

pub use action::{Action, Effect};
pub use state::{App, Mode, Tab};
