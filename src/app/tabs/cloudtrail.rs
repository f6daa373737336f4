//! The CloudTrail tab: a search form, the results of the latest search
//! (filtered with `/`, sorted with `o`) and the detail of one event. Which
//! of the three has the keys decides the keymap. Searches run in the data
//! layer (a `TrailRequest` tab command); the tab only keeps the newest one's
//! progress and outcome. Result text is sanitised once, when it arrives.

use std::sync::Arc;

use crossterm::event::KeyCode;

use crate::app::action::{Action, Effect, TabKey};
use crate::app::component::{
    Component, Context, Key, KeyHelp, Reply, Selection, key_help, letter_keys, movement,
    tab_actions,
};
use crate::app::goto::Goto;
use crate::app::keys;
use crate::app::trail_detail::TrailDetail;
use crate::app::trail_form::TrailForm;
use crate::data::trail_job::TrailUpdate;
use crate::data::trail_search::{TrailProgress, TrailSearch};
use crate::data::{DataCommand, DataEvent, TrailStatus};
use crate::model::trail::{Preset, TrailRecord};
use crate::sanitize::sanitize_line;

use Key::Plain;
use KeyCode::Char;

/// What has the keys inside the tab.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Focus {
    /// The results table (and the preset keys).
    #[default]
    Results,
    /// The search form, edited in place.
    Form,
    /// One event's detail.
    Detail,
}

/// Orders the results can be sorted in (`o` cycles them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Newest first.
    #[default]
    Time,
    /// By user, then newest first.
    User,
    /// By event name, then newest first.
    Event,
    /// Failed calls first, then newest first.
    Errors,
}

impl SortKey {
    /// The next order in the cycle.
    pub fn next(self) -> Self {
        match self {
            SortKey::Time => SortKey::User,
            SortKey::User => SortKey::Event,
            SortKey::Event => SortKey::Errors,
            SortKey::Errors => SortKey::Time,
        }
    }

    /// What the table title calls it.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Time => "time",
            SortKey::User => "user",
            SortKey::Event => "event",
            SortKey::Errors => "errors first",
        }
    }
}

/// One result as the table shows it, sanitised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailRow {
    /// `01-16 14:02:11` (UTC), or `-`.
    pub time: String,
    /// `14:02:11`, for narrow screens (on the day of the screen's clock).
    pub clock: String,
    /// `01-16 14:02`, for narrow screens when the row is from another day.
    pub dated_clock: String,
    /// The UTC day of the event (days since 1970-01-01), to tell whether
    /// it is today.
    pub day: Option<i64>,
    /// User name, role session name, `root`, or the service.
    pub user: String,
    /// API name.
    pub event: String,
    /// What the call changed (`function checkout-api`), or empty.
    pub resource: String,
    /// The service without `.amazonaws.com`.
    pub source: String,
    /// `sourceIPAddress`.
    pub source_ip: String,
    /// `awsRegion`.
    pub region: String,
    /// Error code if the call failed (for a failed console sign-in, which
    /// has none, its error message).
    pub error: Option<String>,
    /// Everything above in lower case, for the `/` filter.
    needle: String,
}

impl TrailRow {
    /// The row of `record`; names starting with `prefix` (the env's, with
    /// its dash) are shown without it.
    fn new(record: &TrailRecord, prefix: &str) -> Self {
        let dash = |s: Option<&str>| sanitize_line(s.unwrap_or("-"));
        let at = |format: &str| {
            record
                .event_time
                .map_or("-".to_string(), |t| crate::model::zone::shown(t, format))
        };
        let source = record.event_source.trim_end_matches(".amazonaws.com");
        let mut row = Self {
            time: at("%m-%d %H:%M:%S"),
            clock: at("%H:%M:%S"),
            dated_clock: at("%m-%d %H:%M"),
            day: record.event_time.map(utc_day),
            user: sanitize_line(&record.user()),
            event: sanitize_line(record.short_event_name()),
            resource: sanitize_line(
                &record
                    .changed()
                    .map(|c| c.short_label(prefix))
                    .unwrap_or_default(),
            ),
            source: sanitize_line(source),
            source_ip: dash(record.source_ip.as_deref()),
            region: dash(record.region.as_deref()),
            error: record.failure().map(sanitize_line),
            needle: String::new(),
        };
        row.needle = [
            row.user.as_str(),
            &row.event,
            &row.resource,
            &row.source,
            &row.source_ip,
            &row.region,
            row.error.as_deref().unwrap_or(""),
        ]
        .join("\u{1}")
        .to_lowercase();
        row
    }
}

