//! The tail view's state: the buffer of the groups tailed, which lines
//! the filter pattern lets through, follow or pause (with the count of
//! lines that arrived since), the selected line, the `/` regex search and
//! the display toggles.

use std::collections::VecDeque;
use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use regex::Regex;

use crate::data::log_buffer::{DEFAULT_BYTE_BUDGET, DEFAULT_CAPACITY, LogBuffer};
use crate::data::tailer::TailMode;
use crate::files;
use crate::filter::FilterPattern;
use crate::model::LogEvent;

/// Lines read around a moment the tail was asked to go back to (`@`),
/// shown instead of the live lines until the tail follows again.
#[derive(Debug)]
pub struct History {
    buffer: LogBuffer,
    /// The window read.
    pub range: crate::model::TimeRange,
    /// Whether a group had more lines in the window than were read.
    pub truncated: bool,
}

/// The tail view's state.
#[derive(Debug)]
pub struct TailView {
    buffer: LogBuffer,
    /// The lines around an earlier moment, while they are shown.
    history: Option<History>,
    /// The moment whose lines are being read (`@` past the buffer).
    pub loading: Option<Timestamp>,
    /// Groups tailed.
    pub groups: Vec<String>,
    /// Sequence numbers of the lines the pattern lets through, oldest first.
    shown: VecDeque<u64>,
    pattern: Option<FilterPattern>,
    pattern_text: String,
    /// Why the pattern typed last does not parse.
    pub pattern_error: Option<String>,
    /// `None` while following; while paused, the sequence number of the
    /// line the pause is at, which a new pattern may hide
    /// ([`TailView::selected`] says which shown line is selected).
    selected: Option<u64>,
    /// The newest line when the tail was paused: lines shown after it
    /// are new.
    paused_after: u64,
    /// First line drawn while paused (the view scrolls to keep the
    /// selection in sight).
    top: u64,
    search: Option<Regex>,
    search_text: String,
    /// Why the search typed last is not a regex.
    pub search_error: Option<String>,
    /// Wrap long lines instead of cutting them.
    pub wrap: bool,
    /// Show each line's time.
    pub timestamps: bool,
    /// Show the selected line's JSON pretty-printed.
    pub pretty: bool,
    /// Why the tail's last poll failed for some groups.
    pub problem: Option<String>,
    /// How the lines arrive.
    pub mode: TailMode,
    /// How many live-tail updates the service sampled (each dropped
    /// lines; the service does not say how many).
    pub sampled: u64,
    /// How far behind the newest lines the polled tail is, while it is.
    pub behind: Option<SignedDuration>,
}

impl Default for TailView {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY, DEFAULT_BYTE_BUDGET)
    }
}

impl TailView {
    /// An empty view keeping at most `capacity` lines and about
    /// `byte_budget` bytes of them.
    pub fn new(capacity: usize, byte_budget: usize) -> Self {
        Self {
            buffer: LogBuffer::new(capacity, byte_budget),
            history: None,
            loading: None,
            groups: Vec::new(),
            shown: VecDeque::new(),
            pattern: None,
            pattern_text: String::new(),
            pattern_error: None,
            selected: None,
            paused_after: 0,
            top: 0,
            search: None,
            search_text: String::new(),
            search_error: None,
            wrap: false,
            timestamps: true,
            pretty: false,
            problem: None,
            mode: TailMode::Starting,
            sampled: 0,
            behind: None,
        }
    }

    /// Starts over for a new set of groups (same capacity and toggles).
    pub fn restart(&mut self, groups: Vec<String>) {
        self.buffer = LogBuffer::new(self.buffer.capacity(), self.buffer.byte_budget());
        self.history = None;
        self.loading = None;
        self.groups = groups;
        self.shown.clear();
        self.selected = None;
        self.problem = None;
        self.mode = TailMode::Starting;
        self.sampled = 0;
        self.behind = None;
    }

    /// The lines shown: the history read around an earlier moment while
    /// it is shown, else the live buffer.
    pub fn buffer(&self) -> &LogBuffer {
        self.history.as_ref().map_or(&self.buffer, |h| &h.buffer)
    }

