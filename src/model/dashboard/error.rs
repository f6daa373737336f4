//! What can be wrong with a dashboard body: the whole body (not a
//! dashboard at all) or one widget (shown in its place; the others render).

use super::grid::GridRect;

/// The body is not a dashboard at all: nothing can be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BodyError {
    /// Not valid JSON.
    #[error("not valid JSON: {message}")]
    NotJson {
        /// The JSON parser's message, with the line and column.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Valid JSON, but not an object.
    #[error("the body is {found}, not a JSON object with a \"widgets\" array")]
    NotObject {
        /// What it is instead (`an array`, `a string`, ...).
        found: &'static str,
    },
    /// An object without `widgets`.
    #[error("the body has no \"widgets\" key (a dashboard body is {{\"widgets\": [...]}})")]
    NoWidgets,
    /// `widgets` is not an array.
    #[error("\"widgets\" is {found}, not an array")]
    WidgetsNotArray {
        /// What it is instead.
        found: &'static str,
    },
}

/// One widget's definition is unusable. Names the widget (its title, or its
/// type when it has none), where it sits and what was wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("widget {index} \"{name}\" at x={}, y={}: {problem}", .at.x, .at.y)]
pub struct WidgetError {
    /// Position of the widget in the body's `widgets` array (0-based).
    pub index: usize,
    /// Its title, or its type when it has no title.
    pub name: String,
    /// Where it sits on the grid.
    pub at: GridRect,
    /// What was wrong.
    pub problem: WidgetProblem,
}

/// What was wrong with one widget.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WidgetProblem {
    /// The array entry is not an object.
    #[error("the widget is {found}, not an object")]
    NotObject {
        /// What it is instead.
        found: &'static str,
    },
    /// No `type` key.
    #[error("no \"type\" key (metric, alarm, text, log, ...)")]
    NoType,
    /// A key the widget needs is absent.
    #[error("no \"{key}\" in properties")]
    Missing {
        /// The key, dotted from the widget (`properties.markdown`).
        key: String,
    },
    /// A key has a value of the wrong JSON type.
    #[error("\"{key}\" is {found}, expected {expected}")]
    WrongType {
        /// The key, dotted from the widget.
        key: String,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// A key has a value of the right type that is still unusable.
    #[error("\"{key}\" = {value}: {reason}")]
    BadValue {
        /// The key, dotted from the widget.
        key: String,
        /// The value as written.
        value: String,
        /// Why it is rejected and what would be accepted.
        reason: String,
    },
    /// One row of `properties.metrics` is unusable.
    #[error("metrics row {row}: {problem}")]
    Row {
        /// 1-based row number.
        row: usize,
        /// What was wrong with it.
        problem: RowProblem,
    },
}

/// What was wrong with one row of a metric widget's `metrics`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowProblem {
    /// The row is not an array.
    #[error("the row is {found}, not an array")]
    NotArray {
        /// What it is instead.
        found: &'static str,
    },
    /// An empty array, or only an options object without `expression`.
    #[error("the row has neither a metric nor an expression")]
    Empty,
    /// A value that is neither a string nor the trailing options object.
    #[error("value {position} is {found}; metric rows hold strings and one options object last")]
    NotString {
        /// 1-based position in the row.
        position: usize,
        /// What it is.
        found: &'static str,
    },
    /// `"."` or `"..."` on the first metric row.
    #[error("\"{shorthand}\" needs a previous metric row to copy from")]
    NothingToRepeat {
        /// The shorthand used.
        shorthand: &'static str,
    },
    /// `"..."` anywhere but first.
    #[error("\"...\" at position {position}; it may only come first")]
    EllipsisNotFirst {
        /// 1-based position.
        position: usize,
    },
    /// `"..."` followed by more values than the previous row has.
    #[error("\"...\" is followed by {given} values but the previous row has only {previous}")]
    EllipsisTooLong {
        /// Values after `"..."`.
        given: usize,
        /// Values in the previous row.
        previous: usize,
    },
    /// `"."` at a position the previous row does not have.
    #[error("\".\" at position {position} but the previous row has only {previous} values")]
    DotPastPrevious {
        /// 1-based position.
        position: usize,
        /// Values in the previous row.
        previous: usize,
    },
    /// Fewer than namespace and metric name.
    #[error("a metric needs a namespace and a metric name, found {found} value(s)")]
    TooShort {
        /// How many values the row had (after shorthand).
        found: usize,
    },
    /// A dimension name without a value.
    #[error("dimension \"{name}\" has no value")]
    DimensionWithoutValue {
        /// The dimension name.
        name: String,
    },
    /// Both metric values and an `expression`.
    #[error("the row has both metric values and an \"expression\"")]
    MetricAndExpression,
    /// An option of the wrong type or value.
    #[error("option {0}")]
    Option(Box<WidgetProblem>),
    /// An `id` that GetMetricData would refuse.
    #[error("id \"{id}\" must start with a lower-case letter and hold only letters, digits and _")]
    BadId {
        /// The id.
        id: String,
    },
    /// Two rows with the same `id`.
    #[error("id \"{id}\" is used by an earlier row too")]
    DuplicateId {
        /// The id.
        id: String,
    },
}

/// A top-level setting (`start`, `end`, `periodOverride`, `variables`) that
/// is unusable. The widgets still render; the setting is ignored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("top-level {0}")]
pub struct SettingError(pub WidgetProblem);

/// The JSON type of a value, for messages.
pub fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
