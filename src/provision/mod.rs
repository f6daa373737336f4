//! Desired-state provisioning of the monitoring stack: the [`spec`] (what
//! is wanted, from a TOML file with variables) and the [`plan`] (a pure
//! diff of wanted against existing). Reading the account and applying a
//! plan happen in `data::provision`, where writes are allowed.

pub mod burn;
pub mod plan;
pub mod policies;
pub mod spec;
pub mod vars;

/// The built-in spec filled in, adopting its shared log group as the seed
/// stack wants it (`--adopt-shared`), for the unit tests of every layer.
#[cfg(test)]
pub(crate) fn builtin_for_tests(
    text: &str,
    prefix: &str,
    stage: &str,
    emails: &str,
) -> spec::Desired {
    let env = std::collections::BTreeMap::from([
        ("prefix".to_string(), prefix.to_string()),
        ("region".to_string(), "us-east-1".to_string()),
        ("stage".to_string(), stage.to_string()),
        ("account".to_string(), "123456789012".to_string()),
        ("partition".to_string(), "aws".to_string()),
    ]);
    let cli = std::collections::BTreeMap::from([
        (
            "kms_key".to_string(),
            "arn:aws:kms:us-east-1:1:key/k".to_string(),
        ),
        ("alert_emails".to_string(), emails.to_string()),
        ("data_lake_bucket".to_string(), "lake".to_string()),
    ]);
    spec::Desired {
        adopt_shared: true,
        ..spec::parse(&spec::SpecSource {
            file: std::path::Path::new("s.toml"),
            text,
            env_vars: &env,
            cli_vars: &cli,
        })
        .unwrap()
    }
}
