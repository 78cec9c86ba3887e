//! A connection's state and catalog (Config API): dump, import, per-stream access, and the
//! Airbyte protocol's form of state messages.

use airbyte_models::ops;
use airbyte_models::{
    AirbyteCatalog, AirbyteStreamAndConfiguration, ConnectionState, ConnectionStateCreateOrUpdate,
    ConnectionStateType, GlobalState, StreamDescriptor, StreamState, WebBackendConnectionRead,
    WebBackendConnectionRequest, WebBackendConnectionUpdate,
};
use serde_json::{Value, json};

use crate::{CloudConnection, Error, Result};

/// Converts a connection state to Airbyte protocol state messages (`STREAM`, `GLOBAL` or
/// `LEGACY`); a state that is not set gives no message.
#[must_use]
pub fn state_to_messages(state: &ConnectionState) -> Vec<Value> {
    let descriptor = |descriptor: &StreamDescriptor| {
        let mut out = json!({"name": descriptor.name});
        if let Some(namespace) = &descriptor.namespace {
            out["namespace"] = Value::from(namespace.clone());
        }
        out
    };
    let stream_state = |stream: &StreamState| json!({"stream_descriptor": descriptor(&stream.stream_descriptor), "stream_state": stream.stream_state.clone().unwrap_or(Value::Null)});
    match &state.state_type {
        ConnectionStateType::Legacy => {
            vec![json!({"type": "LEGACY", "data": state.state.clone().unwrap_or(Value::Null)})]
        }
        ConnectionStateType::Global => {
            let global = state.global_state.clone().unwrap_or_default();
            vec![json!({"type": "GLOBAL", "global": {
                "shared_state": global.shared_state.unwrap_or(Value::Null),
                "stream_states": global.stream_states.iter().map(stream_state).collect::<Vec<_>>(),
            }})]
        }
        ConnectionStateType::Stream => state
            .stream_state
            .iter()
            .flatten()
            .map(|stream| json!({"type": "STREAM", "stream": stream_state(stream)}))
            .collect(),
        _ => Vec::new(),
    }
}

/// Builds a connection state from Airbyte protocol state messages: one `LEGACY` or `GLOBAL`
/// message, or any number of `STREAM` messages; none means not set.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the message that cannot be read, and for messages that would
/// overwrite each other (a second `GLOBAL` or `LEGACY` message, a stream named twice).
pub fn state_from_messages(
    connection: &airbyte_models::ConnectionId,
    messages: &[Value],
) -> Result<ConnectionState> {
    let mut state = ConnectionState::not_set(connection.clone());
    let descriptor = |value: &Value, index: usize| -> Result<StreamDescriptor> {
        let name = value.get("name").and_then(Value::as_str).ok_or_else(|| {
            Error::invalid(format!(
                "state message {index}: stream_descriptor.name is missing"
            ))
        })?;
        let namespace = value
            .get("namespace")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(StreamDescriptor::new(name, namespace))
    };
    let stream_state = |value: &Value, index: usize| -> Result<StreamState> {
        Ok(StreamState {
            stream_descriptor: descriptor(
                value.get("stream_descriptor").unwrap_or(&Value::Null),
                index,
            )?,
            stream_state: value.get("stream_state").cloned(),
        })
    };
    let mut streams = Vec::new();
    // The index of the GLOBAL or LEGACY message: a second one would replace it.
    let mut whole: Option<usize> = None;
    for (index, message) in messages.iter().enumerate() {
        let kind = message.get("type").and_then(Value::as_str);
        if matches!(kind, Some("GLOBAL" | "LEGACY")) {
            if let Some(first) = whole {
                return Err(Error::invalid(format!(
                    "state message {index}: a second GLOBAL or LEGACY message (the first is message {first}); a state holds one"
                )));
            }
            whole = Some(index);
        }
        match kind {
            Some("STREAM") => {
                let stream = message
                    .get("stream")
                    .ok_or_else(|| Error::invalid(format!("state message {index}: no `stream`")))?;
                streams.push(stream_state(stream, index)?);
            }
            Some("GLOBAL") => {
                let global = message
                    .get("global")
                    .ok_or_else(|| Error::invalid(format!("state message {index}: no `global`")))?;
                let stream_states = global
                    .get("stream_states")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .map(|item| stream_state(item, index))
                            .collect::<Result<Vec<_>>>()
                    })
                    .transpose()?
                    .unwrap_or_default();
                state.state_type = ConnectionStateType::Global;
                state.global_state = Some(GlobalState {
                    shared_state: global.get("shared_state").cloned(),
                    stream_states,
                });
            }
            Some("LEGACY") => {
                state.state_type = ConnectionStateType::Legacy;
                state.state = message.get("data").cloned();
            }
            other => {
                return Err(Error::invalid(format!(
                    "state message {index}: type must be STREAM, GLOBAL or LEGACY, got {other:?}"
                )));
            }
        }
    }
    let global_streams = state
        .global_state
        .as_ref()
        .map_or(&[][..], |global| &global.stream_states);
    if let Some(reason) = repeated_stream(global_streams).or_else(|| repeated_stream(&streams)) {
        return Err(Error::invalid(reason));
    }
    if !streams.is_empty() {
        if state.state_type != ConnectionStateType::NotSet {
            return Err(Error::invalid(
                "STREAM messages cannot be mixed with GLOBAL or LEGACY ones",
            ));
        }
        state.state_type = ConnectionStateType::Stream;
        state.stream_state = Some(streams);
    }
    Ok(state)
}

