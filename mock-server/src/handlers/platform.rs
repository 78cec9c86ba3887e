//! Regions (`/regions`, the data plane groups of an organization) and data planes
//! (`/dataplanes`). Names are unique within their owner, a region with data planes cannot be
//! deleted, and only an organization's administrators change them.

use airbyte_models::{
    DataplaneCreateRequest, DataplanePatchRequest, RegionCreateRequest, RegionPatchRequest,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::{Ctx, Outcome, find_organization, query_required};
use crate::answer::Resp;
use crate::world::access::{ADMIN, MEMBER};
use crate::world::{DataplaneRec, RegionRec, World};

fn find_region<'w>(
    ctx: &Ctx,
    world: &'w World,
    id: &str,
    needed: u8,
) -> Result<&'w RegionRec, Resp> {
    let region = world
        .regions
        .get(id)
        .ok_or_else(|| Resp::not_found("DATAPLANE_GROUP", id))?;
    ctx.check_organization(world, &region.organization_id, needed)?;
    Ok(region)
}

fn find_dataplane<'w>(
    ctx: &Ctx,
    world: &'w World,
    id: &str,
    needed: u8,
) -> Result<&'w DataplaneRec, Resp> {
    let dataplane = world
        .dataplanes
        .get(id)
        .ok_or_else(|| Resp::not_found("DATAPLANE", id))?;
    find_region(ctx, world, &dataplane.region_id, needed)?;
    Ok(dataplane)
}

fn non_blank(name: &str) -> Result<(), Resp> {
    if name.trim().is_empty() {
        Err(Resp::error_id(StatusCode::BAD_REQUEST))
    } else {
        Ok(())
    }
}

fn region_name_free(
    world: &World,
    organization: &str,
    name: &str,
    except: Option<&str>,
) -> Result<(), Resp> {
    let taken = world.regions.iter().any(|region| {
        region.organization_id == organization
            && region.name.eq_ignore_ascii_case(name)
            && Some(region.id.as_str()) != except
    });
    if taken {
        Err(Resp::problem(
            StatusCode::CONFLICT,
            "Data plane group name already exists",
            Some("error:dataplane-group-name-already-exists"),
            "A data plane group with this name already exists for this organization.",
            json!({"name": name}),
        ))
    } else {
        Ok(())
    }
}

fn dataplane_name_free(
    world: &World,
    region: &str,
    name: &str,
    except: Option<&str>,
) -> Result<(), Resp> {
    let taken = world.dataplanes.iter().any(|dataplane| {
        dataplane.region_id == region
            && dataplane.name.eq_ignore_ascii_case(name)
            && Some(dataplane.id.as_str()) != except
    });
    if taken {
        Err(Resp::problem(
            StatusCode::CONFLICT,
            "Data plane name already exists",
            Some("error:dataplane-name-already-exists"),
            "A data plane with this name already exists for the data plane group.",
            json!({"name": name}),
        ))
    } else {
        Ok(())
    }
}

pub(crate) fn list_regions(ctx: &Ctx) -> Outcome {
    let organization = query_required(&ctx.req, "organizationId")?.to_owned();
    let world = ctx.world();
    ctx.check_organization(&world, &organization, MEMBER)?;
    find_organization(&world, &organization)?;
    let data: Vec<Value> = world
        .regions
        .iter()
        .filter(|region| region.organization_id == organization)
        .map(RegionRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

pub(crate) fn create_region(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<RegionCreateRequest>()?;
    let name = body.str_req("name")?;
    let organization = body.str_req("organizationId")?;
    let enabled = body.bool_opt("enabled")?.unwrap_or(true);
    non_blank(&name)?;
    let mut world = ctx.world();
    ctx.check_organization(&world, &organization, ADMIN)?;
    find_organization(&world, &organization)?;
    region_name_free(&world, &organization, &name, None)?;
    let region = RegionRec {
        id: world.new_id(),
        name,
        organization_id: organization,
        enabled,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
    };
    let answer = region.public_json();
    world.regions.insert(region);
    Ok(Resp::ok(&answer))
}

pub(crate) fn get_region(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(
        &find_region(ctx, &world, id, MEMBER)?.public_json(),
    ))
}

pub(crate) fn update_region(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<RegionPatchRequest>()?;
    let name = body.str_opt("name")?;
    let enabled = body.bool_opt("enabled")?;
    let mut world = ctx.world();
    let region = find_region(ctx, &world, id, ADMIN)?;
    if let Some(name) = &name {
        non_blank(name)?;
        region_name_free(&world, &region.organization_id, name, Some(id))?;
    }
    let region = world
        .regions
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("DATAPLANE_GROUP", id))?;
    if let Some(name) = name {
        region.name = name;
    }
    if let Some(enabled) = enabled {
        region.enabled = enabled;
    }
    region.updated_ms = ctx.now_ms;
    Ok(Resp::ok(&region.public_json()))
}

