//! The rate limit per credential (see [`crate::rate_limit`]): inside authentication, which
//! says whose request it is, and outside everything that handles it, so a refused request
//! changes nothing. Requests without valid credentials never reach it (they get 401), nor do
//! the open routes (the token endpoints and health).

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::json;

use super::stack::{Inner, Step, forward};
use crate::answer::Resp;
use crate::auth::Principal;
use crate::state::{App, lock};

/// The answer of a request over the limit, as Airbyte Cloud sends it: no `Retry-After`.
pub(crate) fn rate_limited() -> Resp {
    Resp::json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"message": "You are being rate limited."}),
    )
}

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct RateLimit;

impl Step for RateLimit {
    async fn run<S: Inner>(self, app: App, request: Request, inner: S) -> Response {
        let Some(principal) = request.extensions().get::<Principal>() else {
            // An open route: not limited.
            return forward(inner.clone(), request).await;
        };
        let admitted =
            lock(&app.rate_limit).admit(&principal.credential, std::time::Instant::now());
        if admitted {
            forward(inner.clone(), request).await
        } else {
            rate_limited().into_response()
        }
    }
}
