//! `-v`, `-vv` and `RUST_LOG`: what the SDK and the tool log goes to stderr.
//!
//! `-v` shows each request (operation, method, path, status, latency), retries and their
//! reason, token mints and job polls; `-vv` adds the request and response bodies, with
//! secrets redacted by the transport. `RUST_LOG`, when set, replaces both.

use tracing_subscriber::EnvFilter;

/// The filter for a verbosity: warnings only by default.
pub(crate) fn filter(verbose: u8) -> &'static str {
    match verbose {
        0 => "warn",
        1 => "warn,airbyte=debug,airbyte_mock_server=warn",
        _ => "warn,airbyte=trace,airbyte_mock_server=warn",
    }
}

/// Installs the subscriber.
pub(crate) fn init(verbose: u8) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::new(directives),
        _ => EnvFilter::new(filter(verbose)),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Its own complaint about a failed write goes to stderr with `eprintln!`, which
        // panics when stderr is closed or full: a log line that cannot be written is lost,
        // nothing more.
        .log_internal_errors(false)
        .with_target(false)
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .try_init();
}
