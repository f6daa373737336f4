//! ASCII mode on the real binary in a pseudo-terminal: with `--ascii`, or
//! with a locale that is not UTF-8, not one byte outside ASCII reaches the
//! terminal, while the screen still shows the alarms; with a UTF-8 locale
//! the box-drawing characters are there.

mod support;

use std::io::Write;
use std::process::Child;
use std::time::Duration;

use support::pty::{Pty, read_to_end, read_until};

const PATIENCE: Duration = Duration::from_secs(20);

/// Everything monitui printed from its start until it quit, after its
/// first frames with alarms at 120x35 on the demo account.
fn screen_bytes(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let pty = Pty::open(120, 35);
    let (mut child, rx): (Child, _) = pty.spawn_demo(args, env);
    let mut out = Vec::new();
    read_until(&rx, &mut out, b"ALARM", PATIENCE);
    let mut master = pty.master.try_clone().unwrap();
    drop(pty);
    std::thread::sleep(Duration::from_millis(1500));
    master.write_all(b"2").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    master.write_all(b"q").unwrap();
    read_to_end(&rx, &mut out, PATIENCE);
    assert!(child.wait().unwrap().success());
    out
}

fn non_ascii(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| !c.is_ascii())
        .collect()
}

#[test]
fn ascii_flag_sends_only_ascii() {
    let out = screen_bytes(&["--ascii"], &[]);
    assert_eq!(non_ascii(&out), "", "non-ASCII reached the terminal");
    assert!(
        support::pty::contains(&out, b"-----"),
        "rules are drawn in ASCII"
    );
}

#[test]
fn a_locale_that_is_not_utf8_means_ascii() {
    let out = screen_bytes(&[], &[("LANG", "C")]);
    assert_eq!(non_ascii(&out), "", "non-ASCII reached the terminal");
}

#[test]
fn a_utf8_locale_keeps_the_box_drawing() {
    let out = screen_bytes(&[], &[]);
    assert!(
        non_ascii(&out).contains('─'),
        "expected box-drawing characters in a UTF-8 locale"
    );
}

#[test]
fn the_cloudtrail_tab_sends_only_ascii() {
    let pty = Pty::open(120, 35);
    let (mut child, rx) = pty.spawn_demo(&["--ascii"], &[]);
    let mut out = Vec::new();
    read_until(&rx, &mut out, b"ALARM", PATIENCE);
    let mut master = pty.master.try_clone().unwrap();
    drop(pty);
    let keys: [(&[u8], u64); 6] = [
        (b"5", 300),
        (b"e\t\t\t\t\t\t", 300),
        (b"\x1b", 300),
        (b"D", 2500),
        (b"\r", 500),
        (b"q", 0),
    ];
    for (key, wait) in keys {
        master.write_all(key).unwrap();
        std::thread::sleep(Duration::from_millis(wait));
    }
    read_to_end(&rx, &mut out, PATIENCE);
    assert!(child.wait().unwrap().success());
    assert_eq!(non_ascii(&out), "", "non-ASCII reached the terminal");
    for shown in [&b"<>"[..], b"AccessDenied", b"Who"] {
        assert!(
            support::pty::contains(&out, shown),
            "{:?} is on the screen",
            String::from_utf8_lossy(shown)
        );
    }
}
