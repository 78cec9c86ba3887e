//! The connectors of a workspace that may run a custom definition: what the server deletes
//! with the definition, so what a delete of it must name first.

use airbyte_models::ops::ListParams;
use airbyte_models::{DefinitionId, DestinationResponse, SourceResponse};

use crate::connector::ConnectorKind;
use crate::paging::collect_overlapping;
use crate::{CloudWorkspace, Result};

/// The definition a connector runs, as the server's answer says it (older servers leave it
/// out).
pub(crate) trait RunsDefinition {
    fn definition(&self) -> Option<&DefinitionId>;
}

impl RunsDefinition for SourceResponse {
    fn definition(&self) -> Option<&DefinitionId> {
        self.definition_id.as_ref()
    }
}

impl RunsDefinition for DestinationResponse {
    fn definition(&self) -> Option<&DefinitionId> {
        self.definition_id.as_ref()
    }
}

impl CloudWorkspace {
    /// The connectors of kind `K` that name `definition`, and those whose definition the
    /// server leaves out (any of them may run it), read fresh from every page; deleted ones too
    /// when `include_deleted`.
    ///
    /// Connectors say nothing of their deletion, so (without `include_deleted`) the list
    /// without deleted ones is read, in overlapping pages: a connector another caller deletes
    /// meanwhile must not hide one.
    pub(crate) async fn connectors_maybe_running<K>(
        &self,
        definition: &DefinitionId,
        include_deleted: bool,
    ) -> Result<Vec<K::Response>>
    where
        K: ConnectorKind<Response: RunsDefinition>,
    {
        let spec = self.page_spec(K::LIST, |response: &K::Response| {
            K::id_of(response).as_ref().to_owned()
        });
        collect_overlapping(
            spec,
            |response| response.definition().is_none_or(|id| id == definition),
            |offset, limit| {
                let params = ListParams {
                    workspace_ids: vec![self.id().clone()],
                    include_deleted,
                    limit,
                    offset,
                };
                self.execute(K::list(&params))
            },
        )
        .await
    }
}
