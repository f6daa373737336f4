//! Replays every input kept under `tests/fuzz_regressions/<target>/`
//! (crashes `scripts/fuzz` found, and hand-written seeds) through the fuzz
//! target's own check in `fuzz/src/lib.rs`, so what was fixed once stays
//! fixed in CI, where cargo-fuzz is not installed.

#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::path::{Path, PathBuf};

use fuzz_checks::TARGETS;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The entries of `dir`, sorted, as (file name, path).
fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("directory entry");
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn every_kept_input_passes_its_targets_check() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, dir) in entries(&root().join("tests/fuzz_regressions")) {
        let (_, check) = TARGETS
            .iter()
            .find(|(name, _)| *name == target)
            .unwrap_or_else(|| {
                panic!(
                    "tests/fuzz_regressions/{target}/ names no fuzz target: \
                     add `{target}` to TARGETS in fuzz/src/lib.rs"
                )
            });
        for (file, path) in entries(&dir) {
            let input = std::fs::read(&path).expect("read a kept input");
            if std::panic::catch_unwind(|| check(&input)).is_err() {
                failures.push(format!("{target}/{file}"));
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no kept input was replayed");
    assert!(failures.is_empty(), "these inputs fail again: {failures:?}");
}

#[test]
fn every_fuzz_target_has_a_check_and_kept_inputs() {
    for (file, _) in entries(&root().join("fuzz/fuzz_targets")) {
        let target = file.strip_suffix(".rs").unwrap_or(&file);
        assert!(
            TARGETS.iter().any(|(name, _)| *name == target),
            "fuzz/fuzz_targets/{file} has no check in TARGETS (fuzz/src/lib.rs), so its \
             kept inputs would not be replayed"
        );
        let kept = root().join("tests/fuzz_regressions").join(target);
        assert!(
            kept.is_dir() && !entries(&kept).is_empty(),
            "fuzz target {target} has no kept inputs under tests/fuzz_regressions/{target}/"
        );
    }
}
