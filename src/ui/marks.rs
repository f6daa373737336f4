//! Ack and silence markers, shared by the alarm table and the detail view:
//! `✔alice` for a live ack, `⊘ 1h 12m` while silenced, `silence overdue`
//! once a silence has expired but its actions are not yet re-enabled,
//! `unrecognised silence record` for silence tags monitui did not write
//! (no method or id: it leaves them and the alarm's actions alone). The
//! symbols are one cell wide and not emoji, so any terminal font shows them.

use jiff::Timestamp;
use ratatui::text::Span;

use super::format::{short_duration, since};
use super::style::Styles;
use crate::data::Annotation;
use crate::model::Alarm;
use crate::model::ack::{Silence, SilenceRecord, UNRECOGNISED_SILENCE};
use crate::term::sanitize_line;

/// The marker spans for an alarm's annotation (empty when there is none).
pub fn spans<'a>(
    alarm: &Alarm,
    annotation: Option<&Annotation>,
    now: Timestamp,
    styles: &Styles,
) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    let Some(annotation) = annotation else {
        return out;
    };
    if let Some(ack) = annotation.live_ack(alarm) {
        out.push(Span::styled(
            format!("✔{}", sanitize_line(&ack.by)),
            styles.accent,
        ));
    }
    if let Some(silence) = &annotation.silence {
        if !out.is_empty() {
            out.push(Span::raw(" "));
        }
        out.push(record_span(silence, now, styles));
    }
    out
}

/// [`silence_span`] for monitui's own record, else [`UNRECOGNISED_SILENCE`].
pub fn record_span<'a>(record: &SilenceRecord, now: Timestamp, styles: &Styles) -> Span<'a> {
    match record {
        SilenceRecord::Own(silence) => silence_span(silence, now, styles),
        SilenceRecord::Unrecognised { .. } => Span::styled(UNRECOGNISED_SILENCE, styles.error),
    }
}

/// `⊘ 1h 12m` left, or `silence overdue` past the expiry.
pub fn silence_span<'a>(silence: &Silence, now: Timestamp, styles: &Styles) -> Span<'a> {
    if silence.is_expired(now) {
        Span::styled("silence overdue", styles.error)
    } else {
        Span::styled(
            format!("⊘ {}", short_duration(since(silence.until, now))),
            styles.dim,
        )
    }
}
