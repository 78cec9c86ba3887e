//! The emulated API: one handler per registry operation (the table is in
//! [`routes`](crate::routes)), and what they share.

pub(crate) mod access;
pub(crate) mod actors;
pub(crate) mod applications;
pub(crate) mod body;
pub(crate) mod catalog;
pub(crate) mod config;
pub(crate) mod connections;
pub(crate) mod definitions;
pub(crate) mod drafts;
pub(crate) mod groups;
pub(crate) mod jobs;
pub(crate) mod misc;
pub(crate) mod oauth;
pub(crate) mod platform;
pub(crate) mod token;

use axum::extract::{FromRequest, Request};
use http::StatusCode;
use serde::de::DeserializeOwned;

pub(crate) use body::Body;

use crate::answer::Resp;
use crate::auth::{CallerKind, Principal};
use crate::request::{ApiReq, parse_query};
use crate::state::App;
use crate::world::World;
use crate::world::access::{ADMIN, INSTANCE, MEMBER};

/// What a handler works with: the state, the request, the caller and the time. Extracted from
/// every routed request; the caller comes from the authentication layer.
pub(crate) struct Ctx {
    pub(crate) app: App,
    pub(crate) req: ApiReq,
    pub(crate) principal: Principal,
    pub(crate) now_ms: i64,
}

/// A handler's result: the error side is an answer too.
pub(crate) type Outcome = Result<Resp, Resp>;

impl FromRequest<App> for Ctx {
    type Rejection = Resp;

    async fn from_request(request: Request, app: &App) -> Result<Self, Resp> {
        let (parts, body) = request.into_parts();
        // The body layer has already read the body into memory, within its limits.
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|_| Resp::error_id(StatusCode::BAD_REQUEST))?;
        // Without the authentication layer's verdict, nothing may be reached.
        let principal = parts
            .extensions
            .get::<Principal>()
            .cloned()
            .unwrap_or_else(Principal::nobody);
        Ok(Self {
            now_ms: app.clock.now_ms(),
            principal,
            req: ApiReq {
                query: canonical_query(parse_query(parts.uri.query().unwrap_or_default())),
                headers: parts.headers,
                body,
            },
            app: app.clone(),
        })
    }
}

/// Query parameters with their IDs in stored form.
fn canonical_query(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(key, value)| {
            if crate::ids::is_id_key(&key) {
                let value = value
                    .split(',')
                    .map(|id| crate::ids::canonical(id).into_owned())
                    .collect::<Vec<_>>()
                    .join(",");
                (key, value)
            } else {
                (key, value)
            }
        })
        .collect()
}

impl Ctx {
    /// The world at the request's time.
    pub(crate) fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.app.world_now(self.now_ms)
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

    /// The user the caller acts as; 403 for credentials that act as no user.
    pub(crate) fn caller_user(&self) -> Result<&str, Resp> {
        self.principal.user_id.as_deref().ok_or_else(|| {
            Resp::forbidden("These credentials do not act as a user of this Airbyte instance.")
        })
    }

    /// 403 unless the caller holds at least the role of rank `needed` in the organization:
    /// [`MEMBER`] to read it (its users, groups, regions), [`ADMIN`] to change who may do what.
    /// Credentials of the settings without a scope may do anything; with a scope, they read
    /// the organizations of their workspaces. Scoped tokens reach no organization.
    pub(crate) fn check_organization(
        &self,
        world: &World,
        organization_id: &str,
        needed: u8,
    ) -> Result<(), Resp> {
        let allowed = match self.principal.kind {
            CallerKind::Operator => match &self.principal.workspaces {
                None => true,
                Some(allowed) => {
                    needed <= MEMBER
                        && allowed
                            .iter()
                            .any(|id| world.organization_of(id) == Some(organization_id))
                }
            },
            CallerKind::Application => self.principal.user_id.as_deref().is_some_and(|user| {
                let rank = world.organization_rank(user, organization_id);
                rank >= needed
                    || (needed <= MEMBER && world.belongs_to(user, organization_id))
                    || rank >= INSTANCE
            }),
            CallerKind::Scoped => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(Resp::forbidden(&format!(
                "Caller does not have the required {} permissions to access the resource(s): {organization_id}",
                organization_role(needed)
            )))
        }
    }

