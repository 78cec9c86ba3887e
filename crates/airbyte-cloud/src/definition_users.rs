//! The connectors of a workspace that may run a custom definition: what the server deletes
//! with the definition, so what a delete of it must name first.

use airbyte_models::DefinitionId;
use airbyte_models::ops::ListParams;

use crate::connector::ConnectorKind;
use crate::paging::collect_overlapping;
use crate::{CloudWorkspace, Result};

impl CloudWorkspace {
    /// The connectors of kind `K` that name `definition`, and those whose definition the
    /// server leaves out (any of them may run it), read fresh from every page.
    ///
    /// Connectors say nothing of their deletion, so the list without deleted ones is read, in
    /// overlapping pages: a connector another caller deletes meanwhile must not hide one.
    pub(crate) async fn connectors_maybe_running<K: ConnectorKind>(
        &self,
        definition: &DefinitionId,
    ) -> Result<Vec<K::Response>> {
        let spec = self.page_spec(K::LIST, |response: &K::Response| {
            K::id_of(response).as_ref().to_owned()
        });
        collect_overlapping(
            spec,
            |response| K::definition_of(response).is_none_or(|id| id == definition),
            |offset, limit| {
                let params = ListParams {
                    workspace_ids: vec![self.id().clone()],
                    include_deleted: false,
                    limit,
                    offset,
                };
                self.execute(K::list(&params))
            },
        )
        .await
    }
}
