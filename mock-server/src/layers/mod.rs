//! The tower layers around the router, each in one file: faults, the journal, authentication,
//! reading the body, and replay or recording. Inner layers leave marks in the answer's
//! extensions for the outer ones (the journal, the connection): what was authenticated, what
//! the body was, what the emulation or a recording handled, what the connection must suffer.

mod auth;
mod body;
mod faults;
mod journal;
mod record;
mod replay;
mod stack;

use std::convert::Infallible;

use axum::Router;
use axum::extract::Request;
use axum::middleware::map_response;
use axum::response::Response;
use bytes::Bytes;
use tower::ServiceBuilder;
use tower::util::BoxCloneSyncService;

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

/// The service of the emulated (or replayed, or recorded) API: the router inside its layers,
/// outermost first: the journal, faults, authentication, the body, replay (or, when
/// recording, only the journal, the body and the proxy). The layers wrap the router once, not
/// each route, so a request passes each of them once.
pub(crate) type ApiService = BoxCloneSyncService<Request, Response, Infallible>;

pub(crate) fn api(app: &App, router: Router) -> ApiService {
    let router = ServiceBuilder::new()
        .layer(map_response(crate::routes::api_error_bodies))
        .service(router);
    if app.recorder.is_some() {
        return BoxCloneSyncService::new(
            ServiceBuilder::new()
                .layer(StepLayer::new(app, journal::Journal))
                .layer(StepLayer::new(app, body::ReadBody))
                .layer(StepLayer::new(app, record::Proxy))
                .service(router),
        );
    }
    BoxCloneSyncService::new(
        ServiceBuilder::new()
            .layer(StepLayer::new(app, journal::Journal))
            .layer(StepLayer::new(app, faults::Faults))
            .layer(StepLayer::new(app, auth::Authenticate))
            .layer(StepLayer::new(app, body::ReadBody))
            .layer(StepLayer::new(app, replay::Replay))
            .service(router),
    )
}
