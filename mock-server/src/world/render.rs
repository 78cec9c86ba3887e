//! How records look on the wire: one renderer per record and API, so that every route that
//! answers a record answers it the same way. Secrets are masked here, as the server does.

use airbyte_models::{
    AttemptStatus, ConnectionStatus, JobStatus, JobType, Masked, NamespaceDefinition,
    NonBreakingSchemaUpdatesBehavior, SERVER_SECRET_MASK,
};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use crate::json::object;

use super::catalog::sync_catalog;
use super::{
    ActorKind, ActorRec, BuilderProjectRec, ConnectionRec, DefinitionRec, OrganizationRec,
    Schedule, TagRec, WorkspaceRec, World,
};
use crate::jobs::{AttemptSnap, JobRec};

/// A stored configuration as the server answers it: secrets masked.
pub(crate) fn masked(configuration: &Value) -> Value {
    airbyte_models::mask_secrets(configuration, SERVER_SECRET_MASK)
}

/// Epoch milliseconds as the server's date-time text (whole seconds, zero seconds dropped).
fn datetime(ms: i64) -> Value {
    airbyte_models::EpochSeconds::new(crate::clock::writable_ms(ms).div_euclid(1000))
        .to_datetime()
        .map_or(Value::Null, |instant| {
            Value::from(airbyte_models::format_server_datetime(instant))
        })
}

fn seconds(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

impl WorkspaceRec {
    /// `WorkspaceResponse`.
    pub(crate) fn public_json(&self) -> Value {
        json!({
            "workspaceId": self.id,
            "name": self.name,
            "dataResidency": self.data_residency,
            "notifications": self.notifications,
        })
    }

    /// The Config API's `WorkspaceRead`.
    pub(crate) fn config_json(&self) -> Value {
        json!({
            "workspaceId": self.id,
            "customerId": self.id,
            "name": self.name,
            "slug": self.name.to_lowercase().replace(' ', "-"),
            "initialSetupComplete": true,
            "organizationId": self.organization_id,
            "tombstone": self.deleted,
            "dataplaneGroupId": self.data_residency,
            "notifications": [],
        })
    }
}

impl OrganizationRec {
    /// `OrganizationResponse`.
    pub(crate) fn public_json(&self) -> Value {
        json!({"organizationId": self.id, "organizationName": self.name, "email": self.email})
    }

    /// The Config API's `OrganizationInfoRead`.
    pub(crate) fn config_json(&self) -> Value {
        object(vec![
            ("organizationId", Some(json!(self.id))),
            ("organizationName", Some(json!(self.name))),
            ("sso", Some(json!(false))),
            ("scim", Some(json!(false))),
            ("billing", self.billing.clone()),
        ])
    }
}

impl TagRec {
    /// `TagResponse` (also embedded in connections, in both APIs).
    pub(crate) fn public_json(&self) -> Value {
        json!({"tagId": self.id, "name": self.name, "color": self.color, "workspaceId": self.workspace_id})
    }
}

/// `SourceResponse` / `DestinationResponse`, written straight from the record (sources are
/// the most read resource: no copy of the configuration is made to answer them).
pub(crate) struct ActorView<'a> {
    actor: &'a ActorRec,
    type_name: &'a str,
}

impl Serialize for ActorView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let actor = self.actor;
        let (id_key, type_key) = match actor.kind {
            ActorKind::Source => ("sourceId", "sourceType"),
            ActorKind::Destination => ("destinationId", "destinationType"),
        };
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry(id_key, &actor.id)?;
        map.serialize_entry("name", &actor.name)?;
        map.serialize_entry(type_key, self.type_name)?;
        map.serialize_entry("definitionId", &actor.definition_id)?;
        map.serialize_entry("workspaceId", &actor.workspace_id)?;
        map.serialize_entry(
            "configuration",
            &Masked::new(&actor.configuration, SERVER_SECRET_MASK),
        )?;
        map.serialize_entry("createdAt", &actor.created_at)?;
        map.end()
    }
}

impl ActorRec {
    /// `SourceResponse` / `DestinationResponse`.
    pub(crate) fn public_json<'a>(&'a self, world: &'a World) -> ActorView<'a> {
        ActorView {
            actor: self,
            type_name: world.actor_type_name(self),
        }
    }

