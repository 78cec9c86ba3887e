//! The mock server's error type.

use std::net::SocketAddr;

/// Why the mock server could not start or act.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be bound.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The settings are unsafe for the address: mock control would be open to the network.
    #[error("refusing to listen on {addr}: {reason}")]
    Insecure {
        /// The address.
        addr: SocketAddr,
        /// What to change.
        reason: String,
    },
    /// A world file or a fixture is invalid.
    #[error("invalid fixture {file}: {reason}")]
    Fixture {
        /// The file (or directory).
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// The TLS certificates or settings could not be made.
    #[error("TLS setup failed: {reason}")]
    Tls {
        /// What went wrong.
        reason: String,
    },
    /// A setting is out of its range (a fault rate outside 0 to 1, a least latency above the
    /// most, a rate limit that is not above zero).
    #[error("invalid settings: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// Something the call names does not exist.
    #[error("{what} does not exist")]
    NotFound {
        /// What.
        what: String,
    },
}
