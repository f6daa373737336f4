//! Key bindings. The app's own keys ([`GLOBAL`]), the entries tabs put in
//! their keymaps, and the keys of the dialogs and input lines. Which key
//! means what in normal mode is decided by the focused component's keymap,
//! then [`GLOBAL`] (see [`action_for`]).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::component::{Key, KeyHelp, lookup};
use super::state::Mode;

use Key::{Ctrl, Plain};
use KeyCode::Char;

/// `?`: the help overlay.
pub static HELP: KeyHelp = KeyHelp {
    keys: "?",
    what: "this help",
    short: "?",
    hint: "help",
    map: &[(Plain(Char('?')), Action::Help)],
};

/// `:`: the command line.
pub static COMMAND: KeyHelp = KeyHelp {
    keys: ":",
    what: "command line (:env NAME, :theme NAME, :q)",
    short: ":",
    hint: "cmd",
    map: &[(Plain(Char(':')), Action::StartCommand)],
};

/// `1`-`5`, Tab, Shift-Tab: switch tab.
pub static TABS: KeyHelp = KeyHelp {
    keys: "1-5, Tab, Shift-Tab",
    what: "switch tab",
    short: "1-5",
    hint: "tabs",
    map: &[
        (Plain(Char('1')), Action::GoTab(1)),
        (Plain(Char('2')), Action::GoTab(2)),
        (Plain(Char('3')), Action::GoTab(3)),
        (Plain(Char('4')), Action::GoTab(4)),
        (Plain(Char('5')), Action::GoTab(5)),
        (Plain(KeyCode::Tab), Action::NextTab),
        (Plain(KeyCode::BackTab), Action::PrevTab),
    ],
};

/// `r`: refresh now.
pub static REFRESH: KeyHelp = KeyHelp {
    keys: "r",
    what: "refresh now",
    short: "r",
    hint: "refresh",
    map: &[(Plain(Char('r')), Action::Refresh)],
};

/// `q`, Ctrl-c: quit.
pub static QUIT: KeyHelp = KeyHelp {
    keys: "q, Ctrl-c",
    what: "quit",
    short: "q",
    hint: "quit",
    map: &[(Plain(Char('q')), Action::Quit), (Ctrl('c'), Action::Quit)],
};

/// Keys that work on every screen, after the focused component's own.
pub static GLOBAL: &[&KeyHelp] = &[&HELP, &COMMAND, &TABS, &REFRESH, &QUIT];

/// `j`/`k` and the arrows: one row (or line) down or up.
const UP_DOWN: &[(Key, Action)] = &[
    (Plain(Char('j')), Action::Down),
    (Plain(KeyCode::Down), Action::Down),
    (Plain(Char('k')), Action::Up),
    (Plain(KeyCode::Up), Action::Up),
];

/// `j`/`k`: move the selection.
pub static MOVE: KeyHelp = KeyHelp {
    keys: "j/k, Down/Up",
    what: "move",
    short: "j/k",
    hint: "move",
    map: UP_DOWN,
};

/// `g`/`G`: first and last row.
pub static ENDS: KeyHelp = KeyHelp {
    keys: "g/G, Home/End",
    what: "first / last row",
    short: "g/G",
    hint: "ends",
    map: &[
        (Plain(Char('g')), Action::Top),
        (Plain(KeyCode::Home), Action::Top),
        (Plain(Char('G')), Action::Bottom),
        (Plain(KeyCode::End), Action::Bottom),
    ],
};

/// Page up and down.
pub static PAGE: KeyHelp = KeyHelp {
    keys: "PgUp/PgDn, Ctrl-u/Ctrl-d",
    what: "page up / down",
    short: "PgUp/PgDn",
    hint: "page",
    map: &[
        (Plain(KeyCode::PageUp), Action::PageUp),
        (Ctrl('u'), Action::PageUp),
        (Plain(KeyCode::PageDown), Action::PageDown),
        (Ctrl('d'), Action::PageDown),
    ],
};

/// Enter: open the selected alarm's detail.
pub static OPEN: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "open the alarm's detail",
    short: "Enter",
    hint: "detail",
    map: &[(Plain(KeyCode::Enter), Action::Open)],
};