/// The UTC day `t` falls on, as days since 1970-01-01.
pub fn utc_day(t: jiff::Timestamp) -> i64 {
    t.as_second().div_euclid(86_400)
}

/// The CloudTrail tab's state.
#[derive(Debug, Default)]
pub struct TrailTab {
    /// The env's resource prefix and its dash, left out of resource names.
    prefix: String,
    form: TrailForm,
    focus: Focus,
    /// Id of the newest search asked for (0: none yet).
    last_id: u64,
    /// The newest search's progress while it runs.
    running: Option<TrailProgress>,
    /// Why the newest search (or the form) failed.
    error: Option<String>,
    /// The newest finished search.
    found: Option<Arc<TrailSearch>>,
    /// One per record of `found`, same order.
    rows: Vec<TrailRow>,
    /// Rows passing the filter (indices into `rows`), in sort order.
    visible: Vec<usize>,
    sort: SortKey,
    filter: String,
    needle: String,
    /// The selected row and its event's id.
    selection: Selection<String>,
    detail: Option<TrailDetail>,
}

/// The event id on each row of `visible` (indices into the records of
/// `found`); empty for an event without one.
fn event_id_at<'a>(
    found: Option<&'a TrailSearch>,
    visible: &'a [usize],
) -> impl Fn(usize) -> &'a str {
    move |row| {
        found
            .and_then(|f| f.records[visible[row]].event_id.as_deref())
            .unwrap_or("")
    }
}

/// Enter on the results: the selected event's detail.
pub static OPEN_EVENT: KeyHelp = key_help! {
    "Enter", "detail", "the event's detail (before any search: search)",
    keys::ENTER_OPEN
};

tab_actions! {
    /// Put the focus in the CloudTrail search form (`e`).
    EditSearch;
}

/// Whose keys the tab's own are (see [`TabKey`]): what [`tab_actions!`]
/// names them by.
const OWNER: &str = module_path!();

impl Action {
    /// Search with a CloudTrail quick filter (one key each): the tab's
    /// key named as the preset, an [`Action::Tab`].
    #[allow(non_snake_case)]
    pub const fn Preset(preset: Preset) -> Action {
        Action::Tab(TabKey::new(OWNER, preset.name()))
    }
}

/// The quick filter `action` searches with, if it is a preset's key.
fn preset_of(action: &Action) -> Option<Preset> {
    let name = action.tab_key(OWNER)?;
    Preset::ALL.into_iter().find(|preset| preset.name() == name)
}

/// `e`: edit the search form.
pub static EDIT: KeyHelp = key_help! {
    "e", "search", "edit the search form in place",
    [Plain(Char('e')) => Action::EditSearch]
};

letter_keys! {
    /// `I`: search with the iam preset.
    pub IAM_CHANGES: "I", "iam", "search iam-changes: IAM write calls"
        => Action::Preset(Preset::IamChanges);
    /// `L`: search with the logins preset.
    pub CONSOLE_LOGINS: "L", "logins", "search console-logins: console sign-ins"
        => Action::Preset(Preset::ConsoleLogins);
    /// `M`: search with the no-mfa preset.
    pub NO_MFA_LOGINS: "M", "no-mfa", "search no-mfa-logins: sign-ins, no MFA"
        => Action::Preset(Preset::NoMfaLogins);
    /// `D`: search with the denied preset.
    pub DENIED: "D", "denied", "search denied: refused, failed sign-ins"
        => Action::Preset(Preset::Denied);
    /// `T`: search with the tamper preset.
    pub TAMPERING: "T", "tamper", "search trail-tampering (trail changes)"
        => Action::Preset(Preset::TrailTampering);
    /// `R`: search with the root preset.
    pub ROOT: "R", "root", "search root: calls by the root user" => Action::Preset(Preset::Root);
}

