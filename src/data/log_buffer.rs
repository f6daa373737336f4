//! The scrollback of a tail: a buffer of log lines bounded by lines
//! (default [`DEFAULT_CAPACITY`]) and by bytes (default
//! [`DEFAULT_BYTE_BUDGET`]), that counts every line it had to let go, so a
//! flood never loses lines silently and a flood of long lines cannot take
//! the machine's memory. Lines keep their raw message (for pretty JSON,
//! search and saving), cut at [`MAX_KEPT_BYTES`] with the size of the whole
//! (the whole line is one `logs search` away), and, only when it differs,
//! the text made safe for the terminal, worked out once as the line comes
//! in. Each line has a sequence number that never changes, so views can
//! point at lines while old ones leave the buffer.

use std::collections::{HashMap, VecDeque};

use jiff::Timestamp;

use crate::filter::FilterPattern;
use crate::model::LogEvent;
use crate::sanitize::{MAX_LINE_CHARS, is_safe_char, sanitize_text};

/// Lines kept unless configured otherwise (`log_buffer_lines`).
pub const DEFAULT_CAPACITY: usize = crate::config::env::DEFAULT_LOG_BUFFER_LINES;
/// Bytes kept unless configured otherwise (`log_buffer_mib`).
pub const DEFAULT_BYTE_BUDGET: usize = crate::config::env::DEFAULT_LOG_BUFFER_BYTES;
/// Longest message kept whole; a longer one keeps its first bytes (on a
/// char boundary) and its full size.
pub const MAX_KEPT_BYTES: usize = 32 * 1024;

/// One buffered line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TailLine {
    /// Event time.
    pub at: Timestamp,
    /// Index into [`LogBuffer::sources`]: its group and stream.
    pub source: u32,
    /// The raw message as the service sent it (never print this).
    pub message: Box<str>,
    /// The sanitised message, when it differs from the raw one (each line
    /// of a multi-line message sanitised, joined with `\n`).
    safe: Option<Box<str>>,
    /// The size of the whole message, when `message` holds only its start.
    whole_bytes: Option<usize>,
}

impl TailLine {
    /// The message made safe for the terminal; may hold `\n` between
    /// lines of a multi-line message (a stack trace), nothing else unsafe.
    pub fn text(&self) -> &str {
        self.safe.as_deref().unwrap_or(&self.message)
    }

    /// The size of the whole message when only its first
    /// [`MAX_KEPT_BYTES`] are kept.
    pub fn cut_from(&self) -> Option<usize> {
        self.whole_bytes
    }

    /// Bytes this line holds (its allocations and its own size).
    fn cost(&self) -> usize {
        std::mem::size_of::<Self>() + self.message.len() + self.safe.as_ref().map_or(0, |s| s.len())
    }
}

/// Where a line came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Log group.
    pub group: String,
    /// Log stream.
    pub stream: String,
    /// Index of the group among the groups seen, for its colour.
    pub group_index: usize,
}

/// A bounded buffer of lines with a count of what it dropped.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<TailLine>,
    capacity: usize,
    byte_budget: usize,
    /// Sequence number of the first line kept.
    first_seq: u64,
    dropped: u64,
    sources: Vec<Source>,
    /// Index into `sources` by group and stream.
    by_name: HashMap<String, HashMap<String, u32>>,
    groups: Vec<String>,
    bytes: usize,
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY, DEFAULT_BYTE_BUDGET)
    }
}

impl LogBuffer {
    /// An empty buffer keeping at most `capacity` lines and about
    /// `byte_budget` bytes of lines (at least one line either way).
    pub fn new(capacity: usize, byte_budget: usize) -> Self {
        Self {
            lines: VecDeque::new(),
            capacity: capacity.max(1),
            byte_budget,
            first_seq: 0,
            dropped: 0,
            sources: Vec::new(),
            by_name: HashMap::new(),
            groups: Vec::new(),
            bytes: 0,
        }
    }

