//! Loading a world from JSON: the built-in default world or a user's file. Besides the seed
//! shapes below, sources, destinations, connections, workspaces, organizations and tags may be
//! given as the API answers them (`GET /sources/{id}` and so on), so that bodies taken from a
//! real server seed a world as they are.

use airbyte_models::{
    ConnectionStatus, JobType, NamespaceDefinition, NonBreakingSchemaUpdatesBehavior,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::catalog::{manifest_streams, stream_config};
use super::configuration::{missing_required, strip_type_key};
use super::seed_access::{
    ApplicationSeed, DataplaneSeed, GroupSeed, PermissionSeed, RegionSeed, UserSeed,
};
use super::{
    ActorKind, ActorRec, BuilderProjectRec, CheckScript, ConnectionRec, DeclarativeRec,
    DefinitionRec, OrganizationRec, Schedule, StreamDef, TagRec, WorkspaceRec, World,
};
use crate::jobs::Outcome;

/// The built-in default world.
pub(crate) const DEFAULT_WORLD: &str = include_str!("../../fixtures/default-world.json");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OrganizationSeed {
    organization_id: String,
    organization_name: String,
    email: String,
    #[serde(default)]
    billing: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WorkspaceSeed {
    workspace_id: String,
    name: String,
    organization_id: String,
    #[serde(default = "default_residency")]
    data_residency: String,
    /// As in `WorkspaceResponse`.
    #[serde(default)]
    notifications: Option<Value>,
}

fn default_residency() -> String {
    "auto".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DefinitionSeed {
    definition_id: String,
    #[serde(rename = "type")]
    kind: ActorKind,
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    docker_repository: Option<String>,
    #[serde(default)]
    docker_image_tag: Option<String>,
    #[serde(default)]
    documentation_url: Option<String>,
    #[serde(default)]
    streams: Vec<StreamDef>,
    /// Set for custom (workspace) definitions.
    #[serde(default)]
    workspace_id: Option<String>,
    /// The connector's connection specification (a JSON schema): seeded configurations must
    /// have the fields it requires.
    #[serde(default)]
    connection_specification: Option<Value>,
    /// Whether the connector authenticates with an OAuth consent flow.
    #[serde(default)]
    oauth: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DeclarativeSeed {
    definition_id: String,
    workspace_id: String,
    name: String,
    manifest: Value,
    #[serde(default)]
    builder_project_id: Option<String>,
    #[serde(default)]
    testing_values: Option<Value>,
}

/// A source or destination: the seed shape (`id`) or the API's (`sourceId`, `sourceType`,
/// `createdAt`, ...).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ActorSeed {
    #[serde(alias = "sourceId", alias = "destinationId")]
    id: String,
    workspace_id: String,
    name: String,
    /// The definition; without it, the catalog definition that `sourceType` or
    /// `destinationType` names.
    #[serde(default)]
    definition_id: Option<String>,
    #[serde(default, alias = "sourceType", alias = "destinationType")]
    connector_type: Option<String>,
    #[serde(default)]
    configuration: Value,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    resource_allocation: Option<Value>,
    #[serde(default)]
    check: Option<CheckScript>,
}

/// A configured stream; the fields beyond `name`, `namespace` and `syncMode` are kept as
/// given (a `StreamConfiguration` of the API).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StreamSeed {
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    sync_mode: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

/// `configurations` of a `ConnectionResponse`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigurationsSeed {
    #[serde(default)]
    streams: Vec<StreamSeed>,
}

/// `schedule` of a `ConnectionResponse`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ScheduleSeed {
    schedule_type: String,
    #[serde(default)]
    cron_expression: Option<String>,
    #[serde(default)]
    basic_timing: Option<String>,
}

/// A tag of a connection: its ID, or the tag as the API embeds it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TagRef {
    Id(String),
    Tag {
        #[serde(rename = "tagId")]
        tag_id: String,
    },
}

