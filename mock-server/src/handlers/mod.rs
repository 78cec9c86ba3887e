//! The emulated API: routing and the helpers the handlers share.

mod actors;
mod body;
mod catalog;
mod config;
mod connections;
pub(crate) mod control;
mod definitions;
mod jobs;
mod misc;

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

pub(crate) use body::Body;
pub(crate) use catalog::{manifest_streams, stream_config};

use crate::auth::Principal;
use crate::http_util::{ApiKind, Req, Resp};
use crate::server::Shared;
use crate::world::{ActorKind, World};

/// What a handler works with.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) req: &'a Req,
    pub(crate) principal: Principal,
    pub(crate) now_ms: i64,
}

/// A handler's result: the error side is an answer too.
pub(crate) type Outcome = Result<Resp, Resp>;

impl Ctx<'_> {
    pub(crate) fn world(&self) -> std::sync::MutexGuard<'_, World> {
        let mut world = self
            .shared
            .world
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        world.settle(self.now_ms);
        world
    }

    pub(crate) fn now_s(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }

    /// 403 unless the caller may reach the workspace.
    pub(crate) fn check_workspace(&self, workspace_id: &str) -> Result<(), Resp> {
        if self.principal.may_access(workspace_id) {
            Ok(())
        } else {
            Err(Resp::forbidden(&format!(
                "Caller does not have the required WORKSPACE_READER permissions to access the resource(s): {workspace_id}"
            )))
        }
    }
}

/// Answers with 405 and an `Allow` header.
fn method_not_allowed(allowed: &[Method]) -> Resp {
    let allow = allowed
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    Resp::error_id(StatusCode::METHOD_NOT_ALLOWED).with_header("allow", allow)
}

/// Matches the method against a route's handlers.
macro_rules! methods {
    ($ctx:expr, $($method:ident => $handler:expr),+ $(,)?) => {{
        match $ctx.req.method {
            $(Method::$method => $handler,)+
            _ => Err(method_not_allowed(&[$(Method::$method),+])),
        }
    }};
}

/// Routes an authenticated Public API request.
pub(crate) fn public(ctx: &Ctx<'_>) -> Outcome {
    let path = ctx.req.path();
    match path.as_slice() {
        ["workspaces"] => {
            methods!(ctx, GET => misc::list_workspaces(ctx), POST => misc::create_workspace(ctx))
        }
        ["workspaces", id] => methods!(ctx,
            GET => misc::get_workspace(ctx, id),
            PATCH => misc::update_workspace(ctx, id),
            DELETE => misc::delete_workspace(ctx, id)),
        ["workspaces", workspace, "definitions", kind] => methods!(ctx,
            GET => definitions::list(ctx, workspace, kind),
            POST => definitions::create(ctx, workspace, kind)),
        ["workspaces", workspace, "definitions", kind, id] => methods!(ctx,
            GET => definitions::get(ctx, workspace, kind, id),
            PUT => definitions::update(ctx, workspace, kind, id),
            DELETE => definitions::delete(ctx, workspace, kind, id)),
        ["sources"] => methods!(ctx,
            GET => actors::list(ctx, ActorKind::Source),
            POST => actors::create(ctx, ActorKind::Source)),
        ["sources", id] => methods!(ctx,
            GET => actors::get(ctx, ActorKind::Source, id),
            PATCH => actors::patch(ctx, ActorKind::Source, id),
            PUT => actors::put(ctx, ActorKind::Source, id),
            DELETE => actors::delete(ctx, ActorKind::Source, id)),
        ["destinations"] => methods!(ctx,
            GET => actors::list(ctx, ActorKind::Destination),
            POST => actors::create(ctx, ActorKind::Destination)),
        ["destinations", id] => methods!(ctx,
            GET => actors::get(ctx, ActorKind::Destination, id),
            PATCH => actors::patch(ctx, ActorKind::Destination, id),
            PUT => actors::put(ctx, ActorKind::Destination, id),
            DELETE => actors::delete(ctx, ActorKind::Destination, id)),
        ["connections"] => {
            methods!(ctx, GET => connections::list(ctx), POST => connections::create(ctx))
        }
        ["connections", id] => methods!(ctx,
            GET => connections::get(ctx, id),
            PATCH => connections::patch(ctx, id),
            DELETE => connections::delete(ctx, id)),
        ["jobs"] => methods!(ctx, GET => jobs::list(ctx), POST => jobs::create(ctx)),
        ["jobs", id] => methods!(ctx, GET => jobs::get(ctx, id), DELETE => jobs::cancel(ctx, id)),
        ["streams"] => methods!(ctx, GET => catalog::stream_properties(ctx)),
        ["organizations"] => methods!(ctx, GET => misc::list_organizations(ctx)),
        ["tags"] => methods!(ctx, GET => misc::list_tags(ctx), POST => misc::create_tag(ctx)),
        ["tags", id] => methods!(ctx,
            GET => misc::get_tag(ctx, id),
            PATCH => misc::patch_tag(ctx, id),
            DELETE => misc::delete_tag(ctx, id)),
        ["connector_definitions"] => methods!(ctx, GET => definitions::list_catalog(ctx)),
        _ => Err(unknown_route(ctx.req)),
    }
}

/// Routes an authenticated Config API request (every route is a `POST`).
pub(crate) fn config_api(ctx: &Ctx<'_>) -> Outcome {
    let path = ctx.req.path();
    let route = path.join("/");
    let known = config::ROUTES.contains(&route.as_str());
    if !known {
        return Err(unknown_route(ctx.req));
    }
    if ctx.req.method != Method::POST {
        return Err(method_not_allowed(&[Method::POST]));
    }
    config::handle(ctx, &route)
}

