//! Entry point: parse arguments, resolve the environment, then hand off to
//! a subcommand or the TUI. Exit codes: 0 success, 1 runtime failure,
//! 2 bad input (flags, config, env, theme).

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;

use monitui::cli::args::{AlarmsCommand, Cli, Command, DashboardsCommand, LogsCommand};
use monitui::cli::provision_cmd::{self, ProvisionCommand};
use monitui::cli::{
    alarms_cmd, audit_cmd, completions_cmd, config_cmd, dashboards_cmd, handoff_cmd,
    iam_policy_cmd, incident_cmd, logs_cmd, logs_query_cmd, themes_cmd, trail_cmd,
};
use monitui::cli::{cost_cmd, doctor_cmd, metrics_cmd, slo_cmd};
use monitui::config;
use monitui::data::{self, AuditLog};
use monitui::model::{Clock, SystemClock};
use monitui::sanitize::sanitize_text;

/// Sets the zone times are shown in (the first call wins: `--tz` is set
/// before the env's `timezone` is known). The value was checked when the
/// flag or the config was read.
fn show_times_in(name: &str) {
    if let Ok(zone) = monitui::model::zone::Zone::parse(name) {
        monitui::model::zone::set_display_zone(zone);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(path) = &cli.global.log_file
        && let Err(e) = init_log_file(path)
    {
        eprintln!("monitui: --log-file {}: {e}", path.display());
        return ExitCode::from(2);
    }
    tracing::info!("monitui {}", monitui::cli::args::VERSION);
    if let Some(tz) = &cli.global.tz {
        show_times_in(tz);
    }
    match &cli.command {
        Some(Command::Completions { shell }) => {
            return report(
                completions_cmd::completions(*shell, &mut std::io::stdout().lock())
                    .context("writing the completion script"),
            );
        }
        Some(Command::Man { dir: None }) => {
            return report(
                completions_cmd::man_page(&mut std::io::stdout().lock())
                    .context("writing the man page"),
            );
        }
        Some(Command::Man { dir: Some(dir) }) => {
            return report(
                completions_cmd::man_pages(dir)
                    .map(|_| ())
                    .with_context(|| format!("writing the man pages into {}", dir.display())),
            );
        }
        Some(Command::Config(cmd)) => return report(config_cmd::run_config(cmd, &cli.global)),
        Some(Command::Themes(cmd)) => return report(themes_cmd::run_themes(cmd, &cli.global)),
        Some(Command::Logs(cmd)) if !cmd.needs_account() => return report(logs_cmd::run(cmd)),
        Some(Command::Provision(ProvisionCommand::Init { out, force })) => {
            return report(provision_cmd::init(
                out,
                *force,
                &mut std::io::stdout().lock(),
            ));
        }
        Some(Command::Audit { output }) => {
            return report(
                AuditLog::default_location()
                    .map_err(Into::into)
                    .and_then(|log| {
                        audit_cmd::run(
                            &log,
                            *output,
                            &mut std::io::stdout().lock(),
                            &mut std::io::stderr().lock(),
                        )
                    }),
            );
        }
        _ => {}
    }
    // Only `alarms list` and the terminal UI (its alarm wall) show several
    // envs at once; every other command refuses `--env a,b` and `--env all`.
    let shows_several = matches!(
        cli.command,
        None | Some(Command::Alarms(AlarmsCommand::List { .. }))
    );
    let resolved = if shows_several {
        config::resolve_several(&cli.global)
    } else {
        config::resolve(&cli.global).map(|env| config::EnvChoice {
            envs: vec![env],
            several: false,
        })
    };
    let choice = match resolved {
        Ok(choice) => choice,
        Err(e) => {
            eprintln!("monitui: {}", sanitize_text(&e.to_string()));
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let env = choice.envs[0].clone();
    show_times_in(&env.timezone);
    if cli.command.is_some() {
        monitui::cli::mfa_prompt::install_on_terminal();
    }
    match cli.command {
        None if !std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            eprintln!(
                "monitui: the terminal UI needs a terminal on stdout; for scripts use a subcommand such as `monitui alarms list --output json` (see --help)"
            );
            ExitCode::from(2)
        }
        None => report(monitui::tui::run(choice, cli.global)),
        Some(Command::Alarms(AlarmsCommand::List {
            state,
            output,
            flaps,
        })) if choice.several => report(run_async(async move {
            let mut out = std::io::stdout().lock();
            alarms_cmd::list_across(
                &choice.envs,
                Arc::new(SystemClock),
                state,
                (output, flaps),
                &mut out,
            )
            .await
        })),
        Some(Command::Alarms(cmd)) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
            let ctx = alarms_cmd::AlarmsContext {
                env: &env,
                session: Arc::new(session),
                clock,
                audit: AuditLog::default_location(),
            };
            let mut out = std::io::stdout().lock();
            alarms_cmd::run(&cmd, ctx, &mut out).await
        })),
        Some(Command::Dashboards(DashboardsCommand::List { output })) => {
            report(run_async(async move {
                let session = data::connect(env, Arc::new(SystemClock)).await?;
                dashboards_cmd::list(&session.reads, output, &mut std::io::stdout().lock()).await
            }))
        }
        Some(Command::Dashboards(DashboardsCommand::Show {
            name,
            body,
            width,
            height,
            range,
            plain,
        })) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let theme = config::theme::load_theme(&env.theme, env.themes_dir.as_deref())?;
            let prefix = env.prefix.clone();
            let session = data::connect(env, Arc::clone(&clock)).await?;
            let body = match (name, body) {
                (_, Some(path)) => dashboards_cmd::BodySource::File(path),
                (Some(name), None) => dashboards_cmd::BodySource::Named(
                    monitui::cli::names::dashboard(session.reads.metrics.as_ref(), &prefix, &name)
                        .await?,
                ),
                (None, None) => anyhow::bail!("give a dashboard name or --body FILE"),
            };
            let request = dashboards_cmd::ShowRequest {
                body,
                width,
                height,
                range,
                plain,
            };
            let look = monitui::ui::dashboard::palette::Look::new(&theme);
            dashboards_cmd::show_body(
                &request,
                &session.reads,
                &|dashboard, data, size, plain| {
                    monitui::ui::dashboard::render_to_text(dashboard, data, &look, size, plain)
                },
                clock.now(),
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
            .await
        })),
        Some(Command::Incident(args)) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
            incident_cmd::run(&args, &env, &session, clock, &mut std::io::stdout().lock()).await
        })),
        Some(Command::Handoff(args)) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
            handoff_cmd::run(&args, &env, &session, clock, &mut std::io::stdout().lock()).await
        })),
        Some(Command::IamPolicy(args)) => report(run_async(async move {
            let session = data::connect(env.clone(), Arc::new(SystemClock)).await?;
            iam_policy_cmd::run(&args, &env, &session, &mut std::io::stdout().lock()).await
        })),
        Some(Command::Logs(LogsCommand::Query(args))) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            logs_query_cmd::run(
                &args,
                &env,
                clock,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr(),
            )
            .await
        })),
        Some(Command::Trail(cmd)) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            trail_cmd::run(&cmd, &env, clock, &mut std::io::stdout().lock()).await
        })),
        Some(Command::Logs(cmd)) => report(run_async(async move {
            logs_cmd::run_with_account(&cmd, &env, Arc::new(SystemClock)).await
        })),
        Some(Command::Provision(ProvisionCommand::Plan {
            spec,
            flags,
            output,
        })) => {
            let result = run_async_value(async move {
                let session = data::connect(env.clone(), Arc::new(SystemClock)).await?;
                let mut out = std::io::stdout().lock();
                provision_cmd::plan(&spec, flags, output, &env, &session, &mut out).await
            });
            match result {
                Ok(false) => ExitCode::SUCCESS,
                Ok(true) => ExitCode::from(2),
                Err(e) => {
                    report(Err(e));
                    ExitCode::from(1)
                }
            }
        }
        Some(Command::Cost { output }) => {
            let global = cli.global.clone();
            report(run_async(async move {
                let prices = config::LoadedConfig::load(&global)?.file.prices;
                let clock: Arc<dyn Clock> = Arc::new(SystemClock);
                let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
                let mut out = std::io::stdout().lock();
                cost_cmd::cost(&env, &session, &prices, output, clock.now(), &mut out).await
            }))
        }
        Some(Command::Slo(args)) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
            let mut out = std::io::stdout().lock();
            slo_cmd::slo(&args, &env, &session, clock.now(), &mut out).await
        })),
        Some(Command::Doctor { spec, output }) => report(run_async(async move {
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
            let mut out = std::io::stdout().lock();
            doctor_cmd::doctor(&spec, output, &env, &session, clock.now(), &mut out).await
        })),
        Some(Command::Metrics(cmd)) => report(metrics_cmd::check(&cmd).and_then(|checked| {
            run_async(async move {
                let clock: Arc<dyn Clock> = Arc::new(SystemClock);
                let session = data::connect(env, Arc::clone(&clock)).await?;
                let mut out = std::io::stdout().lock();
                metrics_cmd::run(&checked, &session, clock.as_ref(), &mut out).await
            })
        })),
        Some(Command::Provision(ProvisionCommand::Apply { spec, flags, yes })) => {
            report(run_async(async move {
                let clock: Arc<dyn Clock> = Arc::new(SystemClock);
                let session = data::connect(env.clone(), Arc::clone(&clock)).await?;
                let ctx = provision_cmd::ApplyContext {
                    env: &env,
                    session: Arc::new(session),
                    clock,
                    audit: AuditLog::default_location()?,
                };
                provision_cmd::apply(&spec, flags, yes, ctx, &mut std::io::stdout().lock()).await
            }))
        }
        Some(
            Command::Completions { .. }
            | Command::Man { .. }
            | Command::Config(_)
            | Command::Themes(_)
            | Command::Audit { .. }
            | Command::Provision(ProvisionCommand::Init { .. }),
        ) => ExitCode::SUCCESS,
    }
}

fn run_async<F: std::future::Future<Output = anyhow::Result<()>>>(fut: F) -> anyhow::Result<()> {
    run_async_value(fut)
}

fn run_async_value<T, F: std::future::Future<Output = anyhow::Result<T>>>(
    fut: F,
) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(fut)
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("monitui: {}", sanitize_text(&format!("{e:#}")));
            let bad_input = e.chain().any(|c| {
                c.downcast_ref::<config::ConfigError>().is_some()
                    || c.downcast_ref::<config::theme::ThemeError>().is_some()
                    || c.downcast_ref::<monitui::model::names::NameError>()
                        .is_some()
            }) || alarms_cmd::is_bad_input(&e)
                || dashboards_cmd::is_bad_input(&e)
                || logs_cmd::is_bad_input(&e)
                || logs_query_cmd::is_bad_input(&e)
                || trail_cmd::is_bad_input(&e)
                || incident_cmd::is_bad_input(&e)
                || handoff_cmd::is_bad_input(&e)
                || provision_cmd::is_bad_input(&e)
                || metrics_cmd::is_bad_input(&e);
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

fn init_log_file(path: &std::path::Path) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .init();
    Ok(())
}
