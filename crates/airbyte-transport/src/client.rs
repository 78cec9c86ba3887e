//! The client: one pooled HTTP/1.1 and HTTP/2 connection pool, the token cache, and the loop
//! that sends an operation with retries, timeouts and re-authentication.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use airbyte_models::ops::{Api, Operation, ResponseKind};
use airbyte_models::{AccessTokenResponse, ApiErrorBody};
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, HeaderValue, StatusCode, Uri};
use http_body_util::Full;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::{Instrument, field};

use crate::auth::{AuthHeader, Authenticator, MintFlight, MintedToken};
use crate::body::{content_type, excerpt, is_json_content_type, looks_like_html, wrong_root_hint};
use crate::config::{ClientBuilder, Timeouts};
use crate::error::{ApiError, RequestSummary, TimeoutKind};
use crate::pool::{Pool, RawResponse, SendError};
use crate::retry::{Backoff, Failure, RetryBudget, RetryConfig, is_retryable, parse_retry_after};
use crate::roots::ApiRoots;
use crate::{Error, Result};

/// Overrides for one call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Retry settings for this call (the client's retry budget still applies).
    pub retry: Option<RetryConfig>,
    /// The timeout of one attempt.
    pub attempt_timeout: Option<Duration>,
    /// The timeout of the whole call.
    pub operation_timeout: Option<Duration>,
}

/// Counters of what a client did, for tests, benchmarks and diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Requests put on the wire (attempts), token requests included.
    pub attempts: u64,
    /// Retries (attempts after the first of an operation).
    pub retries: u64,
    /// Token requests.
    pub token_requests: u64,
    /// Tokens dropped and re-minted after a 401.
    pub reauthentications: u64,
    /// Retries refused because the retry budget was empty.
    pub budget_exhausted: u64,
}

