//! The non-metric widget types (`alarm`, `text`, `log`, Contributor
//! Insights) and the dispatch from a widget's `type` to its parser.

use serde_json::{Map, Value};

use super::error::WidgetProblem;
use super::metric_widget::MetricWidget;
use super::props::Props;
use super::text::TextDoc;
use crate::model::AlarmState;
use crate::model::insight_rule::ContributorOrder;
use crate::model::insights::QueryLanguage;

/// What a widget shows, once its definition parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetContent {
    /// Metric lines or numbers.
    Metric(MetricWidget),
    /// States of listed alarms.
    Alarm(AlarmWidget),
    /// Markdown text.
    Text(TextWidget),
    /// A Logs Insights query's results.
    Log(LogWidget),
    /// A Contributor Insights rule's top contributors.
    Contributors(ContributorWidget),
    /// A type monitui does not draw (`explorer`, custom widgets, ...).
    Unsupported {
        /// The `type` as written.
        type_name: String,
    },
}

/// An `alarm` (alarm status) widget.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmWidget {
    /// Alarm ARNs as written.
    pub alarms: Vec<String>,
    /// `sortBy` as written (`stateUpdatedTimestamp`, `timestamp`, `default`).
    pub sort_by: Option<String>,
    /// Only alarms in these states are listed (all when empty).
    pub states: Vec<AlarmState>,
}

impl AlarmWidget {
    /// The alarm name at the end of an alarm ARN (`...:alarm:NAME`), or the
    /// text itself when it is not an ARN.
    pub fn alarm_name(arn: &str) -> &str {
        arn.split_once(":alarm:").map_or(arn, |(_, name)| name)
    }
}

/// A `text` widget.
#[derive(Debug, Clone)]
pub struct TextWidget {
    /// The markdown source.
    pub markdown: String,
    /// The markdown parsed, filled once by the first draw and kept with
    /// the body, so no draw parses it again.
    pub parsed: std::sync::OnceLock<TextDoc>,
}

/// Two text widgets are the same when their markdown is, parsed or not.
impl PartialEq for TextWidget {
    fn eq(&self, other: &Self) -> bool {
        self.markdown == other.markdown
    }
}

impl TextWidget {
    /// A text widget of `markdown`, not parsed yet.
    pub fn new(markdown: String) -> Self {
        Self {
            markdown,
            parsed: std::sync::OnceLock::new(),
        }
    }
}

/// The most contributors GetInsightRuleReport returns.
pub const MAX_CONTRIBUTORS: u32 = 100;
/// How many contributors a widget shows when it does not say.
const DEFAULT_CONTRIBUTORS: u32 = 10;

/// A Contributor Insights widget: a `metric` widget with `insightRule`
/// instead of `metrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContributorWidget {
    /// `insightRule.ruleName`.
    pub rule_name: String,
    /// `insightRule.maxContributorCount` (1 to 100, 10 when absent).
    pub max_contributors: u32,
    /// `insightRule.orderBy`.
    pub order_by: ContributorOrder,
    /// `period` of the report, seconds (300 when absent).
    pub period_secs: u32,
    /// Region to read it in.
    pub region: Option<String>,
}

/// How a log widget shows its results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogView {
    /// A table of rows (the default).
    #[default]
    Table,
    /// `stats ... by bin()` as lines.
    TimeSeries,
    /// `stats ... by ...` as bars.
    Bar,
    /// As bars in a terminal.
    Pie,
}

/// A `log` widget: a Logs Insights query.
#[derive(Debug, Clone, PartialEq)]
pub struct LogWidget {
    /// The query as written, `SOURCE` clauses included.
    pub query: String,
    /// Log groups named by `SOURCE '...'` clauses.
    pub log_groups: Vec<String>,
    /// `SOURCE logGroups(...)` selections, as written.
    pub group_selections: Vec<String>,
    /// The query without its `SOURCE` clauses (what StartQuery takes).
    pub query_string: String,
    /// Region to run it in.
    pub region: Option<String>,
    /// How results are shown.
    pub view: LogView,
    /// Stacked bars/lines.
    pub stacked: bool,
    /// `queryLanguage`: Logs Insights QL unless `SQL` or `PPL`.
    pub language: QueryLanguage,
}

