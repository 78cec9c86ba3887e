//! The error type of this crate: values rejected while parsing user input.

/// An input that this crate refuses to turn into a model value.
///
/// Models decode server data leniently and never produce this error for an odd value inside a
/// response; it is returned when a value given by a user (an ID typed on a command line, say)
/// cannot be valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An ID was empty or only white space.
    #[error("{kind} must not be empty")]
    EmptyId {
        /// The kind of ID, for example `source ID`.
        kind: &'static str,
    },
    /// An ID was `.` or `..`, which URL parsers treat as path navigation even when encoded.
    #[error("{kind} must not be {value:?}")]
    DotSegmentId {
        /// The kind of ID.
        kind: &'static str,
        /// The rejected text.
        value: String,
    },
    /// A job ID was not a non-negative integer.
    #[error("job ID must be a non-negative integer, got {value:?}")]
    InvalidJobId {
        /// The rejected text.
        value: String,
    },
    /// A job ordering was not `createdAt|ASC`, `updatedAt|DESC` or the like.
    #[error("job ordering must look like `createdAt|DESC`, got {value:?}")]
    InvalidJobOrder {
        /// The rejected text.
        value: String,
    },
}
