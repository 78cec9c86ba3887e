//! Query parameters of the paginated Public API lists.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{ConnectionId, JobStatus, JobType, OrganizationId, TagId, UserId, WorkspaceId};

/// The largest page the Public API serves.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Filters and page of `GET /workspaces`, `/sources` and `/destinations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListParams {
    /// Only these workspaces; every accessible workspace when empty.
    pub workspace_ids: Vec<WorkspaceId>,
    /// Whether to include deleted resources.
    pub include_deleted: bool,
    /// Page size, 1 to [`MAX_PAGE_SIZE`]; the API's default is 20.
    pub limit: u32,
    /// Items to skip.
    pub offset: u32,
}

impl Default for ListParams {
    fn default() -> Self {
        Self {
            workspace_ids: Vec::new(),
            include_deleted: false,
            limit: 20,
            offset: 0,
        }
    }
}

impl ListParams {
    /// The first page of `limit` items in one workspace.
    #[must_use]
    pub fn in_workspace(workspace_id: WorkspaceId, limit: u32) -> Self {
        Self {
            workspace_ids: vec![workspace_id],
            limit,
            ..Self::default()
        }
    }

    /// Why the page is out of the API's bounds, if it is.
    #[must_use]
    pub fn validate(&self) -> Option<String> {
        validate_page(self.limit, self.offset)
    }
}

/// A page of a list that has no other filters (`GET /groups/{groupId}/members`) or whose
/// filters are arguments of their own (`GET /groups`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageParams {
    /// Page size, 1 to [`MAX_PAGE_SIZE`]; the API's default is 20.
    pub limit: u32,
    /// Items to skip.
    pub offset: u32,
}

impl Default for PageParams {
    fn default() -> Self {
        Self {
            limit: 20,
            offset: 0,
        }
    }
}

impl PageParams {
    /// The page of `limit` items after `offset` items.
    #[must_use]
    pub fn new(limit: u32, offset: u32) -> Self {
        Self { limit, offset }
    }

    /// Why the page is out of the API's bounds, if it is.
    #[must_use]
    pub fn validate(&self) -> Option<String> {
        validate_page(self.limit, self.offset)
    }
}

/// Filters of `GET /users`: the users of one organization, optionally only some of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserListParams {
    /// The organization (required).
    pub organization_id: OrganizationId,
    /// Only these users.
    pub ids: Vec<UserId>,
    /// Only the users with these email addresses.
    pub emails: Vec<String>,
}

impl UserListParams {
    /// Every user of an organization.
    #[must_use]
    pub fn in_organization(organization_id: OrganizationId) -> Self {
        Self {
            organization_id,
            ids: Vec::new(),
            emails: Vec::new(),
        }
    }
}

/// Filters of `GET /permissions`. Without a filter the server lists the caller's own
/// permissions; another user's need `organization_id` and an organization admin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PermissionListParams {
    /// Only this user's permissions.
    pub user_id: Option<UserId>,
    /// Only permissions in this organization (on it or on its workspaces).
    pub organization_id: Option<OrganizationId>,
}

pub(crate) fn validate_page(limit: u32, offset: u32) -> Option<String> {
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Some(format!(
            "page size (limit) must be between 1 and {MAX_PAGE_SIZE}, got {limit}"
        ));
    }
    if i32::try_from(offset).is_err() {
        return Some(format!("offset must be at most {}, got {offset}", i32::MAX));
    }
    None
}

/// Filters and page of `GET /connections`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionListParams {
    /// Workspaces, deleted items and page.
    pub list: ListParams,
    /// Only connections with all of these tags.
    pub tag_ids: Vec<TagId>,
}

/// The field jobs are ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobOrderField {
    /// Creation time.
    CreatedAt,
    /// Last update time.
    UpdatedAt,
}

/// A sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

