//! The Config API's creates (`sources/create`, `destinations/create`), the only way to create
//! a draft: a source or destination without its credentials, which a person completes later.
//! A draft that carries a secret, or lacks a required field that is not a secret, is refused
//! with the platform's `deferred-credential-setup` problem (422), naming each field by JSON
//! pointer and code only. Also `source_definitions/get`.

use airbyte_models::{DestinationCreate, SourceCreate, SourceDefinitionIdRequest};
use http::StatusCode;
use serde_json::{Value, json};

use super::{Ctx, Outcome};
use crate::answer::Resp;
use crate::world::configuration::{missing_outside_secrets, secret_pointers, strip_type_key};
use crate::world::{ActorKind, ActorRec, DefinitionRec, World};

/// The refusal of an unsafe draft.
fn deferred_refusal(reason: &str, issues: Vec<Value>) -> Resp {
    Resp::problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "deferred-credential-setup",
        Some("deferred-credential-setup"),
        "Connector setup could not be prepared safely.",
        json!({"reason": reason, "issues": issues}),
    )
}

/// Why a draft's configuration is refused, if it is.
fn check_draft(definition: &DefinitionRec, configuration: &Value) -> Result<(), Resp> {
    let secrets = secret_pointers(definition.specification.as_ref(), configuration);
    if !secrets.is_empty() {
        let issues = secrets
            .into_iter()
            .map(|path| json!({"path": path, "code": "omit_secret"}))
            .collect();
        return Err(deferred_refusal("secret_input_not_allowed", issues));
    }
    if let Some(specification) = &definition.specification {
        let missing = missing_outside_secrets(specification, configuration);
        if !missing.is_empty() {
            let issues = missing
                .into_iter()
                .map(|path| json!({"path": path, "code": "required"}))
                .collect();
            return Err(deferred_refusal("configuration_invalid", issues));
        }
    }
    Ok(())
}

/// The definition an actor of the workspace may run: public, or the workspace's own.
fn usable_definition<'w>(
    world: &'w World,
    kind: ActorKind,
    id: &str,
    workspace: &str,
) -> Result<&'w DefinitionRec, Resp> {
    world
        .definitions
        .get(id)
        .filter(|definition| definition.kind == kind)
        .filter(|definition| {
            definition
                .workspace_id
                .as_deref()
                .is_none_or(|owner| owner == workspace)
        })
        .ok_or_else(|| super::config::not_found(&format!("{}_definition", kind.as_str()), id))
}

/// `sources/create` and `destinations/create`.
pub(crate) fn create(ctx: &Ctx, kind: ActorKind) -> Outcome {
    let body = if kind == ActorKind::Source {
        ctx.body::<SourceCreate>()?
    } else {
        ctx.body::<DestinationCreate>()?
    };
    let workspace = body.str_req("workspaceId")?;
    let name = body.str_req("name")?;
    let definition_id = body.str_req(&format!("{}DefinitionId", kind.as_str()))?;
    let mut configuration = Value::Object(body.object_req("connectionConfiguration")?);
    let secret_id = body.str_opt("secretId")?;
    let draft = body.bool_opt("createAsDraft")?.unwrap_or(false);
    ctx.check_workspace(&workspace)?;
    let mut world = ctx.world();
    if world.workspace(&workspace).is_none() {
        return Err(super::config::not_found("workspace", &workspace));
    }
    let definition = usable_definition(&world, kind, &definition_id, &workspace)?.clone();
    strip_type_key(kind, &mut configuration);
    if draft {
        check_draft(&definition, &configuration)?;
    }
    if let Some(secret) = &secret_id {
        let credentials =
            super::oauth::secret_configuration(&world, secret, &workspace, &definition.id)?;
        crate::world::configuration::merge(&mut configuration, &credentials);
    }
    let actor = ActorRec {
        id: world.new_id(),
        kind,
        name,
        workspace_id: workspace,
        definition_id: definition.id.clone(),
        configuration,
        created_at: ctx.now_s(),
        check: None,
        draft,
        deleted: false,
    };
    let answer = actor.config_json(&world);
    world.actors.insert(actor);
    Ok(Resp::ok(&answer))
}

/// `source_definitions/get`: a catalog definition, or a custom one of a workspace the caller
/// reaches.
pub(crate) fn source_definition(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<SourceDefinitionIdRequest>()?;
    let id = body.str_req("sourceDefinitionId")?;
    let world = ctx.world();
    let definition = world
        .definitions
        .get(&id)
        .filter(|definition| definition.kind == ActorKind::Source)
        .ok_or_else(|| super::config::not_found("source_definition", &id))?;
    if let Some(workspace) = &definition.workspace_id {
        ctx.check_workspace(workspace)?;
    }
    let mut answer = json!({
        "sourceDefinitionId": definition.id,
        "name": definition.name,
        "dockerRepository": definition.docker_repository,
        "dockerImageTag": definition.docker_image_tag,
        "protocolVersion": "0.2.0",
        "custom": definition.is_custom(),
    });
    if let Some(url) = &definition.documentation_url {
        answer["documentationUrl"] = Value::from(url.as_str());
    }
    if !definition.is_custom() {
        answer["supportLevel"] = Value::from("certified");
        answer["releaseStage"] = Value::from("generally_available");
    }
    Ok(Resp::ok(&answer))
}
