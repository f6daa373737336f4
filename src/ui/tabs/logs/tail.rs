//! The tail: a status line (groups, follow or pause with the count of new
//! lines, lines lost, pattern, search), then the lines of the groups
//! interleaved by time, each group in its colour and each stream marked,
//! search hits and pattern terms highlighted, and, with `J`, the selected
//! line's JSON pretty-printed below. Only the lines on screen are laid out.

use std::ops::Range;

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::{Modifier, Style},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph},
};
use unicode_width::UnicodeWidthChar;

use super::group_style;
use crate::app::App;
use crate::app::tabs::logs::LogsTab;
use crate::app::tabs::logs::tail::TailView;
use crate::data::log_buffer::TailLine;
use crate::data::tailer::TailMode;
use crate::model::logs::short_group_name;
use crate::report::format::bytes_text;
use crate::sanitize::sanitize_text;
use crate::ui::style::Styles;

/// Longest group label.
const LABEL_MAX: usize = 24;
/// Stream markers, one per stream (cycled).
const STREAM_MARKS: [char; 4] = ['▏', '▎', '▍', '▌'];

/// Draws the tail; returns how many rows of lines fit.
pub fn draw(tab: &LogsTab, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
    let view = &tab.tail;
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(status(view, app, styles, area.width));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut notes = Vec::new();
    if let Some(problem) = &view.problem {
        notes.push(Line::styled(format!(" {problem}"), styles.error));
    }
    if let Some(e) = &view.pattern_error {
        notes.push(Line::styled(
            format!(" filter pattern: {}", sanitize_text(e)),
            styles.error,
        ));
    }
    if let Some(e) = &view.search_error {
        notes.push(Line::styled(
            format!(" search: {}", sanitize_text(e)),
            styles.error,
        ));
    }
    let [notes_area, body] =
        Layout::vertical([Constraint::Length(notes.len() as u16), Constraint::Fill(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(notes), notes_area);
    let (lines_area, json_area) = if view.pretty {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        (a, Some(b))
    } else {
        (body, None)
    };
    let layout = RowLayout::new(view, app, lines_area.width);
    let rows = visible_rows(view, &layout, app, styles, lines_area.height as usize);
    if rows.is_empty() {
        let text = if view.buffer().is_empty() {
            "  waiting for lines…"
        } else {
            "  no line passes the filter pattern (F changes it)"
        };
        frame.render_widget(Paragraph::new(text).style(styles.dim), lines_area);
    } else {
        frame.render_widget(Paragraph::new(rows), lines_area);
    }
    if let Some(area) = json_area {
        draw_json(view, frame, area, styles);
    }
    usize::from(lines_area.height)
}

/// Widths below this name the number of groups tailed, not the groups
/// (a single group is named at any width).
const NAMES_WIDTH: u16 = 110;

fn status<'a>(view: &TailView, app: &App, styles: &Styles, width: u16) -> Line<'a> {
    let buffer = view.buffer();
    let tailed = if width >= NAMES_WIDTH || view.groups.len() == 1 {
        let names: Vec<String> = view
            .groups
            .iter()
            .map(|g| sanitize_text(&short_group_name(g, &app.env.prefix)))
            .collect();
        names.join(", ")
    } else {
        match view.groups.len() {
            1 => "1 group".to_string(),
            n => format!("{n} groups"),
        }
    };
    let mut spans = vec![Span::styled(format!(" Tail {tailed} "), styles.accent)];
    match view.mode {
        TailMode::Live => spans.push(Span::styled("· live ", styles.dim)),
        TailMode::Polling => spans.push(Span::styled("· polling ", styles.dim)),
        TailMode::Starting => {}
    }
    if view.following() {
        spans.push(Span::styled("· following ", styles.dim));
    } else if view.new_lines() > 0 {
        spans.push(Span::styled(
            format!("· paused, {} new lines ", view.new_lines()),
            styles.error,
        ));
    } else {
        spans.push(Span::styled("· paused ", styles.accent));
    }
    spans.push(Span::styled(
        format!("· {}/{} lines ", view.shown().len(), buffer.len()),
        styles.dim,
    ));
    if buffer.dropped() > 0 {
        spans.push(Span::styled(
            format!("· lost {} ", buffer.dropped()),
            styles.error,
        ));
    }
    if let Some(lag) = view.behind {
        spans.push(Span::styled(
            format!("· {:.0} s behind ", lag.as_secs_f64().ceil()),
            styles.error,
        ));
    }
    if view.sampled > 0 {
        spans.push(Span::styled(
            format!("· sampled ×{} ", view.sampled),
            styles.error,
        ));
    }
    if let Some(h) = view.history() {
        spans.push(Span::styled(
            format!(
                "· history {}–{}{} (f: live) ",
                crate::model::zone::shown(h.range.start, "%H:%M"),
                crate::model::zone::shown(h.range.end, "%H:%M"),
                if h.truncated { ", cut" } else { "" }
            ),
            styles.accent,
        ));
    }
    if let Some(at) = view.loading {
        spans.push(Span::styled(
            format!(
                "· reading the lines around {}… ",
                crate::model::zone::shown(at, "%H:%M:%S")
            ),
            styles.accent,
        ));
    }
    if let Some(p) = view.pattern() {
        // How far back the pattern reaches, where there is room to say it.
        let since = view
            .reaches_back_to()
            .filter(|_| width >= NAMES_WIDTH)
            .map(|t| {
                format!(
                    " over the lines since {}",
                    crate::model::zone::shown(t, "%H:%M:%S")
                )
            })
            .unwrap_or_default();
        spans.push(Span::styled(
            format!("· F {}{since} ", sanitize_text(p.as_str())),
            styles.dim,
        ));
    }
    if view.search().is_some() {
        spans.push(Span::styled(
            format!("· /{} ", sanitize_text(view.search_text())),
            styles.dim,
        ));
    }
    Line::from(spans)
}

/// Column widths shared by every row.
struct RowLayout {
    labels: Vec<String>,
    label_width: usize,
    timestamps: bool,
    wrap: bool,
    width: usize,
}

impl RowLayout {
    fn new(view: &TailView, app: &App, width: u16) -> Self {
        let buffer = view.buffer();
        let mut labels: Vec<String> = Vec::new();
        for source in buffer.sources() {
            if labels.len() <= source.group_index {
                labels.resize(source.group_index + 1, String::new());
            }
            if labels[source.group_index].is_empty() {
                labels[source.group_index] = cut(
                    &sanitize_text(&short_group_name(&source.group, &app.env.prefix)),
                    LABEL_MAX,
                );
            }
        }
        let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        Self {
            labels,
            label_width,
            timestamps: view.timestamps,
            wrap: view.wrap,
            width: usize::from(width),
        }
    }

    /// Columns before the message.
    fn indent(&self) -> usize {
        (if self.timestamps { 13 } else { 0 }) + self.label_width + 3
    }
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The rows that fill `height`: ending at the newest line while
/// following, else from the top line, keeping the selected one in sight.
fn visible_rows<'a>(
    view: &TailView,
    layout: &RowLayout,
    app: &App,
    styles: &Styles,
    height: usize,
) -> Vec<Line<'a>> {
    let shown = view.shown();
    let buffer = view.buffer();
    let selected = if view.following() {
        None
    } else {
        view.selected()
    };
    let rows_of = |seq: u64| -> Vec<Line<'a>> {
        buffer
            .get(seq)
            .map(|line| line_rows(view, line, layout, app, styles, Some(seq) == selected))
            .unwrap_or_default()
    };
    let from_back = |end: usize| {
        let mut rows: Vec<Line<'a>> = Vec::new();
        for &seq in shown.range(..end).rev() {
            let mut these = rows_of(seq);
            these.reverse();
            rows.extend(these);
            if rows.len() >= height {
                break;
            }
        }
        rows.truncate(height);
        rows.reverse();
        rows
    };
    let Some(selected) = selected else {
        return from_back(shown.len());
    };
    let top = shown.partition_point(|&s| s < view.top());
    let sel = shown.partition_point(|&s| s < selected);
    let mut rows = Vec::new();
    let mut selected_end = None;
    for (i, &seq) in shown.range(top..).enumerate() {
        if rows.len() >= height {
            break;
        }
        rows.extend(rows_of(seq));
        if top + i == sel {
            selected_end = Some(rows.len());
        }
    }
    if rows.len() < height && top > 0 {
        // Everything from the top line on fits: fill the screen with the
        // lines before it too.
        return from_back(shown.len());
    }
    if selected_end.is_none_or(|end| end > height) {
        return from_back(sel + 1);
    }
    rows.truncate(height);
    rows
}

