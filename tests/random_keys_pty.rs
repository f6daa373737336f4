//! The real binary on a pseudo-terminal takes a seeded stream of random
//! keys, gestures and resizes (down to 1x1) on the demo account
//! (`support::random_keys`, without `q` and Ctrl-c), after the crash of
//! issue 24 (a jump, then a pattern no line matches), then quits with
//! Ctrl-c: it must still be running after every key, end with success,
//! and never print a panic. Bounded to a few seconds of typing, for CI on
//! two cores; `MONITUI_PTY_KEYS=N` types N keys instead.

mod support;

use std::fs::File;
use std::io::Write;
use std::process::Child;
use std::time::{Duration, Instant};

use support::pty::Pty;
use support::random_keys::{KeyStream, Press, Step};
use support::screen::Screen;

const PATIENCE: Duration = Duration::from_secs(60);

/// Keys typed by default.
const KEYS: usize = 1500;

/// The seed of the stream.
const SEED: u64 = 24;

/// Time between two keys: enough for a lone Esc to arrive alone (not
/// read as Alt and the next key).
const PACE: Duration = Duration::from_millis(4);

fn keys() -> usize {
    std::env::var("MONITUI_PTY_KEYS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(KEYS)
}

/// Panics with what monitui said on stderr when it has ended.
fn assert_running(child: &mut Child, stderr: &std::path::Path, step: usize) {
    if let Some(status) = child.try_wait().unwrap() {
        panic!(
            "monitui ended ({status}) at step {step} of seed {SEED}: {}",
            std::fs::read_to_string(stderr).unwrap_or_default()
        );
    }
}

#[test]
fn random_keys_never_crash_the_binary() {
    let pty = Pty::open(120, 35);
    // Files saved with `S` land in a temporary folder; stderr (where a
    // panic in any thread is told) goes to a file the test reads.
    let dir = tempfile::tempdir().unwrap();
    let stderr_path = dir.path().join("stderr");
    let stderr = File::create(&stderr_path).unwrap();
    let (mut child, rx) = pty.spawn_demo_tuned(&[], &[("RUST_BACKTRACE", "0")], |cmd| {
        cmd.current_dir(dir.path()).stderr(stderr);
    });
    let mut master = pty.master.try_clone().unwrap();
    let mut screen = Screen::new(rx, 120, 35);
    screen.wait_for("batch-job-failures", PATIENCE);
    // The crash of issue 24 first: tail a Lambda group, `@` 25 minutes
    // ago, `F` a pattern no line matches.
    master.write_all(b"4").unwrap();
    screen.wait_for("ecommerce-ai-platform-analytics-service", PATIENCE);
    master.write_all(b"jjj\r").unwrap();
    screen.wait_for("RequestId", PATIENCE);
    master.write_all(b"@25m\rFzzz-no-line-matches\r").unwrap();
    screen.wait_for("no line passes the filter pattern", PATIENCE);
    assert_running(&mut child, &stderr_path, 0);
    let started = Instant::now();
    for (n, step) in KeyStream::new(SEED, false).take(keys()).enumerate() {
        match step {
            Step::Key(press) => {
                master.write_all(&press.bytes()).unwrap();
                if press == Press::Code(crossterm::event::KeyCode::Esc) {
                    screen.settle(PACE * 4);
                }
            }
            Step::Resize(cols, rows) => {
                pty.resize(cols, rows, child.id());
                screen.resize(cols, rows);
            }
        }
        screen.settle(PACE);
        if n % 50 == 0 {
            assert_running(&mut child, &stderr_path, n);
        }
    }
    assert_running(&mut child, &stderr_path, keys());
    let typing = started.elapsed();
    master.write_all(b"\x03").unwrap();
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "Ctrl-c did not end monitui");
        screen.settle(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        status.success(),
        "Ctrl-c ends monitui well: {status}; {stderr}"
    );
    eprintln!("typed {} keys in {typing:?}", keys());
}
