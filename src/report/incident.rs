//! An incident timeline as text for a terminal or as markdown for the
//! incident channel and the postmortem (what `monitui incident` prints and
//! what `y` copies in the timeline view): a summary line, a text chart of
//! the metric with its threshold, the state changes, the error lines per
//! minute and the most frequent ones, the CloudTrail write events, the
//! acks, silences and tests, and the other alarms that changed. Every
//! text that came from AWS is sanitised; nothing here writes an escape
//! sequence.

use std::fmt::Write as _;

use jiff::Timestamp;

use super::{Flavor, Report, clock, counted};
use crate::data::incident::{Part, Timeline};
use crate::model::incident::failures::failures;
use crate::model::incident::{errors_per_minute, top_errors};
use crate::model::{AlarmState, Series, TimeRange};
use crate::report::table::zoned;
use crate::sanitize::sanitize_line;

/// Rows of the metric chart.
const CHART_ROWS: usize = 8;
/// Columns of the metric chart at most.
const CHART_COLUMNS: usize = 72;
/// Error lines listed by frequency.
const TOP_ERRORS: usize = 10;

/// The whole report of `timeline`.
pub fn report(timeline: &Timeline, flavor: Flavor) -> String {
    let mut out = Report::new(flavor);
    let (Some(alarm), Some(window)) = (&timeline.alarm, timeline.window) else {
        return "no timeline: the alarm could not be read\n".into();
    };
    let name = sanitize_line(&alarm.name);
    out.heading(1, &format!("Incident: {name}"));
    out.line(&summary(timeline, window));
    out.blank();

    out.heading(2, "Metric");
    match &timeline.metric {
        None => out.line("(still loading)"),
        Some(Err(e)) => out.failed(e),
        Some(Ok(None)) => out.line("(this alarm watches no single metric)"),
        Some(Ok(Some(series))) => {
            let threshold = alarm.metric_spec().map(|s| s.threshold);
            out.line(&format!(
                "{} ({}), threshold {}",
                sanitize_line(&alarm.metric_label()),
                alarm
                    .metric_spec()
                    .map(|s| format!("{} per {}s", s.stat, s.period_secs))
                    .unwrap_or_default(),
                sanitize_line(&alarm.threshold_label())
            ));
            out.code(&chart(series, threshold, window));
        }
    }

    out.heading(2, "State changes");
    let changes: Vec<Vec<String>> = timeline
        .state_changes
        .iter()
        .rev()
        .map(|h| {
            let (from, to) = h.transition.unwrap_or((AlarmState::Ok, AlarmState::Ok));
            vec![
                clock(h.timestamp),
                format!("{from} -> {to}"),
                sanitize_line(&h.summary),
            ]
        })
        .collect();
    out.table(
        &[&zoned("TIME"), "CHANGE", "SUMMARY"],
        &changes,
        "none in the window",
    );

    out.heading(2, "Error lines");
    match &timeline.logs {
        None => out.line("(still loading)"),
        Some(Err(e)) => out.failed(e),
        Some(Ok(logs)) => {
            let groups: Vec<String> = logs.groups.iter().map(|g| sanitize_line(g)).collect();
            let found = failures(&logs.events);
            out.line(&format!(
                "{} in {}{}",
                failures_counted(found.len(), logs.events.len()),
                if groups.is_empty() {
                    "no related log group (give --log-group)".to_string()
                } else {
                    groups.join(", ")
                },
                if logs.truncated {
                    " (more were cut)"
                } else {
                    ""
                }
            ));
            for (group, why) in &logs.failed {
                out.failed(&format!("{}: {}", sanitize_line(group), sanitize_line(why)));
            }
            if !logs.events.is_empty() {
                out.code(&per_minute(&errors_per_minute(&found, window)));
                let top: Vec<Vec<String>> = top_errors(&found, TOP_ERRORS)
                    .into_iter()
                    .map(|t| vec![t.count.to_string(), sanitize_line(&t.example)])
                    .collect();
                out.table(&["FAILURES", "ERROR (first of its kind)"], &top, "");
            }
        }
    }

    out.heading(2, "CloudTrail write events");
    match &timeline.trail {
        None => out.line("(still loading)"),
        Some(Err(e)) => out.failed(e),
        Some(Ok(trail)) => {
            let rows: Vec<Vec<String>> = trail
                .events
                .iter()
                .rev()
                .map(|r| {
                    vec![
                        r.event_time.map(clock).unwrap_or_default(),
                        sanitize_line(&r.user()),
                        sanitize_line(&r.event_name),
                        sanitize_line(&r.changed().map(|c| c.label()).unwrap_or_default()),
                        sanitize_line(&r.event_source),
                        sanitize_line(r.error_code.as_deref().unwrap_or("")),
                    ]
                })
                .collect();
            out.table(
                &[
                    &zoned("TIME"),
                    "USER",
                    "EVENT",
                    "RESOURCE",
                    "SOURCE",
                    "ERROR",
                ],
                &rows,
                "none in the window",
            );
            if trail.more {
                out.line("(more events are available: narrow the window)");
            }
        }
    }

    out.heading(2, "Acks, silences and tests");
    part_table(
        &mut out,
        &timeline.annotations,
        |entries| {
            entries
                .iter()
                .map(|e| {
                    vec![
                        clock(e.when),
                        sanitize_line(&e.who),
                        e.what.clone(),
                        e.result.as_str().to_string(),
                        sanitize_line(&e.note),
                    ]
                })
                .collect()
        },
        &[&zoned("TIME"), "WHO", "WHAT", "RESULT", "NOTE"],
    );

    out.heading(2, "Other alarms");
    part_table(
        &mut out,
        &timeline.other_alarms,
        |changes| {
            changes
                .iter()
                .rev()
                .map(|h| {
                    let (from, to) = h.transition.unwrap_or((AlarmState::Ok, AlarmState::Ok));
                    vec![
                        clock(h.timestamp),
                        sanitize_line(&h.alarm_name),
                        format!("{from} -> {to}"),
                    ]
                })
                .collect()
        },
        &[&zoned("TIME"), "ALARM", "CHANGE"],
    );
    out.finish()
}

