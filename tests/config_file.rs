//! Config file errors: every kind names the file, line and column and says
//! what was wrong.

use std::path::PathBuf;

use monitui::config::{ConfigError, LoadedConfig};

fn load(text: &str) -> Result<LoadedConfig, ConfigError> {
    LoadedConfig::from_text(PathBuf::from("/home/x/config.toml"), text)
}

fn load_err(text: &str) -> ConfigError {
    load(text).expect_err("config should be rejected")
}

#[test]
fn malformed_toml_reports_file_line_column_and_expectation() {
    let err = load_err("default_env = \"prod\"\n[envs.prod]\nregion \"us-east-1\"\n");
    let ConfigError::Parse { pos, message } = &err else {
        panic!("expected a parse error, got {err:?}");
    };
    assert_eq!(pos.file, "/home/x/config.toml");
    assert_eq!(pos.line(), Some(3));
    assert_eq!(pos.column(), Some(8));
    assert!(message.contains("expected"), "{message}");
    assert!(
        err.to_string().starts_with("/home/x/config.toml:3:8: "),
        "{err}"
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn unknown_top_level_key_is_named_with_its_line() {
    let err = load_err("default_env = \"demo\"\ncolour = \"red\"\n");
    let text = err.to_string();
    assert!(text.contains("colour"), "{text}");
    assert!(text.starts_with("/home/x/config.toml:2:"), "{text}");
}

#[test]
fn unknown_env_key_is_named_with_its_line() {
    let err = load_err("[envs.prod]\nregion = \"us-east-1\"\nregoin = \"eu-west-1\"\n");
    let ConfigError::Parse { pos, message } = &err else {
        panic!("expected a parse error, got {err:?}");
    };
    assert!(message.contains("regoin"), "{message}");
    assert_eq!(pos.line(), Some(3));
}

#[test]
fn wrong_type_reports_location_and_type() {
    let err = load_err("[envs.prod]\nread_only = \"yes\"\n");
    let ConfigError::Parse { pos, message } = &err else {
        panic!("expected a parse error, got {err:?}");
    };
    assert_eq!(pos.line(), Some(2));
    assert_eq!(pos.column(), Some(13));
    assert!(message.contains("bool"), "{message}");
}

fn assert_bad_value(text: &str, key: &str, line: usize, why: &str) {
    let err = load_err(text);
    let ConfigError::BadValue {
        pos,
        key: got,
        reason,
    } = &err
    else {
        panic!("expected a bad-value error, got {err:?}");
    };
    assert_eq!(got, key);
    assert_eq!(pos.line(), Some(line), "{err}");
    assert!(reason.contains(why), "{reason}");
    assert!(err.to_string().contains(key), "{err}");
}

#[test]
fn bad_kind_names_env_key_and_choices() {
    assert_bad_value(
        "[envs.prod]\nkind = \"gcp\"\n",
        "envs.prod.kind",
        2,
        "\"aws\" or \"demo\"",
    );
}

#[test]
fn bad_refresh_names_env_key_and_format() {
    assert_bad_value(
        "[envs.stage]\n\nrefresh = \"fast\"\n",
        "envs.stage.refresh",
        3,
        "not a duration",
    );
}

#[test]
fn zero_refresh_is_rejected() {
    assert_bad_value(
        "[envs.stage]\nrefresh = \"0s\"\n",
        "envs.stage.refresh",
        2,
        "zero",
    );
}

#[test]
fn non_http_endpoint_is_rejected() {
    assert_bad_value(
        "[envs.local]\nendpoint_url = \"127.0.0.1:4566\"\n",
        "envs.local.endpoint_url",
        2,
        "http(s)",
    );
}

#[test]
fn malformed_sns_topic_is_rejected() {
    assert_bad_value(
        "[envs.prod]\nsns_topic = \"alerts\"\n",
        "envs.prod.sns_topic",
        2,
        "SNS topic ARN",
    );
}

#[test]
fn seed_on_aws_env_is_rejected() {
    assert_bad_value("[envs.prod]\nseed = 7\n", "envs.prod.seed", 2, "demo");
}

#[test]
fn demo_env_cannot_become_aws() {
    assert_bad_value(
        "[envs.demo]\nkind = \"aws\"\n",
        "envs.demo.kind",
        2,
        "always kind",
    );
}

#[test]
fn empty_prefix_is_rejected() {
    assert_bad_value(
        "[envs.prod]\nprefix = \"  \"\n",
        "envs.prod.prefix",
        2,
        "empty",
    );
}

#[test]
fn unknown_default_env_lists_known_envs() {
    assert_bad_value(
        "default_env = \"prdo\"\n[envs.prod]\n[envs.local]\n",
        "default_env",
        1,
        "known: demo, local, prod",
    );
}

#[test]
fn unknown_key_in_pinned_metric_is_rejected() {
    let err = load_err(
        "[envs.prod]\n[[envs.prod.pinned_metrics]]\nnamespace = \"AWS/Lambda\"\nname = \"Errors\"\nperiod = 60\n",
    );
    assert!(err.to_string().contains("period"), "{err}");
    assert!(err.to_string().contains(":5:"), "{err}");
}

#[test]
fn pinned_metrics_are_read_with_defaults() {
    let loaded = load(
        "[envs.prod]\n[[envs.prod.pinned_metrics]]\nnamespace = \"AWS/Lambda\"\nname = \"Errors\"\n\
         dimensions = { FunctionName = \"auth\" }\n",
    )
    .unwrap();
    let pinned = &loaded.file.envs["prod"].pinned_metrics;
    assert_eq!(pinned.len(), 1);
    assert_eq!(pinned[0].stat, "Average");
    assert_eq!(pinned[0].label, None);
    assert_eq!(
        pinned[0].metric.display_name(),
        "AWS/Lambda Errors FunctionName=auth"
    );
}

#[test]
fn empty_file_is_valid() {
    let loaded = load("").unwrap();
    assert!(loaded.file.envs.is_empty());
    assert_eq!(loaded.known_envs(), vec!["demo".to_string()]);
}

#[test]
fn log_buffer_lines_must_be_in_range() {
    assert_bad_value(
        "[envs.demo]\nlog_buffer_lines = 10\n",
        "envs.demo.log_buffer_lines",
        2,
        "1000 to 10000000 lines",
    );
    let loaded = load("[envs.demo]\nlog_buffer_lines = 5000\n").unwrap();
    assert_eq!(loaded.file.envs["demo"].log_buffer_lines, Some(5000));
}

#[test]
fn log_buffer_mib_must_be_in_range_and_is_kept_in_bytes() {
    assert_bad_value(
        "[envs.demo]\nlog_buffer_mib = 0\n",
        "envs.demo.log_buffer_mib",
        2,
        "1 to 16384 MiB",
    );
    let loaded = load("[envs.demo]\nlog_buffer_mib = 16\n").unwrap();
    assert_eq!(loaded.file.envs["demo"].log_buffer_bytes, Some(16 << 20));
}

#[test]
fn timezone_is_read_per_env_and_an_unknown_zone_names_the_key() {
    assert_bad_value(
        "[envs.prod]\ntimezone = \"Mars/Olympus\"\n",
        "envs.prod.timezone",
        2,
        "Europe/Berlin",
    );
    let cfg = load("default_env = \"prod\"\n[envs.prod]\ntimezone = \"Europe/Berlin\"\n").unwrap();
    let global = monitui::config::flags::GlobalArgs::default();
    let env = cfg.resolve(&global, &|_| None).unwrap();
    assert_eq!(env.timezone, "Europe/Berlin");
    let flagged = monitui::config::flags::GlobalArgs {
        tz: Some("UTC".into()),
        ..Default::default()
    };
    assert_eq!(
        cfg.resolve(&flagged, &|_| None).unwrap().timezone,
        "UTC",
        "--tz wins"
    );
    let unset = load("").unwrap().resolve(&global, &|_| None).unwrap();
    assert_eq!(unset.timezone, "UTC");
}

const SLO: &str = "[[envs.prod.slos]]
name = \"api\"
bad = \"m5xx\"
total = \"mcount\"
objective = 99.5
window = \"28d\"
metrics.m5xx = { namespace = \"AWS/ApiGateway\", metric = \"5XXError\", statistic = \"Sum\" }
metrics.mcount = { namespace = \"AWS/ApiGateway\", metric = \"Count\", statistic = \"Sum\" }
";

#[test]
fn an_env_s_targets_are_read_in_the_spec_s_language() {
    let config = load(SLO).unwrap();
    let global = monitui::cli::args::GlobalArgs {
        env: Some("prod".into()),
        ..Default::default()
    };
    let env = config.resolve(&global, &|_| None).unwrap();
    assert_eq!(env.slos.len(), 1);
    assert_eq!(env.slos[0].objective, 99.5);
    assert_eq!(env.slos[0].window_secs, 28 * 86_400);
}

#[test]
fn a_bad_target_names_its_env_key_and_line() {
    assert_bad_value(
        &SLO.replace("\"28d\"", "\"90d\""),
        "envs.prod.slos[0].window",
        6,
        "63 days",
    );
}
