//! The one place where SDK errors become [`ProviderError`]s.

use std::error::Error;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
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
        return ProviderError::Credentials(chain_message(&err));
    }
    match &err {
        SdkError::ServiceError(service) => classify(
            operation,
            service.err().code(),
            &service
                .err()
                .message()
                .map_or_else(|| chain_message(service.err()), str::to_string),
            Some(service.raw().status().as_u16()),
        ),
        SdkError::ResponseError(response) => classify(
            operation,
            None,
            &chain_message(&err),
            Some(response.raw().status().as_u16()),
        ),
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
}
