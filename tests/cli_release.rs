//! What a release carries that can be checked without a release build:
//! the version stamp (`--version`, the `--help` header, the log file), the
//! shell completions and man pages the binary generates, and the crate
//! metadata `cargo package` needs. scripts/dist builds the real tarball.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

/// The binary with a private, empty home and no monitui variables.
fn monitui(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("monitui").unwrap();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("MONITUI_CONFIG")
        .env_remove("MONITUI_ENV");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// The `(commit date)` part of `monitui 0.1.0 (1a2b3c4 2026-12-07)`.
fn stamp(version_line: &str) -> (String, String) {
    let prefix = format!("monitui {} (", env!("CARGO_PKG_VERSION"));
    let inner = version_line
        .trim_end()
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not `{prefix}COMMIT DATE)`: {version_line:?}"));
    let (commit, date) = inner.split_once(' ').unwrap();
    (commit.to_string(), date.to_string())
}

fn git(args: &[&str]) -> Option<String> {
    let out = Process::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn version_names_the_commit_and_build_date() {
    let home = tempfile::tempdir().unwrap();
    let line = stdout_of(monitui(home.path()).arg("--version"));
    let (commit, date) = stamp(&line);
    assert!(
        jiff::civil::Date::strptime("%Y-%m-%d", &date).is_ok(),
        "{date}"
    );
    if git(&["rev-parse", "--show-toplevel"]).is_some() {
        assert!(
            commit.len() == 7 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "built in a git checkout, so the stamp names a commit: {line}"
        );
        let object = format!("{commit}^{{commit}}");
        assert!(
            git(&["cat-file", "-e", &object]).is_some(),
            "{commit} is not a commit of this repository"
        );
    } else {
        assert_eq!(commit, "unknown", "{line}");
    }
}

#[test]
fn help_header_and_log_file_carry_the_version() {
    let home = tempfile::tempdir().unwrap();
    let version = stdout_of(monitui(home.path()).arg("--version"));
    let help = stdout_of(monitui(home.path()).arg("--help"));
    assert_eq!(help.lines().next(), Some(version.trim_end()), "{help}");

    let log = home.path().join("monitui.log");
    monitui(home.path())
        .args(["--log-file", log.to_str().unwrap(), "themes", "list"])
        .assert()
        .success();
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains(version.trim_end()), "{logged}");
}

#[test]
fn bash_completion_loads_and_completes_subcommands() {
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("monitui.bash");
    std::fs::write(
        &script,
        stdout_of(monitui(home.path()).args(["completions", "bash"])),
    )
    .unwrap();
    // What bash offers after `monitui al<TAB>`.
    let probe = format!(
        "source '{}' && complete -p monitui && COMP_WORDS=(monitui al) COMP_CWORD=1 \
         COMP_LINE='monitui al' COMP_POINT=10 && _monitui monitui al monitui && \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = Process::new("bash").args(["-c", &probe]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("-F _monitui monitui"), "{text}");
    assert!(text.lines().any(|l| l == "alarms"), "{text}");
}

#[test]
fn man_subcommand_writes_every_page() {
    let home = tempfile::tempdir().unwrap();
    let page = stdout_of(monitui(home.path()).arg("man"));
    assert!(page.contains(".SH SYNOPSIS"), "{page}");
    let dir = home.path().join("man");
    monitui(home.path())
        .args(["man", "--dir", dir.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("monitui.1")).unwrap(),
        page
    );
    assert!(dir.join("monitui-alarms-list.1").is_file());
}

#[test]
fn cargo_package_ships_the_sources_licences_and_build_script() {
    let out = Process::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "build.rs",
        "build/stamp.rs",
        "Cargo.lock",
        "LICENSE-APACHE",
        "LICENSE-MIT",
        "README.md",
        "src/main.rs",
        "themes/default.toml",
    ] {
        assert!(
            list.lines().any(|l| l == file),
            "{file} not packaged:\n{list}"
        );
    }
    assert!(!list.lines().any(|l| l.starts_with("tests/")), "{list}");
}