/// 404 for a path no route serves.
pub(crate) fn unknown_route(req: &Req) -> Resp {
    Resp::problem(
        StatusCode::NOT_FOUND,
        "resource-not-found",
        Some("resource-not-found"),
        "The requested resource could not be found.",
        json!({"message": format!("no route for {} {}", req.method, req.raw_path)}),
    )
}

/// Whether a path is the token endpoint of either API.
pub(crate) fn is_token_route(api: ApiKind, segments: &[String]) -> bool {
    matches!(api, ApiKind::Public | ApiKind::Config)
        && segments.len() == 2
        && segments[0] == "applications"
        && segments[1] == "token"
}

/// Page size and offset of a Public API list; out of bounds is a 400 with an `errorId`.
pub(crate) fn page(req: &Req) -> Result<(usize, usize), Resp> {
    let parse = |key: &str, default: i64| -> Result<i64, Resp> {
        match req.query_one(key) {
            None => Ok(default),
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| Resp::error_id(StatusCode::BAD_REQUEST)),
        }
    };
    let limit = parse("limit", 20)?;
    let offset = parse("offset", 0)?;
    if !(1..=100).contains(&limit) || offset < 0 || offset > i64::from(i32::MAX) {
        return Err(Resp::error_id(StatusCode::BAD_REQUEST));
    }
    Ok((limit as usize, offset as usize))
}

/// A boolean query parameter.
pub(crate) fn query_bool(req: &Req, key: &str) -> Result<bool, Resp> {
    match req.query_one(key) {
        None => Ok(false),
        Some(text) if text.eq_ignore_ascii_case("true") => Ok(true),
        Some(text) if text.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(Resp::error_id(StatusCode::BAD_REQUEST)),
    }
}

/// The list envelope, with `next`/`previous` as the server builds them: absolute, `""` at the
/// ends, `next` present on every non-empty page, and only `link_query` kept of the filters.
pub(crate) fn envelope(
    req: &Req,
    resource: &str,
    data: Vec<Value>,
    limit: usize,
    offset: usize,
    link_query: &str,
) -> Value {
    let base = format!(
        "http://{}{}/{resource}?{link_query}",
        req.host(),
        req.prefix
    );
    let next = if data.is_empty() {
        String::new()
    } else {
        format!("{base}limit={limit}&offset={}", offset + limit)
    };
    let previous = if offset == 0 {
        String::new()
    } else {
        format!(
            "{base}limit={limit}&offset={}",
            offset.saturating_sub(limit)
        )
    };
    json!({"previous": previous, "next": next, "data": data})
}

/// The workspaces a list may cover: the `workspaceIds` filter, checked against the caller's.
pub(crate) fn workspace_filter(ctx: &Ctx<'_>) -> Result<Option<Vec<String>>, Resp> {
    let requested = ctx.req.query_all("workspaceIds");
    if requested.is_empty() {
        return Ok(ctx.principal.workspaces.clone());
    }
    for workspace in &requested {
        ctx.check_workspace(workspace)?;
    }
    Ok(Some(requested))
}

/// The link query of workspace lists: `includeDeleted`, then the workspace filter.
pub(crate) fn workspace_link_query(ctx: &Ctx<'_>, include_deleted: bool) -> String {
    let mut query = format!("includeDeleted={include_deleted}&");
    let requested = ctx.req.query_all("workspaceIds");
    if !requested.is_empty() {
        query.push_str(&format!("workspaceIds={}&", requested.join("%2C")));
    }
    query
}

/// A copy of a configuration with secret values replaced by the server's mask.
pub(crate) fn mask_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let masked = if airbyte_models::is_secret_key(key)
                        && !inner.is_null()
                        && !inner.is_object()
                        && !inner.is_array()
                    {
                        Value::String(airbyte_models::SERVER_SECRET_MASK.to_owned())
                    } else {
                        mask_secrets(inner)
                    };
                    (key.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_secrets).collect()),
        other => other.clone(),
    }
}

/// Merges a PATCH configuration into a stored one: objects key by key, everything else
/// replaced, and the mask `**********` keeps the stored secret.
pub(crate) fn merge_config(stored: &mut Value, patch: &Value) {
    match (stored, patch) {
        (Value::Object(stored), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.as_str() == Some(airbyte_models::SERVER_SECRET_MASK)
                    && stored.contains_key(key)
                {
                    continue;
                }
                match stored.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge_config(existing, value)
                    }
                    _ => {
                        stored.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (stored, patch) => *stored = patch.clone(),
    }
}

/// A JSON object from pairs, skipping `None` values (the server omits nulls).
pub(crate) fn object(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let map: Map<String, Value> = pairs
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key.to_owned(), value)))
        .collect();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_merge_and_keep_masked_secrets() {
        let mut stored = json!({"host": "a", "password": "p", "ssl": {"mode": "require", "ca": "x"}, "list": [1]});
        merge_config(
            &mut stored,
            &json!({"host": "b", "password": "**********", "ssl": {"mode": "disable"}, "list": [2, 3]}),
        );
        assert_eq!(
            stored,
            json!({"host": "b", "password": "p", "ssl": {"mode": "disable", "ca": "x"}, "list": [2, 3]})
        );
    }

    #[test]
    fn secrets_are_masked_at_any_depth() {
        let masked = mask_secrets(
            &json!({"host": "h", "credentials": {"password": "p", "user": "u"}, "api_key": "k"}),
        );
        assert_eq!(
            masked,
            json!({"host": "h", "credentials": {"password": "**********", "user": "u"}, "api_key": "**********"})
        );
    }
}
