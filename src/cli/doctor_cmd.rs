//! `monitui doctor [--spec F] [--var k=v]... [--output json]`: the seed's
//! post-deployment checks against the env's account, one line per check
//! with a fix hint under each failure; exit 1 when any check fails.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::args::OutputFormat;
use super::provision_cmd::{SpecArgs, load_spec};
use crate::config::ResolvedEnv;
use crate::data::Session;
use crate::data::doctor::{Check, run};
use crate::sanitize::sanitize_line;

/// Some checks failed (exit code 1, after the report is printed).
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} check(s) failed")]
pub struct ChecksFailed {
    /// How many failed.
    pub failed: usize,
    /// How many ran.
    pub total: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    checks: &'a [Check],
}

/// Runs the checks of the spec and prints them.
pub async fn doctor(
    args: &SpecArgs,
    output: OutputFormat,
    env: &ResolvedEnv,
    session: &Session,
    now: jiff::Timestamp,
    out: &mut dyn Write,
) -> Result<()> {
    let desired = load_spec(args, env, session).await?;
    let checks = run(&session.reads, &desired, now).await?;
    let failed = checks.iter().filter(|c| !c.ok).count();
    match output {
        OutputFormat::Json => super::json::write_json(
            out,
            &Report {
                ok: failed == 0,
                checks: &checks,
            },
        )?,
        OutputFormat::Table => {
            for c in &checks {
                writeln!(
                    out,
                    "{:<4}  {:<14}  {}: {}",
                    if c.ok { "ok" } else { "FAIL" },
                    c.check,
                    sanitize_line(&c.target),
                    sanitize_line(&c.detail)
                )?;
                if let Some(hint) = &c.hint {
                    writeln!(out, "      fix: {}", sanitize_line(hint))?;
                }
            }
            writeln!(out, "{} check(s), {failed} failed", checks.len())?;
        }
    }
    if failed > 0 {
        return Err(ChecksFailed {
            failed,
            total: checks.len(),
        }
        .into());
    }
    Ok(())
}
