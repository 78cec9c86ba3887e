//! Recorded interactions, after authentication: a matching one answers (in emulate mode it
//! takes precedence over the emulation); in replay mode nothing else does.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::json;

use super::Handled;
use super::stack::{Inner, Step, forward};
use crate::answer::Resp;
use crate::config::Mode;
use crate::request::parse_query;
use crate::state::{App, lock};

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct Replay;

impl Step for Replay {
    async fn run<S: Inner>(self, app: App, request: Request, inner: S) -> Response {
        let replay_only = app.config.mode == Mode::Replay;
        if !app.has_fixtures && !replay_only {
            return forward(inner.clone(), request).await;
        }
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let path = parts.uri.path().to_owned();
        let query = parse_query(parts.uri.query().unwrap_or_default());
        let recorded = lock(&app.fixtures).answer(&parts.method, &path, &query, &bytes);
        if let Some(recorded) = recorded {
            let mut response = recorded.into_response();
            response.extensions_mut().insert(Handled);
            return response;
        }
        // The token endpoints and health are the mock's own, in every mode.
        let open = super::auth::is_open(&path);
        if replay_only && !open {
            let detail = if app.config.strict {
                format!(
                    "No recorded interaction matches {} {path}; closest: {}",
                    parts.method,
                    lock(&app.fixtures).closest(&parts.method, &path)
                )
            } else {
                format!("No recorded interaction matches {} {path}", parts.method)
            };
            return Resp::problem(
                StatusCode::NOT_FOUND,
                "mock-no-matching-interaction",
                Some("error:mock/no-matching-interaction"),
                &detail,
                json!({"message": detail}),
            )
            .into_response();
        }
        forward(
            inner.clone(),
            Request::from_parts(parts, axum::body::Body::from(bytes)),
        )
        .await
    }
}