/// Written by every request: kept on cache lines of their own, so that the writes do not evict
/// the settings next to them that every request reads (with 64 tasks on two cores, a shared
/// line moves between the cores on each write).
#[derive(Default)]
#[repr(align(128))]
struct Counters {
    attempts: AtomicU64,
    retries: AtomicU64,
    token_requests: AtomicU64,
    reauthentications: AtomicU64,
    budget_exhausted: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A client of the Airbyte API. Cheap to clone (an `Arc`), safe to share across tasks: all
/// clones share one connection pool, one token cache and one retry budget.
///
/// A client executes [`Operation`]s from [`airbyte_models::ops`]; the domain crate
/// (`airbyte-cloud`) builds on it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Pool,
    roots: ApiRoots,
    auth: Authenticator,
    credentials_kind: &'static str,
    retry: RetryConfig,
    budget: RetryBudget,
    backoff: Backoff,
    timeouts: Timeouts,
    max_response_bytes: usize,
    user_agent: HeaderValue,
    counters: Counters,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("roots", &self.inner.roots)
            .field("credentials", &self.inner.credentials_kind)
            .field("retry", &self.inner.retry)
            .field("timeouts", &self.inner.timeouts)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_builder(builder: ClientBuilder, roots: ApiRoots) -> Result<Self> {
        let http = Pool::new(&roots, &builder)?;
        // A static header value is cloned without touching shared memory; a runtime one would
        // bump a reference count shared by every concurrent request.
        const USER_AGENT_VALUE: &str = concat!("airbyte-transport/", env!("CARGO_PKG_VERSION"));
        let user_agent = match &builder.user_agent_suffix {
            None => HeaderValue::from_static(USER_AGENT_VALUE),
            Some(suffix) => HeaderValue::from_str(&format!("{USER_AGENT_VALUE} {suffix}"))
                .map_err(|_| Error::Config {
                    setting: "user_agent_suffix",
                    reason: "must be visible ASCII".to_owned(),
                })?,
        };
        let credentials_kind = builder.credentials.kind();
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                roots,
                auth: Authenticator::new(builder.credentials, builder.token_refresh_margin),
                credentials_kind,
                budget: RetryBudget::new(builder.retry.budget),
                backoff: Backoff::new(builder.retry.seed),
                retry: builder.retry,
                timeouts: builder.timeouts,
                max_response_bytes: builder.max_response_bytes,
                user_agent,
                counters: Counters::default(),
            }),
        })
    }

    /// The roots this client talks to.
    #[must_use]
    pub fn roots(&self) -> &ApiRoots {
        &self.inner.roots
    }

    /// The kind of credentials (`client credentials`, `bearer token`, `basic`, `none`).
    #[must_use]
    pub fn credentials_kind(&self) -> &'static str {
        self.inner.credentials_kind
    }

    /// What the client has done so far.
    #[must_use]
    pub fn stats(&self) -> ClientStats {
        let counters = &self.inner.counters;
        ClientStats {
            attempts: counters.attempts.load(Ordering::Relaxed),
            retries: counters.retries.load(Ordering::Relaxed),
            token_requests: counters.token_requests.load(Ordering::Relaxed),
            reauthentications: counters.reauthentications.load(Ordering::Relaxed),
            budget_exhausted: counters.budget_exhausted.load(Ordering::Relaxed),
        }
    }

    /// Executes an operation and decodes its answer.
    ///
    /// # Errors
    ///
    /// Any [`Error`]: invalid input (nothing sent), connection failures, timeouts, an error
    /// answer from the API, authentication failures, or an answer that cannot be decoded.
    // Not an `async fn`: it would be one more layer that moves the answer once more when it
    // is ready, with nothing to wait for of its own.
    pub fn execute<R: DeserializeOwned>(
        &self,
        operation: Operation<R>,
    ) -> impl Future<Output = Result<R>> {
        self.execute_with(operation, &DEFAULT_OPTIONS)
    }

    /// Executes an operation with per-call overrides.
    ///
    /// # Errors
    ///
    /// As [`Client::execute`].
    pub async fn execute_with<R: DeserializeOwned>(
        &self,
        operation: Operation<R>,
        options: &RequestOptions,
    ) -> Result<R> {
        let span = tracing::debug_span!(
            "airbyte.operation",
            op = operation.name(),
            http.method = operation.method().as_str(),
            url.path = operation.path_template(),
            attempts = field::Empty,
            http.status_code = field::Empty,
        );
        // Boxed once here: the attempt loop's future is large (an HTTP exchange, a timer, the
        // token refresh), and every async layer above would otherwise copy all of it when it
        // starts. With the box, the layers above hold a pointer. A span nobody listens to is
        // not entered and left on every poll. (In a release build the future is just under
        // 1 KiB, which glibc's allocator serves from its per-thread cache; larger blocks take
        // its slow path, a few hundred instructions per request. What it holds across the
        // exchange is kept small for that reason: see `Pool::exchange`.)
        if span.is_disabled() {
            Box::pin(self.run(&operation, options)).await
        } else {
            Box::pin(self.run(&operation, options).instrument(span)).await
        }
    }

    /// Mints a token now, bypassing the cache; used to check credentials.
    ///
    /// # Errors
    ///
    /// [`Error::Authentication`] when the token endpoint refuses the credentials or sends
    /// something that is not a token; [`Error::TokenUnavailable`] when it is down (HTTP 5xx) or
    /// rate limiting (HTTP 429); [`Error::InvalidInput`] when the client does not use client
    /// credentials; timeouts and connection errors.
    pub async fn check_credentials(&self) -> Result<()> {
        if matches!(self.inner.auth, Authenticator::Minted { .. }) {
            self.mint_token().await.map(|_| ())
        } else {
            Err(Error::InvalidInput {
                operation: "applications.token",
                reason: format!(
                    "the client uses {} credentials, which are not minted",
                    self.inner.credentials_kind
                ),
            })
        }
    }

    /// The identity-provider ID of the user the access token acts as (its `user_id` claim,
    /// else its `sub` claim), which the Config API's `users/get_by_auth_id` takes. With client
    /// credentials a token is minted first when none is cached. `None` for credentials without
    /// a token (basic, none) and for a token that is not a JWT naming a user. The token itself
    /// is never handed out.
    ///
    /// # Errors
    ///
    /// As [`Client::check_credentials`], when a token has to be minted.
    pub async fn token_user_id(&self) -> Result<Option<String>> {
        let header = match &self.inner.auth {
            Authenticator::Minted { .. } => self.minted_auth_header().await?.value,
            Authenticator::Static(header) => header.clone(),
            Authenticator::None => return Ok(None),
        };
        Ok(header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .and_then(crate::auth::user_claim))
    }

    async fn run<R: DeserializeOwned>(
        &self,
        op: &Operation<R>,
        options: &RequestOptions,
    ) -> Result<R> {
        if let Some(reason) = op.invalid_reason() {
            return Err(Error::InvalidInput {
                operation: op.name(),
                reason: reason.to_owned(),
            });
        }
        let root = match op.api() {
            Api::Config => self
                .inner
                .roots
                .config()
                .ok_or_else(|| Error::InvalidInput {
                    operation: op.name(),
                    reason: "the Config API is disabled for this client".to_owned(),
                })?,
            _ => self.inner.roots.public(),
        };
        let parse_uri = || {
            Uri::from_maybe_shared(Bytes::from(op.url_from(root))).map_err(|error| {
                Error::InvalidInput {
                    operation: op.name(),
                    reason: format!("the request URL is invalid: {error}"),
                }
            })
        };
        // Checked before anything is sent. The first attempt takes this one; a retry (rare)
        // builds its own rather than every call paying for a copy.
        let mut first_uri = Some(parse_uri()?);
        let timeouts = &self.inner.timeouts;
        let (default_attempt, default_operation) = if op.is_long_running() {
            (
                timeouts.long_running_attempt,
                timeouts.long_running_operation,
            )
        } else {
            (timeouts.attempt, timeouts.operation)
        };
        let attempt_timeout = options.attempt_timeout.unwrap_or(default_attempt);
        let operation_timeout = options.operation_timeout.unwrap_or(default_operation);
        let retry = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let started = Instant::now();
        let deadline = deadline_after(started, operation_timeout);
        let summary = |attempts| {
            Box::new(RequestSummary {
                operation: op.name(),
                method: op.method().as_str(),
                path: parse_uri().map_or_else(|_| op.path(), |uri| uri.path().to_owned()),
                attempts,
            })
        };

        let mut attempt: u32 = 0;
        let mut sent: u32 = 0;
        let mut reauthenticated = false;
        // Whether an earlier attempt may have reached the server without its answer arriving.
        let mut earlier_attempt_may_have_applied = false;
        let operation_timed_out = |sent: u32| Error::Timeout {
            request: summary(sent),
            kind: TimeoutKind::Operation,
            elapsed: started.elapsed(),
            may_have_been_applied: sent > 0 && !op.is_idempotent(),
        };
        loop {
            attempt += 1;
            // The clock is read once per attempt: the first attempt starts when the operation
            // does.
            let mut now = if sent == 0 { started } else { Instant::now() };
            // Waiting for a token (ours or another caller's mint) is part of the operation.
            let (auth, waited_for_token) = if op.requires_auth() {
                match self.fresh_auth_header(now) {
                    Some(auth) => (auth, false),
                    None => {
                        let auth = tokio::time::timeout_at(deadline, self.minted_auth_header())
                            .await
                            .map_err(|_elapsed| {
                                tracing::debug!("no token before the operation's deadline");
                                operation_timed_out(sent)
                            })??;
                        now = Instant::now();
                        (Some(auth), true)
                    }
                }
            } else {
                (None, false)
            };
            // Each attempt gets what is left of the operation. The first one, when no token
            // wait came before it, has all of it.
            let remaining = if sent == 0 && !waited_for_token {
                operation_timeout
            } else {
                deadline.saturating_duration_since(now)
            };
            if remaining.is_zero() {
                return Err(operation_timed_out(sent));
            }
            // The header value moves into the request; only the token's generation is kept,
            // for a 401. (A clone would touch a reference count every concurrent request shares.)
            let minted_generation = auth.as_ref().and_then(|auth| auth.minted_generation);
            sent += 1;
            let this_timeout = attempt_timeout.min(remaining);
            let attempt_span = tracing::debug_span!(
                "airbyte.attempt",
                attempt = sent,
                http.status_code = field::Empty,
                latency_ms = field::Empty,
            );
            let traced = !attempt_span.is_disabled();
            if traced {
                // The operation's span, at the same level: disabled when this one is.
                tracing::Span::current().record("attempts", sent);
            }
            // Reading the clock costs little, but this is every request's path: only time the
            // attempt when someone listens.
            let attempt_started = traced.then(Instant::now);
            // The attempt's deadline comes from the clock reading above (`timeout` would read
            // the clock again).
            let uri = match first_uri.take() {
                Some(uri) => uri,
                None => parse_uri()?,
            };
            bump(&self.inner.counters.attempts);
            let request = self.request_for(op, uri, auth)?;
            // The exchange is awaited here, not in a helper of its own: one future less to
            // copy into the one above it, on every request.
            let exchange = tokio::time::timeout_at(
                deadline_after(now, this_timeout),
                self.inner
                    .http
                    .exchange(request, self.inner.max_response_bytes),
            );
            // Boxed when traced, so that the span does not grow every request's future.
            let result = if traced {
                Box::pin(exchange.instrument(attempt_span.clone())).await
            } else {
                exchange.await
            };
            let latency_ms = attempt_started.map_or(0, |started| {
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
            });
            if traced {
                attempt_span.record("latency_ms", latency_ms);
            }

            let (failure, error) = match result {
                Err(_elapsed) => {
                    let kind = if this_timeout < attempt_timeout {
                        TimeoutKind::Operation
                    } else {
                        TimeoutKind::Attempt
                    };
                    tracing::debug!(parent: &attempt_span, latency_ms, "attempt timed out");
                    let error = Error::Timeout {
                        request: summary(sent),
                        kind,
                        elapsed: started.elapsed(),
                        may_have_been_applied: !op.is_idempotent(),
                    };
                    if kind == TimeoutKind::Operation {
                        return Err(error);
                    }
                    (Failure::AttemptTimeout, error)
                }
                Ok(Err(SendError::TooLarge)) => {
                    return Err(Error::BodyTooLarge {
                        request: summary(sent),
                        limit: self.inner.max_response_bytes,
                    });
                }
                Ok(Err(SendError::Refused(source))) => {
                    return Err(Error::Connect {
                        request: summary(sent),
                        source,
                    });
                }
                Ok(Err(SendError::Connect(source))) => {
                    tracing::debug!(parent: &attempt_span, error = %source, "connection failed");
                    let error = if is_timeout(source.as_ref()) {
                        Error::Timeout {
                            request: summary(sent),
                            kind: TimeoutKind::Connect,
                            elapsed: started.elapsed(),
                            may_have_been_applied: false,
                        }
                    } else {
                        Error::Connect {
                            request: summary(sent),
                            source,
                        }
                    };
                    (Failure::ConnectFailed, error)
                }
                Ok(Err(SendError::Send(source))) => {
                    tracing::debug!(parent: &attempt_span, error = %source, "request failed after sending");
                    let error = Error::Transport {
                        request: summary(sent),
                        may_have_been_applied: !op.is_idempotent(),
                        source,
                    };
                    (Failure::SendFailed, error)
                }
                Ok(Ok(response)) => {
                    let status = response.status;
                    if traced {
                        attempt_span.record("http.status_code", status.as_u16());
                        tracing::Span::current().record("http.status_code", status.as_u16());
                    }
                    tracing::debug!(parent: &attempt_span, status = status.as_u16(), latency_ms, "response");
                    if tracing::enabled!(tracing::Level::TRACE) {
                        let body = self
                            .inner
                            .auth
                            .scrub(&excerpt(&response.body), &request_secrets(op));
                        tracing::trace!(parent: &attempt_span, body = %body, "response body");
                    }
                    let redirected =
                        status.is_redirection() && op.response_kind() == ResponseKind::Redirect;
                    if status.is_success() || redirected {
                        self.inner.budget.refund_success();
                        return self.decode(op, &response, root, || summary(sent));
                    }
                    if status == StatusCode::NOT_FOUND
                        && earlier_attempt_may_have_applied
                        && op.method() == airbyte_models::ops::Method::Delete
                        && op.response_kind() == ResponseKind::Empty
                    {
                        // The first attempt deleted it, but its answer was lost: the resource is
                        // gone, which is what the caller asked for.
                        tracing::debug!(
                            "a retried delete found nothing left to delete; it succeeded earlier"
                        );
                        return self.decode(
                            op,
                            &RawResponse {
                                status: StatusCode::NO_CONTENT,
                                headers: HeaderMap::new(),
                                body: Bytes::new(),
                            },
                            root,
                            || summary(sent),
                        );
                    }
                    let api_error = Box::new(self.api_error(op, &response, root, *summary(sent)));
                    if status == StatusCode::UNAUTHORIZED && op.requires_auth() {
                        if let Some(generation) = minted_generation {
                            if !reauthenticated {
                                // The token was refused before its time (revoked, or a server
                                // clock that disagrees): drop it, mint a new one, try once more.
                                reauthenticated = true;
                                attempt -= 1;
                                bump(&self.inner.counters.reauthentications);
                                tracing::debug!(
                                    "access token refused (HTTP 401); minting a new one"
                                );
                                if let Authenticator::Minted { cache, .. } = &self.inner.auth {
                                    cache.invalidate(generation);
                                }
                                continue;
                            }
                            return Err(Error::Authentication {
                                reason: "the API refused a freshly minted access token (HTTP 401)"
                                    .to_owned(),
                                api: Some(api_error),
                            });
                        }
                        let reason = match &self.inner.auth {
                            Authenticator::None => {
                                "the API requires authentication (HTTP 401) but the client has no credentials".to_owned()
                            }
                            _ => format!("the API refused the {} (HTTP 401)", self.inner.credentials_kind),
                        };
                        return Err(Error::Authentication {
                            reason,
                            api: Some(api_error),
                        });
                    }
                    (Failure::Status(status), Error::Api(api_error))
                }
            };

            if attempt >= retry.max_attempts || !is_retryable(failure, op.is_idempotent()) {
                return Err(error);
            }
            if matches!(failure, Failure::SendFailed | Failure::AttemptTimeout)
                || matches!(failure, Failure::Status(status) if matches!(status.as_u16(), 502 | 504))
            {
                earlier_attempt_may_have_applied = true;
            }
            let retry_after = error.api_error().and_then(|api| api.retry_after);
            let delay = match retry_after {
                Some(asked) if asked > retry.max_retry_after => {
                    tracing::debug!(
                        retry_after_s = asked.as_secs(),
                        "server asked to wait longer than allowed"
                    );
                    return Err(error);
                }
                Some(asked) => asked,
                None => self.inner.backoff.delay(retry, attempt, failure),
            };
            if delay >= deadline.saturating_duration_since(Instant::now()) {
                tracing::debug!("no time left for another attempt");
                return Err(error);
            }
            if !self
                .inner
                .budget
                .try_spend(failure == Failure::AttemptTimeout)
            {
                bump(&self.inner.counters.budget_exhausted);
                tracing::debug!("retry budget exhausted; not retrying");
                return Err(error);
            }
            bump(&self.inner.counters.retries);
            tracing::debug!(
                attempt = sent,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason = %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// The `Authorization` header when no wait is needed: static credentials, none, or a cached
    /// token that is still valid. A token due for refresh is still used while it is valid, its
    /// refresh started in the background: a slow token endpoint then holds up no call. `None`
    /// when a token must be minted first.
    fn fresh_auth_header(&self, now: Instant) -> Option<Option<AuthHeader>> {
        match &self.inner.auth {
            Authenticator::None => Some(None),
            Authenticator::Static(value) => Some(Some(AuthHeader {
                value: value.clone(),
                minted_generation: None,
            })),
            Authenticator::Minted { cache, .. } => {
                if let Some(header) = cache.fresh_at(now) {
                    return Some(Some(header));
                }
                let current = cache.still_valid()?;
                cache.refresh_in_background(|flight| self.spawn_mint(flight));
                Some(Some(current))
            }
        }
    }

    /// Runs a mint as a task of its own, which publishes its outcome to `flight`: so callers
    /// that give up (their deadline passed) do not abandon it for the others.
    fn spawn_mint(&self, flight: MintFlight) {
        let client = self.clone();
        tokio::spawn(
            async move {
                let minted = client.mint_token().await;
                if let Authenticator::Minted { cache, .. } = &client.inner.auth {
                    flight.finish(cache, minted);
                }
            }
            .in_current_span(),
        );
    }

    /// A minted token: the cached one, the outcome of the mint in flight, or of one started
    /// now. The mint runs as a task of its own, so that callers that give up (their deadline
    /// passed) do not abandon it for the others; it is bounded by its own operation timeout.
    async fn minted_auth_header(&self) -> Result<AuthHeader> {
        let Authenticator::Minted { cache, .. } = &self.inner.auth else {
            return Err(Error::InvalidInput {
                operation: "applications.token",
                reason: "no client credentials".to_owned(),
            });
        };
        // Boxed: minting happens once per token lifetime, and this future would otherwise be
        // part of every request's.
        Box::pin(cache.get_or_mint(|flight| self.spawn_mint(flight))).await
    }

    /// Requests a new access token.
    async fn mint_token(&self) -> Result<MintedToken> {
        let Some(request) = self.inner.auth.token_request() else {
            return Err(Error::InvalidInput {
                operation: "applications.token",
                reason: "no client credentials".to_owned(),
            });
        };
        bump(&self.inner.counters.token_requests);
        let operation = airbyte_models::ops::public::auth::token(&request);
        let span = tracing::debug_span!("airbyte.token", url.path = operation.path_template());
        let answer = self.run_token_request(&operation).instrument(span).await;
        let response = answer.map_err(|error| match error {
            // An outage or rate limiting says nothing about the credentials.
            Error::Api(api)
                if api.status.is_server_error() || api.status == StatusCode::TOO_MANY_REQUESTS =>
            {
                Error::TokenUnavailable { api }
            }
            Error::Api(api) => Error::Authentication {
                reason: format!(
                    "the token endpoint {} refused the client credentials (HTTP {}): {}",
                    self.inner.roots.token_url(),
                    api.status,
                    api.message
                ),
                api: Some(api),
            },
            Error::Decode { .. } | Error::UnexpectedContentType { .. } => Error::Authentication {
                reason: format!("the token endpoint sent an answer that is not a token: {error}"),
                api: None,
            },
            other => other,
        })?;
        if !response.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Error::Authentication {
                reason: format!(
                    "the token endpoint issued a token of unsupported type {:?}",
                    response.token_type
                ),
                api: None,
            });
        }
        if response.access_token.is_empty() {
            return Err(Error::Authentication {
                reason: "the token endpoint issued an empty token".to_owned(),
                api: None,
            });
        }
        Ok(MintedToken::new(response.access_token, response.expires_in))
    }

    /// Runs the token request. Boxed as a `Send` trait object: this is a call of `run` from
    /// within `run` (through the minting task that `run` spawns), and the explicit type keeps
    /// the compiler from having to prove `run`'s future `Send` while checking `run` itself.
    fn run_token_request<'a>(
        &'a self,
        operation: &'a Operation<AccessTokenResponse>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<AccessTokenResponse>> + Send + 'a>>
    {
        Box::pin(self.run(operation, &DEFAULT_OPTIONS))
    }

    /// The HTTP request of one attempt.
    fn request_for<R>(
        &self,
        op: &Operation<R>,
        uri: Uri,
        auth: Option<AuthHeader>,
    ) -> Result<http::Request<Full<Bytes>>> {
        // Built in place rather than with `http::request::Builder`, which moves itself through
        // every call: this is the hot path of every request.
        let mut request = http::Request::new(Full::new(Bytes::new()));
        *request.method_mut() = http_method(op.method()).map_err(|error| Error::InvalidInput {
            operation: op.name(),
            reason: format!("the method {} is not valid: {error}", op.method()),
        })?;
        *request.uri_mut() = uri;
        // Appended, not inserted: the map is new, so there is no earlier value to look for.
        let headers = request.headers_mut();
        headers.append(USER_AGENT, self.inner.user_agent.clone());
        headers.append(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(auth) = auth {
            headers.append(AUTHORIZATION, auth.value);
        }
        if let Some(bytes) = op.body() {
            headers.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            if tracing::enabled!(tracing::Level::TRACE) {
                tracing::trace!(body = %excerpt(bytes), "request body");
            }
            *request.body_mut() = Full::new(Bytes::copy_from_slice(bytes));
        }
        Ok(request)
    }

    fn decode<R: DeserializeOwned>(
        &self,
        op: &Operation<R>,
        response: &RawResponse,
        root: &str,
        request: impl FnOnce() -> Box<RequestSummary>,
    ) -> Result<R> {
        let redirect;
        let body: &[u8] = if op.response_kind() == ResponseKind::Redirect {
            // The answer is where the server sends the client, not the body.
            let location = response
                .headers
                .get(http::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            redirect = serde_json::to_vec(&serde_json::json!({ "location": location }))
                .unwrap_or_default();
            &redirect
        } else if op.response_kind() == ResponseKind::Empty || response.body.is_empty() {
            b"null"
        } else {
            &response.body
        };
        let content_type = content_type(&response.headers);
        if op.response_kind() == ResponseKind::Json && looks_like_html(content_type, body) {
            return Err(Error::UnexpectedContentType {
                request: request(),
                status: response.status,
                content_type: content_type.to_owned(),
                hint: wrong_root_hint(root),
                body_excerpt: excerpt(body),
            });
        }
        // The fast path decodes without tracking where it is; only a failure is decoded again
        // with path tracking, to name the field at fault.
        if let Ok(decoded) = serde_json::from_slice(body) {
            return Ok(decoded);
        }
        let request = request();
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let json_path = error.path().to_string();
            let source = error.into_inner();
            if !content_type.is_empty() && !is_json_content_type(content_type) && source.is_syntax()
            {
                Error::UnexpectedContentType {
                    request,
                    status: response.status,
                    content_type: content_type.to_owned(),
                    hint: wrong_root_hint(root),
                    body_excerpt: excerpt(body),
                }
            } else {
                Error::Decode {
                    request,
                    json_path,
                    body_excerpt: self.inner.auth.scrub(&excerpt(body), &request_secrets(op)),
                    source,
                }
            }
        })
    }

    fn api_error<R>(
        &self,
        op: &Operation<R>,
        response: &RawResponse,
        root: &str,
        request: RequestSummary,
    ) -> ApiError {
        // What the error keeps ends up in `Debug` output and logs, so it is scrubbed of the
        // client's secrets, of secret values the request carried (servers echo their input in
        // validation messages), and of values under secret-looking keys.
        let request_secrets = request_secrets(op);
        let scrub = |text: &str| self.inner.auth.scrub(text, &request_secrets);
        let scrubbed = scrub(&String::from_utf8_lossy(&response.body));
        let body = ApiErrorBody::from_slice(scrubbed.as_bytes()).map(|mut body| {
            body.data = body.data.as_ref().map(airbyte_models::redact_json);
            body.details = body.details.as_ref().map(airbyte_models::redact_json);
            body
        });
        let content_type = content_type(&response.headers);
        let hint = (!response.body.is_empty() && looks_like_html(content_type, &response.body))
            .then(|| wrong_root_hint(root));
        let message = body
            .as_ref()
            .and_then(ApiErrorBody::summary)
            .unwrap_or_else(|| {
                response
                    .status
                    .canonical_reason()
                    .unwrap_or("unrecognized status")
                    .to_owned()
            });
        let retry_after = response
            .headers
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_retry_after);
        let gateway_error = matches!(response.status.as_u16(), 502 | 504);
        ApiError {
            request,
            status: response.status,
            body,
            message: scrub(&message),
            body_excerpt: scrub(&excerpt(&response.body)),
            retry_after,
            hint,
            may_have_been_applied: gateway_error && !op.is_idempotent(),
        }
    }
}