    /// Adds an event (copying only its message, cut at
    /// [`MAX_KEPT_BYTES`]), letting the oldest lines go (and counting them)
    /// while the buffer is over its lines or its bytes. Returns the new
    /// line's sequence number.
    pub fn push(&mut self, event: &LogEvent) -> u64 {
        let source = self.source_of(&event.group, &event.stream);
        let (kept, whole_bytes) = match event.message.len() {
            n if n > MAX_KEPT_BYTES => (cut_at(&event.message, MAX_KEPT_BYTES), Some(n)),
            _ => (event.message.as_str(), None),
        };
        let safe = needs_sanitising(kept).then(|| sanitize_text(kept).into_boxed_str());
        let line = TailLine {
            at: event.timestamp,
            source,
            message: Box::from(kept),
            safe,
            whole_bytes,
        };
        let cost = line.cost();
        while !self.lines.is_empty()
            && (self.lines.len() >= self.capacity || self.bytes + cost > self.byte_budget)
            && let Some(old) = self.lines.pop_front()
        {
            self.bytes -= old.cost();
            self.first_seq += 1;
            self.dropped += 1;
        }
        self.bytes += cost;
        self.lines.push_back(line);
        self.last_seq()
    }

    /// Counts lines lost before they reached the buffer (the service
    /// sampled them, say).
    pub fn count_lost(&mut self, lines: u64) {
        self.dropped += lines;
    }

    fn source_of(&mut self, group: &str, stream: &str) -> u32 {
        if let Some(&i) = self
            .by_name
            .get(group)
            .and_then(|streams| streams.get(stream))
        {
            return i;
        }
        let group_index = match self.groups.iter().position(|g| g == group) {
            Some(i) => i,
            None => {
                self.groups.push(group.to_string());
                self.groups.len() - 1
            }
        };
        self.sources.push(Source {
            group: group.to_string(),
            stream: stream.to_string(),
            group_index,
        });
        let index = (self.sources.len() - 1) as u32;
        self.by_name
            .entry(group.to_string())
            .or_default()
            .insert(stream.to_string(), index);
        index
    }

    /// Lines kept.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no line is kept.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Most lines kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Most bytes kept.
    pub fn byte_budget(&self) -> usize {
        self.byte_budget
    }

    /// Lines let go or lost so far.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Bytes the lines hold (raw and sanitised messages, and each line's
    /// own size), what the byte budget bounds.
    pub fn message_bytes(&self) -> usize {
        self.bytes
    }

    /// Sequence number of the oldest line kept.
    pub fn first_seq(&self) -> u64 {
        self.first_seq
    }

    /// Sequence number of the newest line (meaningless when empty).
    pub fn last_seq(&self) -> u64 {
        self.first_seq + self.lines.len() as u64 - 1
    }

    /// The line with sequence number `seq`, if still kept.
    pub fn get(&self, seq: u64) -> Option<&TailLine> {
        let index = seq.checked_sub(self.first_seq)?;
        self.lines.get(usize::try_from(index).ok()?)
    }

    /// Lines with their sequence numbers, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, &TailLine)> + ExactSizeIterator {
        let first = self.first_seq;
        self.lines
            .iter()
            .enumerate()
            .map(move |(i, l)| (first + i as u64, l))
    }

    /// Where a line came from.
    pub fn source(&self, line: &TailLine) -> &Source {
        &self.sources[line.source as usize]
    }

    /// Every source seen.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Sequence numbers of the lines `pattern` selects, oldest first.
    pub fn matching(&self, pattern: &FilterPattern) -> Vec<u64> {
        self.iter()
            .filter(|(_, l)| pattern.matches(&l.message))
            .map(|(seq, _)| seq)
            .collect()
    }
}

