//! A metric widget's `annotations`: horizontal lines and bands (thresholds),
//! vertical lines and bands (deploys, incidents), each with an optional
//! fill, and `alarms` (the ARNs of alarms drawn on the graph).

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::error::{WidgetProblem, json_type};
use super::props::Props;
use super::rows::AxisSide;

/// Which side of an annotation line is shaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Above a horizontal line.
    Above,
    /// Below a horizontal line.
    Below,
    /// Before a vertical line.
    Before,
    /// After a vertical line.
    After,
}

/// What every annotation carries beside its position.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationLook {
    /// Legend text.
    pub label: Option<String>,
    /// Colour as written.
    pub color: Option<String>,
    /// Shaded side.
    pub fill: Option<Fill>,
    /// Hidden annotations are kept but not drawn.
    pub visible: bool,
}

/// A horizontal threshold line (`to` = None) or band.
#[derive(Debug, Clone, PartialEq)]
pub struct HorizontalAnnotation {
    /// The value of the line (or one edge of the band).
    pub value: f64,
    /// The other edge of a band.
    pub to: Option<f64>,
    /// Axis the value is on.
    pub y_axis: AxisSide,
    /// Label, colour, fill, visibility.
    pub look: AnnotationLook,
}

/// A vertical line (`to` = None) or band at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct VerticalAnnotation {
    /// The moment of the line (or one edge of the band).
    pub at: Timestamp,
    /// The other edge of a band.
    pub to: Option<Timestamp>,
    /// Label, colour, fill, visibility.
    pub look: AnnotationLook,
}

/// Everything under `annotations`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations {
    /// Horizontal lines and bands.
    pub horizontal: Vec<HorizontalAnnotation>,
    /// Vertical lines and bands.
    pub vertical: Vec<VerticalAnnotation>,
    /// Alarm ARNs whose thresholds the console draws.
    pub alarms: Vec<String>,
}

/// Parses `properties.annotations`.
pub fn parse_annotations(o: &Map<String, Value>) -> Result<Annotations, WidgetProblem> {
    let p = Props::new(o, "properties.annotations");
    let mut out = Annotations {
        alarms: p.strings("alarms")?.unwrap_or_default(),
        ..Annotations::default()
    };
    for (i, item) in p.array("horizontal")?.into_iter().flatten().enumerate() {
        let path = format!("properties.annotations.horizontal[{i}]");
        let (first, second) = edges(item, &path)?;
        let first_props = Props::new(first, &path);
        let value = require_number(&first_props, "value")?;
        let to = match second {
            Some(s) => Some(require_number(&Props::new(s, &path), "value")?),
            None => None,
        };
        out.horizontal.push(HorizontalAnnotation {
            value,
            to,
            y_axis: first_props
                .choice(
                    "yAxis",
                    &[("left", AxisSide::Left), ("right", AxisSide::Right)],
                )?
                .unwrap_or_default(),
            look: look(
                &first_props,
                &[("above", Fill::Above), ("below", Fill::Below)],
            )?,
        });
    }
    for (i, item) in p.array("vertical")?.into_iter().flatten().enumerate() {
        let path = format!("properties.annotations.vertical[{i}]");
        let (first, second) = edges(item, &path)?;
        let first_props = Props::new(first, &path);
        let at = require_time(&first_props)?;
        let to = match second {
            Some(s) => Some(require_time(&Props::new(s, &path))?),
            None => None,
        };
        out.vertical.push(VerticalAnnotation {
            at,
            to,
            look: look(
                &first_props,
                &[("before", Fill::Before), ("after", Fill::After)],
            )?,
        });
    }
    Ok(out)
}

/// A line is one object; a band is an array of two.
type Edges<'a> = (&'a Map<String, Value>, Option<&'a Map<String, Value>>);

fn edges<'a>(item: &'a Value, path: &str) -> Result<Edges<'a>, WidgetProblem> {
    match item {
        Value::Object(o) => Ok((o, None)),
        Value::Array(pair) => match pair.as_slice() {
            [Value::Object(a), Value::Object(b)] => Ok((a, Some(b))),
            _ => Err(WidgetProblem::BadValue {
                key: path.to_string(),
                value: format!("an array of {}", pair.len()),
                reason: "a band is an array of two objects".into(),
            }),
        },
        other => Err(WidgetProblem::WrongType {
            key: path.to_string(),
            expected: "an object (line) or an array of two (band)",
            found: json_type(other),
        }),
    }
}

fn require_number(p: &Props<'_>, key: &str) -> Result<f64, WidgetProblem> {
    p.number(key)?
        .ok_or_else(|| WidgetProblem::Missing { key: p.key(key) })
}

fn require_time(p: &Props<'_>) -> Result<Timestamp, WidgetProblem> {
    let text = p.string("value")?.ok_or_else(|| WidgetProblem::Missing {
        key: p.key("value"),
    })?;
    text.parse().map_err(|_| WidgetProblem::BadValue {
        key: p.key("value"),
        value: format!("\"{text}\""),
        reason: "expected an ISO 8601 time such as 2026-01-16T14:30:00Z".into(),
    })
}

fn look(p: &Props<'_>, fills: &[(&str, Fill)]) -> Result<AnnotationLook, WidgetProblem> {
    Ok(AnnotationLook {
        label: p.string("label")?,
        color: p.string("color")?,
        fill: p.choice("fill", fills)?,
        visible: p.bool("visible")?.unwrap_or(true),
    })
}
