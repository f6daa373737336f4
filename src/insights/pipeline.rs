//! Runs a parsed query over log events: each command in turn over the
//! records, `stats` turning them into one record per group, then the
//! columns chosen the way the service chooses them.

use std::collections::{HashMap, HashSet};

use super::ast::{AggFn, Aggregate, Command, Group, Named, ParsePattern, Query};
use super::eval::{eval, floor_to};
use super::record::Record;
use super::value::{Value, natural_cmp};
use crate::model::LogEvent;
use crate::model::insights::{QueryStatistics, QueryTable};

/// Rows a query returns when it has no `limit` (StartQuery's default).
pub const DEFAULT_ROWS: usize = 1000;

/// The results of `query` over `events` (of groups of `account`, if
/// known), at most `max_rows` rows unless the query's own `limit` says
/// otherwise, with what was read.
pub fn run<'e>(
    query: &Query,
    events: impl IntoIterator<Item = &'e LogEvent>,
    account: Option<&'e str>,
    max_rows: usize,
) -> (QueryTable, QueryStatistics) {
    let mut records: Vec<Record<'e>> = events.into_iter().map(|e| Record::of(e, account)).collect();
    let mut stats = QueryStatistics {
        records_scanned: records.len() as f64,
        bytes_scanned: records
            .iter()
            .filter_map(|r| r.event)
            .map(|e| e.message.len() as f64)
            .sum(),
        records_matched: 0.0,
    };
    // Newest first, as the service returns events of an unsorted query.
    records.sort_by_key(|r| std::cmp::Reverse(r.millis()));
    let mut columns = Columns::default();
    // Records that passed the filters, counted before `stats` or `limit`.
    let mut matched = None;
    let mut limited = false;
    for command in &query.commands {
        match command {
            Command::Fields(named) => {
                compute(&mut records, named);
                columns.add(named.iter().map(|n| n.name.clone()));
            }
            Command::Display(named) => {
                compute(&mut records, named);
                columns.display = Some(named.iter().map(|n| n.name.clone()).collect());
            }
            Command::Filter(expr) => records.retain(|r| eval(expr, r).truthy()),
            Command::Parse { source, pattern } => {
                for r in &mut records {
                    parse_into(r, source, pattern);
                }
                columns.parsed.extend(pattern_names(pattern));
            }
            Command::Stats {
                aggregates,
                calls,
                groups,
            } => {
                matched.get_or_insert(records.len());
                records = aggregate(&records, calls, groups);
                compute(&mut records, aggregates);
                columns = Columns {
                    fields: groups
                        .iter()
                        .map(|g| match g {
                            Group::Bin { name, .. } => name.clone(),
                            Group::Expr(n) => n.name.clone(),
                        })
                        .chain(aggregates.iter().map(|a| a.name.clone()))
                        .collect(),
                    ..Columns::default()
                };
            }
            Command::Sort(keys) => records.sort_by(|a, b| {
                keys.iter()
                    .map(|k| {
                        let order = natural_cmp(&eval(&k.expr, a), &eval(&k.expr, b));
                        if k.descending { order.reverse() } else { order }
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            }),
            Command::Dedup(fields) => {
                let mut seen = HashSet::new();
                records.retain(|r| {
                    let key: Option<Vec<String>> = fields.iter().map(|f| r.get(f).text()).collect();
                    key.is_none_or(|k| seen.insert(k))
                });
            }
            Command::Limit(n) => {
                matched.get_or_insert(records.len());
                records.truncate(*n);
                limited = true;
            }
        }
    }
    stats.records_matched = matched.unwrap_or(records.len()) as f64;
    if !limited {
        records.truncate(max_rows);
    }
    let columns = columns.finish();
    let rows = records
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.get(c).text().unwrap_or_default())
                .collect()
        })
        .collect();
    (QueryTable { columns, rows }, stats)
}