    /// The history shown, if any.
    pub fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }

    /// Shows the lines read around `at` (paused, the first line at or
    /// after `at` selected); false when none is at or after it.
    pub fn show_history(
        &mut self,
        at: Timestamp,
        range: crate::model::TimeRange,
        events: &[LogEvent],
        truncated: bool,
    ) -> bool {
        self.loading = None;
        let mut buffer = LogBuffer::new(self.buffer.capacity(), self.buffer.byte_budget());
        for event in events {
            buffer.push(event);
        }
        self.history = Some(History {
            buffer,
            range,
            truncated,
        });
        self.reshow();
        self.selected = None;
        if self.jump_to(at) {
            return true;
        }
        self.pause();
        false
    }

    /// Whether the lines shown reach `at`: a history's window holds it, or
    /// the live buffer's oldest line is at or before it.
    pub fn covers(&self, at: Timestamp) -> bool {
        match &self.history {
            Some(h) => h.range.start <= at && at < h.range.end,
            None => self
                .buffer
                .get(self.buffer.first_seq())
                .is_some_and(|l| l.at <= at),
        }
    }

    /// The time of the oldest line kept of the lines shown: how far back
    /// `F` and `/` reach.
    pub fn reaches_back_to(&self) -> Option<Timestamp> {
        let buffer = self.buffer();
        buffer.get(buffer.first_seq()).map(|l| l.at)
    }

    /// Works out the lines shown of the buffer shown, by the pattern.
    fn reshow(&mut self) {
        let buffer = self.buffer();
        let shown = match &self.pattern {
            Some(p) => buffer.matching(p).into(),
            None => buffer.iter().map(|(seq, _)| seq).collect(),
        };
        self.shown = shown;
    }

    /// Adds new events (sanitised once, matched against the pattern);
    /// while a history is shown they wait in the live buffer.
    pub fn push(&mut self, events: &[LogEvent]) {
        let live = self.history.is_none();
        for event in events {
            let matches = self
                .pattern
                .as_ref()
                .is_none_or(|p| p.matches(&event.message));
            let seq = self.buffer.push(event);
            if matches && live {
                self.shown.push_back(seq);
            }
        }
        if !live {
            return;
        }
        let first = self.buffer.first_seq();
        while self.shown.front().is_some_and(|&s| s < first) {
            self.shown.pop_front();
        }
        if let Some(sel) = self.selected
            && sel < first
        {
            self.selected = self.shown.front().copied();
        }
    }

    /// Sequence numbers of the lines shown, oldest first.
    pub fn shown(&self) -> &VecDeque<u64> {
        &self.shown
    }

    /// Whether new lines scroll into view.
    pub fn following(&self) -> bool {
        self.selected.is_none()
    }

    /// Lines shown that arrived since the pause.
    pub fn new_lines(&self) -> usize {
        if self.selected.is_none() {
            return 0;
        }
        self.shown.len() - self.shown.partition_point(|&s| s <= self.paused_after)
    }

    /// The selected line (the newest while following); `None` while
    /// paused where no line passes the pattern (the pause keeps its place
    /// for when one does).
    pub fn selected(&self) -> Option<u64> {
        match self.selected {
            None => self.shown.back().copied(),
            Some(seq) => self.shown.binary_search(&seq).is_ok().then_some(seq),
        }
    }

    /// First line to draw while paused.
    pub fn top(&self) -> u64 {
        self.top
    }

    /// Follows new lines again (leaving a history shown).
    pub fn follow(&mut self) {
        if self.history.take().is_some() {
            self.reshow();
        }
        self.selected = None;
    }

    /// Stops at the newest line.
    pub fn pause(&mut self) {
        if self.selected.is_none() {
            self.select_index(self.shown.len().saturating_sub(1));
        }
    }

    fn index_of(&self, seq: u64) -> usize {
        self.shown.partition_point(|&s| s < seq)
    }

    fn select_index(&mut self, index: usize) {
        let Some(&seq) = self
            .shown
            .get(index.min(self.shown.len().saturating_sub(1)))
        else {
            return;
        };
        if self.selected.is_none() && !self.buffer().is_empty() {
            self.paused_after = self.buffer().last_seq();
        }
        self.selected = Some(seq);
        if seq < self.top || self.top < self.shown.front().copied().unwrap_or(0) {
            self.top = seq;
        }
    }

    /// Moves the selection (pausing); moving past the newest line follows.
    pub fn move_by(&mut self, delta: isize, page_rows: usize) {
        let last = self.shown.len().saturating_sub(1);
        let at = self.selected.map_or(last, |s| self.index_of(s));
        let target = (at as isize).saturating_add(delta);
        if target > last as isize && delta > 0 {
            self.follow();
            return;
        }
        self.select_index(target.max(0) as usize);
        let sel = self.index_of(self.selected.unwrap_or(0));
        let top = self.index_of(self.top);
        let rows = page_rows.max(1);
        if sel < top {
            self.top = self.shown[sel];
        } else if sel >= top + rows {
            self.top = self.shown[sel + 1 - rows];
        }
    }

    /// The pattern's text.
    pub fn pattern_text(&self) -> &str {
        &self.pattern_text
    }

    /// The pattern in force.
    pub fn pattern(&self) -> Option<&FilterPattern> {
        self.pattern.as_ref()
    }

    /// Applies a filter pattern to the lines shown; a pattern that does not
    /// parse leaves the last good one in force and says why.
    pub fn set_pattern(&mut self, text: &str) {
        self.pattern_text = text.to_string();
        let parsed = if text.trim().is_empty() {
            Ok(None)
        } else {
            FilterPattern::parse(text).map(Some)
        };
        match parsed {
            Ok(pattern) => {
                self.pattern_error = None;
                self.pattern = pattern;
                self.reshow();
                if let Some(sel) = self.selected {
                    let at = self.index_of(sel).min(self.shown.len().saturating_sub(1));
                    let kept = self.shown.get(at).copied().unwrap_or(sel);
                    self.selected = Some(kept);
                    self.top = kept;
                }
            }
            Err(e) => self.pattern_error = Some(e.to_string()),
        }
    }

    /// The search's text.
    pub fn search_text(&self) -> &str {
        &self.search_text
    }

    /// The search regex in force.
    pub fn search(&self) -> Option<&Regex> {
        self.search.as_ref()
    }

    /// Sets the `/` search (a regex; plain text works too).
    pub fn set_search(&mut self, text: &str) {
        self.search_text = text.to_string();
        if text.is_empty() {
            self.search = None;
            self.search_error = None;
            return;
        }
        match Regex::new(text) {
            Ok(re) => {
                self.search = Some(re);
                self.search_error = None;
            }
            Err(e) => {
                self.search_error = Some(e.to_string().lines().last().unwrap_or("").to_string())
            }
        }
    }

    /// Selects the next (`forward`) or previous line the search finds,
    /// wrapping around; false when none does.
    pub fn find(&mut self, forward: bool) -> bool {
        let Some(re) = &self.search else {
            return false;
        };
        let n = self.shown.len();
        if n == 0 {
            return false;
        }
        let at = self.selected.map_or(n - 1, |s| self.index_of(s));
        let hit = (1..=n)
            .map(|step| {
                if forward {
                    (at + step) % n
                } else {
                    (at + n - step % n) % n
                }
            })
            .find(|&i| {
                self.buffer()
                    .get(self.shown[i])
                    .is_some_and(|l| re.is_match(l.text()))
            });
        self.select_at_top(hit)
    }

    /// Selects shown line `hit` and scrolls it to the top; false when
    /// there is none (what a search or a jump found).
    fn select_at_top(&mut self, hit: Option<usize>) -> bool {
        let Some(i) = hit else {
            return false;
        };
        self.select_index(i);
        self.top = self.shown[i];
        true
    }

    /// Selects the first line at or after `at`; false when there is none.
    pub fn jump_to(&mut self, at: Timestamp) -> bool {
        let hit = self
            .shown
            .iter()
            .position(|&s| self.buffer().get(s).is_some_and(|l| l.at >= at));
        self.select_at_top(hit)
    }

    /// Writes the lines shown to `path`, one a line (`time group stream
    /// message`, each field escaped by [`files::one_line`] so a message
    /// cannot forge a line); returns how many. The file is private and
    /// replaced whole (see [`files::replace_private`]).
    pub fn save(&self, path: &Path) -> std::io::Result<usize> {
        let mut out = String::new();
        let buffer = self.buffer();
        for &seq in &self.shown {
            if let Some(line) = buffer.get(seq) {
                let source = buffer.source(line);
                out.push_str(&format!(
                    "{:.3} {} {} {}\n",
                    line.at,
                    files::one_line(&source.group),
                    files::one_line(&source.stream),
                    files::one_line(&line.message)
                ));
            }
        }
        files::replace_private(path, out.as_bytes())?;
        Ok(self.shown.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(from: i64, n: i64) -> Vec<LogEvent> {
        (from..from + n)
            .map(|i| LogEvent {
                group: "g".into(),
                stream: "s".into(),
                timestamp: Timestamp::from_second(i).unwrap(),
                event_id: Some(i.to_string()),
                message: if i % 2 == 0 {
                    format!("ERROR {i}")
                } else {
                    format!("ok {i}")
                },
            })
            .collect()
    }

    #[test]
    fn pause_counts_new_lines_and_follow_resets() {
        let mut v = TailView::new(100, DEFAULT_BYTE_BUDGET);
        v.push(&events(0, 10));
        assert!(v.following());
        v.pause();
        assert_eq!(v.selected(), Some(9));
        v.push(&events(10, 5));
        assert_eq!(v.new_lines(), 5);
        assert_eq!(v.selected(), Some(9));
        v.move_by(100, 10);
        assert!(v.following(), "moving past the end follows again");
        assert_eq!(v.new_lines(), 0);
    }

    #[test]
    fn the_pattern_filters_old_and_new_lines() {
        let mut v = TailView::new(100, DEFAULT_BYTE_BUDGET);
        v.push(&events(0, 10));
        v.set_pattern("ERROR");
        assert_eq!(v.shown().len(), 5);
        v.push(&events(10, 4));
        assert_eq!(v.shown().len(), 7);
        v.set_pattern("{ $.x = ");
        assert!(v.pattern_error.is_some());
        assert_eq!(v.shown().len(), 7, "the last good pattern stays");
        v.set_pattern("");
        assert_eq!(v.shown().len(), 14);
    }

    #[test]
    fn a_pattern_hiding_every_line_leaves_no_line_selected_and_the_pause_in_place() {
        let mut v = TailView::new(100, DEFAULT_BYTE_BUDGET);
        v.push(&events(0, 10));
        assert!(v.jump_to(Timestamp::from_second(3).unwrap()));
        v.set_pattern("nothing-matches-this");
        assert!(v.shown().is_empty());
        assert!(!v.following());
        assert_eq!(v.selected(), None, "no shown line to select");
        v.move_by(-1, 5);
        v.set_search("ERROR");
        assert!(!v.find(true));
        assert!(!v.following());
        v.set_pattern("");
        assert_eq!(v.selected(), Some(3), "back where the pause was");
    }

    #[test]
    fn search_jumps_and_wraps() {
        let mut v = TailView::new(100, DEFAULT_BYTE_BUDGET);
        v.push(&events(0, 10));
        v.set_search("ok [35]");
        assert!(v.find(true));
        assert_eq!(v.selected(), Some(3));
        assert!(v.find(true));
        assert_eq!(v.selected(), Some(5));
        assert!(v.find(true));
        assert_eq!(v.selected(), Some(3), "wraps around");
        assert!(v.find(false));
        assert_eq!(v.selected(), Some(5));
        v.set_search("(");
        assert!(v.search_error.is_some());
    }

    #[test]
    fn overflow_drops_are_counted_and_the_selection_survives() {
        let mut v = TailView::new(5, DEFAULT_BYTE_BUDGET);
        v.push(&events(0, 5));
        v.move_by(-10, 3);
        assert_eq!(v.selected(), Some(0));
        v.push(&events(5, 3));
        assert_eq!(v.buffer().dropped(), 3);
        assert_eq!(v.selected(), Some(3));
        assert_eq!(v.shown().len(), 5);
    }

    #[test]
    fn jump_and_save() {
        let mut v = TailView::new(100, DEFAULT_BYTE_BUDGET);
        v.push(&events(0, 10));
        assert!(v.jump_to(Timestamp::from_second(7).unwrap()));
        assert_eq!(v.selected(), Some(7));
        assert!(!v.jump_to(Timestamp::from_second(70).unwrap()));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tail.log");
        assert_eq!(v.save(&path).unwrap(), 10);
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text.lines().next().unwrap(),
            "1970-01-01T00:00:00.000Z g s ERROR 0"
        );
    }

    /// A message with a newline cannot forge a line of the saved file, and
    /// the file is private and never written through a symlink.
    #[test]
    fn a_saved_line_cannot_forge_another() {
        let mut v = TailView::new(100, DEFAULT_BYTE_BUDGET);
        let mut forged = events(0, 1);
        forged[0].message =
            "real\n1970-01-01T00:00:09.000Z g s forged \u{1b}]52;c;eA==\u{7}".into();
        v.push(&forged);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tail.log");
        assert_eq!(v.save(&path).unwrap(), 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("real\\n1970"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let victim = dir.path().join("victim");
            std::fs::write(&victim, "precious").unwrap();
            let link = dir.path().join("link.log");
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            assert!(v.save(&link).is_err());
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        }
    }
}
