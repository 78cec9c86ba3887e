//! A minimal hyper server answering every request with the same static JSON body: the
//! baseline the mock server's throughput is compared with.

use std::io::Write;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Serves `body` forever on a free loopback port, announcing it on stdout.
pub(crate) async fn run(body: Bytes) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "static-server listening on http://{address}");
    let _ = stdout.flush();
    drop(stdout);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_request| {
                let body = body.clone();
                async move {
                    Ok::<_, std::convert::Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(body))
                            .expect("a static response"),
                    )
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
