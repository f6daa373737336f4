//! Environment resolution: which env is chosen and where each setting comes
//! from (flag > config file > built-in default).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use monitui::cli::args::GlobalArgs;
use monitui::config::{ConfigError, EnvKind, LoadedConfig, ResolvedEnv};

const FILE: &str = r#"
default_env = "prod"

[envs.prod]
profile = "ecommerce-prod"
region = "us-east-1"
sns_topic = "arn:aws:sns:us-east-1:123456789012:alerts"
theme = "light"
refresh = "30s"

[envs.staging]
profile = "ecommerce-staging"
read_only = true

[envs.local]
endpoint_url = "http://127.0.0.1:4566"
confirm_mutations = true

[envs.demo]
seed = 99
"#;

fn loaded(text: &str) -> LoadedConfig {
    LoadedConfig::from_text(PathBuf::from("/cfg/config.toml"), text).unwrap()
}

fn resolve_with(
    text: &str,
    global: &GlobalArgs,
    vars: &[(&str, &str)],
) -> Result<ResolvedEnv, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    loaded(text).resolve(global, &|name| vars.get(name).cloned())
}

fn resolve(text: &str, global: &GlobalArgs) -> ResolvedEnv {
    resolve_with(text, global, &[]).unwrap()
}

fn env_flag(name: &str) -> GlobalArgs {
    GlobalArgs {
        env: Some(name.into()),
        ..GlobalArgs::default()
    }
}

#[test]
fn no_file_gives_builtin_demo() {
    let env = resolve("", &GlobalArgs::default());
    let builtin = ResolvedEnv::demo();
    assert_eq!(env.name, "demo");
    assert_eq!(env.kind, EnvKind::Demo);
    assert_eq!(env.refresh, builtin.refresh);
    assert_eq!(env.seed, builtin.seed);
    assert_eq!(env.prefix, builtin.prefix);
    assert!(!env.confirm_mutations);
}

#[test]
fn default_env_from_file_is_used_without_flag() {
    let env = resolve(FILE, &GlobalArgs::default());
    assert_eq!(env.name, "prod");
    assert_eq!(env.kind, EnvKind::Aws);
    assert_eq!(env.profile.as_deref(), Some("ecommerce-prod"));
    assert_eq!(env.refresh, Duration::from_secs(30));
    assert_eq!(env.theme, "light");
}

#[test]
fn env_flag_beats_default_env() {
    let env = resolve(FILE, &env_flag("staging"));
    assert_eq!(env.name, "staging");
    assert_eq!(env.profile.as_deref(), Some("ecommerce-staging"));
    assert!(env.read_only);
}

#[test]
fn defaults_fill_what_the_file_leaves_out() {
    let env = resolve(FILE, &env_flag("staging"));
    assert_eq!(env.prefix, "ecommerce-ai-platform");
    assert_eq!(env.theme, "default");
    assert_eq!(env.refresh, Duration::from_secs(15));
    assert_eq!(env.region, None);
    assert!(!env.confirm_mutations);
}

#[test]
fn confirm_mutations_defaults_on_for_prod_names_only() {
    assert!(resolve(FILE, &env_flag("prod")).confirm_mutations);
    assert!(!resolve(FILE, &env_flag("staging")).confirm_mutations);
    assert!(resolve(FILE, &env_flag("local")).confirm_mutations);
    let prod_eu = resolve("[envs.prod-eu]\n", &env_flag("prod-eu"));
    assert!(prod_eu.confirm_mutations);
}

#[test]
fn file_can_tune_builtin_demo() {
    let env = resolve(FILE, &env_flag("demo"));
    assert_eq!(env.kind, EnvKind::Demo);
    assert_eq!(env.seed, 99);
    assert_eq!(env.refresh, Duration::from_secs(5));
}

#[test]
fn flags_override_the_file() {
    let global = GlobalArgs {
        env: Some("prod".into()),
        profile: Some("other".into()),
        region: Some("eu-west-1".into()),
        endpoint_url: Some("https://monitoring.example.com".into()),
        read_only: true,
        theme: Some("high-contrast".into()),
        refresh: Some(Duration::from_secs(90)),
        ..GlobalArgs::default()
    };
    let env = resolve(FILE, &global);
    assert_eq!(env.profile.as_deref(), Some("other"));
    assert_eq!(env.region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        env.endpoint_url.as_deref(),
        Some("https://monitoring.example.com")
    );
    assert!(env.read_only);
    assert_eq!(env.theme, "high-contrast");
    assert_eq!(env.refresh, Duration::from_secs(90));
    assert_eq!(
        env.sns_topic.as_deref(),
        Some("arn:aws:sns:us-east-1:123456789012:alerts")
    );
}

#[test]
fn endpoint_url_alone_makes_adhoc_env() {
    let global = GlobalArgs {
        endpoint_url: Some("http://127.0.0.1:4566".into()),
        ..GlobalArgs::default()
    };
    let env = resolve_with("", &global, &[("AWS_DEFAULT_REGION", "eu-central-1")]).unwrap();
    assert_eq!(env.name, "adhoc");
    assert_eq!(env.kind, EnvKind::Aws);
    assert_eq!(env.endpoint_url.as_deref(), Some("http://127.0.0.1:4566"));
    assert_eq!(env.profile, None);
    assert_eq!(env.region.as_deref(), Some("eu-central-1"));
}

#[test]
fn adhoc_region_precedence() {
    let mut global = GlobalArgs {
        endpoint_url: Some("http://127.0.0.1:4566".into()),
        ..GlobalArgs::default()
    };
    let both = [
        ("AWS_REGION", "ap-south-1"),
        ("AWS_DEFAULT_REGION", "eu-central-1"),
    ];
    let region =
        |g: &GlobalArgs, vars: &[(&str, &str)]| resolve_with("", g, vars).unwrap().region.unwrap();
    assert_eq!(region(&global, &[]), "us-east-1");
    assert_eq!(region(&global, &both), "ap-south-1");
    global.region = Some("sa-east-1".into());
    assert_eq!(region(&global, &both), "sa-east-1");
}

