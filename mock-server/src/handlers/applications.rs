//! Applications (`/applications`): client credentials that mint tokens acting as their user;
//! and the tokens of Airbyte Embedded (`/embedded/widget_token`, `/embedded/scoped_token`).

use airbyte_models::{ApplicationCreate, EmbeddedScopedTokenRequest, EmbeddedWidgetRequest};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::StatusCode;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::{Ctx, Outcome, find_organization};
use crate::answer::Resp;
use crate::auth::Grant;
use crate::world::access::ADMIN;
use crate::world::{ApplicationRec, WorkspaceRec, World};

/// An application of the caller's user; another user's is not found, as on the real server.
fn find<'w>(ctx: &Ctx, world: &'w World, id: &str) -> Result<&'w ApplicationRec, Resp> {
    let user = ctx.caller_user()?;
    world
        .applications
        .get(id)
        .filter(|application| application.user_id == user)
        .ok_or_else(|| Resp::not_found("APPLICATION", id))
}

pub(crate) fn list(ctx: &Ctx) -> Outcome {
    let user = ctx.caller_user()?;
    let world = ctx.world();
    let applications: Vec<Value> = world
        .applications
        .iter()
        .filter(|application| application.user_id == user)
        .map(ApplicationRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"applications": applications})))
}

pub(crate) fn create(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<ApplicationCreate>()?;
    let name = body.str_req("name")?;
    if name.trim().is_empty() {
        return Err(Resp::error_id(StatusCode::BAD_REQUEST));
    }
    let user = ctx.caller_user()?.to_owned();
    let mut world = ctx.world();
    let application = ApplicationRec {
        id: world.new_id(),
        name,
        client_id: world.new_id(),
        client_secret: world.new_secret(),
        user_id: user,
        created_at: ctx.now_s(),
    };
    let answer = application.public_json();
    world.applications.insert(application);
    Ok(Resp::ok(&answer))
}

pub(crate) fn get(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(&find(ctx, &world, id)?.public_json()))
}

/// Answers 200 with the deleted application; its tokens stop working at once.
pub(crate) fn delete(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    let answer = find(ctx, &world, id)?.public_json();
    world.applications.remove(id);
    Ok(Resp::ok(&answer))
}

/// A token reaching one workspace, on behalf of the caller's user.
fn scoped_token(ctx: &Ctx, workspace_id: &str) -> String {
    let grant = Grant::Scoped {
        workspace: workspace_id.to_owned(),
        user: ctx.principal.user_id.clone(),
    };
    ctx.app
        .tokens
        .issue("embedded", &grant, None, ctx.app.config.token_ttl)
}

pub(crate) fn embedded_scoped_token(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<EmbeddedScopedTokenRequest>()?;
    let workspace = body.str_req("workspaceId")?;
    ctx.check_workspace(&workspace)?;
    if ctx.world().workspace(&workspace).is_none() {
        return Err(Resp::not_found("STANDARD_WORKSPACE", &workspace));
    }
    Ok(Resp::ok(&json!({"token": scoped_token(ctx, &workspace)})))
}

/// Whether a text is a web origin: `scheme://host[:port]`, nothing after.
fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', ' ', '@'])
}

/// `POST /embedded/widget_token`: the end user gets a workspace of their own in the
/// organization (found by name the second time), and a widget token: base64 of a JSON object
/// with a token scoped to that workspace and the widget's URL.
pub(crate) fn embedded_widget_token(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<EmbeddedWidgetRequest>()?;
    let origin = body.str_req("allowedOrigin")?;
    let external_user = body.str_req("externalUserId")?;
    let organization = body.str_req("organizationId")?;
    if !is_origin(&origin) {
        return Err(Resp::bad_request(&format!(
            "allowedOrigin must be a web origin such as https://app.example.com, got {origin}"
        )));
    }
    if external_user.trim().is_empty() {
        return Err(Resp::error_id(StatusCode::BAD_REQUEST));
    }
    let workspace = {
        let mut world = ctx.world();
        ctx.check_organization(&world, &organization, ADMIN)?;
        find_organization(&world, &organization)?;
        let existing = world.workspaces.iter().find(|workspace| {
            workspace.organization_id == organization
                && !workspace.deleted
                && workspace.name == external_user
        });
        match existing {
            Some(workspace) => workspace.id.clone(),
            None => {
                let workspace = WorkspaceRec {
                    id: world.new_id(),
                    name: external_user,
                    organization_id: organization,
                    data_residency: "auto".to_owned(),
                    notifications: json!({}),
                    deleted: false,
                };
                let id = workspace.id.clone();
                world.workspaces.insert(workspace);
                id
            }
        }
    };
    let web_root = ctx.app.api_host.trim_end_matches("/api/public");
    let widget_url = format!(
        "{web_root}/embedded-widget?workspaceId={workspace}&allowedOrigin={}",
        utf8_percent_encode(&origin, NON_ALPHANUMERIC)
    );
    let inner = json!({"token": scoped_token(ctx, &workspace), "widgetUrl": widget_url});
    let token = STANDARD.encode(inner.to_string());
    Ok(Resp::ok(&json!({"token": token})))
}

#[cfg(test)]
mod tests {
    use super::is_origin;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert!(is_origin("https://app.example.com"));
        assert!(is_origin("http://localhost:3000"));
        assert!(!is_origin("app.example.com"));
        assert!(!is_origin("https://app.example.com/path"));
        assert!(!is_origin("ftp://files.example.com"));
        assert!(!is_origin("https://"));
    }
}
