//! Colour themes: TOML files under `themes/` embedded at build time, plus a
//! user themes dir that adds themes or overrides built-ins by file name.
//!
//! A theme file sets the [`Theme`] fields by name (`fg = "reset"`,
//! `alarm = "#ff5f5f"`, `monochrome = false`). The built-in `default` theme
//! must set every key; any other theme may leave keys out, and those take the
//! built-in default theme's value, so a user theme can be a small override.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color;
use toml::Spanned;

use super::location::{Position, describe_toml_error};

/// The colours the UI draws with. `ui::style` turns these into styles.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Theme name.
    pub name: String,
    /// Normal text.
    pub fg: Color,
    /// Background (`Reset` keeps the terminal's own).
    pub bg: Color,
    /// De-emphasised text (hints, stale data).
    pub dim: Color,
    /// Active tab, key names, highlights.
    pub accent: Color,
    /// Block borders.
    pub border: Color,
    /// ALARM state.
    pub alarm: Color,
    /// INSUFFICIENT_DATA state.
    pub insufficient: Color,
    /// OK state.
    pub ok: Color,
    /// Selected row foreground.
    pub selection_fg: Color,
    /// Selected row background.
    pub selection_bg: Color,
    /// Header line background.
    pub header_bg: Color,
    /// Env badge for production envs (background).
    pub prod_badge: Color,
    /// Env badge for other envs (background).
    pub env_badge: Color,
    /// Text drawn on a badge.
    pub badge_fg: Color,
    /// No colour at all: the UI uses bold/reverse/underline instead.
    pub monochrome: bool,
}

/// Why a theme could not be loaded. The CLI prints it and exits with status 2.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// No built-in or user theme has this name.
    #[error("unknown theme '{name}'; available: {}", .available.join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
        /// Every theme that exists, sorted.
        available: Vec<String>,
    },
    /// The file is not valid TOML, has an unknown key or a value of the wrong type.
    #[error("{pos}: {message}")]
    Parse {
        /// Where.
        pos: Position,
        /// What the parser expected or found.
        message: String,
    },
    /// A colour value is not a colour.
    #[error(
        "{pos}: {key} = \"{value}\" is not a colour; use a name like red or lightblue, \
         #rrggbb, an index 0-255, or reset"
    )]
    BadColour {
        /// Where.
        pos: Position,
        /// Which key.
        key: String,
        /// The value given.
        value: String,
    },
    /// A theme that must be complete (the built-in default) lacks a key.
    #[error("{file}: missing key '{key}'")]
    MissingKey {
        /// The theme file.
        file: String,
        /// The missing key.
        key: String,
    },
    /// A user theme file exists but cannot be read.
    #[error("cannot read theme file {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl ThemeError {
    /// Process exit status for this error: configuration problems exit 2.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// Where a theme comes from; user themes shadow built-ins of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeSource {
    /// Embedded in the binary from `themes/`.
    Builtin,
    /// A `.toml` file in the user themes dir.
    User(PathBuf),
}

