//! The in-memory world: every resource the emulated API serves.

pub(crate) mod access;
pub(crate) mod catalog;
pub(crate) mod configuration;
pub(crate) mod oauth;
pub(crate) mod platform;
pub(crate) mod render;
pub(crate) mod seed;
mod seed_access;
pub(crate) mod table;

use std::collections::{BTreeMap, HashMap};

use airbyte_models::{
    ConnectionStatus, JobStatus, JobType, NamespaceDefinition, NonBreakingSchemaUpdatesBehavior,
};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(crate) use access::{
    ApplicationRec, GroupRec, Holder, MemberRec, PermissionRec, Scope, UserRec,
};
pub(crate) use oauth::{OAuthFlowRec, OAuthOverrideRec, OAuthSecretRec, OverrideScope};
pub(crate) use platform::{DataplaneRec, RegionRec};
pub(crate) use seed::WorldSeed;
use table::{Row, Table};

use crate::answer::random_uuid;
use crate::jobs::{JobRec, Outcome};

/// Whether a connector reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ActorKind {
    Source,
    Destination,
}

impl ActorKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Destination => "destination",
        }
    }
}

/// A stream a source definition offers.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StreamDef {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: Option<String>,
    /// Whether the stream supports incremental reads.
    #[serde(default)]
    pub(crate) incremental: bool,
    #[serde(default)]
    pub(crate) default_cursor_field: Vec<String>,
    #[serde(default)]
    pub(crate) primary_key: Vec<Vec<String>>,
    #[serde(default)]
    pub(crate) fields: Vec<String>,
}

/// A connector definition: from the catalog, a custom Docker image, or a declarative manifest.
#[derive(Clone, Debug)]
pub(crate) struct DefinitionRec {
    pub(crate) id: String,
    pub(crate) kind: ActorKind,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) docker_repository: String,
    pub(crate) docker_image_tag: String,
    pub(crate) documentation_url: Option<String>,
    pub(crate) streams: Vec<StreamDef>,
    /// The workspace of a custom or declarative definition; `None` for the catalog.
    pub(crate) workspace_id: Option<String>,
    pub(crate) declarative: Option<DeclarativeRec>,
    /// The connector's connection specification (a JSON schema), when the world gives one:
    /// seeded configurations must have what it requires.
    pub(crate) specification: Option<Value>,
    /// Whether the connector authenticates with an OAuth consent flow.
    pub(crate) oauth: bool,
}

impl DefinitionRec {
    pub(crate) fn is_custom(&self) -> bool {
        self.workspace_id.is_some()
    }
}

/// The manifest side of a declarative definition.
#[derive(Clone, Debug)]
pub(crate) struct DeclarativeRec {
    pub(crate) manifest: Value,
    pub(crate) version: i64,
    pub(crate) builder_project_id: Option<String>,
}

impl Row for DefinitionRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// An organization.
#[derive(Clone, Debug)]
pub(crate) struct OrganizationRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) billing: Option<Value>,
}

impl Row for OrganizationRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A workspace.
#[derive(Clone, Debug)]
pub(crate) struct WorkspaceRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) organization_id: String,
    pub(crate) data_residency: String,
    pub(crate) notifications: Value,
    pub(crate) deleted: bool,
}

impl Row for WorkspaceRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// How connection checks of a source or destination answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CheckScript {
    /// The check succeeds.
    Succeeded,
    /// The check fails with a message.
    Failed {
        /// The connector's message.
        message: String,
    },
    /// The check job itself crashes: no `status` in the answer.
    Crash {
        /// The failure reason.
        message: String,
    },
}

/// A source or a destination.
#[derive(Clone, Debug)]
pub(crate) struct ActorRec {
    pub(crate) id: String,
    pub(crate) kind: ActorKind,
    pub(crate) name: String,
    pub(crate) workspace_id: String,
    pub(crate) definition_id: String,
    pub(crate) configuration: Value,
    pub(crate) created_at: i64,
    pub(crate) check: Option<CheckScript>,
    /// A draft created without its credentials, which a person completes later.
    pub(crate) draft: bool,
    pub(crate) deleted: bool,
}

impl Row for ActorRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// When a connection syncs on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Schedule {
    /// Only when asked.
    Manual,
    /// On a Quartz cron expression (stored without the ` UTC` the API appends).
    Cron(String),
    /// Every so often (`Every 24 HOURS`): readable from seeds, never writable through the
    /// Public API.
    Basic(String),
}

