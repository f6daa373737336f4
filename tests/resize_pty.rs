//! Resizing the real binary's terminal from 300x100 down to 1x1 and back,
//! on every tab and with the detail view and a dialog open, and on the
//! CloudTrail tab with results, an event's detail and the form: monitui
//! never panics, keeps answering keys, and draws the full size again.

mod support;

use std::io::Write;
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

/// Presses `q` and checks monitui ends well within [`PATIENCE`].
fn quit(master: &mut std::fs::File, child: &mut std::process::Child) {
    master.write_all(b"q").unwrap();
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "monitui did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.wait().unwrap().success());
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
        pty.resize(cols, rows, child.id());
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
    quit(&mut master, &mut child);
}

#[test]
fn the_cloudtrail_tab_survives_resizes_in_every_state() {
    let pty = Pty::open(80, 24);
    let (mut child, rx) = pty.spawn_demo(&[], &[]);
    let mut screen = Screen::new(rx, 80, 24);
    screen.wait_for("batch-job-failures", PATIENCE);
    let mut master = pty.master.try_clone().unwrap();
    let mut press = |keys: &[u8], expect: &str, screen: &mut Screen| {
        master.write_all(keys).unwrap();
        screen.wait_for(expect, PATIENCE);
    };
    let resize_through = |screen: &mut Screen, child: &mut std::process::Child| {
        for (cols, rows) in [(120, 35), (20, 6), (1, 1), (80, 24)] {
            pty.resize(cols, rows, child.id());
            screen.resize(cols, rows);
            screen.settle(Duration::from_millis(100));
            assert!(
                child.try_wait().unwrap().is_none(),
                "exited at {cols}x{rows}"
            );
        }
    };
    press(b"5", "I L M D T R presets", &mut screen);
    press(b"D", "AccessDenied", &mut screen);
    resize_through(&mut screen, &mut child);
    press(b"\r", "Who", &mut screen);
    resize_through(&mut screen, &mut child);
    press(b"\x1b", "TIME", &mut screen);
    press(b"e", "editing", &mut screen);
    resize_through(&mut screen, &mut child);
    press(b"x", "x\u{2588}", &mut screen);
    press(b"\x1b", "e edit", &mut screen);
    quit(&mut master, &mut child);
}
