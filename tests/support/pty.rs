//! A pseudo-terminal for running the built binary as a person would: what
//! monitui writes arrives on the master side as the exact bytes a terminal
//! would get, and keys written to the master reach monitui's stdin.

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Both ends of a pseudo-terminal.
pub struct Pty {
    /// The terminal's side: read what the program printed, write keys.
    pub master: File,
    /// The program's side (its stdin, stdout and stderr).
    pub slave: OwnedFd,
}

impl Pty {
    /// Opens a pty of `cols` x `rows` cells.
    pub fn open(cols: u16, rows: u16) -> Self {
        let mut master = 0;
        let mut slave = 0;
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
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

    /// Changes the pty's size to `cols` x `rows` and tells `pid` (SIGWINCH;
    /// the child is not in the pty's session, so the kernel would not).
    pub fn resize(&self, cols: u16, rows: u16, pid: u32) {
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ reads a winsize from a valid pointer; the fd is open.
        let rc = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        assert_eq!(rc, 0, "TIOCSWINSZ failed");
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGWINCH) }, 0);
    }

    /// Makes the pty `cmd`'s stdin, stdout and stderr, with the UTF-8
    /// locale a terminal emulator gives (without one monitui draws in ASCII;
    /// a test can set another `LANG` after this).
    pub fn attach(&self, cmd: &mut Command) {
        let stdio = || Stdio::from(self.slave.try_clone().expect("clone the pty's slave fd"));
        cmd.stdin(stdio()).stdout(stdio()).stderr(stdio());
        cmd.env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE");
    }

    /// monitui on this pty talking to `endpoint` with dummy credentials and
    /// no config file (a fresh temporary home), with `args`.
    pub fn aws_command(&self, endpoint: &str, args: &[&str]) -> Command {
        let home = tempfile::tempdir().expect("temporary home").keep();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_monitui"));
        cmd.args(["--endpoint-url", endpoint])
            .args(args)
            .env_remove("MONITUI_ENV")
            .env_remove("MONITUI_CONFIG")
            .env_remove("NO_COLOR")
            .env("TERM", "xterm-256color")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        self.attach(&mut cmd);
        cmd
    }

    /// Starts monitui on the demo account inside this pty with `args`, set
    /// apart from the user's config, and a thread that collects everything
    /// it prints; `env` is set last.
    pub fn spawn_demo(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> (Child, mpsc::Receiver<Vec<u8>>) {
        self.spawn_demo_tuned(args, env, |_| {})
    }

    /// [`Pty::spawn_demo`], with `tune` changing the command last (its
    /// working folder, where its stderr goes).
    pub fn spawn_demo_tuned(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        tune: impl FnOnce(&mut Command),
    ) -> (Child, mpsc::Receiver<Vec<u8>>) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_monitui"));
        cmd.args(args)
            .env("TERM", "xterm-256color")
            .env_remove("MONITUI_ENV")
            .env_remove("MONITUI_CONFIG")
            .env("HOME", std::env::temp_dir())
            .env(
                "XDG_CONFIG_HOME",
                std::env::temp_dir().join("monitui-pty-test"),
            );
        self.attach(&mut cmd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        tune(&mut cmd);
        let child = cmd.spawn().expect("spawn monitui");
        (child, self.output())
    }

    /// A thread that sends everything printed on the terminal, chunk by
    /// chunk. The channel closes once every copy of the slave side is
    /// closed: drop this `Pty` (or its `slave`) after spawning, and it ends
    /// when the program exits.
    pub fn output(&self) -> mpsc::Receiver<Vec<u8>> {
        let mut master = self.master.try_clone().expect("clone the pty's master fd");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = master.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        rx
    }
}

/// Collects output until `needle` appears; panics after `timeout`.
pub fn read_until(
    rx: &mpsc::Receiver<Vec<u8>>,
    out: &mut Vec<u8>,
    needle: &[u8],
    timeout: Duration,
) {
    let deadline = Instant::now() + timeout;
    while !contains(out, needle) {
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

/// Collects output until the channel ends (every writer closed the pty);
/// panics after `timeout`.
pub fn read_to_end(rx: &mpsc::Receiver<Vec<u8>>, out: &mut Vec<u8>, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => out.extend(chunk),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "the program did not finish within {timeout:?}; got {:?}",
                String::from_utf8_lossy(out)
            ),
        }
    }
}

/// Types `keys` on `master` and collects what the program prints for
/// `settle`. The screen is redrawn by difference, so a word can arrive in
/// pieces: waiting for one is not reliable, waiting a while is.
pub fn type_and_settle(
    master: &mut File,
    rx: &mpsc::Receiver<Vec<u8>>,
    out: &mut Vec<u8>,
    keys: &[u8],
    settle: Duration,
) {
    use std::io::Write;
    master.write_all(keys).expect("type");
    let until = Instant::now() + settle;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        if let Ok(chunk) = rx.recv_timeout(left) {
            out.extend(chunk);
        }
    }
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