fn part_table<T>(
    out: &mut Report,
    part: &Option<Part<T>>,
    rows: impl Fn(&T) -> Vec<Vec<String>>,
    header: &[&str],
) {
    match part {
        None => out.line("(still loading)"),
        Some(Err(e)) => out.failed(e),
        Some(Ok(value)) => out.table(header, &rows(value), "none in the window"),
    }
}

/// The one line that says what happened.
fn summary(t: &Timeline, window: TimeRange) -> String {
    let alarm = t
        .alarm
        .as_ref()
        .map(|a| a.state.to_string())
        .unwrap_or_default();
    let mut parts = vec![format!(
        "{alarm} now; window {} to {} {}",
        clock(window.start),
        clock(window.end),
        crate::model::zone::zone_name()
    )];
    parts.push(counted(t.state_changes.len(), "state change"));
    if let Some(Ok(logs)) = &t.logs {
        parts.push(failures_counted(
            failures(&logs.events).len(),
            logs.events.len(),
        ));
    }
    if let Some(Ok(trail)) = &t.trail {
        parts.push(counted(trail.events.len(), "CloudTrail write event"));
    }
    if let Some(Ok(others)) = &t.other_alarms {
        parts.push(counted(others.len(), "other alarm change"));
    }
    parts.join("; ")
}

/// `3 failures (6 error lines)`: an invocation's error and `REPORT`
/// lines are one failure; the lines are said when they are more.
fn failures_counted(failures: usize, lines: usize) -> String {
    let counted_failures = counted(failures, "failure");
    if lines == failures {
        return counted_failures;
    }
    format!("{counted_failures} ({})", counted(lines, "error line"))
}

