//! The `userIdentity` block of a CloudTrail record, explained: who made the
//! call (IAM user, a session of an assumed role and the role that issued
//! it, the root user, an AWS service, ...), so that "who changed this?" has
//! a readable answer.

use serde::Serialize;
use serde_json::{Map, Value};

/// What kind of principal made a call (`userIdentity.type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum IdentityKind {
    /// An IAM user (`IAMUser`).
    IamUser,
    /// Temporary credentials of an assumed role (`AssumedRole`).
    AssumedRole,
    /// The account's root user (`Root`).
    Root,
    /// An AWS service acting on its own (`AWSService`).
    AwsService,
    /// An STS GetFederationToken session (`FederatedUser`).
    FederatedUser,
    /// Another AWS account (`AWSAccount`).
    AwsAccount,
    /// An IAM Identity Center user (`IdentityCenterUser`).
    IdentityCenterUser,
    /// A SAML-federated user (`SAMLUser`).
    SamlUser,
    /// A web-identity-federated user (`WebIdentityUser`).
    WebIdentityUser,
    /// A type this build does not know, as written in the record.
    Other(String),
    /// The record has no `userIdentity` (or no `type` in it).
    Unknown,
}

impl IdentityKind {
    /// The kind named by a `userIdentity.type` value.
    pub fn parse(value: &str) -> Self {
        match value {
            "IAMUser" => Self::IamUser,
            "AssumedRole" => Self::AssumedRole,
            "Root" => Self::Root,
            "AWSService" => Self::AwsService,
            "FederatedUser" => Self::FederatedUser,
            "AWSAccount" => Self::AwsAccount,
            "IdentityCenterUser" => Self::IdentityCenterUser,
            "SAMLUser" => Self::SamlUser,
            "WebIdentityUser" => Self::WebIdentityUser,
            other => Self::Other(other.to_string()),
        }
    }
}

/// The principal whose credentials an assumed-role or federated session
/// was issued from (`sessionContext.sessionIssuer`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionIssuer {
    /// `Role`, `IAMUser` or `Root`.
    pub kind: Option<String>,
    /// The issuer's ARN.
    pub arn: Option<String>,
    /// The role or user name.
    pub user_name: Option<String>,
    /// The issuer's account.
    pub account_id: Option<String>,
}

/// Who made a call, as much as the record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserIdentity {
    /// The kind of principal.
    pub kind: IdentityKind,
    /// Unique id of the principal (for sessions `ROLEID:session`).
    pub principal_id: Option<String>,
    /// The principal's ARN.
    pub arn: Option<String>,
    /// The principal's account.
    pub account_id: Option<String>,
    /// The access key the call was signed with.
    pub access_key_id: Option<String>,
    /// The IAM user (or issuer) name the record gives.
    pub user_name: Option<String>,
    /// The service that made the call on the principal's behalf.
    pub invoked_by: Option<String>,
    /// For sessions: the role or user that issued them.
    pub session_issuer: Option<SessionIssuer>,
    /// Whether the session was authenticated with MFA.
    pub mfa_authenticated: Option<bool>,
    /// For Identity Center users: the identity store's user id.
    pub identity_store_user_id: Option<String>,
}

impl UserIdentity {
    /// The identity of a record without a usable `userIdentity`.
    pub fn unknown() -> Self {
        Self {
            kind: IdentityKind::Unknown,
            principal_id: None,
            arn: None,
            account_id: None,
            access_key_id: None,
            user_name: None,
            invoked_by: None,
            session_issuer: None,
            mfa_authenticated: None,
            identity_store_user_id: None,
        }
    }

