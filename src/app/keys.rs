//! Key bindings: which key means which [`Action`] in which [`Mode`].

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::state::Mode;

/// Every binding of normal mode, for the help screen: (keys, what).
pub const HELP: &[(&str, &str)] = &[
    ("?", "this help"),
    (":", "command line (:env NAME, :theme NAME, :q)"),
    ("/", "filter the current list"),
    ("1-5, Tab, Shift-Tab", "switch tab"),
    ("j/k, Down/Up", "move"),
    ("g/G, Home/End", "first / last row"),
    ("PgUp/PgDn, Ctrl-u/Ctrl-d", "page up / down"),
    ("Enter", "open the alarm's detail"),
    ("Esc", "back, clear filter, close"),
    ("a", "ack the alarm in ALARM (note optional)"),
    ("s", "silence the alarm (duration, note)"),
    ("u", "undo: remove the ack, else the silence"),
    ("t", "test: set the alarm to ALARM"),
    ("o", "sort alarms: state, name, time in state"),
    ("[ ] or - +", "detail: shorter / longer chart range"),
    ("r", "refresh now"),
    ("q, Ctrl-c", "quit"),
];

/// Translates a key press into an action for the current mode.
pub fn action_for(key: KeyEvent, mode: &Mode) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Command(_) | Mode::Filter(_) | Mode::Ack(_) | Mode::Confirm(_) => input_action(key),
        Mode::Silence(_) => dialog_action(key),
        Mode::Help => match key.code {
            KeyCode::Char('q') => Some(Action::Quit),
            _ => Some(Action::Back),
        },
        Mode::Normal => normal_action(key, ctrl),
    }
}

fn input_action(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Char(c) => Some(Action::Input(c)),
        _ => None,
    }
}

/// The silence dialog: arrows pick the duration, Tab moves to the note.
fn dialog_action(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Tab | KeyCode::BackTab => Some(Action::NextField),
        KeyCode::Up | KeyCode::Left => Some(Action::Up),
        KeyCode::Down | KeyCode::Right => Some(Action::Down),
        _ => input_action(key),
    }
}

fn normal_action(key: KeyEvent, ctrl: bool) -> Option<Action> {
    let action = match key.code {
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char(':') => Action::StartCommand,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Tab => Action::NextTab,
        KeyCode::BackTab => Action::PrevTab,
        KeyCode::Esc => Action::Back,
        KeyCode::Enter => Action::Open,
        KeyCode::Char('a') => Action::Ack,
        KeyCode::Char('s') => Action::Silence,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('t') => Action::Test,
        KeyCode::Char('o') => Action::CycleSort,
        KeyCode::Char(']' | '+') => Action::RangeLonger,
        KeyCode::Char('[' | '-') => Action::RangeShorter,
        KeyCode::Char(c @ '1'..='5') => Action::GoTab(c as usize - '0' as usize),
        _ => return None,
    };
    Some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn normal_mode_bindings() {
        let m = Mode::Normal;
        assert_eq!(action_for(key(KeyCode::Char('q')), &m), Some(Action::Quit));
        assert_eq!(
            action_for(key(KeyCode::Char('3')), &m),
            Some(Action::GoTab(3))
        );
        assert_eq!(action_for(key(KeyCode::Char('j')), &m), Some(Action::Down));
        assert_eq!(action_for(key(KeyCode::Char('x')), &m), None);
        assert_eq!(action_for(key(KeyCode::Enter), &m), Some(Action::Open));
        assert_eq!(action_for(key(KeyCode::Char('a')), &m), Some(Action::Ack));
        assert_eq!(
            action_for(key(KeyCode::Char('+')), &m),
            Some(Action::RangeLonger)
        );
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_u, &m), Some(Action::PageUp));
    }

    #[test]
    fn silence_dialog_keys_pick_and_type() {
        let m = Mode::Silence(crate::app::dialog::SilenceForm::new("a".into()));
        assert_eq!(action_for(key(KeyCode::Tab), &m), Some(Action::NextField));
        assert_eq!(action_for(key(KeyCode::Right), &m), Some(Action::Down));
        assert_eq!(
            action_for(key(KeyCode::Char('s')), &m),
            Some(Action::Input('s'))
        );
        assert_eq!(action_for(key(KeyCode::Enter), &m), Some(Action::Submit));
    }

    #[test]
    fn input_mode_types_letters_instead_of_acting() {
        let m = Mode::Filter(String::new());
        assert_eq!(
            action_for(key(KeyCode::Char('q')), &m),
            Some(Action::Input('q'))
        );
        assert_eq!(action_for(key(KeyCode::Esc), &m), Some(Action::Back));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c, &m), Some(Action::Quit));
    }
}
