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
}

impl MetricView {
    const NAMES: [(&'static str, MetricView); 5] = [
        ("timeSeries", MetricView::TimeSeries),
        ("singleValue", MetricView::SingleValue),
        ("gauge", MetricView::Gauge),
        ("bar", MetricView::Bar),
        ("pie", MetricView::Pie),
    ];

    /// Views that show one number per line rather than a line over time.
    pub fn is_single_number(self) -> bool {
        !matches!(self, MetricView::TimeSeries)
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
        })
    }
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
