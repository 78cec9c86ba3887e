//! Assertions on the SDK's typed errors, shared by the end-to-end tests so that every test
//! checks an error the same way.

use airbyte::cloud::{Error, ResourceKind};

/// The HTTP status of a transport error the SDK passed on (0 when there was no answer).
#[must_use]
pub fn status_of(error: &Error) -> u16 {
    error
        .transport()
        .and_then(airbyte::transport::Error::status)
        .map_or(0, |status| status.as_u16())
}

/// Asserts a missing resource of this kind and ID, the ID named in the message.
///
/// # Panics
///
/// When the error is anything else.
pub fn assert_missing(error: &Error, kind: ResourceKind, id: &str) {
    match error {
        Error::MissingResource {
            kind: actual,
            id: actual_id,
            ..
        } => {
            assert_eq!((*actual, actual_id.as_str()), (kind, id), "{error}");
        }
        other => panic!("expected a missing {kind}, got {other:?}"),
    }
    assert!(error.to_string().contains(id), "{error}");
}

/// Asserts input refused before anything was sent, the message holding `words`.
///
/// # Panics
///
/// When the error is anything else.
pub fn assert_invalid(error: &Error, words: &str) {
    assert!(
        matches!(error, Error::InvalidInput { .. }),
        "expected invalid input, got {error:?}"
    );
    assert!(error.to_string().contains(words), "{error}");
}

/// Asserts safe mode refused to delete a resource of this kind.
///
/// # Panics
///
/// When the error is anything else.
pub fn assert_safe_mode_refused(error: &Error, kind: ResourceKind) {
    assert!(
        matches!(error, Error::SafeModeRefusal { kind: actual, .. } if *actual == kind),
        "expected safe mode to refuse a {kind}, got {error:?}"
    );
}

/// Asserts a resource of this kind was found in another workspace before anything changed.
///
/// # Panics
///
/// When the error is anything else.
pub fn assert_other_workspace(error: &Error, kind: ResourceKind) {
    assert!(
        matches!(
            error,
            Error::WorkspaceMismatch {
                kind: actual,
                change_applied: false,
                ..
            } if *actual == kind
        ),
        "expected a {kind} of another workspace, nothing changed, got {error:?}"
    );
}