/// Why state naming a stream twice is refused: which of the two blobs the server keeps is
/// anyone's guess. A missing namespace and an empty one are the same.
fn repeated_stream(streams: &[StreamState]) -> Option<String> {
    streams.iter().enumerate().find_map(|(index, stream)| {
        let descriptor = &stream.stream_descriptor;
        streams[..index]
            .iter()
            .any(|earlier| {
                earlier
                    .stream_descriptor
                    .matches(&descriptor.name, descriptor.namespace.as_deref())
            })
            .then(|| format!("the state names stream {} twice", stream_label(descriptor)))
    })
}

/// Why state that carries per-stream state in a shape its type does not use is refused: the
/// server keeps one shape, and the checks would look at the other.
fn mixed_shapes(state: &ConnectionState) -> Option<String> {
    let per_stream = state.stream_state.as_deref().unwrap_or_default();
    let global = state.global_state.as_ref();
    let global_streams = global.map_or(&[][..], |global| global.stream_states.as_slice());
    let stray: Vec<String> = match state.state_type {
        ConnectionStateType::Stream => global_streams
            .iter()
            .map(|s| &s.stream_descriptor)
            .map(stream_label)
            .collect(),
        ConnectionStateType::Global => per_stream
            .iter()
            .map(|s| &s.stream_descriptor)
            .map(stream_label)
            .collect(),
        _ => per_stream
            .iter()
            .chain(global_streams)
            .map(|s| stream_label(&s.stream_descriptor))
            .collect(),
    };
    let shared = global.is_some_and(|global| global.shared_state.is_some());
    if stray.is_empty() && !(shared && state.state_type != ConnectionStateType::Global) {
        return None;
    }
    Some(format!(
        "the state is of type {} but also carries {}",
        state.state_type,
        if stray.is_empty() {
            "a global shared state".to_owned()
        } else {
            format!("state of streams {} in another shape", stray.join(", "))
        }
    ))
}

/// `namespace.name`, or `name` without a namespace.
fn stream_label(descriptor: &StreamDescriptor) -> String {
    match &descriptor.namespace {
        Some(namespace) if !namespace.is_empty() => format!("{namespace}.{}", descriptor.name),
        _ => descriptor.name.clone(),
    }
}

/// How an import of state or catalog is guarded.
///
/// By default an import that would damage the connection is refused with
/// [`Error::ImportRefused`] before anything is sent: state whose `connectionId` is another
/// connection's, state naming a stream twice, state of streams the connection does not have
/// or does not sync (see [`CloudConnection::check_state_import`]), a catalog that selects no
/// stream or selects streams the connection does not have. [`ImportOptions::force`] imports
/// anyway. The same checks run without importing with [`CloudConnection::check_state_import`]
/// and [`CloudConnection::check_catalog_import`] (a dry run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Import even what the checks refuse.
    pub force: bool,
}