    /// Reads a `userIdentity` value; anything that is not an object gives
    /// [`UserIdentity::unknown`], missing fields stay `None`.
    pub fn from_value(value: Option<&Value>) -> Self {
        let Some(obj) = value.and_then(Value::as_object) else {
            return Self::unknown();
        };
        let context = obj.get("sessionContext").and_then(Value::as_object);
        let issuer = context
            .and_then(|c| c.get("sessionIssuer"))
            .and_then(Value::as_object)
            .map(|i| SessionIssuer {
                kind: text(i, "type"),
                arn: text(i, "arn"),
                user_name: text(i, "userName"),
                account_id: text(i, "accountId"),
            })
            .filter(|i| *i != SessionIssuer::default());
        let mfa = context
            .and_then(|c| c.get("attributes"))
            .and_then(Value::as_object)
            .and_then(|a| a.get("mfaAuthenticated"))
            .and_then(flag);
        Self {
            kind: text(obj, "type").map_or(IdentityKind::Unknown, |t| IdentityKind::parse(&t)),
            principal_id: text(obj, "principalId"),
            arn: text(obj, "arn"),
            account_id: text(obj, "accountId"),
            access_key_id: text(obj, "accessKeyId"),
            user_name: text(obj, "userName"),
            invoked_by: text(obj, "invokedBy"),
            session_issuer: issuer,
            mfa_authenticated: mfa,
            identity_store_user_id: obj
                .get("onBehalfOf")
                .and_then(Value::as_object)
                .and_then(|o| text(o, "userId")),
        }
    }

    /// The short name a person calls this principal by: the IAM user name,
    /// the role session name, `root`, or the service; empty if the record
    /// names nobody.
    pub fn user(&self) -> String {
        let named = match self.kind {
            IdentityKind::Root => Some("root".to_string()),
            IdentityKind::AssumedRole => self.session_name(),
            IdentityKind::IamUser => self.user_name.clone().or_else(|| self.arn_tail("user/")),
            IdentityKind::FederatedUser => self.arn_tail("federated-user/"),
            IdentityKind::AwsService => self.invoked_by.clone(),
            IdentityKind::AwsAccount => self.account_id.clone(),
            IdentityKind::IdentityCenterUser => self
                .user_name
                .clone()
                .or_else(|| self.identity_store_user_id.clone()),
            _ => None,
        };
        named
            .or_else(|| self.user_name.clone())
            .or_else(|| self.principal_id.clone())
            .unwrap_or_default()
    }

    /// One sentence saying who this is, e.g. "session alice of role OnCall
    /// (arn:...), account 111122223333, no MFA".
    pub fn explain(&self) -> String {
        let user = self.user();
        let mut text = match &self.kind {
            IdentityKind::IamUser => format!("IAM user {user}"),
            IdentityKind::AssumedRole => {
                let role = self
                    .session_issuer
                    .as_ref()
                    .and_then(|i| i.user_name.clone().or_else(|| i.arn.clone()))
                    .or_else(|| self.assumed_role_name())
                    .unwrap_or_else(|| "an unnamed role".to_string());
                let mut s = format!("session {user} of assumed role {role}");
                if let Some(arn) = self.session_issuer.as_ref().and_then(|i| i.arn.as_ref()) {
                    s.push_str(&format!(" (issuer {arn})"));
                }
                s
            }
            IdentityKind::Root => "the root user".to_string(),
            IdentityKind::AwsService => format!("the AWS service {user}"),
            IdentityKind::FederatedUser => {
                let issuer = self
                    .session_issuer
                    .as_ref()
                    .and_then(|i| i.arn.clone())
                    .map(|arn| format!(" (issued by {arn})"))
                    .unwrap_or_default();
                format!("federated user {user}{issuer}")
            }
            IdentityKind::AwsAccount => format!("AWS account {user}"),
            IdentityKind::IdentityCenterUser => format!("IAM Identity Center user {user}"),
            IdentityKind::SamlUser => format!("SAML user {user}"),
            IdentityKind::WebIdentityUser => format!("web identity user {user}"),
            IdentityKind::Other(kind) => format!("{kind} {user}"),
            IdentityKind::Unknown => return "no user identity in the record".to_string(),
        };
        if let Some(account) = &self.account_id
            && self.kind != IdentityKind::AwsAccount
        {
            text.push_str(&format!(", account {account}"));
        }
        if let Some(service) = &self.invoked_by
            && self.kind != IdentityKind::AwsService
        {
            text.push_str(&format!(", via {service}"));
        }
        match self.mfa_authenticated {
            Some(true) => text.push_str(", MFA"),
            Some(false) => text.push_str(", no MFA"),
            None => {}
        }
        text
    }

