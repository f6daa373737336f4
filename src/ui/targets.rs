//! The service level targets on screen: the Overview's Targets panel (one
//! line a target: name, current value against the objective, the error
//! budget left as a bar, and the burn rate with the window that burns)
//! and the targets' view (`T`): one target's numbers, and its SLI per
//! period over the window with the budget line.

use jiff::Timestamp;
use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph},
};

use super::chart::{Limit, draw_limited};
use super::style::Styles;
use crate::model::names::without_prefix;
use crate::model::slo::{BURNING, SloStatus};
use crate::model::{AlarmState, Series, TimeRange};
use crate::report::format::{budget_time_text, burn_text, percent_text, window_text};
use crate::sanitize::sanitize_line;

/// Lines the panel takes for `count` targets (its title and one a target).
pub fn panel_height(count: usize) -> u16 {
    if count == 0 {
        0
    } else {
        u16::try_from(count).unwrap_or(u16::MAX).saturating_add(1)
    }
}

/// How a budget share reads: green while more than half is left, amber
/// while some is, red once spent.
fn budget_style(left: Option<f64>, styles: &Styles) -> Style {
    match left {
        Some(l) if l > 50.0 => styles.state(AlarmState::Ok),
        Some(l) if l > 0.0 => styles.state(AlarmState::InsufficientData),
        Some(_) => styles.state(AlarmState::Alarm),
        None => styles.dim,
    }
}

/// `████░░░░`: the budget left, `width` cells.
fn budget_bar(left: Option<f64>, width: usize) -> String {
    let filled = left.map_or(0, |l| {
        ((l / 100.0).clamp(0.0, 1.0) * width as f64).round() as usize
    });
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The burn rate to show and the window it is over: the shortest window
/// burning faster than the budget lasts, else the highest.
fn burn_span(status: &SloStatus, styles: &Styles) -> Span<'static> {
    match status.burning() {
        Some(b) if b.rate.is_some_and(|r| r >= BURNING) => Span::styled(
            format!("▲ {} {}", burn_text(b.rate), b.window),
            styles.state(AlarmState::Alarm),
        ),
        Some(b) => Span::styled(format!("  {} {}", burn_text(b.rate), b.window), styles.dim),
        None => Span::styled("  -", styles.dim),
    }
}

/// The name a target shows: without the env's prefix, sanitised.
fn short_name(status: &SloStatus, prefix: &str) -> String {
    sanitize_line(&without_prefix(&status.name, prefix))
}

