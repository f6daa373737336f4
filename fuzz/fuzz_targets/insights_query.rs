//! Fuzz target `insights_query`: the check lives in `monitui_fuzz::insights_query`, which
//! `tests/fuzz_regressions.rs` also runs on every kept input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| monitui_fuzz::insights_query(data));
