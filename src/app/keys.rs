//! Key bindings. The app's own keys ([`GLOBAL`]), the entries tabs put in
//! their keymaps, and the keys of the dialogs and input lines. Which key
//! means what in normal mode is decided by the focused component's keymap,
//! then [`GLOBAL`] (see [`action_for`]).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::component::{Key, KeyHelp, key_help, lookup};
use super::state::Mode;

use Key::{Ctrl, Plain};
use KeyCode::Char;

/// `?`: the help overlay.
pub static HELP: KeyHelp = key_help! {
    "?", "help", "this help",
    [Plain(Char('?')) => Action::Help]
};

/// `:`: the command line.
pub static COMMAND: KeyHelp = key_help! {
    ":", "cmd", "command line (:env NAME, :theme NAME, :q)",
    [Plain(Char(':')) => Action::StartCommand]
};

/// `1`-`6`, Tab, Shift-Tab: switch tab.
pub static TABS: KeyHelp = key_help! {
    "1-6, Tab, Shift-Tab" ("1-6"), "tabs", "switch tab",
    [
        Plain(Char('1')) => Action::GoTab(1),
        Plain(Char('2')) => Action::GoTab(2),
        Plain(Char('3')) => Action::GoTab(3),
        Plain(Char('4')) => Action::GoTab(4),
        Plain(Char('5')) => Action::GoTab(5),
        Plain(Char('6')) => Action::GoTab(6),
        Plain(KeyCode::Tab) => Action::NextTab,
        Plain(KeyCode::BackTab) => Action::PrevTab,
    ]
};

/// `r`: refresh now.
pub static REFRESH: KeyHelp = key_help! {
    "r", "refresh", "refresh now",
    [Plain(Char('r')) => Action::Refresh]
};

/// `q`: back out of a view, else quit; Ctrl-c: quit.
pub static QUIT: KeyHelp = key_help! {
    "q, Ctrl-c" ("q"), "quit",
    "q: back, else quit; Ctrl-c: quit",
    [Plain(Char('q')) => Action::BackOrQuit, Ctrl('c') => Action::Quit]
};

/// `y`/`Y`: copy to the clipboard.
pub static COPY: KeyHelp = key_help! {
    "y, Y" ("y"), "copy",
    "copy (OSC 52): y what is selected; Y ARN",
    [Plain(Char('y')) => Action::Copy, Plain(Char('Y')) => Action::CopyArn]
};

/// Keys that work on every screen, after the focused component's own.
pub static GLOBAL: &[&KeyHelp] = &[&HELP, &COMMAND, &TABS, &REFRESH, &COPY, &QUIT];

/// `j`/`k` and the arrows: one row (or line) down or up.
const UP_DOWN: &[(Key, Action)] = &[
    (Plain(Char('j')), Action::Down),
    (Plain(KeyCode::Down), Action::Down),
    (Plain(Char('k')), Action::Up),
    (Plain(KeyCode::Up), Action::Up),
];

/// `g`/`G`, Home/End: the first or last row (or widget).
const TOP_BOTTOM: &[(Key, Action)] = &[
    (Plain(Char('g')), Action::Top),
    (Plain(KeyCode::Home), Action::Top),
    (Plain(Char('G')), Action::Bottom),
    (Plain(KeyCode::End), Action::Bottom),
];

/// `[`/`-` and `]`/`+`: a shorter or longer time span.
const SHORTER_LONGER: &[(Key, Action)] = &[
    (Plain(Char('[')), Action::RangeShorter),
    (Plain(Char('-')), Action::RangeShorter),
    (Plain(Char(']')), Action::RangeLonger),
    (Plain(Char('+')), Action::RangeLonger),
];

/// Esc: back (out of a view, a filter or a dialog), shared by many entries.
pub const ESC_BACK: &[(Key, Action)] = &[(Plain(KeyCode::Esc), Action::Back)];

/// Enter: open what is selected, shared by many entries.
pub const ENTER_OPEN: &[(Key, Action)] = &[(Plain(KeyCode::Enter), Action::Open)];

