//! `y` and `Y` on the real binary in a pseudo-terminal (demo account): the
//! terminal receives one OSC 52 clipboard write holding the base64 of the
//! selected alarm's name (its ARN for `Y`), and the footer says how many
//! bytes were copied; with `clipboard = false` in the config nothing is
//! sent and the footer says why.

mod support;

use std::io::Write;
use std::time::Duration;

use support::pty::{Pty, contains};
use support::screen::Screen;

const PATIENCE: Duration = Duration::from_secs(20);
/// The demo alarm the test filters the list down to.
const NAME: &str = "ecommerce-ai-platform-dms-replication-lag";
/// `base64` of [`NAME`] (computed with Python's `base64.b64encode`).
const NAME_BASE64: &str = "ZWNvbW1lcmNlLWFpLXBsYXRmb3JtLWRtcy1yZXBsaWNhdGlvbi1sYWc=";
/// `base64` of the demo ARN of [`NAME`].
const ARN_BASE64: &str = "YXJuOmF3czpjbG91ZHdhdGNoOnVzLWVhc3QtMToxMjM0NTY3ODkwMTI6YWxhcm06ZWNvbW1lcmNlLWFpLXBsYXRmb3JtLWRtcy1yZXBsaWNhdGlvbi1sYWc=";

/// The demo on a pty with `env`, the alarm list filtered down to [`NAME`].
fn on_the_alarm(env: &[(&str, &str)]) -> (std::process::Child, Screen, std::fs::File) {
    let pty = Pty::open(140, 35);
    let (child, rx) = pty.spawn_demo(&[], env);
    let mut screen = Screen::new(rx, 140, 35);
    let mut master = pty.master.try_clone().unwrap();
    drop(pty);
    screen.wait_for("dms-replication-lag", PATIENCE);
    master.write_all(b"/dms-replication\r").unwrap();
    screen.wait_gone("lambda-errors", PATIENCE);
    (child, screen, master)
}

/// The OSC 52 writes in `bytes`, each as its base64 payload.
fn clipboard_writes(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.split("\x1b]52;c;")
        .skip(1)
        .map(|rest| rest.split('\x07').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn y_copies_the_alarm_name_and_shift_y_its_arn_with_osc_52() {
    let (mut child, mut screen, mut master) = on_the_alarm(&[]);
    let before = screen.bytes().len();
    master.write_all(b"y").unwrap();
    screen.wait_for(&format!("copied {} bytes", NAME.len()), PATIENCE);
    assert_eq!(clipboard_writes(&screen.bytes()[before..]), [NAME_BASE64]);

    let before = screen.bytes().len();
    master.write_all(b"Y").unwrap();
    screen.wait_for("copied 89 bytes", PATIENCE);
    assert_eq!(clipboard_writes(&screen.bytes()[before..]), [ARN_BASE64]);

    master.write_all(b"q").unwrap();
    screen.read_to_end(PATIENCE);
    assert!(child.wait().unwrap().success());
}

#[test]
fn clipboard_false_in_the_config_sends_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "clipboard = false\n").unwrap();
    let config = config.to_str().unwrap();
    let (mut child, mut screen, mut master) = on_the_alarm(&[("MONITUI_CONFIG", config)]);
    master.write_all(b"y").unwrap();
    screen.wait_for("copying is off", PATIENCE);
    master.write_all(b"q").unwrap();
    screen.read_to_end(PATIENCE);
    assert!(child.wait().unwrap().success());
    assert!(!contains(screen.bytes(), b"\x1b]52"));
}
