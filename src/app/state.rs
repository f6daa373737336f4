//! The shared UI state and the routing: keys and actions go to the top of
//! the overlay stack (a dialog, else the topmost view, see [`Overlays`]),
//! else the current tab, and then to the app's own keys; data events
//! update the shared state and then every component and open view.

use std::collections::BTreeMap;
use std::sync::Arc;

use crossterm::event::KeyEvent;
use jiff::Timestamp;

use super::action::{Action, Effect};
use super::alarm_list::AlarmList;
use super::command::{self, Command};
use super::component::{Component, Context, KeyHelp, Reply, movement, scrolled};
use super::detail::DetailView;
use super::dialog::MfaForm;
use super::goto::Goto;
use super::incident::IncidentView;
use super::keys;
use super::overlay::{Overlay, Overlays};
use super::tabs::{Tab, Tabs};

use crate::config::{ResolvedEnv, Theme};
use crate::data::{Annotation, DataCommand, DataEvent, LinkState};
use crate::model::dashboard::RangeChoice;
use crate::model::{Alarm, Clock, Identity};

/// The input line in the footer, which has the keys unless a dialog is
/// open over it (the dialogs are on the [`Overlays`] stack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// No line: navigation keys.
    Normal,
    /// Typing a `:` command.
    Command(String),
    /// Typing a `/` filter.
    Filter(String),
}

/// A message shown in the footer for a few seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
    /// When it was raised.
    pub at: Timestamp,
}

/// How long a flash message stays.
const FLASH_SECS: i64 = 6;

impl Flash {
    /// Whether it is still shown at `now` (it stays a few seconds).
    pub fn is_current(&self, now: Timestamp) -> bool {
        now.duration_since(self.at).as_secs() < FLASH_SECS
    }
}

/// The UI state.
#[derive(Debug)]
pub struct App {
    /// The environment being watched.
    pub env: ResolvedEnv,
    /// Colours.
    pub theme: Theme,
    /// Time source (fixed in tests).
    pub clock: Arc<dyn Clock>,
    /// Current tab.
    pub tab: Tab,
    /// The input line, if one is open.
    pub mode: Mode,
    /// Caller identity, once known.
    pub identity: Option<Identity>,
    /// Connection health.
    pub link: LinkState,
    /// The latest alarm list, shared with the tabs.
    pub alarms: Arc<AlarmList>,
    /// Footer message.
    pub flash: Option<Flash>,
    /// Rows that fit in the current list (set by the UI for paging).
    pub page_rows: usize,
    /// Acks and silences by alarm name.
    pub annotations: Arc<BTreeMap<String, Annotation>>,
    /// Silences seen in force that have since gone, by alarm name, with
    /// when they ended (the silence radar marks them for a while).
    pub ended_silences: BTreeMap<String, jiff::Timestamp>,
    /// ALARM entries per alarm in the last 24 hours, once read.
    pub flaps: Option<Arc<crate::data::history::FlapCounts>>,
    /// Side fetches that are failing, with their errors.
    pub degraded: BTreeMap<&'static str, String>,
    /// The tab components.
    pub tabs: Tabs,
    /// The views and dialogs open over the tab, bottom first.
    pub overlays: Overlays,
    /// The tab the data layer was last told is on screen (`None`: a view
    /// over the tab hides it), see [`Component::on_screen`].
    told_on_screen: Option<Tab>,
    /// Whether the data layer is gathering an incident timeline for us.
    incident_told: bool,
    /// Whether the `/` (or `F`, `@`...) line opened on its old text, which
    /// is selected: the first key typed replaces it, Backspace clears it.
    pub filter_selected: bool,
    /// Effects a jump needs besides the one it returns, handed out by
    /// [`App::update`] before it.
    pub(super) queued: Vec<Effect>,
    /// Changes (acks, silences, tests) sent whose outcome has not come back.
    pub changes_running: usize,
    /// Whether its Alarms tab is shown as part of the wall across envs,
    /// whose `/` also matches the env name (its `?` help says so).
    pub on_wall: bool,
    /// Whether `q` was pressed once at the top level while changes run:
    /// the next `q` quits.
    quit_armed: bool,
}

