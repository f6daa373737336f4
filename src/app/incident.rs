//! The incident timeline view (`i` on an alarm), drawn over the tab: the
//! timeline as its pieces arrive, one list of everything that happened
//! in the window in time order (state changes, CloudTrail writes with
//! what they changed, failures with their error first, acks, other
//! alarms), filtered with `/`, the entry under the cursor (first the
//! transition into ALARM), and the entry opened in full. From an entry,
//! keys jump to where the answer is: a failure's log lines in the Logs
//! tail, the alarms watching what a call changed, its other events. While
//! it is open it has the focus.

use jiff::Timestamp;

use super::action::{Action, Effect};
use super::component::{
    Component, Context, KeyHelp, Reply, Selection, fixed_keys, key_help, letter_keys, movement,
    scrolled, tab_actions,
};
use super::goto::Goto;
use super::keys;
use crate::data::incident::{IncidentRequest, Timeline};
use crate::data::{DataCommand, DataEvent};
use crate::model::incident::failures::{Failure, failures};
use crate::model::incident::{DEFAULT_ERROR_PATTERN, scale_window};
use crate::model::trail::Changed;
use crate::model::{AlarmState, TimeRange};
use crate::report::Flavor;
use crate::report::incident::report;

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

/// What an entry is about, for the keys that jump from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// Nothing to jump to.
    Nothing,
    /// A failure's log lines in this group.
    LogGroup(String),
    /// What a CloudTrail call changed.
    Resource(Changed),
    /// Another alarm (its full name).
    Alarm(String),
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
    /// What it is about.
    pub about: About,
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
    all: Vec<Entry>,
    /// The entries passing the `/` filter, in time order.
    pub entries: Vec<Entry>,
    /// The failures among the error lines (an invocation's lines once).
    pub failures: Vec<Failure>,
    /// The `/` filter.
    filter: String,
    /// Whether the person moved the cursor (until then it goes to the
    /// transition into ALARM as pieces arrive).
    moved: bool,
    /// The entry under the cursor and its identity.
    selection: Selection<EntryKey>,
    /// The entry opened in full, and how far it is scrolled.
    pub opened: Option<(usize, u16)>,
}

tab_actions! {
    /// The selected timeline entry in full (`v`).
    ViewFull;
}

letter_keys! {
    /// `v` on a timeline entry: it in full.
    VIEW_ENTRY: "v", "full", "the entry in full (the whole failure, the event's JSON)" => Action::ViewFull;
}

/// Esc on the timeline: one step back at a time.
static TIMELINE_BACK: KeyHelp = key_help! {
    "Esc", "back", "close the entry shown in full, else clear the filter, else back",
    keys::ESC_BACK
};

static KEYMAP: &[&KeyHelp] = &[
    &TIMELINE_BACK,
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::OPEN_ENTRY,
    &VIEW_ENTRY,
    &keys::GOTO_LOGS,
    &keys::GOTO_ALARMS,
    &keys::GOTO_EVENTS,
    &keys::FILTER_ENTRIES,
    &keys::WINDOW,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
];

static FOOTER: &[&KeyHelp] = &[
    &TIMELINE_BACK,
    &keys::MOVE,
    &keys::OPEN_ENTRY,
    &keys::GOTO_LOGS,
    &keys::GOTO_ALARMS,
    &keys::FILTER_ENTRIES,
    &keys::WINDOW,
    &keys::ACK,
    &keys::SILENCE,
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
            all: Vec::new(),
            entries: Vec::new(),
            failures: Vec::new(),
            filter: String::new(),
            moved: false,
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
        self.all.clear();
        self.entries.clear();
        self.failures.clear();
        self.moved = false;
        self.selection = Selection::default();
        self.opened = None;
        Reply::Effect(Effect::Data(self.load_command()))
    }

    /// The entry under the cursor (0 when there is none).
    pub fn selected(&self) -> usize {
        self.selection.row()
    }

    /// The alarm's name as the screens show it (without the env's prefix).
    pub fn short_alarm(&self) -> &str {
        self.alarm
            .strip_prefix(&self.prefix)
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.alarm)
    }

    /// How many entries there are, filtered or not.
    pub fn all_len(&self) -> usize {
        self.all.len()
    }

    /// The `/` filter's text.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// Rebuilds the entry list from what has arrived, keeping the cursor
    /// on the same entry; until the person moves it, the cursor goes to
    /// the transition into ALARM that opened the episode.
    fn rebuild(&mut self) {
        self.failures = match &self.timeline.logs {
            Some(Ok(logs)) => failures(&logs.events),
            _ => Vec::new(),
        };
        self.all = entries(&self.timeline, &self.failures, &self.prefix);
        self.refilter();
        if !self.moved
            && let Some(row) = self
                .entries
                .iter()
                .rposition(|e| e.kind == EntryKind::State && e.alert)
        {
            self.selection
                .first(self.entries.len(), key_at(&self.entries));
            self.selection
                .move_by(row as isize, self.entries.len(), key_at(&self.entries));
        }
    }

    /// The entries passing the filter (case-insensitive, on the kind and
    /// the summary), the cursor kept on its entry if it passes.
    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.entries = self
            .all
            .iter()
            .filter(|e| {
                needle.is_empty()
                    || e.kind.label().to_lowercase().contains(&needle)
                    || e.summary.to_lowercase().contains(&needle)
            })
            .cloned()
            .collect();
        self.selection
            .follow_or_first(self.entries.len(), key_at(&self.entries));
    }

    /// Where a jump key leads from the selected entry, or why nowhere.
    fn jump(&self, action: &Action) -> Reply {
        let Some(entry) = self.entries.get(self.selected()) else {
            return Reply::Flash("no entry selected".into());
        };
        let logs = |group: String| {
            Reply::Goto(Goto::Logs {
                group,
                at: Some(entry.at),
            })
        };
        match (action, &entry.about) {
            (Action::GotoLogs, About::LogGroup(group)) => logs(group.clone()),
            (Action::GotoLogs, About::Resource(changed)) => match changed.log_group() {
                Some(group) => logs(group),
                None => Reply::Flash(format!("{} has no log group of its own", changed.label())),
            },
            (Action::GotoAlarms, About::Resource(changed)) => {
                Reply::Goto(Goto::Watching(changed.clone()))
            }
            (Action::GotoAlarms, About::Alarm(name)) => Reply::Goto(Goto::Alarms {
                label: "named in the timeline".into(),
                names: vec![name.clone()],
            }),
            (Action::GotoEvents, About::Resource(changed)) => {
                Reply::Goto(Goto::TrailAbout(changed.name.clone()))
            }
            (Action::GotoLogs, _) => Reply::Flash("L: this entry names no log group".into()),
            (Action::GotoAlarms, _) => {
                Reply::Flash("A: this entry names no resource or other alarm".into())
            }
            _ => Reply::Flash("E: this entry is not a CloudTrail change".into()),
        }
    }
}