/// Parses a widget's `properties` according to its `type`.
pub fn parse_content(
    type_name: &str,
    properties: Option<&Map<String, Value>>,
) -> Result<WidgetContent, WidgetProblem> {
    let empty = Map::new();
    let known = matches!(type_name, "metric" | "alarm" | "text" | "log");
    let props = match properties {
        Some(p) => p,
        None if known => {
            return Err(WidgetProblem::Missing {
                key: "properties".into(),
            });
        }
        None => &empty,
    };
    match type_name {
        "metric" if props.contains_key("insightRule") => {
            parse_contributors(props).map(WidgetContent::Contributors)
        }
        "metric" => MetricWidget::parse(props).map(WidgetContent::Metric),
        "alarm" => parse_alarm(props).map(WidgetContent::Alarm),
        "text" => parse_text(props).map(WidgetContent::Text),
        "log" => parse_log(props).map(WidgetContent::Log),
        other => Ok(WidgetContent::Unsupported {
            type_name: other.to_string(),
        }),
    }
}

fn parse_alarm(o: &Map<String, Value>) -> Result<AlarmWidget, WidgetProblem> {
    let p = Props::new(o, "properties");
    let alarms = p.strings("alarms")?.ok_or_else(|| WidgetProblem::Missing {
        key: "properties.alarms".into(),
    })?;
    let states = p
        .strings("states")?
        .unwrap_or_default()
        .iter()
        .map(|s| {
            AlarmState::parse(s).ok_or_else(|| WidgetProblem::BadValue {
                key: "properties.states".into(),
                value: format!("\"{s}\""),
                reason: "expected ALARM, OK or INSUFFICIENT_DATA".into(),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(AlarmWidget {
        alarms,
        sort_by: p.string("sortBy")?,
        states,
    })
}

fn parse_contributors(o: &Map<String, Value>) -> Result<ContributorWidget, WidgetProblem> {
    let p = Props::new(o, "properties");
    let rule = p
        .object("insightRule")?
        .ok_or_else(|| WidgetProblem::Missing {
            key: "properties.insightRule".into(),
        })?;
    let r = Props::new(rule, "properties.insightRule");
    let rule_name = r
        .string("ruleName")?
        .ok_or_else(|| WidgetProblem::Missing {
            key: "properties.insightRule.ruleName".into(),
        })?;
    let max_contributors = match r.number("maxContributorCount")? {
        None => DEFAULT_CONTRIBUTORS,
        Some(n) if n.fract() == 0.0 && (1.0..=f64::from(MAX_CONTRIBUTORS)).contains(&n) => n as u32,
        Some(n) => {
            return Err(WidgetProblem::BadValue {
                key: "properties.insightRule.maxContributorCount".into(),
                value: n.to_string(),
                reason: format!("expected a whole number from 1 to {MAX_CONTRIBUTORS}"),
            });
        }
    };
    Ok(ContributorWidget {
        rule_name,
        max_contributors,
        order_by: r
            .choice(
                "orderBy",
                &[
                    ("Sum", ContributorOrder::Sum),
                    ("Maximum", ContributorOrder::Maximum),
                ],
            )?
            .unwrap_or_default(),
        period_secs: p
            .period("period")?
            .unwrap_or(super::metric_widget::DEFAULT_PERIOD_SECS),
        region: p.string("region")?,
    })
}

fn parse_text(o: &Map<String, Value>) -> Result<TextWidget, WidgetProblem> {
    let markdown = Props::new(o, "properties")
        .string("markdown")?
        .ok_or_else(|| WidgetProblem::Missing {
            key: "properties.markdown".into(),
        })?;
    Ok(TextWidget::new(markdown))
}

fn parse_log(o: &Map<String, Value>) -> Result<LogWidget, WidgetProblem> {
    let p = Props::new(o, "properties");
    let query = p.string("query")?.ok_or_else(|| WidgetProblem::Missing {
        key: "properties.query".into(),
    })?;
    let sources = split_sources(&query);
    Ok(LogWidget {
        log_groups: sources.groups,
        group_selections: sources.selections,
        query_string: sources.rest,
        query,
        region: p.string("region")?,
        view: p
            .choice(
                "view",
                &[
                    ("table", LogView::Table),
                    ("timeSeries", LogView::TimeSeries),
                    ("bar", LogView::Bar),
                    ("pie", LogView::Pie),
                ],
            )?
            .unwrap_or_default(),
        stacked: p.bool("stacked")?.unwrap_or(false),
        language: p
            .choice(
                "queryLanguage",
                &[
                    ("CWLI", QueryLanguage::LogsInsights),
                    ("Logs", QueryLanguage::LogsInsights),
                    ("SQL", QueryLanguage::Sql),
                    ("PPL", QueryLanguage::Ppl),
                ],
            )?
            .unwrap_or_default(),
    })
}

/// A log query split into its leading `SOURCE` clauses and the rest.
#[derive(Debug, Default, PartialEq)]
struct Sources {
    groups: Vec<String>,
    selections: Vec<String>,
    rest: String,
}

/// Takes `SOURCE 'group' |` and `SOURCE logGroups(...) |` clauses off the
/// front of a query.
fn split_sources(query: &str) -> Sources {
    let mut out = Sources::default();
    let mut rest = query.trim_start();
    while let Some(after) = strip_keyword(rest, "SOURCE") {
        let after = after.trim_start();
        let consumed = if let Some(quote @ ('\'' | '"')) = after.chars().next() {
            match after[1..].find(quote) {
                Some(end) => {
                    out.groups.push(after[1..=end].to_string());
                    end + 2
                }
                None => break,
            }
        } else if let Some(open) = after.find('(') {
            match after[open..].find(')') {
                Some(close) => {
                    out.selections.push(after[..=open + close].to_string());
                    open + close + 1
                }
                None => break,
            }
        } else {
            break;
        };
        rest = after[consumed..].trim_start();
        match rest.strip_prefix('|') {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    out.rest = rest.to_string();
    out
}

fn strip_keyword<'a>(s: &'a str, keyword: &str) -> Option<&'a str> {
    let head = s.get(..keyword.len())?;
    let tail = &s[keyword.len()..];
    (head.eq_ignore_ascii_case(keyword) && tail.starts_with(char::is_whitespace)).then_some(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_come_off_the_front_of_a_query() {
        let s = split_sources(
            "SOURCE '/aws/lambda/a' | SOURCE \"/aws/lambda/b\" | fields @timestamp\n| limit 20",
        );
        assert_eq!(s.groups, ["/aws/lambda/a", "/aws/lambda/b"]);
        assert_eq!(s.rest, "fields @timestamp\n| limit 20");
        let s = split_sources(
            "SOURCE logGroups(namePrefix: [\"/aws/ecs/\"], class: \"STANDARD\")  |\nfields log",
        );
        assert_eq!(
            s.selections,
            ["logGroups(namePrefix: [\"/aws/ecs/\"], class: \"STANDARD\")"]
        );
        assert_eq!(s.rest, "fields log");
        let s = split_sources("fields @message | filter @message like /SOURCE/");
        assert!(s.groups.is_empty());
        assert_eq!(s.rest, "fields @message | filter @message like /SOURCE/");
    }

    #[test]
    fn an_unterminated_source_is_left_in_the_query() {
        let s = split_sources("SOURCE '/aws/x | fields a");
        assert!(s.groups.is_empty());
        assert_eq!(s.rest, "SOURCE '/aws/x | fields a");
    }

    #[test]
    fn alarm_names_come_from_arns() {
        assert_eq!(
            AlarmWidget::alarm_name("arn:aws:cloudwatch:eu-west-2:123456789012:alarm:intg-dlq"),
            "intg-dlq"
        );
        assert_eq!(AlarmWidget::alarm_name("plain-name"), "plain-name");
    }
}
