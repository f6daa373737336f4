//! A `text` widget's markdown (parsed by pulldown-cmark) as styled lines:
//! headings, emphasis, strong, strikethrough, inline code and code blocks,
//! links (text, then the address when it differs), bullet and numbered
//! lists, block quotes, rules and tables (aligned columns). Raw HTML is
//! shown as text. Every piece of text is sanitised.
//!
//! A widget's markdown is parsed once into a [`TextDoc`] kept with the
//! widget; a draw maps only the lines that fit to styles. Anyone who can
//! put a dashboard can write its markdown, so the parse is bounded: the
//! first [`MAX_SOURCE_BYTES`] are read, lists and quotes deeper than
//! [`MAX_DEPTH`] are drawn at that depth, at most [`MAX_LINES`] lines are
//! kept, and the widget's last line says what was cut.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::{
    style::Modifier,
    text::{Line, Span},
};
use unicode_width::UnicodeWidthStr;

use crate::model::dashboard::TextWidget;
use crate::model::dashboard::text::{Emphasis, TextCut, TextDoc, TextSpan, Tone};
use crate::report::format::bytes_text;
use crate::sanitize::sanitize_line;
use crate::ui::style::Styles;

/// Markdown bytes parsed; the rest of a longer body is cut.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024;
/// Deepest list or quote nesting drawn as such.
pub const MAX_DEPTH: usize = 8;
/// Most lines a text widget keeps.
pub const MAX_LINES: usize = 4_000;

/// The widget's markdown as lines for a wrapping paragraph `rows` high:
/// parsed on the first call only, then only the lines that can show are
/// styled, and a last line says what was cut.
pub fn widget_lines(widget: &TextWidget, styles: &Styles, rows: usize) -> Vec<Line<'static>> {
    let doc = widget.parsed.get_or_init(|| parse(&widget.markdown));
    let mut lines: Vec<Line<'static>> = doc
        .lines
        .iter()
        .take(rows)
        .map(|spans| Line::from(spans.iter().map(|s| span(s, styles)).collect::<Vec<_>>()))
        .collect();
    if let Some(note) = cut_note(&doc.cuts) {
        if lines.len() >= rows && rows > 0 {
            lines.truncate(rows - 1);
        }
        lines.push(Line::styled(note, styles.dim));
    }
    lines
}

/// Parses `markdown` within the bounds above.
pub fn parse(markdown: &str) -> TextDoc {
    let mut cuts = Vec::new();
    let source = if markdown.len() > MAX_SOURCE_BYTES {
        let mut end = MAX_SOURCE_BYTES;
        while !markdown.is_char_boundary(end) {
            end -= 1;
        }
        // Cut at a line's end, so no construct is left half-written.
        let end = markdown[..end].rfind('\n').unwrap_or(end);
        cuts.push(TextCut::Size {
            kept: end,
            total: markdown.len(),
        });
        &markdown[..end]
    } else {
        markdown
    };
    // Sanitised before parsing: the parser would split an escape sequence
    // over several text events.
    let clean: Vec<String> = source.lines().map(sanitize_line).collect();
    let clean = clean.join("\n");
    let mut r = Renderer::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&clean, options) {
        r.event(event);
        if r.lines.len() > MAX_LINES {
            break;
        }
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.is_empty()) {
        r.lines.pop();
    }
    if r.deeper {
        cuts.push(TextCut::Depth(MAX_DEPTH));
    }
    if r.lines.len() > MAX_LINES {
        r.lines.truncate(MAX_LINES);
        cuts.push(TextCut::Lines(MAX_LINES));
    }
    TextDoc {
        lines: r.lines,
        cuts,
    }
}

/// What the last line of a cut widget says.
fn cut_note(cuts: &[TextCut]) -> Option<String> {
    let parts: Vec<String> = cuts
        .iter()
        .map(|cut| match *cut {
            TextCut::Size { kept, total } => format!(
                "the first {} of {} shown",
                bytes_text(kept as u64),
                bytes_text(total as u64)
            ),
            TextCut::Depth(depth) => format!("nesting past {depth} levels flattened"),
            TextCut::Lines(lines) => format!("the first {lines} lines shown"),
        })
        .collect();
    (!parts.is_empty()).then(|| format!("✂ text cut: {}", parts.join("; ")))
}

/// A parsed span in the theme's styles.
fn span(s: &TextSpan, styles: &Styles) -> Span<'static> {
    let mut style = match s.tone {
        Tone::Text => styles.text,
        Tone::Accent => styles.accent,
        Tone::Dim => styles.dim,
    };
    let e = s.emphasis;
    style = match e.bold {
        Some(true) => style.add_modifier(Modifier::BOLD),
        Some(false) => style.remove_modifier(Modifier::BOLD),
        None => style,
    };
    for (on, modifier) in [
        (e.italic, Modifier::ITALIC),
        (e.underlined, Modifier::UNDERLINED),
        (e.crossed, Modifier::CROSSED_OUT),
    ] {
        if on {
            style = style.add_modifier(modifier);
        }
    }
    Span::styled(s.text.clone(), style)
}