/// `/`: filter the list.
pub static FILTER: KeyHelp = KeyHelp {
    keys: "/",
    what: "filter by name, state, metric or reason",
    short: "/",
    hint: "filter",
    map: &[(Plain(Char('/')), Action::StartFilter)],
};

/// Esc on a filtered list: clear the filter.
pub static CLEAR_FILTER: KeyHelp = KeyHelp {
    keys: "Esc",
    what: "clear the filter",
    short: "Esc",
    hint: "clear",
    map: &[(Plain(KeyCode::Esc), Action::Back)],
};

/// `a`: ack.
pub static ACK: KeyHelp = KeyHelp {
    keys: "a",
    what: "ack the alarm in ALARM (note optional)",
    short: "a",
    hint: "ack",
    map: &[(Plain(Char('a')), Action::Ack)],
};

/// `i`: the alarm's incident timeline.
pub static INCIDENT: KeyHelp = KeyHelp {
    keys: "i",
    what: "incident timeline: state, metric, error lines, CloudTrail, acks on one axis",
    short: "i",
    hint: "incident",
    map: &[(Plain(Char('i')), Action::Incident)],
};

/// `[` `]`: the incident timeline's window.
pub static WINDOW: KeyHelp = KeyHelp {
    keys: "[ ] or - +",
    what: "narrow / widen the window (halve / double it, same end)",
    short: "[ ]",
    hint: "window",
    map: &[
        (Plain(Char('[')), Action::RangeShorter),
        (Plain(Char('-')), Action::RangeShorter),
        (Plain(Char(']')), Action::RangeLonger),
        (Plain(Char('+')), Action::RangeLonger),
    ],
};

/// Enter on a timeline entry: it in full.
pub static OPEN_ENTRY: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "the selected log line or CloudTrail event in full",
    short: "Enter",
    hint: "full",
    map: &[(Plain(KeyCode::Enter), Action::Open)],
};

/// `s`: silence.
pub static SILENCE: KeyHelp = KeyHelp {
    keys: "s",
    what: "silence the alarm (duration, note)",
    short: "s",
    hint: "silence",
    map: &[(Plain(Char('s')), Action::Silence)],
};

/// `u`: undo the ack, else the silence.
pub static UNDO: KeyHelp = KeyHelp {
    keys: "u",
    what: "undo: remove the ack, else the silence",
    short: "u",
    hint: "undo",
    map: &[(Plain(Char('u')), Action::Undo)],
};

/// `t`: test the notification path.
pub static TEST: KeyHelp = KeyHelp {
    keys: "t",
    what: "test: set the alarm to ALARM",
    short: "t",
    hint: "test",
    map: &[(Plain(Char('t')), Action::Test)],
};

/// The four alarm keys, in the order the help lists them.
pub static ALARM_KEYS: [&KeyHelp; 4] = [&ACK, &SILENCE, &UNDO, &TEST];

/// `o`: cycle the sort.
pub static SORT: KeyHelp = KeyHelp {
    keys: "o",
    what: "sort alarms: state, name, time in state",
    short: "o",
    hint: "sort",
    map: &[(Plain(Char('o')), Action::CycleSort)],
};

/// Esc in a view drawn over a tab: back to the tab.
pub static BACK: KeyHelp = KeyHelp {
    keys: "Esc",
    what: "back to the list",
    short: "Esc",
    hint: "back",
    map: &[(Plain(KeyCode::Esc), Action::Back)],
};

/// `[` `]`: the chart's (or dashboard's) range.
pub static RANGE: KeyHelp = KeyHelp {
    keys: "[ ] or - +",
    what: "shorter / longer range",
    short: "[ ]",
    hint: "range",
    map: &[
        (Plain(Char('[')), Action::RangeShorter),
        (Plain(Char('-')), Action::RangeShorter),
        (Plain(Char(']')), Action::RangeLonger),
        (Plain(Char('+')), Action::RangeLonger),
    ],
};

