//! Choosing the environment and deciding each of its settings:
//! command-line flag, else the env's table in the config file, else the
//! built-in default.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::ConfigError;
use super::env::{EnvKind, ResolvedEnv};
use super::file::{BUILTIN_DEMO, ConfigFile, EnvSettings, check_endpoint_url, parse_config};
use super::flags::GlobalArgs;
use super::theme::{MONO_THEME, load_theme};

/// Looks up an environment variable; tests pass a fixed map instead of the process env.
pub type VarLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Name of the env made up from `--endpoint-url` when no env is chosen.
pub const ADHOC_ENV: &str = "adhoc";

/// Default resource name prefix.
pub const DEFAULT_PREFIX: &str = "ecommerce-ai-platform";

/// Region used when nothing else names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Demo account seed when the config does not set one.
pub const DEFAULT_SEED: u64 = 23;

/// The config file path: `--config` / `MONITUI_CONFIG`, else `config.toml`
/// in the platform config dir (e.g. `~/.config/monitui/config.toml`), else
/// `monitui.toml` in the working directory when the platform has no home dir.
pub fn config_path(global: &GlobalArgs) -> PathBuf {
    global.config.clone().unwrap_or_else(|| {
        project_config_dir()
            .map_or_else(|| PathBuf::from("monitui.toml"), |d| d.join("config.toml"))
    })
}

/// Resolves the environment to use from the config file, the global flags
/// and the process environment (`NO_COLOR`, `AWS_REGION`, ...). Fails on
/// a bad config file, an unknown env or an unknown theme.
pub fn resolve(global: &GlobalArgs) -> Result<ResolvedEnv, ConfigError> {
    LoadedConfig::load(global)?.resolve(global, &process_var)
}

/// Resolves every env `--env` names: one, a comma-separated list
/// (`prod,staging`) or `all` (every env of the config file). Only the
/// commands that show several envs at once call this; [`resolve`] refuses
/// a list.
pub fn resolve_several(global: &GlobalArgs) -> Result<EnvChoice, ConfigError> {
    LoadedConfig::load(global)?.resolve_several(global, &process_var)
}

/// The `--env` value that means every env of the config file.
pub const ALL_ENVS: &str = "all";

/// The envs a command shows at once, in the order asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvChoice {
    /// The envs, never empty, each named once.
    pub envs: Vec<ResolvedEnv>,
    /// Whether `--env` asked for several (a list or `all`): output then
    /// names each row's env even when the list came down to one.
    pub several: bool,
}

/// The names in an `--env` value that asks for several envs (a comma in
/// it, or `all`), or `None` for a single name.
fn several_names(given: &str, config: &LoadedConfig) -> Option<Vec<String>> {
    let given = given.trim();
    if given == ALL_ENVS {
        let mut names: Vec<String> = config.file.envs.keys().cloned().collect();
        if names.is_empty() {
            names.push(BUILTIN_DEMO.to_string());
        }
        return Some(names);
    }
    if !given.contains(',') {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for name in given.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Some(names)
}

/// Reads a variable from the process environment: the [`VarLookup`] for real runs.
pub fn process_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Every env name a user can pass to `--env`, sorted (always includes `demo`).
pub fn known_envs(global: &GlobalArgs) -> Result<Vec<String>, ConfigError> {
    Ok(LoadedConfig::load(global)?.known_envs())
}

/// The user themes dir for these flags (see [`LoadedConfig::themes_dir`]).
pub fn user_themes_dir(global: &GlobalArgs) -> Result<Option<PathBuf>, ConfigError> {
    Ok(LoadedConfig::load(global)?.themes_dir())
}

/// A config file read from disk (or its absence) and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    /// Where the file is (or would be).
    pub path: PathBuf,
    /// Whether the file exists; without one only the built-in demo env exists.
    pub exists: bool,
    /// Its checked contents (empty when it does not exist).
    pub file: ConfigFile,
}

