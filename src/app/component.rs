//! The shape every tab, and the detail view drawn over a tab, follows
//! (modelled on gitui's `Component`): it owns its state, says which keys it
//! answers to and what they do ([`KeyHelp`]), turns actions into changes of
//! its state, and takes note of data events. Its drawing lives beside it in
//! `ui/` (`ui::component::Drawable`). The footer and the `?` help are built
//! from the same [`KeyHelp`] tables that route the keys, so they cannot say
//! a key does something it does not.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Effect};
use super::alarm_list::AlarmList;
use crate::data::{DataCommand, DataEvent};

/// A key a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// This key, whatever the modifiers (Shift is part of `?` and `G`).
    Plain(KeyCode),
    /// This letter with Ctrl held.
    Ctrl(char),
}

/// One line of the `?` help (and possibly one entry of a footer): some
/// keys, what they do, and which action each of them means.
#[derive(Debug)]
pub struct KeyHelp {
    /// The keys as the help lists them: `j/k, Down/Up`.
    pub keys: &'static str,
    /// What they do, as the help says it.
    pub what: &'static str,
    /// The keys as the footer shows them: `j/k`.
    pub short: &'static str,
    /// What they do in one word, for the footer: `move`.
    pub hint: &'static str,
    /// Which key means which action.
    pub map: &'static [(Key, Action)],
}

/// Builds a [`KeyHelp`] in a few lines, so the key tables read as tables:
/// the keys as the help lists them (then, in parentheses, as the footer
/// shows them where that is shorter), the footer's one word, what the keys
/// do, and the bindings: `[key => action, ...]` or a shared table such as
/// [`keys::ESC_BACK`](super::keys::ESC_BACK). Written with braces
/// (`key_help! { ... }`) so rustfmt keeps the table layout.
macro_rules! key_help {
    (
        $keys:literal $(($short:literal))?, $hint:literal, $what:literal,
        [$($key:expr => $action:expr),+ $(,)?]
    ) => {
        $crate::app::component::key_help! {
            $keys $(($short))?, $hint, $what, &[$(($key, $action)),+]
        }
    };
    ($keys:literal, $hint:literal, $what:literal, $map:expr) => {
        $crate::app::component::key_help! { $keys ($keys), $hint, $what, $map }
    };
    ($keys:literal ($short:literal), $hint:literal, $what:literal, $map:expr) => {
        $crate::app::component::KeyHelp {
            keys: $keys,
            what: $what,
            short: $short,
            hint: $hint,
            map: $map,
        }
    };
}
pub(crate) use key_help;

