//! The CloudTrail tab's search form: one field per criterion (the lookup
//! attributes, the read-only flag, a preset, the time window), edited in
//! place, and the request it makes.

use crate::data::TrailRequest;
use crate::model::time_bound::TimeBound;
use crate::model::trail::{Preset, TrailCriteria};

/// A field of the form, in the order Tab moves through them (down the
/// left column, then down the right one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// API name.
    EventName,
    /// User name, role session name or `root`.
    User,
    /// Resource name or ARN.
    ResourceName,
    /// Resource type, e.g. `AWS::IAM::Role`.
    ResourceType,
    /// Service, e.g. `iam.amazonaws.com`.
    EventSource,
    /// Access key id.
    AccessKey,
    /// Any call, reads only, or writes only (a choice).
    ReadOnly,
    /// A quick filter (a choice).
    Preset,
    /// Start of the window.
    Since,
    /// End of the window.
    Until,
}

impl Field {
    /// Every field, in Tab order.
    pub const ALL: [Field; 10] = [
        Field::EventName,
        Field::User,
        Field::ResourceName,
        Field::ResourceType,
        Field::EventSource,
        Field::AccessKey,
        Field::ReadOnly,
        Field::Preset,
        Field::Since,
        Field::Until,
    ];

    /// The label drawn before the value.
    pub fn label(self) -> &'static str {
        match self {
            Field::EventName => "Event name",
            Field::User => "User",
            Field::ResourceName => "Resource",
            Field::ResourceType => "Res. type",
            Field::EventSource => "Source",
            Field::AccessKey => "Access key",
            Field::ReadOnly => "Read-only",
            Field::Preset => "Preset",
            Field::Since => "Since",
            Field::Until => "Until",
        }
    }

    /// Whether Space cycles its value instead of typing.
    pub fn is_choice(self) -> bool {
        matches!(self, Field::ReadOnly | Field::Preset)
    }

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// Window a fresh form searches: the last day.
const DEFAULT_SINCE: &str = "24h";

/// The form's values and which field has the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailForm {
    /// Text of each text field, by [`Field::index`] (choices stay empty).
    text: [String; 10],
    read_only: Option<bool>,
    preset: Option<Preset>,
    focus: Field,
}

impl Default for TrailForm {
    fn default() -> Self {
        let mut text: [String; 10] = Default::default();
        text[Field::Since.index()] = DEFAULT_SINCE.to_string();
        Self {
            text,
            read_only: None,
            preset: None,
            focus: Field::EventName,
        }
    }
}

impl TrailForm {
    /// A fresh form searching the events about the resource `name`.
    pub fn about(name: &str) -> Self {
        let mut form = Self::default();
        form.text[Field::ResourceName.index()] = name.to_string();
        form
    }

    /// The field with the cursor.
    pub fn focus(&self) -> Field {
        self.focus
    }

    /// A field's value as the form shows it (not sanitised).
    pub fn value(&self, field: Field) -> String {
        match field {
            Field::ReadOnly => match self.read_only {
                None => "any",
                Some(true) => "reads only",
                Some(false) => "writes only",
            }
            .to_string(),
            Field::Preset => self.preset.map_or("none", Preset::name).to_string(),
            Field::Until if self.text(field).is_empty() => "now".to_string(),
            _ => self.text(field).to_string(),
        }
    }

    fn text(&self, field: Field) -> &str {
        &self.text[field.index()]
    }

    /// The preset chosen, if any.
    pub fn preset(&self) -> Option<Preset> {
        self.preset
    }

    /// Chooses a preset (the preset keys).
    pub fn set_preset(&mut self, preset: Option<Preset>) {
        self.preset = preset;
    }

    /// Moves the cursor `delta` fields on, wrapping around.
    pub fn move_focus(&mut self, delta: isize) {
        let n = Field::ALL.len() as isize;
        self.focus = Field::ALL[(self.focus.index() as isize + delta).rem_euclid(n) as usize];
    }

