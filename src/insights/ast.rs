//! The parsed form of a query: a pipeline of commands over expressions.

use regex::Regex;

/// A parsed query: its commands in pipeline order.
#[derive(Debug, Clone)]
pub struct Query {
    /// `fields`, `filter`, `parse`, `stats`, `sort`, `limit`, `display`.
    pub commands: Vec<Command>,
}

/// One command of the pipeline.
#[derive(Debug, Clone)]
pub enum Command {
    /// `fields a, b as c`: computes fields and shows them.
    Fields(Vec<Named>),
    /// `display a, b * 2 as c`: computes like `fields`, and the result
    /// has exactly these columns, in this order.
    Display(Vec<Named>),
    /// `filter expr`: keeps the records where the expression holds.
    Filter(Expr),
    /// `parse field "glob" as a, b` or `parse field /(?<a>...)/`.
    Parse {
        /// The field parsed (default `@message`).
        source: String,
        /// How it is split.
        pattern: ParsePattern,
    },
    /// `stats agg, ... [by group, ...]`; each column is an expression
    /// over aggregations (`sum(a) / 1000 * avg(b) as x`).
    Stats {
        /// The result columns, in order: expressions whose aggregations
        /// are [`Expr::Agg`] indexes into `calls`.
        aggregates: Vec<Named>,
        /// Every aggregation the columns use, in the order written.
        calls: Vec<Aggregate>,
        /// The grouping keys, after the aggregates in column order.
        groups: Vec<Group>,
    },
    /// `sort key [asc|desc], ...`.
    Sort(Vec<SortKey>),
    /// `limit N`.
    Limit(usize),
}

/// An expression with the column name it produces.
#[derive(Debug, Clone)]
pub struct Named {
    /// The column name: the alias, else the expression as written.
    pub name: String,
    /// The expression.
    pub expr: Expr,
}

/// How `parse` splits a field.
#[derive(Debug, Clone)]
pub enum ParsePattern {
    /// A glob: literal text and `*` captures, named in order.
    Glob {
        /// The literal pieces around the stars (one more than `names`).
        pieces: Vec<String>,
        /// One name per star.
        names: Vec<String>,
    },
    /// A regular expression whose named groups become fields.
    Regex(Regex),
}

/// One aggregation call of a `stats` command, such as `sum(@duration)`.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// Which function.
    pub function: AggFn,
    /// Its argument; `None` for `count(*)`.
    pub arg: Option<Expr>,
}

/// The aggregation functions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggFn {
    /// `count(*)` or `count(f)` (records where f is present).
    Count,
    /// `count_distinct(f)`.
    CountDistinct,
    /// `avg(f)`.
    Avg,
    /// `sum(f)`.
    Sum,
    /// `min(f)`.
    Min,
    /// `max(f)`.
    Max,
    /// `pct(f, p)`: the p-th percentile.
    Pct(f64),
    /// `stddev(f)` (population).
    Stddev,
    /// `earliest(f)`: the value of the oldest record.
    Earliest,
    /// `latest(f)`: the value of the newest record.
    Latest,
}

/// A `stats ... by` key.
#[derive(Debug, Clone)]
pub enum Group {
    /// `bin(5m)`: `@timestamp` rounded down to the span (ms).
    Bin {
        /// Column name.
        name: String,
        /// The bin width in milliseconds.
        span_ms: i64,
    },
    /// Any other expression.
    Expr(Named),
}

/// A `sort` key.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// What to sort by.
    pub expr: Expr,
    /// Largest first.
    pub descending: bool,
}

/// A value expression or condition.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A field (`@message`, `a.b`).
    Field(String),
    /// A string literal.
    Str(String),
    /// A number literal.
    Num(f64),
    /// `a op b` for comparisons and arithmetic.
    Binary(Box<Expr>, BinOp, Box<Expr>),
    /// `not e`.
    Not(Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    /// `-e`.
    Neg(Box<Expr>),
    /// `e like /re/`, `e like "text"`, `e =~ /re/` (negated with `not like`).
    Like {
        /// The value tested.
        value: Box<Expr>,
        /// What it must contain.
        pattern: Matcher,
    },
    /// `e in [a, b]`.
    In(Box<Expr>, Vec<Expr>),
    /// A function call such as `ispresent(f)` or `tolower(f)`.
    Call(Func, Vec<Expr>),
    /// In a `stats` column, the value of its command's aggregation number
    /// N for the group.
    Agg(usize),
}

/// What `like` looks for.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A regular expression, anywhere in the value.
    Regex(Regex),
    /// A substring.
    Substring(String),
}

/// Comparison and arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Rem,
}

/// The non-aggregating functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `ispresent(f)`: the field exists.
    IsPresent,
    /// `isempty(f)`: missing or empty.
    IsEmpty,
    /// `isblank(f)`: missing, empty or only white space.
    IsBlank,
    /// `strlen(s)`.
    Strlen,
    /// `tolower(s)`.
    ToLower,
    /// `toupper(s)`.
    ToUpper,
    /// `trim(s)`.
    Trim,
    /// `concat(a, b, ...)`.
    Concat,
    /// `abs(n)`.
    Abs,
    /// `floor(n)`.
    Floor,
    /// `ceil(n)`.
    Ceil,
    /// `coalesce(a, b, ...)`: the first present value.
    Coalesce,
}

impl Func {
    /// The function of a name, with the number of arguments it takes
    /// (`None`: one or more).
    pub fn by_name(name: &str) -> Option<(Func, Option<usize>)> {
        Some(match name.to_ascii_lowercase().as_str() {
            "ispresent" => (Func::IsPresent, Some(1)),
            "isempty" => (Func::IsEmpty, Some(1)),
            "isblank" => (Func::IsBlank, Some(1)),
            "strlen" => (Func::Strlen, Some(1)),
            "tolower" => (Func::ToLower, Some(1)),
            "toupper" => (Func::ToUpper, Some(1)),
            "trim" => (Func::Trim, Some(1)),
            "concat" => (Func::Concat, None),
            "abs" => (Func::Abs, Some(1)),
            "floor" => (Func::Floor, Some(1)),
            "ceil" => (Func::Ceil, Some(1)),
            "coalesce" => (Func::Coalesce, None),
            _ => return None,
        })
    }
}

impl AggFn {
    /// The aggregation of a name (without `pct`'s percentile).
    pub fn by_name(name: &str) -> Option<AggFn> {
        Some(match name.to_ascii_lowercase().as_str() {
            "count" => AggFn::Count,
            "count_distinct" => AggFn::CountDistinct,
            "avg" => AggFn::Avg,
            "sum" => AggFn::Sum,
            "min" => AggFn::Min,
            "max" => AggFn::Max,
            "pct" | "percentile" => AggFn::Pct(0.0),
            "stddev" => AggFn::Stddev,
            "earliest" => AggFn::Earliest,
            "latest" => AggFn::Latest,
            _ => return None,
        })
    }
}
