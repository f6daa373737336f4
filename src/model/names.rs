//! Names as people type them: the full name (`ecommerce-ai-platform-lambda-errors`)
//! or the name the screens show, without the env's resource prefix
//! (`lambda-errors`), when only one thing goes by it. A name that matches
//! nothing is answered with the nearest names there are.

use std::borrow::Cow;

/// How many near names a miss suggests at most.
const SUGGESTIONS: usize = 3;

/// Why a typed name does not pick one thing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing goes by this name, full or short.
    #[error("no {what} named '{given}'{}", did_you_mean(nearest))]
    Unknown {
        /// What was looked for: `alarm`, `log group`, `dashboard`.
        what: &'static str,
        /// The name typed.
        given: String,
        /// The nearest names there are, nearest first.
        nearest: Vec<String>,
    },
    /// Several things go by this short name.
    #[error("'{given}' names more than one {what}: {}; give the full name", matches.join(", "))]
    Ambiguous {
        /// What was looked for.
        what: &'static str,
        /// The name typed.
        given: String,
        /// The full names it could mean.
        matches: Vec<String>,
    },
}

fn did_you_mean(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", nearest.join(", "))
    }
}

/// The one name among `names` that `given` means: itself, else the one
/// whose short form (`short`, as the screens show it) is `given`. On a
/// miss, the nearest names (by edit distance to the full or short form,
/// at most a third of what was typed).
pub fn resolve<'a>(
    what: &'static str,
    given: &str,
    names: &'a [String],
    short: impl Fn(&'a str) -> Cow<'a, str>,
) -> Result<&'a str, NameError> {
    if let Some(exact) = names.iter().find(|n| *n == given) {
        return Ok(exact);
    }
    let matches: Vec<&'a str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| short(n) == given)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let mut ranked: Vec<(usize, &str)> = names
                .iter()
                .map(|n| {
                    let distance =
                        strsim::levenshtein(given, n).min(strsim::levenshtein(given, &short(n)));
                    (distance, n.as_str())
                })
                .filter(|(distance, _)| *distance <= given.chars().count() / 3 + 1)
                .collect();
            ranked.sort();
            Err(NameError::Unknown {
                what,
                given: given.to_string(),
                nearest: ranked
                    .into_iter()
                    .take(SUGGESTIONS)
                    .map(|(_, n)| n.to_string())
                    .collect(),
            })
        }
        many => Err(NameError::Ambiguous {
            what,
            given: given.to_string(),
            matches: many.iter().map(|n| n.to_string()).collect(),
        }),
    }
}

/// `name` without the env's resource prefix (`prefix-`), as the alarm and
/// dashboard lists show it.
pub fn without_prefix<'a>(name: &'a str, prefix: &str) -> Cow<'a, str> {
    Cow::Borrowed(
        name.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .filter(|rest| !rest.is_empty())
            .unwrap_or(name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["shop-lambda-errors", "shop-api-5xx", "other-lambda-errors"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn the_full_name_or_the_short_one_where_it_is_unique() {
        let names = names();
        let short = |n| without_prefix(n, "shop");
        assert_eq!(
            resolve("alarm", "shop-api-5xx", &names, short),
            Ok("shop-api-5xx")
        );
        assert_eq!(
            resolve("alarm", "api-5xx", &names, short),
            Ok("shop-api-5xx")
        );
        assert_eq!(
            resolve("alarm", "lambda-errors", &names, short),
            Ok("shop-lambda-errors"),
            "another stack's alarm keeps its prefix"
        );
    }

    #[test]
    fn a_miss_suggests_the_nearest_names() {
        let names = names();
        let err = resolve("alarm", "lamda-errors", &names, |n| {
            without_prefix(n, "shop")
        })
        .unwrap_err();
        let NameError::Unknown { nearest, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(nearest[0], "shop-lambda-errors");
        assert!(
            err.to_string().contains("did you mean shop-lambda-errors"),
            "{err}"
        );
        let far = resolve("alarm", "zzzzzzzzzzzzzzzzzzzzzzzzzzz", &names, |n| {
            without_prefix(n, "shop")
        });
        assert!(matches!(far, Err(NameError::Unknown { nearest, .. }) if nearest.is_empty()));
    }

    #[test]
    fn a_short_name_several_things_go_by_is_refused() {
        let names = ["a/x".to_string(), "b/x".to_string()];
        let err = resolve("log group", "x", &names, |n| {
            Cow::Borrowed(n.rsplit('/').next().unwrap())
        })
        .unwrap_err();
        assert!(matches!(err, NameError::Ambiguous { .. }), "{err}");
    }
}
