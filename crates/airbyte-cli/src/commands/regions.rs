//! `regions` and `dataplanes`: where an organization's syncs run. Both belong to an
//! organization, not to the configured workspace; a data plane's client secret is printed once,
//! by `dataplanes create`.

use airbyte::cloud::ResourceKind;
use airbyte::models::{
    DataplaneId, DataplanePatchRequest, DataplaneResponse, RegionId, RegionPatchRequest,
    RegionResponse,
};
use serde_json::json;

use crate::cli::{
    DataplanesCommand, EnabledArgs, GlobalArgs, NamedDeleteArgs, OrganizationArg, RegionArg,
    RegionsCommand,
};
use crate::commands::access::{Access, ambiguous, check_safe_mode, parse_id};
use crate::delete::found_or_skip;
use crate::error::{CliError, CliResult, or_not_found};
use crate::output::{Column, Kind, Out, col, escape, text};
use crate::plan::{Action, Change, Plan};
use crate::session::uuid_of;

const REGION_COLUMNS: &[Column] = &[
    text("ID", "/regionId"),
    text("NAME", "/name"),
    text("ENABLED", "/enabled"),
    text("ORGANIZATION", "/organizationId"),
    col("CREATED", "/createdAt", Kind::Time),
];

const DATAPLANE_COLUMNS: &[Column] = &[
    text("ID", "/dataplaneId"),
    text("NAME", "/name"),
    text("ENABLED", "/enabled"),
    text("REGION", "/regionId"),
    col("CREATED", "/createdAt", Kind::Time),
];

const CREATED_DATAPLANE_COLUMNS: &[Column] = &[
    text("ID", "/dataplaneId"),
    text("NAME", "/name"),
    text("REGION", "/regionId"),
    text("CLIENT ID", "/clientId"),
    text("CLIENT SECRET", "/clientSecret"),
];

const REGION: &str = "region";
const DATAPLANE: &str = "data plane";

/// A region named by ID, or by exact name in the organization.
async fn region_id(
    access: &Access,
    organization: &OrganizationArg,
    text: &str,
) -> CliResult<RegionId> {
    if let Some(id) = uuid_of(text) {
        return parse_id("region ID", &id);
    }
    let organization = access
        .organization(organization.organization.as_deref())
        .await?;
    let named = access
        .sdk()
        .list_regions(&organization)
        .name(text)
        .collect()
        .await?;
    match named.as_slice() {
        [] => Err(CliError::not_found(REGION, text)),
        [one] => Ok(one.region_id.clone()),
        many => Err(ambiguous(
            "regions",
            text,
            many.iter().map(|region| region.region_id.as_str()),
        )),
    }
}

/// A region as the server shows it.
async fn region(
    access: &Access,
    organization: &OrganizationArg,
    text: &str,
) -> CliResult<RegionResponse> {
    let id = region_id(access, organization, text).await?;
    or_not_found(access.sdk().fetch_region(&id).await, REGION, text)
}

/// The regions a data plane command looks in: the one given, else every region of the
/// organization (none when it has none).
async fn regions_in_scope(
    access: &Access,
    region: &RegionArg,
    organization: &OrganizationArg,
) -> CliResult<Vec<RegionId>> {
    if let Some(text) = &region.region {
        return Ok(vec![region_id(access, organization, text).await?]);
    }
    let organization = access
        .organization(organization.organization.as_deref())
        .await?;
    let regions = access.sdk().list_regions(&organization).collect().await?;
    Ok(regions.into_iter().map(|region| region.region_id).collect())
}

/// The data planes of these regions. An empty list is answered without a request: the API
/// would take it for every region the caller reaches, beyond the organization.
async fn dataplanes_of(
    access: &Access,
    regions: &[RegionId],
    name: Option<String>,
    limit: Option<usize>,
) -> CliResult<Vec<DataplaneResponse>> {
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let mut list = access.sdk().list_dataplanes(regions).limit(limit);
    if let Some(name) = name {
        list = list.name(name);
    }
    Ok(list.collect().await?)
}