impl LoadedConfig {
    /// Reads the config file named by the flags. A missing file at the
    /// default path is fine; a missing file named explicitly is an error.
    pub fn load(global: &GlobalArgs) -> Result<Self, ConfigError> {
        let path = config_path(global);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_text(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && global.config.is_none() => {
                Ok(Self {
                    path,
                    exists: false,
                    file: ConfigFile::default(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(ConfigError::NotFound { path })
            }
            Err(source) => Err(ConfigError::Io { path, source }),
        }
    }

    /// Checks config `text` as if read from `path`.
    pub fn from_text(path: PathBuf, text: &str) -> Result<Self, ConfigError> {
        let file = parse_config(&path.display().to_string(), text)?;
        Ok(Self {
            path,
            exists: true,
            file,
        })
    }

    /// Every env name, sorted, including the built-in `demo`.
    pub fn known_envs(&self) -> Vec<String> {
        let mut names: Vec<String> = self.file.envs.keys().cloned().collect();
        if !self.file.envs.contains_key(BUILTIN_DEMO) {
            names.push(BUILTIN_DEMO.to_string());
        }
        names.sort();
        names
    }

    /// The user themes dir: `themes_dir` from the file (relative to the
    /// file's directory), else `themes/` in the platform config dir.
    pub fn themes_dir(&self) -> Option<PathBuf> {
        match &self.file.themes_dir {
            Some(dir) if dir.is_relative() => {
                Some(self.path.parent().unwrap_or(Path::new(".")).join(dir))
            }
            Some(dir) => Some(dir.clone()),
            None => project_config_dir().map(|d| d.join("themes")),
        }
    }

    /// Resolves every env `--env` names (see [`resolve_several`]); a
    /// single name resolves as [`LoadedConfig::resolve`] does.
    pub fn resolve_several(
        &self,
        global: &GlobalArgs,
        vars: VarLookup,
    ) -> Result<EnvChoice, ConfigError> {
        let chosen = global.env.clone().or_else(|| self.file.default_env.clone());
        let Some(names) = chosen
            .as_deref()
            .and_then(|given| several_names(given, self))
        else {
            return Ok(EnvChoice {
                envs: vec![self.resolve(global, vars)?],
                several: false,
            });
        };
        let envs = names
            .into_iter()
            .map(|name| {
                let one = GlobalArgs {
                    env: Some(name),
                    ..global.clone()
                };
                self.resolve(&one, vars)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if envs.is_empty() {
            return Err(ConfigError::UnknownEnv {
                name: chosen.unwrap_or_default(),
                known: self.known_envs(),
            });
        }
        Ok(EnvChoice {
            envs,
            several: true,
        })
    }

    /// Picks the env (`--env`, else `default_env`, else `adhoc` when only
    /// `--endpoint-url` is given, else `demo`), applies flag overrides and
    /// checks that its theme exists. `vars` reads environment variables.
    pub fn resolve(
        &self,
        global: &GlobalArgs,
        vars: VarLookup,
    ) -> Result<ResolvedEnv, ConfigError> {
        if let Some(url) = &global.endpoint_url {
            check_endpoint_url(url).map_err(|reason| ConfigError::BadFlag {
                flag: "--endpoint-url".into(),
                reason,
            })?;
        }
        let chosen = global.env.clone().or_else(|| self.file.default_env.clone());
        if let Some(given) = &chosen
            && several_names(given, self).is_some()
        {
            return Err(ConfigError::SeveralEnvs {
                given: given.clone(),
                known: self.known_envs(),
            });
        }
        let (name, settings) = match chosen {
            Some(name) => {
                let settings = self.settings(&name)?;
                (name, settings)
            }
            None if global.endpoint_url.is_some() => {
                (ADHOC_ENV.to_string(), adhoc_settings(global, vars))
            }
            None => (BUILTIN_DEMO.to_string(), self.settings(BUILTIN_DEMO)?),
        };
        let mut env = apply(name, settings, global, vars, self.themes_dir());
        env.clipboard = self.file.clipboard.unwrap_or(true);
        load_theme(&env.theme, env.themes_dir.as_deref())?;
        Ok(env)
    }

    fn settings(&self, name: &str) -> Result<EnvSettings, ConfigError> {
        match self.file.envs.get(name) {
            Some(settings) => Ok(settings.clone()),
            None if name == BUILTIN_DEMO => Ok(EnvSettings {
                kind: Some(EnvKind::Demo),
                ..EnvSettings::default()
            }),
            None => Err(ConfigError::UnknownEnv {
                name: name.to_string(),
                known: self.known_envs(),
            }),
        }
    }
}

/// The `adhoc` env: AWS through the standard credential chain, region from
/// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-east-1.
fn adhoc_settings(global: &GlobalArgs, vars: VarLookup) -> EnvSettings {
    let from_env = |name: &str| vars(name).filter(|v| !v.is_empty());
    let region = global
        .region
        .clone()
        .or_else(|| from_env("AWS_REGION"))
        .or_else(|| from_env("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| FALLBACK_REGION.to_string());
    EnvSettings {
        kind: Some(EnvKind::Aws),
        region: Some(region),
        ..EnvSettings::default()
    }
}

/// Combines flags, file settings and defaults into the final env.
fn apply(
    name: String,
    settings: EnvSettings,
    global: &GlobalArgs,
    vars: VarLookup,
    themes_dir: Option<PathBuf>,
) -> ResolvedEnv {
    let kind = settings.kind.unwrap_or(if name == BUILTIN_DEMO {
        EnvKind::Demo
    } else {
        EnvKind::Aws
    });
    let default_refresh = match kind {
        EnvKind::Aws => Duration::from_secs(15),
        EnvKind::Demo => Duration::from_secs(5),
    };
    let default_region = (kind == EnvKind::Demo).then(|| FALLBACK_REGION.to_string());
    let no_color = global.no_color || vars("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = if no_color {
        MONO_THEME.to_string()
    } else {
        global
            .theme
            .clone()
            .or(settings.theme)
            .unwrap_or_else(|| "default".to_string())
    };
    ResolvedEnv {
        kind,
        profile: global.profile.clone().or(settings.profile),
        region: global.region.clone().or(settings.region).or(default_region),
        endpoint_url: global.endpoint_url.clone().or(settings.endpoint_url),
        prefix: settings
            .prefix
            .unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
        sns_topic: settings.sns_topic,
        read_only: global.read_only || settings.read_only.unwrap_or(false),
        confirm_mutations: settings
            .confirm_mutations
            .unwrap_or_else(|| name.starts_with("prod")),
        theme,
        timezone: global
            .tz
            .clone()
            .or(settings.timezone)
            .unwrap_or_else(|| "UTC".to_string()),
        refresh: global
            .refresh
            .or(settings.refresh)
            .unwrap_or(default_refresh),
        seed: settings.seed.unwrap_or(DEFAULT_SEED),
        pinned_metrics: settings.pinned_metrics,
        config_queries: settings.saved_queries,
        log_buffer_lines: settings
            .log_buffer_lines
            .unwrap_or(super::env::DEFAULT_LOG_BUFFER_LINES),
        log_buffer_bytes: settings
            .log_buffer_bytes
            .unwrap_or(super::env::DEFAULT_LOG_BUFFER_BYTES),
        related_logs: settings.related_logs,
        error_pattern: settings.error_pattern,
        slos: settings.slos,
        clipboard: true,
        themes_dir,
        name,
    }
}

/// `~/.config/monitui` or the platform's equivalent, if there is a home dir.
fn project_config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "monitui").map(|d| d.config_dir().to_path_buf())
}