/// A connection: the seed shape (`streams`, `cronExpression`) or the API's
/// (`configurations.streams`, `schedule`, `createdAt`, ...).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConnectionSeed {
    connection_id: String,
    name: String,
    source_id: String,
    destination_id: String,
    /// Checked against the source's when given.
    #[serde(default)]
    workspace_id: Option<String>,
    #[serde(default)]
    streams: Vec<StreamSeed>,
    #[serde(default)]
    configurations: Option<ConfigurationsSeed>,
    #[serde(default)]
    cron_expression: Option<String>,
    #[serde(default)]
    schedule: Option<ScheduleSeed>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    namespace_definition: Option<String>,
    #[serde(default)]
    namespace_format: Option<String>,
    #[serde(default)]
    non_breaking_schema_updates_behavior: Option<String>,
    /// Deprecated and ignored, but real servers still send it.
    #[serde(default)]
    data_residency: Option<String>,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    outcome: Outcome,
    #[serde(default)]
    tags: Vec<TagRef>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JobSeed {
    connection_id: String,
    #[serde(default = "default_job_type")]
    job_type: String,
    #[serde(default)]
    outcome: Outcome,
    /// How long ago the job started.
    age_minutes: i64,
    #[serde(default = "default_job_seconds")]
    duration_seconds: i64,
}

fn default_job_type() -> String {
    "sync".to_owned()
}

fn default_job_seconds() -> i64 {
    300
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TagSeed {
    tag_id: String,
    workspace_id: String,
    name: String,
    color: String,
}

/// A world description.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct WorldSeed {
    #[serde(default)]
    organizations: Vec<OrganizationSeed>,
    #[serde(default)]
    workspaces: Vec<WorkspaceSeed>,
    #[serde(default)]
    connector_definitions: Vec<DefinitionSeed>,
    #[serde(default)]
    declarative_definitions: Vec<DeclarativeSeed>,
    #[serde(default)]
    sources: Vec<ActorSeed>,
    #[serde(default)]
    destinations: Vec<ActorSeed>,
    #[serde(default)]
    connections: Vec<ConnectionSeed>,
    #[serde(default)]
    jobs: Vec<JobSeed>,
    #[serde(default)]
    tags: Vec<TagSeed>,
    #[serde(default)]
    users: Vec<UserSeed>,
    #[serde(default)]
    permissions: Vec<PermissionSeed>,
    #[serde(default)]
    groups: Vec<GroupSeed>,
    #[serde(default)]
    applications: Vec<ApplicationSeed>,
    #[serde(default)]
    regions: Vec<RegionSeed>,
    #[serde(default)]
    dataplanes: Vec<DataplaneSeed>,
}

