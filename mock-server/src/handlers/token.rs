//! `POST /applications/token` of both APIs, and `GET /health`.

use http::StatusCode;
use serde_json::{Value, json};

use super::{Ctx, Outcome};
use crate::answer::Resp;
use crate::auth::Grant;
use crate::request::parse_query;

/// The client ID and secret of a token request, from a JSON or form body.
fn credentials(ctx: &Ctx) -> Result<(String, String), Resp> {
    let fields: Vec<(String, String)> =
        if ctx.req.content_type() == "application/x-www-form-urlencoded" {
            let text = std::str::from_utf8(&ctx.req.body)
                .map_err(|_| Resp::error_id(StatusCode::BAD_REQUEST))?;
            parse_query(text)
        } else {
            match ctx.req.json()? {
                Value::Object(map) => map
                    .into_iter()
                    .filter_map(|(key, value)| value.as_str().map(|text| (key, text.to_owned())))
                    .collect(),
                _ => return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY)),
            }
        };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    match (field("client_id"), field("client_secret")) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => Err(Resp::error_id(StatusCode::BAD_REQUEST)),
    }
}

/// Mints a token for known client credentials: a client of the settings (acting as the
/// world's operator) or an application (acting as its user); 401 for anything else.
fn mint(ctx: &Ctx) -> Result<String, Resp> {
    let (client_id, client_secret) = credentials(ctx)?;
    let config = &ctx.app.config;
    let same = |a: &str, b: &str| crate::auth::constant_time_eq(a.as_bytes(), b.as_bytes());
    let world = ctx.world();
    let (grant, user) =
        if config.clients.iter().any(|client| {
            client.client_id == client_id && same(&client.client_secret, &client_secret)
        }) {
            (Grant::Client, world.operator.as_deref())
        } else if let Some(application) = world
            .application_by_client(&client_id)
            .filter(|application| same(&application.client_secret, &client_secret))
        {
            (Grant::Application, Some(application.user_id.as_str()))
        } else {
            return Err(Resp::error_id(StatusCode::UNAUTHORIZED));
        };
    let auth_user_id = user
        .and_then(|id| world.users.get(id))
        .map(|user| user.auth_user_id.as_str());
    Ok(ctx
        .app
        .tokens
        .issue(&client_id, &grant, auth_user_id, config.token_ttl))
}

/// `POST /applications/token` (Public API): `access_token`, `token_type`, `expires_in`.
pub(crate) fn public(ctx: &Ctx) -> Outcome {
    let token = mint(ctx)?;
    let config = &ctx.app.config;
    let claimed = config.token_ttl_claimed.unwrap_or(config.token_ttl);
    Ok(Resp::ok(
        &json!({"access_token": token, "token_type": "Bearer", "expires_in": claimed.as_secs()}),
    ))
}

/// `POST /applications/token` (Config API): `access_token` only.
pub(crate) fn config(ctx: &Ctx) -> Outcome {
    Ok(Resp::ok(&json!({"access_token": mint(ctx)?})))
}

/// `GET /health`.
pub(crate) fn health() -> Resp {
    Resp::text(StatusCode::OK, "Successful operation")
}