/// Draws the Targets panel over `area` (see [`panel_height`]).
pub fn draw_panel(
    frame: &mut Frame,
    area: Rect,
    slos: &[SloStatus],
    prefix: &str,
    styles: &Styles,
) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(Line::from(vec![
            Span::styled(" Targets ", styles.accent),
            Span::styled(
                format!("{} service level targets · T: charts ", slos.len()),
                styles.dim,
            ),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let names: Vec<String> = slos.iter().map(|s| short_name(s, prefix)).collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let name_width = u16::try_from(longest + 2)
        .unwrap_or(u16::MAX)
        .min(inner.width / 3);
    for (i, (status, name)) in slos.iter().zip(&names).enumerate() {
        let Ok(offset) = u16::try_from(i) else { break };
        if offset >= inner.height {
            break;
        }
        let row = Rect {
            y: inner.y + offset,
            height: 1,
            ..inner
        };
        let [name_area, value_area, bar_area, left_area, burn_area] = Layout::horizontal([
            Constraint::Length(name_width),
            Constraint::Length(17),
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(12),
        ])
        .spacing(1)
        .areas(row);
        frame.render_widget(
            Paragraph::new(Span::styled(format!("  {name}"), styles.text)),
            name_area,
        );
        if let Some(error) = &status.error {
            let text = format!("cannot read: {}", sanitize_line(error));
            let rest = Rect {
                width: row.width.saturating_sub(name_width + 1),
                x: value_area.x,
                ..row
            };
            frame.render_widget(Paragraph::new(Span::styled(text, styles.error)), rest);
            continue;
        }
        let value = format!("{} / {}%", percent_text(status.current), status.objective);
        let meets = status.current.is_some_and(|c| c >= status.objective);
        let value_style = if meets || status.current.is_none() {
            styles.text
        } else {
            styles.error
        };
        frame.render_widget(
            Paragraph::new(Span::styled(value, value_style)).right_aligned(),
            value_area,
        );
        let bar_style = budget_style(status.budget_remaining, styles);
        frame.render_widget(
            Paragraph::new(Span::styled(
                budget_bar(status.budget_remaining, usize::from(bar_area.width)),
                bar_style,
            )),
            bar_area,
        );
        let left = status
            .budget_remaining
            .map_or("-".into(), |l| format!("{l:.0}%"));
        frame.render_widget(
            Paragraph::new(Span::styled(left, bar_style)).right_aligned(),
            left_area,
        );
        frame.render_widget(Paragraph::new(burn_span(status, styles)), burn_area);
    }
}

/// Draws the targets' view: target `index`'s numbers and its chart.
pub fn draw_view(
    frame: &mut Frame,
    area: Rect,
    (slos, index): (&[SloStatus], usize),
    (prefix, now): (&str, Timestamp),
    styles: &Styles,
) {
    let Some(status) = slos.get(index) else {
        return;
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(Line::from(vec![
            Span::styled(format!(" {} ", short_name(status, prefix)), styles.accent),
            Span::styled(
                format!(
                    "target {} of {} · j/k: next · Esc: back ",
                    index + 1,
                    slos.len()
                ),
                styles.dim,
            ),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [facts_area, chart_area] =
        Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(inner);
    let label = |text: &str| Span::styled(format!("  {text} "), styles.dim);
    let burns: Vec<Span> = status
        .burn_rates
        .iter()
        .flat_map(|b| {
            let style = if b.rate.is_some_and(|r| r >= BURNING) {
                styles.state(AlarmState::Alarm)
            } else {
                styles.text
            };
            [label(&b.window), Span::styled(burn_text(b.rate), style)]
        })
        .collect();
    let budget_style = budget_style(status.budget_remaining, styles);
    let facts = vec![
        Line::from(vec![
            label("promise"),
            Span::styled(sanitize_line(&status.description), styles.text),
        ]),
        Line::from(vec![
            label("SLI"),
            Span::styled(sanitize_line(&status.sli), styles.text),
        ]),
        Line::from(vec![
            label("current"),
            Span::styled(percent_text(status.current), styles.text),
            label(&format!(
                "objective {}% over {}",
                status.objective,
                window_text(status.window_secs)
            )),
        ]),
        Line::from(
            [
                vec![
                    label("budget left"),
                    Span::styled(percent_text(status.budget_remaining), budget_style),
                    Span::styled(
                        format!(" ({})", budget_time_text(status.budget_remaining_secs)),
                        budget_style,
                    ),
                    label("  burn"),
                ],
                burns,
            ]
            .concat(),
        ),
    ];
    frame.render_widget(Paragraph::new(facts), facts_area);
    if let Some(error) = &status.error {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("  cannot read: {}", sanitize_line(error)),
                styles.error,
            )),
            chart_area,
        );
        return;
    }
    let series = Series {
        id: String::new(),
        label: String::new(),
        points: status.periods.clone(),
        message: None,
    };
    let budget = status.budget_line();
    let limit = Limit {
        value: budget,
        label: format!("budget line {budget:.2}% bad"),
        series_label: "% bad per period".into(),
        breaches: &|v| v > budget,
    };
    let start = now
        .checked_sub(jiff::SignedDuration::from_secs(
            i64::try_from(status.window_secs).unwrap_or(i64::MAX),
        ))
        .unwrap_or(now);
    draw_limited(
        frame,
        chart_area,
        &series,
        TimeRange { start, end: now },
        &limit,
        styles,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_shows_the_budget_left_and_nothing_once_spent() {
        assert_eq!(budget_bar(Some(50.0), 8), "████░░░░");
        assert_eq!(budget_bar(Some(-300.0), 4), "░░░░");
        assert_eq!(budget_bar(Some(100.0), 3), "███");
        assert_eq!(budget_bar(None, 2), "░░");
    }
}
