//! Fault injection: latency, error statuses and broken bodies here; connection resets and
//! truncated answers are marked for the connection, which carries them out.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use serde_json::{Value, json};

use super::ConnectionFault;
use super::stack::{Inner, Step, forward};
use crate::answer::Resp;
use crate::faults::Fault;
use crate::state::{App, lock};

/// Whether a path is a token endpoint (faults spare it unless configured otherwise).
fn is_token_path(path: &str) -> bool {
    path.ends_with("/applications/token")
}

/// The error bodies of injected statuses, as the real API sends them.
fn injected_status(status: u16, retry_after_secs: Option<u64>) -> Resp {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let resp = match status {
        429 => super::rate_limit::rate_limited(),
        500 => Resp::problem(
            code,
            "unexpected-problem",
            None,
            "An unexpected problem has occurred.",
            json!({"message": "injected failure"}),
        ),
        _ => Resp::problem(
            code,
            "service-unavailable",
            None,
            "The server is currently unable to handle the request.",
            Value::Null,
        ),
    };
    match retry_after_secs {
        Some(seconds) => resp.with_header("retry-after", seconds.to_string()),
        None => resp,
    }
}

fn marked(mut response: Response, fault: ConnectionFault) -> Response {
    response.extensions_mut().insert(fault);
    response
}

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct Faults;

impl Step for Faults {
    async fn run<S: Inner>(self, app: App, request: Request, inner: S) -> Response {
        let (fault, latency) = lock(&app.faults).decide(is_token_path(request.uri().path()));
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        match fault {
            Fault::ResetBeforeRead => {
                // Nothing is applied: the request never reaches the emulation.
                marked(StatusCode::OK.into_response(), ConnectionFault::Drop)
            }
            Fault::Status {
                status,
                retry_after_secs,
            } => injected_status(status, retry_after_secs).into_response(),
            Fault::ResetAfterRead => {
                marked(forward(inner.clone(), request).await, ConnectionFault::Drop)
            }
            Fault::Truncated => marked(
                forward(inner.clone(), request).await,
                ConnectionFault::Truncate,
            ),
            Fault::Malformed => {
                let (mut parts, body) = forward(inner.clone(), request).await.into_parts();
                let bytes = axum::body::to_bytes(body, usize::MAX)
                    .await
                    .unwrap_or_default();
                let mut broken = bytes.slice(..bytes.len() / 2).to_vec();
                broken.extend_from_slice(b"\x00{]");
                parts.status = StatusCode::OK;
                parts.headers.remove(http::header::CONTENT_LENGTH);
                parts.headers.insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
                Response::from_parts(parts, axum::body::Body::from(Bytes::from(broken)))
            }
            Fault::None => forward(inner.clone(), request).await,
        }
    }
}