/// A column chart of `series` over the window in ASCII, with the
/// threshold drawn as a line of `-` where no column reaches it (on the
/// lowest row when it is too small for a row of its own).
fn chart(series: &Series, threshold: Option<f64>, window: TimeRange) -> String {
    if series.points.is_empty() {
        return "(no data in the window)".into();
    }
    // Each point gets the same number of columns, as many as fit.
    let per_point = (CHART_COLUMNS / series.points.len()).max(1);
    let values: Vec<f64> = series
        .points
        .iter()
        .rev()
        .take(CHART_COLUMNS)
        .rev()
        .flat_map(|(_, v)| std::iter::repeat_n(*v, per_point))
        .collect();
    let columns = values.len();
    let top = values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .chain(threshold)
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let level = |v: f64| ((v / top) * CHART_ROWS as f64).round() as usize;
    // A threshold far below the top still gets the lowest row, so the
    // chart always shows one (its label says the real value).
    let threshold_row = threshold.map(|t| if t > 0.0 { level(t).max(1) } else { level(t) });
    let mut out = String::new();
    for row in (1..=CHART_ROWS).rev() {
        let label = if row == CHART_ROWS {
            crate::model::alarm::format_number((top * 100.0).round() / 100.0)
        } else if Some(row) == threshold_row {
            threshold
                .map(crate::model::alarm::format_number)
                .unwrap_or_default()
        } else {
            String::new()
        };
        let _ = write!(out, "{label:>8} |");
        for v in &values {
            let c = if !v.is_nan() && level(*v) >= row {
                '#'
            } else if Some(row) == threshold_row {
                '-'
            } else {
                ' '
            };
            out.push(c);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{:>8} +{}", 0, "-".repeat(columns));
    let start = clock(window.start);
    let end = clock(window.end);
    let gap = (columns + 1).saturating_sub(start.len() + end.len()).max(1);
    let _ = write!(out, "{:>8}  {start}{}{end}", "", " ".repeat(gap));
    out
}

/// Error lines per minute, a row of `HH:MM count bar` for each minute
/// that had any.
fn per_minute(counts: &[(Timestamp, usize)]) -> String {
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| {
            let bar = "#".repeat((n * 40).div_ceil(most));
            format!("{} {n:>5} {bar}", crate::model::zone::shown(*t, "%H:%M"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metric::testing::{minute as at, minutely};

    fn series(values: &[f64]) -> Series {
        minutely("m", "m", values)
    }

    fn window() -> TimeRange {
        TimeRange {
            start: at(0),
            end: at(10),
        }
    }

    /// The chart's rows above the axis, each as (label, bars).
    fn rows(chart: &str) -> Vec<(String, String)> {
        chart
            .lines()
            .take(CHART_ROWS)
            .map(|l| {
                let (label, bars) = l.split_once(" |").unwrap();
                (label.trim().to_string(), bars.to_string())
            })
            .collect()
    }

    #[test]
    fn a_threshold_far_below_the_peak_is_still_drawn_on_the_lowest_row() {
        let chart = chart(&series(&[2.0, 498.0, 3.0]), Some(10.0), window());
        let rows = rows(&chart);
        let (label, bars) = rows.last().unwrap();
        assert_eq!(label, "10", "{chart}");
        assert!(bars.contains('-'), "{chart}");
        assert_eq!(rows[0].0, "498", "{chart}");
    }

    #[test]
    fn a_threshold_within_the_range_is_drawn_at_its_height() {
        let chart = chart(&series(&[0.0, 100.0, 20.0]), Some(50.0), window());
        let rows = rows(&chart);
        let row = rows.iter().position(|(label, _)| label == "50").unwrap();
        assert_eq!(row, CHART_ROWS / 2, "{chart}");
        assert!(
            rows[row].1.contains('-') && rows[row].1.contains('#'),
            "{chart}"
        );
    }
}
