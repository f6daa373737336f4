//! `monitui logs test-pattern`: prints the lines that a CloudWatch Logs
//! filter pattern selects, so a metric-filter pattern can be tried on real
//! lines before it is deployed. Needs no account.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use unicode_width::UnicodeWidthStr;

use crate::cli::args::LogsCommand;
use crate::filter::{FilterPattern, PatternError};
use crate::sanitize::sanitize_line;

/// Size of the input and output buffers.
const BUFFER_BYTES: usize = 64 * 1024;

/// Bad input to a `logs` command (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LogsCmdError {
    /// The pattern does not parse; shown with a caret under the column.
    #[error("{error}\n  {shown}\n  {caret}^")]
    InvalidPattern {
        /// What the parser said.
        error: PatternError,
        /// The pattern, sanitised for the terminal.
        shown: String,
        /// Spaces up to the column of the error.
        caret: String,
    },
    /// The `--file` could not be opened.
    #[error("--file {}: {source}", path.display())]
    Input {
        /// The file named on the command line.
        path: PathBuf,
        /// Why it could not be opened.
        source: io::Error,
    },
}

/// Whether `err` comes from bad input to a `logs` command.
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| c.downcast_ref::<LogsCmdError>().is_some())
        || super::logs_read::is_bad_input(err)
}

/// Runs a `logs` subcommand that reads the env's account.
pub async fn run_with_account(
    cmd: &LogsCommand,
    env: &crate::config::ResolvedEnv,
    clock: std::sync::Arc<dyn crate::model::Clock>,
) -> anyhow::Result<()> {
    use super::{logs_read, logs_tail};
    let session = crate::data::connect(env.clone(), std::sync::Arc::clone(&clock)).await?;
    let logs = session.reads.logs;
    let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
    let result = match cmd {
        LogsCommand::TestPattern { .. } | LogsCommand::Query(_) => run(cmd),
        LogsCommand::Groups(args) => logs_read::groups(logs.as_ref(), args.output, &mut out).await,
        LogsCommand::Search(args) => {
            let mut args = args.clone();
            args.groups =
                super::names::log_groups(logs.as_ref(), &env.prefix, &args.groups).await?;
            logs_read::search(logs, &args, clock.now(), &mut out, &mut err)
                .await
                .map(drop)
        }
        LogsCommand::Tail(args) => {
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let mut args = args.clone();
            args.groups =
                super::names::log_groups(logs.as_ref(), &env.prefix, &args.groups).await?;
            logs_tail::tail(logs, &args, clock, &env.prefix, &mut out, &mut err, stop).await
        }
    };
    match result {
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Runs a `logs` subcommand that needs no account.
pub fn run(cmd: &LogsCommand) -> anyhow::Result<()> {
    match cmd {
        LogsCommand::Groups(_)
        | LogsCommand::Search(_)
        | LogsCommand::Tail(_)
        | LogsCommand::Query(_) => {
            anyhow::bail!("this logs command reads an account")
        }
        LogsCommand::TestPattern { pattern, file } => {
            let pattern = parse_pattern(pattern)?;
            let input: Box<dyn BufRead> = match file {
                Some(path) => {
                    let f = File::open(path).map_err(|source| LogsCmdError::Input {
                        path: path.clone(),
                        source,
                    })?;
                    Box::new(BufReader::with_capacity(BUFFER_BYTES, f))
                }
                None => Box::new(io::stdin().lock()),
            };
            let stdout = io::stdout();
            let to_terminal = stdout.is_terminal();
            let mut out = io::BufWriter::with_capacity(BUFFER_BYTES, stdout.lock());
            match print_matching(&pattern, input, &mut out, to_terminal).and_then(|()| out.flush())
            {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                result => result.context("copying the matching events"),
            }
        }
    }
}

/// Parses the pattern, or describes the error with a caret under it.
fn parse_pattern(pattern: &str) -> Result<FilterPattern, LogsCmdError> {
    FilterPattern::parse(pattern).map_err(|error| {
        let before = pattern.get(..error.offset).unwrap_or(pattern);
        LogsCmdError::InvalidPattern {
            shown: sanitize_line(pattern),
            caret: " ".repeat(sanitize_line(before).width()),
            error,
        }
    })
}

/// Copies each line of `input` (one event per line) that `pattern` matches
/// to `out`. Invalid UTF-8 is matched as its lossy text. Lines are copied
/// byte for byte, or, when `sanitise` is set (a terminal), as
/// [`sanitize_line`] makes them safe. Every copied line ends in a newline.
pub fn print_matching(
    pattern: &FilterPattern,
    mut input: impl BufRead,
    out: &mut impl Write,
    sanitise: bool,
) -> io::Result<()> {
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let event = line.strip_suffix(b"\n").unwrap_or(&line);
        let event = event.strip_suffix(b"\r").unwrap_or(event);
        let text = String::from_utf8_lossy(event);
        if !pattern.matches(&text) {
            continue;
        }
        if sanitise {
            out.write_all(sanitize_line(&text).as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(&line)?;
            if !line.ends_with(b"\n") {
                out.write_all(b"\n")?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(pattern: &str, input: &[u8], sanitise: bool) -> Vec<u8> {
        let pattern = FilterPattern::parse(pattern).unwrap();
        let mut out = Vec::new();
        print_matching(&pattern, input, &mut out, sanitise).unwrap();
        out
    }

    #[test]
    fn copies_matching_lines_byte_for_byte() {
        let input = b"ERROR a\r\nINFO b\nERROR \xff c\nERROR last";
        assert_eq!(
            run_on("ERROR", input, false),
            b"ERROR a\r\nERROR \xff c\nERROR last\n".to_vec()
        );
    }

    #[test]
    fn invalid_utf8_is_matched_as_replacement_characters() {
        assert_eq!(
            run_on("\"\u{fffd}\"", b"ok\nbad \xc3(\n", false),
            b"bad \xc3(\n".to_vec()
        );
    }

    #[test]
    fn carriage_returns_are_not_part_of_the_event() {
        assert_eq!(run_on("%b$%", b"a b\r\n", false), b"a b\r\n".to_vec());
    }

    #[test]
    fn terminals_get_sanitised_lines() {
        let out = run_on("ERROR", b"ERROR \x1b]0;pwned\x07 \x1b[31mred\t!\n", true);
        // The tab after "ERROR  red" (10 columns) runs to column 16.
        assert_eq!(String::from_utf8(out).unwrap(), "ERROR  red      !\n");
    }

    #[test]
    fn invalid_patterns_point_at_the_column() {
        let e = parse_pattern("{ $.a = }").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid filter pattern at column 9: expected a value after `=`, found `}`\n  { $.a = }\n          ^"
        );
        let e = parse_pattern("{ $.日本 \x1b = 1 }").unwrap_err();
        let text = e.to_string();
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(text.ends_with("\n           ^"), "{text:?}");
    }
}
