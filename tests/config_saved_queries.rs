//! `[[envs.NAME.saved_queries]]`: read, checked with positions, and listed
//! after the built-in "Find Lambda errors".

use std::path::PathBuf;

use monitui::cli::args::GlobalArgs;
use monitui::config::{ConfigError, LoadedConfig, ResolvedEnv};

fn resolve(text: &str, env: &str) -> Result<ResolvedEnv, ConfigError> {
    let loaded = LoadedConfig::from_text(PathBuf::from("/cfg/config.toml"), text)?;
    let global = GlobalArgs {
        env: Some(env.into()),
        ..GlobalArgs::default()
    };
    loaded.resolve(&global, &|_| None)
}

#[test]
fn saved_queries_follow_the_builtin_one() {
    let env = resolve(
        "[envs.prod]\nprefix = \"shop\"\n\
         [[envs.prod.saved_queries]]\nname = \"Slow\"\nquery = \"sort latency desc | limit 5\"\ngroups = [\"/api\", \"/aws/lambda/*\"]\n\
         [[envs.prod.saved_queries]]\nname = \"Any\"\nquery = \"fields @message\"\n",
        "prod",
    )
    .unwrap();
    let all = env.saved_queries();
    let names: Vec<&str> = all.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["Find Lambda errors", "Slow", "Any"]);
    assert_eq!(all[0].groups, ["/aws/lambda/shop-*"]);
    assert_eq!(all[1].groups, ["/api", "/aws/lambda/*"]);
    assert!(all[2].groups.is_empty());
}

#[test]
fn a_saved_query_of_the_builtin_name_replaces_it() {
    let env = resolve(
        "[[envs.demo.saved_queries]]\nname = \"Find Lambda errors\"\nquery = \"filter @message like /FATAL/\"\n",
        "demo",
    )
    .unwrap();
    let all = env.saved_queries();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].query, "filter @message like /FATAL/");
}

#[test]
fn every_env_has_the_builtin_query() {
    let env = resolve("", "demo").unwrap();
    let all = env.saved_queries();
    assert_eq!(all.len(), 1);
    assert!(all[0].query.contains("filter @message like /ERROR/"));
}

#[test]
fn bad_saved_queries_are_refused_with_their_position() {
    let e = resolve(
        "[envs.prod]\n[[envs.prod.saved_queries]]\nname = \"\"\nquery = \"fields x\"\n",
        "prod",
    )
    .unwrap_err();
    assert!(e.to_string().contains("/cfg/config.toml:2:"), "{e}");
    assert!(e.to_string().contains("envs.prod.saved_queries"), "{e}");
    assert!(e.to_string().contains("must not be empty"), "{e}");
    assert_eq!(e.exit_code(), 2);

    let e = resolve(
        "[envs.prod]\n[[envs.prod.saved_queries]]\nname = \"a\"\nquery = \"fields x\"\nlimit = 5\n",
        "prod",
    )
    .unwrap_err();
    assert!(e.to_string().contains("limit"), "{e}");

    let e = resolve(
        "[envs.prod]\n[[envs.prod.saved_queries]]\nname = \"a\"\nquery = \"fields x\"\ngroups = [\" \"]\n",
        "prod",
    )
    .unwrap_err();
    assert!(e.to_string().contains("prefix ending in *"), "{e}");
}
