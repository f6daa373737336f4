//! The small forms that stand between a key and a mutation: the ack note
//! prompt, the silence dialog (duration and mandatory note) and the
//! confirmation that asks for the env name. Each validates its own input
//! and says what is wrong instead of sending a bad request.

use std::time::Duration;

use crate::data::Mutation;

/// `a`: an optional note, then Enter acks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckPrompt {
    /// Alarm to ack.
    pub alarm: String,
    /// Note typed so far (may stay empty).
    pub note: String,
}

/// Ready-made silence durations; the choice after them is "custom".
pub const SILENCE_PRESETS: [(&str, Duration); 3] = [
    ("15m", Duration::from_secs(15 * 60)),
    ("1h", Duration::from_secs(3600)),
    ("4h", Duration::from_secs(4 * 3600)),
];

/// Index of the "custom" choice in the silence dialog.
pub const CUSTOM_CHOICE: usize = SILENCE_PRESETS.len();

/// Which field of the silence dialog takes typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SilenceField {
    /// The duration choice (typing goes to the custom duration).
    Duration,
    /// The note.
    Note,
}

/// `s`: how long and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceForm {
    /// Alarm to silence.
    pub alarm: String,
    /// Selected duration: an index into [`SILENCE_PRESETS`] or [`CUSTOM_CHOICE`].
    pub choice: usize,
    /// Custom duration text (`90m`, `2h30m`).
    pub custom: String,
    /// Why (mandatory).
    pub note: String,
    /// Field that takes typed text.
    pub focus: SilenceField,
    /// What was wrong with the last Enter.
    pub error: Option<String>,
}

impl SilenceForm {
    /// A fresh dialog for an alarm: 1h selected, the duration field focused.
    pub fn new(alarm: String) -> Self {
        Self {
            alarm,
            choice: 1,
            custom: String::new(),
            note: String::new(),
            focus: SilenceField::Duration,
            error: None,
        }
    }

    /// Moves the duration choice by `delta`, wrapping.
    pub fn choose(&mut self, delta: isize) {
        let n = (CUSTOM_CHOICE + 1) as isize;
        self.choice = (self.choice as isize + delta).rem_euclid(n) as usize;
    }

    /// Types a character into the focused field; on the duration field a
    /// character starts (or extends) a custom duration.
    pub fn input(&mut self, c: char) {
        match self.focus {
            SilenceField::Duration => {
                self.choice = CUSTOM_CHOICE;
                self.custom.push(c);
            }
            SilenceField::Note => self.note.push(c),
        }
    }

    /// Deletes the last character of the focused field.
    pub fn backspace(&mut self) {
        match self.focus {
            SilenceField::Duration => {
                self.custom.pop();
            }
            SilenceField::Note => {
                self.note.pop();
            }
        }
    }

    /// Switches between the duration and the note.
    pub fn next_field(&mut self) {
        self.focus = match self.focus {
            SilenceField::Duration => SilenceField::Note,
            SilenceField::Note => SilenceField::Duration,
        };
    }

    /// The chosen duration, or why it is not one.
    pub fn duration(&self) -> Result<Duration, String> {
        if let Some((_, d)) = SILENCE_PRESETS.get(self.choice) {
            return Ok(*d);
        }
        let text = self.custom.trim();
        if text.is_empty() {
            return Err("type a duration, e.g. 90m or 2h30m".into());
        }
        match humantime::parse_duration(text) {
            Ok(d) if d.is_zero() => Err("a silence must last longer than zero".into()),
            Ok(d) => Ok(d),
            Err(e) => Err(format!(
                "'{text}' is not a duration ({e}); e.g. 90m or 2h30m"
            )),
        }
    }

    /// The silence to send, or why not (the message is kept in the form).
    pub fn submit(&mut self) -> Option<Mutation> {
        let checked = self.duration().and_then(|duration| {
            let note = self.note.trim();
            if note.is_empty() {
                Err("a note is required: say why the alarm is silenced".to_string())
            } else {
                Ok(Mutation::Silence {
                    alarm: self.alarm.clone(),
                    duration,
                    note: note.to_string(),
                })
            }
        });
        match checked {
            Ok(mutation) => Some(mutation),
            Err(message) => {
                if message.starts_with("a note") {
                    self.focus = SilenceField::Note;
                }
                self.error = Some(message);
                None
            }
        }
    }
}

