//! Fuzz target `alarm_rule`: the check lives in `monitui_fuzz::alarm_rule`,
//! which `tests/fuzz_regressions.rs` also runs on every kept input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| monitui_fuzz::alarm_rule(data));
