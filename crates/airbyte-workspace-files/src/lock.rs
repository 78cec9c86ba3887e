//! The lock file: for each workspace the files were applied to or exported from, the ID of
//! every resource by key, and a salted fingerprint of every secret applied.
//!
//! IDs stay out of the resource files, so the same files can describe several workspaces
//! (staging and production); the lock file keeps one section per workspace ID. It is JSON,
//! keys sorted, so that it diffs well, and it is written atomically (a temporary file in the
//! same directory, then a rename): a crash leaves the previous version or the new one, never
//! a torn file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Kind;

/// The lock file's name in a workspace directory.
pub const LOCK_FILE: &str = "airbyte.lock";

const VERSION: u32 = 1;

/// The whole lock file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockFile {
    /// The format version.
    pub version: u32,
    /// One section per workspace ID.
    #[serde(default)]
    pub workspaces: BTreeMap<String, WorkspaceLock>,
}

/// What the lock file knows about one workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceLock {
    /// Tags by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, Locked>,
    /// Definitions by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub definitions: BTreeMap<String, Locked>,
    /// Sources by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, Locked>,
    /// Destinations by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub destinations: BTreeMap<String, Locked>,
    /// Connections by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub connections: BTreeMap<String, Locked>,
    /// Resources replaced by new ones whose delete has not happened yet: the next apply
    /// deletes them (under the same rules as any delete).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<Retired>,
}

/// One resource of the lock file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locked {
    /// Its ID in the workspace.
    pub id: String,
    /// The fingerprint of each secret applied, by JSON pointer into the configuration.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, String>,
}

/// A resource replaced by another, still to delete.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Retired {
    /// Its kind.
    pub kind: Kind,
    /// Its ID.
    pub id: String,
    /// Its key in the files.
    pub key: String,
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown kind {text:?}")))
    }
}

impl WorkspaceLock {
    /// The entries of one kind.
    #[must_use]
    pub fn of(&self, kind: Kind) -> &BTreeMap<String, Locked> {
        match kind {
            Kind::Tag => &self.tags,
            Kind::Definition => &self.definitions,
            Kind::Source => &self.sources,
            Kind::Destination => &self.destinations,
            Kind::Connection => &self.connections,
        }
    }

    /// The entries of one kind, to change.
    pub fn of_mut(&mut self, kind: Kind) -> &mut BTreeMap<String, Locked> {
        match kind {
            Kind::Tag => &mut self.tags,
            Kind::Definition => &mut self.definitions,
            Kind::Source => &mut self.sources,
            Kind::Destination => &mut self.destinations,
            Kind::Connection => &mut self.connections,
        }
    }

    /// The ID of a resource by key.
    #[must_use]
    pub fn id(&self, kind: Kind, key: &str) -> Option<&str> {
        self.of(kind).get(key).map(|locked| locked.id.as_str())
    }
}

impl LockFile {
    /// Reads a lock file; a missing one is empty.
    ///
    /// # Errors
    ///
    /// [`Error::Lock`] when it is not a lock file this version can read; [`Error::Io`].
    pub fn read(path: &Path) -> Result<Self> {
        let text = match crate::read::bounded_text(path, crate::read::MAX_FILE_BYTES) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self {
                    version: VERSION,
                    workspaces: BTreeMap::new(),
                });
            }
            Err(error) => return Err(Error::io(path, error)),
        };
        let lock: Self = serde_json::from_str(&text).map_err(|error| Error::Lock {
            path: path.to_path_buf(),
            message: format!("{error} (restore it from version control, or delete it: the next plan finds resources by name)"),
        })?;
        if lock.version != VERSION {
            return Err(Error::Lock {
                path: path.to_path_buf(),
                message: format!(
                    "it has version {}, and this version of the tool reads version {VERSION}",
                    lock.version
                ),
            });
        }
        Ok(lock)
    }

    /// The text of the lock file: indented JSON, keys sorted, a final newline.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the lock file atomically (see the module documentation).
    ///
    /// # Errors
    ///
    /// [`Error::Io`].
    pub fn write(&self, path: &Path) -> Result<()> {
        write_atomically(path, self.to_text().as_bytes())
    }

    /// The section of a workspace (empty when there is none).
    #[must_use]
    pub fn workspace(&self, workspace_id: &str) -> WorkspaceLock {
        self.workspaces
            .get(workspace_id)
            .cloned()
            .unwrap_or_default()
    }
}

/// An exclusive hold on a lock file for one apply or export: a second one from the same
/// directory (another terminal, an overlapping CI job on the same runner) is refused instead
/// of creating every resource a second time and overwriting the first one's lock file.
///
/// The hold is an advisory lock (`flock`, `LockFileEx`) on a file beside the lock file
/// (`.airbyte.lock.guard`), which the system releases when the process ends, however it ends:
/// a crash leaves nothing stale. The file itself stays (removing it would let two processes
/// hold two different files).
#[derive(Debug)]
pub(crate) struct Guard {
    _file: std::fs::File,
}

impl Guard {
    /// Takes the hold on `lock_path`, without waiting.
    ///
    /// # Errors
    ///
    /// [`Error::Conflict`] while another apply or export holds it; [`Error::Io`].
    pub(crate) fn take(lock_path: &Path) -> Result<Self> {
        let path = sibling(lock_path, "guard");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|error| Error::io(&path, error))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Conflict {
                path: lock_path.to_path_buf(),
                message: format!(
                    "another apply or export is using it (it holds {}); run this one when it has finished",
                    path.display()
                ),
            }),
            Err(std::fs::TryLockError::Error(error)) => Err(Error::io(&path, error)),
        }
    }
}

/// A hidden file beside `path`: `.NAME.SUFFIX`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let directory = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    directory.join(format!(".{name}.{suffix}"))
}

/// Writes a file through a temporary file in the same directory and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = sibling(path, &format!("{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes).map_err(|error| Error::io(&temporary, error))?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_round_trips_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        let empty = LockFile::read(&path).unwrap();
        assert!(empty.workspaces.is_empty());
        let mut lock = empty;
        let workspace = lock.workspaces.entry("w1".to_owned()).or_default();
        workspace.sources.insert(
            "pg".to_owned(),
            Locked {
                id: "s1".to_owned(),
                secrets: [("/password".to_owned(), "pbkdf2-sha256$1$a$b".to_owned())].into(),
            },
        );
        workspace.retired.push(Retired {
            kind: Kind::Connection,
            id: "c0".to_owned(),
            key: "old".to_owned(),
        });
        lock.write(&path).unwrap();
        let back = LockFile::read(&path).unwrap();
        assert_eq!(back, lock);
        assert_eq!(back.workspace("w1").id(Kind::Source, "pg"), Some("s1"));
        assert_eq!(back.workspace("w2"), WorkspaceLock::default());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"kind\": \"connection\""), "{text}");
        assert_eq!(lock.to_text(), text, "the same lock gives the same bytes");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_damaged_lock_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        std::fs::write(&path, "{not json").unwrap();
        let error = LockFile::read(&path).unwrap_err();
        assert!(
            error.to_string().contains("finds resources by name"),
            "{error}"
        );
        std::fs::write(&path, r#"{"version": 99, "workspaces": {}}"#).unwrap();
        assert!(
            LockFile::read(&path)
                .unwrap_err()
                .to_string()
                .contains("version 99")
        );
    }
}
