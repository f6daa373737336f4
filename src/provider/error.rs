//! Errors every provider returns, classified so the data layer can decide
//! whether to retry and the UI can say what went wrong.

/// A failed provider call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// The service asked us to slow down.
    #[error("{operation}: throttled by the service ({message})")]
    Throttled {
        /// The API operation.
        operation: String,
        /// The service's message.
        message: String,
    },
    /// The service answered with an error code.
    #[error("{operation}: {code}: {message}")]
    Service {
        /// The API operation.
        operation: String,
        /// The service's error code, e.g. `ResourceNotFound`.
        code: String,
        /// The service's message.
        message: String,
        /// Whether a retry may succeed (5xx).
        retryable: bool,
    },
    /// Connecting, sending or reading failed, or timed out.
    #[error("{operation}: network error: {message}")]
    Network {
        /// The API operation.
        operation: String,
        /// What failed.
        message: String,
    },
    /// The endpoint answered in another protocol than the one monitui
    /// speaks to this service (HTML, or XML to a CBOR request, as older
    /// emulators do): the endpoint is wrong, not the resource missing.
    #[error(
        "{operation}: this endpoint does not speak the {service} protocol monitui uses ({detail})"
    )]
    WrongProtocol {
        /// The API operation.
        operation: String,
        /// The service, e.g. `CloudWatch`.
        service: String,
        /// The protocol expected and what came back instead.
        detail: String,
    },
    /// No usable credentials.
    #[error("credentials: {0}")]
    Credentials(String),
    /// The named thing does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A mutation refused because the environment is read-only; nothing was sent.
    #[error("refused: environment '{env}' is read-only, {operation} was not sent")]
    ReadOnly {
        /// The environment name.
        env: String,
        /// The refused operation.
        operation: String,
    },
    /// The input was invalid before anything was sent.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// This backend cannot do this (yet); the message says which part of monitui adds it.
    #[error("not supported by this account backend: {0}")]
    Unsupported(String),
}

impl ProviderError {
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ProviderError::Throttled { .. } | ProviderError::Network { .. } => true,
            ProviderError::Service { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// Whether a change that failed with this error may have happened
    /// anyway: the request may have reached the service (no answer, or a
    /// 5xx), so what it changes must be re-read before anything else.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            ProviderError::Network { .. }
                | ProviderError::Service {
                    retryable: true,
                    ..
                }
        )
    }
}