/// A tone with emphasis: how a piece of markdown is drawn.
#[derive(Debug, Clone, Copy, Default)]
struct Look {
    tone: Tone,
    emphasis: Emphasis,
}

impl Look {
    const TEXT: Look = Look::of(Tone::Text);
    const ACCENT: Look = Look::of(Tone::Accent);
    const DIM: Look = Look::of(Tone::Dim);

    const fn of(tone: Tone) -> Look {
        Look {
            tone,
            emphasis: Emphasis {
                bold: None,
                italic: false,
                underlined: false,
                crossed: false,
            },
        }
    }
}

/// A table being collected: rows of plain cells.
#[derive(Default)]
struct TableCells {
    rows: Vec<Vec<String>>,
    header_rows: usize,
}

struct Renderer {
    lines: Vec<Vec<TextSpan>>,
    current: Vec<TextSpan>,
    style: Vec<Look>,
    /// Next number of each open list (`None` for bullets).
    lists: Vec<Option<u64>>,
    links: Vec<String>,
    quote_depth: usize,
    in_code_block: bool,
    /// The last block was a heading: the next block follows without a gap.
    after_heading: bool,
    table: Option<TableCells>,
    /// Whether some list or quote was nested deeper than [`MAX_DEPTH`].
    deeper: bool,
}

impl Renderer {
    fn new() -> Self {
        Self {
            lines: Vec::new(),
            current: Vec::new(),
            style: vec![Look::TEXT],
            lists: Vec::new(),
            links: Vec::new(),
            quote_depth: 0,
            in_code_block: false,
            after_heading: false,
            table: None,
            deeper: false,
        }
    }

    fn top(&self) -> Look {
        *self.style.last().unwrap_or(&Look::TEXT)
    }

    fn push_style(&mut self, f: impl FnOnce(Look) -> Look) {
        let s = f(self.top());
        self.style.push(s);
    }

    fn pop_style(&mut self) {
        if self.style.len() > 1 {
            self.style.pop();
        }
    }

    fn text(&mut self, text: &str, look: Look) {
        if let Some(table) = &mut self.table {
            if let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push_str(&sanitize_line(text));
            }
            return;
        }
        if self.current.is_empty() && self.quote_depth > 0 {
            let depth = self.quote_depth.min(MAX_DEPTH);
            self.deeper |= self.quote_depth > MAX_DEPTH;
            self.current.push(spanned("│ ".repeat(depth), Look::DIM));
        }
        self.current.push(spanned(sanitize_line(text), look));
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.lines.push(std::mem::take(&mut self.current));
        }
    }

    /// Ends the current line and leaves one blank line before a new block.
    fn block_gap(&mut self) {
        self.flush();
        let after_heading = std::mem::take(&mut self.after_heading);
        if !after_heading
            && self.lists.is_empty()
            && self.lines.last().is_some_and(|l| !l.is_empty())
        {
            self.lines.push(Vec::new());
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code_block => {
                for line in t.lines() {
                    self.text(&format!("  {line}"), Look::ACCENT);
                    self.flush();
                }
            }
            Event::Text(t) => self.text(&t, self.top()),
            Event::Code(t) => self.text(&t, Look::ACCENT),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, self.top()),
            Event::Html(t) | Event::InlineHtml(t) => self.text(t.trim_end(), Look::DIM),
            Event::FootnoteReference(t) => self.text(&format!("[{t}]"), Look::DIM),
            Event::SoftBreak => self.text(" ", self.top()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.block_gap();
                self.lines.push(vec![spanned("─".repeat(20), Look::DIM)]);
            }
            Event::TaskListMarker(done) => {
                self.text(if done { "[x] " } else { "[ ] " }, self.top());
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph if self.lists.is_empty() => self.block_gap(),
            Tag::Heading { level, .. } => {
                self.block_gap();
                self.push_style(|_| {
                    let mut look = Look::ACCENT;
                    match level {
                        HeadingLevel::H1 => look.emphasis.underlined = true,
                        HeadingLevel::H2 => {}
                        _ => look.emphasis.bold = Some(false),
                    }
                    look
                });
            }
            Tag::BlockQuote(_) => {
                self.block_gap();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                self.block_gap();
                self.in_code_block = true;
            }
            Tag::List(first) => {
                if self.lists.is_empty() {
                    self.block_gap();
                } else {
                    self.flush();
                }
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                self.deeper |= depth > MAX_DEPTH;
                let depth = depth.min(MAX_DEPTH);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "• ".to_string(),
                };
                self.text(&format!("{}{marker}", "  ".repeat(depth)), Look::DIM);
            }
            Tag::Emphasis => self.push_style(|mut s| {
                s.emphasis.italic = true;
                s
            }),
            Tag::Strong => self.push_style(|mut s| {
                s.emphasis.bold = Some(true);
                s
            }),
            Tag::Strikethrough => self.push_style(|mut s| {
                s.emphasis.crossed = true;
                s
            }),
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                self.push_style(|mut s| {
                    s.emphasis.underlined = true;
                    s
                });
            }
            Tag::Image { dest_url, .. } => {
                self.text(&format!("[image {dest_url}] "), Look::DIM);
            }
            Tag::Table(_) => {
                self.block_gap();
                self.table = Some(TableCells::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(String::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                self.pop_style();
                self.flush();
                self.after_heading = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.flush();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => self.flush(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.pop_style(),
            TagEnd::Link => {
                self.pop_style();
                if let Some(url) = self.links.pop() {
                    let shown: String = self.current.iter().map(|s| s.text.as_str()).collect();
                    if !shown.ends_with(url.as_str()) {
                        self.text(&format!(" ({url})"), Look::DIM);
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.table_lines(&t);
                }
            }
            _ => {}
        }
    }

    fn table_lines(&mut self, table: &TableCells) {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (i, row) in table.rows.iter().enumerate() {
            let cells: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(c, w)| {
                    let text = row.get(c).map_or("", String::as_str);
                    format!("{text}{}", " ".repeat(w.saturating_sub(text.width())))
                })
                .collect();
            let look = if i < table.header_rows {
                Look::ACCENT
            } else {
                Look::TEXT
            };
            self.lines.push(vec![spanned(cells.join(" │ "), look)]);
            if i + 1 == table.header_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.lines.push(vec![spanned(rule.join("─┼─"), Look::DIM)]);
            }
        }
    }
}