#[test]
fn endpoint_url_with_default_env_overrides_that_env() {
    let global = GlobalArgs {
        endpoint_url: Some("http://localhost:4566".into()),
        ..GlobalArgs::default()
    };
    let env = resolve(FILE, &global);
    assert_eq!(env.name, "prod");
    assert_eq!(env.endpoint_url.as_deref(), Some("http://localhost:4566"));
}

#[test]
fn bad_endpoint_flag_is_rejected() {
    let global = GlobalArgs {
        endpoint_url: Some("localhost:4566".into()),
        ..GlobalArgs::default()
    };
    let err = resolve_with("", &global, &[]).unwrap_err();
    assert!(matches!(err, ConfigError::BadFlag { .. }), "{err:?}");
    assert!(err.to_string().starts_with("--endpoint-url: "), "{err}");
}

#[test]
fn no_color_flag_forces_mono() {
    let global = GlobalArgs {
        theme: Some("light".into()),
        no_color: true,
        ..GlobalArgs::default()
    };
    assert_eq!(resolve(FILE, &global).theme, "mono");
}

#[test]
fn non_empty_no_color_variable_forces_mono() {
    let env = resolve_with(FILE, &GlobalArgs::default(), &[("NO_COLOR", "1")]).unwrap();
    assert_eq!(env.theme, "mono");
    let empty = resolve_with(FILE, &GlobalArgs::default(), &[("NO_COLOR", "")]).unwrap();
    assert_eq!(empty.theme, "light");
}

#[test]
fn unknown_env_lists_known_envs_sorted() {
    let err = resolve_with(FILE, &env_flag("foo"), &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown environment 'foo'; known: demo, local, prod, staging"
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn unknown_theme_fails_resolution() {
    let global = GlobalArgs {
        theme: Some("solarized".into()),
        ..GlobalArgs::default()
    };
    let err = resolve_with("", &global, &[]).unwrap_err();
    assert!(matches!(err, ConfigError::Theme(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("unknown theme 'solarized'"), "{text}");
    assert!(
        text.contains("default, high-contrast, light, mono"),
        "{text}"
    );
}

#[test]
fn unknown_theme_in_file_fails_resolution() {
    let err = resolve_with("[envs.x]\ntheme = \"nope\"\n", &env_flag("x"), &[]).unwrap_err();
    assert!(err.to_string().contains("unknown theme 'nope'"), "{err}");
}

#[test]
fn relative_themes_dir_is_relative_to_the_config_file() {
    let cfg = loaded("themes_dir = \"mythemes\"\n");
    assert_eq!(cfg.themes_dir(), Some(PathBuf::from("/cfg/mythemes")));
    let env = resolve("themes_dir = \"/abs/themes\"\n", &GlobalArgs::default());
    assert_eq!(env.themes_dir, Some(PathBuf::from("/abs/themes")));
}

#[test]
fn explicit_missing_config_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.toml");
    let global = GlobalArgs {
        config: Some(path.clone()),
        ..GlobalArgs::default()
    };
    let err = LoadedConfig::load(&global).unwrap_err();
    assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn config_file_is_read_from_the_config_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, FILE).unwrap();
    let global = GlobalArgs {
        config: Some(path.clone()),
        ..GlobalArgs::default()
    };
    assert_eq!(monitui::config::config_path(&global), path);
    let known = monitui::config::known_envs(&global).unwrap();
    assert_eq!(known, ["demo", "local", "prod", "staging"]);
    let cfg = LoadedConfig::load(&global).unwrap();
    assert!(cfg.exists);
}

#[test]
fn a_list_of_envs_resolves_each_with_its_own_settings_in_the_order_given() {
    let choice = loaded(FILE)
        .resolve_several(&env_flag("staging, prod,staging"), &|_| None)
        .unwrap();
    assert!(choice.several);
    let names: Vec<&str> = choice.envs.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["staging", "prod"], "in order, each once");
    assert!(choice.envs[0].read_only);
    assert!(!choice.envs[1].read_only);
    assert_eq!(choice.envs[1].profile.as_deref(), Some("ecommerce-prod"));
    assert!(choice.envs[1].confirm_mutations, "prod confirms by default");
}

#[test]
fn all_means_every_env_of_the_config_file() {
    let choice = loaded(FILE)
        .resolve_several(&env_flag("all"), &|_| None)
        .unwrap();
    let names: Vec<&str> = choice.envs.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["demo", "local", "prod", "staging"]);
    let one = loaded(FILE)
        .resolve_several(&env_flag("prod"), &|_| None)
        .unwrap();
    assert!(!one.several);
    assert_eq!(one.envs.len(), 1);
}

#[test]
fn a_list_naming_an_unknown_env_is_refused() {
    let err = loaded(FILE)
        .resolve_several(&env_flag("prod,nope"), &|_| None)
        .unwrap_err();
    assert!(matches!(err, ConfigError::UnknownEnv { ref name, .. } if name == "nope"));
}

#[test]
fn a_command_of_one_env_refuses_a_list_and_all() {
    for given in ["prod,staging", "all"] {
        let err = resolve_with(FILE, &env_flag(given), &[]).unwrap_err();
        assert!(
            matches!(err, ConfigError::SeveralEnvs { .. }),
            "{given}: {err}"
        );
        assert!(
            err.to_string().contains("give this command one env"),
            "{err}"
        );
    }
}
