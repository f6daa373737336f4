//! `monitui audit`: lists the local audit log of alarm changes.

use std::io::Write;

use anyhow::Result;

use super::args::OutputFormat;
use super::table::print_table;
use crate::data::AuditLog;
use crate::term::sanitize_line;

/// Prints every entry of `log`, oldest first.
pub fn run(log: &AuditLog, output: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let entries = log.read()?;
    match output {
        OutputFormat::Json => {
            super::json::write_json(out, &entries)?;
        }
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.when.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                        sanitize_line(&e.who),
                        sanitize_line(&e.env),
                        e.what.clone(),
                        sanitize_line(&e.alarm),
                        e.result.as_str().to_string(),
                        sanitize_line(&e.note),
                        sanitize_line(&e.message),
                    ]
                })
                .collect();
            print_table(
                out,
                &[
                    "WHEN (UTC)",
                    "WHO",
                    "ENV",
                    "WHAT",
                    "ALARM",
                    "RESULT",
                    "NOTE",
                    "MESSAGE",
                ],
                &rows,
            )?;
        }
    }
    Ok(())
}