/// `text` drawn as `look`.
fn spanned(text: String, look: Look) -> TextSpan {
    TextSpan {
        text,
        tone: look.tone,
        emphasis: look.emphasis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::theme::load_theme;

    /// Every line of `markdown`.
    fn to_lines(markdown: &str, styles: &Styles) -> Vec<Line<'static>> {
        widget_lines(&TextWidget::new(markdown.to_string()), styles, usize::MAX)
    }

    fn plain(md: &str) -> Vec<String> {
        let styles = Styles::new(&load_theme("default", None).unwrap());
        to_lines(md, &styles)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn blocks_lists_links_and_tables() {
        let md = "# Title\nSome *em* and **strong** and `code`.\n\n- one\n- two\n  1. inner\n\n\
                  [docs](https://example.com)\n\n| a | bb |\n|---|---|\n| 1 | 2 |\n\n> quoted";
        assert_eq!(
            plain(md),
            [
                "Title",
                "Some em and strong and code.",
                "",
                "• one",
                "• two",
                "  1. inner",
                "",
                "docs (https://example.com)",
                "",
                "a │ bb",
                "──┼───",
                "1 │ 2 ",
                "",
                "│ quoted",
            ]
        );
    }

    #[test]
    fn styles_follow_the_markup() {
        let styles = Styles::new(&load_theme("default", None).unwrap());
        let lines = to_lines("# H\n*i* **b**", &styles);
        assert!(
            lines[0].spans[0]
                .style
                .add_modifier
                .contains(Modifier::UNDERLINED)
        );
        let body = &lines[1].spans;
        assert!(body[0].style.add_modifier.contains(Modifier::ITALIC));
        assert!(body[2].style.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn a_megabyte_of_nested_lists_is_parsed_once_within_bounds_and_says_what_was_cut() {
        let styles = Styles::new(&load_theme("default", None).unwrap());
        let markdown: Vec<String> = (0..2_500)
            .map(|i| format!("{}item {i}", "- ".repeat(200)))
            .collect();
        let widget = TextWidget::new(markdown.join("\n"));
        assert!(widget.markdown.len() > 1_000_000);
        let lines = widget_lines(&widget, &styles, 10);
        assert_eq!(lines.len(), 10, "only the rows that show");
        let text = |l: &Line| -> String { l.spans.iter().map(|s| s.content.as_ref()).collect() };
        assert_eq!(
            text(&lines[9]),
            "✂ text cut: the first 63.8 KiB of 999.9 KiB shown; nesting past 8 levels \
             flattened; the first 4000 lines shown"
        );
        let doc = widget.parsed.get().expect("the first draw keeps the parse");
        assert!(doc.lines.len() <= MAX_LINES);
        let widest = doc
            .lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.len()).sum::<usize>())
            .max()
            .unwrap();
        assert!(
            widest < 4 * MAX_DEPTH + 40,
            "indentation stops at the depth cap: {widest}"
        );
        assert_eq!(
            widget_lines(&widget, &styles, 10),
            lines,
            "later draws reuse it"
        );
        assert!(
            cut_note(&parse("# short").cuts).is_none(),
            "an ordinary body says nothing"
        );
    }

    #[test]
    fn escape_sequences_in_markdown_are_removed() {
        let out = plain("hello \u{1b}]0;pwned\u{7} world\n\n```\nx\u{1b}[2Jy\n```");
        assert_eq!(out, ["hello  world", "", "  xy"]);
    }
}
