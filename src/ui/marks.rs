//! Ack and silence markers, shared by the alarm table and the detail view:
//! `✔alice` for a live ack, `⊘ 1h 12m` while silenced, `silence overdue`
//! once a silence has expired but its actions are not yet re-enabled,
//! `unrecognised silence record` for silence tags monitui did not write
//! (no method or id: it leaves them and the alarm's actions alone). The
//! silence radar: `⊘ ends 12m` (warning colour) for a silence ending within
//! the hour, `⊘ ended 40m ago` for one that ended in the last hours. The
//! symbols are one cell wide and not emoji, so any terminal font shows them.

use jiff::Timestamp;
use ratatui::text::Span;

use super::style::Styles;
use crate::data::Annotation;
use crate::model::ack::{Silence, SilenceRecord, UNRECOGNISED_SILENCE};
use crate::model::handoff::{Radar, radar};
use crate::model::{Alarm, AlarmState};
use crate::report::format::{short_duration, since};
use crate::sanitize::sanitize_line;

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

/// `⊘ 1h 12m` left, `⊘ ends 12m` when that is within the hour (the
/// silence radar), or `silence overdue` past the expiry.
pub fn silence_span<'a>(silence: &Silence, now: Timestamp, styles: &Styles) -> Span<'a> {
    let left = short_duration(since(silence.until, now));
    match (silence.is_expired(now), radar(silence.until, now)) {
        (true, _) => Span::styled("silence overdue", styles.error),
        (false, Some(Radar::EndsSoon)) => Span::styled(
            format!("⊘ ends {left}"),
            styles.state(AlarmState::InsufficientData),
        ),
        (false, _) => Span::styled(format!("⊘ {left}"), styles.dim),
    }
}

/// The marks of an alarm's row: [`spans`], then, if its silence is gone
/// but `ended` lately (the silence radar), `⊘ ended 40m ago`.
pub fn row_spans<'a>(
    alarm: &Alarm,
    annotation: Option<&Annotation>,
    ended: Option<Timestamp>,
    now: Timestamp,
    styles: &Styles,
) -> Vec<Span<'a>> {
    let mut out = spans(alarm, annotation, now, styles);
    let silenced = annotation.is_some_and(|a| a.silence.is_some());
    if let Some(ended) = ended.filter(|e| !silenced && radar(*e, now).is_some()) {
        if !out.is_empty() {
            out.push(Span::raw(" "));
        }
        out.push(Span::styled(
            format!("⊘ ended {} ago", short_duration(since(now, ended))),
            styles.state(AlarmState::InsufficientData),
        ));
    }
    out
}