    /// The Config API's `SourceRead` / `DestinationRead`.
    pub(crate) fn config_json(&self, world: &World) -> Value {
        let kind = self.kind.as_str();
        json!({
            format!("{kind}DefinitionId"): self.definition_id,
            format!("{kind}Id"): self.id,
            "workspaceId": self.workspace_id,
            "connectionConfiguration": masked(&self.configuration),
            "name": self.name,
            format!("{kind}Name"): world.actor_type_name(self),
            "createdAt": self.created_at,
            "isDraft": self.draft,
        })
    }
}

impl DefinitionRec {
    /// `DefinitionResponse` or `DeclarativeSourceDefinitionResponse`.
    pub(crate) fn public_json(&self) -> Value {
        match &self.declarative {
            Some(declarative) => json!({
                "id": self.id,
                "name": self.name,
                "manifest": declarative.manifest,
                "version": declarative.version,
            }),
            None => object(vec![
                ("id", Some(json!(self.id))),
                ("name", Some(json!(self.name))),
                ("dockerRepository", Some(json!(self.docker_repository))),
                ("dockerImageTag", Some(json!(self.docker_image_tag))),
                (
                    "documentationUrl",
                    self.documentation_url.clone().map(Value::from),
                ),
            ]),
        }
    }

    /// `ConnectorDefinitionResponse`, an entry of the catalog.
    pub(crate) fn catalog_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "connectorDefinitionType": self.kind.as_str(),
            "version": self.version,
        })
    }
}

impl BuilderProjectRec {
    /// The Config API's `ConnectorBuilderProjectRead`.
    pub(crate) fn config_json(&self, world: &World) -> Value {
        let declarative = world
            .definitions
            .get(&self.definition_id)
            .and_then(|definition| definition.declarative.clone());
        let details = object(vec![
            ("name", Some(json!(self.name))),
            ("builderProjectId", Some(json!(self.id))),
            ("sourceDefinitionId", Some(json!(self.definition_id))),
            (
                "activeDeclarativeManifestVersion",
                declarative.as_ref().map(|d| json!(d.version)),
            ),
            ("hasDraft", Some(json!(false))),
            ("updatedAt", Some(json!(self.updated_at))),
        ]);
        object(vec![
            ("builderProject", Some(details)),
            (
                "declarativeManifest",
                declarative.map(|d| {
                    json!({"manifest": d.manifest, "isDraft": false, "version": d.version, "description": "published"})
                }),
            ),
            ("testingValues", self.testing_values.clone()),
        ])
    }
}

impl ConnectionRec {
    fn tags_json(&self, world: &World) -> Value {
        Value::Array(
            self.tags
                .iter()
                .filter_map(|id| world.tags.get(id))
                .map(TagRec::public_json)
                .collect(),
        )
    }

    /// `ConnectionResponse`.
    pub(crate) fn public_json(&self, world: &World) -> Value {
        let schedule = match &self.schedule {
            Schedule::Manual => json!({"scheduleType": "manual"}),
            // The server stores cron expressions in UTC and says so.
            Schedule::Cron(expression) => {
                json!({"scheduleType": "cron", "cronExpression": format!("{expression} UTC")})
            }
            Schedule::Basic(timing) => json!({"scheduleType": "basic", "basicTiming": timing}),
        };
        object(vec![
            ("connectionId", Some(json!(self.id))),
            ("name", Some(json!(self.name))),
            ("sourceId", Some(json!(self.source_id))),
            ("destinationId", Some(json!(self.destination_id))),
            ("workspaceId", Some(json!(self.workspace_id))),
            ("status", Some(json!(self.status))),
            ("schedule", Some(schedule)),
            (
                "nonBreakingSchemaUpdatesBehavior",
                Some(json!(self.non_breaking)),
            ),
            (
                "namespaceDefinition",
                Some(json!(self.namespace_definition)),
            ),
            (
                "namespaceFormat",
                self.namespace_format.clone().map(Value::from),
            ),
            ("prefix", Some(json!(self.prefix))),
            ("configurations", Some(json!({"streams": self.streams}))),
            ("createdAt", Some(json!(self.created_at))),
            ("tags", Some(self.tags_json(world))),
        ])
    }

