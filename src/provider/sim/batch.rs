//! One GetMetricData batch as the demo account answers it: metric queries
//! from the generators (and published values), expression queries
//! evaluated by `math` over the other queries of the batch (each id
//! evaluated once, cycles refused), SEARCH over the catalog. Answers come
//! in the order asked, for the queries that return data; an expression
//! that cannot be evaluated answers with no points and the reason, as the
//! service does.

use std::collections::HashMap;

use jiff::Timestamp;

use super::catalog::Catalog;
use super::math::{self, Line, Scope, Value};
use super::search::{self, Search};
use super::store::MetricData;
use crate::model::{MetricQuery, QuerySource, Series, TimeRange};

/// Most series one SEARCH returns (the service's limit).
pub const MAX_SEARCH_SERIES: usize = 500;

/// Answers `queries` over `range` with the data of minutes before `now_minute`.
pub fn answer(
    queries: &[MetricQuery],
    range: TimeRange,
    now_minute: i64,
    data: &MetricData<'_>,
    catalog: &Catalog,
) -> Vec<Series> {
    let mut scope = Batch {
        queries: queries.iter().map(|q| (q.id.as_str(), q)).collect(),
        values: HashMap::new(),
        evaluating: Vec::new(),
        range,
        now_minute,
        data,
        catalog,
        period: 60,
    };
    let mut out = Vec::new();
    for q in queries.iter().filter(|q| q.return_data) {
        match &q.source {
            QuerySource::Metric { .. } => out.push(data.series(q, range, now_minute)),
            QuerySource::Expression { expression, .. } => {
                let empty = Series {
                    id: q.id.clone(),
                    label: q.label.clone().unwrap_or_else(|| expression.clone()),
                    points: Vec::new(),
                    message: None,
                };
                match scope.id(&q.id) {
                    Ok(Value::Series(line)) => out.push(Series {
                        points: line.points,
                        ..empty
                    }),
                    Ok(Value::Many(lines)) => {
                        out.extend(lines.into_iter().map(|l| Series {
                            id: q.id.clone(),
                            label: l.label,
                            points: l.points,
                            message: None,
                        }));
                    }
                    Ok(Value::Scalar(v)) => out.push(Series {
                        points: scope.grid().into_iter().map(|t| (t, v)).collect(),
                        ..empty
                    }),
                    Err(e) => out.push(Series {
                        message: Some(e),
                        ..empty
                    }),
                }
            }
        }
    }
    out
}

/// The batch as the expressions see it.
struct Batch<'a> {
    queries: HashMap<&'a str, &'a MetricQuery>,
    values: HashMap<String, Result<Value, String>>,
    /// Ids being evaluated, to refuse cycles.
    evaluating: Vec<String>,
    range: TimeRange,
    now_minute: i64,
    data: &'a MetricData<'a>,
    catalog: &'a Catalog,
    /// Period of the expression being evaluated.
    period: u32,
}

impl Batch<'_> {
    fn grid(&self) -> Vec<Timestamp> {
        let period = i64::from(self.period.max(60));
        let first = self.range.start.as_second().div_euclid(period) * period;
        let end = (self.now_minute * 60).min(self.range.end.as_second());
        (0..)
            .map(|i| first + i * period)
            .take_while(|t| *t + period <= end)
            .filter_map(|t| Timestamp::from_second(t).ok())
            .collect()
    }

    fn evaluate(&mut self, query: &MetricQuery) -> Result<Value, String> {
        match &query.source {
            QuerySource::Metric { period_secs, .. } => {
                let s = self.data.series(query, self.range, self.now_minute);
                match s.message {
                    Some(m) => Err(m),
                    None => Ok(Value::Series(Line {
                        label: s.label,
                        points: s.points,
                    })),
                }
                .inspect(|_| self.period = self.period.max(*period_secs))
            }
            QuerySource::Expression {
                expression,
                period_secs,
            } => {
                let outer = self.period;
                self.period = period_secs.unwrap_or(outer);
                let value = math::evaluate(expression, self);
                self.period = outer;
                value
            }
        }
    }
}

impl Scope for Batch<'_> {
    fn id(&mut self, id: &str) -> Result<Value, String> {
        if let Some(done) = self.values.get(id) {
            return done.clone();
        }
        if self.evaluating.iter().any(|e| e == id) {
            return Err(format!("'{id}' refers to itself"));
        }
        let Some(query) = self.queries.get(id).copied() else {
            return Err(format!("no query with id '{id}' in this request"));
        };
        self.evaluating.push(id.to_string());
        let value = self.evaluate(query);
        self.evaluating.pop();
        self.values.insert(id.to_string(), value.clone());
        value
    }

    fn search(&mut self, query: &str, stat: &str, period_secs: u32) -> Result<Vec<Line>, String> {
        let search = Search::parse(query)?;
        let mut found: Vec<_> = self
            .catalog
            .metrics()
            .filter(|m| search.matches(m))
            .cloned()
            .collect();
        found.sort();
        found.truncate(MAX_SEARCH_SERIES);
        let mut lines = Vec::new();
        for metric in found {
            let label = search::label(&metric);
            let q = MetricQuery::metric("search", metric, stat, period_secs);
            let s = self.data.series(&q, self.range, self.now_minute);
            if let Some(m) = s.message {
                return Err(m);
            }
            lines.push(Line {
                label,
                points: s.points,
            });
        }
        Ok(lines)
    }

    fn id_with_history(&mut self, id: &str, periods: usize) -> Result<Value, String> {
        let Some(query) = self.queries.get(id).copied() else {
            return Err(format!("no query with id '{id}' in this request"));
        };
        let period = match &query.source {
            QuerySource::Metric { period_secs, .. } => *period_secs,
            QuerySource::Expression { period_secs, .. } => period_secs.unwrap_or(self.period),
        };
        let back = jiff::SignedDuration::from_secs(i64::from(period.max(60)) * periods as i64);
        let mut wider = Batch {
            queries: self.queries.clone(),
            values: HashMap::new(),
            evaluating: self.evaluating.clone(),
            range: TimeRange {
                start: self
                    .range
                    .start
                    .checked_sub(back)
                    .unwrap_or(self.range.start),
                end: self.range.end,
            },
            now_minute: self.now_minute,
            data: self.data,
            catalog: self.catalog,
            period: self.period,
        };
        wider.id(id)
    }

    fn period_secs(&self) -> u32 {
        self.period
    }

    fn window(&self) -> (Timestamp, Timestamp) {
        let end = Timestamp::from_second(self.now_minute * 60)
            .map_or(self.range.end, |now| now.min(self.range.end));
        (self.range.start, end)
    }
}

#[cfg(test)]
mod tests;