/// A data plane named by ID, or by exact name in the region (or the organization).
async fn dataplane(
    access: &Access,
    region: &RegionArg,
    organization: &OrganizationArg,
    text: &str,
) -> CliResult<DataplaneResponse> {
    if let Some(id) = uuid_of(text) {
        let id: DataplaneId = parse_id("data plane ID", &id)?;
        return or_not_found(access.sdk().fetch_dataplane(&id).await, DATAPLANE, text);
    }
    let regions = regions_in_scope(access, region, organization).await?;
    let named = dataplanes_of(access, &regions, Some(text.to_owned()), None).await?;
    match named.as_slice() {
        [] => Err(CliError::not_found(DATAPLANE, text)),
        [one] => Ok(one.clone()),
        many => Err(ambiguous(
            "data planes",
            text,
            many.iter().map(|dataplane| dataplane.dataplane_id.as_str()),
        )),
    }
}

/// Refuses a blank name before anything is sent.
fn check_name(kind: &str, name: &str) -> CliResult {
    if name.trim().is_empty() {
        return Err(CliError::bad(format!("a {kind} name must not be empty")));
    }
    Ok(())
}

/// Refuses, before anything is sent, an update that changes nothing or names a blank name.
fn check_update(kind: &str, name: Option<&str>, enabled: EnabledArgs) -> CliResult {
    if name.is_none() && enabled.enabled().is_none() {
        return Err(CliError::bad(
            "nothing to change: give --name, --enable or --disable",
        ));
    }
    name.map_or(Ok(()), |name| check_name(kind, name))
}

/// The plan of an update: what it changes of the resource as it is.
fn update_plan(
    kind: &'static str,
    id: impl ToString,
    current: (&str, bool),
    name: Option<&str>,
    enabled: EnabledArgs,
) -> Plan {
    let (current_name, current_enabled) = current;
    let mut details = Vec::new();
    if let Some(name) = name {
        details.push(format!(
            "name \"{}\" -> \"{}\"",
            escape(current_name),
            escape(name)
        ));
    }
    if let Some(enabled) = enabled.enabled() {
        details.push(format!("enabled {current_enabled} -> {enabled}"));
    }
    Plan::of(
        Change::new(Action::Update, kind)
            .id(id)
            .name(current_name)
            .detail(details.join(", ")),
    )
}

/// The delete of a named resource: safe mode, the plan (or its preview), the confirmation.
/// `Ok(false)` when nothing is to be sent (a dry run).
async fn confirm_delete(
    global: &GlobalArgs,
    out: &Out,
    delete: NamedDeleteArgs,
    change: Change,
) -> CliResult<bool> {
    let plan = Plan::of(change);
    if plan.preview(delete.dry_run, out) {
        return Ok(false);
    }
    plan.confirm(global).await?;
    Ok(true)
}

