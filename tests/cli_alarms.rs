//! `monitui alarms list` on the demo account, through the built binary.

mod support;

use std::sync::Arc;

use clap::Parser;
use monitui::cli::alarms_cmd::{self, AlarmsContext};
use monitui::cli::args::{Cli, Command};
use monitui::config::ResolvedEnv;
use monitui::data::audit::AuditLog;
use monitui::model::{Clock, ManualClock};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn monitui() -> assert_cmd::Command {
    support::demo_monitui("cli-alarms")
}

fn list_json(extra: &[&str]) -> Vec<serde_json::Value> {
    support::json_of(
        monitui()
            .args(["alarms", "list", "--output", "json"])
            .args(extra),
    )
}

#[test]
fn json_lists_every_demo_alarm_alarm_first() {
    let alarms = list_json(&[]);
    assert_eq!(alarms.len(), 6);
    let rank = |s: &str| match s {
        "ALARM" => 0,
        "INSUFFICIENT_DATA" => 1,
        "OK" => 2,
        other => panic!("unexpected state {other}"),
    };
    let ranks: Vec<i32> = alarms
        .iter()
        .map(|a| rank(a["state"].as_str().unwrap()))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let dms = alarms
        .iter()
        .find(|a| a["name"] == "ecommerce-ai-platform-dms-replication-lag")
        .expect("the seed's DMS alarm");
    assert_eq!(dms["threshold"], 300.0);
    assert_eq!(dms["metric"], "DMS/CDCLatencySource");
    assert!(dms["reason"].as_str().unwrap().len() > 10);
    let time = |key: &str| -> jiff::Timestamp {
        let text = dms[key].as_str().unwrap();
        text.parse().unwrap_or_else(|e| panic!("{key} {text}: {e}"))
    };
    assert!(time("transitioned_at") <= time("updated_at"));
}

#[test]
fn a_composite_rule_is_cut_in_the_table_and_whole_in_json() {
    const COMPOSITE: &str = "ecommerce-ai-platform-platform-degraded";
    let rule = list_json(&[])
        .into_iter()
        .find(|a| a["name"] == COMPOSITE)
        .and_then(|a| a["condition"].as_str().map(str::to_string))
        .expect("the demo's composite alarm and its rule");
    assert!(rule.len() > 60, "{rule}");
    let out = monitui().args(["alarms", "list"]).assert().success();
    let table = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let row = table
        .lines()
        .find(|line| line.contains(COMPOSITE))
        .expect("the composite's row");
    let cut: String = rule.chars().take(59).collect();
    assert!(row.contains(&format!("{cut}…")), "{row}");
    assert!(!row.contains(&rule), "{row}");
    let header = table.lines().next().unwrap();
    let threshold_to_since = header.find("SINCE").unwrap() - header.find("THRESHOLD").unwrap();
    assert_eq!(threshold_to_since, 62, "60 columns and the gap: {header}");
}

/// `monitui alarms list --output json ARGS`, parsed as the binary parses
/// it and run on the demo account with its clock stopped at `now`: the
/// (state, short name) of each alarm listed, in order.
async fn listed_at(now: &str, args: &[&str]) -> Vec<(String, String)> {
    let argv = ["monitui", "alarms", "list", "--output", "json"];
    let cli = Cli::try_parse_from(argv.iter().chain(args)).unwrap();
    let Some(Command::Alarms(cmd)) = cli.command else {
        panic!("not an alarms command: {:?}", cli.command)
    };
    let env = ResolvedEnv::demo();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now.parse().unwrap()));
    let session = monitui::data::connect(env.clone(), Arc::clone(&clock))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = AlarmsContext {
        env: &env,
        session: Arc::new(session),
        clock,
        audit: Ok(AuditLog::at(dir.path().join("audit.jsonl"))),
    };
    let mut out = Vec::new();
    alarms_cmd::run(&cmd, ctx, &mut out).await.unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    listed
        .iter()
        .map(|a| {
            let name = a["name"].as_str().unwrap();
            (
                a["state"].as_str().unwrap().to_string(),
                name.trim_start_matches("ecommerce-ai-platform-")
                    .to_string(),
            )
        })
        .collect()
}

