//! `monitui cost [--output json]`: the monthly cost estimate of what the
//! env's account has deployed, itemised, at the config's `[prices]`.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::args::OutputFormat;
use crate::config::ResolvedEnv;
use crate::data::Session;
use crate::data::cost::usage;
use crate::model::cost::{CostLine, Prices, Usage, estimate};
use crate::report::table::print_table;

#[derive(Serialize)]
struct Report<'a> {
    lines: &'a [CostLine],
    total_usd: f64,
    usage: &'a Usage,
    prices: &'a Prices,
}

/// Measures, estimates and prints.
pub async fn cost(
    env: &ResolvedEnv,
    session: &Session,
    prices: &Prices,
    output: OutputFormat,
    now: jiff::Timestamp,
    out: &mut dyn Write,
) -> Result<()> {
    let usage = usage(
        &session.reads,
        &env.prefix,
        env.pinned_metrics.len(),
        env.refresh,
        now,
    )
    .await?;
    let lines = estimate(&usage, prices);
    let total_usd = lines.iter().fold(0.0, |sum, l| sum + l.monthly_usd);
    match output {
        OutputFormat::Json => super::json::write_json(
            out,
            &Report {
                lines: &lines,
                total_usd,
                usage: &usage,
                prices,
            },
        )?,
        OutputFormat::Table => {
            let mut rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    vec![
                        l.item.to_string(),
                        l.quantity.clone(),
                        format!("{:.2}", l.monthly_usd),
                    ]
                })
                .collect();
            rows.push(vec![
                "total".into(),
                String::new(),
                format!("{total_usd:.2}"),
            ]);
            print_table(out, &["ITEM", "QUANTITY", "USD/MONTH"], &rows)?;
        }
    }
    Ok(())
}
