//! The `config` and `themes` subcommands and config errors, run through the
//! binary: output, and exit status 2 for bad configuration.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary with a private, empty config dir and none of the variables
/// that would change resolution.
fn monitui(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("monitui").unwrap();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("MONITUI_CONFIG")
        .env_remove("MONITUI_ENV")
        .env_remove("NO_COLOR")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE");
    cmd
}

/// Writes `contents` to `home/cfg.toml` and returns its path.
fn write_config(home: &Path, contents: &str) -> PathBuf {
    let path = home.join("cfg.toml");
    std::fs::write(&path, contents).unwrap();
    path
}

fn show_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd
        .args(["config", "show", "--output", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn init_writes_default_path_then_refuses_then_forces() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(".config/monitui/config.toml");
    monitui(home.path())
        .args(["config", "init"])
        .assert()
        .success()
        .stdout(predicate::str::contains(path.display().to_string()));
    assert!(path.is_file());
    std::fs::write(&path, "# edited\n").unwrap();
    monitui(home.path())
        .args(["config", "init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# edited\n");
    monitui(home.path())
        .args(["config", "init", "--force"])
        .assert()
        .success();
    assert_ne!(std::fs::read_to_string(&path).unwrap(), "# edited\n");
}

#[test]
fn show_without_config_file_is_the_builtin_demo() {
    let home = tempfile::tempdir().unwrap();
    let json = show_json(&mut monitui(home.path()));
    assert_eq!(json["name"], "demo");
    assert_eq!(json["kind"], "demo");
    assert_eq!(json["config_exists"], false);
    monitui(home.path())
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(not found)"));
}

#[test]
fn show_reads_the_initialised_example_and_applies_flags() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("cfg.toml");
    let path_arg = path.to_str().unwrap();
    monitui(home.path())
        .args(["config", "init", "--path", path_arg])
        .assert()
        .success();
    let json = show_json(monitui(home.path()).args([
        "--config",
        path_arg,
        "--env",
        "prod",
        "--region",
        "eu-west-1",
        "--refresh",
        "2m",
    ]));
    assert_eq!(json["name"], "prod");
    assert_eq!(json["profile"], "ecommerce-prod");
    assert_eq!(json["region"], "eu-west-1");
    assert_eq!(json["refresh"], "2m");
    assert_eq!(json["confirm_mutations"], true);
    assert_eq!(json["config_exists"], true);
    assert_eq!(json["config_path"], path_arg);
}

#[test]
fn config_env_variable_names_the_file() {
    let home = tempfile::tempdir().unwrap();
    let path = write_config(
        home.path(),
        "default_env = \"local\"\n[envs.local]\nendpoint_url = \"http://127.0.0.1:4566\"\n",
    );
    let json = show_json(monitui(home.path()).env("MONITUI_CONFIG", &path));
    assert_eq!(json["name"], "local");
    assert_eq!(json["endpoint_url"], "http://127.0.0.1:4566");
}

#[test]
fn malformed_config_exits_2_with_file_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let path = write_config(
        home.path(),
        "[envs.prod]\nregion = \"us-east-1\"\nrefresh \"30s\"\n",
    );
    monitui(home.path())
        .args(["--config", path.to_str().unwrap(), "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:3:9", path.display())));
}

#[test]
fn bad_value_exits_2_naming_env_and_key() {
    let home = tempfile::tempdir().unwrap();
    let path = write_config(home.path(), "[envs.prod]\nkind = \"gcp\"\n");
    monitui(home.path())
        .args(["--config", path.to_str().unwrap(), "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("envs.prod.kind"))
        .stderr(predicate::str::contains("gcp"));
}

#[test]
fn missing_explicit_config_exits_2() {
    let home = tempfile::tempdir().unwrap();
    monitui(home.path())
        .args(["--config", "/nonexistent/monitui.toml", "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn unknown_env_exits_2_listing_known_envs() {
    let home = tempfile::tempdir().unwrap();
    let path = write_config(home.path(), "[envs.prod]\n[envs.local]\n");
    for args in [
        vec!["--env", "foo", "config", "show"],
        vec!["--env", "foo", "alarms", "list"],
    ] {
        monitui(home.path())
            .env("MONITUI_CONFIG", &path)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "unknown environment 'foo'; known: demo, local, prod",
            ));
    }
}

#[test]
fn unknown_theme_exits_2_listing_themes() {
    let home = tempfile::tempdir().unwrap();
    monitui(home.path())
        .args(["--theme", "solarized", "alarms", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown theme 'solarized'"))
        .stderr(predicate::str::contains("high-contrast"));
}

#[test]
fn no_color_flag_and_variable_select_mono() {
    let home = tempfile::tempdir().unwrap();
    let json = show_json(monitui(home.path()).args(["--no-color", "--theme", "light"]));
    assert_eq!(json["theme"], "mono");
    let json = show_json(monitui(home.path()).env("NO_COLOR", "1"));
    assert_eq!(json["theme"], "mono");
}

#[test]
fn themes_list_shows_builtins_and_user_themes() {
    let home = tempfile::tempdir().unwrap();
    let themes = home.path().join(".config/monitui/themes");
    std::fs::create_dir_all(&themes).unwrap();
    let ocean = themes.join("ocean.toml");
    std::fs::write(&ocean, "accent = \"blue\"\n").unwrap();
    let out = monitui(home.path())
        .args(["themes", "list"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(
        lines[0].starts_with("default ") && lines[0].ends_with("built-in"),
        "{stdout}"
    );
    assert!(lines[4].starts_with("ocean "), "{stdout}");
    assert!(lines[4].ends_with(&ocean.display().to_string()), "{stdout}");
}

#[test]
fn themes_dir_from_config_file_is_listed() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("mythemes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("night.toml"), "").unwrap();
    let path = write_config(home.path(), "themes_dir = \"mythemes\"\n");
    monitui(home.path())
        .args(["--config", path.to_str().unwrap(), "themes", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("night"));
    let json = show_json(monitui(home.path()).args([
        "--config",
        path.to_str().unwrap(),
        "--theme",
        "night",
    ]));
    assert_eq!(json["theme"], "night");
}

/// `config show` prints what the config file says through the sanitiser:
/// an OSC 52 clipboard write in a value never reaches the terminal.
#[test]
fn show_sanitises_values_from_the_config_file() {
    let home = tempfile::tempdir().unwrap();
    let config = write_config(
        home.path(),
        "[envs.prod]\nkind = \"demo\"\nprefix = \"shop\\u001b]52;c;ZXZpbA==\\u0007\"\nprofile = \"ops\\u001b[2J\"\n",
    );
    let out = monitui(home.path())
        .arg("--config")
        .arg(&config)
        .args(["--env", "prod", "config", "show"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("shop"), "{stdout}");
}
