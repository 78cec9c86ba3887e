//! Reading the body, bounded in size and in time: a client that sends headers and then part of
//! a body gets 408 once the request timeout has passed (and the connection is closed); a body
//! over the limit gets 413 without being read to its end.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::ReceivedBody;
use crate::answer::Resp;
use crate::state::App;

/// An error answer after which the connection cannot be reused (the body was not read).
fn closing(status: StatusCode) -> Response {
    Resp::error_id(status)
        .with_header("connection", "close".to_owned())
        .into_response()
}

pub(super) async fn read(State(app): State<App>, request: Request, next: Next) -> Response {
    let limit = app.config.max_body_bytes;
    let announced = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return closing(StatusCode::PAYLOAD_TOO_LARGE);
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
    let mut response = next.run(request).await;
    response.extensions_mut().insert(ReceivedBody(bytes));
    response
}