/// Enter: submit a dialog or form, shared by many entries.
pub const ENTER_SUBMIT: &[(Key, Action)] = &[(Plain(KeyCode::Enter), Action::Submit)];

/// `/`: type a filter or search, shared by many entries.
pub const SLASH_FILTER: &[(Key, Action)] = &[(Plain(Char('/')), Action::StartFilter)];

/// `j`/`k`: move the selection.
pub static MOVE: KeyHelp = key_help! { "j/k, Down/Up" ("j/k"), "move", "move", UP_DOWN };

/// `g`/`G`: first and last row.
pub static ENDS: KeyHelp = key_help! {
    "g/G, Home/End" ("g/G"), "ends", "first / last row",
    TOP_BOTTOM
};

/// Page up and down.
pub static PAGE: KeyHelp = key_help! {
    "PgUp/PgDn, Ctrl-u/Ctrl-d" ("PgUp/PgDn"), "page", "page up / down",
    [
        Plain(KeyCode::PageUp) => Action::PageUp,
        Ctrl('u') => Action::PageUp,
        Plain(KeyCode::PageDown) => Action::PageDown,
        Ctrl('d') => Action::PageDown,
    ]
};

/// Enter: open the selected alarm's detail.
pub static OPEN: KeyHelp = key_help! { "Enter", "detail", "open the alarm's detail", ENTER_OPEN };

/// `/`: filter the list.
pub static FILTER: KeyHelp = key_help! {
    "/", "filter", "filter by name, state, metric or reason",
    SLASH_FILTER
};

/// `/` on the wall across envs, whose filter matches the env name too.
pub static WALL_FILTER: KeyHelp = key_help! {
    "/", "filter", "filter by env, name, state, metric or reason",
    SLASH_FILTER
};

/// Esc on a filtered list: clear the filter.
pub static CLEAR_FILTER: KeyHelp = key_help! { "Esc", "clear", "clear the filter", ESC_BACK };

/// `a`: ack.
pub static ACK: KeyHelp = key_help! {
    "a", "ack", "ack the alarm in ALARM (note optional)",
    [Plain(Char('a')) => Action::Ack]
};

/// `i`: the alarm's incident timeline.
pub static INCIDENT: KeyHelp = key_help! {
    "i", "incident", "incident timeline: state, metric, error lines, CloudTrail, acks on one axis",
    [Plain(Char('i')) => Action::Incident]
};

/// `H`: the shift handoff.
pub static HANDOFF: KeyHelp = key_help! {
    "H", "handoff", "shift handoff: episodes and flaps, acks, silences ending, still in ALARM, CloudTrail writes of the last 12h",
    [Plain(Char('H')) => Action::Handoff]
};

/// `[` `]`: the incident timeline's window.
pub static WINDOW: KeyHelp = key_help! {
    "[ ] or - +" ("[ ]"), "window", "narrow / widen the window (halve / double it, same end)",
    SHORTER_LONGER
};

/// Enter on a timeline entry: a log line's tail at its moment, any other
/// entry in full.
pub static OPEN_ENTRY: KeyHelp = key_help! {
    "Enter", "open", "a log line: its group's tail at that moment (L); else the entry in full (v)",
    ENTER_OPEN
};

/// `/` on the timeline: filter its entries.
pub static FILTER_ENTRIES: KeyHelp = key_help! {
    "/", "filter", "filter the entries by kind or text",
    SLASH_FILTER
};

/// `A` on a composite alarm: the alarms its rule names.
pub static RULE_ALARMS: KeyHelp = key_help! {
    "A", "rule", "a composite alarm: the alarms in its rule (Alarms tab)",
    [Plain(Char('A')) => Action::GotoAlarms]
};

/// `L` on a timeline entry or a CloudTrail event: its log group's tail at
/// that moment.
pub static GOTO_LOGS: KeyHelp = key_help! {
    "L", "logs", "the Logs tail of the log line's group, or of the changed function, at that moment",
    [Plain(Char('L')) => Action::GotoLogs]
};

