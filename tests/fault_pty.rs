//! Faults under the real binary in a pseudo-terminal, read off the screen
//! a terminal would show (`support::screen`): the emulator killed in the
//! middle of a session and started again, AWS throttling every call, and
//! a server that answers only after 10 seconds (the SDK's attempt
//! timeout). In each the keys are still handled at once (median under
//! 100 ms), the header says the data is stale and how old or that it is
//! retrying, and monitui goes live again by itself, without a keypress.

mod support;

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use support::pty::Pty;
use support::recorded::{RecordedServer, Reply, Rule, one_alarm_account};
use support::screen::Screen;

const COLS: u16 = 120;
const ROWS: u16 = 35;
const PATIENCE: Duration = Duration::from_secs(60);
/// The help overlay's title: on screen exactly while help is open.
/// The help overlay's title: "any key closes", or "other keys close"
/// when the help scrolls.
const HELP: &str = "keys close";
/// How fast a key must show on screen (the bound).
const KEY_BOUND: Duration = Duration::from_millis(100);

/// Opens and closes the help overlay `n` times; returns the median time
/// from a key press to the screen showing its effect.
fn key_round_trips(screen: &mut Screen, master: &mut std::fs::File, n: usize) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .flat_map(|_| {
            master.write_all(b"?").unwrap();
            let open = screen.wait_for(HELP, PATIENCE);
            master.write_all(b"\x1b").unwrap();
            let close = screen.wait_gone(HELP, PATIENCE);
            [open, close]
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Quits with `q` and checks monitui exits cleanly.
fn quit(mut child: Child, master: &mut std::fs::File) {
    master.write_all(b"q").unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "monitui did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.wait().unwrap().success());
}

/// monitui against `endpoint`, refreshing every 2 s, on a 120x35 pty.
fn start(endpoint: &str) -> (Child, Screen, std::fs::File) {
    let pty = Pty::open(COLS, ROWS);
    let child = pty
        .aws_command(endpoint, &["--refresh", "2s"])
        .spawn()
        .expect("spawn monitui");
    let screen = Screen::new(pty.output(), COLS, ROWS);
    let master = pty.master.try_clone().unwrap();
    (child, screen, master)
}

/// A ministack of this test's own (killing the shared one would break
/// the other tests), on a fixed port so it can be started again there.
struct Emulator {
    child: Option<Child>,
    port: u16,
}

impl Emulator {
    fn start(port: u16) -> Emulator {
        let bin = std::env::var("MONITUI_TEST_MINISTACK").unwrap_or_else(|_| {
            panic!("MONITUI_TEST_MINISTACK is not set: run the fault tests through scripts/test")
        });
        let log = std::fs::File::create(std::env::temp_dir().join(format!("ministack-{port}.log")))
            .unwrap();
        let child = Command::new(bin)
            .env("BIND_HOST", "127.0.0.1")
            .env("GATEWAY_PORT", port.to_string())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start ministack");
        let emulator = Emulator {
            child: Some(child),
            port,
        };
        let deadline = Instant::now() + PATIENCE;
        while !support::emulator_answers(&emulator.url()) {
            assert!(Instant::now() < deadline, "ministack did not start");
            std::thread::sleep(Duration::from_millis(200));
        }
        emulator
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// SIGKILL: the way a crashed or vanished endpoint looks.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

#[test]
#[ignore = "needs the emulator: run scripts/test"]
fn the_emulator_killed_mid_session_marks_data_stale_and_it_comes_back_by_itself() {
    let port = free_port();
    let mut emulator = Emulator::start(port);
    let (child, mut screen, mut master) = start(&emulator.url());
    screen.wait_for("● live", PATIENCE);

    emulator.kill();
    screen.wait_for("◌ stale", PATIENCE);
    let during = key_round_trips(&mut screen, &mut master, 5);
    assert!(
        during < KEY_BOUND,
        "keys took {during:?} (median) with the emulator gone"
    );
    screen.wait_for("retry #", PATIENCE);
    let stale = screen.text();
    assert!(
        stale.lines().next().unwrap().contains("stale "),
        "the header gives the data's age:\n{stale}"
    );

    let _back = Emulator::start(port);
    let back = screen.wait_for("● live", Duration::from_secs(90));
    assert!(!screen.text().contains("retry #"), "{}", screen.text());
    println!("live again {back:?} after the emulator answered, with no keypress");
    quit(child, &mut master);
}

/// Answers for an account with one alarm in ALARM, each `delay` late.
fn account(delay: Duration) -> Vec<Rule> {
    one_alarm_account("arn:aws:iam::123456789012:user/oncall", "AIDA1", delay)
}

#[test]
fn keys_are_handled_at_once_while_every_answer_takes_ten_seconds() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordedServer::start(account(Duration::from_secs(10))));
    let (child, mut screen, mut master) = start(&server.endpoint());
    screen.wait_for("Alarms", PATIENCE);
    let median = key_round_trips(&mut screen, &mut master, 5);
    assert!(median < KEY_BOUND, "keys took {median:?} (median)");
    assert!(
        screen.text().contains("connecting"),
        "nothing has answered yet:\n{}",
        screen.text()
    );
    // Ten seconds is the SDK's attempt timeout: every call times out, and
    // the header says so rather than waiting forever.
    screen.wait_for("retry #", PATIENCE);
    let median = key_round_trips(&mut screen, &mut master, 3);
    assert!(median < KEY_BOUND, "keys took {median:?} (median)");
    let asked = Instant::now();
    quit(child, &mut master);
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "quitting waited for the hung calls: {:?}",
        asked.elapsed()
    );
}

#[test]
fn throttling_shows_the_retries_and_goes_live_when_it_stops() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let throttled = Reply::cbor_error(400, "ThrottlingException", "Rate exceeded");
    let mut rules = vec![Rule::new("DescribeAlarms", throttled).times(12)];
    rules.extend(account(Duration::ZERO));
    let server = runtime.block_on(RecordedServer::start(rules));
    let (child, mut screen, mut master) = start(&server.endpoint());
    screen.wait_for("retry #", PATIENCE);
    assert!(
        screen.text().contains("Rate exceeded") || screen.text().contains("Throttling"),
        "the throttling is named:\n{}",
        screen.text()
    );
    let median = key_round_trips(&mut screen, &mut master, 5);
    assert!(median < KEY_BOUND, "keys took {median:?} (median)");
    screen.wait_for("● live", Duration::from_secs(90));
    master.write_all(b"2").unwrap();
    screen.wait_for("checkout-errors", PATIENCE);
    quit(child, &mut master);
}

/// Nothing listens where the alarms should come from: the header never
/// says "no ALARM", it says the alarms are unknown, while it retries.
#[test]
fn a_closed_port_shows_the_alarms_as_unknown_not_as_all_clear() {
    let (child, mut screen, mut master) = start(&support::recorded::closed_endpoint());
    screen.wait_for("retry #", PATIENCE);
    let header = screen.text().lines().next().unwrap().to_string();
    assert!(header.contains("? alarms unknown"), "{header}");
    assert!(!header.contains("no ALARM"), "{header}");
    quit(child, &mut master);
}
