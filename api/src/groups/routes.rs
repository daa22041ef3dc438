use actix_web::{delete, get, post, put, web, HttpResponse};
use gatehouse_domain::{
    groups::{Group, GroupInput},
    Id,
};

use super::service;
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, BodyErrors, ConflictError, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(rename)
        .service(remove);
}

/// The account's groups with their member counts, the default group first.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    responses((status = 200, description = "Groups", body = Vec<Group>), SessionErrors, AdminErrors)
)]
#[get("/groups")]
async fn list(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state, &member).await?))
}

/// Add a group. Names are unique in the account (409 `name_taken`).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Group), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[post("/groups")]
async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<GroupInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state, &member, body.into_inner()).await?))
}

/// Rename a group (the default group cannot be renamed: 409 `default_group_locked`).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Group id")),
    responses((status = 200, description = "Renamed", body = Group), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[put("/groups/{id}")]
async fn rename(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<GroupInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::rename(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// Delete an empty group (409 `group_not_empty` with `count`; 409 `default_group_locked`).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Group id")),
    responses((status = 204, description = "Deleted"), SessionErrors, AdminErrors, ConflictError)
)]
#[delete("/groups/{id}")]
async fn remove(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
