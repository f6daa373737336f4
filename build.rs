//! Stamps the binary with the commit it was built from and the build date,
//! for `monitui --version` (`monitui 0.1.0 (1a2b3c4 2026-12-07)`), the
//! `--help` header and the log file.
//!
//! The commit comes from `git` when the source is a checkout, else from the
//! `.cargo_vcs_info.json` that `cargo package` writes into a crate, else it
//! is `unknown`: a source tarball without git still builds. The date is
//! `SOURCE_DATE_EPOCH` (reproducible builds) when set, else today (UTC).
//!
//! A release build is stamped again whenever HEAD moves. A debug build keeps
//! the stamp of its first build (the commit and date of then): re-stamping
//! it on every commit would rebuild the library and every test binary after
//! each `git commit`.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

#[path = "build/stamp.rs"]
mod stamp;

fn main() {
    println!("cargo::rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/stamp.rs");
    let commit = match git_commit() {
        Some(commit) => {
            if std::env::var("PROFILE").as_deref() == Ok("release") {
                for path in git_state_files() {
                    println!("cargo::rerun-if-changed={path}");
                }
            }
            commit
        }
        None => packaged_commit().unwrap_or_else(|| "unknown".to_string()),
    };
    println!("cargo::rustc-env=MONITUI_COMMIT={commit}");
    println!("cargo::rustc-env=MONITUI_BUILD_DATE={}", build_date());
}

/// Runs git with `args` in the package directory; its trimmed output on
/// success.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The short hash of HEAD, when this is a git checkout (of this package:
/// an unpacked crate inside some other repository must not take that
/// repository's commit).
fn git_commit() -> Option<String> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().ok()?;
    if Path::new(&top).canonicalize().ok()? != here {
        return None;
    }
    git(&["rev-parse", "--short=7", "HEAD"])
}

/// The files whose change means another commit: HEAD, the branch it points
/// at and packed-refs (only those that exist: cargo re-runs a build script
/// on every build when a watched path is missing).
fn git_state_files() -> Vec<String> {
    let mut names = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        names.push(branch);
    }
    names
        .iter()
        .filter_map(|name| git(&["rev-parse", "--path-format=absolute", "--git-path", name]))
        .filter(|path| Path::new(path).exists())
        .collect()
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json`.
fn packaged_commit() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".cargo_vcs_info.json");
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    stamp::commit_from_vcs_info(&std::fs::read_to_string(path).ok()?)
}

/// The build date as YYYY-MM-DD (UTC).
fn build_date() -> String {
    stamp::date_of(
        std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            }),
    )
}
