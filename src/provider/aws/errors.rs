//! The one place where SDK errors become [`ProviderError`]s.

use std::error::Error;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::provider::ProviderError;

/// Error codes with which AWS services ask a client to slow down.
const THROTTLING_CODES: [&str; 5] = [
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ThrottledException",
];

/// Error codes that mean the credentials are missing, wrong or expired.
const CREDENTIAL_CODES: [&str; 6] = [
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "MissingAuthenticationToken",
];

/// Converts any SDK error of `operation` into a [`ProviderError`].
pub fn from_sdk<E>(operation: &str, err: SdkError<E, HttpResponse>) -> ProviderError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
{
    if source_chain_has::<CredentialsError>(&err) {
        return ProviderError::Credentials(innermost_message(&err));
    }
    match &err {
        SdkError::ServiceError(service) => {
            let code = service.err().code();
            let message = service
                .err()
                .message()
                .map_or_else(|| chain_message(service.err()), str::to_string);
            if let Some(wrong) = wrong_protocol::<E>(operation, code, service.raw()) {
                return wrong;
            }
            if is_clock_skew(code, &message) {
                return ProviderError::Credentials(clock_skew_message(
                    operation,
                    code.unwrap_or_default(),
                    &message,
                    server_offset(service.raw()),
                ));
            }
            classify(
                operation,
                code,
                &message,
                Some(service.raw().status().as_u16()),
            )
        }
        SdkError::ResponseError(response) => wrong_protocol::<E>(operation, None, response.raw())
            .unwrap_or_else(|| {
                classify(
                    operation,
                    None,
                    &chain_message(&err),
                    Some(response.raw().status().as_u16()),
                )
            }),
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => ProviderError::Network {
            operation: operation.to_string(),
            message: chain_message(&err),
        },
        _ => ProviderError::Invalid(format!("{operation}: {}", chain_message(&err))),
    }
}

/// Classifies a service answer by error code and HTTP status.
pub fn classify(
    operation: &str,
    code: Option<&str>,
    message: &str,
    status: Option<u16>,
) -> ProviderError {
    let code_str = code.unwrap_or_default();
    if THROTTLING_CODES.contains(&code_str) || status == Some(429) {
        return ProviderError::Throttled {
            operation: operation.to_string(),
            message: message.to_string(),
        };
    }
    if CREDENTIAL_CODES.contains(&code_str) {
        return ProviderError::Credentials(format!("{operation}: {code_str}: {message}"));
    }
    if code_str.contains("NotFound") || status == Some(404) {
        return ProviderError::NotFound(format!("{operation}: {message}"));
    }
    let status_code = status.map(|s| format!("HTTP {s}"));
    ProviderError::Service {
        operation: operation.to_string(),
        code: code
            .map(str::to_string)
            .or(status_code)
            .unwrap_or_else(|| "Unknown".to_string()),
        message: message.to_string(),
        retryable: status.is_some_and(|s| (500..600).contains(&s)),
    }
}

/// Error codes and messages with which AWS refuses a request signed at a
/// time too far from its own.
fn is_clock_skew(code: Option<&str>, message: &str) -> bool {
    matches!(code, Some("RequestTimeTooSkewed" | "RequestExpired"))
        || message.contains("Signature expired")
        || message.contains("Signature not yet current")
        || (code == Some("SignatureDoesNotMatch") && message.contains("time"))
}

/// How far AWS's clock (the answer's `Date` header) is ahead of this
/// machine's, in seconds.
fn server_offset(raw: &HttpResponse) -> Option<i64> {
    let date = raw.headers().get("date")?;
    let server = aws_smithy_types::DateTime::from_str(date, Format::HttpDate).ok()?;
    let local = aws_smithy_types::DateTime::from(std::time::SystemTime::now());
    Some(server.secs() - local.secs())
}

/// A clock-skew refusal explained: the offset when the answer says it, and
/// the 5 minutes SigV4 allows.
fn clock_skew_message(operation: &str, code: &str, message: &str, offset: Option<i64>) -> String {
    let offset = match offset {
        Some(secs) if secs > 0 => format!("this machine's clock is {secs} s behind AWS's"),
        Some(secs) if secs < 0 => format!("this machine's clock is {} s ahead of AWS's", -secs),
        _ => "this machine's clock is off".to_string(),
    };
    format!(
        "{operation}: {code}: {message} — {offset}; AWS accepts requests signed within 5 minutes \
         of its time (SigV4): set the clock (e.g. enable NTP)"
    )
}

/// The service and protocol of an SDK error type, by the crate it comes
/// from: what an endpoint must speak for monitui to understand it.
fn protocol_of<E>() -> Option<(&'static str, &'static str)> {
    let name = std::any::type_name::<E>();
    [
        ("aws_sdk_cloudwatch::", "CloudWatch", "Smithy RPC v2 CBOR"),
        (
            "aws_sdk_cloudwatchlogs::",
            "CloudWatch Logs",
            "AWS JSON 1.1",
        ),
        ("aws_sdk_cloudtrail::", "CloudTrail", "AWS JSON 1.1"),
        ("aws_sdk_sts::", "STS", "AWS query (XML)"),
        ("aws_sdk_sns::", "SNS", "AWS query (XML)"),
        ("aws_sdk_iam::", "IAM", "AWS query (XML)"),
        ("aws_sdk_s3::", "S3", "REST XML"),
    ]
    .into_iter()
    .find(|(prefix, _, _)| name.starts_with(prefix))
    .map(|(_, service, protocol)| (service, protocol))
}

