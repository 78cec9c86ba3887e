//! Reading the body, bounded in size and in time: a client that sends headers and then part of
//! a body gets 408 once the request timeout has passed (and the connection is closed); a body
//! over the limit gets 413 without being read to its end.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::ReceivedBody;
use super::stack::{Inner, Step, forward};
use crate::answer::Resp;
use crate::state::App;

/// An error answer after which the connection cannot be reused (the body was not read).
fn closing(status: StatusCode) -> Response {
    Resp::error_id(status)
        .with_header("connection", "close".to_owned())
        .into_response()
}

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct ReadBody;

impl Step for ReadBody {
    async fn run<S: Inner>(self, app: App, request: Request, inner: S) -> Response {
        let limit = app.config.max_body_bytes;
        let announced = request
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit as u64) {
            return closing(StatusCode::PAYLOAD_TOO_LARGE);
        }
        // Most requests (every GET) have no body: nothing to read or to wait for.
        if http_body::Body::is_end_stream(request.body()) {
            let mut response = forward(inner.clone(), request).await;
            response
                .extensions_mut()
                .insert(ReceivedBody(bytes::Bytes::new()));
            return response;
        }
        let (parts, body) = request.into_parts();
        let collected = tokio::time::timeout(
            app.config.request_timeout,
            Limited::new(body, limit).collect(),
        )
        .await;
        let bytes = match collected {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(error)) if error.is::<LengthLimitError>() => {
                return closing(StatusCode::PAYLOAD_TOO_LARGE);
            }
            Ok(Err(_)) => return closing(StatusCode::BAD_REQUEST),
            Err(_) => return closing(StatusCode::REQUEST_TIMEOUT),
        };
        let request = Request::from_parts(parts, axum::body::Body::from(bytes.clone()));
        let mut response = forward(inner.clone(), request).await;
        response.extensions_mut().insert(ReceivedBody(bytes));
        response
    }
}