/// Enter on the dashboard list: open the dashboard.
pub static OPEN_DASHBOARD: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "open the dashboard",
    short: "Enter",
    hint: "open",
    map: &[(Plain(KeyCode::Enter), Action::Open)],
};

/// `/` on the dashboard list.
pub static FILTER_DASHBOARDS: KeyHelp = KeyHelp {
    keys: "/",
    what: "filter dashboards by name",
    short: "/",
    hint: "filter",
    map: &[(Plain(Char('/')), Action::StartFilter)],
};

/// `j`/`k` (and `h`/`l`, the arrows) on an open dashboard: the next or
/// previous widget in reading order.
pub static WIDGETS: KeyHelp = KeyHelp {
    keys: "j/k, h/l, arrows",
    what: "focus the next / previous widget",
    short: "j/k",
    hint: "widget",
    map: &[
        (Plain(Char('j')), Action::Down),
        (Plain(KeyCode::Down), Action::Down),
        (Plain(Char('l')), Action::Down),
        (Plain(KeyCode::Right), Action::Down),
        (Plain(Char('k')), Action::Up),
        (Plain(KeyCode::Up), Action::Up),
        (Plain(Char('h')), Action::Up),
        (Plain(KeyCode::Left), Action::Up),
    ],
};

/// `g`/`G` on an open dashboard: the first or last widget.
pub static WIDGET_ENDS: KeyHelp = KeyHelp {
    keys: "g/G, Home/End",
    what: "first / last widget",
    short: "g/G",
    hint: "ends",
    map: &[
        (Plain(Char('g')), Action::Top),
        (Plain(KeyCode::Home), Action::Top),
        (Plain(Char('G')), Action::Bottom),
        (Plain(KeyCode::End), Action::Bottom),
    ],
};

/// Enter or `z` on an open dashboard: zoom the focused widget.
pub static ZOOM: KeyHelp = KeyHelp {
    keys: "Enter, z",
    what: "zoom the focused widget to the full screen (again: unzoom)",
    short: "z",
    hint: "zoom",
    map: &[
        (Plain(KeyCode::Enter), Action::Open),
        (Plain(Char('z')), Action::Open),
    ],
};

/// `i` on an open dashboard: the next auto-refresh interval.
pub static AUTO_REFRESH: KeyHelp = KeyHelp {
    keys: "i",
    what: "auto-refresh: off, 10s, 1m, 5m, 15m",
    short: "i",
    hint: "interval",
    map: &[(Plain(Char('i')), Action::CycleAutoRefresh)],
};

/// Esc on an open dashboard: unzoom, else back to the list.
pub static BACK_TO_DASHBOARDS: KeyHelp = KeyHelp {
    keys: "Esc",
    what: "unzoom, else back to the dashboard list",
    short: "Esc",
    hint: "back",
    map: &[(Plain(KeyCode::Esc), Action::Back)],
};

/// `j`/`k` in the detail view: scroll the text.
pub static SCROLL: KeyHelp = KeyHelp {
    keys: "j/k, Down/Up",
    what: "scroll the text",
    short: "j/k",
    hint: "scroll",
    map: UP_DOWN,
};

/// Esc in a dialog: cancel without sending.
pub static CANCEL: KeyHelp = KeyHelp {
    keys: "Esc",
    what: "cancel: nothing is sent",
    short: "Esc",
    hint: "cancel",
    map: &[(Plain(KeyCode::Esc), Action::Back)],
};

/// Enter in the ack prompt.
pub static SEND_ACK: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "ack with the note typed",
    short: "Enter",
    hint: "ack",
    map: &[(Plain(KeyCode::Enter), Action::Submit)],
};

/// The silence dialog's duration choice.
pub static DURATION: KeyHelp = KeyHelp {
    keys: "←/→, ↑/↓",
    what: "pick the duration",
    short: "←/→",
    hint: "duration",
    map: &[
        (Plain(KeyCode::Up), Action::Up),
        (Plain(KeyCode::Left), Action::Up),
        (Plain(KeyCode::Down), Action::Down),
        (Plain(KeyCode::Right), Action::Down),
    ],
};