impl fmt::Display for ThemeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builtin => write!(f, "built-in"),
            Self::User(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One available theme, for `themes list` and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeInfo {
    /// Theme name (the file name without `.toml`).
    pub name: String,
    /// Where it is loaded from.
    pub source: ThemeSource,
}

/// The themes shipped in the binary: (name, TOML text).
pub const BUILTIN_THEMES: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("light", include_str!("../../themes/light.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// The theme used for `--no-color` and `NO_COLOR`.
pub const MONO_THEME: &str = "mono";

type ColourField = fn(&mut Theme) -> &mut Color;

/// Every colour key of a theme file and the field it sets.
const COLOUR_KEYS: [(&str, ColourField); 14] = [
    ("fg", |t| &mut t.fg),
    ("bg", |t| &mut t.bg),
    ("dim", |t| &mut t.dim),
    ("accent", |t| &mut t.accent),
    ("border", |t| &mut t.border),
    ("alarm", |t| &mut t.alarm),
    ("insufficient", |t| &mut t.insufficient),
    ("ok", |t| &mut t.ok),
    ("selection_fg", |t| &mut t.selection_fg),
    ("selection_bg", |t| &mut t.selection_bg),
    ("header_bg", |t| &mut t.header_bg),
    ("prod_badge", |t| &mut t.prod_badge),
    ("env_badge", |t| &mut t.env_badge),
    ("badge_fg", |t| &mut t.badge_fg),
];

const MONOCHROME_KEY: &str = "monochrome";

/// Loads theme `name`: `<user_dir>/<name>.toml` if that file exists, else the
/// built-in of that name. Keys a theme leaves out take the built-in default
/// theme's value.
pub fn load_theme(name: &str, user_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let unknown = || ThemeError::Unknown {
        name: name.to_string(),
        available: list_themes(user_dir).into_iter().map(|t| t.name).collect(),
    };
    if !is_valid_name(name) {
        return Err(unknown());
    }
    if let Some(path) = user_dir.map(|dir| dir.join(format!("{name}.toml")))
        && path.is_file()
    {
        let text = std::fs::read_to_string(&path).map_err(|source| ThemeError::Io {
            path: path.clone(),
            source,
        })?;
        let file = path.display().to_string();
        return parse_theme(name, &file, &text, Some(builtin_default()?));
    }
    let (_, text) = BUILTIN_THEMES
        .iter()
        .find(|(builtin, _)| *builtin == name)
        .ok_or_else(unknown)?;
    let base = if name == "default" {
        None
    } else {
        Some(builtin_default()?)
    };
    parse_theme(name, &builtin_label(name), text, base)
}

/// Every available theme, sorted by name; a user file replaces the built-in
/// of the same name. An unreadable or missing user dir lists built-ins only.
pub fn list_themes(user_dir: Option<&Path>) -> Vec<ThemeInfo> {
    let mut themes: BTreeMap<String, ThemeSource> = BUILTIN_THEMES
        .iter()
        .map(|(name, _)| (name.to_string(), ThemeSource::Builtin))
        .collect();
    let entries = user_dir.and_then(|dir| std::fs::read_dir(dir).ok());
    for path in entries.into_iter().flatten().flatten().map(|e| e.path()) {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string);
        let is_toml = path.extension().is_some_and(|ext| ext == "toml");
        if let Some(name) = stem.filter(|n| is_toml && is_valid_name(n)) {
            themes.insert(name, ThemeSource::User(path));
        }
    }
    themes
        .into_iter()
        .map(|(name, source)| ThemeInfo { name, source })
        .collect()
}

/// Parses theme TOML `text` (shown as `file` in errors). With `base`, keys
/// left out keep the base's value; without, every key is required.
pub fn parse_theme(
    name: &str,
    file: &str,
    text: &str,
    base: Option<Theme>,
) -> Result<Theme, ThemeError> {
    let table: BTreeMap<String, Spanned<toml::Value>> = toml::from_str(text).map_err(|e| {
        let (pos, message) = describe_toml_error(file, text, &e);
        ThemeError::Parse { pos, message }
    })?;
    let complete = base.is_some();
    let mut theme = base.unwrap_or_else(|| blank_theme(name));
    theme.name = name.to_string();
    let pos = |value: &Spanned<toml::Value>| Position::at(file, text, Some(value.span()));
    for (key, value) in &table {
        if key == MONOCHROME_KEY {
            theme.monochrome = value.get_ref().as_bool().ok_or_else(|| ThemeError::Parse {
                pos: pos(value),
                message: format!("{key} must be true or false"),
            })?;
            continue;
        }
        let field = colour_field(key).ok_or_else(|| ThemeError::Parse {
            pos: pos(value),
            message: format!("unknown key '{key}'; expected one of {}", key_list()),
        })?;
        let text_value = value.get_ref().as_str().ok_or_else(|| ThemeError::Parse {
            pos: pos(value),
            message: format!("{key} must be a string such as \"red\" or \"#ff8800\""),
        })?;
        *field(&mut theme) = Color::from_str(text_value).map_err(|_| ThemeError::BadColour {
            pos: pos(value),
            key: key.clone(),
            value: text_value.to_string(),
        })?;
    }
    if !complete {
        let missing = all_keys().find(|key| !table.contains_key(*key));
        if let Some(key) = missing {
            return Err(ThemeError::MissingKey {
                file: file.to_string(),
                key: key.to_string(),
            });
        }
    }
    Ok(theme)
}

fn builtin_default() -> Result<Theme, ThemeError> {
    parse_theme(
        "default",
        &builtin_label("default"),
        BUILTIN_THEMES[0].1,
        None,
    )
}

fn builtin_label(name: &str) -> String {
    format!("themes/{name}.toml (built-in)")
}

fn colour_field(key: &str) -> Option<ColourField> {
    COLOUR_KEYS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
}

fn all_keys() -> impl Iterator<Item = &'static str> {
    COLOUR_KEYS
        .iter()
        .map(|(k, _)| *k)
        .chain(std::iter::once(MONOCHROME_KEY))
}

fn key_list() -> String {
    all_keys().collect::<Vec<_>>().join(", ")
}

/// Theme names are file stems: letters, digits, `-` and `_` only, so a name
/// can never point outside the themes dir.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn blank_theme(name: &str) -> Theme {
    Theme {
        name: name.to_string(),
        fg: Color::Reset,
        bg: Color::Reset,
        dim: Color::Reset,
        accent: Color::Reset,
        border: Color::Reset,
        alarm: Color::Reset,
        insufficient: Color::Reset,
        ok: Color::Reset,
        selection_fg: Color::Reset,
        selection_bg: Color::Reset,
        header_bg: Color::Reset,
        prod_badge: Color::Reset,
        env_badge: Color::Reset,
        badge_fg: Color::Reset,
        monochrome: false,
    }
}
