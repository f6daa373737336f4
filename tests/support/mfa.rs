//! Assume-role-with-MFA fixtures: a prompt that answers a fixed code and
//! remembers what it was asked, and STS's AssumeRole answer.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use monitui::provider::mfa::{MfaPrompt, MfaRequest};

/// A prompt that answers `123456` (with a newline, as typed), after
/// [`ScriptedPrompt::typing`] (none by default), and remembers what it
/// was asked.
#[derive(Default)]
pub struct ScriptedPrompt {
    /// Every request, in order.
    pub asked: Mutex<Vec<MfaRequest>>,
    /// How long the person takes to type the code.
    pub typing: Mutex<Duration>,
    calls: AtomicUsize,
}

impl ScriptedPrompt {
    /// How many times it was asked.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl MfaPrompt for ScriptedPrompt {
    fn code(&self, request: &MfaRequest) -> Result<String, String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.asked.lock().unwrap().push(request.clone());
        std::thread::sleep(*self.typing.lock().unwrap());
        Ok("123456\n".into())
    }
}

/// STS's AssumeRole answer for `role`: credentials `ASIAROLE` /
/// `role-secret` with session token `role-token`, valid for an hour.
pub fn assume_role_xml(role: &str) -> String {
    let expiry = aws_smithy_types::DateTime::from(
        std::time::SystemTime::now() + std::time::Duration::from_secs(3600),
    )
    .fmt(aws_smithy_types::date_time::Format::DateTime)
    .unwrap();
    format!(
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <AssumeRoleResult><AssumedRoleUser><Arn>{role}/alice</Arn>\
         <AssumedRoleId>AROAEXAMPLE:alice</AssumedRoleId></AssumedRoleUser>\
         <Credentials><AccessKeyId>ASIAROLE</AccessKeyId>\
         <SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken>\
         <Expiration>{expiry}</Expiration></Credentials></AssumeRoleResult>\
         <ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>"
    )
}

/// STS assuming `role` and CloudWatch with no alarms: where an assume-role
/// profile signs in and lists.
pub async fn sts_and_cloudwatch(role: &str) -> super::recorded::RecordedServer {
    use super::recorded::{RecordedServer, Reply, Rule};
    RecordedServer::start([
        Rule::new("AssumeRole", Reply::xml(200, &assume_role_xml(role))),
        Rule::new(
            "DescribeAlarms",
            Reply::cbor(
                200,
                &super::cbor::map([("MetricAlarms", super::cbor::array([]))]),
            ),
        ),
    ])
    .await
}
