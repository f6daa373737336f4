//! A tab whose feature has not landed yet: it answers no keys of its own
//! and its drawing says plainly that it is not in this build.

use crate::app::action::Action;
use crate::app::component::{Component, Context, KeyHelp, Reply};
use crate::app::keys;
use crate::data::DataEvent;

static FOOTER: &[&KeyHelp] = &[&keys::TABS, &keys::COMMAND, &keys::HELP, &keys::QUIT];

/// The component of a tab that is not in this build yet.
#[derive(Debug, Default)]
pub struct PlaceholderTab;

impl Component for PlaceholderTab {
    fn keymap(&self) -> &'static [&'static KeyHelp] {
        &[]
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        FOOTER
    }

    fn update(&mut self, _action: &Action, _ctx: &Context<'_>) -> Reply {
        Reply::Ignored
    }

    fn apply(&mut self, _event: &DataEvent, _ctx: &Context<'_>) {}
}
