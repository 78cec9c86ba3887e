//! Tagging a connection: reading, setting, adding and removing its tags.
//!
//! The API replaces a connection's tags as a whole, so adding and removing read the tags
//! first (fresh) and send the result. Every tag given is read first and must belong to the
//! connection's workspace: nothing is written otherwise.

use airbyte_models::{ConnectionPatchRequest, ConnectionResponse, Tag, TagId};

use crate::{CloudConnection, Error, Result};

impl CloudConnection {
    /// The connection's tags, from its cached details (fetched on first use).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn tags(&self) -> Result<Vec<Tag>> {
        Ok(self.details().await?.tags)
    }

    /// Makes `tag_ids` the connection's tags (an empty list removes them all).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (a tag given twice), [`Error::MissingResource`] (a tag that
    /// does not exist) or [`Error::WorkspaceMismatch`] (a tag or the connection of another
    /// workspace) before anything is written; transport errors.
    pub async fn set_tags(&self, tag_ids: &[TagId]) -> Result<ConnectionResponse> {
        let tags = self.read_tags(tag_ids).await?;
        self.verify_before_write().await?;
        self.send_tags(tags).await
    }

    /// Adds tags to the connection, keeping those it has; a tag it has already is left as
    /// it is. Another caller's change between the read and the write is overwritten (the API
    /// has no conditional update).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::set_tags`].
    pub async fn add_tags(&self, tag_ids: &[TagId]) -> Result<ConnectionResponse> {
        let added = self.read_tags(tag_ids).await?;
        let mut tags = self.info().await?.tags;
        for tag in added {
            if !tags.iter().any(|have| have.tag_id == tag.tag_id) {
                tags.push(tag);
            }
        }
        self.send_tags(tags).await
    }

    /// Removes tags from the connection; a tag it does not have is ignored (the tags are not
    /// read: a tag deleted since can still be removed).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (a tag given twice), [`Error::MissingResource`],
    /// [`Error::WorkspaceMismatch`], or transport errors.
    pub async fn remove_tags(&self, tag_ids: &[TagId]) -> Result<ConnectionResponse> {
        check_distinct(tag_ids)?;
        let mut tags = self.info().await?.tags;
        tags.retain(|tag| !tag_ids.contains(&tag.tag_id));
        self.send_tags(tags).await
    }

    /// Reads every tag (each checked to belong to the workspace), refusing repeats.
    async fn read_tags(&self, tag_ids: &[TagId]) -> Result<Vec<Tag>> {
        check_distinct(tag_ids)?;
        let mut tags = Vec::with_capacity(tag_ids.len());
        for tag_id in tag_ids {
            tags.push(self.workspace().fetch_tag(tag_id).await?);
        }
        Ok(tags)
    }

    async fn send_tags(&self, tags: Vec<Tag>) -> Result<ConnectionResponse> {
        self.patch(ConnectionPatchRequest {
            tags: Some(tags),
            ..ConnectionPatchRequest::default()
        })
        .await
    }
}

fn check_distinct(tag_ids: &[TagId]) -> Result<()> {
    for (index, tag_id) in tag_ids.iter().enumerate() {
        if tag_ids[..index].contains(tag_id) {
            return Err(Error::invalid(format!("tag {tag_id} is given twice")));
        }
    }
    Ok(())
}
