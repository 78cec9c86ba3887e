//! OAuth: `POST /sources/initiateOAuth` answers the identity provider's consent URL (with the
//! OAuth client a workspace or organization override names, or Airbyte's), the provider sends
//! the user to `GET /oauth/callback`, which answers `302` to the flow's redirect URL with a
//! `secret_id`, and a source created with that secret ID gets the flow's credentials. Also
//! the OAuth credential overrides of workspaces and organizations (PUT and DELETE), and the
//! documentation redirect of `GET /`.

use airbyte_models::{ConnectorType, InitiateOauthRequest, OAuthCredentialsRequest};
use http::StatusCode;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::{Ctx, Outcome, find_organization};
use crate::answer::Resp;
use crate::world::access::ADMIN;
use crate::world::{
    ActorKind, DefinitionRec, OAuthFlowRec, OAuthOverrideRec, OAuthSecretRec, OverrideScope, World,
};

/// Where `GET /` sends a client.
const DOCUMENTATION: &str = "https://reference.airbyte.com/reference/start";

/// The host of the mock identity provider of consent URLs (`.invalid`: never resolvable).
const PROVIDER: &str = "https://oauth.mock-airbyte.invalid";

/// `GET /`: 302 to the documentation.
pub(crate) fn documentation() -> Resp {
    redirect(DOCUMENTATION.to_owned())
}

fn redirect(location: String) -> Resp {
    let mut answer = Resp::no_content().with_header("location", location);
    answer.status = StatusCode::FOUND;
    answer
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

fn actor_kind(kind: &ConnectorType) -> ActorKind {
    if *kind == ConnectorType::Destination {
        ActorKind::Destination
    } else {
        ActorKind::Source
    }
}

/// The catalog connector of a kind named `name` that authenticates with OAuth; 400 otherwise.
fn oauth_connector<'w>(
    world: &'w World,
    kind: ActorKind,
    name: &str,
) -> Result<&'w DefinitionRec, Resp> {
    let definition = world.definition_by_name(kind, name).ok_or_else(|| {
        Resp::problem(
            StatusCode::BAD_REQUEST,
            "value-not-found",
            None,
            "The submitted value could not be found.",
            json!({"value": name}),
        )
    })?;
    if definition.oauth {
        Ok(definition)
    } else {
        Err(Resp::bad_request(&format!(
            "The {} connector {name} does not authenticate with OAuth.",
            kind.as_str()
        )))
    }
}

/// The OAuth client of a connector in a workspace: the workspace's override, else its
/// organization's, else Airbyte's own.
fn client_id(world: &World, workspace: &str, kind: ActorKind, name: &str) -> String {
    let organization = world.organization_of(workspace).unwrap_or_default();
    let find = |scope: OverrideScope| {
        world
            .oauth_overrides
            .iter()
            .find(|entry| entry.scope == scope && entry.kind == kind && entry.name == name)
            .and_then(OAuthOverrideRec::client_id)
            .map(str::to_owned)
    };
    find(OverrideScope::Workspace(workspace.to_owned()))
        .or_else(|| find(OverrideScope::Organization(organization.to_owned())))
        .unwrap_or_else(|| format!("airbyte-{name}-oauth-client"))
}

pub(crate) fn initiate(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<InitiateOauthRequest>()?;
    let redirect_url = body.str_req("redirectUrl")?;
    let workspace = body.str_req("workspaceId")?;
    let name = match (body.str_opt("sourceType")?, body.str_opt("name")?) {
        (Some(name), _) | (None, Some(name)) => name,
        (None, None) => {
            return Err(Resp::bad_request(
                "Name the source to authenticate to with sourceType.",
            ));
        }
    };
    body.object_opt("oAuthInputConfiguration")?;
    let scopes: Vec<String> = body
        .array_opt("requestedScopes")?
        .unwrap_or_default()
        .iter()
        .map(|scope| {
            scope
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY))
        })
        .collect::<Result<_, _>>()?;
    body.array_opt("requestedOptionalScopes")?;
    if !(redirect_url.starts_with("https://") || redirect_url.starts_with("http://")) {
        return Err(Resp::bad_request(
            "redirectUrl must be an absolute http or https URL.",
        ));
    }
    ctx.check_workspace(&workspace)?;
    let mut world = ctx.world();
    if world.workspace(&workspace).is_none() {
        return Err(Resp::not_found("STANDARD_WORKSPACE", &workspace));
    }
    let definition_id = oauth_connector(&world, ActorKind::Source, &name)?
        .id
        .clone();
    let client = client_id(&world, &workspace, ActorKind::Source, &name);
    let state = world.new_id();
    let callback = format!("{}/v1/oauth/callback", ctx.app.api_host);
    let mut consent_url = format!(
        "{PROVIDER}/{name}/authorize?response_type=code&client_id={}&redirect_uri={}&state={state}",
        encode(&client),
        encode(&callback),
    );
    if !scopes.is_empty() {
        consent_url.push_str(&format!("&scope={}", encode(&scopes.join(" "))));
    }
    world.oauth_flows.insert(OAuthFlowRec {
        state,
        workspace_id: workspace,
        definition_id,
        redirect_url,
        client_id: client,
    });
    Ok(Resp::ok(&json!({"consentUrl": consent_url})))
}

