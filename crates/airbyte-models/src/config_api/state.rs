//! `state/get` and `state/create_or_update_safe`: a connection's sync state.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ConnectionId;
use crate::macros::open_enum;

/// `{"connectionId": ...}`: the body of `state/get` and other connection routes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionIdRequest {
    /// The connection.
    pub connection_id: ConnectionId,
}

open_enum!(
    /// The shape of a connection's state.
    ConnectionStateType {
        /// One shared state plus per-stream states (`globalState`).
        Global = "global",
        /// Per-stream states (`streamState`).
        Stream = "stream",
        /// One opaque legacy blob (`state`).
        Legacy = "legacy",
        /// No state yet.
        NotSet = "not_set",
    }
);

/// A stream's name and namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StreamDescriptor {
    /// The name.
    pub name: String,
    /// The namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl StreamDescriptor {
    /// A descriptor.
    #[must_use]
    pub fn new(name: impl Into<String>, namespace: Option<String>) -> Self {
        Self {
            name: name.into(),
            namespace,
        }
    }

    /// Whether this describes the stream `name` in `namespace`, treating a missing namespace and
    /// an empty one as equal.
    #[must_use]
    pub fn matches(&self, name: &str, namespace: Option<&str>) -> bool {
        fn normalize(namespace: Option<&str>) -> Option<&str> {
            namespace.filter(|ns| !ns.is_empty())
        }
        self.name == name && normalize(self.namespace.as_deref()) == normalize(namespace)
    }
}

/// The state of one stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamState {
    /// The stream.
    pub stream_descriptor: StreamDescriptor,
    /// The connector's opaque state blob.
    #[serde(
        default,
        deserialize_with = "crate::serde_util::keep_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub stream_state: Option<Value>,
}

/// A global state: one shared blob plus per-stream states.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalState {
    /// The shared blob. The wire name is snake case, `shared_state`; `sharedState` (which
    /// PyAirbyte sends) is accepted when decoding.
    #[serde(
        rename = "shared_state",
        alias = "sharedState",
        default,
        deserialize_with = "crate::serde_util::keep_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub shared_state: Option<Value>,
    /// Per-stream states.
    #[serde(default)]
    pub stream_states: Vec<StreamState>,
}

/// A connection's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionState {
    /// The shape of the state.
    pub state_type: ConnectionStateType,
    /// The connection.
    pub connection_id: ConnectionId,
    /// The legacy blob, for `legacy`.
    #[serde(
        default,
        deserialize_with = "crate::serde_util::keep_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub state: Option<Value>,
    /// Per-stream states, for `stream`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_state: Option<Vec<StreamState>>,
    /// The global state, for `global`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_state: Option<GlobalState>,
}

impl ConnectionState {
    /// An empty state (`not_set`) for a connection.
    #[must_use]
    pub fn not_set(connection_id: ConnectionId) -> Self {
        Self {
            state_type: ConnectionStateType::NotSet,
            connection_id,
            state: None,
            stream_state: None,
            global_state: None,
        }
    }

    /// The per-stream states of the state's type: `streamState` for `stream`, the global
    /// state's for `global`; for other types, whichever of the two holds some.
    #[must_use]
    pub fn stream_states(&self) -> &[StreamState] {
        let of_stream = self.stream_state.as_deref().unwrap_or_default();
        let of_global = self
            .global_state
            .as_ref()
            .map_or(&[][..], |global| global.stream_states.as_slice());
        match self.state_type {
            ConnectionStateType::Stream => of_stream,
            ConnectionStateType::Global => of_global,
            _ if !of_stream.is_empty() => of_stream,
            _ => of_global,
        }
    }

    /// The per-stream states, mutably, whichever of `stream` or `global` holds them; `None` for
    /// `legacy` and `not_set` states.
    pub fn stream_states_mut(&mut self) -> Option<&mut Vec<StreamState>> {
        match self.state_type {
            ConnectionStateType::Stream => Some(self.stream_state.get_or_insert_with(Vec::new)),
            ConnectionStateType::Global => Some(
                &mut self
                    .global_state
                    .get_or_insert_with(GlobalState::default)
                    .stream_states,
            ),
            _ => None,
        }
    }
}

/// The body of `state/create_or_update_safe`. The server answers 423 while a sync runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionStateCreateOrUpdate {
    /// The connection.
    pub connection_id: ConnectionId,
    /// The new state.
    pub connection_state: ConnectionState,
}
