//! `monitui provision init|plan|apply`: desired-state provisioning of the
//! monitoring stack from a spec file. `plan` exits like `terraform plan
//! -detailed-exitcode` (0 no changes, 2 changes, 1 error); `apply` shows
//! the plan, asks for confirmation, then prints a line per resource.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde::Serialize;
use serde_json::Value;

use super::args::OutputFormat;
use crate::config::ResolvedEnv;
use crate::data::provision::{Progress, Provisioner, plan_for};
use crate::data::{AuditLog, Session};
use crate::model::Clock;
use crate::provision::plan::{Action, Change, Plan, Step};
use crate::provision::spec::{BUILTIN, Desired, SpecSource, parse};
use crate::provision::vars::{parse_args, stage_of};
use crate::sanitize::sanitize_line;

/// The spec file `plan`, `apply` and `init` use unless told otherwise.
pub const DEFAULT_SPEC: &str = "monitui-stack.toml";

/// `monitui provision ...`
#[derive(Debug, Subcommand)]
pub enum ProvisionCommand {
    /// Write the built-in spec (the seed's stack) to a file to edit.
    Init {
        /// Where to write it.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_SPEC)]
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Show what apply would change; exit 0 no changes, 2 changes, 1 error.
    Plan {
        /// The spec and its variables.
        #[command(flatten)]
        spec: SpecArgs,
        /// --prune and --adopt-shared.
        #[command(flatten)]
        flags: PlanFlags,
        /// table (a diff) or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Make the account match the spec (after showing the plan and asking).
    Apply {
        /// The spec and its variables.
        #[command(flatten)]
        spec: SpecArgs,
        /// --prune and --adopt-shared.
        #[command(flatten)]
        flags: PlanFlags,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// Which spec and which variables.
#[derive(Debug, Clone, Args)]
pub struct SpecArgs {
    /// The spec file.
    #[arg(long = "spec", value_name = "FILE", default_value = DEFAULT_SPEC)]
    pub file: PathBuf,
    /// A spec variable, e.g. --var kms_key=arn:aws:kms:... (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
}

/// What a plan may do besides creating and updating what the stack manages.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct PlanFlags {
    /// Also delete managed resources the spec no longer has.
    #[arg(long)]
    pub prune: bool,
    /// Create the spec's `shared` resources that are missing and give them
    /// the spec's settings (never tagged as this stack's, never deleted).
    #[arg(long)]
    pub adopt_shared: bool,
}

/// Why a provision command stopped before changing anything.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionCmdError {
    /// `init` would overwrite a file.
    #[error("{} exists; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    /// The spec cannot be read.
    #[error("cannot read spec {}: {cause} (write one with `monitui provision init`)", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        cause: std::io::Error,
    },
    /// No terminal to ask, and no --yes.
    #[error("apply asks for confirmation; stdin is not a terminal, so pass --yes")]
    ConfirmationNeeded,
    /// The user did not confirm.
    #[error("not confirmed: nothing changed")]
    NotConfirmed,
}

/// Whether `err` means the user's input was unusable (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<crate::provision::spec::SpecError>()
            .is_some()
            || c.downcast_ref::<crate::provision::vars::VarError>()
                .is_some()
            || matches!(
                c.downcast_ref::<ProvisionCmdError>(),
                Some(
                    ProvisionCmdError::Exists(_)
                        | ProvisionCmdError::Read { .. }
                        | ProvisionCmdError::ConfirmationNeeded
                )
            )
    })
}

/// Writes the built-in spec.
pub fn init(out: &Path, force: bool, w: &mut dyn Write) -> Result<()> {
    if out.exists() && !force {
        return Err(ProvisionCmdError::Exists(out.to_path_buf()).into());
    }
    crate::files::replace_private(out, BUILTIN.as_bytes())
        .with_context(|| format!("writing {}", out.display()))?;
    writeln!(
        w,
        "wrote {}: set kms_key, alert_emails and data_lake_bucket under [vars] (or pass --var NAME=VALUE), then run `monitui provision plan`",
        out.display()
    )?;
    Ok(())
}

/// The region the spec is filled in for: the env's, else the session's.
fn region_of(env: &ResolvedEnv, region: &str) -> String {
    env.region.clone().unwrap_or_else(|| region.to_string())
}

