//! The error type of the transport: it says where a call failed, and never holds a secret.

use std::fmt;
use std::time::Duration;

use airbyte_models::ApiErrorBody;
use http::StatusCode;

/// A boxed error kept as the source of a transport failure.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Which timeout fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection: TCP, a proxy's tunnel or SOCKS5 handshake, the TLS
    /// handshake.
    Connect,
    /// One attempt (sending the request and reading the whole answer).
    Attempt,
    /// The whole operation, retries included.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Attempt => "attempt",
            Self::Operation => "operation",
        })
    }
}

/// Where a request went: method, API path (IDs included, query left out) and operation name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestSummary {
    /// The stable operation name, such as `sources.get`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The URL path, without the query.
    pub path: String,
    /// How many attempts were made.
    pub attempts: u32,
}

impl fmt::Display for RequestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// An error answer (non-2xx) from the API.
#[derive(Clone, Debug)]
pub struct ApiError {
    /// Where the request went.
    pub request: RequestSummary,
    /// The HTTP status.
    pub status: StatusCode,
    /// The decoded error body, when it was JSON.
    pub body: Option<ApiErrorBody>,
    /// The server's most useful message (from `data.message`, `detail`, `message`, ...), or a
    /// description of the status when the body has none.
    pub message: String,
    /// The start of the body, with secret-looking values redacted.
    pub body_excerpt: String,
    /// The `Retry-After` the server asked for, if any.
    pub retry_after: Option<Duration>,
    /// A hint about the likely cause, when there is an obvious one (an HTML page usually means
    /// a wrong API root).
    pub hint: Option<String>,
    /// Whether a non-idempotent request may have taken effect anyway: a gateway error (502,
    /// 504) says nothing about what the server behind it did.
    pub may_have_been_applied: bool,
}

impl ApiError {
    /// The problem title (`resource-not-found`, `try-again-later`, ...), when the body has one.
    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.body.as_ref()?.title.as_deref()
    }

    /// The server's error ID, useful when asking Airbyte support.
    #[must_use]
    pub fn error_id(&self) -> Option<&str> {
        self.body.as_ref()?.error_id.as_deref()
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed with HTTP {}: {}",
            self.request, self.status, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        if self.may_have_been_applied {
            f.write_str(applied_note(true))?;
        }
        Ok(())
    }
}

/// Everything that can go wrong when calling the Airbyte API.
///
/// The variants say where the call failed, which tells whether the server may have acted on it:
/// nothing was sent for [`Error::InvalidInput`], [`Error::Config`] and [`Error::Connect`]; for
/// [`Error::Timeout`] and [`Error::Transport`], [`Error::may_have_been_applied`] says whether a
/// non-idempotent request (a create) may have taken effect although no answer arrived.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent.
    #[error("invalid request for {operation}: {reason}")]
    InvalidInput {
        /// The operation.
        operation: &'static str,
        /// Why.
        reason: String,
    },

    /// The client configuration is invalid (raised when the client is built).
    #[error("invalid client configuration: `{setting}`: {reason}")]
    Config {
        /// The setting at fault, named as in the builder and the environment.
        setting: &'static str,
        /// Why.
        reason: String,
    },

    /// No connection could be established; the request was not sent.
    #[error("could not connect for {request}: {source}")]
    Connect {
        /// Where the request was going.
        request: Box<RequestSummary>,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// A timeout fired.
    #[error("{kind} timeout after {elapsed:?} for {request}{}", applied_note(*may_have_been_applied))]
    Timeout {
        /// Where the request went.
        request: Box<RequestSummary>,
        /// Which timeout fired.
        kind: TimeoutKind,
        /// How long the client waited.
        elapsed: Duration,
        /// Whether a non-idempotent request may have taken effect.
        may_have_been_applied: bool,
    },

    /// The connection failed after the request may have been sent.
    #[error("transport error for {request}: {source}{}", applied_note(*may_have_been_applied))]
    Transport {
        /// Where the request went.
        request: Box<RequestSummary>,
        /// Whether a non-idempotent request may have taken effect.
        may_have_been_applied: bool,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// Authentication failed: the token endpoint refused the credentials or failed, or the API
    /// answered 401 again with a freshly minted token.
    #[error("authentication failed: {reason}")]
    Authentication {
        /// Why.
        reason: String,
        /// The API's answer, when there was one.
        #[source]
        api: Option<Box<ApiError>>,
    },

    /// The token endpoint could not issue a token for a reason of the server's: an outage
    /// (HTTP 5xx) or rate limiting (HTTP 429). The credentials were not judged; trying again
    /// later may succeed ([`Error::is_transient`]).
    #[error("{}", token_unavailable_message(api))]
    TokenUnavailable {
        /// The token endpoint's answer.
        api: Box<ApiError>,
    },

    /// The API answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// A successful answer could not be decoded into the expected type.
    #[error("could not decode the answer of {request} at `{json_path}`: {source}")]
    Decode {
        /// Where the request went.
        request: Box<RequestSummary>,
        /// The JSON path of the failing field (`data[3].createdAt`).
        json_path: String,
        /// The start of the body, redacted.
        body_excerpt: String,
        /// The decoding error.
        #[source]
        source: serde_json::Error,
    },

    /// A successful answer was not JSON where JSON was expected.
    #[error(
        "{request} answered HTTP {status} with content type {content_type:?} instead of JSON: {hint}"
    )]
    UnexpectedContentType {
        /// Where the request went.
        request: Box<RequestSummary>,
        /// The status.
        status: StatusCode,
        /// The content type received.
        content_type: String,
        /// The likely cause.
        hint: String,
        /// The start of the body.
        body_excerpt: String,
    },

    /// The answer was larger than the configured limit.
    #[error("the answer of {request} is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// Where the request went.
        request: Box<RequestSummary>,
        /// The limit.
        limit: usize,
    },
}