/// `/` on the results.
pub static FILTER_RESULTS: KeyHelp = key_help! {
    "/", "filter", "filter by user, event, resource, source, IP, error",
    keys::SLASH_FILTER
};

/// `o` on the results.
pub static SORT_RESULTS: KeyHelp = key_help! {
    "o", "sort", "sort events: time, user, event, errors first",
    [Plain(Char('o')) => Action::CycleSort]
};

/// Enter in the form: search.
pub static RUN: KeyHelp = key_help! {
    "Enter", "search", "search with the form",
    keys::ENTER_SUBMIT
};

/// Esc in the form: back to the results, the form kept as typed.
pub static LEAVE_FORM: KeyHelp = key_help! {
    "Esc", "done", "leave the form (nothing is searched)",
    keys::ESC_BACK
};

/// Moving between the form's fields.
pub static FIELDS: KeyHelp = key_help! {
    "Tab/Down, Shift-Tab/Up" ("Tab/↑↓"), "field", "next / previous field",
    [
        Plain(KeyCode::Tab) => Action::NextField,
        Plain(KeyCode::Down) => Action::NextField,
        Plain(KeyCode::BackTab) => Action::Up,
        Plain(KeyCode::Up) => Action::Up,
    ]
};

/// Space on a choice field.
pub static CHOOSE: KeyHelp = key_help! {
    "Space", "choose", "next choice (Read-only, Preset fields)",
    [Plain(Char(' ')) => Action::Input(' ')]
};

/// Backspace in the form.
pub static ERASE: KeyHelp = key_help! {
    "Backspace" ("Bksp"), "erase", "delete a character, or reset a choice",
    [Plain(KeyCode::Backspace) => Action::Backspace]
};

/// The results' keys; the first [`RESULTS_FOOTER_LEN`] are the footer's.
static RESULTS_KEYS: &[&KeyHelp] = &[
    &OPEN_EVENT,
    &EDIT,
    &IAM_CHANGES,
    &CONSOLE_LOGINS,
    &NO_MFA_LOGINS,
    &DENIED,
    &TAMPERING,
    &ROOT,
    &FILTER_RESULTS,
    &SORT_RESULTS,
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::CLEAR_FILTER,
];

/// How many of [`RESULTS_KEYS`] the footer shows.
const RESULTS_FOOTER_LEN: usize = 10;

static FORM_KEYS: &[&KeyHelp] = &[&RUN, &LEAVE_FORM, &FIELDS, &CHOOSE, &ERASE];

static DETAIL_KEYS: &[&KeyHelp] = &[
    &keys::BACK,
    &keys::SCROLL,
    &keys::ENDS,
    &keys::PAGE,
    &keys::GOTO_ALARMS,
    &keys::GOTO_LOGS,
    &keys::GOTO_EVENTS,
];

static DETAIL_FOOTER: &[&KeyHelp] = &[
    &keys::BACK,
    &keys::SCROLL,
    &keys::GOTO_ALARMS,
    &keys::GOTO_LOGS,
    &keys::GOTO_EVENTS,
    &keys::HELP,
];

impl TrailTab {
    /// The tab of `env` (resource names shown without its prefix).
    pub fn for_env(env: &crate::config::ResolvedEnv) -> Self {
        Self {
            prefix: format!("{}-", env.prefix),
            ..Self::default()
        }
    }

    /// The search form.
    pub fn form(&self) -> &TrailForm {
        &self.form
    }

    /// What has the keys.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The newest search's progress while it runs.
    pub fn running(&self) -> Option<TrailProgress> {
        self.running
    }

    /// Why the newest search failed (not sanitised).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The newest finished search.
    pub fn found(&self) -> Option<&TrailSearch> {
        self.found.as_deref()
    }

    /// Rows passing the filter, in display order.
    pub fn visible(&self) -> impl Iterator<Item = &TrailRow> {
        self.visible.iter().map(|&i| &self.rows[i])
    }

    /// How many rows pass the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// How many results there are in all.
    pub fn total(&self) -> usize {
        self.rows.len()
    }

    /// Index of the selected row among the visible ones.
    pub fn selected_index(&self) -> usize {
        self.selection.row()
    }