/// Reads and parses the spec with the env's variables: its prefix, region
/// and stage, and the account id and partition of the session's caller
/// (the ARNs of the trail's policies name them).
pub async fn load_spec(args: &SpecArgs, env: &ResolvedEnv, session: &Session) -> Result<Desired> {
    Ok(load_spec_for(args, env, session).await?.0)
}

/// [`load_spec`], and whom the plan acts for (its first line), from the
/// same one caller-identity read.
pub async fn load_spec_for(
    args: &SpecArgs,
    env: &ResolvedEnv,
    session: &Session,
) -> Result<(Desired, Target)> {
    let text = std::fs::read_to_string(&args.file).map_err(|cause| ProvisionCmdError::Read {
        path: args.file.clone(),
        cause,
    })?;
    let identity = session
        .reads
        .identity
        .caller_identity()
        .await
        .context("reading the account id (STS GetCallerIdentity)")?;
    let partition = identity
        .partition()
        .with_context(|| format!("the caller ARN '{}' names no partition", identity.arn))?
        .to_string();
    let region = region_of(env, session.reads.identity.region());
    let env_vars = BTreeMap::from([
        ("prefix".to_string(), env.prefix.clone()),
        ("region".to_string(), region.clone()),
        ("stage".to_string(), stage_of(&env.name).to_string()),
        ("account".to_string(), identity.account.clone()),
        ("partition".to_string(), partition),
    ]);
    let cli_vars = parse_args(&args.vars)?;
    let desired = parse(&SpecSource {
        file: &args.file,
        text: &text,
        env_vars: &env_vars,
        cli_vars: &cli_vars,
    })?;
    let target = Target {
        env: env.name.clone(),
        account: identity.account,
        region,
        prefix: desired.prefix.clone(),
    };
    Ok((desired, target))
}

/// Whom a plan acts for: its first line (and `target` in JSON), so that
/// nobody applies a plan to another account, region or stack than meant.
#[derive(Debug, Serialize)]
pub struct Target {
    /// The env's name.
    pub env: String,
    /// The account id the credentials reach.
    pub account: String,
    /// The region.
    pub region: String,
    /// The stack's prefix (the value of its managed tag).
    pub prefix: String,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Plan for env {}: account {}, region {}, prefix {}",
            self.env, self.account, self.region, self.prefix
        )
    }
}

/// What `plan --output json` prints.
#[derive(Debug, Serialize)]
struct PlanRecord<'a> {
    target: &'a Target,
    changes: bool,
    create: usize,
    update: usize,
    delete: usize,
    conflicts: usize,
    steps: &'a [Step],
}

/// `provision plan`: prints the plan; `Ok(true)` when there are changes.
pub async fn plan(
    args: &SpecArgs,
    flags: PlanFlags,
    output: OutputFormat,
    env: &ResolvedEnv,
    session: &Session,
    out: &mut dyn Write,
) -> Result<bool> {
    let (desired, target) = load_spec_for(args, env, session).await?;
    let desired = Desired {
        adopt_shared: flags.adopt_shared,
        ..desired
    };
    let plan = plan_for(&session.reads, &desired, flags.prune).await?;
    match output {
        OutputFormat::Json => {
            let (create, update, delete) = plan.counts();
            super::json::write_json(
                out,
                &PlanRecord {
                    target: &target,
                    changes: plan.has_changes(),
                    create,
                    update,
                    delete,
                    conflicts: plan.conflicts().count(),
                    steps: &plan.steps,
                },
            )?;
        }
        OutputFormat::Table => {
            writeln!(out, "{}", sanitize_line(&target.to_string()))?;
            print_plan(&plan, out)?;
        }
    }
    Ok(plan.has_changes())
}

/// A value of a plan line: compact JSON, `(none)` when absent.
fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(none)".to_string(), Value::to_string)
}

/// One line per changed value: `    path: old -> new`.
fn print_changes(changes: &[Change], out: &mut dyn Write) -> std::io::Result<()> {
    for c in changes {
        writeln!(
            out,
            "    {}: {} -> {}",
            sanitize_line(&c.path),
            sanitize_line(&show(c.old.as_ref())),
            sanitize_line(&show(c.new.as_ref()))
        )?;
    }
    Ok(())
}

