//! The CLI's MFA prompt: asks on the terminal for the code of an
//! assume-role profile's `mfa_serial` (see `provider::mfa`).

use std::io::{BufRead, Write};
use std::sync::Arc;

use crate::provider::mfa::{self, MfaPrompt, MfaRequest};

/// Reads the code from stdin after a prompt on stderr.
struct TerminalPrompt;

impl MfaPrompt for TerminalPrompt {
    fn code(&self, request: &MfaRequest) -> Result<String, String> {
        let mut err = std::io::stderr().lock();
        write!(
            err,
            "MFA code for {} (profile {}, role {}): ",
            request.serial, request.profile, request.role_arn
        )
        .and_then(|()| err.flush())
        .map_err(|e| e.to_string())?;
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let code = line.trim().to_string();
        if code.is_empty() {
            return Err("none was typed".into());
        }
        Ok(code)
    }
}

/// Installs the terminal prompt when stdin is a terminal (a script gets
/// the error that says how to sign in instead of a hang).
pub fn install_on_terminal() {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        mfa::install(Arc::new(TerminalPrompt));
    }
}
