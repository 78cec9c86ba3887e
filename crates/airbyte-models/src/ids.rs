//! Typed IDs of Airbyte resources.
//!
//! Each ID is its own type, so a source ID cannot be passed where a connection ID is expected.
//! String IDs share their text through an `Arc`, so cloning one is cheap. All of them refuse an
//! empty value when parsed, and (de)serialize as plain JSON strings; [`JobId`] is an integer.

use std::fmt;
use std::str::FromStr;

use crate::macros::string_id;

string_id!(
    /// The ID of a workspace.
    WorkspaceId,
    "workspace ID"
);
string_id!(
    /// The ID of a source (a configured source connector).
    SourceId,
    "source ID"
);
string_id!(
    /// The ID of a destination (a configured destination connector).
    DestinationId,
    "destination ID"
);
string_id!(
    /// The ID of a connection between a source and a destination.
    ConnectionId,
    "connection ID"
);
string_id!(
    /// The ID of a connector definition (catalog, Docker custom or declarative).
    DefinitionId,
    "definition ID"
);
string_id!(
    /// The ID of an organization.
    OrganizationId,
    "organization ID"
);
string_id!(
    /// The ID of a tag.
    TagId,
    "tag ID"
);
string_id!(
    /// The ID of a Connector Builder project (Config API).
    BuilderProjectId,
    "builder project ID"
);
string_id!(
    /// The ID of a user.
    UserId,
    "user ID"
);
string_id!(
    /// The ID of an application (a client ID and secret that mint access tokens).
    ApplicationId,
    "application ID"
);
string_id!(
    /// The ID of a permission (of a user or of a group).
    PermissionId,
    "permission ID"
);
string_id!(
    /// The ID of a group of users.
    GroupId,
    "group ID"
);
string_id!(
    /// The ID of a region (a data plane group of an organization).
    RegionId,
    "region ID"
);
string_id!(
    /// The ID of a data plane.
    DataplaneId,
    "dataplane ID"
);

/// The ID of a job (a sync, reset or clear run). Unlike other IDs it is an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(i64);

impl JobId {
    /// Creates a job ID.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidJobId`](crate::Error::InvalidJobId) when the value is negative.
    pub fn new(value: i64) -> Result<Self, crate::Error> {
        if value < 0 {
            return Err(crate::Error::InvalidJobId {
                value: value.to_string(),
            });
        }
        Ok(Self(value))
    }

    /// The numeric value.
    #[must_use]
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for JobId {
    type Err = crate::Error;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let invalid = || crate::Error::InvalidJobId {
            value: value.to_owned(),
        };
        let number: i64 = value.trim().parse().map_err(|_| invalid())?;
        Self::new(number).map_err(|_| invalid())
    }
}

impl TryFrom<i64> for JobId {
    type Error = crate::Error;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<JobId> for i64 {
    fn from(id: JobId) -> Self {
        id.0
    }
}

impl serde::Serialize for JobId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for JobId {
    /// Accepts a JSON integer and, leniently, a string holding one.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JobIdVisitor;

        impl serde::de::Visitor<'_> for JobIdVisitor {
            type Value = JobId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer job ID")
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<JobId, E> {
                JobId::new(value).map_err(E::custom)
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<JobId, E> {
                let value = i64::try_from(value).map_err(E::custom)?;
                JobId::new(value).map_err(E::custom)
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<JobId, E> {
                value.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_any(JobIdVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_ids_are_rejected() {
        assert!(SourceId::new("").is_err());
        assert!(" \t".parse::<WorkspaceId>().is_err());
        let error = ConnectionId::new("").unwrap_err();
        assert_eq!(error.to_string(), "connection ID must not be empty");
    }

    #[test]
    fn ids_display_and_serialize_as_plain_strings() {
        let id: SourceId = "0c31738c-0b2d-4887-b506-e2cd1c39cc35".parse().unwrap();
        assert_eq!(id.to_string(), "0c31738c-0b2d-4887-b506-e2cd1c39cc35");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"0c31738c-0b2d-4887-b506-e2cd1c39cc35\""
        );
        assert_eq!(
            format!("{id:?}"),
            "SourceId(\"0c31738c-0b2d-4887-b506-e2cd1c39cc35\")"
        );
        assert!(serde_json::from_str::<SourceId>("\"\"").is_err());
    }

    #[test]
    fn job_ids_parse_from_numbers_and_numeric_strings() {
        assert_eq!("42".parse::<JobId>().unwrap().get(), 42);
        assert!("-1".parse::<JobId>().is_err());
        assert!("".parse::<JobId>().is_err());
        assert!("4x".parse::<JobId>().is_err());
        assert_eq!(serde_json::from_str::<JobId>("1234").unwrap().get(), 1234);
        assert_eq!(serde_json::from_str::<JobId>("\"77\"").unwrap().get(), 77);
        assert!(serde_json::from_str::<JobId>("-3").is_err());
        assert_eq!(serde_json::to_string(&JobId::new(9).unwrap()).unwrap(), "9");
    }
}
