//! Mock control under `/_mock/`: reset, journal, faults, the rate limit, clock, job and check scripts, unused
//! fixtures and statistics. Not journaled, spared by faults. Open on a loopback address; with a
//! control token (required on any other address), every control request must carry it.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::answer::Resp;
use crate::config::CONTROL_TOKEN_HEADER;
use crate::faults::{FaultAction, FaultConfig};
use crate::jobs::Outcome;
use crate::state::{App, lock};
use crate::world::CheckScript;

type Answer = Result<Resp, Resp>;

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Resp> {
    serde_json::from_slice(body)
        .map_err(|error| Resp::bad_request(&format!("invalid body: {error}")))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockUpdate {
    speed: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockAdvance {
    seconds: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JobScript {
    outcome: Outcome,
    #[serde(default)]
    duration_ms: Option<u64>,
}

fn clock_json(app: &App) -> Resp {
    Resp::ok(&json!({"speed": app.clock.speed(), "nowMs": app.clock.now_ms()}))
}

async fn reset(State(app): State<App>) -> Answer {
    app.reset().map_err(|reason| Resp::bad_request(&reason))?;
    tracing::info!("mock state reset");
    Ok(Resp::ok(&json!({"reset": true})))
}

async fn journal(State(app): State<App>) -> Resp {
    Resp::ok(&lock(&app.journal).wire_entries())
}

async fn clear_journal(State(app): State<App>) -> Resp {
    lock(&app.journal).clear();
    Resp::no_content()
}

async fn faults(State(app): State<App>) -> Resp {
    Resp::ok(&lock(&app.faults).config())
}

async fn set_faults(State(app): State<App>, body: Bytes) -> Answer {
    let config: FaultConfig = parse(&body)?;
    config
        .validate()
        .map_err(|reason| Resp::bad_request(&reason))?;
    lock(&app.faults).replace(config.clone());
    tracing::info!(?config, "faults replaced");
    Ok(Resp::ok(&config))
}

async fn script_faults(State(app): State<App>, body: Bytes) -> Answer {
    let actions: Vec<FaultAction> = parse(&body)?;
    let mut faults = lock(&app.faults);
    faults.push_script(actions);
    Ok(Resp::ok(&faults.config()))
}

async fn rate_limit(State(app): State<App>) -> Resp {
    Resp::ok(&lock(&app.rate_limit).limit())
}

/// `{"perSecond": 50, "burst": 50}`, or `null` for no limit.
async fn set_rate_limit(State(app): State<App>, body: Bytes) -> Answer {
    let limit: Option<crate::RateLimit> = parse(&body)?;
    if let Some(limit) = &limit {
        limit
            .validate()
            .map_err(|reason| Resp::bad_request(&reason))?;
    }
    let limit = limit.map(|limit| limit.with_burst(limit.burst));
    lock(&app.rate_limit).set_limit(limit);
    tracing::info!(?limit, "rate limit replaced");
    Ok(Resp::ok(&limit))
}

async fn clock(State(app): State<App>) -> Resp {
    clock_json(&app)
}

async fn set_clock(State(app): State<App>, body: Bytes) -> Answer {
    let update: ClockUpdate = parse(&body)?;
    crate::clock::validate_speed(update.speed).map_err(|reason| Resp::bad_request(&reason))?;
    app.clock.set_speed(update.speed);
    Ok(clock_json(&app))
}

async fn advance_clock(State(app): State<App>, body: Bytes) -> Answer {
    let advance: ClockAdvance = parse(&body)?;
    if !advance.seconds.is_finite() || advance.seconds < 0.0 || advance.seconds > 1e12 {
        return Err(Resp::bad_request(
            "seconds must be a finite number between 0 and 10^12",
        ));
    }
    app.clock.advance(Duration::from_secs_f64(advance.seconds));
    Ok(clock_json(&app))
}

async fn script_connection(State(app): State<App>, Path(id): Path<String>, body: Bytes) -> Answer {
    let script: JobScript = parse(&body)?;
    let mut world = lock(&app.world);
    let connection = world
        .connections
        .get_mut(&id)
        .ok_or_else(|| Resp::not_found("STANDARD_SYNC", &id))?;
    connection.outcome = script.outcome;
    connection.job_duration_ms = script
        .duration_ms
        .map(|ms| i64::try_from(ms).unwrap_or(i64::MAX));
    Ok(Resp::ok(
        &json!({"connectionId": id, "outcome": script.outcome, "durationMs": script.duration_ms}),
    ))
}

async fn script_check(State(app): State<App>, Path(id): Path<String>, body: Bytes) -> Answer {
    let script: CheckScript = parse(&body)?;
    let mut world = lock(&app.world);
    let actor = world
        .actors
        .get_mut(&id)
        .ok_or_else(|| Resp::not_found("ACTOR", &id))?;
    actor.check = Some(script);
    Ok(Resp::ok(&json!({"actorId": id})))
}

async fn unused_fixtures(State(app): State<App>) -> Resp {
    Resp::ok(&lock(&app.fixtures).unused())
}

async fn stats(State(app): State<App>) -> Resp {
    let (workspaces, actors, connections, jobs) = {
        let world = lock(&app.world);
        (
            world.workspaces.len(),
            world.actors.len(),
            world.connections.len(),
            world.jobs.len(),
        )
    };
    Resp::ok(&json!({
        "requests": app.stats.requests.load(Ordering::Relaxed),
        "connectionsAccepted": app.stats.connections_accepted.load(Ordering::Relaxed),
        "journalBytes": lock(&app.journal).bytes(),
        "rateLimited": lock(&app.rate_limit).refused(),
        "workspaces": workspaces,
        "actors": actors,
        "connections": connections,
        "jobs": jobs,
    }))
}

async fn unknown(request: Request) -> Resp {
    Resp::problem(
        StatusCode::NOT_FOUND,
        "resource-not-found",
        Some("resource-not-found"),
        "The requested resource could not be found.",
        json!({"message": format!("no control route for {} {}", request.method(), request.uri().path())}),
    )
}

/// Refuses control requests without the control token, when one is set.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    if let Some(expected) = app.config.required_control_token() {
        let given = request
            .headers()
            .get(CONTROL_TOKEN_HEADER)
            .map(http::HeaderValue::as_bytes);
        let matches = given.is_some_and(|given| {
            given.len() == expected.len()
                && given
                    .iter()
                    .zip(expected.as_bytes())
                    .fold(0, |acc, (a, b)| acc | (a ^ b))
                    == 0
        });
        if !matches {
            return Resp::problem(
                StatusCode::UNAUTHORIZED,
                "invalid-control-token",
                Some("error:mock/invalid-control-token"),
                &format!(
                    "Mock control needs the control token in the {CONTROL_TOKEN_HEADER} header."
                ),
                Value::Null,
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// The control routes.
pub(crate) fn router(app: &App) -> Router {
    Router::new()
        .route("/_mock/reset", post(reset))
        .route("/_mock/journal", get(journal).delete(clear_journal))
        .route("/_mock/faults", get(faults).put(set_faults))
        .route("/_mock/faults/script", post(script_faults))
        .route("/_mock/rate-limit", get(rate_limit).put(set_rate_limit))
        .route("/_mock/clock", get(clock).put(set_clock))
        .route("/_mock/clock/advance", post(advance_clock))
        .route("/_mock/connections/{id}/script", put(script_connection))
        .route("/_mock/checks/{id}", put(script_check))
        .route("/_mock/fixtures/unused", get(unused_fixtures))
        .route("/_mock/stats", get(stats))
        .route("/_mock", axum::routing::any(unknown))
        .route("/_mock/{*rest}", axum::routing::any(unknown))
        .layer(tower::util::MapResponseLayer::new(
            crate::routes::api_error_bodies,
        ))
        .layer(from_fn_with_state(app.clone(), guard))
        .with_state(app.clone())
}
