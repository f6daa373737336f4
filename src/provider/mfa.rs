//! Asking a person for an MFA code. An assume-role profile with
//! `mfa_serial` needs the device's current code, which aws-config does not
//! ask for by itself. The provider layer neither draws nor reads the
//! terminal: the front end that can ask (the CLI on a terminal) installs
//! an [`MfaPrompt`] once at start, and the AWS provider calls it when it
//! needs a code.

use std::sync::{Arc, OnceLock};

/// What a prompt shows the person it asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaRequest {
    /// The shared-config profile being signed in.
    pub profile: String,
    /// The role it assumes.
    pub role_arn: String,
    /// The MFA device (`mfa_serial`).
    pub serial: String,
}

/// Something that can ask a person for the current code of an MFA device.
/// Called on a blocking thread, at most once per sign-in.
pub trait MfaPrompt: Send + Sync {
    /// The code the person typed, or why there is none.
    fn code(&self, request: &MfaRequest) -> Result<String, String>;
}

/// The prompt the front end installed, if any.
static PROMPT: OnceLock<Arc<dyn MfaPrompt>> = OnceLock::new();

/// Installs the process's MFA prompt; false if one was installed already
/// (the first stays).
pub fn install(prompt: Arc<dyn MfaPrompt>) -> bool {
    PROMPT.set(prompt).is_ok()
}

/// The installed prompt, if a front end that can ask installed one.
pub fn installed() -> Option<Arc<dyn MfaPrompt>> {
    PROMPT.get().cloned()
}