    /// The selected event's record.
    pub fn selected(&self) -> Option<&TrailRecord> {
        let i = *self.visible.get(self.selection.row())?;
        self.found.as_ref()?.records.get(i)
    }

    /// The current sort order.
    pub fn sort(&self) -> SortKey {
        self.sort
    }

    /// The active filter text.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// The open event, if any.
    pub fn detail(&self) -> Option<&TrailDetail> {
        self.detail.as_ref()
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let len = self.visible.len();
        self.selection.move_by(
            delta,
            len,
            event_id_at(self.found.as_deref(), &self.visible),
        );
    }

    /// Searches the events about the resource `name` (`E` on an event or a
    /// timeline entry): a fresh form with only the resource name filled in.
    pub fn search_about(&mut self, name: &str) -> Reply {
        self.form = TrailForm::about(name);
        self.detail = None;
        self.filter.clear();
        self.needle.clear();
        self.search()
    }

    /// Asks the data layer for the search the form describes and shows
    /// the results; a bad time field is said in the tab instead (and the
    /// form keeps the cursor, to fix it).
    fn search(&mut self) -> Reply {
        match self.form.request(self.last_id + 1) {
            Ok(request) => {
                self.focus = Focus::Results;
                self.last_id = request.id;
                self.running = Some(TrailProgress::default());
                self.error = None;
                Reply::Effect(Effect::Data(DataCommand::tab(request)))
            }
            Err(message) => {
                self.error = Some(message);
                Reply::Done
            }
        }
    }

    fn take_results(&mut self, found: Arc<TrailSearch>) {
        self.rows = found
            .records
            .iter()
            .map(|r| TrailRow::new(r, &self.prefix))
            .collect();
        self.found = Some(found);
        self.refilter();
        self.follow_or_first();
    }

    /// Recomputes the visible rows: the filter, then the sort (stable, so
    /// ties keep the search's newest-first order).
    fn refilter(&mut self) {
        let rows = &self.rows;
        let needle = &self.needle;
        let mut visible: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].needle.contains(needle.as_str()))
            .collect();
        let records = self.found.as_ref().map(|f| f.records.as_slice());
        let time = |i: usize| records.and_then(|r| r[i].event_time);
        match self.sort {
            SortKey::Time => visible.sort_by_key(|&i| std::cmp::Reverse(time(i))),
            SortKey::User => visible.sort_by(|&a, &b| rows[a].user.cmp(&rows[b].user)),
            SortKey::Event => visible.sort_by(|&a, &b| rows[a].event.cmp(&rows[b].event)),
            SortKey::Errors => visible.sort_by_key(|&i| rows[i].error.is_none()),
        }
        self.visible = visible;
    }

    /// Back on the selected event if it is still shown, else the first.
    fn follow_or_first(&mut self) {
        let len = self.visible.len();
        self.selection
            .follow_or_first(len, event_id_at(self.found.as_deref(), &self.visible));
    }

    fn results(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.move_by(delta);
            return Reply::Done;
        }
        if let Some(preset) = preset_of(action) {
            self.form.set_preset(Some(preset));
            return self.search();
        }
        match action {
            Action::Open => match self.selected() {
                Some(record) => {
                    self.detail = Some(TrailDetail::new(record));
                    self.focus = Focus::Detail;
                }
                None if self.found.is_none() => return self.search(),
                None => {}
            },
            _ if *action == Action::EditSearch => self.focus = Focus::Form,
            Action::Refresh => return self.search(),
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.refilter();
                self.follow_or_first();
                return Reply::Flash(format!("sorted by {}", self.sort.label()));
            }
            Action::Back if !self.filter.is_empty() => self.set_filter(""),
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn form_keys(&mut self, action: &Action) -> Reply {
        match action {
            Action::Input(c) => self.form.input(*c),
            Action::Backspace => self.form.backspace(),
            Action::NextField => self.form.move_focus(1),
            Action::Up => self.form.move_focus(-1),
            Action::Submit => return self.search(),
            Action::Back => self.focus = Focus::Results,
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn detail_keys(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows)
            && let Some(detail) = &mut self.detail
        {
            detail.scroll_by(delta);
            return Reply::Done;
        }
        match action {
            Action::Back => {
                self.detail = None;
                self.focus = Focus::Results;
                Reply::Done
            }
            Action::GotoAlarms | Action::GotoLogs | Action::GotoEvents => self.jump(action),
            _ => Reply::Ignored,
        }
    }

    /// Where a jump key leads from the open event: the alarms watching
    /// what it changed, that resource's log group at the event's time, or
    /// its other events.
    fn jump(&self, action: &Action) -> Reply {
        let Some(record) = self.selected() else {
            return Reply::Done;
        };
        let Some(changed) = record.changed() else {
            return Reply::Flash(format!(
                "{} names no resource it changed",
                sanitize_line(&record.event_name)
            ));
        };
        match action {
            Action::GotoAlarms => Reply::Goto(Goto::Watching(changed)),
            Action::GotoLogs => match changed.log_group() {
                Some(group) => Reply::Goto(Goto::Logs {
                    group,
                    at: record.event_time,
                }),
                None => Reply::Flash(format!(
                    "{} has no log group of its own",
                    sanitize_line(&changed.label())
                )),
            },
            _ => Reply::Goto(Goto::TrailAbout(changed.name)),
        }
    }
}

