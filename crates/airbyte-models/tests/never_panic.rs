//! Arbitrary input never makes a model panic: every type decodes arbitrary JSON values and
//! arbitrary bytes to `Ok` or `Err`, and the lenient accessors never panic on what decoded.

mod support;

use airbyte_models::*;
use proptest::prelude::*;
use serde_json::Value;

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,16}".prop_map(Value::String),
        // Values that look like the real thing make deep fields reachable.
        prop_oneof![
            Just("2024-05-01T12:30Z"),
            Just("PT11M7S"),
            Just("succeeded"),
            Just("queued"),
            Just("**********"),
            Just("incremental_append"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

/// Arbitrary JSON whose object keys are often real field names of the API.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        "[a-zA-Z_]{1,12}",
        prop::sample::select(vec![
            "sourceId",
            "destinationId",
            "connectionId",
            "workspaceId",
            "definitionId",
            "jobId",
            "name",
            "status",
            "jobType",
            "startTime",
            "createdAt",
            "configuration",
            "data",
            "next",
            "streams",
            "configurations",
            "schedule",
            "scheduleType",
            "attempts",
            "job",
            "attempt",
            "logs",
            "events",
            "logLines",
            "timestamp",
            "stateType",
            "globalState",
            "streamState",
            "streamDescriptor",
            "syncCatalog",
            "stream",
            "config",
            "syncMode",
            "destinationSyncMode",
            "jobInfo",
            "id",
            "configType",
            "succeeded",
            "endedAt",
            "updatedAt",
            "tags",
            "builderProject",
            "access_token",
            "expires_in",
        ])
        .prop_map(str::to_owned),
    ];
    json_leaf().prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_any_model(value in json_value()) {
        for entry in support::registry() {
            let _ = (entry.codec)(&value);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_any_model(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        for entry in support::registry() {
            let _ = (entry.decode_bytes)(&bytes);
        }
        let _ = ApiErrorBody::from_slice(&bytes);
    }

    #[test]
    fn lenient_accessors_never_panic(value in json_leaf(), text in ".{0,40}") {
        let seconds: EpochSeconds = serde_json::from_value(value.clone()).unwrap();
        let _ = (seconds.value(), seconds.to_datetime());
        let millis: EpochMillis = serde_json::from_value(value.clone()).unwrap();
        let _ = (millis.value(), millis.to_datetime());
        let when: ApiDateTime = serde_json::from_value(value.clone()).unwrap();
        let _ = when.to_datetime();
        let duration: IsoDuration = serde_json::from_value(value).unwrap();
        let _ = duration.to_duration();
        let _ = parse_datetime(&text);
        let _ = IsoDuration::from(text.as_str()).to_duration();
        let _ = text.parse::<JobId>();
        let _ = text.parse::<SourceId>();
        let _ = text.parse::<ops::JobOrder>();
        let _ = is_secret_key(&text);
    }

    #[test]
    fn logs_and_problems_render_whatever_decoded(value in json_value()) {
        if let Ok(logs) = serde_json::from_value::<AttemptLogs>(value.clone()) {
            let _ = (logs.to_text(), logs.line_count());
        }
        if let Ok(problem) = serde_json::from_value::<ApiErrorBody>(value.clone()) {
            let _ = (problem.summary(), problem.resource_type(), problem.data_message());
        }
        if let Ok(schedule) = serde_json::from_value::<ConnectionScheduleResponse>(value.clone()) {
            let _ = schedule.cron_expression_and_zone();
        }
        let _ = redact_json(&value);
    }
}
