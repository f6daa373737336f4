//! Fuzz target `filter_pattern`: the check lives in `monitui_fuzz::filter_pattern`, which
//! `tests/fuzz_regressions.rs` also runs on every kept input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| monitui_fuzz::filter_pattern(data));
