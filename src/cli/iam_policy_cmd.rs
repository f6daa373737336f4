//! `monitui iam-policy --role viewer|oncall|admin`: prints the
//! least-privilege IAM policy a role needs (see `provider::permissions`).

use std::io::Write;

use anyhow::Result;

use crate::provider::permissions::{Role, policy};

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

/// Writes the policy of `role` for the stack named `prefix` as JSON.
pub fn run(role: Role, prefix: &str, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &policy(role, prefix))?;
    writeln!(out)?;
    Ok(())
}
