//! OAuth: the OAuth clients workspaces and organizations set for connectors, consent flows
//! under way, and the secrets completed flows leave for a source create.

use serde_json::Value;

use super::ActorKind;
use super::table::Row;

/// Where an OAuth credential override applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OverrideScope {
    Workspace(String),
    Organization(String),
}

/// The OAuth client a workspace or an organization uses for one connector.
#[derive(Clone, Debug)]
pub(crate) struct OAuthOverrideRec {
    pub(crate) scope: OverrideScope,
    pub(crate) kind: ActorKind,
    /// The connector's name (`google-ads`).
    pub(crate) name: String,
    pub(crate) configuration: Value,
}

impl OAuthOverrideRec {
    /// The client ID the override names (`credentials.client_id`, or `client_id`).
    pub(crate) fn client_id(&self) -> Option<&str> {
        self.configuration
            .pointer("/credentials/client_id")
            .or_else(|| self.configuration.get("client_id"))
            .and_then(Value::as_str)
    }
}

/// A consent flow started by `initiateOAuth`, waiting for its callback.
#[derive(Clone, Debug)]
pub(crate) struct OAuthFlowRec {
    /// The `state` the identity provider hands back to the callback.
    pub(crate) state: String,
    pub(crate) workspace_id: String,
    pub(crate) definition_id: String,
    pub(crate) redirect_url: String,
    /// The OAuth client the flow used.
    pub(crate) client_id: String,
}

impl Row for OAuthFlowRec {
    fn id(&self) -> &str {
        &self.state
    }
}

/// What a completed flow leaves: credentials a source create takes by `secretId`.
#[derive(Clone, Debug)]
pub(crate) struct OAuthSecretRec {
    pub(crate) id: String,
    pub(crate) workspace_id: String,
    pub(crate) definition_id: String,
    /// Merged into the configuration of the source created with it.
    pub(crate) configuration: Value,
}

impl Row for OAuthSecretRec {
    fn id(&self) -> &str {
        &self.id
    }
}
