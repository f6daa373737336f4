//! `${name}` variables of a provisioning spec: the env's (prefix, region,
//! stage), the spec's `[vars]` and `--var NAME=VALUE`, later ones winning.
//! The env's own variables ([`ENV_ONLY`]) can be set by neither.

use std::collections::BTreeMap;

/// The variables only the env gives. A spec or `--var` that set `prefix`
/// would point the stack's ownership tag at another stack (and `--prune` at
/// its resources); `region` and `stage` would plan for another place than
/// the one the env acts in; `account` and `partition` (read from the
/// caller's identity) would put another account's ARNs in the policies.
pub const ENV_ONLY: [&str; 5] = ["prefix", "region", "stage", "account", "partition"];

/// Why a `--var` argument or a substitution failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VarError {
    /// `--var` without `=`, or with a name that is not a variable name.
    #[error("--var '{0}' is not NAME=VALUE (NAME of letters, digits and _)")]
    BadArgument(String),
    /// `--var` for one of [`ENV_ONLY`].
    #[error(
        "--var '{0}=...': '{0}' comes from the env (pick it with --env), never from --var or the spec"
    )]
    EnvOnly(String),
    /// A `${name}` nobody defines.
    #[error("variable '{0}' is not defined (give --var {0}=VALUE or set it under [vars])")]
    Undefined(String),
    /// `${` without its closing `}` or with an empty or odd name.
    #[error("'${{' without a variable name and '}}'")]
    Unclosed,
}

/// The stage an env name stands for, which picks the log retention:
/// `prod...` is prod, `stag...` is staging, anything else dev.
pub fn stage_of(env_name: &str) -> &'static str {
    if env_name.starts_with("prod") {
        "prod"
    } else if env_name.starts_with("stag") {
        "staging"
    } else {
        "dev"
    }
}

/// Parses `--var NAME=VALUE` arguments; one of [`ENV_ONLY`] is refused.
pub fn parse_args(args: &[String]) -> Result<BTreeMap<String, String>, VarError> {
    args.iter()
        .map(|arg| {
            let (name, value) = arg
                .split_once('=')
                .filter(|(n, _)| is_name(n))
                .ok_or_else(|| VarError::BadArgument(arg.clone()))?;
            if ENV_ONLY.contains(&name) {
                return Err(VarError::EnvOnly(name.to_string()));
            }
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Replaces every `${name}` in `text` from `vars`.
pub fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String, VarError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or(VarError::Unclosed)?;
        let name = &after[..end];
        if !is_name(name) {
            return Err(VarError::Unclosed);
        }
        let value = vars
            .get(name)
            .ok_or_else(|| VarError::Undefined(name.to_string()))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, String> {
        BTreeMap::from([("prefix".into(), "p".into()), ("a_1".into(), "x".into())])
    }

    #[test]
    fn substitutes_every_reference() {
        assert_eq!(
            substitute("${prefix}-${a_1}/${prefix}", &vars()).unwrap(),
            "p-x/p"
        );
        assert_eq!(
            substitute("no refs $ {x}", &vars()).unwrap(),
            "no refs $ {x}"
        );
    }

    #[test]
    fn undefined_and_malformed_references_are_errors() {
        assert_eq!(
            substitute("k=${kms_key}", &vars()),
            Err(VarError::Undefined("kms_key".into()))
        );
        assert_eq!(substitute("${prefix", &vars()), Err(VarError::Unclosed));
        assert_eq!(substitute("${}", &vars()), Err(VarError::Unclosed));
        assert_eq!(substitute("${a b}", &vars()), Err(VarError::Unclosed));
    }

    #[test]
    fn var_arguments_split_at_the_first_equals() {
        let parsed = parse_args(&["a=b=c".into(), "kms_key=".into()]).unwrap();
        assert_eq!(parsed["a"], "b=c");
        assert_eq!(parsed["kms_key"], "");
        assert!(parse_args(&["novalue".into()]).is_err());
        assert!(parse_args(&["bad name=x".into()]).is_err());
    }

    #[test]
    fn the_envs_own_variables_cannot_be_given_as_var() {
        for name in ENV_ONLY {
            assert_eq!(
                parse_args(&[format!("{name}=teamb")]),
                Err(VarError::EnvOnly(name.to_string()))
            );
        }
        let e = parse_args(&["prefix=teamb".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("'prefix' comes from the env"), "{e}");
    }

    #[test]
    fn stages_follow_the_env_name() {
        assert_eq!(stage_of("prod-eu"), "prod");
        assert_eq!(stage_of("staging"), "staging");
        assert_eq!(stage_of("demo"), "dev");
    }
}
