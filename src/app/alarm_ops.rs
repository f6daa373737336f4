//! What the alarm keys (`a` ack, `s` silence, `u` undo, `t` test) do to the
//! app: pick the alarm, check the env allows it, open the right dialog, and
//! finally hand a [`Mutation`] to the data layer. Acks show at once: a local
//! ack is put in the annotations until the next read of the tags replaces
//! it.

use std::sync::Arc;

use super::action::Effect;
use super::dialog::{AckPrompt, ConfirmForm, SilenceForm, describe};
use super::overlay::Overlay;
use super::state::App;
use crate::data::{DataCommand, Mutation};
use crate::model::ack::{Ack, tag_value};
use crate::model::{Alarm, AlarmState};

impl App {
    /// The target alarm if this env may be changed; otherwise says why not.
    fn mutable_target(&mut self, what: &str) -> Option<Alarm> {
        if self.env.read_only {
            let env = self.env.name.clone();
            self.flash(
                format!("environment '{env}' is read-only: {what} refused"),
                true,
            );
            return None;
        }
        let alarm = self.target_alarm().cloned();
        if alarm.is_none() {
            self.flash(format!("no alarm selected to {what}"), true);
        }
        alarm
    }

    /// `a`: opens the ack prompt for an alarm in ALARM.
    pub(super) fn start_ack(&mut self) {
        let Some(alarm) = self.mutable_target("ack") else {
            return;
        };
        if alarm.state != AlarmState::Alarm {
            self.flash(
                format!(
                    "{} is {}, not ALARM: nothing to ack",
                    alarm.name, alarm.state
                ),
                true,
            );
            return;
        }
        self.overlays.push(Overlay::Ack(AckPrompt {
            alarm: alarm.name,
            note: String::new(),
        }));
    }

    /// Enter in the ack prompt: shows the ack at once and sends it.
    pub(super) fn submit_ack(&mut self, prompt: AckPrompt) -> Option<Effect> {
        let episode = self.alarms.find(&prompt.alarm)?.transitioned_at;
        let ack = Ack {
            by: self
                .identity
                .as_ref()
                .map_or("you".to_string(), |id| id.short_name().to_string()),
            at: self.now(),
            episode,
            note: prompt.note.trim().to_string(),
        };
        Arc::make_mut(&mut self.annotations)
            .entry(prompt.alarm.clone())
            .or_default()
            .ack = Some(ack);
        self.send(Mutation::Ack {
            alarm: prompt.alarm,
            note: prompt.note.trim().to_string(),
        })
    }

    /// `s`: opens the silence dialog.
    pub(super) fn start_silence(&mut self) {
        if let Some(alarm) = self.mutable_target("silence") {
            self.overlays
                .push(Overlay::Silence(SilenceForm::new(alarm.name)));
        }
    }

    /// `u`: removes a live ack (someone else's only after a confirmation),
    /// else ends a silence.
    pub(super) fn undo(&mut self) -> Option<Effect> {
        let alarm = self.mutable_target("undo")?;
        let ack_by = self
            .annotations
            .get(&alarm.name)
            .and_then(|n| n.live_ack(&alarm))
            .map(|ack| ack.by.clone());
        if let Some(by) = ack_by {
            let me = self.identity.as_ref().map(|id| tag_value(id.short_name()));
            if me.as_deref() == Some(by.as_str()) {
                return self.send(Mutation::Unack {
                    alarm: alarm.name,
                    any: false,
                });
            }
            let require = self.env.confirm_mutations.then(|| self.env.name.clone());
            self.overlays.push(Overlay::Confirm(ConfirmForm::new(
                Mutation::Unack {
                    alarm: alarm.name,
                    any: true,
                },
                require,
            )));
            return None;
        }
        let silenced = self
            .annotations
            .get(&alarm.name)
            .is_some_and(|n| n.silence.is_some());
        if silenced {
            return self.guarded(Mutation::Unsilence { alarm: alarm.name });
        }
        self.flash(
            format!("{} has no ack or silence to undo", alarm.name),
            true,
        );
        None
    }

    /// `t`: asks before setting the alarm to ALARM (Enter, or the env name
    /// where mutations need confirming).
    pub(super) fn test(&mut self) -> Option<Effect> {
        let alarm = self.mutable_target("test")?;
        let require = self.env.confirm_mutations.then(|| self.env.name.clone());
        self.overlays.push(Overlay::Confirm(ConfirmForm::new(
            Mutation::Test { alarm: alarm.name },
            require,
        )));
        None
    }

    /// Sends a mutation, or first asks for the env name where the env
    /// wants mutations confirmed.
    pub(super) fn guarded(&mut self, mutation: Mutation) -> Option<Effect> {
        if self.env.confirm_mutations {
            let name = self.env.name.clone();
            self.overlays
                .push(Overlay::Confirm(ConfirmForm::new(mutation, Some(name))));
            return None;
        }
        self.send(mutation)
    }

    /// Hands a mutation to the data layer and says so.
    pub(super) fn send(&mut self, mutation: Mutation) -> Option<Effect> {
        self.flash(format!("sent: {}…", describe(&mutation)), false);
        self.changes_running += 1;
        Some(Effect::Data(DataCommand::Mutate(mutation)))
    }

    /// Drops the local ack of a failed ack (the tags never changed).
    pub(super) fn mutation_failed(&mut self, mutation: &Mutation) {
        if let Mutation::Ack { alarm, .. } = mutation
            && let Some(annotation) = Arc::make_mut(&mut self.annotations).get_mut(alarm)
        {
            annotation.ack = None;
        }
    }
}
