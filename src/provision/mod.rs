//! Desired-state provisioning of the monitoring stack: the [`spec`] (what
//! is wanted, from a TOML file with variables) and the [`plan`] (a pure
//! diff of wanted against existing). Reading the account and applying a
//! plan happen in `data::provision`, where writes are allowed.

pub mod plan;
pub mod policies;
pub mod spec;
pub mod vars;