    /// `alice` in `arn:aws:sts::1:assumed-role/OnCall/alice`, else the part
    /// of the principal id after the colon.
    fn session_name(&self) -> Option<String> {
        self.arn
            .as_deref()
            .filter(|arn| arn.contains(":assumed-role/"))
            .and_then(|arn| arn.rsplit('/').next())
            .or_else(|| self.principal_id.as_deref()?.split_once(':').map(|p| p.1))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// `OnCall` in `arn:aws:sts::1:assumed-role/OnCall/alice`.
    fn assumed_role_name(&self) -> Option<String> {
        let rest = self.arn.as_deref()?.split_once(":assumed-role/")?.1;
        rest.split('/').next().map(str::to_string)
    }

    /// What follows `marker` in the ARN (`user/` gives `alice` for
    /// `arn:aws:iam::1:user/team/alice`: the last path segment).
    fn arn_tail(&self, marker: &str) -> Option<String> {
        let rest = self.arn.as_deref()?.split_once(marker)?.1;
        rest.rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
}

/// A non-empty string field.
pub(super) fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A boolean written as `true` or as `"true"` (older records quote it).
pub(super) fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn identity(value: Value) -> UserIdentity {
        UserIdentity::from_value(Some(&value))
    }

    #[test]
    fn iam_user_is_named_by_user_name_or_arn() {
        let id = identity(json!({"type": "IAMUser", "userName": "alice", "accountId": "1"}));
        assert_eq!(id.user(), "alice");
        assert_eq!(id.explain(), "IAM user alice, account 1");
        let id = identity(json!({"type": "IAMUser", "arn": "arn:aws:iam::1:user/team/bob"}));
        assert_eq!(id.user(), "bob");
    }

    #[test]
    fn assumed_role_names_the_session_and_its_issuer() {
        let id = identity(json!({
            "type": "AssumedRole",
            "principalId": "AROA1:deploy-bot",
            "arn": "arn:aws:sts::1:assumed-role/Deployer/deploy-bot",
            "accountId": "1",
            "sessionContext": {
                "attributes": {"mfaAuthenticated": "false"},
                "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::1:role/Deployer", "userName": "Deployer"}
            }
        }));
        assert_eq!(id.user(), "deploy-bot");
        assert_eq!(
            id.explain(),
            "session deploy-bot of assumed role Deployer (issuer arn:aws:iam::1:role/Deployer), account 1, no MFA"
        );
        let issuer = id.session_issuer.unwrap();
        assert_eq!(issuer.kind.as_deref(), Some("Role"));
    }

    #[test]
    fn session_name_falls_back_to_the_principal_id() {
        let id = identity(json!({"type": "AssumedRole", "principalId": "AROA1:ci"}));
        assert_eq!(id.user(), "ci");
        assert_eq!(id.explain(), "session ci of assumed role an unnamed role");
    }

    #[test]
    fn root_service_account_and_identity_center() {
        assert_eq!(
            identity(json!({"type": "Root", "accountId": "9"})).user(),
            "root"
        );
        let svc = identity(json!({"type": "AWSService", "invokedBy": "lambda.amazonaws.com"}));
        assert_eq!(svc.user(), "lambda.amazonaws.com");
        assert_eq!(svc.explain(), "the AWS service lambda.amazonaws.com");
        let acct =
            identity(json!({"type": "AWSAccount", "accountId": "222", "principalId": "AIDA"}));
        assert_eq!(acct.explain(), "AWS account 222");
        let sso = identity(json!({
            "type": "IdentityCenterUser",
            "onBehalfOf": {"userId": "u-123", "identityStoreArn": "arn:aws:identitystore::1:identitystore/d-1"}
        }));
        assert_eq!(sso.user(), "u-123");
        let fed = identity(
            json!({"type": "FederatedUser", "arn": "arn:aws:sts::1:federated-user/carol"}),
        );
        assert_eq!(fed.user(), "carol");
    }

    #[test]
    fn missing_or_odd_identity_is_unknown_not_an_error() {
        assert_eq!(UserIdentity::from_value(None).kind, IdentityKind::Unknown);
        assert_eq!(identity(json!("Root")).user(), "");
        let odd = identity(json!({"type": "Directory", "principalId": 42, "userName": "x"}));
        assert_eq!(odd.kind, IdentityKind::Other("Directory".into()));
        assert_eq!(odd.principal_id, None);
        assert_eq!(odd.user(), "x");
    }
}