impl Component for TrailTab {
    fn copy_text(&self) -> Option<String> {
        Some(self.selected()?.pretty_json())
    }

    fn keymap(&self) -> &'static [&'static KeyHelp] {
        match self.focus {
            Focus::Results => RESULTS_KEYS,
            Focus::Form => FORM_KEYS,
            Focus::Detail => DETAIL_KEYS,
        }
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        match self.focus {
            Focus::Results => &RESULTS_KEYS[..RESULTS_FOOTER_LEN],
            Focus::Form => FORM_KEYS,
            Focus::Detail => DETAIL_FOOTER,
        }
    }

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        match self.focus {
            Focus::Results => self.results(action, ctx),
            Focus::Form => self.form_keys(action),
            Focus::Detail => self.detail_keys(action, ctx),
        }
    }

    fn apply(&mut self, event: &DataEvent, _ctx: &Context<'_>) {
        let Some(TrailUpdate { id, status }) = event.for_tab() else {
            return;
        };
        if *id != self.last_id {
            return;
        }
        match status {
            TrailStatus::Progress(progress) => self.running = Some(*progress),
            TrailStatus::Done(found) => {
                self.running = None;
                self.take_results(Arc::clone(found));
            }
            TrailStatus::Failed(message) => {
                self.running = None;
                self.error = Some(message.clone());
            }
        }
    }

    fn filter(&self) -> Option<&str> {
        (self.focus == Focus::Results).then_some(self.filter.as_str())
    }

    /// Sets the filter text (case-insensitive substring of user, event,
    /// source, IP, region or error); the selected event stays selected if
    /// it passes, else the first row is.
    fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.needle = text.to_lowercase();
        self.refilter();
        self.follow_or_first();
    }

    fn nested(&self) -> bool {
        self.focus == Focus::Detail
    }

    fn captures_typing(&self) -> bool {
        self.focus == Focus::Form
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::alarm_list::AlarmList;
    use crate::data::TrailRequest;
    use serde_json::json;

    fn ctx(alarms: &Arc<AlarmList>) -> Context<'_> {
        Context {
            alarms,
            page_rows: 10,
        }
    }

    fn record(second: i64, name: &str, user: &str, error: Option<&str>) -> TrailRecord {
        let time = jiff::Timestamp::from_second(1_768_500_000 + second).unwrap();
        TrailRecord::from_value(
            json!({
                "eventTime": time.to_string(),
                "eventName": name,
                "eventSource": "iam.amazonaws.com",
                "errorCode": error,
                "userIdentity": {"type": "IAMUser", "userName": user}
            }),
            None,
        )
        .unwrap()
    }

    fn found() -> Arc<TrailSearch> {
        Arc::new(TrailSearch {
            records: vec![
                record(30, "CreateUser", "carol", None),
                record(20, "DeleteRole", "alice", Some("AccessDenied")),
                record(10, "AttachRolePolicy", "bob", None),
            ],
            cutoff: None,
            pages: 1,
            scanned: 3,
        })
    }

    /// Hands `tab` the answer `status` to its search `id`.
    fn answer(tab: &mut TrailTab, id: u64, status: TrailStatus) {
        tab.apply(
            &DataEvent::tab(TrailUpdate { id, status }),
            &ctx(&Arc::default()),
        );
    }

    fn request_of(reply: Reply) -> TrailRequest {
        match reply {
            Reply::Effect(Effect::Data(DataCommand::Tab(r))) => r.take().expect("a search"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_preset_key_searches_and_only_the_newest_answer_counts() {
        let alarms = Arc::default();
        let mut tab = TrailTab::default();
        let first = request_of(tab.update(&Action::Preset(Preset::Denied), &ctx(&alarms)));
        assert_eq!(first.criteria.preset, Some(Preset::Denied));
        let second = request_of(tab.update(&Action::Refresh, &ctx(&alarms)));
        assert!(second.id > first.id);
        answer(&mut tab, first.id, TrailStatus::Done(found()));
        assert_eq!(tab.total(), 0, "a replaced search's answer is ignored");
        assert!(tab.running().is_some());
        answer(&mut tab, second.id, TrailStatus::Done(found()));
        assert_eq!(tab.total(), 3);
        assert!(tab.running().is_none());
    }

    #[test]
    fn the_form_takes_typing_and_enter_searches() {
        let alarms = Arc::default();
        let mut tab = TrailTab::default();
        assert!(!tab.captures_typing());
        tab.update(&Action::EditSearch, &ctx(&alarms));
        assert!(tab.captures_typing());
        for c in "q1".chars() {
            tab.update(&Action::Input(c), &ctx(&alarms));
        }
        let request = request_of(tab.update(&Action::Submit, &ctx(&alarms)));
        assert_eq!(request.criteria.event_name.as_deref(), Some("q1"));
        assert_eq!(tab.focus(), Focus::Results);
    }

    #[test]
    fn results_filter_sort_and_open_the_detail() {
        let alarms = Arc::default();
        let mut tab = TrailTab::default();
        let id = request_of(tab.update(&Action::Refresh, &ctx(&alarms))).id;
        answer(&mut tab, id, TrailStatus::Done(found()));
        let users = |tab: &TrailTab| tab.visible().map(|r| r.user.clone()).collect::<Vec<_>>();
        assert_eq!(users(&tab), ["carol", "alice", "bob"]);
        tab.update(&Action::CycleSort, &ctx(&alarms));
        assert_eq!(users(&tab), ["alice", "bob", "carol"]);
        tab.set_filter("nobody");
        assert_eq!(
            tab.update(&Action::Open, &ctx(&alarms)),
            Reply::Done,
            "Enter on an empty filter does not search again"
        );
        tab.set_filter("ROLE");
        assert_eq!(users(&tab), ["alice", "bob"]);
        tab.update(&Action::Down, &ctx(&alarms));
        tab.update(&Action::Open, &ctx(&alarms));
        assert_eq!(tab.focus(), Focus::Detail);
        assert!(tab.detail().unwrap().title.starts_with("AttachRolePolicy"));
        assert_eq!(tab.filter(), None, "no filter line over the detail");
        tab.update(&Action::Back, &ctx(&alarms));
        assert_eq!(tab.focus(), Focus::Results);
        tab.update(&Action::Back, &ctx(&alarms));
        assert_eq!(tab.filter_text(), "");
    }

    #[test]
    fn a_failed_search_and_a_bad_form_say_why() {
        let alarms = Arc::default();
        let mut tab = TrailTab::default();
        let id = request_of(tab.update(&Action::Refresh, &ctx(&alarms))).id;
        answer(
            &mut tab,
            id,
            TrailStatus::Failed("LookupEvents: throttled".into()),
        );
        assert_eq!(tab.error(), Some("LookupEvents: throttled"));
        tab.update(&Action::EditSearch, &ctx(&alarms));
        tab.update(&Action::Up, &ctx(&alarms));
        tab.update(&Action::Up, &ctx(&alarms));
        tab.update(&Action::Input('x'), &ctx(&alarms));
        assert_eq!(tab.update(&Action::Submit, &ctx(&alarms)), Reply::Done);
        assert!(tab.error().unwrap().starts_with("Since:"));
        assert_eq!(tab.focus(), Focus::Form, "the cursor stays to fix it");
    }
}
