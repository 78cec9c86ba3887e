//! The error type of this crate, and the problems found in a directory of files.

use std::fmt;
use std::path::PathBuf;

use crate::apply::ApplyReport;
use crate::model::Origin;

/// One problem found in the files, with the file and line it is on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// Where.
    pub origin: Origin,
    /// What is wrong, and what to do about it.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(origin: Origin, message: impl Into<String>) -> Self {
        Self {
            origin,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// Every problem found, sorted by file and line.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn push(&mut self, origin: Origin, message: impl Into<String>) {
        self.0.push(Problem::new(origin, message));
    }

    /// `Ok` when empty, else [`Error::Invalid`] with the problems sorted.
    pub(crate) fn into_result(mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort();
        self.0.dedup();
        Err(Error::Invalid { problems: self })
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// What can go wrong when exporting, planning or applying.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The files have problems; nothing was sent. Every problem found is listed.
    #[error("the files have {} problem{}; nothing was changed:\n{problems}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Invalid {
        /// The problems, by file and line.
        problems: Problems,
    },

    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },

    /// The lock file cannot be used.
    #[error("the lock file {} cannot be used: {message}", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        message: String,
    },

    /// Another apply or export works from the same lock file, or did since the plan was
    /// made; nothing was sent. Plan again once it has finished.
    #[error("the lock file {} cannot be used now: {message}", path.display())]
    Conflict {
        /// The lock file.
        path: PathBuf,
        /// What conflicts.
        message: String,
    },

    /// The workspace holds something the files cannot describe faithfully (a schedule with no
    /// cron equivalent, ...); nothing was written.
    #[error("cannot export the workspace: {message}")]
    Unrepresentable {
        /// What, and what to do about it.
        message: String,
    },

    /// An apply was refused before anything was sent: deletes that safe mode or the rules on
    /// dependents refuse, each named with why.
    #[error("refusing to apply; nothing was changed:\n  {}", refusals.join("\n  "))]
    Refused {
        /// Each refused delete, with why.
        refusals: Vec<String>,
    },

    /// The API, or a check of the domain layer, failed.
    #[error(transparent)]
    Cloud(#[from] airbyte_cloud::Error),

    /// An apply did not finish: what was done, what failed (each with its error) and what was
    /// not attempted. The lock file records everything done; running the apply again finishes
    /// the work.
    #[error("{report}")]
    ApplyIncomplete {
        /// Resource by resource.
        report: Box<ApplyReport>,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