impl ImportOptions {
    /// Import even what the checks refuse (default: no).
    #[must_use]
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

impl CloudConnection {
    fn map_locked(&self) -> impl FnOnce(airbyte_transport::Error) -> Error + '_ {
        move |error| {
            if error.is_locked() {
                Error::SyncActive {
                    connection_id: self.id().clone(),
                    source: Box::new(error),
                }
            } else {
                Error::Transport(error)
            }
        }
    }

    fn refuse(&self, what: &'static str, reason: String) -> Error {
        Error::ImportRefused {
            what,
            connection_id: self.id().clone(),
            reason,
        }
    }

    /// The connection's state as the Config API stores it, after checking that the connection
    /// belongs to the workspace.
    ///
    /// # Errors
    ///
    /// [`Error::WorkspaceMismatch`]; transport errors.
    #[doc(alias = "get_state_artifacts")]
    pub async fn dump_raw_state(&self) -> Result<ConnectionState> {
        self.verify_before_write().await?;
        self.workspace()
            .execute(ops::config::get_state(self.id()))
            .await
    }

    /// Replaces the connection's state, refusing state of another connection or of streams
    /// this connection does not sync (see [`CloudConnection::check_state_import`]).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::import_raw_state_with`].
    pub async fn import_raw_state(&self, state: ConnectionState) -> Result<ConnectionState> {
        self.import_raw_state_with(state, ImportOptions::default())
            .await
    }

    /// Replaces the connection's state, after the checks of
    /// [`CloudConnection::check_state_import`] (the workspace always; the rest unless forced).
    /// The connection ID is then set in the state.
    ///
    /// # Errors
    ///
    /// [`Error::ImportRefused`] or [`Error::WorkspaceMismatch`] before anything is sent;
    /// [`Error::SyncActive`] while a sync runs (HTTP 423); transport errors.
    pub async fn import_raw_state_with(
        &self,
        mut state: ConnectionState,
        options: ImportOptions,
    ) -> Result<ConnectionState> {
        self.check_state_import(&state, &options).await?;
        state.connection_id = self.id().clone();
        self.write_state(state).await
    }

    /// The checks of a state import, without importing (reads only): what
    /// [`CloudConnection::import_raw_state_with`] would refuse, it refuses with the same error.
    ///
    /// The connection must belong to the workspace. Unless forced, the state must be this
    /// connection's (its `connectionId`), in one shape (per-stream state only where its type
    /// keeps it), and name each stream once; and each stream it names must be one this
    /// connection syncs: selected in its catalog, or one whose state the connection already
    /// holds (its own state, dumped and imported again, always passes). State of a stream the
    /// catalog has but does not select is refused: no sync would use it until the stream is
    /// selected, so it most likely comes from another connection; select the stream first,
    /// or force the import.
    ///
    /// # Errors
    ///
    /// [`Error::ImportRefused`] naming the reason; [`Error::WorkspaceMismatch`]; transport
    /// errors.
    pub async fn check_state_import(
        &self,
        state: &ConnectionState,
        options: &ImportOptions,
    ) -> Result<()> {
        self.verify_before_write().await?;
        if options.force {
            return Ok(());
        }
        if state.connection_id != *self.id() {
            return Err(self.refuse(
                "state",
                format!("the state belongs to connection {}", state.connection_id),
            ));
        }
        if let Some(reason) = mixed_shapes(state).or_else(|| repeated_stream(state.stream_states()))
        {
            return Err(self.refuse("state", reason));
        }
        self.check_state_streams(state).await
    }

