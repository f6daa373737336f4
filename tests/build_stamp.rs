//! The version stamp's pure parts (build/stamp.rs, shared with build.rs):
//! the build date of a Unix time and the commit of a packaged crate, which
//! is where a source tarball without git gets its commit from.

#[path = "../build/stamp.rs"]
mod stamp;

#[test]
fn dates_of_unix_times() {
    assert_eq!(stamp::date_of(0), "1970-01-01");
    assert_eq!(stamp::date_of(951_868_800), "2000-03-01");
    assert_eq!(stamp::date_of(1_709_164_800), "2024-02-29");
    assert_eq!(stamp::date_of(1_796_601_600 + 86_399), "2026-12-07");
}

#[test]
fn commit_of_a_packaged_crate() {
    let info = r#"{
  "git": {
    "sha1": "fa9b55a3c0de2b7e9d1f0a4b5c6d7e8f90123456",
    "dirty": true
  },
  "path_in_vcs": ""
}"#;
    assert_eq!(
        stamp::commit_from_vcs_info(info).as_deref(),
        Some("fa9b55a")
    );
    assert_eq!(stamp::commit_from_vcs_info(r#"{"path_in_vcs": ""}"#), None);
    assert_eq!(
        stamp::commit_from_vcs_info(r#"{"git": {"sha1": "abc"}}"#),
        None
    );
}