/// The rows of one line: prefix, then the message (cut or wrapped); the
/// lines of a multi-line message each start a row, indented.
fn line_rows<'a>(
    view: &TailView,
    line: &TailLine,
    layout: &RowLayout,
    app: &App,
    styles: &Styles,
    selected: bool,
) -> Vec<Line<'a>> {
    let buffer = view.buffer();
    let source = buffer.source(line);
    let group = group_style(app, styles, source.group_index);
    let stream_index = buffer
        .sources()
        .iter()
        .position(|s| s == source)
        .unwrap_or(0);
    let stream_style = group_style(app, styles, stream_index + 3);
    let base = if selected {
        styles.selected
    } else {
        styles.text
    };
    let mut prefix = Vec::new();
    if layout.timestamps {
        prefix.push(Span::styled(
            crate::model::zone::shown(line.at, "%H:%M:%S%.3f "),
            if selected { base } else { styles.dim },
        ));
    }
    let label = layout
        .labels
        .get(source.group_index)
        .cloned()
        .unwrap_or_default();
    let pad = layout.label_width.saturating_sub(label.chars().count());
    prefix.push(Span::styled(format!("{label}{} ", " ".repeat(pad)), group));
    prefix.push(Span::styled(
        format!("{} ", STREAM_MARKS[stream_index % STREAM_MARKS.len()]),
        stream_style,
    ));
    if let Some(whole) = line.cut_from() {
        prefix.push(Span::styled(
            format!("✂{} ", bytes_text(whole as u64)),
            if selected { base } else { styles.error },
        ));
    }
    let indent = layout.indent();
    let room = layout.width.saturating_sub(indent).max(1);
    let text = line.text();
    let marks = highlights(view, text);
    let mut rows = Vec::new();
    let mut offset = 0;
    for (n, part) in text.split('\n').enumerate() {
        let pieces = if layout.wrap {
            wrap(part, room)
        } else {
            std::iter::once(0..part.len()).collect()
        };
        for (k, piece) in pieces.into_iter().enumerate() {
            let mut spans = if n == 0 && k == 0 {
                prefix.clone()
            } else {
                vec![Span::styled(" ".repeat(indent), base)]
            };
            let range = offset + piece.start..offset + piece.end;
            spans.extend(styled(text, range, &marks, base, styles));
            rows.push(Line::from(spans));
        }
        offset += part.len() + 1;
    }
    rows
}

