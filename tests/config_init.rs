//! `config init`: the example parses, parent dirs are created, existing
//! files are kept unless forced, and no temp file is left behind.

use std::path::PathBuf;

use monitui::cli::args::GlobalArgs;
use monitui::config::init::{EXAMPLE_CONFIG, write_example};
use monitui::config::{ConfigError, LoadedConfig};

fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn example_parses_and_has_the_documented_envs() {
    let cfg = LoadedConfig::from_text(PathBuf::from("example.toml"), EXAMPLE_CONFIG)
        .unwrap_or_else(|e| panic!("example config does not parse: {e}"));
    assert_eq!(cfg.known_envs(), ["demo", "local", "prod", "staging"]);
    assert_eq!(cfg.file.envs["prod"].pinned_metrics.len(), 2);
}

#[test]
fn example_documents_every_env_key() {
    let keys = [
        "kind",
        "profile",
        "region",
        "endpoint_url",
        "prefix",
        "sns_topic",
        "read_only",
        "confirm_mutations",
        "theme",
        "refresh",
        "seed",
        "pinned_metrics",
        "saved_queries",
        "themes_dir",
        "default_env",
    ];
    for key in keys {
        assert!(EXAMPLE_CONFIG.contains(key), "example lacks {key}");
    }
}

#[test]
fn example_resolves_every_env() {
    let cfg = LoadedConfig::from_text(PathBuf::from("example.toml"), EXAMPLE_CONFIG).unwrap();
    for name in cfg.known_envs() {
        let global = GlobalArgs {
            env: Some(name.clone()),
            ..GlobalArgs::default()
        };
        let env = cfg
            .resolve(&global, &|_| None)
            .unwrap_or_else(|e| panic!("env {name}: {e}"));
        assert_eq!(env.name, name);
    }
}

#[test]
fn writes_the_example_creating_parent_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/config.toml");
    write_example(&path, false).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), EXAMPLE_CONFIG);
    assert_eq!(entries(&dir.path().join("a/b")), ["config.toml"]);
    let global = GlobalArgs {
        config: Some(path),
        ..GlobalArgs::default()
    };
    assert!(LoadedConfig::load(&global).unwrap().exists);
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "# mine\n").unwrap();
    let err = write_example(&path, false).unwrap_err();
    assert!(matches!(err, ConfigError::AlreadyExists { .. }), "{err:?}");
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(err.exit_code(), 2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
    assert_eq!(entries(dir.path()), ["config.toml"]);
}

#[test]
fn force_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "# mine\n").unwrap();
    write_example(&path, true).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), EXAMPLE_CONFIG);
    assert_eq!(entries(dir.path()), ["config.toml"]);
}

#[test]
fn unwritable_location_is_reported_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let err = write_example(&blocker.join("config.toml"), false).unwrap_err();
    assert!(matches!(err, ConfigError::Write { .. }), "{err:?}");
    assert_eq!(entries(dir.path()), ["file"]);
}
