//! Themes: built-ins, user overrides, partial user themes, and errors.

use std::path::Path;

use monitui::config::theme::{
    BUILTIN_THEMES, ThemeError, ThemeSource, list_themes, load_theme, parse_theme,
};
use ratatui::style::Color;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_builtin_theme_sets_every_key() {
    for (name, text) in BUILTIN_THEMES {
        let theme = parse_theme(name, name, text, None)
            .unwrap_or_else(|e| panic!("built-in theme {name} is incomplete: {e}"));
        assert_eq!(theme.name, name);
    }
}

#[test]
fn builtins_load_by_name() {
    let default = load_theme("default", None).unwrap();
    assert!(!default.monochrome);
    assert_eq!(default.name, "default");
    let light = load_theme("light", None).unwrap();
    assert_ne!(light, default);
}

#[test]
fn mono_theme_has_no_colour() {
    let mono = load_theme("mono", None).unwrap();
    assert!(mono.monochrome);
    let colours = [
        mono.fg,
        mono.bg,
        mono.dim,
        mono.accent,
        mono.border,
        mono.alarm,
        mono.insufficient,
        mono.ok,
        mono.selection_fg,
        mono.selection_bg,
        mono.header_bg,
        mono.prod_badge,
        mono.env_badge,
        mono.badge_fg,
    ];
    assert!(colours.iter().all(|c| *c == Color::Reset), "{mono:?}");
}

#[test]
fn unknown_theme_lists_available_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ocean.toml", "accent = \"blue\"\n");
    let err = load_theme("solarized", Some(dir.path())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown theme 'solarized'; available: default, high-contrast, light, mono, ocean"
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn theme_names_cannot_escape_the_themes_dir() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("themes");
    std::fs::create_dir(&inner).unwrap();
    write(dir.path(), "outside.toml", "accent = \"blue\"\n");
    let err = load_theme("../outside", Some(&inner)).unwrap_err();
    assert!(matches!(err, ThemeError::Unknown { .. }), "{err:?}");
}

#[test]
fn partial_user_theme_falls_back_to_default_values() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ocean.toml",
        "accent = \"#0087af\"\nalarm = \"123\"\n",
    );
    let ocean = load_theme("ocean", Some(dir.path())).unwrap();
    let default = load_theme("default", None).unwrap();
    assert_eq!(ocean.name, "ocean");
    assert_eq!(ocean.accent, Color::Rgb(0x00, 0x87, 0xaf));
    assert_eq!(ocean.alarm, Color::Indexed(123));
    assert_eq!(ocean.ok, default.ok);
    assert_eq!(ocean.border, default.border);
}

#[test]
fn user_theme_overrides_builtin_of_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "light.toml", "accent = \"magenta\"\n");
    assert_eq!(
        load_theme("light", Some(dir.path())).unwrap().accent,
        Color::Magenta
    );
    let listed = list_themes(Some(dir.path()));
    let light = listed.iter().find(|t| t.name == "light").unwrap();
    assert_eq!(light.source, ThemeSource::User(path));
}

#[test]
fn list_includes_builtins_and_user_toml_files_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ocean.toml", "");
    write(dir.path(), "notes.txt", "");
    let names: Vec<String> = list_themes(Some(dir.path()))
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(
        names,
        ["default", "high-contrast", "light", "mono", "ocean"]
    );
    let builtin_only = list_themes(Some(&dir.path().join("missing")));
    assert_eq!(builtin_only.len(), BUILTIN_THEMES.len());
    assert!(
        builtin_only
            .iter()
            .all(|t| t.source == ThemeSource::Builtin)
    );
}

#[test]
fn malformed_theme_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "broken.toml", "fg = \"red\"\naccent = \n");
    let err = load_theme("broken", Some(dir.path())).unwrap_err();
    let ThemeError::Parse { pos, .. } = &err else {
        panic!("expected a parse error, got {err:?}");
    };
    assert_eq!(pos.file, path.display().to_string());
    assert_eq!(pos.line(), Some(2));
    assert!(pos.column().is_some());
    assert!(
        err.to_string()
            .starts_with(&format!("{}:2:", path.display())),
        "{err}"
    );
}

#[test]
fn unknown_theme_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.toml", "fg = \"red\"\naccnet = \"blue\"\n");
    let err = load_theme("t", Some(dir.path())).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("t.toml:2:"), "{text}");
    assert!(text.contains("unknown key 'accnet'"), "{text}");
}

#[test]
fn bad_colour_names_key_and_value() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.toml", "\nalarm = \"reddish\"\n");
    let err = load_theme("t", Some(dir.path())).unwrap_err();
    let ThemeError::BadColour { pos, key, value } = &err else {
        panic!("expected a bad-colour error, got {err:?}");
    };
    assert_eq!((key.as_str(), value.as_str()), ("alarm", "reddish"));
    assert_eq!(pos.line(), Some(2));
}

#[test]
fn wrong_value_types_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.toml", "fg = 3\n");
    write(dir.path(), "b.toml", "monochrome = \"yes\"\n");
    for name in ["a", "b"] {
        let err = load_theme(name, Some(dir.path())).unwrap_err();
        assert!(matches!(err, ThemeError::Parse { .. }), "{err:?}");
        assert!(err.to_string().contains(":1:"), "{err}");
    }
}

#[test]
fn complete_theme_reports_missing_key() {
    let err = parse_theme("x", "x.toml", "fg = \"red\"\n", None).unwrap_err();
    assert!(matches!(err, ThemeError::MissingKey { .. }), "{err:?}");
    assert!(err.to_string().starts_with("x.toml: missing key"), "{err}");
}
