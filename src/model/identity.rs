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

    /// The partition of the account (`aws`, `aws-cn`, `aws-us-gov`, ...),
    /// the second field of the caller's ARN: every ARN monitui writes into
    /// a policy or a request starts with it. `None` when the ARN is not one.
    pub fn partition(&self) -> Option<&str> {
        let mut fields = self.arn.split(':');
        match (fields.next(), fields.next()) {
            (Some("arn"), Some(p))
                if p.starts_with("aws")
                    && p.chars().all(|c| c.is_ascii_lowercase() || c == '-') =>
            {
                Some(p)
            }
            _ => None,
        }
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

    #[test]
    fn partition_is_the_arn_s_second_field() {
        let id = |arn: &str| Identity {
            account: "123456789012".into(),
            arn: arn.into(),
            user_id: String::new(),
        };
        assert_eq!(
            id("arn:aws:sts::123456789012:assumed-role/A/b").partition(),
            Some("aws")
        );
        assert_eq!(
            id("arn:aws-cn:iam::123456789012:user/x").partition(),
            Some("aws-cn")
        );
        assert_eq!(
            id("arn:aws-us-gov:sts::123456789012:assumed-role/A/b").partition(),
            Some("aws-us-gov")
        );
        assert_eq!(id("").partition(), None);
        assert_eq!(id("arn::iam::1:root").partition(), None);
    }
}