/// Tab in the silence dialog: the other field.
pub static NEXT_FIELD: KeyHelp = KeyHelp {
    keys: "Tab",
    what: "switch between duration and note",
    short: "Tab",
    hint: "note",
    map: &[
        (Plain(KeyCode::Tab), Action::NextField),
        (Plain(KeyCode::BackTab), Action::NextField),
    ],
};

/// Enter in the silence dialog.
pub static SEND_SILENCE: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "silence",
    short: "Enter",
    hint: "silence",
    map: &[(Plain(KeyCode::Enter), Action::Submit)],
};

/// Enter in the confirmation.
pub static CONFIRM: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "confirm",
    short: "Enter",
    hint: "confirm",
    map: &[(Plain(KeyCode::Enter), Action::Submit)],
};

/// Enter on the `:` or `/` line.
pub static ACCEPT: KeyHelp = KeyHelp {
    keys: "Enter",
    what: "accept",
    short: "Enter",
    hint: "accept",
    map: &[(Plain(KeyCode::Enter), Action::Submit)],
};

/// The ack prompt's keys (besides typing the note).
pub static ACK_PROMPT_KEYS: &[&KeyHelp] = &[&SEND_ACK, &CANCEL];
/// The silence dialog's keys (besides typing).
pub static SILENCE_KEYS: &[&KeyHelp] = &[&DURATION, &NEXT_FIELD, &SEND_SILENCE, &CANCEL];
/// The confirmation's keys (besides typing the env name).
pub static CONFIRM_KEYS: &[&KeyHelp] = &[&CONFIRM, &CANCEL];
/// The `:` and `/` lines' keys (besides typing).
pub static LINE_KEYS: &[&KeyHelp] = &[&ACCEPT, &CANCEL];

/// The keys of a mode other than normal (where the focused component
/// decides); typing fills in the rest.
pub fn mode_keys(mode: &Mode) -> Option<&'static [&'static KeyHelp]> {
    match mode {
        Mode::Normal | Mode::Help => None,
        Mode::Command(_) | Mode::Filter(_) => Some(LINE_KEYS),
        Mode::Ack(_) => Some(ACK_PROMPT_KEYS),
        Mode::Silence(_) => Some(SILENCE_KEYS),
        Mode::Confirm(_) => Some(CONFIRM_KEYS),
    }
}

/// Translates a key press into an action: Ctrl-c quits everywhere; a dialog
/// or input line takes its own keys and typing; the help closes on any key;
/// in normal mode `focused` (the focused component's keymap) comes before
/// [`GLOBAL`].
pub fn action_for(key: KeyEvent, mode: &Mode, focused: &[&'static KeyHelp]) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c') {
        return Some(Action::Quit);
    }
    if let Some(keys) = mode_keys(mode) {
        return lookup(&key, &[keys]).or_else(|| typing(&key));
    }
    match mode {
        Mode::Help => match key.code {
            Char('q') => Some(Action::Quit),
            _ => Some(Action::Back),
        },
        _ => lookup(&key, &[focused, GLOBAL]),
    }
}

/// Translates a key press while the focused component edits text in
/// place: Ctrl-c still quits; its own keys (`keymap`) come next; every
/// other character types.
pub fn typing_action(key: KeyEvent, keymap: &[&'static KeyHelp]) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c') {
        return Some(Action::Quit);
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
        assert_eq!(action_for(key(Char('q')), &m, focused), Some(Action::Quit));
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
        let m = Mode::Silence(crate::app::dialog::SilenceForm::new("a".into()));
        assert_eq!(
            action_for(key(KeyCode::Tab), &m, &[]),
            Some(Action::NextField)
        );
        assert_eq!(action_for(key(KeyCode::Right), &m, &[]), Some(Action::Down));
        assert_eq!(
            action_for(key(Char('s')), &m, &[]),
            Some(Action::Input('s'))
        );
        assert_eq!(
            action_for(key(KeyCode::Enter), &m, &[]),
            Some(Action::Submit)
        );
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
        assert_eq!(
            action_for(key(Char('x')), &Mode::Help, &[]),
            Some(Action::Back)
        );
    }
}