fn token_unavailable_message(api: &ApiError) -> String {
    let what = if api.status == StatusCode::TOO_MANY_REQUESTS {
        "is rate limiting these credentials"
    } else {
        "is unavailable"
    };
    let cause = if api.status == StatusCode::TOO_MANY_REQUESTS {
        "rate limiting"
    } else {
        "a server outage"
    };
    format!(
        "no access token: the token endpoint ({}) {what} (HTTP {}: {}); {cause}, not a \
         credentials problem: try again later",
        api.request, api.status, api.message
    )
}

fn applied_note(may_have_been_applied: bool) -> &'static str {
    if may_have_been_applied {
        "; the request may have been applied by the server, so it was not re-sent"
    } else {
        ""
    }
}

impl Error {
    /// A copy of this error for another caller that waited on the same outcome (a shared token
    /// mint): same variant and details; an underlying error that cannot be cloned is kept as
    /// its message.
    pub(crate) fn duplicate(&self) -> Self {
        fn message(source: &BoxError) -> BoxError {
            source.to_string().into()
        }
        match self {
            Self::InvalidInput { operation, reason } => Self::InvalidInput {
                operation,
                reason: reason.clone(),
            },
            Self::Config { setting, reason } => Self::Config {
                setting,
                reason: reason.clone(),
            },
            Self::Connect { request, source } => Self::Connect {
                request: request.clone(),
                source: crate::pool::copy_connect_failure(source.as_ref())
                    .unwrap_or_else(|| message(source)),
            },
            Self::Timeout {
                request,
                kind,
                elapsed,
                may_have_been_applied,
            } => Self::Timeout {
                request: request.clone(),
                kind: *kind,
                elapsed: *elapsed,
                may_have_been_applied: *may_have_been_applied,
            },
            Self::Transport {
                request,
                may_have_been_applied,
                source,
            } => Self::Transport {
                request: request.clone(),
                may_have_been_applied: *may_have_been_applied,
                source: message(source),
            },
            Self::Authentication { reason, api } => Self::Authentication {
                reason: reason.clone(),
                api: api.clone(),
            },
            Self::Api(error) => Self::Api(error.clone()),
            Self::TokenUnavailable { api } => Self::TokenUnavailable { api: api.clone() },
            Self::UnexpectedContentType {
                request,
                status,
                content_type,
                hint,
                body_excerpt,
            } => Self::UnexpectedContentType {
                request: request.clone(),
                status: *status,
                content_type: content_type.clone(),
                hint: hint.clone(),
                body_excerpt: body_excerpt.clone(),
            },
            Self::BodyTooLarge { request, limit } => Self::BodyTooLarge {
                request: request.clone(),
                limit: *limit,
            },
            // A decoding error holds a `serde_json::Error`, which cannot be cloned.
            Self::Decode { .. } => Self::Authentication {
                reason: self.to_string(),
                api: None,
            },
        }
    }

