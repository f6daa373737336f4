//! `monitui alarms explain | show | backtest`: understanding an alarm
//! before touching it. The judging lives in `model` (explain, backtest,
//! the composite rule) and the fetching in `data`; this prints.

use std::collections::HashMap;
use std::io::Write;

use anyhow::{Context, Result};
use jiff::Timestamp;
use serde::Serialize;

use super::args::TextOrJson;
use crate::alarm_rule::{Rule, TreeLine};
use crate::data::backtest::run_backtest;
use crate::data::explain::explain_alarm;
use crate::model::alarm::format_number;
use crate::model::backtest::{Backtest, Episode, Episodes, Overrides, ReplayedRule, chart_rows};
use crate::model::explain::{Explanation, NextChange, WindowSource};
use crate::model::{Alarm, AlarmKind, AlarmState, QuerySource, TimeRange};
use crate::provider::Reads;
use crate::sanitize::sanitize_line;

/// `alarms explain`: prints why `alarm` is in its state.
pub async fn explain(
    reads: &Reads,
    alarm: &Alarm,
    now: Timestamp,
    output: TextOrJson,
    out: &mut dyn Write,
) -> Result<()> {
    let e = explain_alarm(reads, alarm, now)
        .await
        .with_context(|| format!("explaining {}", sanitize_line(&alarm.name)))?;
    match output {
        TextOrJson::Json => super::json::write_json(out, &e)?,
        TextOrJson::Text => write_explanation(&e, out)?,
    }
    Ok(())
}

/// A time as the explain text shows it (UTC).
fn time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

fn write_explanation(e: &Explanation, out: &mut dyn Write) -> Result<()> {
    let r = &e.rule;
    writeln!(
        out,
        "{} {}, in this state since {} UTC; last evaluated from {}",
        e.service_state,
        sanitize_line(&e.alarm),
        time(e.transitioned_at),
        e.previous_state
    )?;
    writeln!(
        out,
        "Rule        {} {} {} for {} of {} periods of {} s",
        sanitize_line(&r.statistic),
        r.comparison.symbol(),
        format_number(r.threshold),
        r.datapoints_to_alarm,
        r.evaluation_periods,
        r.period_secs
    )?;
    writeln!(out, "Missing     {}", e.missing_treatment)?;
    writeln!(
        out,
        "Window      {} to {} UTC ({})",
        time(e.window.start),
        time(e.window.end),
        match e.window_source {
            WindowSource::ServiceReasonData =>
                "the range the service evaluated, from StateReasonData",
            WindowSource::LatestPeriods =>
                "no StateReasonData to read: the latest completed periods",
        }
    )?;
    writeln!(out, "Datapoints  (GetMetricData now; * decided)")?;
    write_points(&e.datapoints, out)?;
    if e.missing > 0 {
        writeln!(out, "            {} missing", e.missing)?;
    }
    writeln!(
        out,
        "Evaluator   {}: {}",
        e.evaluated_state,
        sanitize_line(&e.evaluated_reason)
    )?;
    writeln!(
        out,
        "Service     {}: {}",
        e.service_state,
        sanitize_line(&e.service_reason)
    )?;
    if e.agrees_with_service {
        writeln!(out, "Agrees      yes")?;
    } else {
        writeln!(out, "Agrees      NO")?;
        for d in &e.disagreements {
            writeln!(out, "  - {}", sanitize_line(d))?;
        }
    }
    let c = &e.current;
    writeln!(
        out,
        "Now         {} to {} UTC evaluates to {}",
        time(c.window.start),
        time(c.window.end),
        c.evaluated_state
    )?;
    write_points(&c.datapoints, out)?;
    write_change("Changes", c.next_change.as_ref(), out)?;
    write_change("No data", c.if_data_stops.as_ref(), out)?;
    Ok(())
}

fn write_points(points: &[crate::model::explain::ExplainPoint], out: &mut dyn Write) -> Result<()> {
    for p in points {
        let (value, verdict) = match (p.value, p.breaching) {
            (Some(v), Some(true)) => (format_number(v), "breaching"),
            (Some(v), _) => (format_number(v), "ok"),
            (None, _) => ("-".to_string(), "missing"),
        };
        writeln!(
            out,
            "  {} {} {:>14}  {verdict}",
            if p.decided { "*" } else { " " },
            time(p.timestamp),
            value
        )?;
    }
    Ok(())
}

fn write_change(label: &str, change: Option<&NextChange>, out: &mut dyn Write) -> Result<()> {
    match change {
        Some(n) => writeln!(
            out,
            "{label:<11} {} after {} more period(s) of {} (at the earliest {} UTC)",
            n.to,
            n.periods,
            sanitize_line(&n.needs),
            time(n.earliest)
        )?,
        None => writeln!(
            out,
            "{label:<11} no number of such periods changes the state"
        )?,
    }
    Ok(())
}

