//! One CloudTrail event opened from the tab's results: who made the call
//! (the user identity explained), what, from where, how it ended, and the
//! full record as indented JSON. Every text is sanitised once, when the
//! view opens, never per frame.

use crate::model::trail::{IdentityKind, SessionIssuer, TrailRecord, UserIdentity};
use crate::sanitize::{escape_unsafe_json, sanitize_line};

/// The open event: its facts and JSON lines, sanitised, and the scroll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailDetail {
    /// `ConsoleLogin · 2026-01-16 14:02:11 UTC`.
    pub title: String,
    /// Label and value of each fact, most telling first.
    pub facts: Vec<(&'static str, String)>,
    /// The record, pretty-printed, one line each.
    pub json: Vec<String>,
    /// Lines scrolled off the top.
    pub scroll: u16,
}

impl TrailDetail {
    /// The detail of `record`. Each value is sanitised before it is put
    /// in a sentence, so a stray escape in one cannot swallow the words
    /// around it.
    pub fn new(record: &TrailRecord) -> Self {
        let time = record.event_time.map_or("no time".to_string(), |t| {
            crate::model::zone::shown(t, "%Y-%m-%d %H:%M:%S %Z")
        });
        let clean = |v: &Option<String>| v.as_deref().map(sanitize_line);
        let identity = sanitized(&record.identity);
        let mut facts = vec![("Who", identity.explain())];
        if let Some(issuer) = &identity.session_issuer {
            let named = [&issuer.kind, &issuer.user_name, &issuer.arn]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            facts.push(("Issuer", named));
        }
        facts.extend(
            [
                ("User", Some(sanitize_line(&record.user()))),
                ("Access key", identity.access_key_id.clone()),
                ("Principal", identity.arn.clone()),
            ]
            .into_iter()
            .filter_map(|(label, v)| Some((label, v.filter(|v| !v.is_empty())?))),
        );
        let event = sanitize_line(&record.event_name);
        let source = sanitize_line(&record.event_source);
        facts.push(("Event", format!("{event} on {source}")));
        let from = [clean(&record.source_ip), clean(&record.region)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" in ");
        if !from.is_empty() {
            facts.push(("From", from));
        }
        let error = [clean(&record.error_code), clean(&record.error_message)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        facts.extend(
            [
                ("Agent", clean(&record.user_agent)),
                ("Error", Some(error).filter(|e| !e.is_empty())),
            ]
            .into_iter()
            .filter_map(|(label, v)| Some((label, v?))),
        );
        let resources: Vec<String> = record
            .resources
            .iter()
            .filter_map(|r| r.arn.as_deref().or(r.name.as_deref()))
            .map(sanitize_line)
            .collect();
        if !resources.is_empty() {
            facts.push(("Resources", resources.join(", ")));
        }
        if let Some(id) = clean(&record.event_id) {
            facts.push(("Event id", id));
        }
        Self {
            title: format!("{event} · {time}"),
            facts,
            json: record
                .pretty_json()
                .lines()
                .map(|line| sanitize_line(&escape_unsafe_json(line)))
                .collect(),
            scroll: 0,
        }
    }

    /// Lines of text the view holds (facts, a gap, the JSON).
    pub fn lines(&self) -> usize {
        self.facts.len() + 1 + self.json.len()
    }

    /// Scrolls by `delta` lines, staying within the text.
    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.lines().saturating_sub(1) as isize;
        self.scroll = (self.scroll as isize)
            .saturating_add(delta)
            .clamp(0, last.min(u16::MAX as isize)) as u16;
    }
}

/// `identity` with every text sanitised, to be explained in a sentence.
fn sanitized(identity: &UserIdentity) -> UserIdentity {
    let clean = |v: &Option<String>| v.as_deref().map(sanitize_line);
    UserIdentity {
        kind: match &identity.kind {
            IdentityKind::Other(kind) => IdentityKind::Other(sanitize_line(kind)),
            kind => kind.clone(),
        },
        principal_id: clean(&identity.principal_id),
        arn: clean(&identity.arn),
        account_id: clean(&identity.account_id),
        access_key_id: clean(&identity.access_key_id),
        user_name: clean(&identity.user_name),
        invoked_by: clean(&identity.invoked_by),
        session_issuer: identity.session_issuer.as_ref().map(|i| SessionIssuer {
            kind: clean(&i.kind),
            arn: clean(&i.arn),
            user_name: clean(&i.user_name),
            account_id: clean(&i.account_id),
        }),
        mfa_authenticated: identity.mfa_authenticated,
        identity_store_user_id: clean(&identity.identity_store_user_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_assumed_role_is_explained_with_its_issuer_and_the_json_is_sanitised() {
        let record = TrailRecord::from_value(
            json!({
                "eventTime": "2026-01-16T14:02:11Z",
                "eventName": "DeleteBucket",
                "eventSource": "s3.amazonaws.com",
                "sourceIPAddress": "192.0.2.1",
                "awsRegion": "us-east-1",
                "errorCode": "AccessDenied",
                "errorMessage": "no\u{1b}]0;PWNED\u{7}",
                "userIdentity": {
                    "type": "AssumedRole",
                    "arn": "arn:aws:sts::1:assumed-role/Ops/bob",
                    "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "Ops", "arn": "arn:aws:iam::1:role/Ops"}}
                },
                "requestParameters": {"bucketName": "b\u{202e}x"}
            }),
            None,
        )
        .unwrap();
        let detail = TrailDetail::new(&record);
        assert_eq!(detail.title, "DeleteBucket · 2026-01-16 14:02:11 UTC");
        let fact = |label| {
            detail
                .facts
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v.as_str())
        };
        assert!(
            fact("Who")
                .unwrap()
                .starts_with("session bob of assumed role Ops")
        );
        assert_eq!(fact("Issuer"), Some("Role Ops arn:aws:iam::1:role/Ops"));
        assert_eq!(fact("Error"), Some("AccessDenied no"));
        assert_eq!(fact("From"), Some("192.0.2.1 in us-east-1"));
        assert!(detail.json.iter().any(|l| l.contains("\"bucketName\"")));
        for line in detail
            .json
            .iter()
            .chain(detail.facts.iter().map(|(_, v)| v))
        {
            assert!(
                !line.contains('\u{1b}') && !line.contains('\u{202e}'),
                "{line:?}"
            );
        }
        assert!(detail.facts.iter().all(|(_, v)| !v.contains("PWNED")));
        assert!(
            detail.json.iter().any(|l| l.contains(r#""b\u202ex""#)),
            "the bidi override is shown escaped: {:?}",
            detail.json
        );
    }

    #[test]
    fn scrolling_stays_within_the_text() {
        let record = TrailRecord::parse(r#"{"eventName": "X"}"#).unwrap();
        let mut detail = TrailDetail::new(&record);
        detail.scroll_by(-5);
        assert_eq!(detail.scroll, 0);
        detail.scroll_by(isize::MAX / 2);
        assert_eq!(usize::from(detail.scroll), detail.lines() - 1);
    }
}
