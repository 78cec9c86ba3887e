//! Stream discovery: the streams a source offers, from the Public API's stream properties.

use airbyte_models::{DestinationId, StreamProperties, ops};

use crate::ResourceKind;
use crate::error::missing_on_404;
use crate::{CloudSource, Result};

impl CloudSource {
    /// The streams the source offers, with their sync modes, default cursor, primary key and
    /// fields (`GET /streams`). With a destination, the sync modes are those both support.
    /// `refresh` runs a new discovery instead of reading the cached catalog, which can take
    /// minutes.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`](crate::Error::MissingResource) when the source (or the
    /// destination) does not exist; transport errors.
    pub async fn stream_properties(
        &self,
        destination: Option<&DestinationId>,
        refresh: bool,
    ) -> Result<Vec<StreamProperties>> {
        self.workspace()
            .client()
            .execute(ops::public::streams::get(self.id(), destination, refresh))
            .await
            .map_err(missing_on_404(ResourceKind::Source, self.id().as_str()))
    }

    /// The names of the streams the source offers (from the cached catalog).
    ///
    /// # Errors
    ///
    /// As [`CloudSource::stream_properties`].
    pub async fn available_streams(&self) -> Result<Vec<String>> {
        Ok(self
            .stream_properties(None, false)
            .await?
            .into_iter()
            .filter_map(|stream| stream.stream_name)
            .collect())
    }
}