/// Sets each named expression's value as a field of every record.
fn compute(records: &mut [Record<'_>], named: &[Named]) {
    for r in records {
        for n in named {
            let v = eval(&n.expr, r);
            r.set(&n.name, v);
        }
    }
}

/// Which columns the results have.
#[derive(Debug, Default)]
struct Columns {
    /// Named by `fields` (or made by `stats`), in order, once each.
    fields: Vec<String>,
    /// Made by `parse`.
    parsed: Vec<String>,
    /// Set by `display`: exactly these.
    display: Option<Vec<String>>,
}

impl Columns {
    fn add(&mut self, names: impl IntoIterator<Item = String>) {
        for n in names {
            if !self.fields.contains(&n) {
                self.fields.push(n);
            }
        }
    }

    /// `display` if given; else the `fields`/`stats` columns; else
    /// `@timestamp`, `@message` and whatever `parse` extracted.
    fn finish(self) -> Vec<String> {
        if let Some(display) = self.display {
            return display;
        }
        let mut columns = if self.fields.is_empty() {
            vec!["@timestamp".to_string(), "@message".to_string()]
        } else {
            self.fields
        };
        for p in self.parsed {
            if !columns.contains(&p) {
                columns.push(p);
            }
        }
        columns
    }
}

fn pattern_names(pattern: &ParsePattern) -> Vec<String> {
    match pattern {
        ParsePattern::Glob { names, .. } => names.clone(),
        ParsePattern::Regex(re) => re.capture_names().flatten().map(str::to_string).collect(),
    }
}

/// Sets the fields `pattern` extracts from `source`; none when it does not match.
fn parse_into(record: &mut Record<'_>, source: &str, pattern: &ParsePattern) {
    let Some(text) = record.get(source).text() else {
        return;
    };
    match pattern {
        ParsePattern::Glob { pieces, names } => {
            if let Some(values) = glob_captures(&text, pieces) {
                for (name, value) in names.iter().zip(values) {
                    record.set(name, Value::Str(value.to_string()));
                }
            }
        }
        ParsePattern::Regex(re) => {
            if let Some(caps) = re.captures(&text) {
                for name in re.capture_names().flatten() {
                    if let Some(m) = caps.name(name) {
                        record.set(name, Value::Str(m.as_str().to_string()));
                    }
                }
            }
        }
    }
}

/// What each `*` of a glob matched: the first piece anchors where it is
/// found, each star takes the shortest text up to the next piece, and the
/// last star runs to the end of the text (or up to the last piece).
pub fn glob_captures<'t>(text: &'t str, pieces: &[String]) -> Option<Vec<&'t str>> {
    let first = pieces.first()?;
    let mut at = text.find(first.as_str())? + first.len();
    let mut out = Vec::with_capacity(pieces.len() - 1);
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i + 1 == pieces.len();
        let end = if piece.is_empty() && last {
            text.len()
        } else if piece.is_empty() {
            at
        } else {
            at + text[at..].find(piece.as_str())?
        };
        out.push(&text[at..end]);
        at = end + piece.len();
    }
    Some(out)
}

