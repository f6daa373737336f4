//! The aws-sdk-rust implementation of `Provider`: conversion between SDK
//! types and `crate::model` only.