/// Answers 200 with the deleted region; 409 while it has data planes.
pub(crate) fn delete_region(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    let answer = find_region(ctx, &world, id, ADMIN)?.public_json();
    let planes = world
        .dataplanes
        .iter()
        .filter(|dataplane| dataplane.region_id == id)
        .count();
    if planes > 0 {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "state-conflict",
            Some("409-state-conflict"),
            "State conflict",
            json!({"message": format!("Region {id} still has {planes} data plane(s); delete them first.")}),
        ));
    }
    world.regions.remove(id);
    Ok(Resp::ok(&answer))
}

/// `GET /dataplanes`: the data planes of the `regionIds`, or of every region the caller
/// reaches.
pub(crate) fn list_dataplanes(ctx: &Ctx) -> Outcome {
    let requested = ctx.req.query_all("regionIds");
    let world = ctx.world();
    for region in &requested {
        find_region(ctx, &world, region, MEMBER)?;
    }
    let data: Vec<Value> = world
        .dataplanes
        .iter()
        .filter(|dataplane| {
            if requested.is_empty() {
                world
                    .regions
                    .get(&dataplane.region_id)
                    .is_some_and(|region| {
                        ctx.check_organization(&world, &region.organization_id, MEMBER)
                            .is_ok()
                    })
            } else {
                requested.contains(&dataplane.region_id)
            }
        })
        .map(DataplaneRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

/// Answers the new data plane's own client credentials, shown only here.
pub(crate) fn create_dataplane(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<DataplaneCreateRequest>()?;
    let region = body.str_req("regionId")?;
    let name = body.str_req("name")?;
    let enabled = body.bool_opt("enabled")?.unwrap_or(true);
    non_blank(&name)?;
    let mut world = ctx.world();
    find_region(ctx, &world, &region, ADMIN)?;
    dataplane_name_free(&world, &region, &name, None)?;
    let dataplane = DataplaneRec {
        id: world.new_id(),
        name,
        region_id: region,
        enabled,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
        client_id: world.new_id(),
        client_secret: world.new_secret(),
    };
    let answer = dataplane.created_json();
    world.dataplanes.insert(dataplane);
    Ok(Resp::ok(&answer))
}

pub(crate) fn get_dataplane(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(
        &find_dataplane(ctx, &world, id, MEMBER)?.public_json(),
    ))
}

pub(crate) fn update_dataplane(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<DataplanePatchRequest>()?;
    let name = body.str_opt("name")?;
    let enabled = body.bool_opt("enabled")?;
    let mut world = ctx.world();
    let dataplane = find_dataplane(ctx, &world, id, ADMIN)?;
    if let Some(name) = &name {
        non_blank(name)?;
        dataplane_name_free(&world, &dataplane.region_id, name, Some(id))?;
    }
    let dataplane = world
        .dataplanes
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("DATAPLANE", id))?;
    if let Some(name) = name {
        dataplane.name = name;
    }
    if let Some(enabled) = enabled {
        dataplane.enabled = enabled;
    }
    dataplane.updated_ms = ctx.now_ms;
    Ok(Resp::ok(&dataplane.public_json()))
}

/// Answers 200 with the deleted data plane.
pub(crate) fn delete_dataplane(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    let answer = find_dataplane(ctx, &world, id, ADMIN)?.public_json();
    world.dataplanes.remove(id);
    Ok(Resp::ok(&answer))
}
