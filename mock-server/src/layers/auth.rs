//! The authentication layer: every route needs credentials but those the registry marks open
//! (the token endpoints and health); the caller's scope goes to the handlers.

use airbyte_models::ops::registry;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Authenticated;
use crate::request::split_api_path;
use crate::state::App;

/// Whether a path is an operation served without credentials.
pub(super) fn is_open(path: &str) -> bool {
    split_api_path(path).is_some_and(|(api, _, rest)| {
        registry::of_api(api).any(|def| !def.authenticated && def.path == rest)
    })
}

pub(super) async fn authenticate(
    State(app): State<App>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_open(request.uri().path()) {
        return next.run(request).await;
    }
    let authorization = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    match crate::auth::authenticate(&app.tokens, &app.config, authorization) {
        Ok(principal) => {
            request.extensions_mut().insert(principal);
            let mut response = next.run(request).await;
            response.extensions_mut().insert(Authenticated);
            response
        }
        Err(refused) => refused.into_response(),
    }
}
