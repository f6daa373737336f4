//! Dashboard variables (`variables`): a property variable sets one
//! dimension's value in every metric row of the body, a pattern variable
//! replaces a pattern (a regular expression, or its text when it is not
//! one) in every string of the widgets. Each has a default value and may
//! list the values to pick from. Choosing a value rewrites the body's
//! JSON before it is parsed, as the console does, so every widget that
//! uses it asks for other metrics.

use std::collections::BTreeMap;

use regex::{NoExpand, Regex};
use serde_json::Value;

use super::error::{WidgetProblem, json_type};
use super::props::Props;

/// What a variable replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableKind {
    /// The value of the dimension with this name, in every metric row.
    Property(String),
    /// Every match of this pattern, in every string of the widgets.
    Pattern(String),
}

/// One of the values a variable lists (`values`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableValue {
    /// The value put in the body.
    pub value: String,
    /// What the picker shows, when it differs.
    pub label: Option<String>,
}

/// Values chosen for a dashboard's variables, by [`Variable::key`].
pub type Chosen = BTreeMap<String, String>;

/// A dashboard variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// `id`.
    pub id: Option<String>,
    /// `label`.
    pub label: Option<String>,
    /// What it replaces.
    pub kind: VariableKind,
    /// `defaultValue`, as text.
    pub default_value: Option<String>,
    /// `values` to pick from (in the body's order).
    pub values: Vec<VariableValue>,
}

impl Variable {
    /// Its key among the dashboard's variables: `id`, else what it replaces.
    pub fn key(&self) -> &str {
        self.id.as_deref().unwrap_or(match &self.kind {
            VariableKind::Property(p) | VariableKind::Pattern(p) => p,
        })
    }

    /// What the title bar calls it: `label`, else its key.
    pub fn name(&self) -> &str {
        self.label.as_deref().unwrap_or_else(|| self.key())
    }

    /// Its value under `chosen` (the default when none was chosen).
    pub fn current<'a>(&'a self, chosen: &'a Chosen) -> Option<&'a str> {
        chosen
            .get(self.key())
            .or(self.default_value.as_ref())
            .map(String::as_str)
    }

    /// The value after `current` in its list (the default first when it
    /// is not listed), wrapping around; `None` when there is nothing else.
    pub fn next_value(&self, current: Option<&str>) -> Option<String> {
        let mut choices: Vec<&str> = self.values.iter().map(|v| v.value.as_str()).collect();
        if let Some(d) = self.default_value.as_deref()
            && !choices.contains(&d)
        {
            choices.insert(0, d);
        }
        let at = choices.iter().position(|c| Some(*c) == current);
        let next = match at {
            Some(i) => choices[(i + 1) % choices.len()],
            None => *choices.first()?,
        };
        (Some(next) != current).then(|| next.to_string())
    }
}

impl Variable {
    /// Reads `variables[index]`.
    pub(super) fn parse(item: &Value, index: usize) -> Result<Self, WidgetProblem> {
        let path = format!("variables[{index}]");
        let Value::Object(o) = item else {
            return Err(WidgetProblem::WrongType {
                key: path,
                expected: "an object",
                found: json_type(item),
            });
        };
        let p = Props::new(o, &path);
        let needed = |key: &str| {
            p.string(key)?.ok_or_else(|| WidgetProblem::Missing {
                key: format!("{path}.{key}"),
            })
        };
        let kind = match p.string("type")?.as_deref() {
            Some("property") => VariableKind::Property(needed("property")?),
            Some("pattern") => VariableKind::Pattern(needed("pattern")?),
            Some(other) => {
                return Err(WidgetProblem::BadValue {
                    key: format!("{path}.type"),
                    value: format!("\"{other}\""),
                    reason: "expected property or pattern".into(),
                });
            }
            None => {
                return Err(WidgetProblem::Missing {
                    key: format!("{path}.type"),
                });
            }
        };
        let values = p
            .array("values")?
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Value::String(s) => Some(VariableValue {
                    value: s.clone(),
                    label: None,
                }),
                Value::Object(o) => Some(VariableValue {
                    value: text(o.get("value")?),
                    label: o.get("label").map(text),
                }),
                _ => None,
            })
            .collect();
        Ok(Variable {
            id: p.string("id")?,
            label: p.string("label")?,
            kind,
            default_value: p.raw("defaultValue").map(text),
            values,
        })
    }
}

/// A JSON value as text: a string as it is, anything else as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Rewrites `body` (a dashboard body's top-level JSON) with the values
/// `chosen` for `variables`; variables with no chosen value are left as
/// the body has them (their default).
pub fn apply(body: &mut Value, variables: &[Variable], chosen: &Chosen) {
    let Some(widgets) = body.get_mut("widgets") else {
        return;
    };
    for variable in variables {
        let Some(value) = chosen.get(variable.key()) else {
            continue;
        };
        match &variable.kind {
            VariableKind::Property(dimension) => set_dimension(widgets, dimension, value),
            VariableKind::Pattern(pattern) => {
                let regex = Regex::new(pattern)
                    .or_else(|_| Regex::new(&regex::escape(pattern)))
                    .ok();
                if let Some(regex) = regex.filter(|r| !r.as_str().is_empty()) {
                    replace_strings(widgets, &regex, value);
                }
            }
        }
    }
}