    /// 403 unless the caller may administer the workspace.
    pub(crate) fn check_workspace_admin(
        &self,
        world: &World,
        workspace_id: &str,
    ) -> Result<(), Resp> {
        self.check_workspace(workspace_id)?;
        let allowed = match self.principal.kind {
            CallerKind::Operator => true,
            CallerKind::Application => self
                .principal
                .user_id
                .as_deref()
                .is_some_and(|user| world.workspace_rank(user, workspace_id) >= ADMIN),
            CallerKind::Scoped => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(Resp::forbidden(&format!(
                "Caller does not have the required WORKSPACE_ADMIN permissions to access the resource(s): {workspace_id}"
            )))
        }
    }

    /// The body as a JSON object, after checking that every field of it, at any depth, has the
    /// type the operation's request model gives it: a missing required field is a 400 with an
    /// `errorId` (bean validation), a value of the wrong type a 422 (the JSON could not be
    /// mapped to the model), as the server answers.
    pub(crate) fn body<T: DeserializeOwned>(&self) -> Result<Body, Resp> {
        let value = self.req.json()?;
        if !value.is_object() {
            return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY));
        }
        if let Err(error) = serde_json::from_value::<T>(value.clone()) {
            let status = if error.to_string().starts_with("missing field") {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Err(Resp::error_id(status));
        }
        Body::of(value)
    }
}

/// How the server names an organization role of a rank in its 403 messages.
fn organization_role(rank: u8) -> &'static str {
    match rank {
        0 | 1 => "ORGANIZATION_MEMBER",
        2 => "ORGANIZATION_READER",
        3 => "ORGANIZATION_RUNNER",
        4 => "ORGANIZATION_EDITOR",
        _ => "ORGANIZATION_ADMIN",
    }
}

/// The organization, or 404.
pub(crate) fn find_organization<'w>(
    world: &'w World,
    id: &str,
) -> Result<&'w crate::world::OrganizationRec, Resp> {
    world
        .organizations
        .get(id)
        .ok_or_else(|| Resp::not_found("ORGANIZATION", id))
}

/// Page size and offset of a Public API list; out of bounds is a 400 with an `errorId`.
pub(crate) fn page(req: &ApiReq) -> Result<(usize, usize), Resp> {
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
pub(crate) fn query_bool(req: &ApiReq, key: &str) -> Result<bool, Resp> {
    match req.query_one(key) {
        None => Ok(false),
        Some(text) if text.eq_ignore_ascii_case("true") => Ok(true),
        Some(text) if text.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(Resp::error_id(StatusCode::BAD_REQUEST)),
    }
}

/// The list envelope, with `next`/`previous` as the server builds them: its configured API
/// host (never the request's `Host`) and the path without `/api/public`, `""` at the ends,
/// `next` on every non-empty page, and only `link_query` kept of the filters.
pub(crate) fn envelope<T: serde::Serialize>(
    ctx: &Ctx,
    resource: &str,
    data: Vec<T>,
    limit: usize,
    offset: usize,
    link_query: &str,
) -> Page<T> {
    let base = format!("{}/v1/{resource}?{link_query}", ctx.app.api_host);
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
    Page {
        previous,
        next,
        data,
    }
}

/// A page of a Public API list.
#[derive(serde::Serialize)]
pub(crate) struct Page<T> {
    previous: String,
    next: String,
    data: Vec<T>,
}

/// The workspaces a list may cover: the `workspaceIds` filter, checked against the caller's
/// (403) and the world (404: a workspace that does not exist is an error, not an empty list).
/// It takes the world the handler already holds: locking it again here would deadlock.
pub(crate) fn workspace_filter(ctx: &Ctx, world: &World) -> Result<Option<Vec<String>>, Resp> {
    let requested = ctx.req.query_all("workspaceIds");
    if requested.is_empty() {
        return Ok(ctx.principal.workspaces.clone());
    }
    for workspace in &requested {
        ctx.check_workspace(workspace)?;
    }
    if let Some(unknown) = requested
        .iter()
        .find(|workspace| world.workspaces.get(workspace).is_none())
    {
        return Err(Resp::not_found("STANDARD_WORKSPACE", unknown));
    }
    Ok(Some(requested))
}

/// A required query parameter; 400 (bean validation) when absent.
pub(crate) fn query_required<'r>(req: &'r ApiReq, key: &str) -> Result<&'r str, Resp> {
    req.query_one(key)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| Resp::error_id(StatusCode::BAD_REQUEST))
}

/// The link query of workspace lists: `includeDeleted`, then the workspace filter.
pub(crate) fn workspace_link_query(ctx: &Ctx, include_deleted: bool) -> String {
    let mut query = format!("includeDeleted={include_deleted}&");
    let requested = ctx.req.query_all("workspaceIds");
    if !requested.is_empty() {
        query.push_str(&format!("workspaceIds={}&", requested.join("%2C")));
    }
    query
}
