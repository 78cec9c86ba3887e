//! The HTTP transport of the Airbyte Rust SDK.
//!
//! A [`Client`] executes the operations described by [`airbyte_models::ops`] against the
//! Airbyte Public API and Config API. It is the one place of the SDK that talks HTTP, and it
//! does the things a production client must:
//!
//! - **Connections**: hyper with a pooled, keep-alive connection pool, HTTP/1.1 and HTTP/2
//!   (by ALPN), TLS by rustls with `ring` (no OpenSSL, no system library).
//! - **Trust** ([`TrustRoots`]): the bundled Mozilla roots and the system store (by default
//!   both), extra CA files, and a client certificate for mutual TLS ([`ClientIdentity`]).
//! - **Proxies**: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (with
//!   [`ClientBuilder::from_env`]) or [`ClientBuilder::proxy`]; HTTP proxies (CONNECT tunnels
//!   for HTTPS, basic proxy authentication) and SOCKS5 proxies (`socks5://`, names resolved
//!   here; `socks5h://`, by the proxy; user and password), the proxy's credentials kept secret.
//! - **Roots** ([`ApiRoots`]): the Public API root, the Config API root (explicit or inferred)
//!   and the web UI root, validated when the client is built; plain HTTP only to loopback
//!   unless explicitly allowed.
//! - **Authentication** ([`Credentials`]): client credentials with one cached token shared by
//!   all requests and both APIs, refreshed before it expires (the earlier of `expires_in` and
//!   the JWT `exp`), minted by a single request however many callers wait (a failed mint fails
//!   every caller that waited for it; the next call tries again), and re-minted once on a 401;
//!   bearer token; basic; none. Secrets stay in `secrecy` types and the
//!   `Authorization` header is marked sensitive.
//! - **Retries** ([`RetryConfig`]): 429, 502, 503, 504 and connection failures, exponential
//!   backoff with full jitter, `Retry-After` honoured, a per-client retry budget, and never a
//!   re-sent create once it may have reached the server.
//! - **Timeouts** ([`Timeouts`]): connect, per attempt, and per operation; the operation
//!   timeout bounds everything, the wait for a token and the retries included, and each
//!   attempt gets only what is left of it.
//! - **Errors** ([`Error`]): one enum that says where a call failed, with the method, path,
//!   status and server message of API errors and a redacted body excerpt.
//! - **Tracing**: one span per operation (`airbyte.operation`) and per attempt
//!   (`airbyte.attempt`) with the templated path, status, attempt and latency; never a header,
//!   secret or configuration; bodies only at `TRACE`, redacted.
//!
//! ```no_run
//! use airbyte_models::{ops, SourceId};
//! use airbyte_transport::{Client, Credentials};
//!
//! # async fn demo() -> Result<(), airbyte_transport::Error> {
//! let client = Client::builder()
//!     .credentials(Credentials::client_credentials("id", "secret"))
//!     .build()?;
//! let source_id: SourceId = "0c31738c-0b2d-4887-b506-e2cd1c39cc35".parse().unwrap();
//! let source = client.execute(ops::public::sources::get(&source_id)).await?;
//! println!("{} ({})", source.name, source.source_type);
//! # Ok(())
//! # }
//! ```

mod auth;
mod body;
mod client;
mod config;
pub mod env;
mod error;
mod pool;
mod proxy;
mod retry;
mod roots;
mod tls;

pub use auth::Credentials;
pub use client::{Client, ClientStats, RequestOptions};
pub use config::{ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Timeouts};
pub use error::{ApiError, BoxError, Error, RequestSummary, Result, TimeoutKind};
pub use retry::{RetryBudgetConfig, RetryConfig};
pub use roots::{
    ApiRoots, CLOUD_API_ROOT, CLOUD_CONFIG_API_ROOT, CLOUD_WEB_ROOT, ConfigApi, RootSettings,
    is_loopback,
};
pub use tls::{ClientIdentity, TrustRoots};

/// Re-exported so users can build credentials without depending on `secrecy` themselves.
pub use secrecy::SecretString;
