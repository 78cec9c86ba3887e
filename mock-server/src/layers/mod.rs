//! The tower layers around the router, each in one file: faults, the journal, authentication,
//! the rate limit per credential, reading the body, and replay or recording. Inner layers leave marks in the answer's
//! extensions for the outer ones (the journal, the connection): what was authenticated, what
//! the body was, what the emulation or a recording handled, what the connection must suffer.

mod auth;
mod body;
mod faults;
mod journal;
mod rate_limit;
mod record;
mod replay;
mod stack;

use axum::Router;
use bytes::Bytes;
use tower::ServiceBuilder;
use tower::util::MapResponseLayer;

use self::stack::StepLayer;

use crate::state::App;

/// The request was authenticated.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Authenticated;

/// The emulation, a recording or the upstream handled the request (its body may be kept).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Handled;

/// The request body, as read.
#[derive(Clone, Debug)]
pub(crate) struct ReceivedBody(pub(crate) Bytes);

/// What the connection must do after this answer (faults that act on the connection itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConnectionFault {
    /// Close the connection without answering.
    Drop,
    /// Send half of the body, then close the connection.
    Truncate,
}

/// The emulated (or replayed, or recorded) API: the router inside its layers, outermost first:
/// the journal, faults (with latency), authentication, the rate limit, the body, replay (or, when recording, only the journal, the body and the proxy). The layers wrap the router once, not each route, so a
/// request passes each of them once.
pub(crate) fn api(app: &App, router: Router) -> Router {
    let router = ServiceBuilder::new()
        .layer(MapResponseLayer::new(crate::routes::api_error_bodies))
        .service(router);
    let stack = ServiceBuilder::new().layer(StepLayer::new(app, journal::Journal));
    if app.recorder.is_some() {
        return Router::new().fallback_service(
            stack
                .layer(StepLayer::new(app, body::ReadBody))
                .layer(StepLayer::new(app, record::Proxy))
                .service(router),
        );
    }
    Router::new().fallback_service(
        stack
            .layer(StepLayer::new(app, faults::Faults))
            .layer(StepLayer::new(app, auth::Authenticate))
            .layer(StepLayer::new(app, rate_limit::RateLimit))
            .layer(StepLayer::new(app, body::ReadBody))
            .layer(StepLayer::new(app, replay::Replay))
            .service(router),
    )
}
