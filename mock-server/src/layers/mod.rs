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

use axum::Router;
use axum::middleware::from_fn_with_state;
use bytes::Bytes;

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

/// The emulated (or replayed, or recorded) API with its layers, outermost first: the journal,
/// faults, authentication, the body, replay (or, when recording, the proxy), then the router.
pub(crate) fn api(app: &App, router: Router) -> Router {
    let inner = if app.recorder.is_some() {
        router
            .layer(from_fn_with_state(app.clone(), record::proxy))
            .layer(from_fn_with_state(app.clone(), body::read))
    } else {
        router
            .layer(from_fn_with_state(app.clone(), replay::recorded_first))
            .layer(from_fn_with_state(app.clone(), body::read))
            .layer(from_fn_with_state(app.clone(), auth::authenticate))
            .layer(from_fn_with_state(app.clone(), faults::inject))
    };
    inner.layer(from_fn_with_state(app.clone(), journal::record))
}
