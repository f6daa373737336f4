//! `monitui iam-policy --role viewer|oncall|admin`: prints the
//! least-privilege IAM policy a role needs (see `provider::permissions`),
//! for the account the env reaches (its partition and id come from the
//! caller identity); `--boundary` prints the permissions boundary that the
//! admin policy requires on every role provisioning makes.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;

use super::provision_cmd::{SpecArgs, load_spec};
use crate::config::ResolvedEnv;
use crate::data::Session;
use crate::model::stack::Resource;
use crate::provider::permissions::{Role, Target, policy};
use crate::provision::policies::boundary_policy;

/// `monitui iam-policy ...`
#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// viewer (reads everything), oncall (adds ack, silence, test and
    /// the SNS note) or admin (adds custom metrics and provisioning the
    /// spec's stack).
    #[arg(long, value_parser = parse_role, required_unless_present = "boundary")]
    pub role: Option<Role>,
    /// Print the permissions boundary policy of the stack's roles instead
    /// (an IAM administrator creates it once; see the README).
    #[arg(long, conflicts_with = "role")]
    pub boundary: bool,
    /// Resource-name prefix the policy is scoped to (default: the env's).
    #[arg(long)]
    pub prefix: Option<String>,
    /// The spec (admin only: its bucket and role are granted by name).
    #[command(flatten)]
    pub spec: SpecArgs,
}

/// Parses `--role`: one of the role names.
pub fn parse_role(name: &str) -> Result<Role, String> {
    Role::ALL
        .into_iter()
        .find(|r| r.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            format!("'{name}' is not a role; use one of {}", names.join(", "))
        })
}

/// Writes the policy asked for as JSON.
pub async fn run(
    args: &IamPolicyArgs,
    env: &ResolvedEnv,
    session: &Session,
    out: &mut dyn Write,
) -> Result<()> {
    let identity = session.reads.identity.caller_identity().await?;
    let partition = identity
        .partition()
        .with_context(|| format!("the caller ARN '{}' names no partition", identity.arn))?;
    let env = ResolvedEnv {
        prefix: args.prefix.clone().unwrap_or_else(|| env.prefix.clone()),
        ..env.clone()
    };
    let mut target = Target::account_only(partition, &identity.account, &env.prefix);
    let document = match args.role {
        None => boundary_policy(partition, &identity.account, &env.prefix),
        Some(role) => {
            if role == Role::Admin {
                let desired = load_spec(&args.spec, &env, session).await?;
                for resource in &desired.resources {
                    match resource {
                        Resource::Bucket(b) => target.buckets.push(b.name.clone()),
                        Resource::Role(r) => target.roles.push(r.name.clone()),
                        Resource::LogGroup(g) if !g.name.contains(&env.prefix) => {
                            target.other_log_groups.push(g.name.clone())
                        }
                        _ => {}
                    }
                }
            }
            policy(role, &target)
        }
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}
