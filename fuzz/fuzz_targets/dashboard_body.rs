//! Fuzz target `dashboard_body`: the check lives in `monitui_fuzz::dashboard_body`, which
//! `tests/fuzz_regressions.rs` also runs on every kept input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| monitui_fuzz::dashboard_body(data));