/// `A` on a timeline entry or a CloudTrail event: the alarms watching what
/// it changed (or the other alarm it names).
pub static GOTO_ALARMS: KeyHelp = key_help! {
    "A", "alarms", "the alarms watching the resource the call changed (or the alarm named)",
    [Plain(Char('A')) => Action::GotoAlarms]
};

/// `E` on a timeline entry or a CloudTrail event: the resource's other
/// CloudTrail events.
pub static GOTO_EVENTS: KeyHelp = key_help! {
    "E", "events", "the CloudTrail events about the resource the call changed",
    [Plain(Char('E')) => Action::GotoEvents]
};

/// `s`: silence.
pub static SILENCE: KeyHelp = key_help! {
    "s", "silence", "silence the alarm (duration, note)",
    [Plain(Char('s')) => Action::Silence]
};

/// `u`: undo your ack (someone else's after a confirmation), else the silence.
pub static UNDO: KeyHelp = key_help! {
    "u", "undo", "undo: remove your ack, else the silence",
    [Plain(Char('u')) => Action::Undo]
};

/// `t`: test the notification path.
pub static TEST: KeyHelp = key_help! {
    "t", "test", "test: set the alarm to ALARM",
    [Plain(Char('t')) => Action::Test]
};

/// The four alarm keys, in the order the help lists them.
pub static ALARM_KEYS: [&KeyHelp; 4] = [&ACK, &SILENCE, &UNDO, &TEST];

/// `o`: cycle the sort.
pub static SORT: KeyHelp = key_help! {
    "o", "sort", "sort alarms: state, name, time in state",
    [Plain(Char('o')) => Action::CycleSort]
};

/// Esc in a view drawn over a tab: back to the tab.
pub static BACK: KeyHelp = key_help! {
    "Esc", "back", "close this view (back to where it was opened)",
    ESC_BACK
};

/// `[` `]`: the chart's (or dashboard's) range.
pub static RANGE: KeyHelp = key_help! {
    "[ ] or - +" ("[ ]"), "range", "shorter / longer range",
    SHORTER_LONGER
};

/// Enter on the dashboard list: open the dashboard.
pub static OPEN_DASHBOARD: KeyHelp = key_help! {
    "Enter", "open", "open the dashboard",
    ENTER_OPEN
};

/// `/` on the dashboard list.
pub static FILTER_DASHBOARDS: KeyHelp = key_help! {
    "/", "filter", "filter dashboards by name",
    SLASH_FILTER
};

/// `j`/`k` (and `h`/`l`, the arrows) on an open dashboard: the next or
/// previous widget in reading order.
pub static WIDGETS: KeyHelp = key_help! {
    "j/k, h/l, arrows" ("j/k"), "widget", "focus the next / previous widget",
    [
        Plain(Char('j')) => Action::Down,
        Plain(KeyCode::Down) => Action::Down,
        Plain(Char('l')) => Action::Down,
        Plain(KeyCode::Right) => Action::Down,
        Plain(Char('k')) => Action::Up,
        Plain(KeyCode::Up) => Action::Up,
        Plain(Char('h')) => Action::Up,
        Plain(KeyCode::Left) => Action::Up,
    ]
};

/// `g`/`G` on an open dashboard: the first or last widget.
pub static WIDGET_ENDS: KeyHelp = key_help! {
    "g/G, Home/End" ("g/G"), "ends", "first / last widget",
    TOP_BOTTOM
};

/// Enter or `z` on an open dashboard: zoom the focused widget.
pub static ZOOM: KeyHelp = key_help! {
    "Enter, z" ("z"), "zoom", "zoom the focused widget to the full screen (again: unzoom)",
    [Plain(KeyCode::Enter) => Action::Open, Plain(Char('z')) => Action::Open]
};

/// Esc on an open dashboard: unzoom, else back to the list.
pub static BACK_TO_DASHBOARDS: KeyHelp = key_help! {
    "Esc", "back", "unzoom, else back to the dashboard list",
    ESC_BACK
};

