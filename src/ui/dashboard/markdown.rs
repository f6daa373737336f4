//! A `text` widget's markdown (parsed by pulldown-cmark) as styled lines:
//! headings, emphasis, strong, strikethrough, inline code and code blocks,
//! links (text, then the address when it differs), bullet and numbered
//! lists, block quotes, rules and tables (aligned columns). Raw HTML is
//! shown as text. Every piece of text is sanitised.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::{
    style::{Modifier, Style},
    text::{Line, Span},
};
use unicode_width::UnicodeWidthStr;

use crate::term::sanitize_line;
use crate::ui::style::Styles;

/// The markdown as lines ready for a wrapping paragraph.
pub fn to_lines(markdown: &str, styles: &Styles) -> Vec<Line<'static>> {
    // Sanitised before parsing: the parser would split an escape sequence
    // over several text events.
    let clean: Vec<String> = markdown.lines().map(sanitize_line).collect();
    let clean = clean.join("\n");
    let mut r = Renderer::new(styles);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&clean, options) {
        r.event(event);
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    r.lines
}

/// A table being collected: rows of plain cells.
#[derive(Default)]
struct TableCells {
    rows: Vec<Vec<String>>,
    header_rows: usize,
}

struct Renderer<'s> {
    styles: &'s Styles,
    lines: Vec<Line<'static>>,
    current: Vec<Span<'static>>,
    style: Vec<Style>,
    /// Next number of each open list (`None` for bullets).
    lists: Vec<Option<u64>>,
    links: Vec<String>,
    quote_depth: usize,
    in_code_block: bool,
    /// The last block was a heading: the next block follows without a gap.
    after_heading: bool,
    table: Option<TableCells>,
}

impl<'s> Renderer<'s> {
    fn new(styles: &'s Styles) -> Self {
        Self {
            styles,
            lines: Vec::new(),
            current: Vec::new(),
            style: vec![styles.text],
            lists: Vec::new(),
            links: Vec::new(),
            quote_depth: 0,
            in_code_block: false,
            after_heading: false,
            table: None,
        }
    }

    fn top(&self) -> Style {
        *self.style.last().unwrap_or(&self.styles.text)
    }

    fn push_style(&mut self, f: impl FnOnce(Style) -> Style) {
        let s = f(self.top());
        self.style.push(s);
    }

    fn pop_style(&mut self) {
        if self.style.len() > 1 {
            self.style.pop();
        }
    }

    fn text(&mut self, text: &str, style: Style) {
        if let Some(table) = &mut self.table {
            if let Some(cell) = table.rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push_str(&sanitize_line(text));
            }
            return;
        }
        if self.current.is_empty() && self.quote_depth > 0 {
            self.current
                .push(Span::styled("│ ".repeat(self.quote_depth), self.styles.dim));
        }
        self.current.push(Span::styled(sanitize_line(text), style));
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.lines
                .push(Line::from(std::mem::take(&mut self.current)));
        }
    }

    /// Ends the current line and leaves one blank line before a new block.
    fn block_gap(&mut self) {
        self.flush();
        let after_heading = std::mem::take(&mut self.after_heading);
        if !after_heading
            && self.lists.is_empty()
            && self.lines.last().is_some_and(|l| !l.spans.is_empty())
        {
            self.lines.push(Line::default());
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code_block => {
                for line in t.lines() {
                    self.text(&format!("  {line}"), self.styles.accent);
                    self.flush();
                }
            }
            Event::Text(t) => self.text(&t, self.top()),
            Event::Code(t) => self.text(&t, self.styles.accent),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, self.top()),
            Event::Html(t) | Event::InlineHtml(t) => self.text(t.trim_end(), self.styles.dim),
            Event::FootnoteReference(t) => self.text(&format!("[{t}]"), self.styles.dim),
            Event::SoftBreak => self.text(" ", self.top()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.block_gap();
                self.lines
                    .push(Line::styled("─".repeat(20), self.styles.dim));
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
                let accent = self.styles.accent;
                self.push_style(|_| match level {
                    HeadingLevel::H1 => accent.add_modifier(Modifier::UNDERLINED),
                    HeadingLevel::H2 => accent,
                    _ => accent.remove_modifier(Modifier::BOLD),
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
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "• ".to_string(),
                };
                self.text(&format!("{}{marker}", "  ".repeat(depth)), self.styles.dim);
            }
            Tag::Emphasis => self.push_style(|s| s.add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(|s| s.add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                self.push_style(|s| s.add_modifier(Modifier::UNDERLINED));
            }
            Tag::Image { dest_url, .. } => {
                self.text(&format!("[image {dest_url}] "), self.styles.dim);
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
                    let shown: String = self.current.iter().map(|s| s.content.as_ref()).collect();
                    if !shown.ends_with(url.as_str()) {
                        self.text(&format!(" ({url})"), self.styles.dim);
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
            let style = if i < table.header_rows {
                self.styles.accent
            } else {
                self.styles.text
            };
            self.lines.push(Line::styled(cells.join(" │ "), style));
            if i + 1 == table.header_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.lines
                    .push(Line::styled(rule.join("─┼─"), self.styles.dim));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::theme::load_theme;

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
    fn escape_sequences_in_markdown_are_removed() {
        let out = plain("hello \u{1b}]0;pwned\u{7} world\n\n```\nx\u{1b}[2Jy\n```");
        assert_eq!(out, ["hello  world", "", "  xy"]);
    }
}
