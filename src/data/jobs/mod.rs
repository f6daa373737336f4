//! The background jobs of one env's session, each in its own module.

pub mod dashboard;
pub mod logs;
pub mod metrics;
pub mod trail;