    /// Refuses state of streams that this connection does not sync: neither selected in its
    /// catalog nor held in its current state.
    async fn check_state_streams(&self, state: &ConnectionState) -> Result<()> {
        let streams = state.stream_states();
        if streams.is_empty() {
            return Ok(());
        }
        let catalog = self.dump_raw_catalog().await?.unwrap_or_default();
        let current = self.dump_raw_state().await?;
        let mut unknown = Vec::new();
        let mut unselected = Vec::new();
        for descriptor in streams.iter().map(|stream| &stream.stream_descriptor) {
            let held = current.stream_states().iter().any(|held| {
                held.stream_descriptor
                    .matches(&descriptor.name, descriptor.namespace.as_deref())
            });
            if held {
                continue;
            }
            let entry = catalog.streams.iter().find(|entry| {
                entry.stream.as_ref().is_some_and(|stream| {
                    stream.name == descriptor.name
                        && namespaces_agree(
                            stream.namespace.as_deref(),
                            descriptor.namespace.as_deref(),
                        )
                })
            });
            match entry {
                None => unknown.push(stream_label(descriptor)),
                Some(entry) if !is_selected(entry) => unselected.push(stream_label(descriptor)),
                Some(_) => {}
            }
        }
        let mut reasons = Vec::new();
        match unknown.as_slice() {
            [] => {}
            [one] => reasons.push(format!("stream {one} is not a stream of this connection")),
            many => reasons.push(format!(
                "streams {} are not streams of this connection",
                many.join(", ")
            )),
        }
        match unselected.as_slice() {
            [] => {}
            [one] => reasons.push(format!(
                "stream {one} is not selected in this connection (no sync would use its state until it is selected)"
            )),
            many => reasons.push(format!(
                "streams {} are not selected in this connection (no sync would use their state until they are selected)",
                many.join(", ")
            )),
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(self.refuse("state", reasons.join("; ")))
        }
    }

    async fn write_state(&self, state: ConnectionState) -> Result<ConnectionState> {
        let request = ConnectionStateCreateOrUpdate {
            connection_id: self.id().clone(),
            connection_state: state,
        };
        self.workspace()
            .client()
            .execute(ops::config::create_or_update_state_safe(&request))
            .await
            .map_err(self.map_locked())
    }

    /// The state as Airbyte protocol messages.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::dump_raw_state`].
    pub async fn dump_state_messages(&self) -> Result<Vec<Value>> {
        Ok(state_to_messages(&self.dump_raw_state().await?))
    }

    /// Replaces the state with one given as Airbyte protocol messages, with the checks of
    /// [`CloudConnection::import_raw_state`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for messages that cannot be read (before sending);
    /// [`Error::ImportRefused`]; [`Error::SyncActive`]; transport errors.
    pub async fn import_state_messages(&self, messages: &[Value]) -> Result<ConnectionState> {
        let state = state_from_messages(self.id(), messages)?;
        self.import_raw_state(state).await
    }

