//! Everything the user can ask for, independent of which key asked.

use std::sync::Arc;

use crate::data::DataCommand;
use crate::model::dashboard::{Dashboard, DashboardData};

/// A user intention. What only one tab or view answers to is not a
/// variant here but an [`Action::Tab`] that component declares in its own
/// file (see [`TabKey`]), so this enum names no tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave monitui.
    Quit,
    /// `q`: back out of a view drawn over a tab or inside one (as Esc
    /// does), else leave monitui.
    BackOrQuit,
    /// Next tab (Tab key).
    NextTab,
    /// Previous tab (Shift-Tab).
    PrevTab,
    /// Go to tab by number (1-based).
    GoTab(usize),
    /// Move the selection up one row.
    Up,
    /// Move the selection down one row.
    Down,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// Fetch now.
    Refresh,
    /// Show the key help.
    Help,
    /// Open the `:` command line.
    StartCommand,
    /// Open the `/` filter line.
    StartFilter,
    /// Type a character into the open input line.
    Input(char),
    /// Delete the last character of the input line.
    Backspace,
    /// Accept the input line.
    Submit,
    /// Close the input line, overlay or filter (Esc).
    Back,
    /// Open the selected item (Enter in normal mode).
    Open,
    /// Open the incident timeline of the selected alarm.
    Incident,
    /// Open the shift handoff (`H`).
    Handoff,
    /// Acknowledge the selected alarm (`a`).
    Ack,
    /// Silence the selected alarm (`s`).
    Silence,
    /// Undo the ack, else the silence, of the selected alarm (`u`).
    Undo,
    /// Set the selected alarm to ALARM to test notifications (`t`).
    Test,
    /// Cycle the alarm list's sort order (`o`).
    CycleSort,
    /// Longer chart range in the detail view (`]`, `+`).
    RangeLonger,
    /// Shorter chart range in the detail view (`[`, `-`).
    RangeShorter,
    /// Next field of a dialog (Tab).
    NextField,
    /// Move the text cursor left.
    Left,
    /// Move the text cursor right.
    Right,
    /// A composite alarm's rule alarms, or the alarms watching what the
    /// selected entry or event changed (`A`).
    GotoAlarms,
    /// The Logs tail of the selected entry's group at its moment (`L`).
    GotoLogs,
    /// The CloudTrail events about what the selected event changed (`E`).
    GotoEvents,
    /// Copy what the focus is on to the clipboard (`y`).
    Copy,
    /// Copy the selected alarm's ARN to the clipboard (`Y`).
    CopyArn,
    /// A key only one tab or view answers to.
    Tab(TabKey),
}

impl Action {
    /// The name of the key this action is, if it is an [`Action::Tab`] of
    /// `owner`: how a component recognises its own keys and only those.
    pub fn tab_key(&self, owner: &str) -> Option<&'static str> {
        match self {
            Action::Tab(key) if key.owner == owner => Some(key.name),
            _ => None,
        }
    }
}

/// A key of one tab or view (the Logs tab's `f`, a CloudTrail preset),
/// which the component declares in its own file with `tab_keys!` (an
/// enum of keys) or `tab_actions!` (a few named keys), both in
/// `app::component`: adding a tab or a key to one edits no central enum,
/// and this module imports no tab. The key names its owner (the path of the module or
/// enum that declares it), and a component reads only keys of its own
/// owner ([`Action::tab_key`]), so two tabs' keys are never taken for each
/// other even if one reached the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabKey {
    owner: &'static str,
    name: &'static str,
}

impl TabKey {
    /// The key `name` of the component `owner` (a const, so key tables
    /// stay statics).
    pub const fn new(owner: &'static str, name: &'static str) -> Self {
        Self { owner, name }
    }
}

/// Something `update` needs done outside the app state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Exit the program.
    Quit,
    /// Switch to another environment (config re-read, data layer restarted).
    SwitchEnv(String),
    /// Load and apply another theme.
    SwitchTheme(String),
    /// Pass a request to the data layer (refresh now, detail loading,
    /// mutations).
    Data(DataCommand),
    /// Put this text on the clipboard (OSC 52 to the terminal).
    Clipboard(String),
    /// Put a dashboard widget on the clipboard as the text `dashboards
    /// show --plain` prints for it. The text is a drawing, which the app
    /// does not make: the loop has `ui` draw it, then copies it as
    /// [`Effect::Clipboard`] would.
    CopyWidget(WidgetCopy),
}

impl Effect {
    /// Whether this effect writes to the clipboard (what `clipboard =
    /// false` stops).
    pub fn is_copy(&self) -> bool {
        matches!(self, Effect::Clipboard(_) | Effect::CopyWidget(_))
    }
}

/// The widget `y` copies on an open dashboard, with what it draws from.
#[derive(Debug, Clone)]
pub struct WidgetCopy {
    /// The parsed body.
    pub dashboard: Arc<Dashboard>,
    /// The data the tab draws it with.
    pub data: Arc<DashboardData>,
    /// Index of the widget in `dashboard.widgets`.
    pub widget: usize,
}

/// The same copy: the same widget of the same body and data (by identity:
/// the values are shared, never rebuilt for a copy).
impl PartialEq for WidgetCopy {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.dashboard, &other.dashboard)
            && Arc::ptr_eq(&self.data, &other.data)
            && self.widget == other.widget
    }
}

impl Eq for WidgetCopy {}