/// One node of a composite's rule tree as `alarms show --output json`
/// prints it.
#[derive(Debug, Serialize)]
struct TreeNode {
    depth: usize,
    node: String,
    /// The node's value: true, false, or null when a child is unknown.
    value: Option<bool>,
    /// For a state test: the child alarm.
    child: Option<String>,
    /// Its current state (null when no such alarm was found).
    child_state: Option<AlarmState>,
}

/// `alarms show --output json`.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    alarm: &'a Alarm,
    /// A composite's rule as a tree.
    rule_tree: Option<Vec<TreeNode>>,
    /// Why the rule could not be read.
    rule_error: Option<String>,
}

/// `alarms show`: prints the whole definition of `alarm`; a composite's
/// rule as a tree with the state of each child (one more alarm listing).
pub async fn show(
    reads: &Reads,
    alarm: &Alarm,
    output: TextOrJson,
    out: &mut dyn Write,
) -> Result<()> {
    let (tree, rule_error) = match &alarm.kind {
        AlarmKind::Composite { rule } => match Rule::parse(rule) {
            Ok(parsed) => {
                let states: HashMap<String, AlarmState> = reads
                    .alarms
                    .list_alarms()
                    .await?
                    .into_iter()
                    .map(|a| (a.name, a.state))
                    .collect();
                (Some(parsed.tree(&|n| states.get(n).copied())), None)
            }
            Err(e) => (None, Some(e.to_string())),
        },
        AlarmKind::Metric(_) => (None, None),
    };
    match output {
        TextOrJson::Json => {
            let shown = Shown {
                alarm,
                rule_tree: tree.map(|t| {
                    t.into_iter()
                        .map(|l| TreeNode {
                            depth: l.depth,
                            node: l.text,
                            value: l.value,
                            child_state: l.child.as_ref().and_then(|c| c.1),
                            child: l.child.map(|c| c.0),
                        })
                        .collect()
                }),
                rule_error,
            };
            super::json::write_json(out, &shown)?;
        }
        TextOrJson::Text => {
            write_definition(alarm, out)?;
            if let Some(e) = rule_error {
                writeln!(out, "Rule tree   {}", sanitize_line(&e))?;
            }
            if let Some(tree) = tree {
                writeln!(out, "Rule tree")?;
                for line in tree {
                    write_tree_line(&line, out)?;
                }
            }
        }
    }
    Ok(())
}

fn write_tree_line(line: &TreeLine, out: &mut dyn Write) -> Result<()> {
    let value = match line.value {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    };
    let node = format!(
        "{}{}",
        "  ".repeat(line.depth + 1),
        sanitize_line(&line.text)
    );
    let child = match &line.child {
        Some((name, Some(state))) => format!("  ({} is {state})", sanitize_line(name)),
        Some((name, None)) => format!("  ({}: no such alarm)", sanitize_line(name)),
        None => String::new(),
    };
    writeln!(out, "{node:<50} {value}{child}")?;
    Ok(())
}

fn write_definition(a: &Alarm, out: &mut dyn Write) -> Result<()> {
    let field = |out: &mut dyn Write, name: &str, value: &str| -> Result<()> {
        writeln!(out, "{name:<12}{}", sanitize_line(value))?;
        Ok(())
    };
    field(out, "Name", &a.name)?;
    field(out, "ARN", &a.arn)?;
    field(
        out,
        "State",
        &format!("{} since {} UTC", a.state, time(a.transitioned_at)),
    )?;
    field(out, "Reason", &a.reason)?;
    if let Some(d) = &a.description {
        field(out, "Description", d)?;
    }
    match &a.kind {
        AlarmKind::Composite { rule } => {
            field(out, "Type", "composite")?;
            field(out, "Rule", rule)?;
        }
        AlarmKind::Metric(spec) => {
            field(out, "Type", "metric")?;
            if let Some(m) = &spec.metric {
                field(out, "Metric", &m.display_name())?;
            }
            for q in &spec.queries {
                let what = match &q.source {
                    QuerySource::Metric {
                        metric,
                        stat,
                        period_secs,
                    } => format!("{} {stat} {period_secs} s", metric.display_name()),
                    QuerySource::Expression { expression, .. } => expression.clone(),
                };
                let role = if spec.threshold_metric_id.as_deref() == Some(q.id.as_str()) {
                    " (the threshold band)"
                } else if q.return_data {
                    " (returned)"
                } else {
                    ""
                };
                field(out, "Query", &format!("{}: {what}{role}", q.id))?;
            }
            field(out, "Statistic", &spec.stat)?;
            field(out, "Period", &format!("{} s", spec.period_secs))?;
            let (m, n) = spec.m_of_n();
            field(out, "Datapoints", &format!("{m} of {n} to alarm"))?;
            let threshold = match &spec.threshold_metric_id {
                Some(id) => format!("{} band {id}", spec.comparison.as_str()),
                None => format!(
                    "{} {}",
                    spec.comparison.as_str(),
                    format_number(spec.threshold)
                ),
            };
            field(out, "Condition", &threshold)?;
            field(out, "Missing", spec.treat_missing.as_str())?;
        }
    }
    field(
        out,
        "Actions",
        if a.actions_enabled {
            "enabled"
        } else {
            "disabled"
        },
    )?;
    for (state, actions) in [
        ("ALARM", &a.alarm_actions),
        ("OK", &a.ok_actions),
        ("INSUFFICIENT", &a.insufficient_data_actions),
    ] {
        for action in actions {
            field(out, &format!("  {state}"), action)?;
        }
    }
    Ok(())
}

