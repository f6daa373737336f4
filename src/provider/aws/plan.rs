//! Planning GetMetricData calls: identical queries are sent once, queries
//! that reference each other (metric math) travel in the same call, and no
//! call carries more than [`MAX_QUERIES_PER_CALL`] queries. Pure, so the
//! batching rules are tested without a network.

use std::collections::{BTreeMap, HashMap};

use crate::model::{MetricQuery, QuerySource};
use crate::provider::{MAX_QUERIES_PER_CALL, ProviderError};

/// The calls to make and how their results map back to the asked ids.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchPlan {
    /// Queries of each call, in the order to send them; ids unique per plan.
    pub calls: Vec<Vec<MetricQuery>>,
    /// For each asked id that wants data, in the order asked: the id of the
    /// query actually sent whose result it receives.
    pub answers: Vec<Answer>,
}

/// One requested series and where its data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The id the caller asked with.
    pub id: String,
    /// The id sent on the wire (the first identical query's id).
    pub wire_id: String,
    /// The caller's label, if it gave one.
    pub label: Option<String>,
}

/// Plans the calls for `queries` with at most `max_per_call` queries a call.
pub fn plan(queries: &[MetricQuery], max_per_call: usize) -> Result<FetchPlan, ProviderError> {
    let mut seen_ids = std::collections::HashSet::new();
    if let Some(dup) = queries.iter().find(|q| !seen_ids.insert(q.id.as_str())) {
        return Err(ProviderError::Invalid(format!(
            "query id '{}' is used twice in one batch",
            dup.id
        )));
    }
    let (sent, alias) = dedup(queries);
    let groups = dependency_groups(&sent);
    let calls = pack(&sent, groups, max_per_call)?;
    let answers = queries
        .iter()
        .filter(|q| q.return_data)
        .map(|q| Answer {
            id: q.id.clone(),
            wire_id: alias.get(&q.id).cloned().unwrap_or_else(|| q.id.clone()),
            label: q.label.clone(),
        })
        .collect();
    Ok(FetchPlan { calls, answers })
}

/// Plans with the service limit.
pub fn plan_for_service(queries: &[MetricQuery]) -> Result<FetchPlan, ProviderError> {
    plan(queries, MAX_QUERIES_PER_CALL)
}

/// Drops repeated queries (same source), returning the queries to send
/// and a map from every dropped id to the id kept. The query kept returns
/// data if any of its twins asked for it (a widget's hidden input of an
/// expression is often another widget's visible line). Metric queries go
/// first so that expressions can be rewritten to reference kept ids before
/// they are compared.
fn dedup(queries: &[MetricQuery]) -> (Vec<MetricQuery>, HashMap<String, String>) {
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut kept: HashMap<QuerySource, usize> = HashMap::new();
    let mut sent: Vec<MetricQuery> = Vec::new();
    let metrics_first = queries
        .iter()
        .filter(|q| matches!(q.source, QuerySource::Metric { .. }))
        .chain(
            queries
                .iter()
                .filter(|q| matches!(q.source, QuerySource::Expression { .. })),
        );
    for query in metrics_first {
        let mut query = query.clone();
        if let QuerySource::Expression { expression, .. } = &mut query.source {
            *expression = rename_ids(expression, &alias);
        }
        match kept.get(&query.source) {
            Some(&at) => {
                let first = &mut sent[at];
                first.return_data |= query.return_data;
                alias.insert(query.id.clone(), first.id.clone());
            }
            None => {
                kept.insert(query.source.clone(), sent.len());
                sent.push(query);
            }
        }
    }
    let order: HashMap<&str, usize> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    sent.sort_by_key(|q| order[q.id.as_str()]);
    (sent, alias)
}

/// Splits an expression into identifier tokens outside quoted strings and
/// rewrites those named in `alias`.
fn rename_ids(expression: &str, alias: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(expression.len());
    for token in tokens(expression) {
        match token {
            Token::Ident(word) => out.push_str(alias.get(word).map_or(word, String::as_str)),
            Token::Other(text) => out.push_str(text),
        }
    }
    out
}

