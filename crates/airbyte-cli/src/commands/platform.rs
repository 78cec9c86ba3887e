//! The platform family: `tags`, `connector-definitions`, `destination-definitions`.

use airbyte::cloud::{ConnectorType, CustomDestinationDefinition};
use airbyte::models::{Tag, TagId};
use airbyte::prelude::*;
use serde_json::json;

use crate::cli::{
    ConnectorDefinitionsCommand, ConnectorTypeArg, DestinationDefinitionsCommand, GlobalArgs,
    TagsCommand,
};
use crate::delete::{self, found_or_skip};
use crate::error::{CliError, CliResult, or_not_found};
use crate::input::not_blank;
use crate::output::{Column, Out, text};
use crate::plan::{Action, Change, Plan};
use crate::resolve::{self, single};
use crate::session::uuid_of;

const TAG_COLUMNS: &[Column] = &[
    text("ID", "/tagId"),
    text("NAME", "/name"),
    text("COLOR", "/color"),
];

const CATALOGUE_COLUMNS: &[Column] = &[
    text("ID", "/id"),
    text("NAME", "/name"),
    text("TYPE", "/connectorDefinitionType"),
    text("VERSION", "/version"),
];

const DEFINITION_COLUMNS: &[Column] = &[
    text("ID", "/id"),
    text("NAME", "/name"),
    text("IMAGE", "/dockerRepository"),
    text("TAG", "/dockerImageTag"),
];

const CONNECTION_TAG_COLUMNS: &[Column] = &[
    text("CONNECTION", "/connectionId"),
    text("NAME", "/name"),
    text("TAGS", "/tagNames"),
];

/// A tag by ID or exact name.
async fn tag(workspace: &CloudWorkspace, arg: &str) -> CliResult<Tag> {
    if let Some(id) = uuid_of(arg) {
        let id = TagId::new(&id).map_err(|error| CliError::bad(error.to_string()))?;
        return or_not_found(workspace.fetch_tag(&id).await, "tag", arg);
    }
    let matches = workspace.list_tags().name(arg).collect().await?;
    single(
        "tag",
        arg,
        matches
            .into_iter()
            .map(|tag| (tag.tag_id.to_string(), tag))
            .collect(),
    )
}

async fn tag_ids(workspace: &CloudWorkspace, args: &[String]) -> CliResult<Vec<TagId>> {
    let mut ids = Vec::with_capacity(args.len());
    for arg in args {
        ids.push(tag(workspace, arg).await?.tag_id);
    }
    Ok(ids)
}

/// A connection with its tags' names, for output.
fn tagged(connection: &airbyte::models::ConnectionResponse) -> serde_json::Value {
    let names: Vec<&str> = connection
        .tags
        .iter()
        .map(|tag| tag.name.as_str())
        .collect();
    json!({
        "connectionId": connection.connection_id,
        "name": connection.name,
        "tags": connection.tags,
        "tagNames": names.join(", "),
    })
}

pub(crate) async fn tags(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: TagsCommand,
) -> CliResult {
    match command {
        TagsCommand::List { name } => {
            let mut list = workspace.list_tags();
            if let Some(name) = name {
                list = list.name(name);
            }
            out.list(&list.collect().await?, TAG_COLUMNS)
        }
        TagsCommand::Create {
            name,
            rgb: color,
            dry_run,
        } => {
            airbyte::cloud::check_tag(&name, &color)?;
            let plan = Plan::of(
                Change::new(Action::Create, "tag")
                    .name(name.clone())
                    .detail(format!("colour {color}")),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&workspace.create_tag(&name, &color).await?, TAG_COLUMNS)
        }
        TagsCommand::Update {
            tag: arg,
            name,
            rgb: color,
            dry_run,
        } => {
            if name.is_none() && color.is_none() {
                return Err(CliError::bad("give --name or --rgb (or both)"));
            }
            let current = tag(workspace, &arg).await?;
            let name = name.unwrap_or_else(|| current.name.clone());
            let color = color.unwrap_or_else(|| current.color.clone());
            airbyte::cloud::check_tag(&name, &color)?;
            let plan = Plan::of(
                Change::new(Action::Update, "tag")
                    .id(&current.tag_id)
                    .name(current.name.clone())
                    .detail(format!(
                        "name \"{}\" -> \"{name}\", colour {} -> {color}",
                        current.name, current.color
                    )),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(
                &workspace.update_tag(&current.tag_id, &name, &color).await?,
                TAG_COLUMNS,
            )
        }
        TagsCommand::Delete { tag: arg, delete } => {
            let Some(found) = found_or_skip(tag(workspace, &arg).await, &delete, out, "tag", &arg)?
            else {
                return Ok(());
            };
            let safe_mode = !delete.no_safe_mode;
            if safe_mode {
                // Refused before anything is asked or shown as the plan.
                airbyte::cloud::is_safe_to_delete(&found.name)
                    .then_some(())
                    .ok_or_else(|| {
                        CliError::from(airbyte::Error::SafeModeRefusal {
                            kind: airbyte::cloud::ResourceKind::Tag,
                            id: found.tag_id.to_string(),
                            name: found.name.clone(),
                        })
                    })?;
            }
            let plan = Plan::of(
                Change::new(Action::Delete, "tag")
                    .id(&found.tag_id)
                    .name(found.name.clone()),
            );
            if plan.preview(delete.dry_run, out) {
                return Ok(());
            }
            plan.confirm(global).await?;
            workspace.delete_tag(&found.tag_id, safe_mode).await?;
            out.note(&format!(
                "deleted tag \"{}\" ({})",
                found.name, found.tag_id
            ));
            Ok(())
        }
        TagsCommand::Add {
            connection,
            tags,
            dry_run,
        } => edit_tags(workspace, out, TagEdit::Add, &connection, &tags, dry_run).await,
        TagsCommand::Remove {
            connection,
            tags,
            dry_run,
        } => edit_tags(workspace, out, TagEdit::Remove, &connection, &tags, dry_run).await,
        TagsCommand::Set {
            connection,
            tags,
            dry_run,
        } => edit_tags(workspace, out, TagEdit::Set, &connection, &tags, dry_run).await,
    }
}

/// What `tags add`, `tags remove` and `tags set` do to a connection's tags.
#[derive(Clone, Copy)]
enum TagEdit {
    Add,
    Remove,
    Set,
}

impl TagEdit {
    fn verb(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Set => "set",
        }
    }
}

