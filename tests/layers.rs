//! The layers of DESIGN.md section 7, enforced: every `crate::X` path in
//! `src/` (in `use` lines, grouped imports and inline paths; comments left
//! out) names a module its own top-level module may use. Lower layers
//! never import upper ones, `cli` never draws (no `ui`, `app` or `term`),
//! and the provider implementations (`provider::aws`, `provider::sim`)
//! are named only by `provider`, by `data`, which picks one for a
//! session, and by tests (which run on the demo account); everything else
//! goes through the traits.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each top-level module of `src/` may import (space-separated),
/// bottom layer first. A new module must be placed here.
const LAYERS: &[(&str, &str)] = &[
    // Text safe for a terminal: used by every layer that handles AWS text.
    ("sanitize", ""),
    // Plain domain types.
    ("model", "sanitize"),
    // The filter-pattern and Logs Insights languages, over model types.
    ("filter", "sanitize model"),
    ("insights", "sanitize model filter"),
    ("alarm_rule", "sanitize model"),
    // The files monitui writes.
    ("files", "sanitize"),
    // One interface per service; the aws and sim sides.
    // (The demo account evaluates composite alarm rules.)
    (
        "provider",
        "sanitize model filter insights alarm_rule files",
    ),
    // Spec and plan; apply goes through the provider.
    (
        "provision",
        "sanitize model filter alarm_rule files provider",
    ),
    // Paths, env profiles, the config file, themes (never `cli`).
    ("config", "sanitize model filter insights files"),
    // Fetching, caching, background jobs.
    (
        "data",
        "sanitize model filter insights alarm_rule files provider provision config",
    ),
    // Plain text renderings shared by cli and app (no drawing).
    (
        "report",
        "sanitize model filter insights alarm_rule config data",
    ),
    // UI state and actions: no drawing, no SDK, no terminal.
    (
        "app",
        "sanitize model filter insights alarm_rule files provision config data report",
    ),
    // Drawing: pure functions of the app state.
    (
        "ui",
        "sanitize model filter insights alarm_rule config data report app",
    ),
    // Non-interactive subcommands: never draw.
    (
        "cli",
        "sanitize model filter insights alarm_rule files provider provision config data report",
    ),
    // Terminal setup and restore, the clipboard.
    ("term", "sanitize"),
    // The interactive loop: wires everything.
    (
        "tui",
        "sanitize model filter insights alarm_rule files provider provision config data report app ui cli term",
    ),
];

/// The modules `layer` may import.
fn allowed(layer: &str) -> Option<Vec<&'static str>> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == layer)
        .map(|(_, allowed)| allowed.split_whitespace().collect())
}

/// Provider implementations: only `provider` itself, `data` and test
/// code name them.
const IMPLEMENTATIONS: &[&str] = &["provider::aws", "provider::sim"];
const MAY_NAME_IMPLEMENTATIONS: &[&str] = &["provider", "data"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/data/x.rs` and
/// `src/data.rs`: `data`); `None` for the crate root and the binary.
fn layer_of(src: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(src).unwrap().components().next()?;
    let name = first.as_os_str().to_str()?.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// Every `crate::` path in `code`, grouped imports expanded:
/// `crate::{a::b, c}` gives `a::b` and `c`.
fn crate_paths(code: &str) -> Vec<String> {
    paths_after("crate::", code)
}

/// Every path in `code` that starts with `root` (`crate::`, `super::`),
/// without it, grouped imports expanded.
fn paths_after(root: &str, code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(root) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + root.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `monitui_crate::`, not ours
        }
        expand("", rest, &mut out);
    }
    out
}

/// Appends `prefix` + the path at the start of `text`, expanding a brace
/// group into each of its items.
fn expand(prefix: &str, text: &str, out: &mut Vec<String>) {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    let path = format!("{prefix}{}", &text[..end]);
    if !text[end..].starts_with('{') {
        out.push(path.trim_end_matches(':').to_string());
        return;
    }
    let group = &text[end + 1..];
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                expand(&path, group[start..i].trim(), out);
                return;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&path, group[start..i].trim(), out);
                start = i + 1;
            }
            _ => {}
        }
    }
}

/// The code of a file without its comment lines (doc links to other
/// layers are not imports).
fn code_of(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The part of a file's code (`file` relative to `src/`) that is not a
/// test: nothing of a `tests.rs` or of a file under a `tests/` folder,
/// else what comes before the first `#[cfg(test)]` (test modules close
/// the file).
fn production_code<'a>(file: &Path, code: &'a str) -> &'a str {
    let test_file = file.file_name().is_some_and(|n| n == "tests.rs")
        || file.components().any(|c| c.as_os_str() == "tests");
    if test_file {
        return "";
    }
    code.find("#[cfg(test)]").map_or(code, |at| &code[..at])
}