/// Each state filter lists exactly the alarms of the unfiltered list in
/// that state, in the on-call order (at a moment when the demo's opening
/// incident has some alarms in ALARM and the others OK).
#[tokio::test]
async fn state_filter_keeps_exactly_that_state() {
    const NOW: &str = "2026-01-16T14:43:30Z";
    let all = listed_at(NOW, &[]).await;
    assert_eq!(all.len(), 6);
    let in_state = |state: &str| -> Vec<(String, String)> {
        all.iter().filter(|(s, _)| s == state).cloned().collect()
    };
    assert!(!in_state("ALARM").is_empty() && !in_state("OK").is_empty());
    for state in ["ALARM", "OK", "INSUFFICIENT_DATA"] {
        assert_eq!(
            listed_at(NOW, &["--state", state]).await,
            in_state(state),
            "{state}"
        );
    }
}

#[test]
fn global_flags_work_after_the_subcommand() {
    monitui()
        .args(["alarms", "list", "--env", "demo", "--no-color"])
        .assert()
        .success()
        .stdout(contains("STATE"))
        .stdout(contains("dms-replication-lag"));
}

#[test]
fn bad_state_is_exit_2_naming_the_value() {
    monitui()
        .args(["alarms", "list", "--state", "firing"])
        .assert()
        .code(2)
        .stderr(contains("'firing' is not a state"));
}

#[test]
fn bad_refresh_is_exit_2_naming_the_flag() {
    monitui()
        .args(["--refresh", "soon", "alarms", "list"])
        .assert()
        .code(2)
        .stderr(contains("--refresh"))
        .stderr(contains("'soon' is not a duration"));
}

#[test]
fn unreachable_endpoint_is_exit_1_with_the_reason() {
    monitui()
        .args(["--endpoint-url", "http://127.0.0.1:9", "alarms", "list"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(contains("DescribeAlarms"));
}

#[test]
fn the_tui_without_a_terminal_points_to_the_subcommands() {
    monitui()
        .assert()
        .code(2)
        .stderr(contains("needs a terminal"))
        .stderr(contains("alarms list --output json"));
}

#[test]
fn json_counts_each_alarm_s_alarm_entries_of_the_last_day_with_flaps() {
    let without = list_json(&[]);
    assert!(
        without.iter().all(|a| a["flaps_24h"].is_null()),
        "JSON reads the history only with --flaps"
    );
    let alarms = list_json(&["--flaps"]);
    let flaps = |name: &str| {
        alarms
            .iter()
            .find(|a| a["name"] == name)
            .and_then(|a| a["flaps_24h"].as_u64())
            .unwrap_or_else(|| panic!("{name} has a flaps_24h count"))
    };
    let day_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24);
    let fired_today: Vec<&str> = alarms
        .iter()
        .filter(|a| a["state"] == "ALARM")
        .filter(|a| {
            a["transitioned_at"]
                .as_str()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .is_some_and(|t| t > day_ago)
        })
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(
        !fired_today.is_empty(),
        "the demo has an incident under way at launch: {alarms:?}"
    );
    for name in fired_today {
        assert!(flaps(name) >= 1, "{name} went into ALARM within the day");
    }
    assert!(alarms.iter().all(|a| a["flaps_24h"].is_u64()));
}

/// A config with two demo envs (other seeds: other alarm states and
/// histories), the second read-only.
fn two_demo_envs() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("monitui-cli-alarms-envs");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        "[envs.blue]\nkind = \"demo\"\nseed = 23\n\n\
         [envs.green]\nkind = \"demo\"\nseed = 7\nread_only = true\n",
    )
    .unwrap();
    path
}

#[test]
fn a_list_across_envs_names_each_row_s_env_alarm_first_across_all() {
    let config = two_demo_envs();
    let alarms: Vec<serde_json::Value> =
        support::json_of(monitui().arg("--config").arg(&config).args([
            "alarms",
            "list",
            "--env",
            "blue,green",
            "--output",
            "json",
        ]));
    let one = list_json(&[]);
    assert_eq!(alarms.len(), 2 * one.len(), "every alarm of both envs");
    for env in ["blue", "green"] {
        assert_eq!(
            alarms.iter().filter(|a| a["env"] == env).count(),
            one.len(),
            "{env}"
        );
    }
    let states: Vec<&str> = alarms
        .iter()
        .map(|a| a["state"].as_str().unwrap())
        .collect();
    let firing = states.iter().filter(|s| **s == "ALARM").count();
    assert!(firing > 0);
    assert!(
        states[..firing].iter().all(|s| *s == "ALARM"),
        "ALARM first across both envs: {states:?}"
    );
    assert!(
        one.iter().all(|a| a.get("env").is_none()),
        "one env: no env field"
    );

    let table = support::succeeds(
        monitui()
            .arg("--config")
            .arg(&config)
            .args(["alarms", "list", "--env", "all"]),
    );
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.starts_with("ENV "), "{table}");
    assert!(
        table.contains("\ngreen ") && table.contains("\nblue "),
        "{table}"
    );
}

