//! A layer made of one async step: the step gets the state, the request and the service
//! inside, and answers. One boxed future per request and layer (axum's `from_fn` boxes three
//! times), because every request of every client passes all of them.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use tower::{Layer, Service, ServiceExt as _};

use crate::state::App;

/// The service inside a layer.
pub(crate) trait Inner:
    Service<Request, Response = Response, Error = Infallible, Future: Send> + Clone + Send + 'static
{
}

impl<S> Inner for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send>
        + Clone
        + Send
        + 'static
{
}

/// Passes a request to the service inside.
pub(crate) async fn forward<S: Inner>(inner: S, request: Request) -> Response {
    match inner.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// What a layer does with a request.
pub(crate) trait Step: Copy + Send + Sync + 'static {
    fn run<S: Inner>(
        self,
        app: App,
        request: Request,
        inner: S,
    ) -> impl Future<Output = Response> + Send + 'static;
}

/// The layer of a step.
#[derive(Clone)]
pub(crate) struct StepLayer<T> {
    app: App,
    step: T,
}

impl<T: Step> StepLayer<T> {
    pub(crate) fn new(app: &App, step: T) -> Self {
        Self {
            app: app.clone(),
            step,
        }
    }
}

impl<T: Step, S> Layer<S> for StepLayer<T> {
    type Service = StepService<T, S>;

    fn layer(&self, inner: S) -> Self::Service {
        StepService {
            app: self.app.clone(),
            step: self.step,
            inner,
        }
    }
}

/// A step around a service.
#[derive(Clone)]
pub(crate) struct StepService<T, S> {
    app: App,
    step: T,
    inner: S,
}

impl<T: Step, S: Inner> Service<Request> for StepService<T, S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The inner service is called through `oneshot`, which waits for it to be ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let future = self.step.run(self.app.clone(), request, self.inner.clone());
        Box::pin(async move { Ok(future.await) })
    }
}
