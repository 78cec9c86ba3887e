//! Mock control under `/_mock/`: reset, journal, faults, clock, job and check scripts, unused
//! fixtures and statistics. These routes need no credentials and are not journaled.

use std::sync::atomic::Ordering;
use std::time::Duration;

use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::{FaultAction, FaultConfig};
use crate::http_util::{Req, Resp};
use crate::jobs::Outcome;
use crate::server::{Shared, lock};
use crate::world::CheckScript;

fn parse<T: for<'de> Deserialize<'de>>(req: &Req) -> Result<T, Resp> {
    serde_json::from_slice(&req.body)
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

/// Handles a `/_mock/...` request.
pub(crate) fn handle(shared: &Shared, req: &Req) -> Resp {
    route(shared, req).unwrap_or_else(|resp| resp)
}

fn route(shared: &Shared, req: &Req) -> Result<Resp, Resp> {
    let path = req.path();
    let method = &req.method;
    match (method, path.as_slice()) {
        (&Method::POST, ["reset"]) => {
            shared
                .reset()
                .map_err(|reason| Resp::bad_request(&reason))?;
            Ok(Resp::ok(&json!({"reset": true})))
        }
        (&Method::GET, ["journal"]) => Ok(Resp::ok(&lock(&shared.journal).entries())),
        (&Method::DELETE, ["journal"]) => {
            lock(&shared.journal).clear();
            Ok(Resp::no_content())
        }
        (&Method::GET, ["faults"]) => Ok(Resp::ok(&lock(&shared.faults).config())),
        (&Method::PUT, ["faults"]) => {
            let config: FaultConfig = parse(req)?;
            lock(&shared.faults).replace(config.clone());
            Ok(Resp::ok(&config))
        }
        (&Method::POST, ["faults", "script"]) => {
            let actions: Vec<FaultAction> = parse(req)?;
            lock(&shared.faults).push_script(actions);
            Ok(Resp::ok(&lock(&shared.faults).config()))
        }
        (&Method::GET, ["clock"]) => Ok(Resp::ok(
            &json!({"speed": shared.clock.speed(), "nowMs": shared.clock.now_ms()}),
        )),
        (&Method::PUT, ["clock"]) => {
            let update: ClockUpdate = parse(req)?;
            if !update.speed.is_finite() || update.speed < 0.0 {
                return Err(Resp::bad_request(
                    "speed must be a finite number of at least 0",
                ));
            }
            shared.clock.set_speed(update.speed);
            Ok(Resp::ok(
                &json!({"speed": shared.clock.speed(), "nowMs": shared.clock.now_ms()}),
            ))
        }
        (&Method::POST, ["clock", "advance"]) => {
            let advance: ClockAdvance = parse(req)?;
            if !advance.seconds.is_finite() || advance.seconds < 0.0 {
                return Err(Resp::bad_request(
                    "seconds must be a finite number of at least 0",
                ));
            }
            shared
                .clock
                .advance(Duration::from_secs_f64(advance.seconds));
            Ok(Resp::ok(
                &json!({"speed": shared.clock.speed(), "nowMs": shared.clock.now_ms()}),
            ))
        }
        (&Method::PUT, ["connections", id, "script"]) => {
            let script: JobScript = parse(req)?;
            let mut world = lock(&shared.world);
            let connection = world
                .connections
                .get_mut(id)
                .ok_or_else(|| Resp::not_found("STANDARD_SYNC", id))?;
            connection.outcome = script.outcome;
            connection.job_duration_ms = script
                .duration_ms
                .map(|ms| i64::try_from(ms).unwrap_or(i64::MAX));
            Ok(Resp::ok(
                &json!({"connectionId": id, "outcome": script.outcome, "durationMs": script.duration_ms}),
            ))
        }
        (&Method::PUT, ["checks", id]) => {
            let script: CheckScript = parse(req)?;
            let mut world = lock(&shared.world);
            let actor = world
                .actors
                .get_mut(id)
                .ok_or_else(|| Resp::not_found("ACTOR", id))?;
            actor.check = Some(script);
            Ok(Resp::ok(&json!({"actorId": id})))
        }
        (&Method::GET, ["fixtures", "unused"]) => Ok(Resp::ok(&lock(&shared.fixtures).unused())),
        (&Method::GET, ["stats"]) => {
            let world = lock(&shared.world);
            Ok(Resp::ok(&json!({
                "requests": shared.requests.load(Ordering::Relaxed),
                "connectionsAccepted": shared.connections_accepted.load(Ordering::Relaxed),
                "workspaces": world.workspaces.len(),
                "actors": world.actors.len(),
                "connections": world.connections.len(),
                "jobs": world.jobs.len(),
            })))
        }
        (
            _,
            [
                "reset" | "journal" | "faults" | "clock" | "stats" | "checks" | "connections"
                | "fixtures",
                ..,
            ],
        ) => Err(Resp::error_id(StatusCode::METHOD_NOT_ALLOWED)),
        _ => Err(Resp::problem(
            StatusCode::NOT_FOUND,
            "resource-not-found",
            Some("resource-not-found"),
            "The requested resource could not be found.",
            Value::Null,
        )),
    }
}
