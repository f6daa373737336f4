//! Small centred popups: the ack prompt, the silence dialog, the
//! confirmation that asks for the env name, and the MFA code dialog.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Clear, Paragraph, Wrap},
};

use super::style::Styles;
use crate::app::dialog::{
    AckPrompt, CUSTOM_CHOICE, ConfirmForm, MFA_CODE_DIGITS, MfaForm, SILENCE_PRESETS, SilenceField,
    SilenceForm, describe,
};
use crate::app::overlay::Overlay;
use crate::sanitize::sanitize_line;

/// Widest a dialog gets.
const WIDTH: u16 = 72;

/// A `width` x `height` rectangle centred in `area`, clipped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height.min(area.height)),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width.min(area.width)),
        Constraint::Fill(1),
    ])
    .areas(mid);
    popup
}

/// Draws `overlay` if it is a dialog.
pub fn draw(frame: &mut Frame, area: Rect, overlay: &Overlay, styles: &Styles) {
    let (title, lines) = match overlay {
        Overlay::Ack(prompt) => ack(prompt, styles),
        Overlay::Silence(form) => silence(form, styles),
        Overlay::Confirm(form) => confirm(form, styles),
        Overlay::Mfa(form) => mfa(form, styles),
        _ => return,
    };
    popup(frame, area, title, lines, styles);
}

/// Draws the MFA code dialog, if a sign-in waits for one (the alarm wall
/// draws any env's over everything: it takes the keys while open).
pub fn draw_mfa(frame: &mut Frame, area: Rect, form: Option<&MfaForm>, styles: &Styles) {
    if let Some(form) = form {
        let (title, lines) = mfa(form, styles);
        popup(frame, area, title, lines, styles);
    }
}

/// A bordered box titled `title` holding `lines`, centred in `area`.
fn popup(frame: &mut Frame, area: Rect, title: String, lines: Vec<Line>, styles: &Styles) {
    let width = WIDTH.min(area.width);
    let height = wrapped_height(&lines, width.saturating_sub(2)) + 2;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(styles.accent)
        .title(Span::styled(title, styles.accent));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// Rows the lines take once wrapped at `width` (rough: by display width).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(width) as u16)
        .sum()
}

fn cursor<'a>(text: &str, styles: &Styles, focused: bool) -> Vec<Span<'a>> {
    let mut spans = vec![Span::styled(sanitize_line(text), styles.text)];
    if focused {
        spans.push(Span::styled("█", styles.dim));
    }
    spans
}

fn hint<'a>(text: &'a str, styles: &Styles) -> Line<'a> {
    Line::styled(text, styles.dim)
}

fn error<'a>(lines: &mut Vec<Line<'a>>, message: Option<&str>, styles: &Styles) {
    if let Some(message) = message {
        lines.push(Line::styled(sanitize_line(message), styles.error));
    }
}

fn ack<'a>(prompt: &AckPrompt, styles: &Styles) -> (String, Vec<Line<'a>>) {
    let mut note = vec![Span::styled("note (optional): ", styles.accent)];
    note.extend(cursor(&prompt.note, styles, true));
    (
        format!(" Ack {} ", sanitize_line(&prompt.alarm)),
        vec![
            Line::from(note),
            hint("Enter to ack, Esc to cancel", styles),
        ],
    )
}

fn silence<'a>(form: &SilenceForm, styles: &Styles) -> (String, Vec<Line<'a>>) {
    let on_duration = form.focus == SilenceField::Duration;
    let mut choices = vec![Span::styled(
        if on_duration {
            "▸ for:  "
        } else {
            "  for:  "
        },
        styles.accent,
    )];
    for (i, (label, _)) in SILENCE_PRESETS.iter().enumerate() {
        choices.push(choice(label.to_string(), form.choice == i, styles));
        choices.push(Span::raw(" "));
    }
    let custom = form.choice == CUSTOM_CHOICE;
    choices.push(choice("custom:".to_string(), custom, styles));
    choices.push(Span::raw(" "));
    choices.extend(cursor(&form.custom, styles, on_duration && custom));
    let on_note = form.focus == SilenceField::Note;
    let mut note = vec![Span::styled(
        if on_note { "▸ note: " } else { "  note: " },
        styles.accent,
    )];
    note.extend(cursor(&form.note, styles, on_note));
    if form.note.trim().is_empty() {
        note.push(Span::styled(" (required)", styles.dim));
    }
    let mut lines = vec![Line::from(choices), Line::from(note)];
    error(&mut lines, form.error.as_deref(), styles);
    lines.push(hint(
        "←/→ duration, or type one (90m, 2h30m) · Tab note · Enter silence",
        styles,
    ));
    (format!(" Silence {} ", sanitize_line(&form.alarm)), lines)
}

fn choice<'a>(label: String, chosen: bool, styles: &Styles) -> Span<'a> {
    if chosen {
        Span::styled(format!("[{label}]"), styles.selected)
    } else {
        Span::styled(format!(" {label} "), styles.text)
    }
}

fn mfa<'a>(form: &MfaForm, styles: &Styles) -> (String, Vec<Line<'a>>) {
    let request = &form.ask.request;
    let field = |label: &'static str, value: &str| {
        Line::from(vec![
            Span::styled(label, styles.dim),
            Span::styled(sanitize_line(value), styles.text),
        ])
    };
    // The cursor stands on the first blank.
    let blanks = "_".repeat(MFA_CODE_DIGITS.saturating_sub(form.code.len() + 1));
    let mut code = vec![Span::styled("code: ", styles.accent)];
    code.extend(cursor(&form.code, styles, true));
    code.push(Span::styled(blanks, styles.dim));
    let mut lines = vec![
        Line::styled(
            format!(
                "Signing in to profile {} needs the current code of its MFA device.",
                sanitize_line(&request.profile)
            ),
            styles.text,
        ),
        field("device: ", &request.serial),
        field("role:   ", &request.role_arn),
        Line::from(code),
    ];
    error(&mut lines, form.error.as_deref(), styles);
    lines.push(hint(
        "Enter to sign in, Esc to cancel (the env stays signed out until r)",
        styles,
    ));
    (" MFA code ".to_string(), lines)
}

fn confirm<'a>(form: &ConfirmForm, styles: &Styles) -> (String, Vec<Line<'a>>) {
    let mut lines = vec![Line::styled(
        sanitize_line(&format!("This will {}.", describe(&form.mutation))),
        styles.text,
    )];
    match &form.require {
        Some(env) => {
            let mut typed = vec![Span::styled(
                format!("type '{}' to confirm: ", sanitize_line(env)),
                styles.accent,
            )];
            typed.extend(cursor(&form.typed, styles, true));
            lines.push(Line::from(typed));
            error(&mut lines, form.error.as_deref(), styles);
            lines.push(hint("Enter to confirm, Esc to cancel", styles));
        }
        None => lines.push(hint("Enter to go ahead, Esc to cancel", styles)),
    }
    (" Confirm ".to_string(), lines)
}
