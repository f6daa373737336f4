//! Fuzz target `trail_records`: the check lives in `monitui_fuzz::trail_records`, which
//! `tests/fuzz_regressions.rs` also runs on every kept input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| monitui_fuzz::trail_records(data));
