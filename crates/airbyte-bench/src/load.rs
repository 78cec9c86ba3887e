//! A load generator: N keep-alive HTTP/1.1 connections, each sending requests one after the
//! other for a fixed time. Run in its own process, so it never shares a runtime with the
//! server it measures.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use tokio::net::TcpStream;

/// What a load run measured.
#[derive(Debug, Serialize, serde::Deserialize)]
pub(crate) struct LoadResult {
    pub(crate) requests: u64,
    pub(crate) errors: u64,
    pub(crate) seconds: f64,
    pub(crate) requests_per_second: f64,
}

/// Runs `connections` connections against `base` for `duration`, cycling through `paths`.
pub(crate) async fn run(
    base: &str,
    paths: Vec<String>,
    authorization: Option<String>,
    connections: usize,
    duration: Duration,
) -> LoadResult {
    let address = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let paths = Arc::new(paths);
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for index in 0..connections {
        let (address, paths, authorization) =
            (address.clone(), paths.clone(), authorization.clone());
        let (requests, errors) = (requests.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(stream) = TcpStream::connect(&address).await else {
                errors.fetch_add(1, Ordering::Relaxed);
                return;
            };
            let _ = stream.set_nodelay(true);
            let Ok((mut sender, connection)) =
                hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
                    .await
            else {
                errors.fetch_add(1, Ordering::Relaxed);
                return;
            };
            tokio::spawn(connection);
            let mut turn = index;
            while Instant::now() < deadline {
                let path = &paths[turn % paths.len()];
                turn += 1;
                let mut builder = http::Request::builder()
                    .uri(path.as_str())
                    .header("host", address.as_str());
                if let Some(authorization) = &authorization {
                    builder = builder.header("authorization", authorization.as_str());
                }
                let request = builder.body(Empty::new()).expect("a request");
                if sender.ready().await.is_err() {
                    errors.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                let completed = match sender.send_request(request).await {
                    Ok(response) if response.status().is_success() => {
                        response.into_body().collect().await.is_ok()
                    }
                    _ => false,
                };
                if completed {
                    requests.fetch_add(1, Ordering::Relaxed);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let requests = requests.load(Ordering::Relaxed);
    LoadResult {
        requests,
        errors: errors.load(Ordering::Relaxed),
        seconds,
        requests_per_second: requests as f64 / seconds,
    }
}
