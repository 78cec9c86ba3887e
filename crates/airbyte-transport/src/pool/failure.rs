//! Connection failures told in words a user can act on: hyper's own message ("client error
//! (Connect)") says nothing, so the message is the chain of causes, and failures a retry cannot
//! fix (a certificate nobody vouched for, a proxy that refused the credentials or the
//! destination, or does not speak the protocol of its URL) are told apart.

use std::error::Error as StdError;
use std::fmt;

use super::SendError;
use crate::error::BoxError;
use crate::proxy::ProxyError;

/// A connection failure with the causes of its chain in its message, and a hint when one is
/// known. The chain itself stays reachable through `source()`.
#[derive(Debug)]
pub(crate) struct ConnectFailure {
    text: String,
    /// No retry can help (see [`SendError::Refused`]).
    refused: bool,
    source: BoxError,
}

/// A copy of a connection failure for another caller that waited on the same outcome (see
/// `Error::duplicate`): its message and whether it is a refusal; the chain's text stands in
/// for the chain. `None` for another error.
pub(crate) fn copy_connect_failure(error: &(dyn StdError + 'static)) -> Option<BoxError> {
    let failure = error.downcast_ref::<ConnectFailure>()?;
    Some(Box::new(ConnectFailure {
        text: failure.text.clone(),
        refused: failure.refused,
        source: failure.source.to_string().into(),
    }))
}

/// Whether a connection failed for a reason no retry can change.
pub(crate) fn is_refusal(error: &(dyn StdError + 'static)) -> bool {
    error
        .downcast_ref::<ConnectFailure>()
        .is_some_and(|failure| failure.refused)
}

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl StdError for ConnectFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Why a connection can never succeed by trying again.
enum Hopeless {
    Certificate,
    /// The proxy refused (credentials, a destination its rules forbid, a protocol it does not
    /// speak), with what to tell the user, possibly nothing.
    Proxy(String),
}

/// Every error of the chain, the errors an `io::Error` wraps included (its `source()` skips
/// them).
fn chain<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut links = Vec::new();
    let mut next = Some(error);
    while let Some(current) = next {
        links.push(current);
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
    }
    links
}

fn hopeless(links: &[&(dyn StdError + 'static)]) -> Option<Hopeless> {
    links.iter().find_map(|link| {
        if let Some(rustls::Error::InvalidCertificate(_)) = link.downcast_ref::<rustls::Error>() {
            return Some(Hopeless::Certificate);
        }
        link.downcast_ref::<ProxyError>()
            .and_then(ProxyError::hopeless)
            .map(Hopeless::Proxy)
    })
}

/// A failure to connect, described; one a retry cannot fix becomes [`SendError::Refused`].
pub(crate) fn connect_failed(error: hyper_util::client::legacy::Error) -> SendError {
    let error: BoxError = Box::new(error);
    let links = chain(&*error);
    let mut parts: Vec<String> = Vec::new();
    for link in &links {
        let text = link.to_string();
        // hyper's wrapper says nothing; a wrapper that repeats its cause adds nothing.
        if text == "client error (Connect)" || parts.last().is_some_and(|last| last.contains(&text))
        {
            continue;
        }
        parts.push(text);
    }
    let hopeless = hopeless(&links);
    let mut text = parts.join(": ");
    match &hopeless {
        Some(Hopeless::Certificate) => text.push_str(
            " (the server's certificate is not trusted: add the certificate authority that signed it with AIRBYTE_CA_FILE, --ca-file or ClientBuilder::add_ca_file, or trust the system store)",
        ),
        Some(Hopeless::Proxy(hint)) if !hint.is_empty() => {
            text.push_str(" (");
            text.push_str(hint);
            text.push(')');
        }
        Some(Hopeless::Proxy(_)) | None => {}
    }
    let failure: BoxError = Box::new(ConnectFailure {
        text,
        refused: hopeless.is_some(),
        source: error,
    });
    if hopeless.is_some() {
        SendError::Refused(failure)
    } else {
        SendError::Connect(failure)
    }
}
