//! StartLiveTail: a streaming session over up to 10 log groups, read on
//! its own task into a channel. With an endpoint override (an emulator, a
//! VPC endpoint) the SDK would send the request to `stream-<host>`; the
//! [`NoEndpointPrefix`] interceptor removes that prefix before the request
//! is built.

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::{LiveTailSessionLogEvent, StartLiveTailResponseStream};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::EndpointPrefix;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::convert::from_millis;
use super::errors::from_sdk;
use crate::model::{LiveTailUpdate, LogEvent};
use crate::provider::logs::LiveTail;
use crate::provider::{ProviderError, ProviderResult};

/// Updates buffered between the session's reader and its consumer.
const UPDATES_QUEUE: usize = 64;

/// Removes the `stream-` host prefix StartLiveTail adds, for endpoint
/// overrides that serve every operation on one host.
#[derive(Debug)]
pub struct NoEndpointPrefix;

impl Intercept for NoEndpointPrefix {
    fn name(&self) -> &'static str {
        "NoEndpointPrefix"
    }

    fn modify_before_retry_loop(
        &self,
        _context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().unset::<EndpointPrefix>();
        Ok(())
    }
}

/// The ARN of log group `name` in `account` and `region`, as
/// StartLiveTail wants its groups named.
pub fn group_arn(region: &str, account: &str, name: &str) -> String {
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    format!("arn:{partition}:logs:{region}:{account}:log-group:{name}")
}

/// Starts a session over `arns` (group ARNs, the names they stand for
/// beside them) and reads it on a task of its own.
pub async fn start(
    client: &Client,
    groups: &[(String, String)],
    pattern: Option<&str>,
    override_endpoint: bool,
) -> ProviderResult<LiveTail> {
    let mut request = client
        .start_live_tail()
        .set_log_group_identifiers(Some(groups.iter().map(|(arn, _)| arn.clone()).collect()))
        .set_log_event_filter_pattern(pattern.filter(|p| !p.trim().is_empty()).map(str::to_string))
        .customize();
    if override_endpoint {
        request = request.interceptor(NoEndpointPrefix);
    }
    let output = request
        .send()
        .await
        .map_err(|e| from_sdk("StartLiveTail", e))?;
    let mut stream = output.response_stream;
    let names: Vec<(String, String)> = groups.to_vec();
    let (tx, rx) = tokio::sync::mpsc::channel(UPDATES_QUEUE);
    tokio::spawn(async move {
        loop {
            let update = match stream.recv().await {
                Ok(Some(StartLiveTailResponseStream::SessionUpdate(update))) => {
                    Ok(LiveTailUpdate {
                        events: update
                            .session_results()
                            .iter()
                            .map(|e| from_event(&names, e))
                            .collect(),
                        sampled: update.session_metadata().is_some_and(|m| m.sampled()),
                    })
                }
                Ok(Some(_)) => continue,
                Ok(None) => return,
                Err(e) => Err(ProviderError::Network {
                    operation: "StartLiveTail".into(),
                    message: format!("the live tail stream failed: {e}"),
                }),
            };
            let failed = update.is_err();
            if tx.send(update).await.is_err() || failed {
                return;
            }
        }
    });
    Ok(rx)
}

/// Converts a live event; its group is named as the caller named it.
fn from_event(names: &[(String, String)], e: &LiveTailSessionLogEvent) -> LogEvent {
    let identifier = e.log_group_identifier().unwrap_or_default();
    let group = names
        .iter()
        .find(|(arn, name)| {
            arn.trim_end_matches(":*") == identifier.trim_end_matches(":*") || name == identifier
        })
        .map_or_else(|| identifier.to_string(), |(_, name)| name.clone());
    LogEvent {
        group,
        stream: e.log_stream_name().unwrap_or_default().to_string(),
        timestamp: from_millis(e.timestamp().unwrap_or_default()),
        event_id: None,
        message: e.message().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_follow_the_partition() {
        assert_eq!(
            group_arn("us-east-1", "1", "/g"),
            "arn:aws:logs:us-east-1:1:log-group:/g"
        );
        assert_eq!(
            group_arn("cn-north-1", "1", "/g"),
            "arn:aws-cn:logs:cn-north-1:1:log-group:/g"
        );
        assert_eq!(
            group_arn("us-gov-west-1", "1", "/g"),
            "arn:aws-us-gov:logs:us-gov-west-1:1:log-group:/g"
        );
    }
}
