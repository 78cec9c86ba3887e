//! Tags of a workspace: listing, creating, changing and deleting them.
//!
//! Tags label connections (see [`CloudConnection::update`](crate::CloudConnection::update) and
//! [`DeployConnection::tags`](crate::DeployConnection::tags)). They use the `airbyte-models`
//! types ([`Tag`], [`TagId`]) as they are; the checks the server applies (a name of at most 30
//! characters, a six-digit hexadecimal colour) run here before anything is sent.

use airbyte_models::ops;
use airbyte_models::{ListResponse, Tag, TagCreateRequest, TagId, TagPatchRequest};

use crate::ResourceKind;
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::naming::check_safe_mode;
use crate::{CloudWorkspace, Error, Result};

/// The longest tag name the server accepts, in characters.
pub const MAX_TAG_NAME_CHARS: usize = 30;

/// Checks a tag's name and colour as the server would: a name that is not blank and has at
/// most [`MAX_TAG_NAME_CHARS`] characters, and a colour of six hexadecimal digits (`FF5733`).
///
/// # Errors
///
/// [`Error::InvalidInput`] naming what is wrong.
pub fn check_tag(name: &str, color: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("a tag name must not be empty"));
    }
    if name.chars().count() > MAX_TAG_NAME_CHARS {
        return Err(Error::invalid(format!(
            "tag name {name:?} is longer than {MAX_TAG_NAME_CHARS} characters"
        )));
    }
    if color.len() != 6 || !color.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::invalid(format!(
            "tag colour {color:?} is not six hexadecimal digits such as FF5733"
        )));
    }
    Ok(())
}

impl CloudWorkspace {
    /// The workspace's tags, answered in one request (the list is not paged; see
    /// [`ListItems`] for filters).
    pub fn list_tags(&self) -> ListItems<Tag, Tag> {
        let keys = ItemKeys {
            id: |tag: &Tag| tag.tag_id.to_string(),
            name: Some(|tag| &tag.name),
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "tags",
            keys,
            (),
            |request: ListRequest<()>| async move {
                let workspace = &request.workspace;
                let tags = workspace
                    .execute(ops::public::tags::list(std::slice::from_ref(
                        workspace.id(),
                    )))
                    .await?;
                // The filter is the server's; a tag of another workspace is never handed out.
                let mut data = tags.data;
                data.retain(|tag| tag.workspace_id == *workspace.id());
                Ok(ListResponse::new(data))
            },
        )
    }

    /// Creates a tag, checked first (see [`check_tag`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before anything is sent; transport errors (409 when a tag of
    /// that name exists).
    pub async fn create_tag(&self, name: &str, color: &str) -> Result<Tag> {
        check_tag(name, color)?;
        let request = TagCreateRequest {
            name: name.to_owned(),
            color: color.to_owned(),
            workspace_id: self.id().clone(),
        };
        self.execute(ops::public::tags::create(&request)).await
    }

    /// Reads a tag and checks that it belongs to this workspace.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or transport errors.
    #[doc(alias = "get_tag")]
    pub async fn fetch_tag(&self, tag_id: &TagId) -> Result<Tag> {
        let tag = self
            .client()
            .execute(ops::public::tags::get(tag_id))
            .await
            .map_err(missing_on_404(ResourceKind::Tag, tag_id.as_str()))?;
        self.verify_workspace(ResourceKind::Tag, tag_id.as_str(), &tag.workspace_id, false)?;
        Ok(tag)
    }

    /// Renames a tag or changes its colour (the API takes both), after checking them and the
    /// tag's workspace.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] or [`Error::WorkspaceMismatch`] (nothing sent),
    /// [`Error::MissingResource`], or transport errors.
    pub async fn update_tag(&self, tag_id: &TagId, name: &str, color: &str) -> Result<Tag> {
        check_tag(name, color)?;
        self.fetch_tag(tag_id).await?;
        let request = TagPatchRequest {
            name: name.to_owned(),
            color: color.to_owned(),
        };
        let tag = self
            .client()
            .execute(ops::public::tags::patch(tag_id, &request))
            .await
            .map_err(missing_on_404(ResourceKind::Tag, tag_id.as_str()))?;
        self.verify_workspace(ResourceKind::Tag, tag_id.as_str(), &tag.workspace_id, true)?;
        Ok(tag)
    }

    /// Deletes a tag (connections lose it; nothing else is deleted). The tag is read first:
    /// its workspace is checked and, with `safe_mode`, its name must contain `delete-me` or
    /// `deleteme`. A tag already gone counts as deleted.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] or [`Error::WorkspaceMismatch`] (nothing sent), or transport
    /// errors.
    pub async fn delete_tag(&self, tag_id: &TagId, safe_mode: bool) -> Result<()> {
        let tag = match self.fetch_tag(tag_id).await {
            Ok(tag) => tag,
            Err(error) if error.is_not_found() => return Ok(()),
            Err(error) => return Err(error),
        };
        check_safe_mode(safe_mode, ResourceKind::Tag, tag_id.as_str(), &tag.name)?;
        match self.execute(ops::public::tags::delete(tag_id)).await {
            Err(error) if error.is_not_found() => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_as_the_server_checks_them() {
        assert!(check_tag("critical", "E53935").is_ok());
        assert!(check_tag("critical", "e53935").is_ok());
        assert!(check_tag(" ", "E53935").is_err());
        assert!(check_tag(&"x".repeat(31), "E53935").is_err());
        assert!(check_tag(&"é".repeat(30), "E53935").is_ok());
        assert!(check_tag("critical", "#E5393").is_err());
        assert!(check_tag("critical", "red").is_err());
    }
}