/// Byte ranges of `text` to highlight: search hits (reversed) and the
/// filter pattern's terms (underlined).
fn highlights(view: &TailView, text: &str) -> Vec<(Range<usize>, Modifier)> {
    let mut marks: Vec<(Range<usize>, Modifier)> = Vec::new();
    if let Some(p) = view.pattern() {
        marks.extend(
            p.match_spans(text)
                .into_iter()
                .map(|r| (r, Modifier::UNDERLINED | Modifier::BOLD)),
        );
    }
    if let Some(re) = view.search() {
        marks.extend(
            re.find_iter(text)
                .filter(|m| !m.is_empty())
                .map(|m| (m.range(), Modifier::REVERSED)),
        );
    }
    marks
}

/// Spans of `text[range]`, highlighted where `marks` say.
fn styled<'a>(
    text: &str,
    range: Range<usize>,
    marks: &[(Range<usize>, Modifier)],
    base: Style,
    styles: &Styles,
) -> Vec<Span<'a>> {
    let mut cuts = vec![range.start, range.end];
    for (m, _) in marks {
        for at in [m.start, m.end] {
            if at > range.start && at < range.end && text.is_char_boundary(at) {
                cuts.push(at);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let modifier = marks
                .iter()
                .filter(|(m, _)| m.start <= w[0] && w[1] <= m.end)
                .fold(Modifier::empty(), |acc, (_, md)| acc | *md);
            let style = if modifier.is_empty() {
                base
            } else {
                base.patch(styles.accent).add_modifier(modifier)
            };
            Span::styled(text[w[0]..w[1]].to_string(), style)
        })
        .collect()
}

/// Splits `text` into byte ranges of at most `width` columns.
fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width && at > start {
            out.push(start..at);
            start = at;
            used = 0;
        }
        used += w;
    }
    out.push(start..text.len());
    out
}

fn draw_json(view: &TailView, frame: &mut Frame, area: Rect, styles: &Styles) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(" JSON of the selected line ");
    let line = view.selected().and_then(|s| view.buffer().get(s));
    let text = match line.map(|l| {
        (
            l,
            serde_json::from_str::<serde_json::Value>(l.message.trim()),
        )
    }) {
        Some((l, _)) if l.cut_from().is_some() => cut_note(view, l),
        Some((_, Ok(value))) if value.is_object() || value.is_array() => {
            sanitize_text(&serde_json::to_string_pretty(&value).unwrap_or_default())
        }
        Some(_) => "the selected line is not a JSON object".to_string(),
        None => "no line selected".to_string(),
    };
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line::styled(l.to_string(), styles.text))
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}

/// What `J` says about a line kept cut: how much is kept, and the command
/// that prints the whole event.
fn cut_note(view: &TailView, line: &TailLine) -> String {
    let source = view.buffer().source(line);
    let whole = line.cut_from().unwrap_or(line.message.len());
    let until = line.at + jiff::SignedDuration::from_millis(1);
    sanitize_text(&format!(
        "This line is {}; the tail keeps its first {} to bound its memory.\n\
         The whole event:\n  monitui logs search '{}' --since {:.3} --until {:.3} --output json",
        bytes_text(whole as u64),
        bytes_text(line.message.len() as u64),
        source.group,
        line.at,
        until,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_splits_by_columns_on_char_boundaries() {
        assert_eq!(wrap("abcdef", 4), vec![0..4, 4..6]);
        assert_eq!(wrap("", 4), vec![0..0]);
        assert_eq!(wrap("日本語", 4), vec![0..6, 6..9]);
    }
}
