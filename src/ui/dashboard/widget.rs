//! One widget in its rect: a border titled with the widget's name, and
//! inside it the content for its type, a labelled placeholder for types
//! monitui does not draw, or the widget's error in place.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Modifier,
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Widget as _, Wrap},
};

use super::bars::fit;
use super::palette::Look;
use super::plot_lines::plot_lines;
use super::{alarm_list, contributors, data_table, log_table, markdown, numbers, time_series};
use crate::model::dashboard::{DashboardData, MetricView, Widget, WidgetContent};
use crate::sanitize::sanitize_line;

/// Draws `widget` filling `area`.
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    widget: &Widget,
    data: &DashboardData,
    look: &Look,
    selected: bool,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let styles = &look.styles;
    let border = if selected {
        styles.accent
    } else {
        styles.border
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            format!(
                " {} ",
                fit(
                    &sanitize_line(widget.name()),
                    usize::from(area.width.saturating_sub(4))
                )
                .trim_end()
            ),
            styles.text.add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    if let Some(failure) = data.failures.get(&widget.index) {
        error_text(inner, buf, &format!("⚠ {}", sanitize_line(failure)), look);
        return;
    }
    match &widget.content {
        Err(e) => error_text(
            inner,
            buf,
            &format!("⚠ {}", sanitize_line(&e.problem.to_string())),
            look,
        ),
        Ok(WidgetContent::Metric(m)) => {
            let lines = plot_lines(widget.index, m, data);
            match m.view {
                MetricView::TimeSeries => {
                    time_series::draw(inner, buf, m, &lines, data.range, look);
                }
                MetricView::Table => data_table::draw(inner, buf, m, &lines, data.range, look),
                _ => numbers::draw(inner, buf, m, &lines, look),
            }
        }
        Ok(WidgetContent::Alarm(a)) => {
            alarm_list::draw(inner, buf, a, &data.alarms, data.range.end, look);
        }
        Ok(WidgetContent::Text(t)) => {
            Paragraph::new(markdown::widget_lines(t, styles, usize::from(inner.height)))
                .wrap(Wrap { trim: false })
                .render(inner, buf);
        }
        Ok(WidgetContent::Log(l)) => {
            log_table::draw(inner, buf, l, data.logs.get(&widget.index), look);
        }
        Ok(WidgetContent::Contributors(c)) => {
            contributors::draw(inner, buf, c, data.contributors.get(&widget.index), look);
        }
        Ok(WidgetContent::Unsupported { type_name }) => {
            Paragraph::new(vec![
                Line::styled(
                    format!(
                        "\"{}\" widgets are not drawn in monitui",
                        sanitize_line(type_name)
                    ),
                    styles.dim,
                ),
                Line::styled("open the dashboard in the console to see it", styles.dim),
            ])
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        }
    }
}

fn error_text(area: Rect, buf: &mut Buffer, text: &str, look: &Look) {
    Paragraph::new(text.to_string())
        .style(look.styles.error)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