/// Declares a table of one-letter keys, each meaning one action: the help
/// and the footer show the letter itself. A row is
/// `NAME: "x", "hint", "what it does" => action;`, after its attributes
/// (a doc comment where the static is public).
macro_rules! letter_keys {
    ($($(#[$attr:meta])* $vis:vis $name:ident: $letter:literal, $hint:literal, $what:literal
        => $action:expr;)+) => {
        $(
            $(#[$attr])*
            $vis static $name: $crate::app::component::KeyHelp = $crate::app::component::key_help! {
                $letter, $hint, $what,
                [
                    $crate::app::component::Key::Plain(
                        crossterm::event::KeyCode::Char($letter.as_bytes()[0] as char)
                    ) => $action
                ]
            };
        )+
    };
}
pub(crate) use letter_keys;

/// Declares the keys only one tab or view answers to, in its own file: a
/// fieldless enum (its doc comments and variants as written) with
/// `action()`, the [`Action::Tab`] each key means (a const fn, for the key
/// tables), and `of(action)`, the key an action is if it is one of these
/// and not another component's (see [`TabKey`](super::action::TabKey)).
macro_rules! tab_keys {
    ($(#[$attr:meta])* $vis:vis enum $name:ident {
        $($(#[$key_attr:meta])* $key:ident,)+
    }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$key_attr])* $key,)+
        }

        impl $name {
            /// Whose keys these are: the enum's path, unique in the crate.
            const OWNER: &'static str = concat!(module_path!(), "::", stringify!($name));

            /// The action this key means.
            $vis const fn action(self) -> $crate::app::action::Action {
                let name = match self {
                    $(Self::$key => stringify!($key),)+
                };
                $crate::app::action::Action::Tab($crate::app::action::TabKey::new(Self::OWNER, name))
            }

            /// The key `action` is, if it is one of these.
            $vis fn of(action: &$crate::app::action::Action) -> Option<Self> {
                match action.tab_key(Self::OWNER)? {
                    $(stringify!($key) => Some(Self::$key),)+
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use tab_keys;

/// Names a component's own keys on `Action`, in the component's file:
/// each row `/// doc` `Name;` becomes `Action::Name`, an [`Action::Tab`]
/// of this module (a const, so key tables and `match` arms use it like a
/// variant). For a few keys; [`tab_keys!`] declares many as an enum.
macro_rules! tab_actions {
    ($($(#[$attr:meta])* $name:ident;)+) => {
        #[allow(non_upper_case_globals)]
        impl $crate::app::action::Action {
            $(
                $(#[$attr])*
                pub const $name: $crate::app::action::Action = $crate::app::action::Action::Tab(
                    $crate::app::action::TabKey::new(module_path!(), stringify!($name)),
                );
            )+
        }
    };
}
pub(crate) use tab_actions;

/// The action the first matching binding of `keymaps` gives `key`, earlier
/// keymaps first. Ctrl bindings are tried before plain ones, so Ctrl-u pages
/// up rather than undoing.
pub fn lookup(key: &KeyEvent, keymaps: &[&[&KeyHelp]]) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let bindings = || {
        keymaps
            .iter()
            .flat_map(|keymap| keymap.iter())
            .flat_map(|help| help.map.iter())
    };
    if ctrl
        && let KeyCode::Char(c) = key.code
        && let Some((_, action)) = bindings().find(|(k, _)| *k == Key::Ctrl(c))
    {
        return Some(*action);
    }
    bindings()
        .find(|(k, _)| *k == Key::Plain(key.code))
        .map(|(_, action)| *action)
}

/// What the shared part of the app lends a component while it updates.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The latest alarm list (every tab sees the same one).
    pub alarms: &'a Arc<AlarmList>,
    /// Rows that fit in the body as last drawn (for paging).
    pub page_rows: usize,
}

/// How far a movement key moves a list's selection (or a view's scroll):
/// rows for `j`/`k`, a page for PgUp/PgDn, all the way for `g`/`G`; `None`
/// for any other action. Every list-like component shares these keys.
pub fn movement(action: &Action, page_rows: usize) -> Option<isize> {
    let page = page_rows.max(1) as isize;
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        Action::PageUp => -page,
        Action::PageDown => page,
        _ => return None,
    })
}

/// `index` moved by `delta` rows within a list of `len` rows (0 when the
/// list is empty): every list's selection moves this way.
pub fn moved(index: usize, delta: isize, len: usize) -> usize {
    let last = len.saturating_sub(1) as isize;
    (index as isize).saturating_add(delta).clamp(0, last.max(0)) as usize
}

/// A list's selection: the selected row and the identity of the item on
/// it (an alarm's name, an event's id). When the rows change under it (a
/// refresh, a new sort or filter), [`Selection::follow`] puts it back on
/// the same item wherever that went, so Enter opens what the person
/// selected, not whatever moved into its row. `key_at(row)` names the item
/// on a row (borrowed, `&str` for a `String` key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection<K> {
    row: usize,
    key: Option<K>,
}

impl<K> Default for Selection<K> {
    fn default() -> Self {
        Self { row: 0, key: None }
    }
}

impl<K> Selection<K> {
    /// The selected row (0 on an empty list).
    pub fn row(&self) -> usize {
        self.row
    }

    /// The identity of the selected item, if there is one.
    pub fn key(&self) -> Option<&K> {
        self.key.as_ref()
    }

    /// Points at the item `key`: the next [`Selection::follow`] puts the
    /// selection on it (a caller that selects an item by name).
    pub fn point_at(&mut self, key: K) {
        self.key = Some(key);
    }

    /// Moves by `delta` rows among `len` (see [`moved`]) and takes note of
    /// the item it lands on.
    pub fn move_by<Q: Into<K>>(&mut self, delta: isize, len: usize, key_at: impl Fn(usize) -> Q) {
        self.row = moved(self.row, delta, len);
        self.key = (self.row < len).then(|| key_at(self.row).into());
    }

    /// Selects the first row.
    pub fn first<Q: Into<K>>(&mut self, len: usize, key_at: impl Fn(usize) -> Q) {
        self.row = 0;
        self.move_by(0, len, key_at);
    }

    /// After the rows changed: back on the item selected before, else (it
    /// went) on the same row, kept within the list. Returns whether the
    /// item is still there.
    pub fn follow<Q>(&mut self, len: usize, key_at: impl Fn(usize) -> Q) -> bool
    where
        Q: PartialEq<K> + Into<K>,
    {
        let found = self
            .key
            .as_ref()
            .and_then(|key| (0..len).find(|&row| key_at(row) == *key));
        if let Some(row) = found {
            self.row = row;
        }
        self.move_by(0, len, key_at);
        found.is_some()
    }

    /// After a new filter: back on the item selected before if it passes,
    /// else on the first row.
    pub fn follow_or_first<Q>(&mut self, len: usize, key_at: impl Fn(usize) -> Q)
    where
        Q: PartialEq<K> + Into<K>,
    {
        if !self.follow(len, &key_at) {
            self.first(len, key_at);
        }
    }
}

/// `scroll` moved by `delta` lines, kept within 0 and `u16::MAX` (what
/// ratatui scrolls by): the text views share it.
pub fn scrolled(scroll: u16, delta: isize) -> u16 {
    (scroll as isize + delta).clamp(0, u16::MAX as isize) as u16
}

/// The `keymap` and `footer` of a component whose keys do not change with
/// its state: one line in its `impl Component` instead of two methods.
macro_rules! fixed_keys {
    ($keymap:expr, $footer:expr) => {
        fn keymap(&self) -> &'static [&'static $crate::app::component::KeyHelp] {
            $keymap
        }

        fn footer(&self) -> &'static [&'static $crate::app::component::KeyHelp] {
            $footer
        }
    };
}
pub(crate) use fixed_keys;

/// What a component asks of the app after an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Not this component's business: the app handles it or ignores it.
    Ignored,
    /// Handled; nothing else to do.
    Done,
    /// Handled; the app must see to this outside effect.
    Effect(Effect),
    /// Handled; the app shows this message.
    Flash(String),
    /// Open the detail view of this alarm over the tab.
    OpenDetail(String),
    /// Jump to another view (another tab, the Logs tail at a moment).
    Goto(super::goto::Goto),
    /// Close this component (a view over the tab: the top of the stack).
    Close,
    /// Open the input line on the component's [`Component::filter`] text,
    /// labelled with its [`Component::filter_label`].
    Prompt,
}

