//! The incident timeline view (`i` on an alarm), drawn over the tab: the
//! timeline as its pieces arrive, one list of everything that happened
//! in the window in time order (state changes, CloudTrail writes, error
//! lines, acks, other alarms), the entry under the cursor, and the entry
//! opened in full. While it is open it has the focus.

use jiff::Timestamp;

use super::action::{Action, Effect};
use super::component::{
    Component, Context, KeyHelp, Reply, Selection, fixed_keys, movement, scrolled,
};
use super::keys;
use crate::data::incident::{IncidentRequest, Timeline};
use crate::data::{DataCommand, DataEvent};
use crate::model::incident::{DEFAULT_ERROR_PATTERN, scale_window};
use crate::model::{AlarmState, TimeRange};

/// What an entry of the timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// A state change of this alarm.
    State,
    /// A CloudTrail write event.
    Trail,
    /// An ack, silence or test recorded in the audit log.
    Note,
    /// An error line of a related log group.
    Log,
    /// Another alarm's state change.
    Other,
}

impl EntryKind {
    /// The label of the entry's kind column.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::State => "STATE",
            EntryKind::Trail => "TRAIL",
            EntryKind::Note => "ACK",
            EntryKind::Log => "LOG",
            EntryKind::Other => "OTHER",
        }
    }
}

/// One line of the timeline list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// When.
    pub at: Timestamp,
    /// What kind.
    pub kind: EntryKind,
    /// One line saying what (raw: sanitised when drawn).
    pub summary: String,
    /// Everything about it (the whole log message, the event's JSON).
    pub full: String,
    /// Whether it is bad news (ALARM, an error code, a failed change).
    pub alert: bool,
}

/// What names a timeline entry from one rebuild of the list to the next:
/// its time, kind and summary.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EntryKey {
    at: Timestamp,
    kind: EntryKind,
    summary: String,
}

/// An entry's identity, borrowed: compared with an [`EntryKey`] without a
/// copy of its summary.
struct EntryRef<'a>(&'a Entry);

impl PartialEq<EntryKey> for EntryRef<'_> {
    fn eq(&self, key: &EntryKey) -> bool {
        self.0.at == key.at && self.0.kind == key.kind && self.0.summary == key.summary
    }
}

impl From<EntryRef<'_>> for EntryKey {
    fn from(entry: EntryRef<'_>) -> Self {
        EntryKey {
            at: entry.0.at,
            kind: entry.0.kind,
            summary: entry.0.summary.clone(),
        }
    }
}

/// The identity of each entry of `entries`.
fn key_at<'a>(entries: &'a [Entry]) -> impl Fn(usize) -> EntryRef<'a> {
    move |row| EntryRef(&entries[row])
}

/// An open incident timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentView {
    /// The alarm.
    pub alarm: String,
    /// The env's name prefix, left out of names in the list.
    pub prefix: String,
    /// The window asked for; `None` follows the current or latest episode.
    pub window: Option<TimeRange>,
    /// What has arrived.
    pub timeline: Timeline,
    /// Why nothing could be gathered, if so.
    pub error: Option<String>,
    /// Every entry in time order, built when a piece arrives.
    pub entries: Vec<Entry>,
    /// The entry under the cursor and its identity.
    selection: Selection<EntryKey>,
    /// The entry opened in full, and how far it is scrolled.
    pub opened: Option<(usize, u16)>,
}

static KEYMAP: &[&KeyHelp] = &[
    &keys::BACK,
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::OPEN_ENTRY,
    &keys::WINDOW,
];

static FOOTER: &[&KeyHelp] = &[
    &keys::BACK,
    &keys::MOVE,
    &keys::OPEN_ENTRY,
    &keys::WINDOW,
    &keys::HELP,
];

impl IncidentView {
    /// The timeline of `alarm` over its current or latest episode; names
    /// starting with `prefix` are shown without it.
    pub fn new(alarm: String, prefix: &str) -> Self {
        Self {
            alarm,
            prefix: format!("{prefix}-"),
            window: None,
            timeline: Timeline::default(),
            error: None,
            entries: Vec::new(),
            selection: Selection::default(),
            opened: None,
        }
    }

    /// The request that gathers this view's timeline.
    pub fn load_command(&self) -> DataCommand {
        DataCommand::LoadIncident(IncidentRequest {
            alarm: self.alarm.clone(),
            window: self.window,
            groups: None,
            errors: DEFAULT_ERROR_PATTERN.to_string(),
        })
    }

