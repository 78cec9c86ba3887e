//! Recording: every request goes to the upstream, and the exchange is written as a fixture.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use super::stack::{Inner, Step, forward};
use super::{Authenticated, Handled};
use crate::fixtures::record::Forward;
use crate::state::App;

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct Proxy;

impl Step for Proxy {
    async fn run<S: Inner>(self, app: App, request: Request, inner: S) -> Response {
        let Some(recorder) = &app.recorder else {
            return forward(inner.clone(), request).await;
        };
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let answer = recorder
            .forward(&Forward {
                method: &parts.method,
                path: parts.uri.path(),
                raw_query: parts.uri.query().unwrap_or_default(),
                headers: &parts.headers,
                body: &bytes,
            })
            .await;
        let accepted = parts.headers.contains_key(http::header::AUTHORIZATION)
            && answer.status != http::StatusCode::UNAUTHORIZED;
        let mut response = answer.into_response();
        response.extensions_mut().insert(Handled);
        if accepted {
            response.extensions_mut().insert(Authenticated);
        }
        response
    }
}
