//! The checks behind monitui's fuzz targets, one function per target.
//!
//! Each `fuzz_targets/<name>.rs` only hands libFuzzer's input to the function
//! of the same name here, and `tests/fuzz_regressions.rs` (which includes
//! this file) runs the same function on every input kept under
//! `tests/fuzz_regressions/<name>/`, so a crash found once stays fixed in
//! CI without cargo-fuzz. A check panics when a property does not hold;
//! bad input is fine as long as it is refused with a message.
//!
//! Adding a target: write `pub fn <name>(data: &[u8])` here (or in its
//! own file under `src/`, included with `#[path]` so that the regression
//! test's `#[path]` include finds it too), add it to
//! [`TARGETS`] (sorted), add `fuzz_targets/<name>.rs` and a `[[bin]]` to
//! `fuzz/Cargo.toml`.

use std::path::PathBuf;

#[path = "dashboard_body.rs"]
mod dashboard_body_check;
#[path = "filter_pattern.rs"]
mod filter_pattern_check;
#[path = "insights_query.rs"]
mod insights_query_check;
#[path = "provision_spec.rs"]
mod provision_spec_check;
#[path = "trail_records.rs"]
mod trail_records_check;

pub use dashboard_body_check::check as dashboard_body;
pub use filter_pattern_check::check as filter_pattern;
pub use insights_query_check::check as insights_query;
pub use provision_spec_check::check as provision_spec;
pub use trail_records_check::check as trail_records;

use monitui::alarm_rule::Rule;
use monitui::cli::args::{GlobalArgs, parse_duration};
use monitui::config::LoadedConfig;
use monitui::config::theme::{load_theme, parse_theme};
use monitui::model::AlarmState;
use monitui::sanitize::{MAX_LINE_CHARS, is_safe_char, sanitize_line, sanitize_text};

/// A target's check: panics when a property does not hold for the input.
pub type Check = fn(&[u8]);

/// Every target by name, sorted, for the regression test.
pub const TARGETS: &[(&str, Check)] = &[
    ("alarm_rule", alarm_rule),
    ("config", config),
    ("dashboard_body", dashboard_body),
    ("duration", duration),
    ("filter_pattern", filter_pattern),
    ("insights_query", insights_query),
    ("provision_spec", provision_spec),
    ("sanitize", sanitize),
    ("theme", theme),
    ("trail_records", trail_records),
];

/// The composite-alarm rule language: a refusal points inside the text;
/// a rule that parses prints in its own language and parses back to the
/// same rule, and its tree has one line per node with the rule's value at
/// the root whatever the children's states.
pub fn alarm_rule(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rule = match Rule::parse(text) {
        Ok(rule) => rule,
        Err(e) => {
            assert!(e.offset <= text.chars().count(), "{e} outside {text:?}");
            assert_message(&e.message);
            return;
        }
    };
    let printed = rule.to_string();
    assert_eq!(
        Rule::parse(&printed).as_ref(),
        Ok(&rule),
        "{text:?} printed as {printed:?}"
    );
    let children = rule.children();
    for states in [AlarmState::Alarm, AlarmState::Ok] {
        let lookup = |n: &str| children.iter().any(|c| c == n).then_some(states);
        let tree = rule.tree(&lookup);
        assert_eq!(tree[0].value, rule.eval(&lookup));
        assert!(
            tree.iter().all(|l| l.value.is_some()),
            "every child is known"
        );
    }
}

/// The config file parser: any text is either a config whose every env
/// resolves (or is refused with a message) or an error naming a position
/// inside the text.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = PathBuf::from("/nonexistent/monitui-fuzz/config.toml");
    let loaded = match LoadedConfig::from_text(path, text) {
        Ok(loaded) => loaded,
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "{e}");
            assert_message(&e.to_string());
            if let Some(pos) = parse_position(&e) {
                assert_within(text, pos);
            }
            return;
        }
    };
    let envs = loaded.known_envs();
    assert!(envs.iter().any(|e| e == "demo"), "demo always exists");
    for env in envs {
        let global = GlobalArgs {
            env: Some(env.clone()),
            ..GlobalArgs::default()
        };
        match loaded.resolve(&global, &|_| None) {
            Ok(resolved) => {
                assert_eq!(resolved.name, env);
                assert!(!resolved.refresh.is_zero(), "{env}: zero refresh");
            }
            Err(e) => assert_message(&e.to_string()),
        }
    }
}

/// The duration parser (`--refresh`, `--for`, `refresh = "30s"`): a
/// duration it accepts is never zero, and the way monitui prints a
/// duration (`config show`) reads back as the same duration.
pub fn duration(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_duration(text) {
        Ok(d) => {
            assert!(!d.is_zero(), "{text:?} parsed as zero");
            let shown = humantime::format_duration(d).to_string();
            assert_eq!(parse_duration(&shown), Ok(d), "{text:?} shown as {shown:?}");
        }
        Err(message) => assert_message(&message),
    }
}

/// The terminal sanitiser: whatever comes in, what goes out holds no
/// control character (no ESC, no C0 or C1, no DEL), no bidi control or
/// invisible character, fits [`MAX_LINE_CHARS`] plus the cut marker, and
/// comes out the same when sanitised again.
pub fn sanitize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let line = sanitize_line(&text);
    assert_safe(&line);
    assert!(line.chars().count() <= MAX_LINE_CHARS + 1, "line too long");
    assert_eq!(sanitize_line(&line), line, "not idempotent");
    if text.len() <= MAX_LINE_CHARS && text.chars().all(is_safe_char) {
        assert_eq!(line, text, "plain text was changed");
    }
    let lines = sanitize_text(&text);
    assert_eq!(lines.matches('\n').count(), text.matches('\n').count());
    lines.split('\n').for_each(assert_safe);
}

/// The theme parser, alone and over the built-in default: any text is a
/// theme or an error naming a position inside the text.
pub fn theme(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = load_theme("default", None).expect("the built-in default theme loads");
    for base in [None, Some(base)] {
        match parse_theme("fuzz", "fuzz.toml", text, base) {
            Ok(theme) => assert_eq!(theme.name, "fuzz"),
            Err(e) => {
                assert_eq!(e.exit_code(), 2, "{e}");
                assert_message(&e.to_string());
                if let monitui::config::ThemeError::Parse { pos, .. } = &e {
                    assert_within(text, pos);
                }
            }
        }
    }
}

fn assert_safe(line: &str) {
    if let Some(c) = line.chars().find(|&c| !is_safe_char(c)) {
        panic!("{c:?} survived sanitising: {line:?}");
    }
}

fn assert_message(message: &str) {
    assert!(!message.trim().is_empty(), "an error without a message");
}

fn parse_position(e: &monitui::config::ConfigError) -> Option<&monitui::config::Position> {
    use monitui::config::ConfigError::{BadValue, Parse};
    match e {
        Parse { pos, .. } | BadValue { pos, .. } => Some(pos),
        _ => None,
    }
}

/// A position an error names is a line of the text (or just past its end).
fn assert_within(text: &str, pos: &monitui::config::Position) {
    if let Some((line, column)) = pos.line_col {
        let lines = text.split('\n').count();
        assert!(line >= 1 && line <= lines, "line {line} of {lines}");
        let width = text
            .split('\n')
            .nth(line - 1)
            .map_or(0, |l| l.chars().count());
        assert!(
            column >= 1 && column <= width + 1,
            "column {column} of {width}"
        );
    }
}