pub(crate) async fn regions(
    access: &Access,
    global: &GlobalArgs,
    out: &Out,
    command: RegionsCommand,
) -> CliResult {
    let sdk = access.sdk();
    match command {
        RegionsCommand::List {
            organization,
            name,
            limit,
        } => {
            let organization = access
                .organization(organization.organization.as_deref())
                .await?;
            let mut list = sdk.list_regions(&organization).limit(limit);
            if let Some(name) = name {
                list = list.name(name);
            }
            out.list(&list.collect().await?, REGION_COLUMNS)
        }
        RegionsCommand::Get {
            region: text,
            organization,
        } => out.one(&region(access, &organization, &text).await?, REGION_COLUMNS),
        RegionsCommand::Create {
            name,
            organization,
            dry_run,
        } => {
            check_name(REGION, &name)?;
            let organization = access
                .organization(organization.organization.as_deref())
                .await?;
            let plan = Plan::of(
                Change::new(Action::Create, REGION)
                    .name(name.clone())
                    .detail(format!("in organization {organization}")),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(
                &sdk.create_region(&organization, &name).await?,
                REGION_COLUMNS,
            )
        }
        RegionsCommand::Update {
            region: text,
            name,
            enabled,
            organization,
            dry_run,
        } => {
            check_update(REGION, name.as_deref(), enabled)?;
            let current = region(access, &organization, &text).await?;
            let plan = update_plan(
                REGION,
                &current.region_id,
                (&current.name, current.enabled),
                name.as_deref(),
                enabled,
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let patch = RegionPatchRequest {
                name,
                enabled: enabled.enabled(),
            };
            out.one(
                &sdk.update_region(&current.region_id, &patch).await?,
                REGION_COLUMNS,
            )
        }
        RegionsCommand::Delete {
            region: text,
            organization,
            delete,
        } => {
            let found = region(access, &organization, &text).await;
            let Some(current) = found_or_skip(found, &delete.as_delete_args(), out, REGION, &text)?
            else {
                return Ok(());
            };
            check_safe_mode(
                delete.no_safe_mode,
                ResourceKind::Region,
                current.region_id.as_str(),
                &current.name,
            )?;
            // The server refuses while data planes are left: say which, before asking.
            let left =
                dataplanes_of(access, std::slice::from_ref(&current.region_id), None, None).await?;
            if !left.is_empty() {
                let names: Vec<String> = left
                    .iter()
                    .map(|dataplane| format!("\"{}\"", escape(&dataplane.name)))
                    .collect();
                return Err(CliError::bad(format!(
                    "region \"{}\" still has {} data plane(s): {}",
                    escape(&current.name),
                    left.len(),
                    names.join(", ")
                ))
                .hint("delete them first (airbyte dataplanes delete)"));
            }
            let change = Change::new(Action::Delete, REGION)
                .id(&current.region_id)
                .name(current.name.clone());
            if !confirm_delete(global, out, delete, change).await? {
                return Ok(());
            }
            sdk.delete_region(&current.region_id, !delete.no_safe_mode)
                .await?;
            out.note(&format!(
                "deleted region \"{}\" ({})",
                escape(&current.name),
                current.region_id
            ));
            Ok(())
        }
    }
}

pub(crate) async fn dataplanes(
    access: &Access,
    global: &GlobalArgs,
    out: &Out,
    command: DataplanesCommand,
) -> CliResult {
    let sdk = access.sdk();
    match command {
        DataplanesCommand::List {
            region,
            organization,
            name,
            limit,
        } => {
            let regions = regions_in_scope(access, &region, &organization).await?;
            out.list(
                &dataplanes_of(access, &regions, name, limit).await?,
                DATAPLANE_COLUMNS,
            )
        }
        DataplanesCommand::Get {
            dataplane: text,
            region,
            organization,
        } => out.one(
            &dataplane(access, &region, &organization, &text).await?,
            DATAPLANE_COLUMNS,
        ),
        DataplanesCommand::Create {
            name,
            region,
            organization,
            dry_run,
        } => {
            check_name(DATAPLANE, &name)?;
            let region = region_id(access, &organization, &region).await?;
            let plan = Plan::of(
                Change::new(Action::Create, DATAPLANE)
                    .name(name.clone())
                    .detail(format!("in region {region}")),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let created = or_not_found(
                sdk.create_dataplane(&region, &name).await,
                REGION,
                region.as_str(),
            )?;
            out.one(
                &json!({
                    "dataplaneId": created.dataplane_id,
                    "name": name,
                    "regionId": created.region_id,
                    "clientId": created.client_id,
                    "clientSecret": created.client_secret.expose_secret(),
                }),
                CREATED_DATAPLANE_COLUMNS,
            )?;
            out.note("Store the client secret now: it is not shown again.");
            Ok(())
        }
        DataplanesCommand::Update {
            dataplane: text,
            name,
            enabled,
            region,
            organization,
            dry_run,
        } => {
            check_update(DATAPLANE, name.as_deref(), enabled)?;
            let current = dataplane(access, &region, &organization, &text).await?;
            let plan = update_plan(
                DATAPLANE,
                &current.dataplane_id,
                (&current.name, current.enabled),
                name.as_deref(),
                enabled,
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let patch = DataplanePatchRequest {
                name,
                enabled: enabled.enabled(),
            };
            out.one(
                &sdk.update_dataplane(&current.dataplane_id, &patch).await?,
                DATAPLANE_COLUMNS,
            )
        }
        DataplanesCommand::Delete {
            dataplane: text,
            region,
            organization,
            delete,
        } => {
            let found = dataplane(access, &region, &organization, &text).await;
            let Some(current) =
                found_or_skip(found, &delete.as_delete_args(), out, DATAPLANE, &text)?
            else {
                return Ok(());
            };
            check_safe_mode(
                delete.no_safe_mode,
                ResourceKind::Dataplane,
                current.dataplane_id.as_str(),
                &current.name,
            )?;
            let change = Change::new(Action::Delete, DATAPLANE)
                .id(&current.dataplane_id)
                .name(current.name.clone())
                .detail("its credentials stop working");
            if !confirm_delete(global, out, delete, change).await? {
                return Ok(());
            }
            sdk.delete_dataplane(&current.dataplane_id, !delete.no_safe_mode)
                .await?;
            out.note(&format!(
                "deleted data plane \"{}\" ({})",
                escape(&current.name),
                current.dataplane_id
            ));
            Ok(())
        }
    }
}
