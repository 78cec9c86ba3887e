//! A TCP server on loopback that hands every connection it accepts to a function: the base of
//! the test proxies, and of a test's own misbehaving peer (one that never answers, hangs up or
//! speaks another protocol).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

/// The longest a connection is served: every test ends well before.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(30);

/// A running loopback server; stops accepting when dropped.
pub struct LoopbackServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl LoopbackServer {
    /// Listens on a free loopback port and runs `serve` on each connection (in its own task,
    /// for at most [`CONNECTION_LIFETIME`]).
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn start<F, Fut>(serve: F) -> Self
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let serving = serve(stream);
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(CONNECTION_LIFETIME, serving).await;
                });
            }
        });
        Self {
            addr,
            accepted,
            task,
        }
    }

    /// A server that takes connections and never says a word (it keeps them open).
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn silent() -> Self {
        Self::start(|stream| async move {
            tokio::time::sleep(CONNECTION_LIFETIME).await;
            drop(stream);
        })
        .await
    }

    /// The address it listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many connections it accepted so far.
    #[must_use]
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}
