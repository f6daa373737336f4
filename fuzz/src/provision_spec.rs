//! The `provision_spec` check: provisioning specs from untrusted text.

use std::collections::BTreeMap;
use std::path::Path;

use monitui::model::stack::{Existing, Kind, managed_tags};
use monitui::provision::plan::plan;
use monitui::provision::spec::{SpecError, SpecSource, parse};

/// Any text is either a spec or an error naming a line inside the text;
/// a spec's resources are in apply order, and planning it against an
/// account that already has exactly those resources finds no change.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = BTreeMap::from([
        ("prefix".to_string(), "p".to_string()),
        ("region".to_string(), "us-east-1".to_string()),
        ("stage".to_string(), "dev".to_string()),
        ("account".to_string(), "123456789012".to_string()),
        ("partition".to_string(), "aws".to_string()),
    ]);
    let cli = BTreeMap::from([
        ("kms_key".to_string(), "k".to_string()),
        ("alert_emails".to_string(), "a@example.com".to_string()),
        ("data_lake_bucket".to_string(), "lake".to_string()),
    ]);
    let source = SpecSource {
        file: Path::new("/nonexistent/monitui-fuzz/stack.toml"),
        text,
        env_vars: &env,
        cli_vars: &cli,
    };
    let desired = match parse(&source) {
        Ok(d) => d,
        Err(e) => {
            let line = match &e {
                SpecError::Syntax { line, .. } | SpecError::Field { line, .. } => *line,
            };
            assert!(line >= 1 && line <= text.lines().count() + 1, "{e}");
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let kinds: Vec<Kind> = desired.resources.iter().map(|r| r.kind()).collect();
    assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{kinds:?}");
    let existing: Vec<Existing> = desired
        .resources
        .iter()
        .map(|r| Existing {
            resource: r.clone(),
            tags: managed_tags(&desired.prefix),
        })
        .collect();
    assert_eq!(
        plan(&desired, &[], true).counts().0,
        desired.resources.len()
    );
    let again = plan(&desired, &existing, true);
    assert!(!again.has_changes(), "{:?}", again.steps);
}
