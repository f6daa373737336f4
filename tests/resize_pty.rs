//! Resizing the real binary's terminal from 300x100 down to 1x1 and back,
//! on every tab and with the detail view and a dialog open: monitui never
//! panics, keeps answering keys, and draws the full size again at the end.

mod support;

use std::io::Write;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use support::pty::Pty;
use support::screen::Screen;

const PATIENCE: Duration = Duration::from_secs(30);

const SIZES: [(u16, u16); 12] = [
    (300, 100),
    (200, 60),
    (120, 35),
    (80, 24),
    (40, 12),
    (20, 6),
    (10, 3),
    (2, 2),
    (1, 1),
    (80, 24),
    (1, 1),
    (300, 100),
];

/// Keys tried at each size: every tab, the detail view, the ack dialog
/// (left with Esc), the help overlay.
const KEYS: &[&[u8]] = &[
    b"1", b"3", b"4", b"5", b"2", b"\r", b"\x1b", b"a", b"\x1b", b"?", b"\x1b",
];

fn set_size(pty: &Pty, cols: u16, rows: u16, pid: u32) {
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ on our own pty master with a valid winsize.
    assert_eq!(
        unsafe { libc::ioctl(pty.master.as_raw_fd(), libc::TIOCSWINSZ, &size) },
        0
    );
    // monitui is not the pty's session leader, so the kernel's SIGWINCH
    // does not reach it: send it as a terminal emulator's shell would.
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGWINCH) }, 0);
}

#[test]
fn resizing_from_300x100_to_1x1_and_back_never_panics() {
    let pty = Pty::open(300, 100);
    let (mut child, rx) = pty.spawn_demo(&[], &[]);
    let mut screen = Screen::new(rx, 300, 100);
    screen.wait_for("batch-job-failures", PATIENCE);
    let mut master = pty.master.try_clone().unwrap();
    for (cols, rows) in SIZES {
        screen.settle(Duration::from_millis(100));
        set_size(&pty, cols, rows, child.id());
        screen.resize(cols, rows);
        for key in KEYS {
            master.write_all(key).unwrap();
            screen.settle(Duration::from_millis(15));
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "monitui exited at {cols}x{rows}"
        );
    }
    master.write_all(b"2").unwrap();
    screen.wait_for("batch-job-failures", PATIENCE);
    let text = screen.text();
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.trim_end().len() > 200,
        "the header spans the 300 columns again:\n{text}"
    );
    master.write_all(b"q").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "monitui did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.wait().unwrap().success());
}