    /// Scales the window around its end and gathers again.
    fn rescale(&mut self, factor: f64) -> Reply {
        let Some(shown) = self.window.or(self.timeline.window) else {
            return Reply::Done;
        };
        self.window = Some(scale_window(shown, factor));
        self.timeline = Timeline::default();
        self.entries.clear();
        self.selection = Selection::default();
        self.opened = None;
        Reply::Effect(Effect::Data(self.load_command()))
    }

    /// The entry under the cursor (0 when there is none).
    pub fn selected(&self) -> usize {
        self.selection.row()
    }

    /// Rebuilds the entry list from what has arrived, keeping the cursor
    /// on the same entry.
    fn rebuild(&mut self) {
        self.entries = entries(&self.timeline, &self.prefix);
        self.selection
            .follow(self.entries.len(), key_at(&self.entries));
    }
}

/// Every entry of `timeline` in time order, names shown without `prefix`.
pub fn entries(timeline: &Timeline, prefix: &str) -> Vec<Entry> {
    let short = |name: &str| name.strip_prefix(prefix).unwrap_or(name).to_string();
    let mut out = Vec::new();
    let change = |kind, h: &crate::model::HistoryItem| {
        let (from, to) = h.transition.unwrap_or((AlarmState::Ok, AlarmState::Ok));
        let name = if kind == EntryKind::Other {
            format!("{}: ", short(&h.alarm_name))
        } else {
            String::new()
        };
        Entry {
            at: h.timestamp,
            kind,
            summary: format!("{name}{from} -> {to}"),
            full: format!("{}\n{}", h.alarm_name, h.summary),
            alert: to == AlarmState::Alarm,
        }
    };
    out.extend(
        timeline
            .state_changes
            .iter()
            .map(|h| change(EntryKind::State, h)),
    );
    if let Some(Ok(others)) = &timeline.other_alarms {
        out.extend(others.iter().map(|h| change(EntryKind::Other, h)));
    }
    if let Some(Ok(trail)) = &timeline.trail {
        out.extend(trail.events.iter().filter_map(|r| {
            Some(Entry {
                at: r.event_time?,
                kind: EntryKind::Trail,
                summary: format!(
                    "{} {} ({}){}",
                    r.user(),
                    r.event_name,
                    r.event_source,
                    r.error_code
                        .as_deref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default()
                ),
                full: format!("{}\n\n{}", r.identity.explain(), r.pretty_json()),
                alert: r.error_code.is_some(),
            })
        }));
    }
    if let Some(Ok(notes)) = &timeline.annotations {
        out.extend(notes.iter().map(|n| Entry {
            at: n.when,
            kind: EntryKind::Note,
            summary: format!("{} by {} ({}) {}", n.what, n.who, n.result.as_str(), n.note),
            full: format!(
                "{} by {}: {}\n{}",
                n.what,
                n.who,
                n.result.as_str(),
                n.message
            ),
            alert: n.result.as_str() != "ok",
        }));
    }
    if let Some(Ok(logs)) = &timeline.logs {
        out.extend(logs.events.iter().map(|e| Entry {
            at: e.timestamp,
            kind: EntryKind::Log,
            summary: format!(
                "{} {}",
                short(e.group.rsplit('/').next().unwrap_or(&e.group)),
                e.message.lines().next().unwrap_or_default()
            ),
            full: format!("{} {}\n\n{}", e.group, e.stream, e.message),
            alert: false,
        }));
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.kind.cmp(&b.kind)));
    out
}

impl Component for IncidentView {
    fixed_keys!(KEYMAP, FOOTER);

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            match &mut self.opened {
                Some((_, scroll)) => {
                    *scroll = scrolled(*scroll, delta);
                }
                None => {
                    self.selection
                        .move_by(delta, self.entries.len(), key_at(&self.entries));
                }
            }
            return Reply::Done;
        }
        match action {
            Action::Back if self.opened.is_some() => self.opened = None,
            Action::Back => return Reply::Close,
            Action::Open if !self.entries.is_empty() => self.opened = Some((self.selected(), 0)),
            Action::RangeLonger => return self.rescale(2.0),
            Action::RangeShorter => return self.rescale(0.5),
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn apply(&mut self, event: &DataEvent, _ctx: &Context<'_>) {
        match event {
            DataEvent::Incident { alarm, piece } if *alarm == self.alarm => {
                self.timeline.apply((**piece).clone());
                self.error = None;
                self.rebuild();
            }
            DataEvent::IncidentFailed { alarm, error } if *alarm == self.alarm => {
                self.error = Some(error.clone());
            }
            _ => {}
        }
    }

    fn target_alarm(&self) -> Option<&str> {
        Some(&self.alarm)
    }
}

#[cfg(test)]
mod tests;