/// What Enter on the input line leads to.
#[derive(Debug, Default, PartialEq)]
pub struct Submitted {
    /// A message to flash (`Err` for a failure).
    pub flash: Option<Result<String, String>>,
    /// Something for outside to do (a fetch the input asked for).
    pub effect: Option<Effect>,
}

impl Submitted {
    /// Only a message to flash.
    pub fn flash(flash: Option<Result<String, String>>) -> Self {
        Self {
            flash,
            effect: None,
        }
    }
}

/// A tab, or a view drawn over one, as the app routes to it.
pub trait Component {
    /// Every key it answers to, for routing and for the `?` help.
    fn keymap(&self) -> &'static [&'static KeyHelp];

    /// The keys the footer shows while it has the focus, most important
    /// first. Each is in its keymap or the app's global keymap.
    fn footer(&self) -> &'static [&'static KeyHelp];

    /// Applies an action its keymap (or the app) produced.
    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply;

    /// Takes note of a data event. Every component sees every event (after
    /// the app has updated the shared alarm list), focused or not, so a tab
    /// is current when it is shown again.
    fn apply(&mut self, event: &DataEvent, ctx: &Context<'_>);

    /// The name of the alarm the alarm keys (ack, silence, undo, test) act
    /// on, if it points at one.
    fn target_alarm(&self) -> Option<&str> {
        None
    }

    /// What `y` copies here besides the target alarm's name (a log line,
    /// an event's JSON), if anything.
    fn copy_text(&self) -> Option<String> {
        None
    }

    /// Its `/` filter, if it has one.
    fn filter(&self) -> Option<&str> {
        None
    }

    /// Sets its `/` filter (only called when [`Component::filter`] is `Some`).
    fn set_filter(&mut self, _text: &str) {}

    /// Whether it is editing text in place (a form field): then its keymap
    /// is looked up alone and every other printable key types, so `q` or
    /// `1` go into the field instead of quitting or switching tabs.
    fn captures_typing(&self) -> bool {
        false
    }

    /// What the input line shows before the text.
    fn filter_label(&self) -> &'static str {
        "/"
    }

    /// Enter on the input line: a message to flash and something for
    /// outside to do, if any.
    fn filter_submitted(&mut self) -> Submitted {
        Submitted::default()
    }

    /// Whether it shows a view inside the tab (a tail, an open dashboard,
    /// an event's detail) that Esc leaves: then `q` goes back instead of
    /// quitting.
    fn nested(&self) -> bool {
        false
    }

    /// The app switched to this tab: something for outside to do, if any.
    fn shown(&mut self) -> Option<Effect> {
        None
    }

    /// What its job must be told when the tab comes on screen (`true`) or
    /// leaves it, a view over it hiding it too: a tab whose data is
    /// fetched only while it is seen (the Overview's sparklines, an open
    /// dashboard) says so here; `None` for the others.
    fn on_screen(&self, _visible: bool) -> Option<DataCommand> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOVE: KeyHelp = KeyHelp {
        keys: "j",
        what: "down",
        short: "j",
        hint: "down",
        map: &[(Key::Plain(KeyCode::Char('j')), Action::Down)],
    };
    const PAGE: KeyHelp = KeyHelp {
        keys: "Ctrl-j",
        what: "page",
        short: "^j",
        hint: "page",
        map: &[(Key::Ctrl('j'), Action::PageDown)],
    };

    mod one_tab {
        crate::app::component::tab_keys! {
            /// Keys of one tab.
            pub enum Keys {
                /// Run.
                Run,
                /// Stop.
                Stop,
            }
        }
    }

    mod another_tab {
        crate::app::component::tab_keys! {
            /// Keys of another tab, one of the same name.
            pub enum Keys {
                /// Run.
                Run,
            }
        }
    }

    #[test]
    fn a_tab_reads_its_own_keys_and_never_another_tabs_of_the_same_name() {
        for key in [one_tab::Keys::Run, one_tab::Keys::Stop] {
            assert_eq!(one_tab::Keys::of(&key.action()), Some(key));
        }
        let theirs = another_tab::Keys::Run.action();
        assert_ne!(theirs, one_tab::Keys::Run.action());
        assert_eq!(one_tab::Keys::of(&theirs), None);
        assert_eq!(another_tab::Keys::of(&one_tab::Keys::Run.action()), None);
        assert_eq!(one_tab::Keys::of(&Action::Open), None);
    }

    #[test]
    fn a_selection_follows_its_item_and_else_keeps_its_row() {
        let rows = |names: &'static [&'static str]| move |row: usize| names[row];
        let mut selection: Selection<String> = Selection::default();
        selection.move_by(2, 4, rows(&["a", "b", "c", "d"]));
        assert_eq!(selection.key().map(String::as_str), Some("c"));
        assert!(selection.follow(4, rows(&["c", "a", "d", "b"])));
        assert_eq!(selection.row(), 0, "c moved to the top");
        selection.move_by(3, 4, rows(&["c", "a", "d", "b"]));
        assert!(!selection.follow(2, rows(&["a", "c"])));
        assert_eq!(
            (selection.row(), selection.key().unwrap().as_str()),
            (1, "c")
        );
        selection.follow_or_first(3, rows(&["d", "a", "b"]));
        assert_eq!(
            (selection.row(), selection.key().unwrap().as_str()),
            (0, "d")
        );
        selection.follow(0, rows(&[]));
        assert_eq!((selection.row(), selection.key()), (0, None));
    }

    #[test]
    fn ctrl_bindings_win_over_plain_ones_in_any_keymap() {
        let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        let maps: [&[&KeyHelp]; 2] = [&[&MOVE], &[&PAGE]];
        assert_eq!(lookup(&ctrl_j, &maps), Some(Action::PageDown));
        assert_eq!(lookup(&j, &maps), Some(Action::Down));
        assert_eq!(lookup(&ctrl_j, &[&[&MOVE]]), Some(Action::Down));
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(lookup(&x, &maps), None);
    }
}
