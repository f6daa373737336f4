//! A `metric` widget's properties: its rows, the defaults rows inherit
//! (`period` 300, `stat` Average, `region`), how it is drawn (`view`,
//! `stacked`, `sparkline`, `yAxis`, `legend`) and its annotations.

use serde_json::{Map, Value};

use super::annotations::{Annotations, parse_annotations};
use super::error::WidgetProblem;
use super::props::Props;
use super::rows::{MetricRow, parse_rows};

/// The console's default period when a widget names none.
pub const DEFAULT_PERIOD_SECS: u32 = 300;
/// The console's default statistic when a widget names none.
pub const DEFAULT_STAT: &str = "Average";

/// How a metric widget is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MetricView {
    /// Lines over time (the default).
    #[default]
    TimeSeries,
    /// The latest value of each line, large.
    SingleValue,
    /// The latest value against the left axis' min..max.
    Gauge,
    /// One bar per line (its latest value).
    Bar,
    /// Shares of a whole; drawn as bars in a terminal.
    Pie,
    /// A data table: a row per line, a column per period and summaries.
    Table,
}

impl MetricView {
    const NAMES: [(&'static str, MetricView); 6] = [
        ("timeSeries", MetricView::TimeSeries),
        ("singleValue", MetricView::SingleValue),
        ("gauge", MetricView::Gauge),
        ("bar", MetricView::Bar),
        ("pie", MetricView::Pie),
        ("table", MetricView::Table),
    ];

    /// Views that show one number per line rather than a line over time.
    pub fn is_single_number(self) -> bool {
        !matches!(self, MetricView::TimeSeries | MetricView::Table)
    }
}

/// A summary column of a data table (`table.summaryColumns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// Smallest point shown.
    Min,
    /// Largest point shown.
    Max,
    /// Sum of the points shown.
    Sum,
    /// Average of the points shown.
    Avg,
}

impl Summary {
    const NAMES: [(&'static str, Summary); 4] = [
        ("MIN", Summary::Min),
        ("MAX", Summary::Max),
        ("SUM", Summary::Sum),
        ("AVG", Summary::Avg),
    ];

    /// The column heading, as in the body.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(n, _)| n)
    }
}

/// A data table's `table` settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSettings {
    /// Summary columns, in the body's order (all four when not given, as
    /// the console's default table has).
    pub summary_columns: Vec<Summary>,
    /// Whether the columns of periods are shown (`showTimeSeriesData`).
    pub show_time_series_data: bool,
}

impl Default for TableSettings {
    fn default() -> Self {
        Self {
            summary_columns: Summary::NAMES.iter().map(|(_, s)| *s).collect(),
            show_time_series_data: true,
        }
    }
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LegendPosition {
    /// Under the chart (the default).
    #[default]
    Bottom,
    /// Beside the chart.
    Right,
    /// No legend.
    Hidden,
}

/// One vertical axis' settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisSettings {
    /// Fixed lower bound.
    pub min: Option<f64>,
    /// Fixed upper bound.
    pub max: Option<f64>,
    /// Axis title.
    pub label: Option<String>,
    /// Whether the unit is shown beside values (default true).
    pub show_units: bool,
}

impl Default for AxisSettings {
    fn default() -> Self {
        Self {
            min: None,
            max: None,
            label: None,
            show_units: true,
        }
    }
}

/// The left and right axes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YAxes {
    /// Left axis.
    pub left: AxisSettings,
    /// Right axis.
    pub right: AxisSettings,
}

