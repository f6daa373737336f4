//! The real binary on a pseudo-terminal: after `q`, SIGTERM, SIGHUP, a
//! panic or Ctrl-C (in every kind of screen) the terminal is back in
//! cooked mode with echo, the alternate screen is left and the cursor is
//! shown.

mod support;

use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::Child;
use std::time::{Duration, Instant};

use support::pty::{Pty, read_until};
use support::screen::Screen;

fn termios(fd: &OwnedFd) -> libc::termios {
    // SAFETY: termios is plain old data; tcgetattr fills it for a valid fd.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(fd.as_raw_fd(), &mut t), 0);
        t
    }
}

fn is_cooked(fd: &OwnedFd) -> bool {
    let t = termios(fd);
    t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
}

const PATIENCE: Duration = Duration::from_secs(20);

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "monitui did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

const LEAVE_ALT_SCREEN: &[u8] = b"\x1b[?1049l";

/// Runs monitui, waits for the first frame, ends it with `end`, and checks
/// the terminal is restored. Returns the exit status.
fn run_and_end(
    extra_env: &[(&str, &str)],
    end: impl FnOnce(&mut Child, &mut File),
) -> std::process::ExitStatus {
    let mut pty = Pty::open(80, 24);
    assert!(is_cooked(&pty.slave));
    let (mut child, rx) = pty.spawn_demo(&[], extra_env);
    let mut out = Vec::new();
    read_until(&rx, &mut out, b"Alarms", PATIENCE);
    assert!(!is_cooked(&pty.slave), "the TUI runs in raw mode");
    end(&mut child, &mut pty.master);
    let status = wait(&mut child);
    read_until(&rx, &mut out, LEAVE_ALT_SCREEN, PATIENCE);
    assert!(is_cooked(&pty.slave), "terminal left in raw mode");
    assert_eq!(
        last_sgr(&out),
        Some(&b"\x1b[0m"[..]),
        "colours and attributes are reset before the shell gets the terminal back"
    );
    status
}

/// The last SGR sequence (`ESC [ ... m`) in `out`.
fn last_sgr(out: &[u8]) -> Option<&[u8]> {
    let mut last = None;
    let mut i = 0;
    while let Some(at) = out[i..].windows(2).position(|w| w == b"\x1b[") {
        let start = i + at;
        let end = out[start + 2..]
            .iter()
            .position(|b| (0x40..=0x7e).contains(b))
            .map(|n| start + 2 + n);
        match end {
            Some(end) if out[end] == b'm' => last = Some(&out[start..=end]),
            Some(_) => {}
            None => break,
        }
        i = start + 2;
    }
    last
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: sending a signal to our own child process.
    let rc = unsafe { libc::kill(child.id() as i32, sig) };
    assert_eq!(rc, 0);
}

#[test]
fn q_restores_the_terminal() {
    let status = run_and_end(&[], |_, master| master.write_all(b"q").unwrap());
    assert!(status.success());
}

#[test]
fn sigterm_restores_the_terminal() {
    let status = run_and_end(&[], |child, _| signal(child, libc::SIGTERM));
    assert!(status.success());
}

#[test]
fn sighup_restores_the_terminal() {
    let status = run_and_end(&[], |child, _| signal(child, libc::SIGHUP));
    assert!(status.success());
}

/// The binary's test hook (`MONITUI_TEST_PANIC_KEY`: `!` panics) exists
/// only with debug assertions, as the tests build it.
#[cfg(debug_assertions)]
#[test]
fn a_panic_restores_the_terminal() {
    let status = run_and_end(&[("MONITUI_TEST_PANIC_KEY", "1")], |_, master| {
        master.write_all(b"!").unwrap()
    });
    assert!(!status.success());
}

/// Built without debug assertions (`cargo test --release`), the binary has
/// no test hook: `!` with `MONITUI_TEST_PANIC_KEY` set does not panic, and
/// the `q` after it (keys are handled in order) quits cleanly.
#[cfg(not(debug_assertions))]
#[test]
fn a_release_build_has_no_panic_hook() {
    let status = run_and_end(&[("MONITUI_TEST_PANIC_KEY", "1")], |_, master| {
        master.write_all(b"!q").unwrap()
    });
    assert!(status.success(), "{status}");
}

/// Ctrl-C, SIGHUP (an SSH drop) and SIGTERM each quit and restore the
/// terminal from every kind of screen: each tab, the detail and incident
/// views, a dialog with a note typed, the help, input lines and editors
/// that take typing. Each step's keys are sent once the screen shows what
/// the step before waited for, and the last screen is seen on a terminal
/// emulator before the ending.
/// (The ack dialog opens only while an alarm is in ALARM, which the demo
/// clock does not promise; the silence dialog stands for dialogs.)
#[test]
fn ctrl_c_sighup_and_sigterm_restore_the_terminal_in_every_screen() {
    const ALARMS: (&[u8], &str) = (b"2", "STATE  NAME");
    let screens: &[&[(&[u8], &str)]] = &[
        &[(b"1", "pinned")],
        &[ALARMS, (b"/lam", "filter: lam")],
        &[ALARMS, (b"\r", "Esc back  [ ] range")],
        &[ALARMS, (b"s", "Enter silence"), (b"\tzq7", "zq7")],
        &[ALARMS, (b"i", "Incident")],
        &[(b"?", "keys close")],
        &[(b":env", ":env")],
        &[(b"3", "api-performance"), (b"\r", "j/k widget")],
        &[(b"4", "/aws/"), (b"\r", "Tail apigateway")],
        &[(b"4", "/aws/"), (b"i", "Logs Insights")],
        &[(b"5", "CloudTrail"), (b"e", "editing: type")],
    ];
    let endings = ["Ctrl-C", "SIGHUP", "SIGTERM"];
    for steps in screens {
        for ending in endings {
            let mut pty = Pty::open(80, 24);
            let (mut child, rx) = pty.spawn_demo(&[], &[]);
            let mut screen = Screen::new(rx, 80, 24);
            screen.wait_for("live", PATIENCE);
            for (keys, shown) in *steps {
                pty.master.write_all(keys).unwrap();
                screen.wait_for(shown, PATIENCE);
            }
            match ending {
                "SIGHUP" => signal(&child, libc::SIGHUP),
                "SIGTERM" => signal(&child, libc::SIGTERM),
                _ => pty.master.write_all(b"\x03").unwrap(),
            }
            let status = wait(&mut child);
            screen.settle(Duration::from_millis(200));
            let (_, last) = steps.last().unwrap();
            let what = format!("{ending} on {last:?}");
            assert!(status.success(), "{what}: {status}");
            assert!(is_cooked(&pty.slave), "{what}: terminal left in raw mode");
            let vt = screen.vt();
            assert!(
                !vt.alternate_screen() && !vt.hide_cursor(),
                "{what}: alternate screen or hidden cursor left"
            );
        }
    }
}
