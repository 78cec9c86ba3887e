//! Jobs (`/jobs`): start, read, list, cancel.

use airbyte_models::{JobCreateRequest, JobStatus, JobType};
use http::StatusCode;
use serde_json::{Value, json};

use super::body::find_known;
use super::{Ctx, Outcome, connections, envelope, page};
use crate::answer::Resp;
use crate::jobs::JobRec;
use crate::world::World;

/// The job with this path ID, or the answer to send.
pub(crate) fn find<'w>(ctx: &Ctx, world: &'w World, id: &str) -> Result<&'w JobRec, Resp> {
    let job_id: i64 = id
        .parse()
        .map_err(|_| Resp::error_id(StatusCode::BAD_REQUEST))?;
    let job = world
        .jobs
        .get(&job_id)
        .ok_or_else(|| Resp::not_found("JOB", id))?;
    ctx.check_workspace(&job.workspace_id)?;
    Ok(job)
}

pub(crate) fn create(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<JobCreateRequest>()?;
    let connection_id = body.str_req("connectionId")?;
    let job_type = body.enum_req("jobType", JobType::KNOWN)?;
    if job_type == JobType::Refresh {
        return Err(Resp::unprocessable(Some(
            "Refreshes are not supported in the public API",
        )));
    }
    let mut world = ctx.world();
    let connection = connections::find(ctx, &world, &connection_id)?.clone();
    if !connection.is_active() {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "state-conflict",
            Some("409-state-conflict"),
            "State conflict",
            json!({"message": format!(
                "Jobs cannot be started on connection {connection_id}: its status is {}, not active",
                connection.status
            )}),
        ));
    }
    if world.is_syncing(&connection_id, ctx.now_ms) {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "try-again-later",
            Some("try-again-later"),
            "Please try again later.",
            json!({"message": format!("A sync is already running for: {connection_id}")}),
        ));
    }
    // Clear jobs are resets; the server reports both as `reset`.
    let kind = if job_type == JobType::Sync {
        JobType::Sync
    } else {
        JobType::Reset
    };
    let id = world.start_job(&connection, kind, ctx.now_ms);
    let job = world
        .jobs
        .get(&id)
        .map(|job| job.public_json(ctx.now_ms))
        .unwrap_or_default();
    Ok(Resp::ok(&job))
}

pub(crate) fn get(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    let job = find(ctx, &world, id)?;
    Ok(Resp::ok(&job.public_json(ctx.now_ms)))
}

pub(crate) fn cancel(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    let job = find(ctx, &world, id)?;
    if job.snapshot(ctx.now_ms).is_final() {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "state-conflict",
            Some("409-state-conflict"),
            "State conflict",
            json!({"message": "Job is not currently running"}),
        ));
    }
    let job_id = job.id;
    let now_ms = ctx.now_ms;
    let job = world
        .jobs
        .get_mut(&job_id)
        .ok_or_else(|| Resp::not_found("JOB", id))?;
    job.cancelled_ms = Some(now_ms);
    let response = job.public_json(now_ms);
    world.settle(now_ms);
    Ok(Resp::ok(&response))
}

/// A query parameter that must be one of the known values of an enum (400 otherwise).
fn known_query<T: Clone + std::fmt::Display>(
    ctx: &Ctx,
    key: &str,
    allowed: &[T],
) -> Result<Option<T>, Resp> {
    ctx.req
        .query_one(key)
        .map(|text| {
            find_known(allowed, text).ok_or_else(|| Resp::error_id(StatusCode::BAD_REQUEST))
        })
        .transpose()
}

fn parse_time_filter(ctx: &Ctx, key: &str) -> Result<Option<i64>, Resp> {
    match ctx.req.query_one(key) {
        None => Ok(None),
        Some(text) => airbyte_models::parse_datetime(text)
            .map(|instant| Some((instant.unix_timestamp_nanos() / 1_000_000) as i64))
            .ok_or_else(|| Resp::error_id(StatusCode::BAD_REQUEST)),
    }
}

pub(crate) fn list(ctx: &Ctx) -> Outcome {
    let (limit, offset) = page(&ctx.req)?;
    let job_type = known_query(ctx, "jobType", JobType::KNOWN)?;
    let status = known_query(ctx, "status", JobStatus::KNOWN)?;
    let descending = match ctx.req.query_one("orderBy") {
        None => false,
        Some(order) => {
            let parsed = order.split_once('|').filter(|(field, direction)| {
                matches!(*field, "createdAt" | "updatedAt") && matches!(*direction, "ASC" | "DESC")
            });
            match parsed {
                Some((_, direction)) => direction == "DESC",
                None => {
                    return Err(Resp::bad_request(&format!(
                        "Invalid order by clause provided: {order}"
                    )));
                }
            }
        }
    };
    let created_start = parse_time_filter(ctx, "createdAtStart")?;
    let created_end = parse_time_filter(ctx, "createdAtEnd")?;
    let updated_start = parse_time_filter(ctx, "updatedAtStart")?;
    let updated_end = parse_time_filter(ctx, "updatedAtEnd")?;
    let connection_id = ctx.req.query_one("connectionId").map(str::to_owned);
    let world = ctx.world();
    let workspaces = if let Some(connection_id) = &connection_id {
        connections::find(ctx, &world, connection_id)?;
        None
    } else {
        super::workspace_filter(ctx, &world)?
    };
    let now_ms = ctx.now_ms;
    let matches = |job: &&JobRec| {
        let snapshot = job.snapshot(now_ms);
        connection_id.as_ref().is_none_or(|id| &job.connection_id == id)
            && workspaces.as_ref().is_none_or(|allowed| allowed.contains(&job.workspace_id))
            // Without a type filter the server lists syncs and resets.
            && job_type.as_ref().is_none_or(|wanted| match wanted {
                JobType::Clear | JobType::Reset => job.job_type == JobType::Reset,
                other => job.job_type == *other,
            })
            && status.as_ref().is_none_or(|wanted| snapshot.status == *wanted)
            && created_start.is_none_or(|start| job.created_ms >= start)
            && created_end.is_none_or(|end| job.created_ms <= end)
            && updated_start.is_none_or(|start| snapshot.updated_ms >= start)
            && updated_end.is_none_or(|end| snapshot.updated_ms <= end)
    };
    let ordered: Box<dyn Iterator<Item = &JobRec>> = if descending {
        Box::new(world.jobs.values().rev())
    } else {
        Box::new(world.jobs.values())
    };
    let data: Vec<Value> = ordered
        .filter(matches)
        .skip(offset)
        .take(limit)
        .map(|job| job.public_json(now_ms))
        .collect();
    // Links keep only the job type and the connection (or workspaces), as the server's do.
    let mut link = String::new();
    if let Some(job_type) = &job_type {
        link.push_str(&format!("jobType={job_type}&"));
    }
    match &connection_id {
        Some(id) => link.push_str(&format!("connectionId={id}&")),
        None => {
            let requested = ctx.req.query_all("workspaceIds");
            if !requested.is_empty() {
                link.push_str(&format!("workspaceIds={}&", requested.join("%2C")));
            }
        }
    }
    Ok(Resp::ok(&envelope(ctx, "jobs", data, limit, offset, &link)))
}