    /// The API error, when the server answered with an error status.
    #[must_use]
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) | Self::TokenUnavailable { api: error } => Some(error),
            Self::Authentication { api, .. } => api.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of an error answer.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        self.api_error().map(|error| error.status)
    }

    /// Where the request went, when one was attempted.
    #[must_use]
    pub fn request(&self) -> Option<&RequestSummary> {
        match self {
            Self::Connect { request, .. }
            | Self::Timeout { request, .. }
            | Self::Transport { request, .. }
            | Self::Decode { request, .. }
            | Self::UnexpectedContentType { request, .. }
            | Self::BodyTooLarge { request, .. } => Some(request.as_ref()),
            Self::Api(error) | Self::TokenUnavailable { api: error } => Some(&error.request),
            Self::Authentication { api, .. } => api.as_deref().map(|error| &error.request),
            Self::InvalidInput { .. } | Self::Config { .. } => None,
        }
    }

    fn has_status(&self, status: StatusCode) -> bool {
        matches!(self, Self::Api(error) | Self::TokenUnavailable { api: error } if error.status == status)
    }

    /// HTTP 404: the resource does not exist.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        self.has_status(StatusCode::NOT_FOUND)
    }

    /// HTTP 409: a conflict, such as a sync already running.
    #[must_use]
    pub fn is_conflict(&self) -> bool {
        self.has_status(StatusCode::CONFLICT)
    }

    /// HTTP 423: the resource is locked, such as state while a sync runs.
    #[must_use]
    pub fn is_locked(&self) -> bool {
        self.has_status(StatusCode::LOCKED)
    }

    /// HTTP 429: rate limited.
    #[must_use]
    pub fn is_rate_limited(&self) -> bool {
        self.has_status(StatusCode::TOO_MANY_REQUESTS)
    }

    /// HTTP 403: the credentials lack a permission.
    #[must_use]
    pub fn is_forbidden(&self) -> bool {
        self.has_status(StatusCode::FORBIDDEN)
    }

    /// HTTP 400 or 422: the server rejected the request's content.
    #[must_use]
    pub fn is_validation(&self) -> bool {
        self.has_status(StatusCode::BAD_REQUEST)
            || self.has_status(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// An HTTP 5xx answer (of the API or of the token endpoint).
    #[must_use]
    pub fn is_server_error(&self) -> bool {
        matches!(self, Self::Api(error) | Self::TokenUnavailable { api: error } if error.status.is_server_error())
    }

    /// An authentication failure.
    #[must_use]
    pub fn is_authentication(&self) -> bool {
        matches!(self, Self::Authentication { .. })
    }

    /// A timeout.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether the server may have acted on a request that got no answer (or only a gateway
    /// error). Only ever true for non-idempotent requests (creates, starting a job), which the
    /// client never re-sends: look the resource up by name before trying again.
    #[must_use]
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Self::Timeout {
                may_have_been_applied,
                ..
            }
            | Self::Transport {
                may_have_been_applied,
                ..
            } => *may_have_been_applied,
            Self::Api(error) => error.may_have_been_applied,
            _ => false,
        }
    }

    /// Whether trying again later may succeed: connection problems, timeouts, rate limits and
    /// server errors. The client already retried what it safely could. A connection refused
    /// for a reason no retry changes is not transient: a certificate nobody vouched for, a
    /// proxy refusing the credentials, or a destination its rules forbid, or a proxy that does
    /// not speak the protocol of its URL.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Connect { source, .. } => !crate::pool::is_refusal(source.as_ref()),
            Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Api(error) => {
                error.status == StatusCode::TOO_MANY_REQUESTS || error.status.is_server_error()
            }
            Self::TokenUnavailable { .. } => true,
            _ => false,
        }
    }
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