/// A parsed `metric` widget.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricWidget {
    /// The rows, shorthand resolved.
    pub rows: Vec<MetricRow>,
    /// How it is drawn.
    pub view: MetricView,
    /// Lines stacked on each other.
    pub stacked: bool,
    /// A sparkline under single values.
    pub sparkline: bool,
    /// Region of rows that name none.
    pub region: Option<String>,
    /// Statistic of rows that name none.
    pub stat: String,
    /// Period of rows that name none, in seconds.
    pub period_secs: u32,
    /// Single-number views aggregate over the whole time range.
    pub set_period_to_time_range: bool,
    /// Include the newest, still-filling period.
    pub live_data: bool,
    /// Axis bounds and labels.
    pub y_axis: YAxes,
    /// Legend placement.
    pub legend: LegendPosition,
    /// Threshold lines, bands and vertical markers.
    pub annotations: Annotations,
    /// Data table settings (the `table` view).
    pub table: TableSettings,
}

impl MetricWidget {
    /// Parses a metric widget's `properties`.
    pub fn parse(properties: &Map<String, Value>) -> Result<Self, WidgetProblem> {
        let p = Props::new(properties, "properties");
        let rows = match p.array("metrics")? {
            Some(rows) => parse_rows(rows)?,
            None if p.object("annotations")?.is_some() => Vec::new(),
            None => {
                return Err(WidgetProblem::Missing {
                    key: "properties.metrics".into(),
                });
            }
        };
        let legend = match p.object("legend")? {
            Some(o) => Props::new(o, "properties.legend")
                .choice(
                    "position",
                    &[
                        ("bottom", LegendPosition::Bottom),
                        ("right", LegendPosition::Right),
                        ("hidden", LegendPosition::Hidden),
                    ],
                )?
                .unwrap_or_default(),
            None => LegendPosition::Bottom,
        };
        Ok(Self {
            rows,
            view: p.choice("view", &MetricView::NAMES)?.unwrap_or_default(),
            stacked: p.bool("stacked")?.unwrap_or(false),
            sparkline: p.bool("sparkline")?.unwrap_or(false),
            region: p.string("region")?,
            stat: p
                .string("stat")?
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_STAT.to_string()),
            period_secs: p.period("period")?.unwrap_or(DEFAULT_PERIOD_SECS),
            set_period_to_time_range: p.bool("setPeriodToTimeRange")?.unwrap_or(false),
            live_data: p.bool("liveData")?.unwrap_or(false),
            y_axis: parse_axes(&p)?,
            legend,
            annotations: match p.object("annotations")? {
                Some(o) => parse_annotations(o)?,
                None => Annotations::default(),
            },
            table: parse_table(&p)?,
        })
    }
}

/// `table`: summary columns (names it does not know are left out, as the
/// console does not draw them either) and whether periods are shown.
fn parse_table(p: &Props<'_>) -> Result<TableSettings, WidgetProblem> {
    let Some(o) = p.object("table")? else {
        return Ok(TableSettings::default());
    };
    let t = Props::new(o, "properties.table");
    let defaults = TableSettings::default();
    Ok(TableSettings {
        summary_columns: match t.strings("summaryColumns")? {
            Some(names) => names
                .iter()
                .filter_map(|n| {
                    Summary::NAMES
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(n))
                        .map(|(_, s)| *s)
                })
                .collect(),
            None => defaults.summary_columns,
        },
        show_time_series_data: t
            .bool("showTimeSeriesData")?
            .unwrap_or(defaults.show_time_series_data),
    })
}

fn parse_axes(p: &Props<'_>) -> Result<YAxes, WidgetProblem> {
    let Some(o) = p.object("yAxis")? else {
        return Ok(YAxes::default());
    };
    let axes = Props::new(o, "properties.yAxis");
    let side = |key: &str, path: &str| -> Result<AxisSettings, WidgetProblem> {
        match axes.object(key)? {
            Some(a) => {
                let a = Props::new(a, path);
                Ok(AxisSettings {
                    min: a.number("min")?,
                    max: a.number("max")?,
                    label: a.string("label")?,
                    show_units: a.bool("showUnits")?.unwrap_or(true),
                })
            }
            None => Ok(AxisSettings::default()),
        }
    };
    Ok(YAxes {
        left: side("left", "properties.yAxis.left")?,
        right: side("right", "properties.yAxis.right")?,
    })
}
