//! Horizontal bars, one row per item: `label ████████░░░ value`. Used by
//! the `bar`, `pie` and `gauge` views of metric widgets and by log widgets
//! whose results are a label and a number.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Style,
    text::{Line, Span},
    widgets::{Paragraph, Widget},
};
use unicode_width::UnicodeWidthStr;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct BarItem {
    /// Text before the bar (already sanitised).
    pub label: String,
    /// The value; `None` draws an empty bar marked "no data".
    pub value: Option<f64>,
    /// Text after the bar.
    pub value_text: String,
    /// Style of the filled part.
    pub style: Style,
}

/// Draws one bar per row of `area` scaled to `low..high`; items that do not
/// fit are left out (the last row says how many).
pub fn draw(area: Rect, buf: &mut Buffer, items: &[BarItem], (low, high): (f64, f64), dim: Style) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let shown = if items.len() > usize::from(area.height) {
        usize::from(area.height.saturating_sub(1))
    } else {
        items.len()
    };
    let width = usize::from(area.width);
    let label_width = items
        .iter()
        .map(|i| i.label.width())
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let value_width = items
        .iter()
        .map(|i| i.value_text.width())
        .max()
        .unwrap_or(0)
        .min(width / 4);
    let bar_width = width.saturating_sub(label_width + value_width + 2);
    let span = (high - low).max(f64::MIN_POSITIVE);
    let mut rows: Vec<Line> = items[..shown]
        .iter()
        .map(|item| {
            let filled = item.value.map_or(0, |v| {
                let share = ((v - low) / span).clamp(0.0, 1.0);
                (share * bar_width as f64).round() as usize
            });
            Line::from(vec![
                Span::raw(fit_middle(&item.label, label_width)),
                Span::raw(" "),
                Span::styled("█".repeat(filled), item.style),
                Span::styled("░".repeat(bar_width - filled), dim),
                Span::raw(" "),
                Span::raw(item.value_text.clone()),
            ])
        })
        .collect();
    if shown < items.len() {
        rows.push(Line::styled(format!("+{} more", items.len() - shown), dim));
    }
    Paragraph::new(rows).render(area, buf);
}

/// `text` cut (with `…`) or padded to exactly `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let total = text.width();
    if total <= width {
        return format!("{text}{}", " ".repeat(width - total));
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out.push_str(&" ".repeat(width - used - 1));
    out
}

/// `text` padded to `width` columns, or cut in the middle (`head…tail`)
/// so that labels differing only at the end (dimension values) stay apart.
pub fn fit_middle(text: &str, width: usize) -> String {
    if text.width() <= width || width < 5 {
        return fit(text, width);
    }
    let head_width = (width - 1) / 3;
    let head = fit(text, head_width + 1);
    let head = head.trim_end_matches('…');
    let mut tail: Vec<char> = Vec::new();
    let mut used = head.width() + 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        tail.push(c);
        used += w;
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}{}", " ".repeat(width - used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_and_pads() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 3), "日…");
        assert_eq!(fit("x", 0), "");
    }

    #[test]
    fn fit_middle_keeps_both_ends() {
        assert_eq!(
            fit_middle("Throttles ecommerce-ai-platform-auth-service", 24),
            "Throttl…orm-auth-service"
        );
        assert_eq!(fit_middle("short", 8), "short   ");
        assert_eq!(fit_middle("abcdefgh", 4), "abc…");
    }
}