/// A connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) workspace_id: String,
    pub(crate) source_id: String,
    pub(crate) destination_id: String,
    pub(crate) status: ConnectionStatus,
    pub(crate) schedule: Schedule,
    pub(crate) namespace_definition: NamespaceDefinition,
    pub(crate) namespace_format: Option<String>,
    pub(crate) prefix: String,
    pub(crate) non_breaking: NonBreakingSchemaUpdatesBehavior,
    /// The configured streams, in the Public API's form.
    pub(crate) streams: Vec<Value>,
    pub(crate) tags: Vec<String>,
    pub(crate) created_at: i64,
    pub(crate) outcome: Outcome,
    pub(crate) job_duration_ms: Option<i64>,
    pub(crate) state: Value,
    pub(crate) deleted: bool,
}

impl Row for ConnectionRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A tag.
#[derive(Clone, Debug)]
pub(crate) struct TagRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) color: String,
    pub(crate) workspace_id: String,
}

impl Row for TagRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A Connector Builder project.
#[derive(Clone, Debug)]
pub(crate) struct BuilderProjectRec {
    pub(crate) id: String,
    pub(crate) workspace_id: String,
    pub(crate) name: String,
    pub(crate) definition_id: String,
    pub(crate) testing_values: Option<Value>,
    pub(crate) updated_at: i64,
}