/// Every entry of `timeline` in time order, names shown without `prefix`:
/// one per failure of `failures` (its error first), not one per line.
pub fn entries(timeline: &Timeline, failures: &[Failure], prefix: &str) -> Vec<Entry> {
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
            about: if kind == EntryKind::Other {
                About::Alarm(h.alarm_name.clone())
            } else {
                About::Nothing
            },
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
            let changed = r.changed();
            Some(Entry {
                at: r.event_time?,
                kind: EntryKind::Trail,
                summary: format!(
                    "{} {}{} ({}){}",
                    r.user(),
                    r.short_event_name(),
                    changed
                        .as_ref()
                        .map(|c| format!(" {} {}", c.kind, short(&c.name)))
                        .unwrap_or_default(),
                    r.event_source.trim_end_matches(".amazonaws.com"),
                    r.error_code
                        .as_deref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default()
                ),
                full: format!("{}\n\n{}", r.identity.explain(), r.pretty_json()),
                alert: r.error_code.is_some(),
                about: changed.map_or(About::Nothing, About::Resource),
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
            about: About::Nothing,
        }));
    }
    if let Some(Ok(logs)) = &timeline.logs {
        out.extend(failures.iter().map(|f| {
            let lines = f.lines.iter().map(|&i| &logs.events[i]);
            let full = lines
                .map(|e| format!("{} {}\n{}", e.group, e.stream, e.message))
                .collect::<Vec<_>>()
                .join("\n\n");
            Entry {
                at: f.at,
                kind: EntryKind::Log,
                summary: format!(
                    "{} {}",
                    short(f.group.rsplit('/').next().unwrap_or(&f.group)),
                    f.headline
                ),
                full,
                alert: false,
                about: About::LogGroup(f.group.clone()),
            }
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
                    self.moved = true;
                    self.selection
                        .move_by(delta, self.entries.len(), key_at(&self.entries));
                }
            }
            return Reply::Done;
        }
        let log_line = self
            .entries
            .get(self.selected())
            .is_some_and(|e| e.kind == EntryKind::Log);
        match action {
            Action::Back if self.opened.is_some() => self.opened = None,
            Action::Back if !self.filter.is_empty() => self.set_filter(""),
            Action::Back => return Reply::Close,
            Action::Open if log_line => return self.jump(&Action::GotoLogs),
            _ if (*action == Action::Open || *action == Action::ViewFull)
                && !self.entries.is_empty() =>
            {
                self.opened = Some((self.selected(), 0))
            }
            Action::GotoLogs | Action::GotoAlarms | Action::GotoEvents => {
                return self.jump(action);
            }
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

    /// `y` copies the timeline as markdown, the text `monitui incident
    /// --output markdown` prints, once the alarm has been read.
    fn copy_text(&self) -> Option<String> {
        self.timeline.alarm.as_ref()?;
        Some(report(&self.timeline, Flavor::Markdown))
    }

    fn filter(&self) -> Option<&str> {
        self.opened.is_none().then_some(self.filter.as_str())
    }

    fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.refilter();
    }
}

#[cfg(test)]
mod tests;