    /// The Config API's `WebBackendConnectionRead`, with the full catalog and the latest sync.
    pub(crate) fn config_json(&self, world: &World, now_ms: i64) -> Value {
        let source = world.actor(ActorKind::Source, &self.source_id);
        let destination = world.actor(ActorKind::Destination, &self.destination_id);
        let latest = world
            .jobs
            .values()
            .rev()
            .find(|job| job.connection_id == self.id && job.job_type == JobType::Sync);
        let version = |id: Option<&str>| json!({"actorDefinitionVersionId": id.unwrap_or_default(), "dockerRepository": "airbyte/connector", "dockerImageTag": "1.0.0", "supportsRefreshes": false, "supportState": "supported", "isVersionOverrideApplied": false, "supportsFileTransfer": false, "supportsDataActivation": false});
        let (schedule_type, schedule_data) = match &self.schedule {
            Schedule::Manual => ("manual", None),
            Schedule::Cron(expression) => (
                "cron",
                Some(json!({"cron": {"cronExpression": expression, "cronTimeZone": "UTC"}})),
            ),
            Schedule::Basic(timing) => ("basic", Some(json!({"basicSchedule": timing}))),
        };
        // The Config API spells two enum values differently from the Public API.
        let namespace_definition = match &self.namespace_definition {
            NamespaceDefinition::CustomFormat => "customformat".to_owned(),
            other => other.to_string(),
        };
        let non_breaking = match &self.non_breaking {
            NonBreakingSchemaUpdatesBehavior::DisableConnection => "disable".to_owned(),
            other => other.to_string(),
        };
        object(vec![
            ("connectionId", Some(json!(self.id))),
            ("name", Some(json!(self.name))),
            ("namespaceDefinition", Some(json!(namespace_definition))),
            (
                "namespaceFormat",
                self.namespace_format.clone().map(Value::from),
            ),
            ("prefix", Some(json!(self.prefix))),
            ("sourceId", Some(json!(self.source_id))),
            ("destinationId", Some(json!(self.destination_id))),
            ("syncCatalog", Some(sync_catalog(world, self))),
            ("scheduleType", Some(json!(schedule_type))),
            ("scheduleData", schedule_data),
            ("status", Some(json!(self.status))),
            (
                "source",
                Some(source.map_or(Value::Null, |s| s.config_json(world))),
            ),
            (
                "destination",
                Some(destination.map_or(Value::Null, |d| d.config_json(world))),
            ),
            ("operations", Some(json!([]))),
            (
                "latestSyncJobCreatedAt",
                latest.map(|job| json!(seconds(job.created_ms))),
            ),
            (
                "latestSyncJobStatus",
                latest.map(|job| json!(job.snapshot(now_ms).status)),
            ),
            ("isSyncing", Some(json!(world.is_syncing(&self.id, now_ms)))),
            ("schemaChange", Some(json!("no_change"))),
            ("notifySchemaChanges", Some(json!(false))),
            ("notifySchemaChangesByEmail", Some(json!(false))),
            ("nonBreakingChangesPreference", Some(json!(non_breaking))),
            (
                "sourceActorDefinitionVersion",
                Some(version(source.map(|s| s.definition_id.as_str()))),
            ),
            (
                "destinationActorDefinitionVersion",
                Some(version(destination.map(|d| d.definition_id.as_str()))),
            ),
            ("tags", Some(self.tags_json(world))),
            ("onDemandEnabled", Some(json!(false))),
            ("createdAt", Some(json!(self.created_at))),
        ])
    }

    /// Whether jobs may start: the real API refuses them on connections that are not active.
    pub(crate) fn is_active(&self) -> bool {
        self.status == ConnectionStatus::Active
    }
}

impl JobRec {
    /// `JobResponse` at `now_ms`.
    pub(crate) fn public_json(&self, now_ms: i64) -> Value {
        let snapshot = self.snapshot(now_ms);
        let has_stats = !snapshot.attempts.is_empty();
        let duration = (snapshot.status != JobStatus::Pending).then(|| {
            let millis =
                u64::try_from(snapshot.updated_ms.saturating_sub(self.created_ms)).unwrap_or(0);
            // Java's Duration prints whole seconds here; drop the fraction like the server.
            airbyte_models::IsoDuration::from_duration(std::time::Duration::from_secs(
                millis / 1000,
            ))
            .raw()
            .clone()
        });
        object(vec![
            ("jobId", Some(json!(self.id))),
            ("status", Some(json!(snapshot.status))),
            ("jobType", Some(json!(self.job_type))),
            ("startTime", Some(datetime(self.created_ms))),
            ("connectionId", Some(json!(self.connection_id))),
            (
                "lastUpdatedAt",
                snapshot.is_final().then(|| datetime(snapshot.updated_ms)),
            ),
            ("duration", duration),
            (
                "bytesSynced",
                has_stats.then(|| json!(snapshot.bytes_committed)),
            ),
            (
                "rowsSynced",
                has_stats.then(|| json!(snapshot.records_committed)),
            ),
        ])
    }

