//! `definitions`.

use airbyte::prelude::*;
use serde_json::{Value, json};

use super::{confirm, read_document};
use crate::cli::{DefinitionsCommand, GlobalArgs, KindArg};
use crate::error::CliResult;
use crate::output::{Column, Out};

const COLUMNS: &[Column] = &[
    ("ID", "/id"),
    ("KIND", "/kind"),
    ("NAME", "/name"),
    ("VERSION", "/version"),
    ("IMAGE", "/dockerRepository"),
    ("TAG", "/dockerImageTag"),
];

fn kind(arg: KindArg) -> DefinitionKind {
    match arg {
        KindArg::Yaml => DefinitionKind::Yaml,
        KindArg::Docker => DefinitionKind::Docker,
    }
}

async fn describe(definition: &CustomSourceDefinition) -> CliResult<Value> {
    Ok(match definition.kind() {
        DefinitionKind::Yaml => {
            let declarative = definition.declarative().await?;
            json!({"id": declarative.id, "kind": "yaml", "name": declarative.name, "version": declarative.version})
        }
        DefinitionKind::Docker => {
            let docker = definition.docker().await?;
            json!({"id": docker.id, "kind": "docker", "name": docker.name, "dockerRepository": docker.docker_repository, "dockerImageTag": docker.docker_image_tag})
        }
    })
}

pub(crate) async fn run(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: DefinitionsCommand,
) -> CliResult {
    match command {
        DefinitionsCommand::List { kind: arg } => {
            let mut rows = Vec::new();
            for definition in workspace.list_custom_source_definitions(kind(arg)).await? {
                rows.push(describe(&definition).await?);
            }
            out.list(&rows, COLUMNS)
        }
        DefinitionsCommand::Get { id, kind: arg } => {
            let definition = workspace.get_custom_source_definition(&id, kind(arg))?;
            out.one(&describe(&definition).await?, COLUMNS)
        }
        DefinitionsCommand::PublishYaml {
            name,
            manifest,
            testing_values,
        } => {
            let manifest = Manifest::from_path(&manifest)?;
            let mut publish = workspace.publish_yaml_source_definition(name, manifest);
            if let Some(values) = testing_values {
                publish = publish.testing_values(read_document(&values)?);
            }
            let definition = publish.send().await?;
            out.one(&describe(&definition).await?, COLUMNS)
        }
        DefinitionsCommand::PublishDocker { name, image, tag } => {
            let definition = workspace
                .publish_docker_source_definition(name, image, tag)
                .send()
                .await?;
            out.one(&describe(&definition).await?, COLUMNS)
        }
        DefinitionsCommand::UpdateManifest { id, manifest } => {
            let definition = workspace.get_custom_source_definition(&id, DefinitionKind::Yaml)?;
            definition
                .update_manifest(&Manifest::from_path(&manifest)?)
                .await?;
            out.one(&describe(&definition).await?, COLUMNS)
        }
        DefinitionsCommand::UpdateTag { id, tag } => {
            let definition = workspace.get_custom_source_definition(&id, DefinitionKind::Docker)?;
            definition.update_docker_tag(&tag).await?;
            out.one(&describe(&definition).await?, COLUMNS)
        }
        DefinitionsCommand::Rename { id, name } => {
            let definition = workspace.get_custom_source_definition(&id, DefinitionKind::Docker)?;
            definition.rename(&name).await?;
            out.one(&describe(&definition).await?, COLUMNS)
        }
        DefinitionsCommand::Delete {
            id,
            kind: arg,
            no_safe_mode,
        } => {
            let definition = workspace.get_custom_source_definition(&id, kind(arg))?;
            let name = definition.name().await?;
            confirm(
                global,
                &format!("delete custom source definition {name:?} ({id})"),
            )?;
            definition.permanently_delete(!no_safe_mode).await?;
            out.note(&format!("deleted definition {id}"));
            Ok(())
        }
    }
}