/// The plan as a diff: `+` create, `~` update (a line per changed value),
/// `-` delete, `!` conflict, `=` a shared resource left as it is (with
/// what adopting it would change), then the counts.
pub fn print_plan(plan: &Plan, out: &mut dyn Write) -> std::io::Result<()> {
    for step in &plan.steps {
        let head = |sign: &str| format!("{sign} {} {}", step.kind, sanitize_line(&step.name));
        match &step.action {
            Action::Create => writeln!(out, "{}", head("+"))?,
            Action::Delete => writeln!(out, "{}", head("-"))?,
            Action::Update { changes } => {
                writeln!(out, "{}", head("~"))?;
                print_changes(changes, out)?;
            }
            Action::Conflict { reason } => {
                writeln!(out, "{}: {}", head("!"), sanitize_line(reason))?
            }
            Action::Shared { reason, changes } => {
                writeln!(out, "{}: {}", head("="), sanitize_line(reason))?;
                print_changes(changes, out)?;
            }
        }
    }
    let (create, update, delete) = plan.counts();
    if plan.has_changes() {
        writeln!(
            out,
            "Plan: {create} to create, {update} to update, {delete} to delete."
        )?;
    } else {
        writeln!(out, "No changes: the account matches the spec.")?;
    }
    let conflicts = plan.conflicts().count();
    if conflicts > 0 {
        writeln!(
            out,
            "{conflicts} conflict(s): apply refuses until they are resolved."
        )?;
    }
    Ok(())
}

/// What `apply` needs besides its arguments.
pub struct ApplyContext<'a> {
    /// The environment.
    pub env: &'a ResolvedEnv,
    /// Its session.
    pub session: Arc<Session>,
    /// The clock of the audit entries.
    pub clock: Arc<dyn Clock>,
    /// Where changes are recorded.
    pub audit: AuditLog,
}

/// `provision apply`: plan, confirm, apply with a line per resource.
pub async fn apply(
    args: &SpecArgs,
    flags: PlanFlags,
    yes: bool,
    ctx: ApplyContext<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let (desired, target) = load_spec_for(args, ctx.env, &ctx.session).await?;
    let desired = Desired {
        adopt_shared: flags.adopt_shared,
        ..desired
    };
    let plan = plan_for(&ctx.session.reads, &desired, flags.prune).await?;
    writeln!(out, "{}", sanitize_line(&target.to_string()))?;
    print_plan(&plan, out)?;
    if !plan.has_changes() {
        return Ok(());
    }
    if !yes && plan.conflicts().count() == 0 && !ctx.session.is_read_only() {
        out.flush()?;
        confirm(ctx.env)?;
    }
    let provisioner = Provisioner::new(&ctx.session, &ctx.audit, ctx.clock.as_ref());
    let mut progress = |p: Progress<'_>| {
        let Some(outcome) = &p.outcome else { return };
        let verb = match p.step.action {
            Action::Create => "created",
            Action::Update { .. } => "updated",
            Action::Delete => "deleted",
            Action::Conflict { .. } | Action::Shared { .. } => "skipped",
        };
        let line = match outcome {
            Ok(()) => format!(
                "[{}/{}] {verb} {} {}",
                p.index, p.total, p.step.kind, p.step.name
            ),
            Err(e) => format!(
                "[{}/{}] FAILED {} {}: {e}",
                p.index, p.total, p.step.kind, p.step.name
            ),
        };
        let _ = writeln!(out, "{}", sanitize_line(&line));
    };
    let made = provisioner.apply(&desired, &plan, &mut progress).await?;
    writeln!(out, "Apply complete: {made} change(s).")?;
    Ok(())
}

/// Asks before applying: the env name in envs with `confirm_mutations`,
/// `yes` elsewhere.
fn confirm(env: &ResolvedEnv) -> Result<(), ProvisionCmdError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(ProvisionCmdError::ConfirmationNeeded);
    }
    let (prompt, expected) = if env.confirm_mutations {
        (
            format!(
                "Apply to env '{}'? Type the env name to confirm: ",
                env.name
            ),
            env.name.as_str(),
        )
    } else {
        (
            "Apply these changes? Type yes to confirm: ".to_string(),
            "yes",
        )
    };
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = stdin.lock().read_line(&mut answer);
    if answer.trim() == expected {
        Ok(())
    } else {
        Err(ProvisionCmdError::NotConfirmed)
    }
}