/// One record per group, each with its keys as fields and the values of
/// the aggregations `aggregates` (read by [`Expr::Agg`](super::ast::Expr::Agg)); groups in the
/// natural order of their keys (so time bins come oldest first).
fn aggregate<'e>(
    records: &[Record<'e>],
    aggregates: &[Aggregate],
    groups: &[Group],
) -> Vec<Record<'e>> {
    let mut index: HashMap<Vec<String>, usize> = HashMap::new();
    let mut buckets: Vec<(Vec<Value>, Vec<Acc>)> = Vec::new();
    for r in records {
        let keys: Vec<Value> = groups
            .iter()
            .map(|g| match g {
                Group::Bin { span_ms, .. } => {
                    r.get("@timestamp").number().map_or(Value::Missing, |t| {
                        Value::Time(floor_to(t as i64, *span_ms))
                    })
                }
                Group::Expr(n) => eval(&n.expr, r),
            })
            .collect();
        let key: Vec<String> = keys.iter().map(|k| k.text().unwrap_or_default()).collect();
        let slot = *index.entry(key).or_insert_with(|| {
            buckets.push((
                keys,
                aggregates.iter().map(|a| Acc::new(a.function)).collect(),
            ));
            buckets.len() - 1
        });
        for (acc, agg) in buckets[slot].1.iter_mut().zip(aggregates) {
            let value = agg.arg.as_ref().map_or(Value::Bool(true), |e| eval(e, r));
            acc.add(value, r.millis());
        }
    }
    if groups.is_empty() && buckets.is_empty() {
        buckets.push((
            Vec::new(),
            aggregates.iter().map(|a| Acc::new(a.function)).collect(),
        ));
    }
    buckets.sort_by(|(a, _), (b, _)| {
        a.iter()
            .zip(b)
            .map(|(x, y)| natural_cmp(x, y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    buckets
        .into_iter()
        .map(|(keys, accs)| {
            let names = groups.iter().map(|g| match g {
                Group::Bin { name, .. } => name.clone(),
                Group::Expr(n) => n.name.clone(),
            });
            Record::synthetic(
                names.zip(keys).collect(),
                accs.into_iter().map(Acc::finish).collect(),
            )
        })
        .collect()
}

/// A running aggregation.
#[derive(Debug)]
struct Acc {
    function: AggFn,
    count: usize,
    numbers: Vec<f64>,
    distinct: HashSet<String>,
    /// (time, value) of the earliest and latest record seen.
    earliest: Option<(i64, Value)>,
    latest: Option<(i64, Value)>,
}

impl Acc {
    fn new(function: AggFn) -> Self {
        Self {
            function,
            count: 0,
            numbers: Vec::new(),
            distinct: HashSet::new(),
            earliest: None,
            latest: None,
        }
    }

    fn add(&mut self, value: Value, millis: Option<i64>) {
        if matches!(value, Value::Missing) {
            return;
        }
        self.count += 1;
        match self.function {
            AggFn::Count => {}
            AggFn::CountDistinct => {
                self.distinct.insert(value.text().unwrap_or_default());
            }
            AggFn::Earliest | AggFn::Latest => {
                let t = millis.unwrap_or(i64::MIN);
                if self.earliest.as_ref().is_none_or(|(e, _)| t < *e) {
                    self.earliest = Some((t, value.clone()));
                }
                if self.latest.as_ref().is_none_or(|(l, _)| t >= *l) {
                    self.latest = Some((t, value));
                }
            }
            _ => self.numbers.extend(value.number()),
        }
    }

    fn finish(self) -> Value {
        let n = self.numbers.len() as f64;
        let some = |x: f64| {
            if self.numbers.is_empty() {
                Value::Missing
            } else {
                Value::Num(x)
            }
        };
        match self.function {
            AggFn::Count => Value::Num(self.count as f64),
            AggFn::CountDistinct => Value::Num(self.distinct.len() as f64),
            AggFn::Sum => some(self.numbers.iter().sum()),
            AggFn::Avg => some(self.numbers.iter().sum::<f64>() / n),
            AggFn::Min => some(self.numbers.iter().copied().fold(f64::INFINITY, f64::min)),
            AggFn::Max => some(
                self.numbers
                    .iter()
                    .copied()
                    .fold(f64::NEG_INFINITY, f64::max),
            ),
            AggFn::Stddev => {
                let mean = self.numbers.iter().sum::<f64>() / n;
                some((self.numbers.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt())
            }
            AggFn::Pct(p) => {
                let mut sorted = self.numbers.clone();
                sorted.sort_by(f64::total_cmp);
                let rank = ((p / 100.0) * n).ceil().max(1.0) as usize;
                some(
                    sorted
                        .get(rank.min(sorted.len()).saturating_sub(1))
                        .copied()
                        .unwrap_or(0.0),
                )
            }
            AggFn::Earliest => self.earliest.map_or(Value::Missing, |(_, v)| v),
            AggFn::Latest => self.latest.map_or(Value::Missing, |(_, v)| v),
        }
    }
}
