//! CloudWatch dynamic labels (`${PROP('Dim.FunctionName')}`, `${LAST}`,
//! ...) evaluated for a plot line, as the console does from the points of
//! the time range shown. GetMetricData evaluates them on a real account;
//! the demo account returns labels as written, so drawing evaluates any
//! `${...}` still in a label. An unknown name is left as written.

use jiff::Timestamp;

use crate::model::MetricRef;
use crate::report::format::{compact_number, short_duration, since};

/// What a label can refer to: the line's metric and query and its points.
#[derive(Debug, Clone, Copy)]
pub struct LabelContext<'a> {
    /// The row's metric; `None` for an expression.
    pub metric: Option<&'a MetricRef>,
    /// What `${LABEL}` stands for: the label the line has without one.
    pub default_label: &'a str,
    /// Region the row is fetched from (empty when the account's default).
    pub region: &'a str,
    /// Statistic of the row.
    pub stat: &'a str,
    /// Period of the row in seconds.
    pub period_secs: u32,
    /// Account of a cross-account row.
    pub account_id: Option<&'a str>,
    /// The line's points, oldest first.
    pub points: &'a [(Timestamp, f64)],
    /// The time `_RELATIVE` values count back from.
    pub now: Timestamp,
}

/// `template` with every `${...}` the console knows replaced.
pub fn evaluate(template: &str, ctx: &LabelContext) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        match value(after[..end].trim(), ctx) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of one `${name}`; `None` when the name is unknown.
fn value(name: &str, ctx: &LabelContext) -> Option<String> {
    if let Some(prop) = name
        .strip_prefix("PROP(")
        .and_then(|p| p.strip_suffix(')'))
        .map(|p| p.trim().trim_matches(|c| c == '\'' || c == '"'))
    {
        return property(prop, ctx);
    }
    let finite: Vec<(Timestamp, f64)> = ctx
        .points
        .iter()
        .copied()
        .filter(|(_, v)| v.is_finite())
        .collect();
    if name == "LABEL" {
        return Some(ctx.default_label.to_string());
    }
    if name == "DATAPOINT_COUNT" {
        return Some(finite.len().to_string());
    }
    let first = finite.first().copied();
    let last = finite.last().copied();
    let max = finite
        .iter()
        .copied()
        .reduce(|a, b| if b.1 > a.1 { b } else { a });
    let min = finite
        .iter()
        .copied()
        .reduce(|a, b| if b.1 < a.1 { b } else { a });
    let sum: f64 = finite.iter().map(|(_, v)| v).sum();
    let number = |v: Option<f64>| v.map_or_else(String::new, compact_number);
    let time = |p: Option<(Timestamp, f64)>| {
        p.map_or_else(String::new, |(t, _)| {
            crate::model::zone::shown(t, "%Y-%m-%d %H:%M %Z")
        })
    };
    let relative = |p: Option<(Timestamp, f64)>| {
        p.map_or_else(String::new, |(t, _)| short_duration(since(ctx.now, t)))
    };
    let between = |a: Option<(Timestamp, f64)>, b: Option<(Timestamp, f64)>| match (a, b) {
        (Some((a, _)), Some((b, _))) => short_duration(since(a.max(b), a.min(b))),
        _ => String::new(),
    };
    let text = match name {
        "AVG" => number((!finite.is_empty()).then(|| sum / finite.len() as f64)),
        "SUM" => number((!finite.is_empty()).then_some(sum)),
        "FIRST" => number(first.map(|p| p.1)),
        "LAST" => number(last.map(|p| p.1)),
        "MAX" => number(max.map(|p| p.1)),
        "MIN" => number(min.map(|p| p.1)),
        "FIRST_LAST_RANGE" => number(first.zip(last).map(|(f, l)| (l.1 - f.1).abs())),
        "MIN_MAX_RANGE" => number(min.zip(max).map(|(lo, hi)| hi.1 - lo.1)),
        "FIRST_TIME" => time(first),
        "LAST_TIME" => time(last),
        "MAX_TIME" => time(max),
        "MIN_TIME" => time(min),
        "FIRST_TIME_RELATIVE" => relative(first),
        "LAST_TIME_RELATIVE" => relative(last),
        "MAX_TIME_RELATIVE" => relative(max),
        "MIN_TIME_RELATIVE" => relative(min),
        "FIRST_LAST_TIME_RANGE" => between(first, last),
        "MIN_MAX_TIME_RANGE" => between(min, max),
        _ => return None,
    };
    Some(text)
}

/// The value of `${PROP('name')}`: empty when the line has no such
/// property (an expression has no metric name), `None` when the name is
/// not one the console knows.
fn property(name: &str, ctx: &LabelContext) -> Option<String> {
    if let Some(dimension) = name.strip_prefix("Dim.") {
        return Some(
            ctx.metric
                .and_then(|m| m.dimensions.iter().find(|d| d.name == dimension))
                .map(|d| d.value.clone())
                .unwrap_or_default(),
        );
    }
    let text = match name {
        "MetricName" => ctx.metric.map(|m| m.name.clone()).unwrap_or_default(),
        "Namespace" => ctx.metric.map(|m| m.namespace.clone()).unwrap_or_default(),
        "Region" => ctx.region.to_string(),
        "Stat" => ctx.stat.to_string(),
        "Period" => ctx.period_secs.to_string(),
        "AccountId" => ctx.account_id.unwrap_or_default().to_string(),
        "AccountLabel" => String::new(),
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn properties_and_summaries_are_evaluated_as_the_console_does() {
        let metric = MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![crate::model::Dimension::new("FunctionName", "auth")],
        );
        let points = [
            (t("2026-01-16T14:00:00Z"), 4.0),
            (t("2026-01-16T14:05:00Z"), f64::NAN),
            (t("2026-01-16T14:10:00Z"), 1.0),
            (t("2026-01-16T14:15:00Z"), 7.0),
        ];
        let ctx = LabelContext {
            metric: Some(&metric),
            default_label: "Errors auth",
            region: "eu-west-1",
            stat: "Sum",
            period_secs: 300,
            account_id: None,
            points: &points,
            now: t("2026-01-16T14:20:00Z"),
        };
        let label = |s: &str| evaluate(s, &ctx);
        assert_eq!(
            label("${PROP('Dim.FunctionName')} ${PROP('MetricName')} (${PROP(\"Namespace\")})"),
            "auth Errors (AWS/Lambda)"
        );
        assert_eq!(
            label("${PROP('Region')} ${PROP('Stat')}/${PROP('Period')}s"),
            "eu-west-1 Sum/300s"
        );
        assert_eq!(label("${LABEL} [last ${LAST}]"), "Errors auth [last 7]");
        assert_eq!(
            label("${SUM} ${AVG} ${MAX} ${MIN} ${FIRST} ${DATAPOINT_COUNT}"),
            "12 4 7 1 4 3"
        );
        assert_eq!(
            label("${LAST_TIME_RELATIVE} ago, max at ${MAX_TIME}"),
            "5m 00s ago, max at 2026-01-16 14:15 UTC"
        );
        assert_eq!(
            label("${MIN_MAX_RANGE} ${FIRST_LAST_TIME_RANGE}"),
            "6 15m 00s"
        );
        assert_eq!(label("${PROP('Dim.Missing')}|"), "|");
        assert_eq!(
            label("${NOT_A_NAME} ${PROP('Nope')} ${open"),
            "${NOT_A_NAME} ${PROP('Nope')} ${open"
        );
    }
}
