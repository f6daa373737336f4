//! The Logs Insights query language, the subset monitui evaluates itself
//! (for the demo account, and to know how to draw results): commands
//! `fields`, `filter`, `parse`, `stats`, `sort`, `limit`, `display`,
//! `dedup` joined by `|`, `#` comments; system fields `@timestamp`,
//! `@message`, `@logStream`, `@log`; JSON fields discovered in messages as
//! `a.b`; comparisons, `like`, `=~`, `in`, `and`/`or`/`not`, arithmetic
//! (with `^`) and the documented string, numeric, datetime, IP and general
//! functions (`ast::Func`); `stats` columns as expressions over
//! `count`, `count_distinct`, `avg`, `sum`, `min`, `max`, `pct`,
//! `stddev`, `earliest`, `latest`, `by` fields and `bin(span)`.
//!
//! A query that does not parse is refused with the line, column and what
//! was expected there ([`QueryError`]); a valid one using a documented
//! construct outside the subset names that construct instead. Results come as GetQueryResults
//! gives them: named columns and rows of text ([`QueryTable`]).

mod ast;
mod error;
mod eval;
mod lexer;
mod parser;
mod pipeline;
mod record;
mod value;

pub use error::QueryError;
pub use parser::MAX_LIMIT;
pub use pipeline::DEFAULT_ROWS;

use crate::model::LogEvent;
use crate::model::insights::{QueryStatistics, QueryTable};

/// A parsed Logs Insights query.
#[derive(Debug, Clone)]
pub struct InsightsQuery {
    query: ast::Query,
    /// The account whose groups it reads (`@log` is `account:group`).
    account: Option<String>,
}

impl InsightsQuery {
    /// Parses `text`, or says where and why it is not a query.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        parser::parse(text).map(|query| Self {
            query,
            account: None,
        })
    }

    /// The query over groups of account `id`: `@log` reads `id:group`, as
    /// the service gives it (without an account it is the group name).
    pub fn in_account(mut self, id: &str) -> Self {
        self.account = Some(id.to_string());
        self
    }

    /// Runs the query over `events`: the result table (at most `max_rows`
    /// rows unless the query has its own `limit`) and what was read.
    pub fn run<'e>(
        &'e self,
        events: impl IntoIterator<Item = &'e LogEvent>,
        max_rows: usize,
    ) -> (QueryTable, QueryStatistics) {
        pipeline::run(&self.query, events, self.account.as_deref(), max_rows)
    }

    /// When the query ends in `stats ... by bin(...)` (nothing after it but
    /// `sort`/`limit`), the bin's column and the first aggregate's: what a
    /// bar chart of the results plots.
    pub fn chart_columns(&self) -> Option<(String, String)> {
        let mut found = None;
        for command in &self.query.commands {
            match command {
                ast::Command::Stats {
                    aggregates, groups, ..
                } => {
                    found = groups.iter().find_map(|g| match g {
                        ast::Group::Bin { name, .. } => {
                            Some((name.clone(), aggregates.first()?.name.clone()))
                        }
                        ast::Group::Expr(_) => None,
                    });
                }
                ast::Command::Sort(_) | ast::Command::Limit(_) => {}
                _ => found = None,
            }
        }
        found
    }
}

#[cfg(test)]
mod tests;
