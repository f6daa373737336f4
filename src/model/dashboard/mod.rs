//! Dashboards: the account's list, and the dashboard body language (the
//! JSON CloudWatch stores for each dashboard) parsed into plain types.
//!
//! [`Dashboard::parse`] fails only when the body is not a dashboard at all
//! ([`BodyError`]); a widget with a bad definition keeps its place and
//! carries its [`WidgetError`], and the others parse as usual.
//!
//! - `grid`: positions on the 24-column grid, auto-layout.
//! - `rows`: metric rows and their `"."`/`"..."` shorthand.
//! - `metric_widget`, `annotations`, `widgets`: the widget types.
//! - `text`: a text widget's markdown once parsed (lines, tones, cuts).
//! - `queries`: metric rows turned into one batch of GetMetricData queries.
//! - `data`: what the widgets draw from (series, alarms, log results).
//! - `settings`: top-level `start`, `end`, `periodOverride`, `variables`.
//! - `variables`: property and pattern variables applied to the body.
//! - `range`: the range a dashboard is looked at over (body, preset, fixed).
//! - `seed`: the seed's dashboard bodies (the demo account's, the built-in spec's).

pub mod annotations;
pub mod data;
pub mod error;
pub mod grid;
pub mod metric_widget;
mod props;
pub mod queries;
pub mod range;
pub mod rows;
pub mod seed;
pub mod settings;
pub mod text;
pub mod variables;
pub mod widgets;

/// The terminal size (columns, rows) a dashboard is laid out for when it
/// becomes text: `dashboards show`'s default, and what `y` on a widget
/// copies, so the two give the same text.
pub const TEXT_SIZE: (u16, u16) = (120, 35);

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use annotations::{Annotations, Fill, HorizontalAnnotation, VerticalAnnotation};
pub use data::{DashboardData, LogResult, LogTable};
pub use error::{BodyError, RowProblem, SettingError, WidgetError, WidgetProblem};
pub use grid::{GRID_COLUMNS, GridRect};
pub use metric_widget::{
    AxisSettings, LegendPosition, MetricView, MetricWidget, Summary, TableSettings, YAxes,
};
pub use queries::PlannedQuery;
pub use range::{AUTO_REFRESH, RANGE_PRESETS, RangeChoice};
pub use rows::{AxisSide, MetricRow, RowOptions};
pub use settings::{PeriodOverride, Settings, TimeSpec};
pub use variables::{Chosen, Variable, VariableKind, VariableValue};
pub use widgets::{
    AlarmWidget, ContributorWidget, LogView, LogWidget, MAX_CONTRIBUTORS, TextWidget, WidgetContent,
};

use error::json_type;
use grid::Requested;
use props::Props;

/// A dashboard in the account's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardSummary {
    /// Dashboard name.
    pub name: String,
    /// Last modification time.
    pub modified_at: Option<Timestamp>,
    /// Body size in bytes.
    pub size: Option<i64>,
}

/// A parsed dashboard body.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// Every widget, in body order, each placed on the grid.
    pub widgets: Vec<Widget>,
    /// Top-level `start`, `end`, `periodOverride`, `variables`.
    pub settings: Settings,
}

/// One widget: where it sits, what it is called, and what it shows or
/// why it cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct Widget {
    /// Position in the body's `widgets` array.
    pub index: usize,
    /// `type` as written (`"?"` when absent).
    pub type_name: String,
    /// `properties.title`, when given.
    pub title: Option<String>,
    /// Where it sits on the grid, after auto-layout.
    pub rect: GridRect,
    /// What it shows, or why it cannot.
    pub content: Result<WidgetContent, WidgetError>,
}

impl Widget {
    /// The title, or the type when it has none (text and some log widgets
    /// have none): what the border shows and errors name.
    pub fn name(&self) -> &str {
        display_name(self.title.as_deref(), &self.type_name)
    }
}

impl Dashboard {
    /// Parses a dashboard body.
    pub fn parse(body: &str) -> Result<Self, BodyError> {
        Self::parse_with(body, &Chosen::new())
    }