/// The longest start of `text` within `max` bytes, on a char boundary.
fn cut_at(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether a message must be sanitised before display (the common plain
/// line is checked without copying it).
fn needs_sanitising(message: &str) -> bool {
    if message.len() > MAX_LINE_CHARS {
        return message.chars().count() > MAX_LINE_CHARS || !message.chars().all(is_safe_char);
    }
    // Printable ASCII is safe, and most lines are nothing else.
    !message.bytes().all(|b| (0x20..0x7f).contains(&b)) && !message.chars().all(is_safe_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(i: i64, message: &str) -> LogEvent {
        LogEvent {
            group: format!("g{}", i % 2),
            stream: "s".into(),
            timestamp: Timestamp::from_second(i).unwrap(),
            event_id: Some(i.to_string()),
            message: message.into(),
        }
    }

    #[test]
    fn overflow_lets_the_oldest_go_and_counts_it() {
        let mut buffer = LogBuffer::new(3, DEFAULT_BYTE_BUDGET);
        for i in 0..5 {
            buffer.push(&event(i, &format!("line {i}")));
        }
        assert_eq!(buffer.len(), 3);
        assert_eq!(buffer.dropped(), 2);
        assert_eq!(buffer.first_seq(), 2);
        assert_eq!(buffer.last_seq(), 4);
        assert_eq!(&*buffer.get(2).unwrap().message, "line 2");
        assert!(buffer.get(1).is_none());
        assert_eq!(
            buffer.message_bytes(),
            18 + 3 * std::mem::size_of::<TailLine>()
        );
        buffer.count_lost(10);
        assert_eq!(buffer.dropped(), 12);
    }

    #[test]
    fn the_byte_budget_lets_the_oldest_lines_go_and_long_messages_are_cut() {
        let line = std::mem::size_of::<TailLine>();
        let budget = 4 * (line + 1000);
        let mut buffer = LogBuffer::new(1_000, budget);
        for i in 0..10 {
            buffer.push(&event(i, &"x".repeat(1000)));
        }
        assert_eq!(buffer.len(), 4, "four lines fit the budget");
        assert_eq!(buffer.dropped(), 6, "the others are counted");
        assert!(buffer.message_bytes() <= budget);

        let mut buffer = LogBuffer::new(10, DEFAULT_BYTE_BUDGET);
        let long = format!("{}é{}", "a".repeat(MAX_KEPT_BYTES - 1), "b".repeat(200_000));
        let seq = buffer.push(&event(0, &long));
        let kept = buffer.get(seq).unwrap();
        assert_eq!(
            kept.message.len(),
            MAX_KEPT_BYTES - 1,
            "cut on a char boundary"
        );
        assert_eq!(kept.cut_from(), Some(long.len()));
        assert!(
            buffer.message_bytes() < 2 * MAX_KEPT_BYTES,
            "the start and its sanitised copy (cut at a screen line's most)"
        );
        let short = buffer.push(&event(1, "short"));
        assert_eq!(buffer.get(short).unwrap().cut_from(), None);
    }

    #[test]
    fn hostile_text_is_sanitised_once_and_plain_text_is_not_copied() {
        let mut buffer = LogBuffer::new(10, DEFAULT_BYTE_BUDGET);
        let a = buffer.push(&event(0, "plain line"));
        let b = buffer.push(&event(
            1,
            "evil \u{1b}]52;c;aGk=\u{7} title\u{1b}[2J\nTraceback",
        ));
        assert!(buffer.get(a).unwrap().safe.is_none());
        let text = buffer.get(b).unwrap().text();
        assert_eq!(text, "evil  title\nTraceback");
        assert!(text.chars().all(|c| c == '\n' || is_safe_char(c)));
    }

    #[test]
    fn sources_and_group_colours() {
        let mut buffer = LogBuffer::new(10, DEFAULT_BYTE_BUDGET);
        buffer.push(&event(0, "a"));
        buffer.push(&event(1, "b"));
        buffer.push(&event(2, "c"));
        assert_eq!(buffer.sources().len(), 2);
        let line = buffer.get(1).unwrap();
        assert_eq!(buffer.source(line).group, "g1");
        assert_eq!(buffer.source(line).group_index, 1);
    }

    #[test]
    fn matching_uses_the_filter_language() {
        let mut buffer = LogBuffer::new(10, DEFAULT_BYTE_BUDGET);
        buffer.push(&event(0, r#"{"level":"ERROR"}"#));
        buffer.push(&event(1, r#"{"level":"INFO"}"#));
        let p = FilterPattern::parse(r#"{ $.level = "ERROR" }"#).unwrap();
        assert_eq!(buffer.matching(&p), vec![0]);
    }
}