/// `GET /oauth/callback` (no credentials): completes a flow once. An unknown or used `state`
/// is the server's `oauth-callback-failure` (500).
pub(crate) fn callback(ctx: &Ctx) -> Outcome {
    let (Some(state), Some(code)) = (ctx.req.query_one("state"), ctx.req.query_one("code")) else {
        return Err(Resp::bad_request(
            "The callback needs the state and code the identity provider sends.",
        ));
    };
    let mut world = ctx.world();
    let Some(flow) = world.oauth_flows.remove(state) else {
        return Err(Resp::problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "oauth-callback-failure",
            Some("oauth-callback-failure"),
            "Unexpected problem completing OAuth",
            json!({"message": "No OAuth flow is waiting for this state: it is unknown or already completed."}),
        ));
    };
    let secret = OAuthSecretRec {
        id: format!(
            "airbyte_oauth_workspace_{}_secret_{}_v1",
            flow.workspace_id,
            world.new_id()
        ),
        workspace_id: flow.workspace_id.clone(),
        definition_id: flow.definition_id.clone(),
        configuration: json!({"credentials": {
            "auth_type": "oauth2.0",
            "client_id": flow.client_id,
            "refresh_token": format!("mock-refresh-{}-{}", code.len(), world.new_secret()),
        }}),
    };
    let separator = if flow.redirect_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = format!(
        "{}{separator}secret_id={}",
        flow.redirect_url,
        encode(&secret.id)
    );
    world.oauth_secrets.insert(secret);
    Ok(redirect(location))
}

/// The credentials of an OAuth secret for a source create: 400 when the secret is unknown or
/// belongs to another workspace or connector.
pub(crate) fn secret_configuration(
    world: &World,
    secret_id: &str,
    workspace: &str,
    definition: &str,
) -> Result<Value, Resp> {
    world
        .oauth_secrets
        .get(secret_id)
        .filter(|secret| secret.workspace_id == workspace && secret.definition_id == definition)
        .map(|secret| secret.configuration.clone())
        .ok_or_else(|| {
            Resp::bad_request(&format!(
                "secretId {secret_id} is not an OAuth secret of this workspace and connector."
            ))
        })
}

/// PUT of an override: the connector must be an OAuth connector of the catalog.
fn put_override(ctx: &Ctx, scope: OverrideScope) -> Outcome {
    let body = ctx.body::<OAuthCredentialsRequest>()?;
    let kind = actor_kind(&body.enum_req("actorType", ConnectorType::KNOWN)?);
    let name = body.str_req("name")?;
    let configuration = Value::Object(body.object_req("configuration")?);
    let mut world = ctx.world();
    check_scope(ctx, &world, &scope)?;
    oauth_connector(&world, kind, &name)?;
    world
        .oauth_overrides
        .retain(|entry| !(entry.scope == scope && entry.kind == kind && entry.name == name));
    world.oauth_overrides.push(OAuthOverrideRec {
        scope,
        kind,
        name,
        configuration,
    });
    let mut answer = Resp::no_content();
    answer.status = StatusCode::OK;
    Ok(answer)
}

fn delete_override(ctx: &Ctx, scope: OverrideScope, actor_type: &str, name: &str) -> Outcome {
    let kind = match actor_type {
        "source" => ActorKind::Source,
        "destination" => ActorKind::Destination,
        _ => {
            return Err(Resp::bad_request(&format!(
                "actorType must be source or destination, got {actor_type}"
            )));
        }
    };
    let mut world = ctx.world();
    check_scope(ctx, &world, &scope)?;
    let before = world.oauth_overrides.len();
    world
        .oauth_overrides
        .retain(|entry| !(entry.scope == scope && entry.kind == kind && entry.name == name));
    if world.oauth_overrides.len() == before {
        return Err(Resp::not_found("OAUTH_PARAMETER", name));
    }
    Ok(Resp::no_content())
}

/// The caller must administer the workspace or the organization, which must exist.
fn check_scope(ctx: &Ctx, world: &World, scope: &OverrideScope) -> Result<(), Resp> {
    match scope {
        OverrideScope::Workspace(workspace) => {
            ctx.check_workspace_admin(world, workspace)?;
            if world.workspace(workspace).is_none() {
                return Err(Resp::not_found("STANDARD_WORKSPACE", workspace));
            }
            Ok(())
        }
        OverrideScope::Organization(organization) => {
            ctx.check_organization(world, organization, ADMIN)?;
            find_organization(world, organization).map(drop)
        }
    }
}

pub(crate) fn put_workspace_override(ctx: &Ctx, workspace: &str) -> Outcome {
    put_override(ctx, OverrideScope::Workspace(workspace.to_owned()))
}

pub(crate) fn delete_workspace_override(
    ctx: &Ctx,
    workspace: &str,
    actor_type: &str,
    name: &str,
) -> Outcome {
    delete_override(
        ctx,
        OverrideScope::Workspace(workspace.to_owned()),
        actor_type,
        name,
    )
}

pub(crate) fn put_organization_override(ctx: &Ctx, organization: &str) -> Outcome {
    put_override(ctx, OverrideScope::Organization(organization.to_owned()))
}

pub(crate) fn delete_organization_override(
    ctx: &Ctx,
    organization: &str,
    actor_type: &str,
    name: &str,
) -> Outcome {
    delete_override(
        ctx,
        OverrideScope::Organization(organization.to_owned()),
        actor_type,
        name,
    )
}