/// How far away a deadline too distant for the clock is put: thirty years, like tokio's own
/// "never".
const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// `start + timeout`, or a deadline thirty years away when the clock cannot hold the sum (a
/// timeout of `Duration::MAX` means "no limit"; adding it panicked).
pub(crate) fn deadline_after(start: Instant, timeout: Duration) -> Instant {
    start
        .checked_add(timeout)
        .unwrap_or_else(|| start + FAR_FUTURE)
}

/// The `http` crate's method (a constant, not parsed from the name on every request).
fn http_method(
    method: airbyte_models::ops::Method,
) -> std::result::Result<http::Method, http::method::InvalidMethod> {
    use airbyte_models::ops::Method;
    Ok(match method {
        Method::Get => http::Method::GET,
        Method::Post => http::Method::POST,
        Method::Put => http::Method::PUT,
        Method::Patch => http::Method::PATCH,
        Method::Delete => http::Method::DELETE,
        // `Method` is non-exhaustive: a method added later is parsed from its name.
        other => http::Method::from_bytes(other.as_str().as_bytes())?,
    })
}

/// No overrides: the client's settings (the token request uses them too).
static DEFAULT_OPTIONS: RequestOptions = RequestOptions {
    retry: None,
    attempt_timeout: None,
    operation_timeout: None,
};

/// The secret values an operation sends: in its JSON body and its query.
fn request_secrets<R>(op: &Operation<R>) -> Vec<String> {
    let mut secrets = op
        .body()
        .and_then(|body| serde_json::from_slice::<serde_json::Value>(body).ok())
        .map(|value| airbyte_models::secret_values(&value))
        .unwrap_or_default();
    // The OAuth callback's code and state travel in the query; a server may echo them.
    secrets.extend(
        op.query_pairs()
            .iter()
            .filter(|(key, value)| !value.is_empty() && airbyte_models::is_secret_query_key(key))
            .map(|(_, value)| value.clone()),
    );
    secrets
}

/// Whether an error chain contains a timed-out IO error (a connect timeout).
fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(io) = error.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        current = error.source();
    }
    false
}