    /// One stream's state blob; `None` when the stream has none. A missing namespace and an
    /// empty one are the same.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::dump_raw_state`].
    #[doc(alias = "get_stream_state")]
    pub async fn fetch_stream_state(
        &self,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Option<Value>> {
        let state = self.dump_raw_state().await?;
        Ok(state
            .stream_states()
            .iter()
            .find(|stream| stream.stream_descriptor.matches(name, namespace))
            .and_then(|stream| stream.stream_state.clone()))
    }

    /// Sets one stream's state blob, keeping the others. The stream must be one the
    /// connection syncs (selected in its catalog, or held in its current state), as
    /// [`CloudConnection::check_state_import`] says.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the state is legacy (one opaque blob) or not set yet (the
    /// shape is unknown); [`Error::ImportRefused`] for a stream the connection does not have;
    /// [`Error::SyncActive`]; transport errors.
    pub async fn set_stream_state(
        &self,
        name: &str,
        namespace: Option<&str>,
        blob: Value,
    ) -> Result<ConnectionState> {
        let mut state = self.dump_raw_state().await?;
        let kind = state.state_type.clone();
        let Some(streams) = state.stream_states_mut() else {
            return Err(Error::invalid(format!(
                "the state of connection {} is {kind}: per-stream state can only be set on stream or global states",
                self.id()
            )));
        };
        match streams
            .iter_mut()
            .find(|stream| stream.stream_descriptor.matches(name, namespace))
        {
            Some(stream) => stream.stream_state = Some(blob),
            None => streams.push(StreamState {
                stream_descriptor: StreamDescriptor::new(
                    name,
                    namespace.filter(|ns| !ns.is_empty()).map(str::to_owned),
                ),
                stream_state: Some(blob),
            }),
        }
        self.import_raw_state(state).await
    }

    /// The connection's full sync catalog (every stream the source offers, with the
    /// connection's settings), after checking that the connection belongs to the workspace;
    /// `None` when the server has none.
    ///
    /// # Errors
    ///
    /// [`Error::WorkspaceMismatch`]; transport errors.
    #[doc(alias = "get_catalog_artifact")]
    pub async fn dump_raw_catalog(&self) -> Result<Option<AirbyteCatalog>> {
        self.verify_before_write().await?;
        let request = WebBackendConnectionRequest {
            connection_id: self.id().clone(),
            with_refreshed_catalog: Some(false),
        };
        let read: WebBackendConnectionRead = self
            .workspace()
            .execute(ops::config::get_web_backend_connection(&request))
            .await?;
        Ok(Some(read.sync_catalog).filter(|catalog| !catalog.streams.is_empty()))
    }

    /// Replaces the connection's catalog, never triggering a reset; a catalog that selects no
    /// stream is refused (see [`CloudConnection::import_raw_catalog_with`]).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::import_raw_catalog_with`].
    pub async fn import_raw_catalog(
        &self,
        catalog: AirbyteCatalog,
    ) -> Result<WebBackendConnectionRead> {
        self.import_raw_catalog_with(catalog, ImportOptions::default())
            .await
    }

    /// Replaces the connection's catalog, never triggering a reset, after the checks of
    /// [`CloudConnection::check_catalog_import`] (the workspace always; the rest unless
    /// forced).
    ///
    /// # Errors
    ///
    /// [`Error::ImportRefused`] or [`Error::WorkspaceMismatch`] before anything is sent;
    /// transport errors (the server refuses streams the source does not offer).
    pub async fn import_raw_catalog_with(
        &self,
        catalog: AirbyteCatalog,
        options: ImportOptions,
    ) -> Result<WebBackendConnectionRead> {
        self.check_catalog_import(&catalog, &options).await?;
        let update = WebBackendConnectionUpdate::catalog(self.id().clone(), catalog);
        self.workspace()
            .execute(ops::config::update_web_backend_connection(&update))
            .await
    }
}

impl CloudConnection {
    /// The checks of a catalog import, without importing (reads only): what
    /// [`CloudConnection::import_raw_catalog_with`] would refuse, it refuses with the same
    /// error.
    ///
    /// The connection must belong to the workspace. Unless forced, a catalog that selects no
    /// stream (every stream `selected: false` or without a setting) is refused: it would stop
    /// the connection from syncing anything; so is one that selects a stream the connection's
    /// current catalog does not have (a typo would otherwise deselect the stream meant).
    ///
    /// # Errors
    ///
    /// [`Error::ImportRefused`] naming the reason; [`Error::WorkspaceMismatch`]; transport
    /// errors.
    pub async fn check_catalog_import(
        &self,
        catalog: &AirbyteCatalog,
        options: &ImportOptions,
    ) -> Result<()> {
        self.verify_before_write().await?;
        if options.force {
            return Ok(());
        }
        let selected: Vec<StreamDescriptor> = catalog
            .streams
            .iter()
            .filter(|entry| is_selected(entry))
            .filter_map(|entry| entry.stream.as_ref())
            .map(|stream| StreamDescriptor::new(stream.name.clone(), stream.namespace.clone()))
            .collect();
        if selected.is_empty() {
            return Err(self.refuse(
                "catalog",
                "it selects no stream, so the connection would sync nothing".to_owned(),
            ));
        }
        // Without a current catalog there is nothing to compare with.
        let Some(current) = self.dump_raw_catalog().await? else {
            return Ok(());
        };
        let unknown: Vec<String> = selected
            .iter()
            .filter(|wanted| {
                !current.streams.iter().any(|entry| {
                    entry.stream.as_ref().is_some_and(|known| {
                        StreamDescriptor::new(known.name.clone(), known.namespace.clone())
                            .matches(&wanted.name, wanted.namespace.as_deref())
                    })
                })
            })
            .map(stream_label)
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        Err(self.refuse(
            "catalog",
            format!(
                "it selects {} that the connection does not have: {}",
                if unknown.len() == 1 {
                    "a stream"
                } else {
                    "streams"
                },
                unknown.join(", ")
            ),
        ))
    }
}

/// Whether a catalog entry is selected (an entry without a setting is not).
fn is_selected(entry: &AirbyteStreamAndConfiguration) -> bool {
    entry
        .config
        .as_ref()
        .is_some_and(|config| config.selected == Some(true))
}

/// Whether a catalog stream's namespace and a state's agree: equal, or either one absent
/// (state often leaves the namespace out).
fn namespaces_agree(catalog: Option<&str>, state: Option<&str>) -> bool {
    match (
        catalog.filter(|ns| !ns.is_empty()),
        state.filter(|ns| !ns.is_empty()),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_messages_round_trip_for_every_state_shape() {
        let connection: airbyte_models::ConnectionId = "c".parse().unwrap();
        for messages in [
            vec![],
            vec![json!({"type": "LEGACY", "data": {"cursor": 1}})],
            vec![
                json!({"type": "GLOBAL", "global": {"shared_state": {"lsn": 5}, "stream_states": [{"stream_descriptor": {"name": "a", "namespace": "public"}, "stream_state": {"c": 1}}]}}),
            ],
            vec![
                json!({"type": "STREAM", "stream": {"stream_descriptor": {"name": "a"}, "stream_state": {"c": 1}}}),
                json!({"type": "STREAM", "stream": {"stream_descriptor": {"name": "b", "namespace": "x"}, "stream_state": {"c": 2}}}),
            ],
        ] {
            let state = state_from_messages(&connection, &messages).unwrap();
            assert_eq!(state_to_messages(&state), messages);
        }
    }

    #[test]
    fn unreadable_messages_are_refused() {
        let connection: airbyte_models::ConnectionId = "c".parse().unwrap();
        assert!(state_from_messages(&connection, &[json!({"type": "WEIRD"})]).is_err());
        assert!(
            state_from_messages(
                &connection,
                &[json!({"type": "STREAM", "stream": {"stream_descriptor": {}}})]
            )
            .is_err()
        );
        let mixed = [
            json!({"type": "LEGACY", "data": {}}),
            json!({"type": "STREAM", "stream": {"stream_descriptor": {"name": "a"}}}),
        ];
        assert!(state_from_messages(&connection, &mixed).is_err());
    }

    #[test]
    fn messages_that_would_overwrite_each_other_are_refused() {
        // The last GLOBAL or LEGACY message silently replaced the ones before it (and a
        // LEGACY after a GLOBAL sent both shapes at once); a stream given twice sent both.
        let connection: airbyte_models::ConnectionId = "c".parse().unwrap();
        let global = |lsn: i64| json!({"type": "GLOBAL", "global": {"shared_state": {"lsn": lsn}, "stream_states": []}});
        let legacy = json!({"type": "LEGACY", "data": {"cursor": 1}});
        let stream = |name: &str, namespace: Option<&str>, cursor: i64| {
            let mut descriptor = json!({"name": name});
            if let Some(namespace) = namespace {
                descriptor["namespace"] = json!(namespace);
            }
            json!({"type": "STREAM", "stream": {"stream_descriptor": descriptor, "stream_state": {"cursor": cursor}}})
        };
        let overwriting = [
            vec![global(1), global(2)],
            vec![legacy.clone(), legacy.clone()],
            vec![global(1), legacy.clone()],
            vec![legacy, global(1)],
            vec![stream("users", None, 1), stream("users", None, 2)],
            vec![
                stream("users", Some("public"), 1),
                stream("users", Some("public"), 2),
            ],
            vec![json!({"type": "GLOBAL", "global": {"stream_states": [
                {"stream_descriptor": {"name": "a"}, "stream_state": {}},
                {"stream_descriptor": {"name": "a"}, "stream_state": {}},
            ]}})],
        ];
        for messages in overwriting {
            let error = state_from_messages(&connection, &messages).unwrap_err();
            assert!(
                matches!(error, Error::InvalidInput { .. }),
                "{messages:?}: {error}"
            );
        }
        // The same name in two namespaces is two streams.
        let two = [
            stream("users", Some("public"), 1),
            stream("users", Some("archive"), 2),
        ];
        assert_eq!(
            state_from_messages(&connection, &two)
                .unwrap()
                .stream_states()
                .len(),
            2
        );
    }
}