/// An answer the client could not read because it is in another protocol
/// (HTML, or XML to a CBOR or JSON request, as older emulators answer):
/// said as such, not as "not found" or an unknown error.
fn wrong_protocol<E>(
    operation: &str,
    code: Option<&str>,
    raw: &HttpResponse,
) -> Option<ProviderError> {
    let (service, protocol) = protocol_of::<E>()?;
    if code.is_some() {
        return None;
    }
    let content_type = raw.headers().get("content-type").unwrap_or_default();
    let body = raw.body().bytes().unwrap_or_default();
    let markup = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    let html =
        content_type.contains("html") || body.starts_with(b"<!") || body.starts_with(b"<html");
    let foreign = html || (markup && !protocol.contains("XML"));
    if !foreign {
        return None;
    }
    let text: String = String::from_utf8_lossy(body)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let excerpt: String = text.chars().take(80).collect();
    let cut = if excerpt.len() < text.len() {
        "…"
    } else {
        ""
    };
    Some(ProviderError::WrongProtocol {
        operation: operation.to_string(),
        service: service.to_string(),
        detail: format!(
            "{protocol}; it answered HTTP {} {}: {excerpt}{cut}",
            raw.status().as_u16(),
            if content_type.is_empty() {
                "without a content type"
            } else {
                content_type
            },
        ),
    })
}

/// The message of the innermost error of `err`'s source chain: the cause,
/// where the outer ones only say where it surfaced.
pub(super) fn innermost_message(err: &(dyn Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// Whether any error in the source chain of `err` is a `T`.
fn source_chain_has<T: Error + 'static>(err: &(dyn Error + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.is::<T>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// The messages of the whole source chain, joined: the SDK's own top-level
/// message ("dispatch failure") says little without its causes.
fn chain_message(err: &(dyn Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut current = err.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_codes_become_throttled() {
        for code in THROTTLING_CODES {
            let e = classify("DescribeAlarms", Some(code), "slow down", Some(400));
            assert!(
                matches!(e, ProviderError::Throttled { .. }),
                "{code}: {e:?}"
            );
            assert!(e.is_retryable());
        }
        let e = classify("DescribeAlarms", None, "", Some(429));
        assert!(matches!(e, ProviderError::Throttled { .. }));
    }

    #[test]
    fn server_errors_are_retryable_service_errors() {
        let e = classify("GetMetricData", Some("InternalFailure"), "boom", Some(503));
        assert_eq!(
            e,
            ProviderError::Service {
                operation: "GetMetricData".into(),
                code: "InternalFailure".into(),
                message: "boom".into(),
                retryable: true,
            }
        );
        let e = classify("GetMetricData", None, "boom", Some(500));
        assert!(
            matches!(&e, ProviderError::Service { code, retryable: true, .. } if code == "HTTP 500")
        );
    }

    #[test]
    fn client_errors_are_not_retryable() {
        let e = classify("PutMetricAlarm", Some("ValidationError"), "bad", Some(400));
        assert!(!e.is_retryable());
    }

    #[test]
    fn not_found_codes_become_not_found() {
        for code in [
            "ResourceNotFound",
            "ResourceNotFoundException",
            "DashboardNotFoundError",
        ] {
            let e = classify("GetDashboard", Some(code), "missing", Some(400));
            assert!(matches!(e, ProviderError::NotFound(_)), "{code}: {e:?}");
        }
    }

    #[test]
    fn credential_codes_become_credentials() {
        let e = classify("GetCallerIdentity", Some("ExpiredToken"), "old", Some(403));
        assert!(matches!(e, ProviderError::Credentials(m) if m.contains("ExpiredToken")));
    }

    #[test]
    fn protocols_are_known_by_the_sdk_crate() {
        use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsError;
        use aws_sdk_cloudwatchlogs::operation::filter_log_events::FilterLogEventsError;
        use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
        assert_eq!(
            protocol_of::<DescribeAlarmsError>(),
            Some(("CloudWatch", "Smithy RPC v2 CBOR"))
        );
        assert_eq!(
            protocol_of::<FilterLogEventsError>(),
            Some(("CloudWatch Logs", "AWS JSON 1.1"))
        );
        assert_eq!(
            protocol_of::<GetCallerIdentityError>(),
            Some(("STS", "AWS query (XML)"))
        );
    }

    #[test]
    fn clock_skew_says_the_offset_and_the_allowance() {
        assert!(is_clock_skew(Some("RequestTimeTooSkewed"), "too skewed"));
        assert!(is_clock_skew(
            Some("InvalidSignatureException"),
            "Signature expired: 20261207T100000Z is now earlier than ..."
        ));
        assert!(!is_clock_skew(
            Some("SignatureDoesNotMatch"),
            "check your secret key"
        ));
        let text = clock_skew_message("DescribeAlarms", "RequestTimeTooSkewed", "m", Some(-400));
        assert!(text.contains("400 s ahead of AWS's"), "{text}");
        assert!(text.contains("within 5 minutes"), "{text}");
    }
}
