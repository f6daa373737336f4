//! Fuzz target `provision_spec`: the check lives in
//! `monitui_fuzz::provision_spec`, which `tests/fuzz_regressions.rs` also
//! runs on every kept input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| monitui_fuzz::provision_spec(data));
