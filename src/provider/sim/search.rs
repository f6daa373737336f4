//! The `SEARCH()` the demo account understands: an optional schema
//! `{Namespace,DimName,...}` (the metric is in that namespace and has
//! exactly those dimensions), then terms that must all match (`OR`
//! between groups of terms, `NOT` before a term): a bare word or quoted
//! phrase matches part of the namespace, metric name, a dimension name or
//! value (ignoring case); `MetricName="X"`, `Namespace="X"` or
//! `DimName="X"` match exactly.

use crate::model::MetricRef;

/// One term of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    /// Part of any name or value, lower-cased.
    Partial(String),
    /// `key="value"`: exactly.
    Exact(String, String),
}

/// A parsed search expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    namespace: Option<String>,
    dimensions: Option<Vec<String>>,
    /// Alternatives (`OR`); each a list of (negated, term) all of which match.
    groups: Vec<Vec<(bool, Term)>>,
}

impl Search {
    /// Parses the first argument of `SEARCH()`.
    pub fn parse(text: &str) -> Result<Search, String> {
        let mut rest = text.trim();
        let (mut namespace, mut dimensions) = (None, None);
        if let Some(body) = rest.strip_prefix('{') {
            let close = body
                .find('}')
                .ok_or_else(|| format!("the schema of '{text}' has no closing '}}'"))?;
            let mut names = body[..close]
                .split(',')
                .map(|s| s.trim().trim_matches('"').to_string());
            namespace = names.next().filter(|n| !n.is_empty());
            let mut dims: Vec<String> = names.filter(|n| !n.is_empty()).collect();
            dims.sort();
            dimensions = Some(dims);
            rest = &body[close + 1..];
        }
        let mut groups = vec![Vec::new()];
        let mut negate = false;
        for word in words(rest)? {
            match word.as_str() {
                "OR" => groups.push(Vec::new()),
                "AND" => {}
                "NOT" => negate = true,
                _ => {
                    let term = match word.split_once('=') {
                        Some((k, v)) => Term::Exact(k.trim().to_string(), unquote(v.trim())),
                        None => Term::Partial(unquote(&word).to_lowercase()),
                    };
                    if let Some(group) = groups.last_mut() {
                        group.push((negate, term));
                    }
                    negate = false;
                }
            }
        }
        groups.retain(|g| !g.is_empty());
        if namespace.is_none() && groups.is_empty() {
            return Err(format!("the search '{text}' has no terms"));
        }
        Ok(Search {
            namespace,
            dimensions,
            groups,
        })
    }

    /// Whether `metric` is found by the search.
    pub fn matches(&self, metric: &MetricRef) -> bool {
        if self
            .namespace
            .as_ref()
            .is_some_and(|n| *n != metric.namespace)
        {
            return false;
        }
        if let Some(dims) = &self.dimensions {
            let mut names: Vec<&str> = metric.dimensions.iter().map(|d| d.name.as_str()).collect();
            names.sort_unstable();
            if names != dims.iter().map(String::as_str).collect::<Vec<_>>() {
                return false;
            }
        }
        self.groups.is_empty()
            || self.groups.iter().any(|group| {
                group
                    .iter()
                    .all(|(negated, term)| term_matches(term, metric) != *negated)
            })
    }
}

fn term_matches(term: &Term, metric: &MetricRef) -> bool {
    match term {
        Term::Partial(part) => std::iter::once(&metric.namespace)
            .chain(std::iter::once(&metric.name))
            .chain(metric.dimensions.iter().flat_map(|d| [&d.name, &d.value]))
            .any(|text| text.to_lowercase().contains(part.as_str())),
        Term::Exact(key, value) => match key.as_str() {
            "MetricName" => metric.name == *value,
            "Namespace" => metric.namespace == *value,
            _ => metric
                .dimensions
                .iter()
                .any(|d| d.name == *key && d.value == *value),
        },
    }
}

fn unquote(text: &str) -> String {
    text.trim_matches('"').to_string()
}

/// Splits on spaces outside double quotes.
fn words(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err(format!("unclosed '\"' in the search '{text}'"));
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// How a search result is labelled: the metric name, then its dimension
/// values.
pub fn label(metric: &MetricRef) -> String {
    let mut out = metric.name.clone();
    for d in &metric.dimensions {
        out.push(' ');
        out.push_str(&d.value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dimension;

    fn lambda(name: &str, function: &str) -> MetricRef {
        MetricRef::new(
            "AWS/Lambda",
            name,
            vec![Dimension::new("FunctionName", function)],
        )
    }

    #[test]
    fn schema_and_terms_pick_metrics() {
        let s = Search::parse(r#"{AWS/Lambda,FunctionName} MetricName="Errors""#).unwrap();
        assert!(s.matches(&lambda("Errors", "p-auth")));
        assert!(!s.matches(&lambda("Invocations", "p-auth")));
        assert!(!s.matches(&MetricRef::new("AWS/Lambda", "Errors", vec![])));
        let s = Search::parse("{AWS/Lambda,FunctionName} errors AUTH").unwrap();
        assert!(s.matches(&lambda("Errors", "p-auth-service")));
        assert!(!s.matches(&lambda("Errors", "p-cart")));
    }

    #[test]
    fn or_and_not_combine_terms() {
        let s = Search::parse(r#"Errors NOT auth OR FunctionName="p-cart""#).unwrap();
        assert!(s.matches(&lambda("Errors", "p-ml")));
        assert!(!s.matches(&lambda("Errors", "p-auth")));
        assert!(s.matches(&lambda("Invocations", "p-cart")));
    }

    #[test]
    fn bad_searches_say_why() {
        assert!(
            Search::parse("{AWS/Lambda")
                .unwrap_err()
                .contains("closing")
        );
        assert!(Search::parse("").unwrap_err().contains("no terms"));
        assert!(
            Search::parse(r#"MetricName="x"#)
                .unwrap_err()
                .contains("unclosed")
        );
        assert_eq!(label(&lambda("Errors", "f")), "Errors f");
    }
}