/// Finds the connection and the tags (by ID or name), previews the change, then makes it and
/// shows the connection with its tags.
async fn edit_tags(
    workspace: &CloudWorkspace,
    out: &Out,
    edit: TagEdit,
    connection: &str,
    tags: &[String],
    dry_run: crate::cli::DryRun,
) -> CliResult {
    let connection = resolve::connection(workspace, connection).await?;
    let ids = tag_ids(workspace, tags).await?;
    let plan = Plan::of(
        Change::new(Action::Update, "connection")
            .id(connection.id())
            .detail(format!("{} tags: {}", edit.verb(), tags.join(", "))),
    );
    if plan.preview(dry_run, out) {
        return Ok(());
    }
    let changed = match edit {
        TagEdit::Add => connection.add_tags(&ids).await?,
        TagEdit::Remove => connection.remove_tags(&ids).await?,
        TagEdit::Set => connection.set_tags(&ids).await?,
    };
    out.one(&tagged(&changed), CONNECTION_TAG_COLUMNS)
}

pub(crate) async fn connector_definitions(
    workspace: &CloudWorkspace,
    out: &Out,
    command: ConnectorDefinitionsCommand,
) -> CliResult {
    let ConnectorDefinitionsCommand::List {
        connector_type,
        search,
        limit,
    } = command;
    let connector_type = match connector_type {
        ConnectorTypeArg::Source => ConnectorType::Source,
        ConnectorTypeArg::Destination => ConnectorType::Destination,
    };
    let mut list = workspace
        .list_connector_definitions(connector_type)
        .limit(limit);
    if let Some(text) = search {
        list = list.name_contains(text);
    }
    out.list(&list.collect().await?, CATALOGUE_COLUMNS)
}

/// A custom destination definition by ID or exact name, read from the server.
async fn destination_definition(
    workspace: &CloudWorkspace,
    arg: &str,
) -> CliResult<CustomDestinationDefinition> {
    const KIND: &str = "custom destination definition";
    if let Some(id) = uuid_of(arg) {
        let definition = workspace.custom_destination_definition(&id)?;
        or_not_found(definition.info().await, KIND, arg)?;
        return Ok(definition);
    }
    let matches = workspace
        .list_custom_destination_definitions()
        .name(arg)
        .collect()
        .await?;
    single(
        KIND,
        arg,
        matches
            .into_iter()
            .map(|definition| (definition.id().to_string(), definition))
            .collect(),
    )
}

pub(crate) async fn destination_definitions(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: DestinationDefinitionsCommand,
) -> CliResult {
    match command {
        DestinationDefinitionsCommand::List { name } => {
            let mut list = workspace.list_custom_destination_definitions();
            if let Some(name) = name {
                list = list.name(name);
            }
            let rows: Vec<_> = list
                .collect()
                .await?
                .iter()
                .filter_map(CustomDestinationDefinition::known_info)
                .collect();
            out.list(&rows, DEFINITION_COLUMNS)
        }
        DestinationDefinitionsCommand::Get { id } => {
            let definition = destination_definition(workspace, &id).await?;
            out.one(&definition.info().await?, DEFINITION_COLUMNS)
        }
        DestinationDefinitionsCommand::PublishDocker {
            name,
            image,
            tag,
            documentation_url,
            dry_run,
        } => {
            not_blank("name", &name)?;
            not_blank("image", &image)?;
            not_blank("tag", &tag)?;
            let plan = Plan::of(
                Change::new(Action::Create, "custom destination definition")
                    .name(name.clone())
                    .detail(format!("image {image}:{tag}")),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let mut publish = workspace.publish_docker_destination_definition(name, image, tag);
            if let Some(url) = documentation_url {
                publish = publish.documentation_url(url);
            }
            let definition = publish.await?;
            out.one(&definition.info().await?, DEFINITION_COLUMNS)
        }
        DestinationDefinitionsCommand::Update {
            id,
            name,
            tag,
            dry_run,
        } => {
            if name.is_none() && tag.is_none() {
                return Err(CliError::bad("give --name or --tag (or both)"));
            }
            let definition = destination_definition(workspace, &id).await?;
            let current = definition.info().await?;
            let name = name.unwrap_or_else(|| current.name.clone());
            let tag = tag.unwrap_or_else(|| current.docker_image_tag.clone());
            let plan = Plan::of(
                Change::new(Action::Update, "custom destination definition")
                    .id(definition.id())
                    .name(current.name.clone())
                    .detail(format!(
                        "name \"{}\" -> \"{name}\", tag {} -> {tag}",
                        current.name, current.docker_image_tag
                    )),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&definition.update(&name, &tag).await?, DEFINITION_COLUMNS)
        }
        DestinationDefinitionsCommand::Delete { id, delete } => {
            let found = destination_definition(workspace, &id).await;
            let Some(definition) =
                found_or_skip(found, &delete, out, "custom destination definition", &id)?
            else {
                return Ok(());
            };
            delete::run(definition.delete(), &delete, global, out).await
        }
    }
}