/// `j`/`k` in the detail view: scroll the text.
pub static SCROLL: KeyHelp = key_help! {
    "j/k, Down/Up" ("j/k"), "scroll", "scroll the text",
    UP_DOWN
};

/// Esc in a dialog: cancel without sending.
pub static CANCEL: KeyHelp = key_help! { "Esc", "cancel", "cancel: nothing is sent", ESC_BACK };

/// Enter in the ack prompt.
pub static SEND_ACK: KeyHelp = key_help! {
    "Enter", "ack", "ack with the note typed",
    ENTER_SUBMIT
};

/// The silence dialog's duration choice.
pub static DURATION: KeyHelp = key_help! {
    "←/→, ↑/↓" ("←/→"), "duration", "pick the duration",
    [
        Plain(KeyCode::Up) => Action::Up,
        Plain(KeyCode::Left) => Action::Up,
        Plain(KeyCode::Down) => Action::Down,
        Plain(KeyCode::Right) => Action::Down,
    ]
};

/// Tab in the silence dialog: the other field.
pub static NEXT_FIELD: KeyHelp = key_help! {
    "Tab", "note", "switch between duration and note",
    [Plain(KeyCode::Tab) => Action::NextField, Plain(KeyCode::BackTab) => Action::NextField]
};

/// Enter in the silence dialog.
pub static SEND_SILENCE: KeyHelp = key_help! { "Enter", "silence", "silence", ENTER_SUBMIT };

/// Enter in the confirmation.
pub static CONFIRM: KeyHelp = key_help! { "Enter", "confirm", "confirm", ENTER_SUBMIT };

/// Enter on the `:` or `/` line.
pub static ACCEPT: KeyHelp = key_help! { "Enter", "accept", "accept", ENTER_SUBMIT };

/// Esc on the `:` line: nothing is run.
pub static CANCEL_COMMAND: KeyHelp = key_help! {
    "Esc", "cancel", "cancel: nothing is run",
    ESC_BACK
};

/// Esc on the `/` line (and the other lines a tab opens: pattern, jump,
/// save): a filter or search typed there goes too.
pub static CLEAR_AND_CLOSE: KeyHelp = key_help! {
    "Esc", "cancel", "close the line; a filter or search typed there is cleared",
    ESC_BACK
};

/// Enter in the MFA dialog.
pub static SEND_CODE: KeyHelp = key_help! {
    "Enter", "sign in", "send the MFA code",
    ENTER_SUBMIT
};

/// Esc in the MFA dialog: the sign-in fails until `r`.
pub static CANCEL_SIGN_IN: KeyHelp = key_help! {
    "Esc", "cancel", "cancel: the env does not sign in until r",
    ESC_BACK
};

/// The MFA dialog's keys (besides typing the digits).
pub static MFA_KEYS: &[&KeyHelp] = &[&SEND_CODE, &CANCEL_SIGN_IN];

/// The ack prompt's keys (besides typing the note).
pub static ACK_PROMPT_KEYS: &[&KeyHelp] = &[&SEND_ACK, &CANCEL];
/// The silence dialog's keys (besides typing).
pub static SILENCE_KEYS: &[&KeyHelp] = &[&DURATION, &NEXT_FIELD, &SEND_SILENCE, &CANCEL];
/// The confirmation's keys (besides typing the env name).
pub static CONFIRM_KEYS: &[&KeyHelp] = &[&CONFIRM, &CANCEL];
/// The `:` line's keys (besides typing).
pub static COMMAND_LINE_KEYS: &[&KeyHelp] = &[&ACCEPT, &CANCEL_COMMAND];
/// The `/` line's keys (besides typing).
pub static FILTER_LINE_KEYS: &[&KeyHelp] = &[&ACCEPT, &CLEAR_AND_CLOSE];

/// The keys of an open input line (where no line is open, the focused
/// component decides); typing fills in the rest.
pub fn mode_keys(mode: &Mode) -> Option<&'static [&'static KeyHelp]> {
    match mode {
        Mode::Normal => None,
        Mode::Command(_) => Some(COMMAND_LINE_KEYS),
        Mode::Filter(_) => Some(FILTER_LINE_KEYS),
    }
}

