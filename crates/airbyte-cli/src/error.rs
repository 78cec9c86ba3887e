//! What can make the tool fail, and the exit code of each.

use std::fmt;

/// Exit codes, documented in `--help`.
pub(crate) mod exit {
    /// An API or network error (or any other failure).
    pub(crate) const API: u8 = 1;
    /// Bad input: arguments, files, settings.
    pub(crate) const BAD_INPUT: u8 = 2;
    /// A sync (or another job) failed or was cancelled.
    pub(crate) const SYNC_FAILED: u8 = 3;
    /// A wait timed out.
    pub(crate) const TIMEOUT: u8 = 4;
    /// Refused: safe mode, or a destructive command that was not confirmed.
    pub(crate) const REFUSED: u8 = 5;
}

/// A failure of the tool.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Bad input, found before anything was sent.
    BadInput(String),
    /// Refused before anything was changed.
    Refused(String),
    /// An error of the SDK.
    Sdk(airbyte::Error),
}

impl CliError {
    pub(crate) fn bad(message: impl Into<String>) -> Self {
        Self::BadInput(message.into())
    }

    /// The process exit code.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::BadInput(_) => exit::BAD_INPUT,
            Self::Refused(_) => exit::REFUSED,
            Self::Sdk(error) => match error {
                airbyte::Error::InvalidInput { .. } | airbyte::Error::Settings { .. } => {
                    exit::BAD_INPUT
                }
                airbyte::Error::SyncFailed { .. } => exit::SYNC_FAILED,
                airbyte::Error::SyncTimedOut { .. } => exit::TIMEOUT,
                airbyte::Error::SafeModeRefusal { .. } => exit::REFUSED,
                airbyte::Error::Transport(
                    airbyte::transport::Error::Config { .. }
                    | airbyte::transport::Error::InvalidInput { .. },
                ) => exit::BAD_INPUT,
                _ => exit::API,
            },
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadInput(message) | Self::Refused(message) => f.write_str(message),
            Self::Sdk(error) => {
                write!(f, "{error}")?;
                let mut source = std::error::Error::source(error);
                while let Some(inner) = source {
                    let text = inner.to_string();
                    if !text.is_empty() && !error.to_string().contains(&text) {
                        write!(f, "\n  caused by: {text}")?;
                    }
                    source = inner.source();
                }
                Ok(())
            }
        }
    }
}

impl From<airbyte::Error> for CliError {
    fn from(error: airbyte::Error) -> Self {
        Self::Sdk(error)
    }
}

impl From<airbyte::transport::Error> for CliError {
    fn from(error: airbyte::transport::Error) -> Self {
        Self::Sdk(error.into())
    }
}

/// A `Result` of the tool.
pub(crate) type CliResult<T = ()> = Result<T, CliError>;
