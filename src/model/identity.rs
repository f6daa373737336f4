//! Who monitui is talking to AWS as.

use serde::Serialize;

/// The caller identity (STS GetCallerIdentity, or the demo account's user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// 12-digit account id.
    pub account: String,
    /// Full ARN of the caller.
    pub arn: String,
    /// Unique id of the caller.
    pub user_id: String,
}

impl Identity {
    /// Short human name: the last path segment of the ARN
    /// (`arn:aws:sts::1:assumed-role/OnCall/alice` -> `alice`).
    pub fn short_name(&self) -> &str {
        self.arn.rsplit(['/', ':']).next().unwrap_or(&self.arn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_name_is_last_arn_segment() {
        let id = Identity {
            account: "123456789012".into(),
            arn: "arn:aws:sts::123456789012:assumed-role/OnCall/alice".into(),
            user_id: "AROA:alice".into(),
        };
        assert_eq!(id.short_name(), "alice");
        let root = Identity {
            arn: "arn:aws:iam::123456789012:root".into(),
            ..id
        };
        assert_eq!(root.short_name(), "root");
    }
}
