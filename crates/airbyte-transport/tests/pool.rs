//! The connection pool (hyper-util's) over plain HTTP, seen from a server: connections are
//! reused, requests carry an origin-form target and a `Host` header, a connection the server
//! closed never fails a request, an answer that was not read never garbles the next one, and
//! connections that idle too long or whose client is gone are closed.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use airbyte_models::{JobCreateRequest, JobType, WorkspaceId, ops};
use airbyte_transport::{Client, ClientBuilder, Error, RetryConfig};
use support::read_request;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const JOB: &str = r#"{"jobId":7,"status":"pending","jobType":"sync","startTime":"2024-05-01T12:30Z","connectionId":"c"}"#;

/// A keep-alive HTTP/1.1 server on loopback that counts connections and keeps request heads.
struct KeepAliveServer {
    uri: String,
    accepted: Arc<AtomicUsize>,
    /// Connections that ended because the client closed them.
    closed_by_client: Arc<AtomicUsize>,
    /// Connections the server closed for being idle.
    closed_by_server: Arc<AtomicUsize>,
    heads: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for KeepAliveServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the server does after answering on a connection.
#[derive(Clone, Copy)]
enum AfterAnswer {
    KeepOpen,
    /// Close the connection after this long without a request, as servers with a short
    /// keep-alive timeout do; the answer itself does not announce it.
    CloseWhenIdleFor(Duration),
}

impl KeepAliveServer {
    async fn start(after: AfterAnswer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let closed_by_client = Arc::new(AtomicUsize::new(0));
        let closed_by_server = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (accepted_count, closed_count, server_closes, kept_heads) = (
            accepted.clone(),
            closed_by_client.clone(),
            closed_by_server.clone(),
            heads.clone(),
        );
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                accepted_count.fetch_add(1, Ordering::SeqCst);
                let (closed_count, server_closes, kept_heads) = (
                    closed_count.clone(),
                    server_closes.clone(),
                    kept_heads.clone(),
                );
                tokio::spawn(async move {
                    loop {
                        // Wait for the next request's first byte, or for the client to close.
                        let mut first = [0u8; 1];
                        let waited = match after {
                            AfterAnswer::KeepOpen => Ok(socket.peek(&mut first).await),
                            AfterAnswer::CloseWhenIdleFor(idle) => {
                                tokio::time::timeout(idle, socket.peek(&mut first)).await
                            }
                        };
                        match waited {
                            Ok(Ok(0) | Err(_)) => {
                                closed_count.fetch_add(1, Ordering::SeqCst);
                                return;
                            }
                            Ok(Ok(_)) => {}
                            // Idle for too long: the server closes.
                            Err(_) => {
                                drop(socket);
                                server_closes.fetch_add(1, Ordering::SeqCst);
                                return;
                            }
                        }
                        let Some(head) = read_request(&mut socket).await else {
                            return;
                        };
                        let body = if head.contains("/workspaces/") {
                            "x".repeat(4096)
                        } else if head.starts_with("post ") {
                            JOB.to_owned()
                        } else {
                            String::new()
                        };
                        kept_heads.lock().unwrap().push(head);
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self {
            uri: format!("http://{address}"),
            accepted,
            closed_by_client,
            closed_by_server,
            heads,
            task,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    fn closed_by_client(&self) -> usize {
        self.closed_by_client.load(Ordering::SeqCst)
    }

    /// Waits (at most 5 s) until the client closed `count` connections.
    async fn wait_for_client_closes(&self, count: usize) {
        wait_for(&self.closed_by_client, count, "the client closed").await;
    }

    /// Waits (at most 5 s) until the server closed `count` idle connections.
    async fn wait_for_server_closes(&self, count: usize) {
        wait_for(&self.closed_by_server, count, "the server closed").await;
    }
}

async fn wait_for(counter: &AtomicUsize, count: usize, what: &str) {
    for _ in 0..100 {
        if counter.load(Ordering::SeqCst) >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{what} {} connections, expected {count}",
        counter.load(Ordering::SeqCst)
    );
}

/// A client builder for `server`, without retries: only the pool may save a request.
fn builder_for(server: &KeepAliveServer) -> ClientBuilder {
    support::builder(&server.uri).retry(RetryConfig::disabled())
}

fn client(server: &KeepAliveServer) -> Client {
    builder_for(server).build().unwrap()
}

fn create_job() -> ops::Operation<airbyte_models::JobResponse> {
    ops::public::jobs::create(&JobCreateRequest {
        connection_id: "c".parse().unwrap(),
        job_type: JobType::Sync,
    })
}

#[tokio::test]
async fn sequential_requests_share_one_connection_with_origin_form_targets() {
    let server = KeepAliveServer::start(AfterAnswer::KeepOpen).await;
    let client = client(&server);
    for _ in 0..5 {
        client.execute(ops::public::auth::health()).await.unwrap();
    }
    client.execute(create_job()).await.unwrap();
    assert_eq!(server.accepted(), 1);
    let heads = server.heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 6);
    let host = server.uri.trim_start_matches("http://");
    for head in &heads[..5] {
        assert!(
            head.starts_with("get /api/public/v1/health http/1.1\r\n"),
            "{head}"
        );
        assert!(head.contains(&format!("\r\nhost: {host}\r\n")), "{head}");
    }
    assert!(heads[5].starts_with("post /api/public/v1/jobs http/1.1\r\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_open_no_more_connections_than_are_in_flight() {
    let server = KeepAliveServer::start(AfterAnswer::KeepOpen).await;
    let client = client(&server);
    for _ in 0..5 {
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.execute(ops::public::auth::health()).await })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
    }
    assert_eq!(server.heads.lock().unwrap().len(), 40);
    let accepted = server.accepted();
    assert!((1..=8).contains(&accepted), "{accepted} connections");
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_never_fails_a_request() {
    let server =
        KeepAliveServer::start(AfterAnswer::CloseWhenIdleFor(Duration::from_millis(50))).await;
    // Retries are off: only the pool can save these requests, and it may, because nothing was
    // written on the closed connections. Half are POSTs, which no retry policy would resend.
    let client = client(&server);
    for round in 0..6 {
        if round % 2 == 0 {
            client.execute(ops::public::auth::health()).await.unwrap();
        } else {
            assert_eq!(
                client
                    .execute(create_job())
                    .await
                    .unwrap()
                    .job_id
                    .to_string(),
                "7"
            );
        }
        // The server has closed the connection (its FIN is on the client's side) before the
        // next request is made.
        server.wait_for_server_closes(round + 1).await;
    }
    assert_eq!(server.accepted(), 6);
    assert_eq!(server.heads.lock().unwrap().len(), 6);
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_idle_timeout() {
    let server = KeepAliveServer::start(AfterAnswer::KeepOpen).await;
    let client = builder_for(&server)
        .pool_idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    client.execute(ops::public::auth::health()).await.unwrap();
    server.wait_for_client_closes(1).await;
    // The client is still usable: it opens a new connection.
    client.execute(ops::public::auth::health()).await.unwrap();
    assert_eq!(server.accepted(), 2);
}

#[tokio::test]
async fn a_connection_whose_answer_was_not_read_to_the_end_is_not_reused() {
    let server = KeepAliveServer::start(AfterAnswer::KeepOpen).await;
    let client = builder_for(&server)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let too_large = client
        .execute(ops::public::workspaces::get(
            &WorkspaceId::new("w1").unwrap(),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(too_large, Error::BodyTooLarge { .. }),
        "{too_large:?}"
    );
    // The connection either carried the whole refused answer (hyper read past it, and may
    // reuse the connection) or was closed: the next answer is its own either way.
    client.execute(ops::public::auth::health()).await.unwrap();
    client.execute(ops::public::auth::health()).await.unwrap();
    assert!(server.accepted() <= 2, "{}", server.accepted());
}

#[tokio::test]
async fn dropping_the_client_closes_its_connections() {
    let server = KeepAliveServer::start(AfterAnswer::KeepOpen).await;
    let client = client(&server);
    client.execute(ops::public::auth::health()).await.unwrap();
    client.execute(ops::public::auth::health()).await.unwrap();
    assert_eq!(server.closed_by_client(), 0);
    drop(client);
    server.wait_for_client_closes(1).await;
    assert_eq!(server.accepted(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_moved_to_another_runtime_never_uses_an_expired_connection() {
    let server = KeepAliveServer::start(AfterAnswer::KeepOpen).await;
    let client = builder_for(&server)
        .pool_idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    // First used on a runtime that then shuts down, taking its connection tasks with it.
    let first_runtime_client = client.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(first_runtime_client.execute(ops::public::auth::health()))
            .unwrap();
    })
    .join()
    .unwrap();
    server.wait_for_client_closes(1).await;
    client.execute(ops::public::auth::health()).await.unwrap();
    assert_eq!(server.accepted(), 2);
    // The pool's timer died with the first runtime; an expired connection is still closed, at
    // the latest when the next request finds it, and never used.
    tokio::time::sleep(Duration::from_millis(400)).await;
    client.execute(ops::public::auth::health()).await.unwrap();
    assert_eq!(server.accepted(), 3);
    server.wait_for_client_closes(2).await;
}

#[tokio::test]
async fn a_connection_that_cannot_be_made_in_time_is_a_connect_timeout() {
    // A listener whose accept queue is full and never drained: the kernel drops further
    // connection attempts, so a connect hangs as it would towards an unreachable host.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let address = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(address),
        )
        .await
        {
            Ok(Ok(stream)) => queued.push(stream),
            // The queue is full: the next connect hangs.
            _ => break,
        }
    }
    let client = support::builder(&format!("http://{address}"))
        .connect_timeout(Duration::from_millis(300))
        .attempt_timeout(Duration::from_secs(2))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = client
        .execute(ops::public::auth::health())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: airbyte_transport::TimeoutKind::Connect,
                may_have_been_applied: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop((listener, queued));
}
