//! The emulated API: one handler per registry operation (the table is in
//! [`routes`](crate::routes)), and what they share.

pub(crate) mod actors;
pub(crate) mod body;
pub(crate) mod catalog;
pub(crate) mod config;
pub(crate) mod connections;
pub(crate) mod definitions;
pub(crate) mod jobs;
pub(crate) mod misc;
pub(crate) mod token;

use axum::extract::{FromRequest, Request};
use http::StatusCode;
use serde::de::DeserializeOwned;

pub(crate) use body::Body;

use crate::answer::Resp;
use crate::auth::Principal;
use crate::request::{ApiReq, parse_query};
use crate::state::App;
use crate::world::World;

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
            .unwrap_or(Principal {
                workspaces: Some(Vec::new()),
                credential: crate::rate_limit::CredentialKey::Anonymous,
            });
        Ok(Self {
            now_ms: app.clock.now_ms(),
            principal,
            req: ApiReq {
                query: parse_query(parts.uri.query().unwrap_or_default()),
                headers: parts.headers,
                body,
            },
            app: app.clone(),
        })
    }
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

/// The workspaces a list may cover: the `workspaceIds` filter, checked against the caller's.
pub(crate) fn workspace_filter(ctx: &Ctx) -> Result<Option<Vec<String>>, Resp> {
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
pub(crate) fn workspace_link_query(ctx: &Ctx, include_deleted: bool) -> String {
    let mut query = format!("includeDeleted={include_deleted}&");
    let requested = ctx.req.query_all("workspaceIds");
    if !requested.is_empty() {
        query.push_str(&format!("workspaceIds={}&", requested.join("%2C")));
    }
    query
}