#[test]
fn a_command_of_one_env_refuses_a_list_of_envs_and_the_terminal_ui_takes_it() {
    let config = two_demo_envs();
    for args in [
        &["alarms", "ack", "api-5xx-errors", "--env", "blue,green"][..],
        &["alarms", "show", "api-5xx-errors", "--env", "all"],
    ] {
        monitui()
            .arg("--config")
            .arg(&config)
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("names several envs"));
    }
    // Without a terminal the UI stops only for that: the envs were taken.
    for envs in ["all", "blue,green"] {
        monitui()
            .arg("--config")
            .arg(&config)
            .args(["--env", envs])
            .assert()
            .code(2)
            .stderr(contains("the terminal UI needs a terminal"))
            .stderr(contains("names several envs").not());
    }
}

/// Holds every connection made to a local port without answering, until
/// dropped (then the port is closed): an account that is slow to answer.
struct Silent {
    url: String,
    accepted: Arc<std::sync::atomic::AtomicUsize>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Silent {
    fn start() -> Self {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (accepted, stop) = (Arc::clone(&accepted), Arc::clone(&stop));
            move || {
                let mut held = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            accepted.fetch_add(1, Ordering::SeqCst);
                            held.push(stream);
                        }
                        Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                    }
                }
            }
        });
        Self {
            url,
            accepted,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
fn across_envs_a_fast_env_s_alarm_rows_are_printed_before_a_slow_env_answers() {
    use std::io::BufRead;
    use std::sync::atomic::Ordering;
    let slow = Silent::start();
    let dir = std::env::temp_dir().join("monitui-cli-alarms-slow");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[envs.fast]\nkind = \"demo\"\nseed = 23\n\n\
             [envs.slow]\nkind = \"aws\"\nregion = \"us-east-1\"\nendpoint_url = \"{}\"\n",
            slow.url
        ),
    )
    .unwrap();
    let firing = list_json(&["--state", "alarm"]).len();
    assert!(firing > 0);
    let mut child = support::demo_command("cli-alarms-slow")
        .arg("--config")
        .arg(&config)
        .args(["alarms", "list", "--env", "fast,slow"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let mut early = Vec::new();
    while early
        .iter()
        .filter(|l: &&String| l.starts_with("fast"))
        .count()
        < firing
    {
        match rx.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(line) => early.push(line),
            Err(e) => {
                panic!("fast's ALARM rows did not come while slow was silent ({e}): {early:?}")
            }
        }
    }
    // The demo env can be done before slow's connection is even opened:
    // wait (a while at most) until slow has been asked.
    let asked = std::time::Instant::now();
    while slow.accepted.load(Ordering::SeqCst) == 0
        && asked.elapsed() < std::time::Duration::from_secs(30)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        slow.accepted.load(Ordering::SeqCst) > 0,
        "slow was asked and has not answered"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "still waiting for slow: {early:?}"
    );
    assert!(early[0].starts_with("ENV "), "{early:?}");
    assert!(
        early[1..].iter().all(|l| l.starts_with("fast  ALARM")),
        "only fast's ALARM rows so far: {early:?}"
    );
    drop(slow);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let rest: Vec<String> = rx.try_iter().collect();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("env 'slow': cannot list alarms"),
        "{stderr}"
    );
    let one = list_json(&[]).len();
    assert_eq!(
        early.len() - 1 + rest.len(),
        one,
        "every row of fast once: {rest:?}"
    );
    assert!(
        rest.iter()
            .all(|l| l.starts_with("fast ") && !l.contains(" ALARM ")),
        "then the rest of fast's rows: {rest:?}"
    );
}
