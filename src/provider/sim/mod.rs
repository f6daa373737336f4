//! The embedded demo account: a simulated `ecommerce-ai-platform` account
//! that runs with no AWS at all.

mod catalog;
mod evaluate;
mod incidents;
mod metrics;
mod noise;
mod stats;
