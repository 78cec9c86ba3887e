//! The connector definitions catalogue (`GET /connector_definitions`): every connector a
//! workspace may run, Airbyte's and its own custom ones, searchable by name.

use airbyte_models::ops;
use airbyte_models::{ConnectorDefinitionResponse, ConnectorType, DefinitionId, ListResponse};

use crate::ResourceKind;
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudWorkspace, Error, Result};

/// The connector definitions of the catalogue: returned by
/// [`CloudWorkspace::list_connector_definitions`], with a name search besides the filters of
/// every [`ListItems`].
pub type ConnectorDefinitions =
    ListItems<ConnectorDefinitionResponse, ConnectorDefinitionResponse, CatalogueSearch>;

/// The filters of [`ConnectorDefinitions`]; set through its builder methods.
#[derive(Clone, Debug)]
pub struct CatalogueSearch {
    connector_type: ConnectorType,
    name_contains: Option<String>,
}

impl ConnectorDefinitions {
    /// Only definitions whose name contains `text`, ignoring case (the API has no search:
    /// the catalogue comes in one answer and is searched here).
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.query_mut().name_contains = Some(text.into().to_lowercase());
        self
    }
}

/// Whether a catalogue name stands for a connector type people write (`faker`, `dev-null`,
/// `source-faker`): the same words, ignoring case, spaces and dashes.
fn names_type(name: &str, wanted: &str) -> bool {
    let fold = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    fold(name) == fold(wanted)
}

impl CloudWorkspace {
    /// The catalogue of source or destination definitions this workspace may run: Airbyte's
    /// and the workspace's custom ones, in one request (see [`ConnectorDefinitions`] for the
    /// name search and [`ListItems`] for the other filters).
    ///
    /// ```no_run
    /// # async fn demo(workspace: airbyte_cloud::CloudWorkspace) -> airbyte_cloud::Result<()> {
    /// use airbyte_cloud::ConnectorType;
    /// let postgres = workspace
    ///     .list_connector_definitions(ConnectorType::Source)
    ///     .name_contains("postgres")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_connector_definitions(
        &self,
        connector_type: ConnectorType,
    ) -> ConnectorDefinitions {
        let keys = ItemKeys {
            id: |definition: &ConnectorDefinitionResponse| definition.id.to_string(),
            name: Some(|definition| &definition.name),
        };
        let query = CatalogueSearch {
            connector_type,
            name_contains: None,
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "connector definitions",
            keys,
            query,
            |request: ListRequest<CatalogueSearch>| async move {
                let workspace = &request.workspace;
                let search = request.query;
                let catalogue = workspace
                    .client()
                    .execute(ops::public::connector_definitions::list(
                        &search.connector_type,
                        Some(workspace.id()),
                    ))
                    .await
                    .map_err(missing_on_404(
                        ResourceKind::Workspace,
                        workspace.id().as_str(),
                    ))?;
                let mut data = catalogue.data;
                // A definition of the other kind is never handed out.
                data.retain(|definition| {
                    definition.connector_definition_type == search.connector_type
                        && search
                            .name_contains
                            .as_deref()
                            .is_none_or(|text| definition.name.to_lowercase().contains(text))
                });
                Ok(ListResponse::new(data))
            },
        )
    }

    /// The definition of a connector type of the catalogue (`faker`, `source-faker`,
    /// `dev-null`): the one whose name is the type, ignoring case, spaces and dashes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a blank type (nothing sent); [`Error::MissingResource`]
    /// naming the type when no definition matches; [`Error::InvalidInput`] naming the
    /// candidates when several do; transport errors.
    pub async fn find_connector_definition(
        &self,
        connector_type: ConnectorType,
        type_name: &str,
    ) -> Result<DefinitionId> {
        let prefix = match connector_type {
            ConnectorType::Destination => "destination-",
            _ => "source-",
        };
        let trimmed = type_name.trim();
        let short = trimmed.strip_prefix(prefix).unwrap_or(trimmed).to_owned();
        if short.is_empty() {
            return Err(Error::invalid("a connector type must not be empty"));
        }
        let matches = self
            .list_connector_definitions(connector_type)
            .filter(move |definition| names_type(&definition.name, &short))
            .collect()
            .await?;
        match matches.as_slice() {
            [] => Err(Error::MissingResource {
                kind: ResourceKind::ConnectorDefinition,
                id: trimmed.to_owned(),
                source: None,
            }),
            [one] => Ok(one.id.clone()),
            several => Err(Error::invalid(format!(
                "connector type {trimmed:?} names {} definitions ({}); give a definition ID",
                several.len(),
                several
                    .iter()
                    .map(|definition| format!("{} {}", definition.name, definition.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names_type;

    #[test]
    fn types_match_names_whatever_the_case_spaces_and_dashes() {
        assert!(names_type("faker", "faker"));
        assert!(names_type("Dev Null", "dev-null"));
        assert!(names_type("Google-Ads", "google ads"));
        assert!(!names_type("postgres", "postgresql"));
    }
}
