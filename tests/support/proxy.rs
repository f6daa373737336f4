//! `../shared/tools/aws-call-proxy.py` in front of the emulator: counts the
//! operations a command makes, can add latency and deny chosen operations.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A running proxy; stopped when dropped.
pub struct CallProxy {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// The proxy script, from the shared folder beside the checkout; `None`
/// (with a printed "skipped" line) when it is absent outside CI.
pub fn script() -> Option<PathBuf> {
    super::shared("tools/aws-call-proxy.py")
}

impl CallProxy {
    /// Starts the proxy in front of `upstream`, denying the operations in
    /// `fail_ops` (comma-separated, may be empty).
    pub fn start(script: &Path, upstream: &str, fail_ops: &str) -> CallProxy {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("calls.log");
        let child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(upstream)
            .arg(&log)
            .env("FAIL_OPS", fail_ops)
            .spawn()
            .expect("start aws-call-proxy.py");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the proxy did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        CallProxy {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    /// The URL to send requests to.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many times each operation was called so far.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut counts = BTreeMap::new();
        for op in text.lines() {
            *counts.entry(op.to_string()).or_default() += 1;
        }
        counts
    }
}

impl Drop for CallProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
