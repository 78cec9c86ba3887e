//! Every model serializes and deserializes back to an equal value: generated values of the
//! core resources (unknown enum values included), conforming instances of every schema, and
//! the representative payloads of the API notes, which must also re-serialize byte for byte
//! (as JSON values).

mod support;

use airbyte_models::*;
use airbyte_spec_testkit::{Spec, SpecFile};
use proptest::prelude::*;
use serde_json::{Value, json};

fn assert_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value, "round trip through {text}");
}

fn id_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[a-zA-Z0-9/?#. _-]{1,20}".prop_filter("a valid ID", |s| !s.trim().is_empty()
            && s != "."
            && s != ".."),
    ]
}

/// A known wire value or a value no version of the API has (yet).
fn open_value(known: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(known).prop_map(str::to_owned),
        "[a-z_]{1,16}".prop_filter("unknown", move |s| !known.contains(&s.as_str())),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn config() -> impl Strategy<Value = ConnectorConfig> {
    prop::collection::btree_map("[a-z_]{1,10}", json_value(), 0..5)
        .prop_map(|map| ConnectorConfig::new(Value::Object(map.into_iter().collect())))
}

prop_compose! {
    fn source()(
        source_id in id_text(), workspace_id in id_text(), definition_id in id_text(),
        name in ".{0,20}", source_type in "[a-z-]{0,12}", configuration in config(),
        created_at in any::<i64>(),
    ) -> SourceResponse {
        SourceResponse {
            source_id: source_id.parse().unwrap(),
            name,
            source_type,
            definition_id: Some(definition_id.parse().unwrap()),
            workspace_id: workspace_id.parse().unwrap(),
            configuration,
            created_at: EpochSeconds::new(created_at),
            resource_allocation: None,
        }
    }
}

prop_compose! {
    fn stream()(
        name in "[a-z_]{1,12}",
        namespace in proptest::option::of("[a-z]{1,8}"),
        sync_mode in proptest::option::of(open_value(&[
            "full_refresh_overwrite", "full_refresh_append", "incremental_append",
            "incremental_deduped_history",
        ])),
        cursor_field in proptest::option::of(prop::collection::vec("[a-z]{1,6}", 1..3)),
        primary_key in proptest::option::of(prop::collection::vec(prop::collection::vec("[a-z]{1,6}", 1..3), 1..3)),
    ) -> StreamConfiguration {
        StreamConfiguration {
            name,
            namespace,
            sync_mode: sync_mode.as_deref().map(ConnectionSyncMode::from_wire),
            cursor_field,
            primary_key,
            ..StreamConfiguration::default()
        }
    }
}

prop_compose! {
    fn connection()(
        ids in prop::collection::vec(id_text(), 4),
        name in ".{0,20}",
        status in open_value(&["active", "inactive", "deprecated", "locked"]),
        schedule_type in open_value(&["manual", "cron", "basic"]),
        cron in proptest::option::of("[0-9*? ]{5,20}"),
        streams in prop::collection::vec(stream(), 0..4),
        prefix in proptest::option::of("[a-z_]{0,6}"),
        created_at in any::<i64>(),
        namespace in proptest::option::of(open_value(&["source", "destination", "custom_format"])),
    ) -> ConnectionResponse {
        ConnectionResponse {
            connection_id: ids[0].parse().unwrap(),
            name,
            source_id: ids[1].parse().unwrap(),
            destination_id: ids[2].parse().unwrap(),
            workspace_id: ids[3].parse().unwrap(),
            status: ConnectionStatus::from_wire(&status),
            schedule: ConnectionScheduleResponse {
                schedule_type: ScheduleType::from_wire(&schedule_type),
                cron_expression: cron,
                basic_timing: None,
            },
            non_breaking_schema_updates_behavior: None,
            namespace_definition: namespace.as_deref().map(NamespaceDefinition::from_wire),
            namespace_format: None,
            prefix,
            configurations: StreamConfigurations { streams },
            created_at: EpochSeconds::new(created_at),
            tags: Vec::new(),
            status_reason: None,
        }
    }
}

prop_compose! {
    fn job()(
        job_id in 0i64..i64::MAX,
        status in open_value(&["pending", "queued", "running", "incomplete", "failed", "succeeded", "cancelled"]),
        job_type in open_value(&["sync", "reset", "refresh", "clear"]),
        start_time in prop_oneof!["2024-05-01T12:30Z", "2024-05-01T12:30:05Z", ".{0,12}"],
        connection_id in id_text(),
        duration in proptest::option::of(prop_oneof!["PT11M7S", "PT0S", ".{0,6}"]),
        bytes in proptest::option::of(any::<i64>()),
        rows in proptest::option::of(any::<i64>()),
    ) -> JobResponse {
        JobResponse {
            job_id: JobId::new(job_id).unwrap(),
            status: JobStatus::from_wire(&status),
            job_type: JobType::from_wire(&job_type),
            start_time: ApiDateTime::from(start_time.as_str()),
            connection_id: connection_id.parse().unwrap(),
            last_updated_at: None,
            duration: duration.as_deref().map(IsoDuration::from),
            bytes_synced: bytes,
            rows_synced: rows,
        }
    }
}

prop_compose! {
    fn state()(
        connection_id in id_text(),
        kind in 0u8..4,
        blobs in prop::collection::vec(json_value(), 1..4),
        shared in json_value(),
    ) -> ConnectionState {
        let streams: Vec<StreamState> = blobs
            .into_iter()
            .enumerate()
            .map(|(index, blob)| StreamState {
                stream_descriptor: StreamDescriptor::new(format!("s{index}"), None),
                stream_state: Some(blob),
            })
            .collect();
        let mut state = ConnectionState::not_set(connection_id.parse().unwrap());
        match kind {
            0 => {}
            1 => {
                state.state_type = ConnectionStateType::Stream;
                state.stream_state = Some(streams);
            }
            2 => {
                state.state_type = ConnectionStateType::Global;
                state.global_state = Some(GlobalState { shared_state: Some(shared), stream_states: streams });
            }
            _ => {
                state.state_type = ConnectionStateType::Legacy;
                state.state = Some(shared);
            }
        }
        state
    }
}

proptest! {
    #[test]
    fn sources_round_trip(value in source()) {
        assert_round_trip(&value);
        assert_round_trip(&SourcesResponse::new(vec![value]));
    }

    #[test]
    fn connections_round_trip(value in connection()) {
        assert_round_trip(&value);
    }

    #[test]
    fn jobs_round_trip_with_unknown_statuses(value in job()) {
        assert_round_trip(&value);
        let encoded = serde_json::to_value(&value).unwrap();
        // An unknown status is written back exactly as it was received.
        prop_assert_eq!(encoded["status"].as_str().unwrap(), value.status.as_str());
    }

    #[test]
    fn states_round_trip(value in state()) {
        assert_round_trip(&value);
    }

    #[test]
    fn enums_keep_any_value(text in ".{0,24}") {
        let status = JobStatus::from_wire(&text);
        prop_assert_eq!(status.as_str(), text.as_str());
        assert_round_trip(&status);
        assert_round_trip(&ConnectionSyncMode::from_wire(&text));
        assert_round_trip(&ScheduleType::from_wire(&text));
    }
}

#[test]
fn every_schema_instance_round_trips() {
    let mut specs = Vec::new();
    for file in [SpecFile::PublicApi, SpecFile::ConfigApi, SpecFile::Problems] {
        let Some(spec) = Spec::load(file) else { return };
        specs.push(spec);
    }
    for entry in support::registry() {
        let spec = specs.iter().find(|spec| spec.file() == entry.file).unwrap();
        let instance = spec.synthesize(spec.schema(entry.schema).unwrap());
        if let Err(error) = (entry.codec)(&instance) {
            panic!("{} does not round trip: {error}", entry.type_name);
        }
    }
}

/// The representative payloads of the API notes (§11), including the wire quirks. Each must
/// decode and re-encode to the same JSON value.
#[test]
fn representative_payloads_round_trip_exactly() {
    fn exact<T>(payload: Value)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let model: T = serde_json::from_value(payload.clone())
            .unwrap_or_else(|error| panic!("{error}: {payload}"));
        assert_eq!(serde_json::to_value(&model).unwrap(), payload);
    }
    exact::<AccessTokenResponse>(
        json!({"access_token":"eyJhbGciOiJSUzI1NiJ9.e30.sig","token_type":"Bearer","expires_in":900}),
    );
    exact::<JobResponse>(
        json!({"jobId":1234,"status":"succeeded","jobType":"sync","startTime":"2024-05-01T12:30Z","connectionId":"e735894a-e773-4938-969f-45f53957b75b","lastUpdatedAt":"2024-05-01T12:41:07Z","duration":"PT11M7S","bytesSynced":52428800,"rowsSynced":120345}),
    );
    exact::<SourcesResponse>(
        json!({"next":"","previous":"https://api.airbyte.com/v1/sources?includeDeleted=false&limit=20&offset=20","data":[]}),
    );
    exact::<SourceResponse>(
        json!({"sourceId":"0c31738c-0b2d-4887-b506-e2cd1c39cc35","name":"pg-prod","sourceType":"postgres","definitionId":"decd338e-5647-4c0b-adf4-da0e75f5a750","workspaceId":"744cc0ed-7f05-4949-9e60-2a814f90c035","configuration":{"host":"db.internal","port":5432,"password":"**********"},"createdAt":1714566600}),
    );
    exact::<ConnectionResponse>(
        json!({"connectionId":"9924bcd0-99be-453d-ba47-c2c9766f7da5","name":"pg-to-bq","sourceId":"95e66a59-8045-4307-9678-63bc3c9b8c93","destinationId":"e478de0d-a3a0-475c-b019-25f7dd29e281","workspaceId":"744cc0ed-7f05-4949-9e60-2a814f90c035","status":"active","schedule":{"scheduleType":"cron","cronExpression":"0 0 12 * * ? UTC"},"nonBreakingSchemaUpdatesBehavior":"ignore","namespaceDefinition":"destination","prefix":"","configurations":{"streams":[{"name":"users","namespace":"public","syncMode":"incremental_deduped_history","cursorField":["updated_at"],"primaryKey":[["id"]]}]},"createdAt":1714566600,"tags":[]}),
    );
    exact::<ApiErrorBody>(
        json!({"status":404,"type":"https://reference.airbyte.com/reference/errors#resource-not-found","title":"resource-not-found","detail":"The requested resource could not be found.","data":{"resourceType":"SOURCE_CONNECTION","resourceId":"0c31738c-0b2d-4887-b506-e2cd1c39cc35"}}),
    );
    exact::<ApiErrorBody>(json!({"errorId":"3f1c2a9e-8d47-4b1a-9c53-2b7e6f0d1a44"}));
    exact::<ApiErrorBody>(json!({"message":"You are being rate limited."}));
    exact::<CheckConnectionRead>(
        json!({"status":"failed","message":"Could not connect: connection refused","jobInfo":{"id":"5b1f0a4e-5d1a-4a8e-9a3c-7f4f0d7a2b10","configType":"check_connection_source","createdAt":1714566600,"endedAt":1714566612,"succeeded":true}}),
    );
    exact::<CheckConnectionRead>(
        json!({"jobInfo":{"id":"5b1f0a4e-5d1a-4a8e-9a3c-7f4f0d7a2b11","configType":"check_connection_source","createdAt":1714566600,"endedAt":1714566630,"succeeded":false,"failureReason":{"timestamp":1714566630123i64,"failureOrigin":"source","failureType":"system_error","externalMessage":"Check job failed"}}}),
    );
    exact::<ConnectionState>(
        json!({"stateType":"global","connectionId":"9924bcd0-99be-453d-ba47-c2c9766f7da5","globalState":{"shared_state":{"lsn":123456},"streamStates":[{"streamDescriptor":{"name":"users","namespace":"public"},"streamState":{"cursor":"2024-05-01T00:00:00Z"}}]}}),
    );
    exact::<Tag>(
        json!({"tagId":"18dccc91-0ab1-4f72-9ed7-0b8fc27c5826","name":"Analytics Team","color":"FF5733","workspaceId":"871d9b60-11d1-44cb-8c92-c246d53bf87e"}),
    );
    exact::<StreamPropertiesResponse>(
        json!([{"streamName":"users","syncModes":["full_refresh_overwrite","incremental_append"],"streamnamespace":"public","defaultCursorField":["updated_at"],"sourceDefinedCursorField":false,"sourceDefinedPrimaryKey":[["id"]],"propertyFields":[["id"],["name"]]}]),
    );
}

#[test]
fn unknown_fields_are_ignored_and_catalogs_keep_them() {
    let job: JobResponse = serde_json::from_value(json!({
        "jobId": 1, "status": "running", "jobType": "sync", "startTime": "2024-05-01T12:30Z",
        "connectionId": "c", "someFutureField": {"nested": true}
    }))
    .unwrap();
    assert_eq!(job.status, JobStatus::Running);

    let stream = json!({
        "stream": {"name": "users", "jsonSchema": {}, "futureStreamFlag": 7},
        "config": {"syncMode": "incremental", "destinationSyncMode": "append_dedup", "futureConfig": "x"}
    });
    let decoded: AirbyteStreamAndConfiguration = serde_json::from_value(stream.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), stream);
}

#[test]
fn global_state_accepts_the_camel_case_spelling_but_writes_the_wire_name() {
    let state: GlobalState =
        serde_json::from_value(json!({"sharedState": {"lsn": 1}, "streamStates": []})).unwrap();
    assert_eq!(state.shared_state, Some(json!({"lsn": 1})));
    let encoded = serde_json::to_value(&state).unwrap();
    assert_eq!(encoded["shared_state"], json!({"lsn": 1}));
    assert!(encoded.get("sharedState").is_none());
}
