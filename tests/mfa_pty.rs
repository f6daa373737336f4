//! The MFA dialog under the real binary on a pseudo-terminal: an env whose
//! profile assumes a role with `mfa_serial` (a temporary AWS config), STS
//! and CloudWatch answered by a recorded server. The dialog appears, keys
//! typed into it stay there, the code typed goes to AssumeRole and the
//! alarms come in signed with the role; a cancelled dialog does not come
//! back by itself on each refresh, and `r` opens it again.

mod support;

use std::io::Write;
use std::process::Child;
use std::time::{Duration, Instant};

use support::mfa::assume_role_xml;
use support::pty::Pty;
use support::recorded::{RecordedServer, Reply, Rule, one_alarm_account};
use support::screen::Screen;

const COLS: u16 = 120;
const ROWS: u16 = 35;
const PATIENCE: Duration = Duration::from_secs(60);
const ROLE: &str = "arn:aws:iam::123456789012:role/ops";
const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";
/// The dialog's title.
const DIALOG: &str = "┌ MFA code ";

/// An account with one alarm, reached by assuming [`ROLE`].
fn account() -> Vec<Rule> {
    let mut rules = vec![Rule::new(
        "AssumeRole",
        Reply::xml(200, &assume_role_xml(ROLE)),
    )];
    rules.extend(one_alarm_account(
        &format!("{ROLE}/alice"),
        "AROA1",
        Duration::ZERO,
    ));
    rules
}

/// monitui through profile `ops` of a temporary AWS config at `endpoint`,
/// refreshing every second, on a 120x35 pty.
fn start(endpoint: &str) -> (Child, Screen, std::fs::File) {
    let dir = tempfile::tempdir().unwrap().keep();
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile source]\naws_access_key_id = AKIDSOURCE\n\
             aws_secret_access_key = source-secret\n\n\
             [profile ops]\nrole_arn = {ROLE}\nmfa_serial = {SERIAL}\n\
             source_profile = source\nregion = us-east-1\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("credentials"), "").unwrap();
    let pty = Pty::open(COLS, ROWS);
    let child = pty
        .aws_command(endpoint, &["--profile", "ops", "--refresh", "1s"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .spawn()
        .expect("spawn monitui");
    let screen = Screen::new(pty.output(), COLS, ROWS);
    let master = pty.master.try_clone().unwrap();
    (child, screen, master)
}

/// Quits with Ctrl-c and checks monitui exits cleanly.
fn quit(mut child: Child, master: &mut std::fs::File) {
    master.write_all(b"\x03").unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "monitui did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.wait().unwrap().success());
}

#[test]
fn the_dialog_asks_for_the_code_and_the_alarms_come_in_with_the_role() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordedServer::start(account()));
    let (child, mut screen, mut master) = start(&server.endpoint());
    screen.wait_for(DIALOG, PATIENCE);
    assert!(screen.text().contains(SERIAL), "{}", screen.text());
    // Keys of other screens (tabs, quit, help) type into the dialog.
    master.write_all(b"12q3?\t").unwrap();
    screen.wait_for("code: 123█", PATIENCE);
    assert!(screen.text().contains(DIALOG), "still open");
    assert!(screen.text().contains("the code is 6 digits"));
    master.write_all(b"456\r").unwrap();
    screen.wait_for("checkout-errors", PATIENCE);
    screen.wait_for("● live", PATIENCE);
    // A frame arrives in pieces: the dialog's rows come after the header's.
    screen.wait_gone(DIALOG, PATIENCE);
    let assumed = runtime.block_on(server.requests_for("AssumeRole"));
    assert_eq!(assumed.len(), 1, "one sign-in");
    assert_eq!(
        assumed[0].form_field("TokenCode").as_deref(),
        Some("123456")
    );
    assert!(
        assumed[0]
            .header("authorization")
            .unwrap_or_default()
            .contains("Credential=AKIDSOURCE/")
    );
    for read in runtime.block_on(server.requests_for("DescribeAlarms")) {
        assert!(
            read.header("authorization")
                .unwrap_or_default()
                .contains("Credential=ASIAROLE/")
        );
    }
    quit(child, &mut master);
}

#[test]
fn a_cancelled_dialog_stays_shut_until_r() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordedServer::start(account()));
    let (child, mut screen, mut master) = start(&server.endpoint());
    screen.wait_for(DIALOG, PATIENCE);
    master.write_all(b"\x1b").unwrap();
    screen.wait_for("not given", PATIENCE);
    assert!(screen.text().contains("press r"), "{}", screen.text());
    // Several refreshes (every second) go by without a new dialog.
    screen.settle(Duration::from_secs(4));
    assert!(!screen.text().contains(DIALOG), "{}", screen.text());
    assert!(
        runtime
            .block_on(server.requests_for("AssumeRole"))
            .is_empty()
    );
    master.write_all(b"r").unwrap();
    screen.wait_for(DIALOG, PATIENCE);
    master.write_all(b"654321\r").unwrap();
    screen.wait_for("checkout-errors", PATIENCE);
    let assumed = runtime.block_on(server.requests_for("AssumeRole"));
    assert_eq!(assumed.len(), 1);
    assert_eq!(
        assumed[0].form_field("TokenCode").as_deref(),
        Some("654321")
    );
    quit(child, &mut master);
}