/// Every import that breaks the rules, as `file: what`.
fn violations() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let known: BTreeSet<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
    let mut out = Vec::new();
    for file in &files {
        let Some(layer) = layer_of(&src, file) else {
            continue;
        };
        let shown = file.strip_prefix(&src).unwrap().display();
        let Some(allowed) = allowed(&layer) else {
            out.push(format!("{shown}: module {layer} is not placed in LAYERS"));
            continue;
        };
        let code = code_of(file);
        let outside_tests = production_code(file.strip_prefix(&src).unwrap(), &code);
        for path in crate_paths(&code) {
            let target = path.split("::").next().unwrap_or_default();
            if target == layer || !known.contains(target) {
                continue; // its own module, or `crate::X` of an item in lib.rs
            }
            if !allowed.contains(&target) {
                out.push(format!("{shown}: {layer} may not import crate::{path}"));
            }
        }
        for path in crate_paths(outside_tests) {
            if IMPLEMENTATIONS.iter().any(|i| path.starts_with(i))
                && !MAY_NAME_IMPLEMENTATIONS.contains(&layer.as_str())
            {
                out.push(format!(
                    "{shown}: {layer} names the provider implementation crate::{path}"
                ));
            }
        }
    }
    out
}

#[test]
fn no_layer_imports_one_it_may_not() {
    let found = violations();
    assert!(
        found.is_empty(),
        "imports against the layers:\n{}",
        found.join("\n")
    );
}

/// What a background job may not name: the central event enum and its
/// sink (in `data::events`). Jobs post their own event types; the
/// refresher makes `DataEvent`s of them where it starts the jobs, so the
/// events module depends on the jobs and never the other way round.
const CENTRAL_EVENTS: &[&str] = &["events::", "DataEvent", "EventSink"];

/// Every file under `src/data/jobs/` (tests too) naming the central events.
fn jobs_naming_central_events() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("data").join("jobs"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        let code = code_of(file);
        for name in CENTRAL_EVENTS {
            if code.contains(name) {
                let shown = file.strip_prefix(&src).unwrap().display();
                out.push(format!("{shown}: names {name}"));
            }
        }
    }
    out
}

#[test]
fn no_job_names_the_central_events() {
    let found = jobs_naming_central_events();
    assert!(
        found.is_empty(),
        "jobs naming data::events:\n{}",
        found.join("\n")
    );
}

/// The app's vocabulary, which every component is built on: `Action` and
/// `Effect` name no other module of `app` (no tab, no view, not the
/// state), so a tab's own keys and messages stay in the tab (as an
/// `Action::Tab`) and the cycle through the central enums (action.rs ->
/// tabs -> action.rs) cannot come back.
const VOCABULARY: &[&str] = &["app/action.rs"];

/// The modules of `app` that `file` (relative to `src/`, in `app/`) names.
fn app_modules_named(file: &str) -> Vec<String> {
    let code = code_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(file));
    let through_crate = crate_paths(&code)
        .into_iter()
        .filter_map(|path| path.strip_prefix("app::").map(str::to_string));
    through_crate.chain(paths_after("super::", &code)).collect()
}

#[test]
fn the_actions_name_no_tab_or_view() {
    for file in VOCABULARY {
        let named = app_modules_named(file);
        assert!(
            named.is_empty(),
            "{file} names other modules of app (a tab's keys belong in the tab, as an Action::Tab): {named:?}"
        );
    }
}

/// The tabs' own jobs (listed in `data/tab_jobs.rs`), by module name.
const TAB_JOBS: &[&str] = &["dashboard", "insights", "logs", "metrics", "trail"];

/// The files every tab's requests and events pass through (the central
/// enums, the refresher, the app's state and event loop): they carry a
/// tab's messages as a `TabMessage` and name no tab job's types, so a new
/// tab does not change them.
const CARRIERS: &[&str] = &[
    "data/events.rs",
    "data/refresher.rs",
    "app/action.rs",
    "app/component.rs",
    "app/state.rs",
    "tui.rs",
];

/// The tab jobs' modules that `file` (relative to `src/`) names, outside
/// its tests.
fn tab_jobs_named(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(file);
    let code = code_of(&path);
    let code = production_code(Path::new(file), &code);
    let mut paths = crate_paths(code);
    if file.starts_with("data/") {
        let data_paths = paths_after("super::", code).into_iter();
        paths.extend(data_paths.map(|p| format!("data::{p}")));
    }
    paths
        .into_iter()
        .filter(|path| {
            TAB_JOBS.iter().any(|job| {
                path.starts_with(&format!("data::jobs::{job}"))
                    || path.starts_with(&format!("data::{job}_job"))
                    || (*job == "insights" && path.starts_with("data::insights"))
            })
        })
        .collect()
}

#[test]
fn the_central_files_name_no_tab_job() {
    for file in CARRIERS {
        let named = tab_jobs_named(file);
        assert!(
            named.is_empty(),
            "{file} names a tab job's types (a tab's messages travel as a TabMessage): {named:?}"
        );
    }
}

#[test]
fn the_scanner_sees_grouped_and_inline_paths() {
    let code = "use crate::{ui::format::x, data::{a, b::c}};\nlet y = crate::term::restore();\nfoo_crate::z";
    assert_eq!(
        crate_paths(code),
        ["ui::format::x", "data::a", "data::b::c", "term::restore"]
    );
    assert_eq!(
        paths_after("super::", "use super::{tabs::logs::LogsKey, component};"),
        ["tabs::logs::LogsKey", "component"]
    );
}

#[test]
fn every_layer_is_a_module_of_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (name, _) in LAYERS {
        assert!(
            src.join(format!("{name}.rs")).exists() || src.join(name).join("mod.rs").exists(),
            "{name}"
        );
        for other in allowed(name).unwrap() {
            assert!(LAYERS.iter().any(|(n, _)| *n == other), "{name} -> {other}");
        }
    }
}
