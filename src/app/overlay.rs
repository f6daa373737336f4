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
    /// An alarm's detail (boxed, as the timeline: the stack moves them).
    Detail(Box<DetailView>),
    /// An alarm's incident timeline.
    Incident(Box<IncidentView>),
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
            Overlay::Detail(view) => Some(view.as_ref()),
            Overlay::Incident(view) => Some(view.as_ref()),
            Overlay::Handoff(view) => Some(view),
            _ => None,
        }
    }

    /// [`Overlay::view`], to change.
    pub fn view_mut(&mut self) -> Option<&mut dyn Component> {
        match self {
            Overlay::Detail(view) => Some(view.as_mut()),
            Overlay::Incident(view) => Some(view.as_mut()),
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
    ($($(#[$attr:meta])* $name:ident: $variant:ident($ty:ty);)+) => {
        $(
            $(#[$attr])*
            pub fn $name(&self) -> Option<&$ty> {
                self.stack.iter().rev().find_map(|overlay| match overlay {
                    Overlay::$variant(inner) => {
                        let inner: &$ty = inner;
                        Some(inner)
                    }
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
        detail: Detail(DetailView);
        /// The open incident timeline.
        incident: Incident(IncidentView);
        /// The open shift handoff.
        handoff: Handoff(HandoffView);
        /// The open MFA code dialog.
        mfa: Mfa(MfaForm);
    }

    /// The MFA code dialog, to type into, if it is on top (it takes every
    /// key while open).
    pub fn mfa_mut(&mut self) -> Option<&mut MfaForm> {
        match self.top_mut()? {
            Overlay::Mfa(form) => Some(form),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(alarm: &str) -> Overlay {
        Overlay::Detail(Box::new(DetailView::new(alarm.into())))
    }

    fn incident() -> Overlay {
        Overlay::Incident(Box::new(IncidentView::new("a".into(), "demo")))
    }

    fn ack() -> Overlay {
        Overlay::Ack(AckPrompt {
            alarm: "a".into(),
            note: String::new(),
        })
    }

    /// The kinds on the stack, bottom first, as short names.
    fn kinds(overlays: &Overlays) -> Vec<&'static str> {
        overlays
            .iter()
            .map(|overlay| match overlay {
                Overlay::Detail(_) => "detail",
                Overlay::Incident(_) => "incident",
                Overlay::Handoff(_) => "handoff",
                Overlay::Help { .. } => "help",
                Overlay::Ack(_) => "ack",
                Overlay::Silence(_) => "silence",
                Overlay::Confirm(_) => "confirm",
                Overlay::Mfa(_) => "mfa",
            })
            .collect()
    }

    #[test]
    fn pushes_go_on_top_and_pops_take_the_top_one_at_a_time() {
        let mut overlays = Overlays::default();
        assert!(overlays.top().is_none() && overlays.focused().is_none());
        overlays.push(detail("a"));
        overlays.push(incident());
        overlays.push(Overlay::Handoff(HandoffView::default()));
        assert_eq!(kinds(&overlays), ["detail", "incident", "handoff"]);
        assert!(matches!(overlays.pop(), Some(Overlay::Handoff(_))));
        assert!(matches!(overlays.top(), Some(Overlay::Incident(_))));
        assert!(matches!(overlays.pop(), Some(Overlay::Incident(_))));
        assert_eq!(kinds(&overlays), ["detail"]);
    }

    #[test]
    fn one_of_a_kind_opening_again_replaces_it_on_top() {
        let mut overlays = Overlays::default();
        overlays.push(detail("a"));
        overlays.push(incident());
        overlays.push(detail("b"));
        assert_eq!(kinds(&overlays), ["incident", "detail"]);
        assert_eq!(overlays.detail().map(|d| d.alarm.as_str()), Some("b"));
    }

    #[test]
    fn the_focus_is_the_topmost_view_and_the_keys_a_dialog_on_top() {
        let mut overlays = Overlays::default();
        overlays.push(detail("a"));
        overlays.push(incident());
        overlays.push(Overlay::Help { scroll: 0 });
        assert!(matches!(overlays.focused(), Some(Overlay::Incident(_))));
        assert!(matches!(overlays.dialog(), Some(Overlay::Help { .. })));
        assert!(overlays.hides_tab());
        overlays.pop();
        assert!(overlays.dialog().is_none(), "a view on top is no dialog");
        overlays.push(ack());
        let keys = overlays.dialog().and_then(Overlay::dialog_keys).unwrap();
        assert!(std::ptr::eq(keys, keys::ACK_PROMPT_KEYS));
    }

    #[test]
    fn what_shows_starts_at_the_topmost_view() {
        let mut overlays = Overlays::default();
        overlays.push(Overlay::Help { scroll: 0 });
        assert_eq!(overlays.visible().len(), 1, "a popup over the tab");
        overlays.pop();
        overlays.push(detail("a"));
        overlays.push(incident());
        overlays.push(ack());
        let shown: Vec<bool> = overlays.visible().iter().map(Overlay::is_view).collect();
        assert_eq!(shown, [true, false], "the timeline hides the detail");
    }

    #[test]
    fn leaving_the_tab_closes_the_views_and_keeps_the_dialogs() {
        let mut overlays = Overlays::default();
        overlays.push(incident());
        assert!(!overlays.close_views(), "no detail was open");
        overlays.push(detail("a"));
        overlays.push(incident());
        overlays.push(ack());
        assert!(overlays.close_views(), "the detail was open");
        assert_eq!(kinds(&overlays), ["ack"]);
        assert!(!overlays.hides_tab());
    }

    #[test]
    fn remove_takes_the_topmost_match_wherever_it_is() {
        let mut overlays = Overlays::default();
        overlays.push(detail("a"));
        overlays.push(incident());
        overlays.push(ack());
        assert!(matches!(
            overlays.remove(Overlay::is_view),
            Some(Overlay::Incident(_))
        ));
        assert_eq!(kinds(&overlays), ["detail", "ack"]);
        assert!(overlays.remove(|o| matches!(o, Overlay::Mfa(_))).is_none());
    }
}
