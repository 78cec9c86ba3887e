//! The journal layer: records every API request with its answer's status (0 for a dropped
//! connection), the query with secrets redacted, and the body (redacted) of requests that were
//! authenticated and handled; logs each at `debug`.

use std::time::Instant;

use axum::extract::Request;
use axum::response::Response;

use super::stack::{Inner, Step, forward};
use super::{Authenticated, ConnectionFault, Handled, ReceivedBody};
use crate::journal::Received;
use crate::routes::Routed;
use crate::state::{App, lock};

/// The layer's step.
#[derive(Clone, Copy)]
pub(crate) struct Journal;

impl Step for Journal {
    async fn run<S: Inner>(self, app: App, request: Request, inner: S) -> Response {
        let started = Instant::now();
        let method = request.method().clone();
        let version = request.version();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().map_or_else(String::new, |query| {
            airbyte_models::redact_query(query, airbyte_models::REDACTED)
        });
        let response = forward(inner.clone(), request).await;
        let extensions = response.extensions();
        let authenticated = extensions.get::<Authenticated>().is_some();
        let handled = extensions.get::<Handled>().is_some();
        let operation = extensions
            .get::<Routed>()
            .map(|routed| routed.0.operation_id);
        let dropped = extensions.get::<ConnectionFault>() == Some(&ConnectionFault::Drop);
        let status = if dropped {
            0
        } else {
            response.status().as_u16()
        };
        // Bodies of unauthenticated or unhandled requests are never kept: nobody may fill the
        // journal without credentials.
        let body = extensions
            .get::<ReceivedBody>()
            .filter(|_| authenticated && (handled || operation.is_some()))
            .and_then(|received| crate::lossless::parse(&received.0).ok())
            // Kept as the exact text: numbers as sent, marked strings back as they were.
            .and_then(|value| serde_json::to_vec(&airbyte_models::redact_json(&value)).ok())
            .and_then(|text| String::from_utf8(crate::lossless::restore(text)).ok());
        tracing::debug!(
            target: "airbyte_mock_server::request",
            %method,
            %path,
            %query,
            status,
            operation = operation.unwrap_or("-"),
            elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "request"
        );
        lock(&app.journal).record(Received {
            method,
            version,
            path,
            query,
            status,
            authenticated,
            operation,
            body,
        });
        response
    }
}