/// What every key press means before anything else: nothing for a key
/// release, quitting for Ctrl-c; `None` for any other key.
fn always(key: &KeyEvent) -> Option<Option<Action>> {
    if key.kind == KeyEventKind::Release {
        return Some(None);
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c') {
        return Some(Some(Action::Quit));
    }
    None
}

/// Translates a key press into an action where no dialog is open: Ctrl-c
/// quits everywhere; an input line takes its own keys and typing; with no
/// line `focused` (the focused component's keymap) comes before
/// [`GLOBAL`].
pub fn action_for(key: KeyEvent, mode: &Mode, focused: &[&'static KeyHelp]) -> Option<Action> {
    if let Some(action) = always(&key) {
        return action;
    }
    match mode_keys(mode) {
        Some(keys) => lookup(&key, &[keys]).or_else(|| typing(&key)),
        None => lookup(&key, &[focused, GLOBAL]),
    }
}

/// Translates a key press while the `?` help is open: its scrolling keys,
/// and any other key closes it.
pub fn help_action(key: KeyEvent) -> Option<Action> {
    if let Some(action) = always(&key) {
        return action;
    }
    lookup(&key, &[&[&MOVE, &PAGE, &ENDS]]).or(Some(Action::Back))
}

/// Translates a key press while something edits text (a dialog, or the
/// focused component's form field): Ctrl-c still quits; its own keys
/// (`keymap`) come next; every other character types.
pub fn typing_action(key: KeyEvent, keymap: &[&'static KeyHelp]) -> Option<Action> {
    if let Some(action) = always(&key) {
        return action;
    }
    lookup(&key, &[keymap]).or_else(|| typing(&key))
}

fn typing(key: &KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Backspace => Some(Action::Backspace),
        Char(c) => Some(Action::Input(c)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn global_keys_work_after_the_focused_keymap() {
        let m = Mode::Normal;
        let focused: &[&KeyHelp] = &[&MOVE, &PAGE, &ACK, &UNDO];
        assert_eq!(
            action_for(key(Char('q')), &m, focused),
            Some(Action::BackOrQuit)
        );
        assert_eq!(
            action_for(key(Char('3')), &m, focused),
            Some(Action::GoTab(3))
        );
        assert_eq!(action_for(key(Char('j')), &m, focused), Some(Action::Down));
        assert_eq!(action_for(key(Char('x')), &m, focused), None);
        assert_eq!(action_for(key(Char('a')), &m, focused), Some(Action::Ack));
        assert_eq!(action_for(key(Char('a')), &m, &[]), None);
        let ctrl_u = KeyEvent::new(Char('u'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_u, &m, focused), Some(Action::PageUp));
        assert_eq!(action_for(key(Char('u')), &m, focused), Some(Action::Undo));
    }

    #[test]
    fn silence_dialog_keys_pick_and_type() {
        let m = SILENCE_KEYS;
        assert_eq!(typing_action(key(KeyCode::Tab), m), Some(Action::NextField));
        assert_eq!(typing_action(key(KeyCode::Right), m), Some(Action::Down));
        assert_eq!(typing_action(key(Char('s')), m), Some(Action::Input('s')));
        assert_eq!(typing_action(key(KeyCode::Enter), m), Some(Action::Submit));
    }

    #[test]
    fn input_mode_types_letters_instead_of_acting() {
        let m = Mode::Filter(String::new());
        assert_eq!(
            action_for(key(Char('q')), &m, &[&MOVE]),
            Some(Action::Input('q'))
        );
        assert_eq!(action_for(key(KeyCode::Esc), &m, &[]), Some(Action::Back));
        let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c, &m, &[]), Some(Action::Quit));
        assert_eq!(help_action(key(Char('x'))), Some(Action::Back));
        assert_eq!(help_action(key(Char('j'))), Some(Action::Down));
    }
}