    /// Parses a dashboard body with the values `chosen` for its variables
    /// put in place first (the others keep the body's default).
    pub fn parse_with(body: &str, chosen: &Chosen) -> Result<Self, BodyError> {
        let mut value: Value = serde_json::from_str(body).map_err(|e| BodyError::NotJson {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        })?;
        if !chosen.is_empty()
            && let Value::Object(top) = &value
        {
            let variables = Settings::parse(top).variables;
            variables::apply(&mut value, &variables, chosen);
        }
        let Value::Object(top) = &value else {
            return Err(BodyError::NotObject {
                found: json_type(&value),
            });
        };
        let items = match top.get("widgets") {
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(BodyError::WidgetsNotArray {
                    found: json_type(other),
                });
            }
            None => return Err(BodyError::NoWidgets),
        };
        let heads: Vec<Head> = items.iter().map(Head::read).collect();
        let requests: Vec<Requested> = heads.iter().map(|h| h.requested).collect();
        let rects = grid::place(&requests);
        let widgets = items
            .iter()
            .zip(heads)
            .zip(rects)
            .enumerate()
            .map(|(index, ((item, head), rect))| head.into_widget(index, item, rect))
            .collect();
        Ok(Self {
            widgets,
            settings: Settings::parse(top),
        })
    }

    /// Widgets in reading order (top to bottom, then left to right): the
    /// order of a narrow terminal's single column and of widget focus.
    pub fn reading_order(&self) -> Vec<&Widget> {
        let mut out: Vec<&Widget> = self.widgets.iter().collect();
        out.sort_by_key(|w| (w.rect.y, w.rect.x, w.index));
        out
    }

    /// Every widget error, in body order.
    pub fn errors(&self) -> impl Iterator<Item = &WidgetError> {
        self.widgets.iter().filter_map(|w| w.content.as_ref().err())
    }
}

fn display_name<'a>(title: Option<&'a str>, type_name: &'a str) -> &'a str {
    match title {
        Some(t) if !t.trim().is_empty() => t,
        _ => type_name,
    }
}

/// What is read of a widget before its type-specific properties: enough to
/// place and name it even when the rest is bad.
struct Head {
    type_name: Option<String>,
    title: Option<String>,
    requested: Requested,
    problem: Option<WidgetProblem>,
}

impl Head {
    fn read(item: &Value) -> Self {
        let Value::Object(o) = item else {
            return Self {
                type_name: None,
                title: None,
                requested: Requested::new(None, None, None, None),
                problem: Some(WidgetProblem::NotObject {
                    found: json_type(item),
                }),
            };
        };
        let p = Props::new(o, "");
        let mut problem = None;
        let mut keep = |r: Result<Option<f64>, WidgetProblem>| {
            r.unwrap_or_else(|e| {
                problem.get_or_insert(e);
                None
            })
        };
        let (x, y, width, height) = (
            keep(p.number("x")),
            keep(p.number("y")),
            keep(p.number("width")),
            keep(p.number("height")),
        );
        let type_name = match p.string("type") {
            Ok(t) => t,
            Err(e) => {
                problem.get_or_insert(e);
                None
            }
        };
        let title = match o.get("properties") {
            Some(Value::Object(props)) => props
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        };
        Self {
            type_name,
            title,
            requested: Requested::new(x, y, width, height),
            problem,
        }
    }

    fn into_widget(self, index: usize, item: &Value, rect: GridRect) -> Widget {
        let type_name = self.type_name.clone().unwrap_or_else(|| "?".to_string());
        let content = match (self.problem, &self.type_name) {
            (Some(problem), _) => Err(problem),
            (None, None) => Err(WidgetProblem::NoType),
            (None, Some(t)) => {
                let properties = match item.get("properties") {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::Object(o)) => Ok(Some(o)),
                    Some(other) => Err(WidgetProblem::WrongType {
                        key: "properties".into(),
                        expected: "an object",
                        found: json_type(other),
                    }),
                };
                properties.and_then(|p| widgets::parse_content(t, p))
            }
        };
        let content = content.map_err(|problem| WidgetError {
            index,
            name: display_name(self.title.as_deref(), &type_name).to_string(),
            at: rect,
            problem,
        });
        Widget {
            index,
            type_name,
            title: self.title,
            rect,
            content,
        }
    }
}

#[cfg(test)]
mod tests;
