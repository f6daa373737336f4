//! The shift handoff view (`H`): what `monitui handoff` prints, drawn over
//! the tab and scrollable, gathered in the background over the last
//! [`SHIFT`]; `Esc` goes back.

use std::sync::Arc;

use jiff::SignedDuration;

use super::action::{Action, Effect};
use super::component::{Component, Context, KeyHelp, Reply, fixed_keys, movement, scrolled};
use super::keys;
use crate::data::handoff::Handoff;
use crate::data::{DataCommand, DataEvent};

/// How far back the view's shift goes.
pub const SHIFT: SignedDuration = SignedDuration::from_hours(12);

/// The handoff view's state.
#[derive(Debug, Default)]
pub struct HandoffView {
    /// The handoff, once gathered.
    pub handoff: Option<Arc<Handoff>>,
    /// Why it could not be gathered.
    pub error: Option<String>,
    /// Lines scrolled off the top.
    pub scroll: u16,
}

static KEYMAP: &[&KeyHelp] = &[&keys::BACK, &keys::MOVE, &keys::ENDS, &keys::PAGE];

static FOOTER: &[&KeyHelp] = &[&keys::BACK, &keys::MOVE, &keys::HELP];

impl HandoffView {
    /// The request that gathers the view's handoff.
    pub fn load_command() -> DataCommand {
        DataCommand::LoadHandoff { since: SHIFT }
    }
}

impl Component for HandoffView {
    fixed_keys!(KEYMAP, FOOTER);

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.scroll = scrolled(self.scroll, delta);
            return Reply::Done;
        }
        match action {
            Action::Back => Reply::Close,
            Action::Refresh => {
                self.error = None;
                Reply::Effect(Effect::Data(Self::load_command()))
            }
            _ => Reply::Ignored,
        }
    }

    fn apply(&mut self, event: &DataEvent, _ctx: &Context<'_>) {
        if let DataEvent::Handoff(result) = event {
            match result {
                Ok(handoff) => {
                    self.handoff = Some(Arc::clone(handoff));
                    self.error = None;
                }
                Err(e) => self.error = Some(e.clone()),
            }
        }
    }
}