/// A mutation waiting for the user to say yes (Enter, or typing the env
/// name in envs with `confirm_mutations`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmForm {
    /// What will be sent.
    pub mutation: Mutation,
    /// The env name the user must type; `None` means Enter is enough.
    pub require: Option<String>,
    /// Text typed so far.
    pub typed: String,
    /// What was wrong with the last Enter.
    pub error: Option<String>,
}

impl ConfirmForm {
    /// A confirmation for `mutation`; `require` is the env name to type.
    pub fn new(mutation: Mutation, require: Option<String>) -> Self {
        Self {
            mutation,
            require,
            typed: String::new(),
            error: None,
        }
    }

    /// The mutation if confirmed; otherwise the reason is kept in the form.
    pub fn submit(&mut self) -> Option<Mutation> {
        match &self.require {
            Some(name) if self.typed.trim() != name => {
                self.error = Some(format!(
                    "type the environment name '{name}' exactly to confirm"
                ));
                None
            }
            _ => Some(self.mutation.clone()),
        }
    }
}

/// One line saying what a mutation will do, for dialogs and messages.
pub fn describe(mutation: &Mutation) -> String {
    match mutation {
        Mutation::Ack { alarm, .. } => format!("ack {alarm}"),
        Mutation::Unack { alarm, any: false } => format!("remove your ack of {alarm}"),
        Mutation::Unack { alarm, any: true } => {
            format!("remove someone else's ack of {alarm}")
        }
        Mutation::Silence {
            alarm, duration, ..
        } => format!(
            "silence {alarm} for {}",
            humantime::format_duration(*duration)
        ),
        Mutation::Unsilence { alarm } => format!("end the silence of {alarm}"),
        Mutation::Test { alarm } => {
            format!("set {alarm} to ALARM (its notifications will fire)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(form: &mut SilenceForm, text: &str) {
        text.chars().for_each(|c| form.input(c));
    }

    #[test]
    fn custom_durations_parse_and_bad_ones_are_refused() {
        let mut form = SilenceForm::new("a".into());
        typed(&mut form, "2h30m");
        assert_eq!(form.choice, CUSTOM_CHOICE);
        assert_eq!(form.duration(), Ok(Duration::from_secs(9000)));
        form.custom = "0s".into();
        assert!(form.duration().unwrap_err().contains("longer than zero"));
        form.custom = "soon".into();
        assert!(form.duration().unwrap_err().contains("not a duration"));
        form.custom.clear();
        assert!(form.duration().is_err());
    }

    #[test]
    fn presets_and_wrapping_choice() {
        let mut form = SilenceForm::new("a".into());
        assert_eq!(form.duration(), Ok(Duration::from_secs(3600)));
        form.choose(-2);
        assert_eq!(form.choice, CUSTOM_CHOICE);
        form.choose(1);
        assert_eq!(form.duration(), Ok(Duration::from_secs(900)));
    }

    #[test]
    fn empty_note_is_refused_and_focuses_the_note() {
        let mut form = SilenceForm::new("a".into());
        assert_eq!(form.submit(), None);
        assert!(form.error.as_deref().unwrap().contains("note is required"));
        assert_eq!(form.focus, SilenceField::Note);
        typed(&mut form, " deploy ");
        assert_eq!(
            form.submit(),
            Some(Mutation::Silence {
                alarm: "a".into(),
                duration: Duration::from_secs(3600),
                note: "deploy".into()
            })
        );
    }

    #[test]
    fn confirm_needs_the_exact_env_name() {
        let test = Mutation::Test { alarm: "a".into() };
        let mut form = ConfirmForm::new(test.clone(), Some("prod".into()));
        form.typed = "pro".into();
        assert_eq!(form.submit(), None);
        assert!(form.error.as_deref().unwrap().contains("'prod'"));
        form.typed = "prod".into();
        assert_eq!(form.submit(), Some(test.clone()));
        assert_eq!(ConfirmForm::new(test.clone(), None).submit(), Some(test));
    }
}