/// The order of a job list, sent as `orderBy=createdAt|DESC`. Without it the server orders
/// oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct JobOrder {
    /// The field.
    pub field: JobOrderField,
    /// The direction.
    pub direction: SortDirection,
}

impl JobOrder {
    /// Newest first by creation time.
    pub const NEWEST_FIRST: Self = Self {
        field: JobOrderField::CreatedAt,
        direction: SortDirection::Desc,
    };
    /// Oldest first by creation time (the server's default).
    pub const OLDEST_FIRST: Self = Self {
        field: JobOrderField::CreatedAt,
        direction: SortDirection::Asc,
    };
}

impl fmt::Display for JobOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = match self.field {
            JobOrderField::CreatedAt => "createdAt",
            JobOrderField::UpdatedAt => "updatedAt",
        };
        let direction = match self.direction {
            SortDirection::Asc => "ASC",
            SortDirection::Desc => "DESC",
        };
        write!(f, "{field}|{direction}")
    }
}

impl FromStr for JobOrder {
    type Err = crate::Error;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let invalid = || crate::Error::InvalidJobOrder {
            value: value.to_owned(),
        };
        let (field, direction) = value.split_once('|').ok_or_else(invalid)?;
        let field = match field {
            "createdAt" => JobOrderField::CreatedAt,
            "updatedAt" => JobOrderField::UpdatedAt,
            _ => return Err(invalid()),
        };
        let direction = match direction {
            "ASC" => SortDirection::Asc,
            "DESC" => SortDirection::Desc,
            _ => return Err(invalid()),
        };
        Ok(Self { field, direction })
    }
}

/// Filters and page of `GET /jobs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobListParams {
    /// Only this connection's jobs.
    pub connection_id: Option<ConnectionId>,
    /// Only these workspaces' jobs (when no connection is given).
    pub workspace_ids: Vec<WorkspaceId>,
    /// Only this type; the server lists syncs and resets when absent.
    pub job_type: Option<JobType>,
    /// Only this status.
    pub status: Option<JobStatus>,
    /// Created at or after.
    pub created_at_start: Option<OffsetDateTime>,
    /// Created at or before.
    pub created_at_end: Option<OffsetDateTime>,
    /// Updated at or after.
    pub updated_at_start: Option<OffsetDateTime>,
    /// Updated at or before.
    pub updated_at_end: Option<OffsetDateTime>,
    /// The order; always send one, since the server's default is oldest first.
    pub order_by: Option<JobOrder>,
    /// Page size, 1 to [`MAX_PAGE_SIZE`].
    pub limit: u32,
    /// Items to skip.
    pub offset: u32,
}

impl Default for JobListParams {
    fn default() -> Self {
        Self {
            connection_id: None,
            workspace_ids: Vec::new(),
            job_type: None,
            status: None,
            created_at_start: None,
            created_at_end: None,
            updated_at_start: None,
            updated_at_end: None,
            order_by: Some(JobOrder::NEWEST_FIRST),
            limit: 20,
            offset: 0,
        }
    }
}

pub(crate) fn format_query_datetime(instant: OffsetDateTime) -> String {
    instant
        .format(&Rfc3339)
        .unwrap_or_else(|_| crate::format_server_datetime(instant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_orders_round_trip_through_text() {
        for text in [
            "createdAt|ASC",
            "createdAt|DESC",
            "updatedAt|ASC",
            "updatedAt|DESC",
        ] {
            assert_eq!(text.parse::<JobOrder>().unwrap().to_string(), text);
        }
        for bad in ["createdAt", "name|ASC", "createdAt|desc", ""] {
            assert!(bad.parse::<JobOrder>().is_err(), "{bad}");
        }
    }

    #[test]
    fn page_bounds_are_checked() {
        assert!(validate_page(0, 0).is_some());
        assert!(validate_page(101, 0).is_some());
        assert!(validate_page(100, u32::MAX).is_some());
        assert!(validate_page(1, 0).is_none());
    }
}
