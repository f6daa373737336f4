//! `monitui config init` and `monitui config show`.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::args::{ConfigCommand, GlobalArgs, OutputFormat};
use crate::config::init::write_example;
use crate::config::resolve::process_var;
use crate::config::{LoadedConfig, ResolvedEnv, config_path};
use crate::sanitize::sanitize_line;

/// Runs a `config` subcommand. Configuration errors come back as a
/// [`crate::config::ConfigError`] inside the `anyhow::Error`, so the caller
/// can exit with status 2 for them.
pub fn run_config(cmd: &ConfigCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Init { path, force } => {
            let target = path.clone().unwrap_or_else(|| config_path(global));
            write_example(&target, *force)?;
            println!(
                "wrote example config to {}",
                sanitize_line(&target.display().to_string())
            );
            Ok(())
        }
        ConfigCommand::Show { output } => {
            let loaded = LoadedConfig::load(global)?;
            let env = loaded.resolve(global, &process_var)?;
            print!("{}", render_show(&env, &loaded, *output)?);
            Ok(())
        }
    }
}

/// What `config show --output json` prints: the env plus where the file is.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    env: &'a ResolvedEnv,
    config_path: &'a PathBuf,
    config_exists: bool,
}

/// The text `config show` prints for `env` resolved from `loaded`, every
/// value sanitised (the config file is text anyone with access to it can
/// fill with escape sequences).
fn render_show(
    env: &ResolvedEnv,
    loaded: &LoadedConfig,
    output: OutputFormat,
) -> anyhow::Result<String> {
    if output == OutputFormat::Json {
        let json = ShowJson {
            env,
            config_path: &loaded.path,
            config_exists: loaded.exists,
        };
        return Ok(super::json::to_json(&json)?);
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let file_state = if loaded.exists {
        " (exists)"
    } else {
        " (not found)"
    };
    let mut rows = vec![
        ("env", env.name.clone()),
        ("kind", env.kind.as_str().to_string()),
        ("profile", opt(&env.profile)),
        ("region", opt(&env.region)),
        ("endpoint_url", opt(&env.endpoint_url)),
        ("prefix", env.prefix.clone()),
        ("sns_topic", opt(&env.sns_topic)),
        ("read_only", env.read_only.to_string()),
        ("confirm_mutations", env.confirm_mutations.to_string()),
        ("theme", env.theme.clone()),
        (
            "refresh",
            humantime::format_duration(env.refresh).to_string(),
        ),
        ("pinned_metrics", env.pinned_metrics.len().to_string()),
    ];
    if env.kind == crate::config::EnvKind::Demo {
        rows.push(("seed", env.seed.to_string()));
    }
    rows.push((
        "themes_dir",
        env.themes_dir
            .as_ref()
            .map_or_else(|| "-".into(), |d| d.display().to_string()),
    ));
    rows.push((
        "config_file",
        format!("{}{file_state}", loaded.path.display()),
    ));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    Ok(rows
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {}\n", sanitize_line(v)))
        .collect())
}
