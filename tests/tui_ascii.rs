//! ASCII mode on the real binary in a pseudo-terminal: with `--ascii`, or
//! with a locale that is not UTF-8, not one byte outside ASCII reaches the
//! terminal, while the screen still shows the alarms; with a UTF-8 locale
//! the box-drawing characters are there.

mod support;

use std::io::Write;
use std::process::Child;
use std::time::Duration;

use support::pty::Pty;
use support::screen::Screen;

const PATIENCE: Duration = Duration::from_secs(20);

/// Everything monitui printed from its start until it quit at 120x35 on
/// the demo account, after the Alarms tab showed its table and the
/// Overview its metric rows (each waited for on the screen, so the bytes
/// checked include those frames).
fn screen_bytes(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let pty = Pty::open(120, 35);
    let (mut child, rx): (Child, _) = pty.spawn_demo(args, env);
    let mut screen = Screen::new(rx, 120, 35);
    let mut master = pty.master.try_clone().unwrap();
    drop(pty);
    screen.wait_for("STATE  NAME", PATIENCE);
    screen.wait_for("dms-replication-lag", PATIENCE);
    master.write_all(b"1").unwrap();
    screen.wait_for("LAST THRESHOLD", PATIENCE);
    screen.wait_for("> 300", PATIENCE);
    master.write_all(b"q").unwrap();
    screen.read_to_end(PATIENCE);
    assert!(child.wait().unwrap().success());
    screen.bytes().to_vec()
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
    let mut screen = Screen::new(rx, 120, 35);
    let mut master = pty.master.try_clone().unwrap();
    drop(pty);
    screen.wait_for("live", PATIENCE);
    // The tab, the query form with every field visited (the last one shows
    // its `<>` marker), out of the form, the Denied preset's results, and
    // one record's detail: each seen on the screen before the next key.
    master.write_all(b"5").unwrap();
    screen.wait_for("I L M D T R presets", PATIENCE);
    master.write_all(b"e\t\t\t\t\t\t").unwrap();
    screen.wait_for("<>", PATIENCE);
    master.write_all(b"\x1b").unwrap();
    screen.wait_gone("editing", PATIENCE);
    master.write_all(b"D").unwrap();
    screen.wait_for("AccessDenied", PATIENCE);
    master.write_all(b"\r").unwrap();
    screen.wait_for("Who", PATIENCE);
    // An event is open: the first q leaves it, the second quits.
    master.write_all(b"qq").unwrap();
    screen.read_to_end(PATIENCE);
    assert!(child.wait().unwrap().success());
    assert_eq!(
        non_ascii(screen.bytes()),
        "",
        "non-ASCII reached the terminal"
    );
}
