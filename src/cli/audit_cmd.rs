//! `monitui audit`: lists the local audit log of alarm changes. Every
//! field is sanitised on the way to the terminal (anyone who can write the
//! file can put escape sequences in it), and a line that is not an entry
//! is reported on stderr with its number and skipped.

use std::io::Write;

use anyhow::Result;

use super::args::OutputFormat;
use crate::data::AuditLog;
use crate::report::table::print_table;
use crate::sanitize::sanitize_line;

/// Prints every entry of `log`, oldest first; lines that are not entries
/// go to `err`.
pub fn run(
    log: &AuditLog,
    output: OutputFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let read = log.read_lenient()?;
    for skipped in &read.skipped {
        writeln!(
            err,
            "monitui: skipped {}",
            sanitize_line(&skipped.to_string())
        )?;
    }
    let entries = read.entries;
    match output {
        OutputFormat::Json => {
            super::json::write_json(out, &entries)?;
        }
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        crate::model::zone::shown(e.when, "%Y-%m-%d %H:%M:%S"),
                        sanitize_line(&e.who),
                        sanitize_line(&e.env),
                        sanitize_line(&e.what),
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
                    &crate::report::table::zoned("WHEN"),
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
