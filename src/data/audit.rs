//! The local audit log: one JSON line per mutation monitui attempted (who,
//! what, which alarm, when, env, result, note), appended to
//! `audit.jsonl` in the platform data dir, or to the file named by
//! `MONITUI_AUDIT_LOG`. `monitui audit` lists it. The file is private
//! (0600, its new directories 0700) and never written through a symlink.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Environment variable that overrides the audit log's path.
pub const AUDIT_LOG_VAR: &str = "MONITUI_AUDIT_LOG";

/// Why the audit log could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// No platform data dir and no `MONITUI_AUDIT_LOG`.
    #[error("no data directory for the audit log; set {AUDIT_LOG_VAR}")]
    NoDataDir,
    /// Reading or writing the file failed.
    #[error("audit log {path}: {source}")]
    Io {
        /// The log file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not an audit entry.
    #[error("audit log {path} line {line}: {source}")]
    Corrupt {
        /// The log file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The cause.
        source: serde_json::Error,
    },
}

/// How an attempted mutation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditResult {
    /// It was done.
    Ok,
    /// Read-only mode refused it; nothing was sent.
    Refused,
    /// It failed (or changed nothing, e.g. ack of an alarm not in ALARM).
    Failed,
}

impl AuditResult {
    /// The word shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditResult::Ok => "ok",
            AuditResult::Refused => "refused",
            AuditResult::Failed => "failed",
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When it was attempted.
    pub when: Timestamp,
    /// Who (caller identity short name, `unknown` if it could not be read).
    pub who: String,
    /// What: `ack`, `unack`, `silence`, `unsilence`, `test`, `reconcile`.
    pub what: String,
    /// Which alarm (for provisioning: which resource, `kind name`).
    pub alarm: String,
    /// Environment name.
    pub env: String,
    /// Outcome.
    pub result: AuditResult,
    /// The user's note (may be empty).
    pub note: String,
    /// What happened, or why it failed or was refused.
    pub message: String,
}

/// An append-only JSON-lines file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    /// The log at `path`.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The log at `MONITUI_AUDIT_LOG`, else `audit.jsonl` in the platform
    /// data dir.
    pub fn default_location() -> Result<Self, AuditError> {
        if let Some(path) = std::env::var_os(AUDIT_LOG_VAR).filter(|p| !p.is_empty()) {
            return Ok(Self::at(path));
        }
        directories::ProjectDirs::from("", "", "monitui")
            .map(|dirs| Self::at(dirs.data_dir().join("audit.jsonl")))
            .ok_or(AuditError::NoDataDir)
    }

    /// Where the log lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry as one line (a single write, so concurrent
    /// monituis do not interleave within a line; JSON escapes any newline
    /// in a field, so an entry cannot forge another).
    pub fn append(&self, entry: &AuditEntry) -> Result<(), AuditError> {
        let mut line = serde_json::to_string(entry).expect("audit entries always serialise");
        line.push('\n');
        crate::files::open_private_append(&self.path)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(|source| AuditError::Io {
                path: self.path.clone(),
                source,
            })
    }

    /// Every entry, oldest first; the first line that is not an entry is
    /// an error ([`AuditLog::read_lenient`] skips such lines instead).
    pub fn read(&self) -> Result<Vec<AuditEntry>, AuditError> {
        let mut read = self.read_lenient()?;
        match read.skipped.is_empty() {
            true => Ok(read.entries),
            false => Err(read.skipped.swap_remove(0)),
        }
    }

    /// Every entry, oldest first, and the lines that are not entries, each
    /// as an [`AuditError::Corrupt`] naming its line: one bad line does
    /// not hide the rest of the log. An absent file is an empty log.
    pub fn read_lenient(&self) -> Result<AuditRead, AuditError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AuditRead::default()),
            Err(source) => {
                return Err(AuditError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let mut read = AuditRead::default();
        for (i, line) in BufReader::new(file).split(b'\n').enumerate() {
            let line = line.map_err(|source| AuditError::Io {
                path: self.path.clone(),
                source,
            })?;
            if line.trim_ascii().is_empty() {
                continue;
            }
            match serde_json::from_slice(&line) {
                Ok(entry) => read.entries.push(entry),
                Err(source) => read.skipped.push(AuditError::Corrupt {
                    path: self.path.clone(),
                    line: i + 1,
                    source,
                }),
            }
        }
        Ok(read)
    }
}

/// What [`AuditLog::read_lenient`] found.
#[derive(Debug, Default)]
pub struct AuditRead {
    /// The entries, oldest first.
    pub entries: Vec<AuditEntry>,
    /// Why each line that is not an entry was skipped.
    pub skipped: Vec<AuditError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(what: &str, result: AuditResult) -> AuditEntry {
        AuditEntry {
            when: "2026-01-16T03:00:00Z".parse().unwrap(),
            who: "alice".into(),
            what: what.into(),
            alarm: "p-dms-replication-lag".into(),
            env: "demo".into(),
            result,
            note: "looking".into(),
            message: "acknowledged".into(),
        }
    }

    #[test]
    fn appends_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("sub/audit.jsonl"));
        assert_eq!(log.read().unwrap(), vec![]);
        let a = entry("ack", AuditResult::Ok);
        let b = entry("test", AuditResult::Refused);
        log.append(&a).unwrap();
        log.append(&b).unwrap();
        assert_eq!(log.read().unwrap(), vec![a, b]);
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .contains("\"result\":\"refused\"")
        );
    }

    /// Appends `bytes` to the log as they are, as a hand edit or a torn
    /// write would.
    fn append_raw(log: &AuditLog, bytes: &[u8]) {
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(bytes)
            .unwrap();
    }

    #[test]
    fn a_corrupt_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.jsonl"));
        log.append(&entry("ack", AuditResult::Ok)).unwrap();
        append_raw(&log, b"not json\n");
        let err = log.read().unwrap_err();
        assert!(matches!(err, AuditError::Corrupt { line: 2, .. }), "{err}");
    }

    #[test]
    fn a_corrupt_line_is_skipped_and_named_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.jsonl"));
        log.append(&entry("ack", AuditResult::Ok)).unwrap();
        append_raw(&log, b"{\"truncated\": \n\xff\xfe not utf-8\n");
        log.append(&entry("test", AuditResult::Failed)).unwrap();
        let read = log.read_lenient().unwrap();
        let whats: Vec<&str> = read.entries.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(whats, ["ack", "test"]);
        let lines: Vec<usize> = read
            .skipped
            .iter()
            .map(|e| match e {
                AuditError::Corrupt { line, .. } => *line,
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn a_note_with_newlines_stays_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.jsonl"));
        let mut forged = entry("ack", AuditResult::Ok);
        forged.note = "x\n{\"what\":\"test\",\"result\":\"ok\"}".into();
        log.append(&forged).unwrap();
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert_eq!(log.read().unwrap(), vec![forged]);
    }
}