/// A piece of an expression.
enum Token<'a> {
    /// A word that may be a query id.
    Ident(&'a str),
    /// Anything else, quoted strings included, copied verbatim.
    Other(&'a str),
}

/// Cuts an expression into identifier and non-identifier pieces.
fn tokens(expression: &str) -> Vec<Token<'_>> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut rest = expression;
    while let Some(c) = rest.chars().next() {
        let len = if c == '\'' || c == '"' {
            rest[1..].find(c).map_or(rest.len(), |end| end + 2)
        } else if is_word(c) {
            rest.find(|ch: char| !is_word(ch)).unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        let (piece, tail) = rest.split_at(len);
        out.push(if is_word(c) {
            Token::Ident(piece)
        } else {
            Token::Other(piece)
        });
        rest = tail;
    }
    out
}

/// Groups query indices that must travel together: an expression and every
/// query it references (transitively). Groups are ordered by first member.
fn dependency_groups(sent: &[MetricQuery]) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = sent
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut parent: Vec<usize> = (0..sent.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, query) in sent.iter().enumerate() {
        if let QuerySource::Expression { expression, .. } = &query.source {
            for token in tokens(expression) {
                if let Token::Ident(word) = token
                    && let Some(&j) = index.get(word)
                {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..sent.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Packs groups into calls in order, starting a new call when the next group
/// would not fit.
fn pack(
    sent: &[MetricQuery],
    groups: Vec<Vec<usize>>,
    max_per_call: usize,
) -> Result<Vec<Vec<MetricQuery>>, ProviderError> {
    let mut calls: Vec<Vec<MetricQuery>> = Vec::new();
    let mut current: Vec<MetricQuery> = Vec::new();
    for group in groups {
        if group.len() > max_per_call {
            return Err(ProviderError::Invalid(format!(
                "an expression depends on {} queries; one call takes at most {max_per_call}",
                group.len()
            )));
        }
        if current.len() + group.len() > max_per_call {
            calls.push(std::mem::take(&mut current));
        }
        current.extend(group.into_iter().map(|i| sent[i].clone()));
    }
    if !current.is_empty() {
        calls.push(current);
    }
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dimension, MetricRef};

    fn metric(id: &str, function: &str) -> MetricQuery {
        MetricQuery::metric(
            id,
            MetricRef::new(
                "AWS/Lambda",
                "Errors",
                vec![Dimension::new("FunctionName", function)],
            ),
            "Sum",
            300,
        )
    }

    fn ids(call: &[MetricQuery]) -> Vec<&str> {
        call.iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn identical_queries_are_sent_once_and_answered_twice() {
        let queries = vec![
            metric("a", "auth"),
            metric("b", "cart"),
            metric("c", "auth"),
        ];
        let plan = plan(&queries, 500).unwrap();
        assert_eq!(plan.calls.len(), 1);
        assert_eq!(ids(&plan.calls[0]), vec!["a", "b"]);
        let wire: Vec<(&str, &str)> = plan
            .answers
            .iter()
            .map(|a| (a.id.as_str(), a.wire_id.as_str()))
            .collect();
        assert_eq!(wire, vec![("a", "a"), ("b", "b"), ("c", "a")]);
    }

    #[test]
    fn a_hidden_twin_of_a_visible_query_travels_once_returning_data() {
        let mut hidden = metric("h", "auth");
        hidden.return_data = false;
        let plan = plan(&[hidden.clone(), metric("a", "auth")], 500).unwrap();
        assert_eq!(ids(&plan.calls[0]), vec!["h"]);
        assert!(plan.calls[0][0].return_data, "a twin wants its data");
        assert_eq!(plan.answers.len(), 1);
        assert_eq!(plan.answers[0].wire_id, "h");
        let mut other = metric("o", "auth");
        other.return_data = false;
        let plan = super::plan(&[hidden, other], 500).unwrap();
        assert_eq!(ids(&plan.calls[0]), vec!["h"]);
        assert!(!plan.calls[0][0].return_data, "nobody wants it back");
    }

    #[test]
    fn more_than_the_limit_is_split_into_calls() {
        let queries: Vec<MetricQuery> = (0..1001)
            .map(|i| metric(&format!("m{i}"), &format!("f{i}")))
            .collect();
        let plan = plan(&queries, 500).unwrap();
        let sizes: Vec<usize> = plan.calls.iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![500, 500, 1]);
        assert_eq!(plan.answers.len(), 1001);
    }

    #[test]
    fn expressions_stay_with_their_inputs() {
        let mut queries = vec![metric("a", "auth"), metric("b", "cart")];
        queries.push(MetricQuery::expression("e", "a + b"));
        let plan = plan(&queries, 2).unwrap_err();
        assert!(matches!(plan, ProviderError::Invalid(_)));
        let mut queries = vec![metric("x", "other")];
        queries.extend([
            metric("a", "auth"),
            metric("b", "cart"),
            MetricQuery::expression("e", "a+b"),
        ]);
        let plan = super::plan(&queries, 3).unwrap();
        assert_eq!(ids(&plan.calls[0]), vec!["x"]);
        assert_eq!(ids(&plan.calls[1]), vec!["a", "b", "e"]);
    }

    #[test]
    fn expressions_referencing_dropped_duplicates_are_rewritten() {
        let queries = vec![
            metric("a", "auth"),
            metric("b", "auth"),
            MetricQuery::expression("e", "b * 2"),
            MetricQuery::expression("f", "a * 2"),
        ];
        let plan = plan(&queries, 500).unwrap();
        assert_eq!(ids(&plan.calls[0]), vec!["a", "e"]);
        match &plan.calls[0][1].source {
            QuerySource::Expression { expression, .. } => assert_eq!(expression, "a * 2"),
            other => panic!("expected an expression, got {other:?}"),
        }
        let f = plan.answers.iter().find(|a| a.id == "f").unwrap();
        assert_eq!(f.wire_id, "e");
    }

    #[test]
    fn quoted_text_is_not_renamed() {
        let alias = HashMap::from([("b".to_string(), "a".to_string())]);
        assert_eq!(
            rename_ids("SEARCH('{AWS/Lambda} b', 'Sum', 300) + b", &alias),
            "SEARCH('{AWS/Lambda} b', 'Sum', 300) + a"
        );
    }

    #[test]
    fn repeated_ids_are_rejected() {
        let err = plan(&[metric("a", "auth"), metric("a", "cart")], 500).unwrap_err();
        assert!(matches!(err, ProviderError::Invalid(m) if m.contains("'a'")));
    }
}
