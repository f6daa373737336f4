//! What is open over the tab, as one stack: the views that take the body
//! (an alarm's detail, the incident timeline, the shift handoff) and the
//! popups drawn over them (the `?` help, the ack, silence and confirmation
//! dialogs, the MFA code dialog). The top has the keys (a dialog), or the
//! topmost view has the focus; Esc closes the top one and only it; every
//! open view takes note of every data event; the UI draws the tab, then
//! each overlay bottom to top. A tab's own sub-screens (an open dashboard,
//! a CloudTrail event's detail, the Insights picker) are not here: they
//! belong to their tab and stay with it when another tab is shown, where
//! everything on this stack closes.

use std::mem::discriminant;

use super::component::{Component, KeyHelp};
use super::detail::DetailView;
use super::dialog::{AckPrompt, ConfirmForm, MfaForm, SilenceForm};
use super::handoff::HandoffView;
use super::incident::IncidentView;
use super::keys;

/// One thing open over the tab.
#[derive(Debug)]
pub enum Overlay {
    /// An alarm's detail.
    Detail(DetailView),
    /// An alarm's incident timeline.
    Incident(IncidentView),
    /// The shift handoff.
    Handoff(HandoffView),
    /// The `?` help, scrolled down this many lines.
    Help {
        /// Lines scrolled off the top.
        scroll: u16,
    },
    /// Typing the optional note of an ack.
    Ack(AckPrompt),
    /// Filling in the silence dialog.
    Silence(SilenceForm),
    /// Confirming a mutation.
    Confirm(ConfirmForm),
    /// The MFA code a sign-in waits for (over everything, every key).
    Mfa(MfaForm),
}

impl Overlay {
    /// The view as the component the keys are routed to, if this is a
    /// view (a dialog is not a component: the app answers its keys).
    pub fn view(&self) -> Option<&dyn Component> {
        match self {
            Overlay::Detail(view) => Some(view),
            Overlay::Incident(view) => Some(view),
            Overlay::Handoff(view) => Some(view),
            _ => None,
        }
    }

    /// [`Overlay::view`], to change.
    pub fn view_mut(&mut self) -> Option<&mut dyn Component> {
        match self {
            Overlay::Detail(view) => Some(view),
            Overlay::Incident(view) => Some(view),
            Overlay::Handoff(view) => Some(view),
            _ => None,
        }
    }

    /// Whether it takes the whole body (the tab, and whatever is under it
    /// on the stack, is hidden).
    pub fn is_view(&self) -> bool {
        self.view().is_some()
    }

    /// A dialog's own keys (the footer shows them instead of the screen's;
    /// every other printable key types); `None` for a view and for the
    /// help, which closes on any key but its scrolling ones.
    pub fn dialog_keys(&self) -> Option<&'static [&'static KeyHelp]> {
        match self {
            Overlay::Ack(_) => Some(keys::ACK_PROMPT_KEYS),
            Overlay::Silence(_) => Some(keys::SILENCE_KEYS),
            Overlay::Confirm(_) => Some(keys::CONFIRM_KEYS),
            Overlay::Mfa(_) => Some(keys::MFA_KEYS),
            _ => None,
        }
    }
}

/// Declares the accessors that find the open overlay of one kind.
macro_rules! find_kind {
    ($($(#[$attr:meta])* $name:ident, $name_mut:ident: $variant:ident($ty:ty);)+) => {
        $(
            $(#[$attr])*
            pub fn $name(&self) -> Option<&$ty> {
                self.stack.iter().rev().find_map(|overlay| match overlay {
                    Overlay::$variant(inner) => Some(inner),
                    _ => None,
                })
            }

            $(#[$attr])*
            pub fn $name_mut(&mut self) -> Option<&mut $ty> {
                self.stack.iter_mut().rev().find_map(|overlay| match overlay {
                    Overlay::$variant(inner) => Some(inner),
                    _ => None,
                })
            }
        )+
    };
}

/// The overlays open over the tab, bottom first. At most one of each kind
/// is open (the data layer gathers one detail and one timeline at a time):
/// opening a kind already open replaces it and brings it to the top.
#[derive(Debug, Default)]
pub struct Overlays {
    stack: Vec<Overlay>,
}

impl Overlays {
    /// Opens `overlay` on top, closing the one of its kind if open.
    pub fn push(&mut self, overlay: Overlay) {
        self.stack
            .retain(|open| discriminant(open) != discriminant(&overlay));
        self.stack.push(overlay);
    }

    /// Closes the top one.
    pub fn pop(&mut self) -> Option<Overlay> {
        self.stack.pop()
    }

    /// The top one, which has the keys.
    pub fn top(&self) -> Option<&Overlay> {
        self.stack.last()
    }

    /// The top one, to change.
    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.stack.last_mut()
    }

    /// Whether nothing is open over the tab.
    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// Every open overlay, bottom first (the drawing order).
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.stack.iter()
    }

    /// Every open view, bottom first: each takes note of every data event.
    pub fn views_mut(&mut self) -> impl Iterator<Item = &mut dyn Component> {
        self.stack.iter_mut().filter_map(Overlay::view_mut)
    }

    /// The dialog on top, which takes the keys, if the top is one.
    pub fn dialog(&self) -> Option<&Overlay> {
        self.top().filter(|top| !top.is_view())
    }

    /// The topmost view, which has the focus (the help and the dialogs
    /// above it are about it), if one is open.
    pub fn focused(&self) -> Option<&Overlay> {
        self.stack.iter().rev().find(|overlay| overlay.is_view())
    }

    /// The topmost view, to change.
    pub fn focused_mut(&mut self) -> Option<&mut Overlay> {
        self.stack
            .iter_mut()
            .rev()
            .find(|overlay| overlay.is_view())
    }

    /// Whether a view hides the tab.
    pub fn hides_tab(&self) -> bool {
        self.focused().is_some()
    }

    /// What shows, bottom first: the topmost view and everything above it
    /// (a view hides what is under it).
    pub fn visible(&self) -> &[Overlay] {
        let from = self.stack.iter().rposition(Overlay::is_view).unwrap_or(0);
        &self.stack[from..]
    }

    /// Closes the topmost open overlay `matching`, if any, and hands it back.
    pub fn remove(&mut self, matching: impl Fn(&Overlay) -> bool) -> Option<Overlay> {
        let at = self.stack.iter().rposition(matching)?;
        Some(self.stack.remove(at))
    }

    /// Closes every view (leaving another tab), keeping the dialogs;
    /// returns whether an alarm's detail was among them.
    pub fn close_views(&mut self) -> bool {
        let detail = self.detail().is_some();
        self.stack.retain(|overlay| !overlay.is_view());
        detail
    }

    find_kind! {
        /// The open alarm detail.
        detail, detail_mut: Detail(DetailView);
        /// The open incident timeline.
        incident, incident_mut: Incident(IncidentView);
        /// The open shift handoff.
        handoff, handoff_mut: Handoff(HandoffView);
        /// The open MFA code dialog.
        mfa, mfa_mut: Mfa(MfaForm);
    }
}