/// `alarms backtest --output json`.
#[derive(Debug, Serialize)]
struct BacktestRecord<'a> {
    alarm: &'a str,
    range: TimeRange,
    rule: &'a ReplayedRule,
    /// The episodes the rule would have had.
    episodes: &'a [Episode],
    /// How many.
    count: usize,
    /// Seconds it would have spent in ALARM.
    alarm_secs: i64,
    /// What the alarm really did.
    actual: &'a Episodes,
    missing_periods: usize,
    evaluations: usize,
    get_metric_data_calls: usize,
}

/// Width of the text chart.
const CHART_WIDTH: usize = 60;

/// `alarms backtest`: replays `alarm` from `since` to `now`.
pub async fn backtest(
    reads: &Reads,
    alarm: &Alarm,
    overrides: Overrides,
    range: TimeRange,
    output: TextOrJson,
    out: &mut dyn Write,
) -> Result<()> {
    let run = run_backtest(reads, alarm, overrides, range)
        .await
        .with_context(|| format!("backtesting {}", sanitize_line(&alarm.name)))?;
    let b = &run.backtest;
    match output {
        TextOrJson::Json => super::json::write_json(
            out,
            &BacktestRecord {
                alarm: &alarm.name,
                range: b.range,
                rule: &b.rule,
                episodes: &b.would.episodes,
                count: b.would.count,
                alarm_secs: b.would.alarm_secs,
                actual: &b.did,
                missing_periods: b.missing_periods,
                evaluations: b.evaluations,
                get_metric_data_calls: run.metric_calls,
            },
        )?,
        TextOrJson::Text => write_backtest(alarm, b, run.metric_calls, out)?,
    }
    Ok(())
}

fn duration(secs: i64) -> String {
    humantime::format_duration(std::time::Duration::from_secs(secs.max(0) as u64)).to_string()
}

fn write_backtest(alarm: &Alarm, b: &Backtest, calls: usize, out: &mut dyn Write) -> Result<()> {
    let spec = alarm.metric_spec();
    writeln!(
        out,
        "Backtest of {} from {} to {} UTC",
        sanitize_line(&alarm.name),
        time(b.range.start),
        time(b.range.end)
    )?;
    writeln!(
        out,
        "Rule        {} {} {} for {} of {} periods of {} s (missing data: {})",
        sanitize_line(spec.map_or("", |s| s.stat.as_str())),
        spec.map_or("", |s| s.comparison.symbol()),
        format_number(b.rule.threshold),
        b.rule.datapoints_to_alarm,
        b.rule.evaluation_periods,
        b.rule.period_secs,
        spec.map_or("", |s| s.treat_missing.as_str()),
    )?;
    writeln!(
        out,
        "Evaluated   {} periods, {} without data; {} GetMetricData call(s)",
        b.evaluations, b.missing_periods, calls
    )?;
    writeln!(out)?;
    writeln!(out, "{:<14}{:>12}{:>12}", "", "WOULD", "DID")?;
    writeln!(
        out,
        "{:<14}{:>12}{:>12}",
        "episodes", b.would.count, b.did.count
    )?;
    writeln!(
        out,
        "{:<14}{:>12}{:>12}",
        "in ALARM",
        duration(b.would.alarm_secs),
        duration(b.did.alarm_secs)
    )?;
    writeln!(out)?;
    let (would, did) = chart_rows(b, CHART_WIDTH);
    writeln!(out, "would |{would}|")?;
    writeln!(out, "did   |{did}|")?;
    writeln!(
        out,
        "       {:<w$}{}",
        time(b.range.start),
        time(b.range.end),
        w = CHART_WIDTH.saturating_sub(19)
    )?;
    writeln!(out)?;
    let rows = b.would.episodes.len().max(b.did.episodes.len());
    if rows == 0 {
        writeln!(out, "no ALARM episode either way")?;
        return Ok(());
    }
    let cell = |e: Option<&Episode>| match e {
        Some(e) => format!(
            "{} {:>10}",
            time(e.start),
            e.end.map_or("ongoing".to_string(), |end| duration(
                end.duration_since(e.start).as_secs()
            ))
        ),
        None => String::new(),
    };
    writeln!(
        out,
        "{:<32}  DID (start, duration)",
        "WOULD (start, duration)"
    )?;
    for i in 0..rows {
        writeln!(
            out,
            "{:<32}  {}",
            cell(b.would.episodes.get(i)),
            cell(b.did.episodes.get(i))
        )?;
    }
    Ok(())
}
