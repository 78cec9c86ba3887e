//! Stop signals for a mock server run in the foreground.

/// The signals that stop a foreground mock server: SIGINT and SIGTERM on Unix, Ctrl-C elsewhere.
///
/// Install them before [`MockServer::announce`](crate::MockServer::announce): a parent process
/// that sends SIGTERM as soon as it reads the announcement must not race the installation of
/// the handler (an uninstalled SIGTERM kills the process without a clean shutdown).
#[derive(Debug)]
pub struct StopSignals {
    #[cfg(unix)]
    unix: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    /// Registers the handlers for SIGINT and SIGTERM (Ctrl-C elsewhere). When a handler cannot
    /// be registered, [`wait`](Self::wait) falls back to Ctrl-C alone.
    ///
    /// # Panics
    ///
    /// When called outside a Tokio runtime, as Tokio's signal handling requires one.
    #[must_use]
    pub fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let unix = signal(SignalKind::interrupt())
                .and_then(|interrupt| Ok((interrupt, signal(SignalKind::terminate())?)))
                .ok();
            Self { unix }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    /// Waits until one of the signals arrives.
    pub async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut interrupt, mut terminate)) = self.unix {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