impl WorldSeed {
    /// Parses a world file; the error names what is wrong and where. UUIDs are stored in
    /// lower case, as the server stores them, whatever case the file spells them in.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let mut value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        crate::ids::canonical_seed(&mut value);
        Self::deserialize(value).map_err(|error| error.to_string())
    }

    /// Builds the world, checking every reference.
    pub(crate) fn build(
        self,
        seed: u64,
        default_job_duration_ms: i64,
        now_ms: i64,
    ) -> Result<World, String> {
        let mut world = World::empty(seed, default_job_duration_ms);
        let now_s = now_ms / 1000;
        for org in &self.organizations {
            world.organizations.insert(OrganizationRec {
                id: org.organization_id.clone(),
                name: org.organization_name.clone(),
                email: org.email.clone(),
                billing: org.billing.clone(),
            });
        }
        for workspace in &self.workspaces {
            if world
                .organizations
                .get(&workspace.organization_id)
                .is_none()
            {
                return Err(format!(
                    "workspace {}: unknown organization {}",
                    workspace.workspace_id, workspace.organization_id
                ));
            }
            world.workspaces.insert(WorkspaceRec {
                id: workspace.workspace_id.clone(),
                name: workspace.name.clone(),
                organization_id: workspace.organization_id.clone(),
                data_residency: workspace.data_residency.clone(),
                notifications: workspace.notifications.clone().unwrap_or_else(|| json!({})),
                deleted: false,
            });
        }
        for definition in &self.connector_definitions {
            if let Some(workspace) = &definition.workspace_id
                && world.workspace(workspace).is_none()
            {
                return Err(format!(
                    "definition {}: unknown workspace {workspace}",
                    definition.definition_id
                ));
            }
            let repository = definition.docker_repository.clone().unwrap_or_else(|| {
                format!("airbyte/{}-{}", definition.kind.as_str(), definition.name)
            });
            world.definitions.insert(DefinitionRec {
                id: definition.definition_id.clone(),
                kind: definition.kind,
                name: definition.name.clone(),
                version: definition
                    .version
                    .clone()
                    .unwrap_or_else(|| "1.0.0".to_owned()),
                docker_image_tag: definition
                    .docker_image_tag
                    .clone()
                    .unwrap_or_else(|| "1.0.0".to_owned()),
                docker_repository: repository,
                documentation_url: definition.documentation_url.clone(),
                streams: definition.streams.clone(),
                workspace_id: definition.workspace_id.clone(),
                declarative: None,
                specification: definition.connection_specification.clone(),
                oauth: definition.oauth,
            });
        }
        for declarative in &self.declarative_definitions {
            if world.workspace(&declarative.workspace_id).is_none() {
                return Err(format!(
                    "declarative definition {}: unknown workspace",
                    declarative.definition_id
                ));
            }
            world.definitions.insert(DefinitionRec {
                id: declarative.definition_id.clone(),
                kind: ActorKind::Source,
                name: declarative.name.clone(),
                version: "0.1.0".to_owned(),
                docker_repository: "airbyte/source-declarative-manifest".to_owned(),
                docker_image_tag: "6.0.0".to_owned(),
                documentation_url: None,
                streams: manifest_streams(&declarative.manifest),
                workspace_id: Some(declarative.workspace_id.clone()),
                specification: declarative
                    .manifest
                    .pointer("/spec/connection_specification")
                    .cloned(),
                oauth: false,
                declarative: Some(DeclarativeRec {
                    manifest: declarative.manifest.clone(),
                    version: 1,
                    builder_project_id: declarative.builder_project_id.clone(),
                }),
            });
            if let Some(project) = &declarative.builder_project_id {
                world.builder_projects.insert(BuilderProjectRec {
                    id: project.clone(),
                    workspace_id: declarative.workspace_id.clone(),
                    name: declarative.name.clone(),
                    definition_id: declarative.definition_id.clone(),
                    testing_values: declarative.testing_values.clone(),
                    updated_at: now_s,
                });
            }
        }
        for (kind, actors) in [
            (ActorKind::Source, self.sources),
            (ActorKind::Destination, self.destinations),
        ] {
            for actor in actors {
                let what = format!("{} {}", kind.as_str(), actor.id);
                let definition = match (&actor.definition_id, &actor.connector_type) {
                    (Some(id), _) => world.definitions.get(id),
                    (None, Some(name)) => world.definition_by_name(kind, name),
                    (None, None) => {
                        return Err(format!("{what}: give definitionId or the connector type"));
                    }
                }
                .ok_or_else(|| {
                    format!(
                        "{what}: unknown definition {}",
                        actor
                            .definition_id
                            .as_deref()
                            .or(actor.connector_type.as_deref())
                            .unwrap_or_default()
                    )
                })?;
                if definition.kind != kind {
                    return Err(format!(
                        "{what}: definition {} is not a {}",
                        definition.id,
                        kind.as_str()
                    ));
                }
                if world.workspace(&actor.workspace_id).is_none() {
                    return Err(format!("{what}: unknown workspace {}", actor.workspace_id));
                }
                let mut configuration = if actor.configuration.is_null() {
                    json!({})
                } else {
                    actor.configuration
                };
                strip_type_key(kind, &mut configuration);
                if let Some(specification) = &definition.specification {
                    let missing = missing_required(specification, &configuration);
                    if !missing.is_empty() {
                        return Err(format!(
                            "{what}: the configuration lacks {} required by the {} connector",
                            missing.join(", "),
                            definition.name
                        ));
                    }
                }
                let _ = actor.resource_allocation;
                let definition_id = definition.id.clone();
                world.actors.insert(ActorRec {
                    id: actor.id,
                    kind,
                    name: actor.name,
                    workspace_id: actor.workspace_id,
                    definition_id,
                    configuration,
                    created_at: actor.created_at.unwrap_or(now_s - 86_400),
                    check: actor.check,
                    draft: false,
                    deleted: false,
                });
            }
        }
        for tag in &self.tags {
            world.tags.insert(TagRec {
                id: tag.tag_id.clone(),
                name: tag.name.clone(),
                color: tag.color.clone(),
                workspace_id: tag.workspace_id.clone(),
            });
        }
        for connection in &self.connections {
            let source = world
                .actor(ActorKind::Source, &connection.source_id)
                .ok_or_else(|| {
                    format!(
                        "connection {}: unknown source {}",
                        connection.connection_id, connection.source_id
                    )
                })?
                .clone();
            if world
                .actor(ActorKind::Destination, &connection.destination_id)
                .is_none()
            {
                return Err(format!(
                    "connection {}: unknown destination {}",
                    connection.connection_id, connection.destination_id
                ));
            }
            if let Some(workspace) = &connection.workspace_id
                && *workspace != source.workspace_id
            {
                return Err(format!(
                    "connection {}: workspace {workspace} is not its source's",
                    connection.connection_id
                ));
            }
            let offered = world.source_streams(&source);
            let seeds = connection
                .configurations
                .iter()
                .flat_map(|configurations| &configurations.streams)
                .chain(&connection.streams);
            let mut streams = Vec::new();
            for stream in seeds {
                let definition = offered
                    .iter()
                    .find(|offered| offered.name == stream.name)
                    .ok_or_else(|| {
                        format!(
                            "connection {}: the source has no stream {}",
                            connection.connection_id, stream.name
                        )
                    })?;
                let mode = stream
                    .sync_mode
                    .clone()
                    .unwrap_or_else(|| "full_refresh_overwrite".to_owned());
                let mut configured = stream_config(definition, stream.namespace.clone(), &mode);
                if let Some(map) = configured.as_object_mut() {
                    for (key, value) in &stream.rest {
                        map.insert(key.clone(), value.clone());
                    }
                }
                streams.push(configured);
            }
            let mut tags = Vec::new();
            for tag in &connection.tags {
                let (TagRef::Id(id) | TagRef::Tag { tag_id: id }) = tag;
                if world.tags.get(id).is_none() {
                    return Err(format!(
                        "connection {}: unknown tag {id}",
                        connection.connection_id
                    ));
                }
                tags.push(id.clone());
            }
            let schedule = match (&connection.schedule, &connection.cron_expression) {
                (Some(schedule), _) => match schedule.schedule_type.as_str() {
                    "cron" => Schedule::Cron(
                        schedule
                            .cron_expression
                            .clone()
                            .unwrap_or_default()
                            .trim_end_matches(" UTC")
                            .to_owned(),
                    ),
                    "basic" => Schedule::Basic(
                        schedule
                            .basic_timing
                            .clone()
                            .unwrap_or_else(|| "Every 24 HOURS".to_owned()),
                    ),
                    _ => Schedule::Manual,
                },
                (None, Some(cron)) => Schedule::Cron(cron.clone()),
                (None, None) => Schedule::Manual,
            };
            let _ = &connection.data_residency;
            world.connections.insert(ConnectionRec {
                id: connection.connection_id.clone(),
                name: connection.name.clone(),
                workspace_id: source.workspace_id.clone(),
                source_id: connection.source_id.clone(),
                destination_id: connection.destination_id.clone(),
                status: connection
                    .status
                    .as_deref()
                    .map_or(ConnectionStatus::Active, ConnectionStatus::from_wire),
                schedule,
                namespace_definition: connection.namespace_definition.as_deref().map_or(
                    NamespaceDefinition::Destination,
                    NamespaceDefinition::from_wire,
                ),
                namespace_format: connection.namespace_format.clone(),
                prefix: connection.prefix.clone(),
                non_breaking: connection
                    .non_breaking_schema_updates_behavior
                    .as_deref()
                    .map_or(
                        NonBreakingSchemaUpdatesBehavior::Ignore,
                        NonBreakingSchemaUpdatesBehavior::from_wire,
                    ),
                streams,
                tags,
                created_at: connection.created_at.unwrap_or(now_s - 86_000),
                outcome: connection.outcome,
                job_duration_ms: None,
                state: json!({"stateType": "not_set", "connectionId": connection.connection_id}),
                deleted: false,
            });
        }
        let mut jobs: Vec<&JobSeed> = self.jobs.iter().collect();
        jobs.sort_by_key(|job| std::cmp::Reverse(job.age_minutes));
        for job in jobs {
            let connection = world
                .connection(&job.connection_id)
                .ok_or_else(|| format!("job: unknown connection {}", job.connection_id))?
                .clone();
            let job_type = match job.job_type.as_str() {
                "sync" => JobType::Sync,
                "reset" | "clear" => JobType::Reset,
                other => return Err(format!("job: unknown job type {other}")),
            };
            let id = world.start_job(&connection, job_type, now_ms - job.age_minutes * 60_000);
            if let Some(record) = world.jobs.get_mut(&id) {
                record.duration_ms = job.duration_seconds * 1000;
                record.outcome = job.outcome;
            }
        }
        world.settle(now_ms);
        super::seed_access::build(
            &mut world,
            &self.users,
            &self.permissions,
            &self.groups,
            &self.applications,
            (&self.regions, &self.dataplanes),
            now_ms,
        )?;
        Ok(world)
    }
}
