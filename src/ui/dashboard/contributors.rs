//! A Contributor Insights widget: the rule's top contributors as a bar
//! list (keys, bar, value), largest first, with the number of distinct
//! contributors under it.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::Line,
    widgets::{Paragraph, Widget, Wrap},
};

use super::bars::{self, BarItem};
use super::palette::Look;
use crate::model::dashboard::ContributorWidget;
use crate::model::insight_rule::InsightReport;
use crate::report::format::compact_number;
use crate::sanitize::sanitize_line;

/// Draws `widget`'s report (`None`: not fetched yet) in `area`.
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    widget: &ContributorWidget,
    report: Option<&Result<InsightReport, String>>,
    look: &Look,
) {
    let styles = &look.styles;
    let report = match report {
        None => {
            Paragraph::new(format!(
                "reading rule {}…",
                sanitize_line(&widget.rule_name)
            ))
            .style(styles.dim)
            .render(area, buf);
            return;
        }
        Some(Err(e)) => {
            Paragraph::new(format!("⚠ {}", sanitize_line(e)))
                .style(styles.error)
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        Some(Ok(report)) => report,
    };
    if report.contributors.is_empty() {
        Paragraph::new("no contributors in this time range")
            .style(styles.dim)
            .render(area, buf);
        return;
    }
    let high = report
        .contributors
        .iter()
        .map(|c| c.value)
        .fold(0.0, f64::max);
    let items: Vec<BarItem> = report
        .contributors
        .iter()
        .enumerate()
        .map(|(i, c)| BarItem {
            label: sanitize_line(&c.label()),
            value: Some(c.value),
            value_text: compact_number(c.value),
            style: look.line(i, None),
        })
        .collect();
    let footer = report.unique_contributors.map(|n| {
        format!(
            "{} by {} · {n} distinct",
            widget.order_by.as_str(),
            sanitize_line(&report.key_labels.join(", "))
        )
    });
    let bar_rows = match &footer {
        Some(_) if area.height > 2 => area.height - 1,
        _ => area.height,
    };
    bars::draw(
        Rect {
            height: bar_rows,
            ..area
        },
        buf,
        &items,
        (0.0, high),
        styles.dim,
    );
    if let Some(footer) = footer
        && bar_rows < area.height
    {
        Paragraph::new(Line::styled(footer, styles.dim)).render(
            Rect {
                y: area.y + bar_rows,
                height: 1,
                ..area
            },
            buf,
        );
    }
}
