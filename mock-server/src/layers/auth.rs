//! The authentication layer: every route needs credentials but those the registry marks open
//! (the token endpoints and health); the caller's scope goes to the handlers.

use airbyte_models::ops::registry;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use super::Authenticated;
use super::stack::{Inner, Step, forward};
use crate::request::split_api_path;
use crate::state::App;

/// Whether a path is an operation served without credentials.
pub(super) fn is_open(path: &str) -> bool {
    split_api_path(path).is_some_and(|(api, _, rest)| {
        registry::of_api(api).any(|def| !def.authenticated && def.path == rest)
    })
}

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct Authenticate;

impl Step for Authenticate {
    async fn run<S: Inner>(self, app: App, mut request: Request, inner: S) -> Response {
        if is_open(request.uri().path()) {
            return forward(inner.clone(), request).await;
        }
        let authorization = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        let verdict = {
            let world = crate::state::lock(&app.world);
            crate::auth::authenticate(&app.tokens, &app.config, &world, authorization)
        };
        match verdict {
            Ok(principal) => {
                request.extensions_mut().insert(principal);
                let mut response = forward(inner.clone(), request).await;
                response.extensions_mut().insert(Authenticated);
                response
            }
            Err(refused) => refused.into_response(),
        }
    }
}