    /// The Config API's `JobInfoRead` at `now_ms`, with or without the attempts' logs.
    pub(crate) fn config_json(&self, now_ms: i64, with_logs: bool) -> Value {
        let snapshot = self.snapshot(now_ms);
        let streams: Vec<Value> = self
            .streams
            .iter()
            .map(|name| json!({"name": name}))
            .collect();
        let config_type = if self.job_type == JobType::Sync {
            "sync"
        } else {
            "reset_connection"
        };
        let job = object(vec![
            ("id", Some(json!(self.id))),
            ("configType", Some(json!(config_type))),
            ("configId", Some(json!(self.connection_id))),
            ("enabledStreams", Some(json!(streams))),
            ("createdAt", Some(json!(seconds(self.created_ms)))),
            ("updatedAt", Some(json!(seconds(snapshot.updated_ms)))),
            (
                "startedAt",
                snapshot.started_ms.map(|ms| json!(seconds(ms))),
            ),
            ("status", Some(json!(snapshot.status))),
            (
                "aggregatedStats",
                Some(json!({
                    "recordsEmitted": snapshot.records_emitted, "bytesEmitted": snapshot.bytes_emitted,
                    "recordsCommitted": snapshot.records_committed, "bytesCommitted": snapshot.bytes_committed,
                    "recordsRejected": 0,
                })),
            ),
        ]);
        let attempts: Vec<Value> = snapshot
            .attempts
            .iter()
            .map(|attempt| self.attempt_json(attempt, with_logs))
            .collect();
        json!({"job": job, "attempts": attempts})
    }

    fn attempt_json(&self, attempt: &AttemptSnap, with_logs: bool) -> Value {
        let failed = attempt.status == AttemptStatus::Failed;
        let stats = json!({
            "recordsEmitted": attempt.records, "bytesEmitted": attempt.bytes,
            "recordsCommitted": if failed { 0 } else { attempt.records },
            "bytesCommitted": if failed { 0 } else { attempt.bytes },
            "recordsRejected": 0,
        });
        let attempt_json = object(vec![
            ("id", Some(json!(attempt.number))),
            ("status", Some(json!(attempt.status))),
            ("createdAt", Some(json!(seconds(attempt.created_ms)))),
            ("updatedAt", Some(json!(seconds(attempt.updated_ms)))),
            ("endedAt", attempt.ended_ms.map(|ms| json!(seconds(ms)))),
            ("bytesSynced", Some(json!(attempt.bytes))),
            ("recordsSynced", Some(json!(attempt.records))),
            ("totalStats", Some(stats)),
            ("failureSummary", attempt.failure.as_ref().map(|message| json!({
                "failures": [{"failureOrigin": "source", "failureType": "system_error",
                              "externalMessage": message, "timestamp": attempt.ended_ms.unwrap_or(attempt.updated_ms)}],
                "partialSuccess": false,
            }))),
        ]);
        // Even job IDs log structured events, odd ones plain lines: clients must read both.
        let structured = self.id % 2 == 0;
        let logs = if !with_logs {
            json!({"logLines": []})
        } else if structured {
            let events: Vec<Value> = attempt
                .log
                .iter()
                .map(|line| json!({"timestamp": line.timestamp_ms, "message": line.message, "level": line.level, "logSource": line.source}))
                .collect();
            json!({"events": events, "version": "1"})
        } else {
            let lines: Vec<String> = attempt
                .log
                .iter()
                .map(|line| {
                    let when = airbyte_models::EpochMillis::new(line.timestamp_ms)
                        .to_datetime()
                        .map(airbyte_models::format_server_datetime)
                        .unwrap_or_default();
                    format!("{when} {} {}", line.level.to_uppercase(), line.message)
                })
                .collect();
            json!({"logLines": lines})
        };
        json!({
            "attempt": attempt_json,
            "logType": if structured { "structured" } else { "formatted" },
            "logs": logs,
        })
    }
}