impl App {
    /// A fresh app for an env, on the Alarms tab.
    pub fn new(env: ResolvedEnv, theme: Theme, clock: Arc<dyn Clock>) -> Self {
        let tabs = Tabs::for_env(&env);
        Self {
            env,
            theme,
            clock,
            tab: Tab::Alarms,
            mode: Mode::Normal,
            identity: None,
            link: LinkState::Connecting,
            alarms: Arc::default(),
            flash: None,
            page_rows: 10,
            annotations: Arc::default(),
            ended_silences: BTreeMap::new(),
            flaps: None,
            degraded: BTreeMap::new(),
            tabs,
            overlays: Overlays::default(),
            told_on_screen: None,
            incident_told: false,
            filter_selected: false,
            on_wall: false,
            queued: Vec::new(),
            changes_running: 0,
            quit_armed: false,
        }
    }

    /// A fresh app for another env on the same tab and clock (after `:env`).
    /// Tell its data layer [`App::screen_commands`].
    pub fn for_env(&self, env: ResolvedEnv, theme: Theme) -> Self {
        let mut app = App::new(env, theme, Arc::clone(&self.clock));
        app.tab = self.tab;
        app.told_on_screen = app.tab_on_screen();
        app
    }

    /// Current time from the app's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Takes a new set of acks and silences, remembering the silences that
    /// were in force and are gone (ended by hand, by another monitui, or
    /// by this one once expired) for the silence radar, and forgetting
    /// those that ended longer ago than it looks back.
    fn take_annotations(&mut self, fresh: &Arc<BTreeMap<String, Annotation>>) {
        let now = self.now();
        for (name, old) in self.annotations.iter() {
            let Some(silence) = old.own_silence() else {
                continue;
            };
            let still = fresh.get(name).and_then(Annotation::own_silence);
            if still.is_none_or(|s| s.id != silence.id) {
                self.ended_silences
                    .insert(name.clone(), silence.until.min(now));
            }
        }
        for (name, annotation) in fresh.iter() {
            if annotation.own_silence().is_some_and(|s| !s.is_expired(now)) {
                self.ended_silences.remove(name);
            }
        }
        self.ended_silences
            .retain(|_, ended| crate::model::handoff::radar(*ended, now).is_some());
        self.annotations = Arc::clone(fresh);
    }

