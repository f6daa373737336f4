//! `monitui slo [--spec FILE] [--output table|json]`: each service level
//! target's value over its window, objective, error budget left (as a
//! share and as time) and burn rates over 1 h, 6 h and 3 d, from one
//! GetMetricData batch.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::args::OutputFormat;
use crate::config::ResolvedEnv;
use crate::data::Session;
use crate::data::slo::{statuses, targets_of};
use crate::model::slo::{Slo, SloStatus};
use crate::provision::spec::{self, SpecSource};
use crate::report::format::{budget_time_text, burn_text, percent_text, window_text};
use crate::report::table::print_table;
use crate::sanitize::sanitize_line;

/// `monitui slo`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct SloArgs {
    /// Read the targets from this provisioning spec's [[slos]] (default:
    /// the env's [[envs.NAME.slos]], else the built-in spec's).
    #[arg(long = "spec", value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// A spec variable, e.g. --var api=shop-api (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// table (alias text) or json.
    #[arg(long, value_enum, default_value_t)]
    pub output: OutputFormat,
}

/// The targets `args` and `env` name.
fn targets(args: &SloArgs, env: &ResolvedEnv) -> Result<Vec<Slo>> {
    let Some(file) = &args.spec else {
        return Ok(targets_of(env)?);
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let env_vars = BTreeMap::from([
        ("prefix".to_string(), env.prefix.clone()),
        (
            "stage".to_string(),
            crate::provision::vars::stage_of(&env.name).to_string(),
        ),
    ]);
    Ok(spec::slos(&SpecSource {
        file,
        text: &text,
        env_vars: &env_vars,
        cli_vars: &crate::provision::vars::parse_args(&args.vars)?,
    })?)
}

/// Fetches and prints every target.
pub async fn slo(
    args: &SloArgs,
    env: &ResolvedEnv,
    session: &Session,
    now: jiff::Timestamp,
    out: &mut dyn Write,
) -> Result<()> {
    let slos = targets(args, env)?;
    let statuses = statuses(session.reads.metrics.as_ref(), &slos, now).await?;
    match args.output {
        OutputFormat::Json => super::json::write_json(out, &statuses)?,
        OutputFormat::Table => print_table(
            out,
            &[
                "TARGET",
                "CURRENT",
                "OBJECTIVE",
                "WINDOW",
                "BUDGET LEFT",
                "AS TIME",
                "BURN 1h",
                "BURN 6h",
                "BURN 3d",
            ],
            &statuses.iter().map(row).collect::<Vec<_>>(),
        )?,
    }
    if let OutputFormat::Table = args.output {
        for s in &statuses {
            if let Some(error) = &s.error {
                writeln!(out, "{}: {}", s.name, sanitize_line(error))?;
            }
        }
    }
    Ok(())
}

fn row(s: &SloStatus) -> Vec<String> {
    let mut row = vec![
        s.name.clone(),
        percent_text(s.current),
        format!("{}%", s.objective),
        window_text(s.window_secs),
        percent_text(s.budget_remaining),
        budget_time_text(s.budget_remaining_secs),
    ];
    row.extend(s.burn_rates.iter().map(|b| burn_text(b.rate)));
    row
}
