//! The real binary on a pseudo-terminal: after `q`, SIGTERM, SIGHUP or a
//! panic the terminal is back in cooked mode with echo, the alternate
//! screen is left and the cursor is shown.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Pty {
    master: File,
    slave: OwnedFd,
}

fn open_pty() -> Pty {
    let mut master = 0;
    let mut slave = 0;
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two valid fds into the out-pointers on success.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    // SAFETY: both fds were just opened and are owned by nobody else.
    unsafe {
        Pty {
            master: File::from_raw_fd(master),
            slave: OwnedFd::from_raw_fd(slave),
        }
    }
}

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

/// Starts monitui on the demo account inside the pty and a thread that
/// collects everything it prints.
fn start(pty: &Pty, extra_env: &[(&str, &str)]) -> (Child, mpsc::Receiver<Vec<u8>>) {
    let stdio = || Stdio::from(pty.slave.try_clone().unwrap());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_monitui"));
    cmd.env("TERM", "xterm-256color")
        .env_remove("MONITUI_ENV")
        .env_remove("MONITUI_CONFIG")
        .env("HOME", std::env::temp_dir())
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("monitui-restore-test"),
        )
        .stdin(stdio())
        .stdout(stdio())
        .stderr(stdio());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("spawn monitui");
    let mut master = pty.master.try_clone().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Collects output until `needle` appears (or panics after a deadline).
fn read_until(rx: &mpsc::Receiver<Vec<u8>>, out: &mut Vec<u8>, needle: &[u8]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !out.windows(needle.len()).any(|w| w == needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => out.extend(chunk),
            Err(_) => panic!(
                "never saw {:?}; got {:?}",
                String::from_utf8_lossy(needle),
                String::from_utf8_lossy(out)
            ),
        }
    }
}

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
    let mut pty = open_pty();
    assert!(is_cooked(&pty.slave));
    let (mut child, rx) = start(&pty, extra_env);
    let mut out = Vec::new();
    read_until(&rx, &mut out, b"Alarms");
    assert!(!is_cooked(&pty.slave), "the TUI runs in raw mode");
    end(&mut child, &mut pty.master);
    let status = wait(&mut child);
    read_until(&rx, &mut out, LEAVE_ALT_SCREEN);
    assert!(is_cooked(&pty.slave), "terminal left in raw mode");
    status
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

#[test]
fn a_panic_restores_the_terminal() {
    let status = run_and_end(&[("MONITUI_TEST_PANIC_KEY", "1")], |_, master| {
        master.write_all(b"!").unwrap()
    });
    assert!(!status.success());
}
