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
    /// `dedup a, b`: keeps the first record of each combination of the
    /// fields' values (records missing any of them all stay).
    Dedup(Vec<String>),
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

impl Expr {
    /// Whether `pred` holds for this expression or any inside it.
    pub fn any(&self, pred: &impl Fn(&Expr) -> bool) -> bool {
        pred(self)
            || match self {
                Expr::Field(_) | Expr::Str(_) | Expr::Num(_) | Expr::Agg(_) => false,
                Expr::Binary(a, _, b) | Expr::And(a, b) | Expr::Or(a, b) => {
                    a.any(pred) || b.any(pred)
                }
                Expr::Not(e) | Expr::Neg(e) => e.any(pred),
                Expr::Like { value, .. } => value.any(pred),
                Expr::In(e, items) => e.any(pred) || items.iter().any(|i| i.any(pred)),
                Expr::Call(_, args) => args.iter().any(|a| a.any(pred)),
            }
    }
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
    /// `^` (power).
    Pow,
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
    /// `trim(s [, chars])`.
    Trim,
    /// `ltrim(s [, chars])`.
    Ltrim,
    /// `rtrim(s [, chars])`.
    Rtrim,
    /// `concat(a, b, ...)`.
    Concat,
    /// `substr(s, start [, length])`, counting characters from 0.
    Substr,
    /// `replace(s, search, with)`: every occurrence.
    Replace,
    /// `strcontains(s, search)`: 1 if it contains it, else 0.
    StrContains,
    /// `abs(n)`.
    Abs,
    /// `floor(n)`.
    Floor,
    /// `ceil(n)`.
    Ceil,
    /// `greatest(a, b, ...)`.
    Greatest,
    /// `least(a, b, ...)`.
    Least,
    /// `log(n)`: the natural logarithm.
    Log,
    /// `sqrt(n)`.
    Sqrt,
    /// `coalesce(a, b, ...)`: the first present value.
    Coalesce,
    /// `bin(span)`: `@timestamp` rounded down to the span.
    Bin,
    /// `datefloor(t, span)`.
    DateFloor,
    /// `dateceil(t, span)`.
    DateCeil,
    /// `fromMillis(n)`: a time from epoch milliseconds.
    FromMillis,
    /// `toMillis(t)`: a time's epoch milliseconds.
    ToMillis,
    /// `isValidIp(s)`.
    IsValidIp,
    /// `isValidIpV4(s)`.
    IsValidIpV4,
    /// `isValidIpV6(s)`.
    IsValidIpV6,
    /// `isIpInSubnet(ip, cidr)`.
    IsIpInSubnet,
    /// `isIpv4InSubnet(ip, cidr)`.
    IsIpv4InSubnet,
    /// `isIpv6InSubnet(ip, cidr)`.
    IsIpv6InSubnet,
}

/// Functions and commands of the service's documentation that the demo
/// account's evaluator does not evaluate (lower case): a query using them
/// is valid, and is refused as unsupported rather than malformed.
pub const UNEVALUATED_FUNCTIONS: &[&str] = &[
    "jsonparse",
    "jsonstringify",
    "sortsfirst",
    "sortslast",
    "unmask",
];

/// Commands of the service the demo account does not evaluate (lower case).
pub const UNEVALUATED_COMMANDS: &[&str] = &[
    "anomaly",
    "filterindex",
    "pattern",
    "diff",
    "unmask",
    "unnest",
    "source",
    "lookup",
    "addtotals",
];

impl Func {
    /// The function of a name, with the least and most arguments it takes.
    pub fn by_name(name: &str) -> Option<(Func, usize, usize)> {
        const MANY: usize = usize::MAX;
        Some(match name.to_ascii_lowercase().as_str() {
            "ispresent" => (Func::IsPresent, 1, 1),
            "isempty" => (Func::IsEmpty, 1, 1),
            "isblank" => (Func::IsBlank, 1, 1),
            "strlen" => (Func::Strlen, 1, 1),
            "tolower" => (Func::ToLower, 1, 1),
            "toupper" => (Func::ToUpper, 1, 1),
            "trim" => (Func::Trim, 1, 2),
            "ltrim" => (Func::Ltrim, 1, 2),
            "rtrim" => (Func::Rtrim, 1, 2),
            "concat" => (Func::Concat, 1, MANY),
            "substr" => (Func::Substr, 2, 3),
            "replace" => (Func::Replace, 3, 3),
            "strcontains" => (Func::StrContains, 2, 2),
            "abs" => (Func::Abs, 1, 1),
            "floor" => (Func::Floor, 1, 1),
            "ceil" => (Func::Ceil, 1, 1),
            "greatest" => (Func::Greatest, 1, MANY),
            "least" => (Func::Least, 1, MANY),
            "log" => (Func::Log, 1, 1),
            "sqrt" => (Func::Sqrt, 1, 1),
            "coalesce" => (Func::Coalesce, 1, MANY),
            "bin" => (Func::Bin, 1, 1),
            "datefloor" => (Func::DateFloor, 2, 2),
            "dateceil" => (Func::DateCeil, 2, 2),
            "frommillis" => (Func::FromMillis, 1, 1),
            "tomillis" => (Func::ToMillis, 1, 1),
            "isvalidip" => (Func::IsValidIp, 1, 1),
            "isvalidipv4" => (Func::IsValidIpV4, 1, 1),
            "isvalidipv6" => (Func::IsValidIpV6, 1, 1),
            "isipinsubnet" => (Func::IsIpInSubnet, 2, 2),
            "isipv4insubnet" => (Func::IsIpv4InSubnet, 2, 2),
            "isipv6insubnet" => (Func::IsIpv6InSubnet, 2, 2),
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
