//! The small forms that stand between a key and a mutation: the ack note
//! prompt, the silence dialog (duration and mandatory note) and the
//! confirmation that asks for the env name; and the MFA code dialog that
//! stands between a sign-in and the credentials. Each validates its own
//! input and says what is wrong instead of sending a bad request.

use std::time::Duration;

use crate::data::mfa::MfaAsk;
use crate::data::{DataCommand, Mutation};

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

/// Digits in an MFA device's code.
pub const MFA_CODE_DIGITS: usize = 6;

/// The MFA code a sign-in waits for (see `data::mfa`): digits only, Enter
/// sends them, Esc cancels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaForm {
    /// What the data layer asked.
    pub ask: MfaAsk,
    /// Digits typed so far.
    pub code: String,
    /// What was wrong with the last key or Enter.
    pub error: Option<String>,
}

impl MfaForm {
    /// An empty dialog for `ask`.
    pub fn new(ask: MfaAsk) -> Self {
        Self {
            ask,
            code: String::new(),
            error: None,
        }
    }

    /// Types a character: a digit while the code is short, anything else
    /// is refused with a word.
    pub fn input(&mut self, c: char) {
        self.error = if !c.is_ascii_digit() {
            Some(format!("the code is {MFA_CODE_DIGITS} digits"))
        } else if self.code.len() >= MFA_CODE_DIGITS {
            Some(format!(
                "the code has {MFA_CODE_DIGITS} digits: Enter sends it"
            ))
        } else {
            self.code.push(c);
            None
        };
    }

    /// Deletes the last digit.
    pub fn backspace(&mut self) {
        self.code.pop();
        self.error = None;
    }

    /// The answer carrying the code, or `None` (with the reason kept) while
    /// it is not [`MFA_CODE_DIGITS`] digits long.
    pub fn submit(&mut self) -> Option<DataCommand> {
        if self.code.len() != MFA_CODE_DIGITS {
            self.error = Some(format!(
                "type all {MFA_CODE_DIGITS} digits of the code ({} so far)",
                self.code.len()
            ));
            return None;
        }
        Some(DataCommand::MfaAnswer {
            id: self.ask.id,
            code: Some(self.code.clone()),
        })
    }

    /// The answer that cancels the sign-in.
    pub fn cancel(&self) -> DataCommand {
        DataCommand::MfaAnswer {
            id: self.ask.id,
            code: None,
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
    fn the_mfa_code_takes_six_digits_only() {
        let ask = MfaAsk {
            id: 7,
            request: crate::data::mfa::MfaRequest {
                profile: "ops".into(),
                role_arn: "r".into(),
                serial: "s".into(),
            },
        };
        let mut form = MfaForm::new(ask);
        "12a".chars().for_each(|c| form.input(c));
        assert_eq!(form.code, "12");
        assert!(form.error.as_deref().unwrap().contains("6 digits"));
        assert_eq!(form.submit(), None);
        assert!(form.error.as_deref().unwrap().contains("(2 so far)"));
        "34567".chars().for_each(|c| form.input(c));
        assert_eq!(form.code, "123456", "a seventh digit is refused");
        assert_eq!(
            form.submit(),
            Some(DataCommand::MfaAnswer {
                id: 7,
                code: Some("123456".into())
            })
        );
        assert_eq!(form.cancel(), DataCommand::MfaAnswer { id: 7, code: None });
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