/// Sets `dimension`'s value in every metric row of every widget (rows
/// starting with `"..."` name no dimension of their own and are left).
fn set_dimension(widgets: &mut Value, dimension: &str, value: &str) {
    let Some(widgets) = widgets.as_array_mut() else {
        return;
    };
    for widget in widgets {
        let rows = widget
            .get_mut("properties")
            .and_then(|p| p.get_mut("metrics"))
            .and_then(Value::as_array_mut);
        for row in rows.into_iter().flatten() {
            let Some(cells) = row.as_array_mut() else {
                continue;
            };
            if cells.first().and_then(Value::as_str) == Some("...") {
                continue;
            }
            let mut i = 2;
            while i + 1 < cells.len() {
                if cells[i].as_str() == Some(dimension) && cells[i + 1].is_string() {
                    cells[i + 1] = Value::String(value.to_string());
                }
                i += 2;
            }
        }
    }
}

/// Replaces every match of `regex` with `value` in every string under `v`.
fn replace_strings(v: &mut Value, regex: &Regex, value: &str) {
    match v {
        Value::String(s) if regex.is_match(s) => {
            *s = regex.replace_all(s, NoExpand(value)).into_owned();
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| replace_strings(i, regex, value)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|i| replace_strings(i, regex, value)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::dashboard::{Dashboard, MetricRow, WidgetContent};

    /// A body with a property variable (FunctionName, three values) and a
    /// pattern variable (the region), and widgets using both.
    fn body() -> String {
        json!({
            "variables": [
                {"type": "property", "property": "FunctionName", "inputType": "select",
                 "id": "fn", "label": "Function", "defaultValue": "auth",
                 "values": [{"value": "auth"}, {"value": "cart", "label": "Cart"}, "checkout"]},
                {"type": "pattern", "pattern": "us-east-1", "inputType": "input",
                 "id": "region", "defaultValue": "us-east-1"}
            ],
            "widgets": [
                {"type": "metric", "properties": {"region": "us-east-1", "title": "Errors in us-east-1",
                 "metrics": [["AWS/Lambda", "Errors", "FunctionName", "auth"],
                             [".", "Invocations", ".", "."],
                             ["AWS/Lambda", "Duration", "Resource", "auth", "FunctionName", "auth"]]}},
                {"type": "metric", "properties": {"metrics": [["AWS/DMS", "CDCLatencySource", "Task", "t"]]}}
            ]
        })
        .to_string()
    }

    fn dimension_values(d: &Dashboard, widget: usize, name: &str) -> Vec<String> {
        let Ok(WidgetContent::Metric(m)) = &d.widgets[widget].content else {
            panic!("{:?}", d.widgets[widget].content)
        };
        m.rows
            .iter()
            .filter_map(|r| match r {
                MetricRow::Metric { metric, .. } => Some(metric),
                MetricRow::Expression { .. } => None,
            })
            .flat_map(|m| m.dimensions.iter())
            .filter(|d| d.name == name)
            .map(|d| d.value.clone())
            .collect()
    }

    #[test]
    fn variables_are_read_with_their_values() {
        let d = Dashboard::parse(&body()).unwrap();
        let v = &d.settings.variables;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].kind, VariableKind::Property("FunctionName".into()));
        assert_eq!((v[0].key(), v[0].name()), ("fn", "Function"));
        assert_eq!(
            v[0].values
                .iter()
                .map(|x| x.value.as_str())
                .collect::<Vec<_>>(),
            ["auth", "cart", "checkout"]
        );
        assert_eq!(v[0].values[1].label.as_deref(), Some("Cart"));
        assert_eq!(v[1].kind, VariableKind::Pattern("us-east-1".into()));
        assert_eq!(v[1].name(), "region");
        let bad = Dashboard::parse(
            &json!({"widgets": [], "variables": [{"type": "magic"}, {"type": "pattern"}]})
                .to_string(),
        )
        .unwrap();
        let errors: Vec<String> = bad.settings.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("expected property or pattern"),
            "{errors:?}"
        );
        assert!(errors[1].contains("variables[1].pattern"), "{errors:?}");
    }

    #[test]
    fn a_chosen_value_is_put_in_every_row_and_string_that_uses_it() {
        let chosen = Chosen::from([
            ("fn".to_string(), "cart".to_string()),
            ("region".to_string(), "eu-west-1".to_string()),
        ]);
        let d = Dashboard::parse_with(&body(), &chosen).unwrap();
        assert_eq!(
            dimension_values(&d, 0, "FunctionName"),
            ["cart", "cart", "cart"]
        );
        assert_eq!(
            dimension_values(&d, 0, "Resource"),
            ["auth"],
            "other dimensions stay"
        );
        assert_eq!(dimension_values(&d, 1, "Task"), ["t"]);
        assert_eq!(d.widgets[0].title.as_deref(), Some("Errors in eu-west-1"));
        let Ok(WidgetContent::Metric(m)) = &d.widgets[0].content else {
            panic!()
        };
        assert_eq!(m.region.as_deref(), Some("eu-west-1"));
        let untouched = Dashboard::parse(&body()).unwrap();
        assert_eq!(
            dimension_values(&untouched, 0, "FunctionName"),
            ["auth", "auth", "auth"]
        );
        assert_eq!(
            untouched.settings.variables, d.settings.variables,
            "the variables themselves are not rewritten"
        );
    }

    #[test]
    fn next_value_walks_the_list_and_wraps() {
        let d = Dashboard::parse(&body()).unwrap();
        let (function, region) = (&d.settings.variables[0], &d.settings.variables[1]);
        let mut chosen = Chosen::new();
        let mut seen = Vec::new();
        for _ in 0..4 {
            let next = function.next_value(function.current(&chosen)).unwrap();
            seen.push(next.clone());
            chosen.insert("fn".into(), next);
        }
        assert_eq!(seen, ["cart", "checkout", "auth", "cart"]);
        assert_eq!(
            region.next_value(region.current(&chosen)),
            None,
            "nothing listed"
        );
    }
}