    /// Shows a message in the footer.
    pub fn flash(&mut self, text: impl Into<String>, is_error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            is_error,
            at: self.now(),
        });
    }

    /// The flash message if it is still fresh.
    pub fn current_flash(&self) -> Option<&Flash> {
        self.flash.as_ref().filter(|f| f.is_current(self.now()))
    }

    /// What is wrong with the data on screen, if anything: the alarm list
    /// cannot be refreshed, or a side fetch fails. The UI shows it on a line
    /// of its own so stale data never looks fresh.
    pub fn problem(&self) -> Option<String> {
        if let LinkState::Retrying { error, .. } = &self.link {
            return Some(format!("cannot refresh alarms: {error}"));
        }
        let parts: Vec<String> = self
            .degraded
            .iter()
            .map(|(what, error)| format!("{what} may be stale: {error}"))
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// The component that has the focus: the topmost view open over the
    /// tab, else the current tab.
    pub fn focused(&self) -> &dyn Component {
        match self.overlays.focused().and_then(Overlay::view) {
            Some(view) => view,
            None => self.tabs.get(self.tab),
        }
    }

    /// The keys of the dialog on top or the input line, which take the
    /// keys and the footer, if one is open.
    pub fn input_keys(&self) -> Option<&'static [&'static KeyHelp]> {
        match self.overlays.dialog() {
            Some(dialog) => dialog.dialog_keys(),
            None => keys::mode_keys(&self.mode),
        }
    }

    /// The keys the footer shows now: the open dialog's or line's, else
    /// the focused component's.
    pub fn footer_keys(&self) -> &'static [&'static KeyHelp] {
        self.input_keys().unwrap_or_else(|| self.focused().footer())
    }

    /// Whether a line or a dialog of this env's own is open (not the MFA
    /// dialog, which every env's sign-in shares): the alarm wall then
    /// leaves this App the keys.
    pub fn prompting(&self) -> bool {
        self.mode != Mode::Normal
            || self
                .overlays
                .iter()
                .any(|overlay| !overlay.is_view() && !matches!(overlay, Overlay::Mfa(_)))
    }

    /// What the `?` help lists: the focused component's keys, then the keys
    /// that work everywhere.
    pub fn help_keys(&self) -> impl Iterator<Item = &'static KeyHelp> {
        let on_wall = self.on_wall && self.tab == Tab::Alarms;
        let own = self.focused().keymap().iter().map(move |help| {
            match on_wall && std::ptr::eq(*help, &keys::FILTER) {
                true => &keys::WALL_FILTER,
                false => *help,
            }
        });
        own.chain(keys::GLOBAL.iter().copied())
    }

    /// The tab on screen, unless a view over it hides it.
    pub fn tab_on_screen(&self) -> Option<Tab> {
        (!self.overlays.hides_tab()).then_some(self.tab)
    }

    /// What a (new) data layer must be told of which tab is on screen:
    /// each tab's [`Component::on_screen`].
    pub fn screen_commands(&self) -> Vec<DataCommand> {
        let on_screen = self.tab_on_screen();
        Tab::ALL
            .into_iter()
            .filter_map(|tab| self.tabs.get(tab).on_screen(on_screen == Some(tab)))
            .collect()
    }

    /// Applies a data event: first to the shared state, then to every
    /// component.
    pub fn apply(&mut self, event: DataEvent) {
        match &event {
            DataEvent::Identity(identity) => self.identity = Some(identity.clone()),
            DataEvent::Alarms { alarms, fetched_at } => {
                let prefix = format!("{}-", self.env.prefix);
                self.alarms = Arc::new(AlarmList::new(
                    Arc::clone(alarms),
                    *fetched_at,
                    &prefix,
                    &self.alarms,
                ));
            }
            DataEvent::FiringFirst {
                alarms,
                all,
                fetched_at,
            } => {
                let prefix = format!("{}-", self.env.prefix);
                let list = AlarmList::new(Arc::clone(alarms), *fetched_at, &prefix, &self.alarms);
                self.alarms = Arc::new(list.firing_only(*all));
            }
            DataEvent::Link(link) => self.link = link.clone(),
            DataEvent::Degraded { what, error } => match error {
                Some(error) => {
                    self.degraded.insert(what, error.clone());
                }
                None => {
                    self.degraded.remove(what);
                }
            },
            DataEvent::Annotations(annotations) => self.take_annotations(annotations),
            DataEvent::Flaps(flaps) => self.flaps = Some(Arc::clone(flaps)),
            DataEvent::MutationDone { mutation, result } => {
                self.changes_running = self.changes_running.saturating_sub(1);
                match result {
                    Ok(message) => self.flash(message.clone(), false),
                    Err(message) => {
                        self.mutation_failed(mutation);
                        self.flash(message.clone(), true);
                    }
                }
            }
            DataEvent::MfaNeeded(ask) => {
                self.overlays.push(Overlay::Mfa(MfaForm::new(ask.clone())))
            }
            DataEvent::MfaWithdrawn(id) => {
                let asked =
                    |overlay: &Overlay| matches!(overlay, Overlay::Mfa(form) if form.ask.id == *id);
                if self.overlays.remove(asked).is_some() {
                    self.flash(
                        "the MFA dialog closed: no code was typed in time; press r or type :refresh to be asked again",
                        true,
                    );
                }
            }
            DataEvent::Overview(_)
            | DataEvent::Slos(_)
            | DataEvent::Detail(_)
            | DataEvent::Tab(_)
            | DataEvent::Incident { .. }
            | DataEvent::Handoff(_)
            | DataEvent::IncidentFailed { .. } => {}
        }
        let ctx = Context {
            alarms: &self.alarms,
            page_rows: self.page_rows,
        };
        for component in self.tabs.all_mut() {
            component.apply(&event, &ctx);
        }
        for view in self.overlays.views_mut() {
            view.apply(&event, &ctx);
        }
    }

    /// The action a key means now: the dialog on top's, else given the
    /// input line and the focused component's keys.
    pub fn action_for(&self, key: KeyEvent) -> Option<Action> {
        if let Some(dialog) = self.overlays.dialog() {
            return match dialog.dialog_keys() {
                Some(keys) => keys::typing_action(key, keys),
                None => keys::help_action(key),
            };
        }
        let focused = self.focused();
        if self.mode == Mode::Normal && focused.captures_typing() {
            return keys::typing_action(key, focused.keymap());
        }
        keys::action_for(key, &self.mode, focused.keymap())
    }

    /// Handles a key press; returns what must happen outside.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.action_for(key)
            .map(|action| self.update(action))
            .unwrap_or_default()
    }

    /// Applies a user action; returns what must happen outside, including
    /// telling the data layer when the Overview appeared or went away.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let before = self.tab;
        let dispatched = self.dispatch(action);
        let mut effects: Vec<Effect> = std::mem::take(&mut self.queued);
        effects.extend(dispatched);
        if self.tab != before {
            effects.extend(self.tabs.get_mut(self.tab).shown());
        }
        let on_screen = self.tab_on_screen();
        if on_screen != self.told_on_screen {
            let told = std::mem::replace(&mut self.told_on_screen, on_screen);
            let gone = told.and_then(|tab| self.tabs.get(tab).on_screen(false));
            let come = on_screen.and_then(|tab| self.tabs.get(tab).on_screen(true));
            effects.extend(gone.into_iter().chain(come).map(Effect::Data));
        }
        let gathering = self.overlays.incident().is_some();
        if self.incident_told && !gathering {
            effects.push(Effect::Data(DataCommand::CloseIncident));
        }
        self.incident_told = gathering;
        self.gate_copies(&mut effects);
        effects
    }

    /// The one gate every copy passes (`y`, `Y`, the Metrics tab's `w`
    /// and `A`, a widget): with `clipboard = false` in the config none
    /// leaves the app, whichever component asked for it.
    fn gate_copies(&mut self, effects: &mut Vec<Effect>) {
        if self.env.clipboard {
            return;
        }
        let asked = effects.len();
        effects.retain(|effect| !effect.is_copy());
        if effects.len() != asked {
            self.flash("copying is off (clipboard = false in the config)", true);
        }
    }

    fn dispatch(&mut self, action: Action) -> Option<Effect> {
        if let Some(Overlay::Mfa(_)) = self.overlays.top() {
            return self.mfa_dialog(action);
        }
        let selected = std::mem::take(&mut self.filter_selected);
        let quit_armed = std::mem::take(&mut self.quit_armed);
        if selected
            && let Mode::Filter(text) = &mut self.mode
            && matches!(action, Action::Input(_) | Action::Backspace)
        {
            text.clear();
            if action == Action::Backspace {
                self.live_filter();
                return None;
            }
        }
        if action == Action::Quit {
            return Some(Effect::Quit);
        }
        if self.overlays.dialog().is_some() {
            return self.dialog(action);
        }
        match (&mut self.mode, action) {
            (Mode::Normal, Action::BackOrQuit) => {
                let nested = self.overlays.hides_tab() || self.focused().nested();
                if nested {
                    return self.normal(Action::Back);
                }
                if self.changes_running > 0 && !quit_armed {
                    self.quit_armed = true;
                    let n = self.changes_running;
                    self.flash(
                        format!(
                            "{n} change{} still running: q again to quit (monitui waits for {} to finish)",
                            if n == 1 { " is" } else { "s are" },
                            if n == 1 { "it" } else { "them" }
                        ),
                        true,
                    );
                    return None;
                }
                return Some(Effect::Quit);
            }
            (Mode::Command(text) | Mode::Filter(text), Action::Input(c)) => {
                text.push(c);
                self.live_filter();
            }
            (Mode::Command(text) | Mode::Filter(text), Action::Backspace) => {
                text.pop();
                self.live_filter();
            }
            (Mode::Command(_), Action::Back) => self.mode = Mode::Normal,
            (Mode::Filter(_), Action::Back) => {
                self.focused_mut().set_filter("");
                self.mode = Mode::Normal;
            }
            (Mode::Filter(_), Action::Submit) => {
                self.mode = Mode::Normal;
                let submitted = self.focused_mut().filter_submitted();
                match submitted.flash {
                    Some(Ok(message)) => self.flash(message, false),
                    Some(Err(message)) => self.flash(message, true),
                    None => {}
                }
                return submitted.effect;
            }
            (Mode::Command(text), Action::Submit) => {
                let text = std::mem::take(text);
                self.mode = Mode::Normal;
                return self.run_command(&text);
            }
            (Mode::Command(_) | Mode::Filter(_), _) => {}
            (Mode::Normal, action) => return self.normal(action),
        }
        None
    }

    /// The keys of the dialog on top: the help scrolls or closes; the
    /// ack, silence and confirmation dialogs type, send or cancel.
    fn dialog(&mut self, action: Action) -> Option<Effect> {
        let page_rows = self.page_rows;
        match (self.overlays.top_mut()?, action) {
            (Overlay::Help { scroll }, action) => match movement(&action, page_rows) {
                Some(delta) => *scroll = scrolled(*scroll, delta),
                None => {
                    self.overlays.pop();
                }
            },
            (Overlay::Ack(_) | Overlay::Silence(_) | Overlay::Confirm(_), Action::Back) => {
                self.overlays.pop();
                self.flash("cancelled: nothing was sent", false);
            }
            (Overlay::Ack(prompt), Action::Input(c)) => prompt.note.push(c),
            (Overlay::Ack(prompt), Action::Backspace) => {
                prompt.note.pop();
            }
            (Overlay::Ack(prompt), Action::Submit) => {
                let prompt = prompt.clone();
                self.overlays.pop();
                return self.submit_ack(prompt);
            }
            (Overlay::Silence(_), action) => return self.silence_dialog(action),
            (Overlay::Confirm(form), Action::Input(c)) => form.typed.push(c),
            (Overlay::Confirm(form), Action::Backspace) => {
                form.typed.pop();
            }
            (Overlay::Confirm(form), Action::Submit) => {
                if let Some(mutation) = form.submit() {
                    self.overlays.pop();
                    return self.send(mutation);
                }
            }
            _ => {}
        }
        None
    }

    /// The MFA dialog's keys: digits, Backspace, Enter sends the code, Esc
    /// cancels the sign-in (it fails until `r`), Ctrl-c quits.
    fn mfa_dialog(&mut self, action: Action) -> Option<Effect> {
        let form = self.overlays.mfa_mut()?;
        let answer = match action {
            Action::Quit => return Some(Effect::Quit),
            Action::Input(c) => {
                form.input(c);
                return None;
            }
            Action::Backspace => {
                form.backspace();
                return None;
            }
            Action::Submit => {
                let answer = form.submit()?;
                self.flash("MFA code sent: signing in…", false);
                answer
            }
            Action::Back => {
                let answer = form.cancel();
                self.flash(
                    "MFA cancelled: this env does not sign in until you press r or type :refresh",
                    true,
                );
                answer
            }
            _ => return None,
        };
        self.overlays.pop();
        Some(Effect::Data(answer))
    }

    fn silence_dialog(&mut self, action: Action) -> Option<Effect> {
        let Some(Overlay::Silence(form)) = self.overlays.top_mut() else {
            return None;
        };
        match action {
            Action::Input(c) => form.input(c),
            Action::Backspace => form.backspace(),
            Action::NextField => form.next_field(),
            Action::Up => form.choose(-1),
            Action::Down => form.choose(1),
            Action::Submit => {
                let mutation = form.submit()?;
                self.overlays.pop();
                return self.guarded(mutation);
            }
            _ => {}
        }
        None
    }

    fn focused_mut(&mut self) -> &mut dyn Component {
        match self.overlays.focused_mut().and_then(Overlay::view_mut) {
            Some(view) => view,
            None => self.tabs.get_mut(self.tab),
        }
    }

    fn live_filter(&mut self) {
        if let Mode::Filter(text) = &self.mode {
            let text = text.clone();
            self.focused_mut().set_filter(&text);
        }
    }

    /// Normal mode: the focused component first, then the app's own keys.
    fn normal(&mut self, action: Action) -> Option<Effect> {
        let ctx = Context {
            alarms: &self.alarms,
            page_rows: self.page_rows,
        };
        let reply = match self.overlays.focused_mut().and_then(Overlay::view_mut) {
            Some(view) => view.update(&action, &ctx),
            None => self.tabs.get_mut(self.tab).update(&action, &ctx),
        };
        match reply {
            Reply::Ignored => self.global(action),
            Reply::Done => None,
            Reply::Effect(effect) => Some(effect),
            Reply::Flash(text) => {
                self.flash(text, false);
                None
            }
            Reply::OpenDetail(alarm) => self.open_detail(alarm),
            Reply::Goto(goto) => self.goto(goto),
            Reply::Close => self.close_view(),
            Reply::Prompt => self.global(Action::StartFilter),
        }
    }

    /// Opens the detail view of `alarm` on top and loads it.
    pub(super) fn open_detail(&mut self, alarm: String) -> Option<Effect> {
        let view = DetailView::new(alarm);
        let load = view.load_command();
        self.overlays.push(Overlay::Detail(Box::new(view)));
        Some(Effect::Data(load))
    }

    /// Closes the topmost view (the one that asked), stopping the detail's
    /// refresh when it is the detail. The incident timeline's gathering
    /// stops in [`App::update`], whichever way it closed.
    fn close_view(&mut self) -> Option<Effect> {
        let closed = self.overlays.remove(Overlay::is_view)?;
        matches!(closed, Overlay::Detail(_)).then_some(Effect::Data(DataCommand::CloseDetail))
    }

    /// Opens the incident timeline of the alarm the focus points at.
    fn open_incident(&mut self) -> Option<Effect> {
        let Some(alarm) = self.target_alarm() else {
            self.flash("no alarm selected", true);
            return None;
        };
        let view = IncidentView::new(alarm.name.clone(), &self.env.prefix);
        let load = view.load_command();
        self.overlays.push(Overlay::Incident(Box::new(view)));
        Some(Effect::Data(load))
    }

    /// Shows `tab`, closing every view open over the tab (and stopping the
    /// detail's refresh).
    pub(super) fn go_to(&mut self, tab: Tab) -> Option<Effect> {
        self.tab = tab;
        self.overlays
            .close_views()
            .then_some(Effect::Data(DataCommand::CloseDetail))
    }

    /// The keys every screen has, and the alarm keys whose dialogs the app
    /// owns.
    fn global(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::NextTab => return self.go_to(self.tab.step(1)),
            Action::PrevTab => return self.go_to(self.tab.step(-1)),
            Action::GoTab(n) => {
                let tab = *Tab::ALL.get(n.wrapping_sub(1))?;
                return self.go_to(tab);
            }
            Action::Ack => self.start_ack(),
            Action::Incident => return self.open_incident(),
            Action::Handoff => {
                self.overlays
                    .push(Overlay::Handoff(super::handoff::HandoffView::default()));
                return Some(Effect::Data(super::handoff::HandoffView::load_command()));
            }
            Action::Silence => self.start_silence(),
            Action::Undo => return self.undo(),
            Action::Test => return self.test(),
            Action::Refresh => {
                self.flash("refreshing…", false);
                return Some(Effect::Data(DataCommand::RefreshNow));
            }
            Action::Copy => return self.copy(),
            Action::CopyArn => return self.copy_arn(),
            Action::Help => self.overlays.push(Overlay::Help { scroll: 0 }),
            Action::StartCommand => self.mode = Mode::Command(String::new()),
            Action::StartFilter => {
                if let Some(filter) = self.focused().filter().map(str::to_string) {
                    self.filter_selected = !filter.is_empty();
                    self.mode = Mode::Filter(filter);
                }
            }
            _ => {}
        }
        None
    }

    /// `y`: what the focused component offers, else its alarm's name.
    fn copy(&mut self) -> Option<Effect> {
        let text = self
            .focused()
            .copy_text()
            .or_else(|| Some(self.target_alarm()?.name.clone()));
        self.copy_effect(text)
    }

    /// `Y`: the ARN of the alarm the focus points at.
    fn copy_arn(&mut self) -> Option<Effect> {
        let text = self.target_alarm().map(|alarm| alarm.arn.clone());
        self.copy_effect(text)
    }

    /// The copy to make, sanitised (no escape sequence from AWS text
    /// reaches the clipboard), or why there is none (nothing selected).
    fn copy_effect(&mut self, text: Option<String>) -> Option<Effect> {
        match text {
            Some(text) => Some(Effect::Clipboard(crate::sanitize::sanitize_text(&text))),
            None => {
                self.flash("nothing to copy here", true);
                None
            }
        }
    }

    /// The alarm the alarm keys act on: the one the focused component
    /// points at.
    pub fn target_alarm(&self) -> Option<&Alarm> {
        self.alarms.find(self.focused().target_alarm()?)
    }

    /// `:range TEXT`: the open alarm detail's chart range (a duration),
    /// else the open dashboard's range.
    fn range_command(&mut self, text: &str) -> Option<Effect> {
        if let Some(Overlay::Detail(view)) = self.overlays.focused_mut() {
            return match RangeChoice::parse(text) {
                Ok(RangeChoice::Last(span)) => {
                    view.set_range(span);
                    Some(Effect::Data(view.load_command()))
                }
                Ok(_) => {
                    self.flash(
                        "the alarm detail's chart ends now: give a duration, e.g. :range 6h",
                        true,
                    );
                    None
                }
                Err(message) => {
                    self.flash(message, true);
                    None
                }
            };
        }
        if self.tab_on_screen() != Some(Tab::Dashboards) || self.tabs.dashboards.open().is_none() {
            self.flash(
                ":range sets the range of an alarm's detail or an open dashboard (tab 3)",
                true,
            );
            return None;
        }
        match RangeChoice::parse(text) {
            Ok(range) => Some(self.tabs.dashboards.set_range(range)),
            Err(message) => {
                self.flash(message, true);
                None
            }
        }
    }

    fn run_command(&mut self, text: &str) -> Option<Effect> {
        match command::parse(text) {
            Ok(Command::Quit) => Some(Effect::Quit),
            Ok(Command::Env(name)) => Some(Effect::SwitchEnv(name)),
            Ok(Command::Theme(name)) => Some(Effect::SwitchTheme(name)),
            Ok(Command::Refresh) => Some(Effect::Data(DataCommand::RefreshNow)),
            Ok(Command::Tab(n)) => self.global(Action::GoTab(n)),
            Ok(Command::Range(text)) => self.range_command(&text),
            Ok(Command::Logs(group)) => self.goto(Goto::LogsNamed(group)),
            Err(message) => {
                self.flash(message, true);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::theme::load_theme;
    use crate::model::ManualClock;
    use crossterm::event::{KeyCode, KeyModifiers};

    use crate::app::component::Key;
    use crate::app::dialog::AckPrompt;

    fn app() -> App {
        let clock = Arc::new(ManualClock::new(Timestamp::UNIX_EPOCH));
        App::new(
            ResolvedEnv::demo(),
            load_theme("default", None).unwrap(),
            clock,
        )
    }

    /// The app on every screen: each tab, and the detail view.
    fn every_screen() -> Vec<(String, App)> {
        let mut screens: Vec<(String, App)> = Tab::ALL
            .iter()
            .map(|&tab| {
                let mut app = app();
                app.tab = tab;
                (tab.title().to_string(), app)
            })
            .collect();
        let mut detail = app();
        detail
            .overlays
            .push(Overlay::Detail(Box::new(DetailView::new("a".into()))));
        screens.push(("detail".into(), detail));
        screens
    }

    fn event(key: Key) -> KeyEvent {
        match key {
            Key::Plain(code) => KeyEvent::new(code, KeyModifiers::NONE),
            Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
        }
    }

    #[test]
    fn every_key_the_help_lists_does_what_it_says() {
        for (screen, app) in every_screen() {
            let listed: Vec<&KeyHelp> = app.help_keys().collect();
            assert_eq!(
                listed.len(),
                app.focused().keymap().len() + keys::GLOBAL.len(),
                "{screen}"
            );
            for help in listed {
                for (key, action) in help.map {
                    assert_eq!(
                        app.action_for(event(*key)),
                        Some(*action),
                        "{screen}: {:?} is listed as '{}'",
                        key,
                        help.what
                    );
                }
            }
        }
    }

    #[test]
    fn the_footer_shows_only_keys_the_screen_answers_to() {
        for (screen, app) in every_screen() {
            let footer = app.footer_keys();
            assert!(std::ptr::eq(footer, app.focused().footer()), "{screen}");
            assert!(!footer.is_empty(), "{screen}");
            for help in footer {
                assert!(
                    app.help_keys().any(|h| std::ptr::eq(h, *help)),
                    "{screen}: the footer shows '{}' which is not in its keymap",
                    help.hint
                );
            }
        }
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// The kind of the view that has the focus.
    fn focus(app: &App) -> &'static str {
        match app.overlays.focused() {
            Some(Overlay::Detail(_)) => "detail",
            Some(Overlay::Incident(_)) => "incident",
            Some(Overlay::Handoff(_)) => "handoff",
            _ => "tab",
        }
    }

    #[test]
    fn views_stack_in_the_order_opened_and_esc_closes_one_at_a_time() {
        let mut app = app();
        app.open_detail("a".into());
        app.overlays
            .push(Overlay::Incident(Box::new(IncidentView::new(
                "a".into(),
                "demo",
            ))));
        assert_eq!(focus(&app), "incident");
        let effects = app.update(Action::Handoff);
        assert_eq!(
            effects,
            [Effect::Data(
                super::super::handoff::HandoffView::load_command()
            )]
        );
        assert_eq!(focus(&app), "handoff", "the last opened is on top");
        assert!(std::ptr::eq(app.footer_keys(), app.focused().footer()));
        press(&mut app, KeyCode::Esc);
        assert_eq!(focus(&app), "incident", "back to the timeline");
        assert_eq!(
            press(&mut app, KeyCode::Esc),
            [Effect::Data(DataCommand::CloseIncident)]
        );
        assert_eq!(focus(&app), "detail", "back to the detail");
        assert_eq!(
            press(&mut app, KeyCode::Esc),
            [Effect::Data(DataCommand::CloseDetail)]
        );
        assert_eq!(focus(&app), "tab");
        assert_eq!(app.tab, Tab::Alarms);
    }

    #[test]
    fn a_data_event_reaches_a_view_under_the_top() {
        let mut app = app();
        app.update(Action::Handoff);
        app.overlays
            .push(Overlay::Incident(Box::new(IncidentView::new(
                "a".into(),
                "demo",
            ))));
        app.update(Action::Help);
        app.apply(DataEvent::Handoff(Err("no trail".into())));
        let handoff = app.overlays.handoff().unwrap();
        assert_eq!(handoff.error.as_deref(), Some("no trail"));
    }

    #[test]
    fn the_help_is_about_the_view_under_it_and_any_key_closes_only_it() {
        let mut app = app();
        app.open_detail("a".into());
        app.update(Action::Help);
        let detail = DetailView::new("a".into());
        assert_eq!(
            app.help_keys().count(),
            detail.keymap().len() + keys::GLOBAL.len()
        );
        press(&mut app, KeyCode::Char('j'));
        assert!(matches!(
            app.overlays.top(),
            Some(Overlay::Help { scroll: 1 })
        ));
        assert!(press(&mut app, KeyCode::Esc).is_empty());
        assert!(app.overlays.dialog().is_none());
        assert_eq!(focus(&app), "detail", "Esc closed the help only");
    }

    #[test]
    fn leaving_the_tab_closes_every_view() {
        let mut app = app();
        app.open_detail("a".into());
        app.update(Action::Handoff);
        let effects = app.update(Action::GoTab(1));
        assert!(effects.contains(&Effect::Data(DataCommand::CloseDetail)));
        assert_eq!(focus(&app), "tab");
        assert_eq!(app.tab_on_screen(), Some(Tab::Overview));
    }

    #[test]
    fn a_dialog_footer_replaces_the_screens() {
        let mut app = app();
        app.overlays.push(Overlay::Ack(AckPrompt {
            alarm: "a".into(),
            note: String::new(),
        }));
        let hints: Vec<&str> = app.footer_keys().iter().map(|h| h.hint).collect();
        assert_eq!(hints, ["ack", "cancel"]);
    }

    #[test]
    fn the_filter_goes_to_the_tab_that_has_one() {
        let mut app = app();
        app.update(Action::StartFilter);
        assert_eq!(app.mode, Mode::Filter(String::new()));
        for c in "db".chars() {
            app.update(Action::Input(c));
        }
        assert_eq!(app.tabs.alarms.filter_text(), "db");
        app.update(Action::Submit);
        app.update(Action::GoTab(1));
        app.update(Action::StartFilter);
        assert_eq!(app.mode, Mode::Normal, "the Overview has no filter");
        app.update(Action::GoTab(2));
        assert_eq!(app.tabs.alarms.filter_text(), "db", "kept while away");
    }

    #[test]
    fn reopening_the_filter_selects_its_text_so_typing_replaces_it() {
        let mut app = app();
        app.update(Action::StartFilter);
        for c in "db".chars() {
            app.update(Action::Input(c));
        }
        app.update(Action::Submit);
        app.update(Action::StartFilter);
        assert_eq!(app.mode, Mode::Filter("db".into()));
        assert!(app.filter_selected);
        app.update(Action::Input('w'));
        assert_eq!(app.mode, Mode::Filter("w".into()), "typing replaced it");
        assert_eq!(app.tabs.alarms.filter_text(), "w");
        app.update(Action::Input('e'));
        assert_eq!(app.mode, Mode::Filter("we".into()), "then it adds");
        app.update(Action::Submit);
        app.update(Action::StartFilter);
        app.update(Action::Backspace);
        assert_eq!(app.mode, Mode::Filter(String::new()), "Backspace clears it");
        assert_eq!(app.tabs.alarms.filter_text(), "");
    }
}