impl Row for BuilderProjectRec {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Everything the emulated API serves.
pub(crate) struct World {
    pub(crate) organizations: Table<OrganizationRec>,
    pub(crate) workspaces: Table<WorkspaceRec>,
    pub(crate) definitions: Table<DefinitionRec>,
    pub(crate) actors: Table<ActorRec>,
    pub(crate) connections: Table<ConnectionRec>,
    pub(crate) tags: Table<TagRec>,
    pub(crate) builder_projects: Table<BuilderProjectRec>,
    pub(crate) users: Table<UserRec>,
    pub(crate) permissions: Table<PermissionRec>,
    pub(crate) groups: Table<GroupRec>,
    pub(crate) applications: Table<ApplicationRec>,
    pub(crate) regions: Table<RegionRec>,
    pub(crate) dataplanes: Table<DataplaneRec>,
    pub(crate) oauth_overrides: Vec<OAuthOverrideRec>,
    pub(crate) oauth_flows: Table<OAuthFlowRec>,
    pub(crate) oauth_secrets: Table<OAuthSecretRec>,
    /// The user that the credentials of the settings (and basic auth, and anonymous callers)
    /// act as: the world's operator.
    pub(crate) operator: Option<String>,
    /// Jobs by ID; IDs grow, so this is creation order.
    pub(crate) jobs: BTreeMap<i64, JobRec>,
    /// The running job of each connection, if any.
    pub(crate) running: HashMap<String, i64>,
    pub(crate) next_job_id: i64,
    pub(crate) default_job_duration_ms: i64,
    rng: fastrand::Rng,
}

impl World {
    pub(crate) fn empty(seed: u64, default_job_duration_ms: i64) -> Self {
        Self {
            organizations: Table::new(),
            workspaces: Table::new(),
            definitions: Table::new(),
            actors: Table::new(),
            connections: Table::new(),
            tags: Table::new(),
            builder_projects: Table::new(),
            users: Table::new(),
            permissions: Table::new(),
            groups: Table::new(),
            applications: Table::new(),
            regions: Table::new(),
            dataplanes: Table::new(),
            oauth_overrides: Vec::new(),
            oauth_flows: Table::new(),
            oauth_secrets: Table::new(),
            operator: None,
            jobs: BTreeMap::new(),
            running: HashMap::new(),
            next_job_id: 1,
            default_job_duration_ms,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// A new random (but seeded) UUID.
    pub(crate) fn new_id(&mut self) -> String {
        random_uuid(&mut self.rng)
    }

    /// A new random (but seeded) secret: 32 alphanumeric characters.
    pub(crate) fn new_secret(&mut self) -> String {
        (0..32).map(|_| self.rng.alphanumeric()).collect()
    }

    pub(crate) fn workspace(&self, id: &str) -> Option<&WorkspaceRec> {
        self.workspaces
            .get(id)
            .filter(|workspace| !workspace.deleted)
    }

    pub(crate) fn actor(&self, kind: ActorKind, id: &str) -> Option<&ActorRec> {
        self.actors
            .get(id)
            .filter(|actor| actor.kind == kind && !actor.deleted)
    }

    pub(crate) fn connection(&self, id: &str) -> Option<&ConnectionRec> {
        self.connections
            .get(id)
            .filter(|connection| !connection.deleted)
    }

    /// The catalog definition named `name` (`faker`, `postgres`, ...) of a kind.
    pub(crate) fn definition_by_name(&self, kind: ActorKind, name: &str) -> Option<&DefinitionRec> {
        self.definitions.iter().find(|definition| {
            definition.kind == kind && !definition.is_custom() && definition.name == name
        })
    }

    /// The streams a source offers.
    pub(crate) fn source_streams(&self, source: &ActorRec) -> Vec<StreamDef> {
        self.definitions
            .get(&source.definition_id)
            .map(|definition| definition.streams.clone())
            .unwrap_or_default()
    }

    /// The connector type name of an actor (`""` for custom connectors, as the server does).
    pub(crate) fn actor_type_name(&self, actor: &ActorRec) -> &str {
        self.definitions
            .get(&actor.definition_id)
            .filter(|definition| !definition.is_custom())
            .map_or("", |definition| definition.name.as_str())
    }

    /// Applies the effects of jobs that have become final (state after a sync or reset) and
    /// frees their connection for the next job.
    pub(crate) fn settle(&mut self, now_ms: i64) {
        if self.running.is_empty() {
            return;
        }
        let running: Vec<(String, i64)> =
            self.running.iter().map(|(c, j)| (c.clone(), *j)).collect();
        for (connection_id, job_id) in running {
            let Some(job) = self.jobs.get_mut(&job_id) else {
                self.running.remove(&connection_id);
                continue;
            };
            let snapshot = job.snapshot(now_ms);
            if !snapshot.is_final() {
                continue;
            }
            self.running.remove(&connection_id);
            if job.settled {
                continue;
            }
            job.settled = true;
            let (job_type, streams, finished) = (
                job.job_type.clone(),
                job.streams.clone(),
                snapshot.updated_ms,
            );
            if snapshot.status != JobStatus::Succeeded {
                continue;
            }
            if let Some(connection) = self.connections.get_mut(&connection_id) {
                connection.state = if job_type == JobType::Sync {
                    state_after_sync(&connection_id, &connection.streams, &streams, finished)
                } else {
                    serde_json::json!({"stateType": "not_set", "connectionId": connection_id})
                };
            }
        }
    }

    /// Whether a job of the connection is not final yet.
    pub(crate) fn is_syncing(&self, connection_id: &str, now_ms: i64) -> bool {
        self.running
            .get(connection_id)
            .and_then(|job_id| self.jobs.get(job_id))
            .is_some_and(|job| !job.snapshot(now_ms).is_final())
    }

    /// Starts a job (`Sync` or `Reset`).
    pub(crate) fn start_job(
        &mut self,
        connection: &ConnectionRec,
        job_type: JobType,
        now_ms: i64,
    ) -> i64 {
        let id = self.next_job_id;
        self.next_job_id += 1;
        let streams = connection
            .streams
            .iter()
            .filter_map(|stream| {
                stream
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect();
        let job = JobRec {
            id,
            connection_id: connection.id.clone(),
            workspace_id: connection.workspace_id.clone(),
            created_ms: now_ms,
            duration_ms: connection
                .job_duration_ms
                .unwrap_or(self.default_job_duration_ms),
            outcome: if job_type == JobType::Sync {
                connection.outcome
            } else {
                Outcome::Succeed
            },
            job_type,
            cancelled_ms: None,
            streams,
            settled: false,
        };
        self.jobs.insert(id, job);
        self.running.insert(connection.id.clone(), id);
        id
    }
}

/// The state a successful sync leaves: a cursor for each incremental stream.
fn state_after_sync(
    connection_id: &str,
    configured: &[Value],
    synced: &[String],
    finished_ms: i64,
) -> Value {
    let cursor = airbyte_models::EpochMillis::new(finished_ms)
        .to_datetime()
        .map(airbyte_models::format_server_datetime)
        .unwrap_or_default();
    let states: Vec<Value> = configured
        .iter()
        .filter(|stream| {
            stream.get("syncMode").and_then(Value::as_str).is_some_and(|mode| mode.starts_with("incremental"))
        })
        .filter_map(|stream| {
            let name = stream.get("name")?.as_str()?;
            synced.iter().any(|s| s == name).then(|| {
                let mut descriptor = Map::new();
                descriptor.insert("name".into(), Value::from(name));
                if let Some(namespace) = stream.get("namespace").and_then(Value::as_str) {
                    descriptor.insert("namespace".into(), Value::from(namespace));
                }
                serde_json::json!({"streamDescriptor": descriptor, "streamState": {"cursor": cursor}})
            })
        })
        .collect();
    if states.is_empty() {
        serde_json::json!({"stateType": "not_set", "connectionId": connection_id})
    } else {
        serde_json::json!({"stateType": "stream", "connectionId": connection_id, "streamState": states})
    }
}
