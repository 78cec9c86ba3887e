//! Tags of connections.

use serde::{Deserialize, Serialize};

use crate::{TagId, WorkspaceId};

/// A tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    /// The tag's ID.
    pub tag_id: TagId,
    /// The workspace the tag belongs to.
    pub workspace_id: WorkspaceId,
    /// The name (at most 30 characters).
    pub name: String,
    /// The color, as a hexadecimal RGB string such as `FF5733`.
    pub color: String,
}

/// A tag as returned by the tag routes.
pub type TagResponse = Tag;

/// The answer of `GET /tags` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagsResponse {
    /// The tags.
    #[serde(default)]
    pub data: Vec<Tag>,
}

/// The body of `POST /tags`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagCreateRequest {
    /// The name.
    pub name: String,
    /// The color (`FF5733`).
    pub color: String,
    /// The workspace.
    pub workspace_id: WorkspaceId,
}

/// The body of `PATCH /tags/{tagId}`: both fields are required despite the verb.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagPatchRequest {
    /// The name.
    pub name: String,
    /// The color.
    pub color: String,
}