    /// Types `c` into the field with the cursor; on a choice, any key
    /// steps to the next choice.
    pub fn input(&mut self, c: char) {
        match self.focus {
            Field::ReadOnly => {
                self.read_only = match self.read_only {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                }
            }
            Field::Preset => {
                let next = self
                    .preset
                    .and_then(|p| Preset::ALL.iter().position(|q| *q == p))
                    .map_or(0, |i| i + 1);
                self.preset = Preset::ALL.get(next).copied();
            }
            field if !c.is_control() => self.text[field.index()].push(c),
            _ => {}
        }
    }

    /// Deletes the last character of the field with the cursor; on a
    /// choice, goes back to "any" / "none".
    pub fn backspace(&mut self) {
        match self.focus {
            Field::ReadOnly => self.read_only = None,
            Field::Preset => self.preset = None,
            field => {
                self.text[field.index()].pop();
            }
        }
    }

    /// The request for search `id`, or what is wrong with a time field.
    pub fn request(&self, id: u64) -> Result<TrailRequest, String> {
        let text = |field: Field| {
            Some(self.text(field).trim().to_string()).filter(|s: &String| !s.is_empty())
        };
        let bound = |field: Field| {
            text(field)
                .map(|s| TimeBound::parse(&s))
                .transpose()
                .map_err(|e| format!("{}: {e}", field.label()))
        };
        Ok(TrailRequest {
            id,
            criteria: TrailCriteria {
                event_name: text(Field::EventName),
                user_name: text(Field::User),
                resource_name: text(Field::ResourceName),
                resource_type: text(Field::ResourceType),
                event_source: text(Field::EventSource),
                access_key_id: text(Field::AccessKey),
                read_only: self.read_only,
                preset: self.preset,
                ..TrailCriteria::default()
            },
            since: bound(Field::Since)?,
            until: bound(Field::Until)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn typed(form: &mut TrailForm, text: &str) {
        text.chars().for_each(|c| form.input(c));
    }

    #[test]
    fn a_fresh_form_searches_the_last_day() {
        let request = TrailForm::default().request(3).unwrap();
        assert_eq!(request.id, 3);
        assert_eq!(request.criteria, TrailCriteria::default());
        assert_eq!(
            request.since,
            Some(TimeBound::Ago(Duration::from_secs(86_400)))
        );
        assert_eq!(request.until, None);
        assert_eq!(TrailForm::default().value(Field::Until), "now");
    }

    #[test]
    fn fields_are_typed_in_place_and_choices_cycle() {
        let mut form = TrailForm::default();
        typed(&mut form, "ConsoleLoginx");
        form.backspace();
        form.move_focus(1);
        typed(&mut form, " alice ");
        form.move_focus(5);
        assert_eq!(form.focus(), Field::ReadOnly);
        typed(&mut form, "  ");
        form.move_focus(1);
        typed(&mut form, "  ");
        form.move_focus(2);
        assert_eq!(form.focus(), Field::Until);
        typed(&mut form, "2026-01-16");
        let request = form.request(1).unwrap();
        assert_eq!(request.criteria.event_name.as_deref(), Some("ConsoleLogin"));
        assert_eq!(request.criteria.user_name.as_deref(), Some("alice"));
        assert_eq!(request.criteria.read_only, Some(false));
        assert_eq!(request.criteria.preset, Some(Preset::ConsoleLogins));
        assert!(matches!(request.until, Some(TimeBound::At(_))));
        form.move_focus(-2);
        assert_eq!(form.value(Field::Preset), "console-logins");
        form.backspace();
        assert_eq!(form.value(Field::Preset), "none");
        form.move_focus(3);
        assert_eq!(form.focus(), Field::EventName, "wraps around");
    }

    #[test]
    fn a_bad_time_names_its_field() {
        let mut form = TrailForm::default();
        form.move_focus(-2);
        typed(&mut form, "x");
        let err = form.request(1).unwrap_err();
        assert!(err.starts_with("Since: '24hx' is not a time"), "{err}");
    }
}
