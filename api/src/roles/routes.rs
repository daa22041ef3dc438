use actix_web::{delete, get, post, put, web, HttpResponse};
use gatehouse_domain::{
    roles::{Role, RoleInput, RoleSaved},
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
        .service(get)
        .service(update)
        .service(remove);
}

/// The account's roles with their rights and member counts.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    responses((status = 200, description = "Roles", body = Vec<Role>), SessionErrors, AdminErrors)
)]
#[get("/roles")]
async fn list(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state, &member).await?))
}

/// Add a role. Its rights are normalised (R2); `narrowed` says what changed.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = RoleSaved), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[post("/roles")]
async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<RoleInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state, &member, body.into_inner()).await?))
}

/// One role.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Role id")),
    responses((status = 200, description = "The role", body = Role), SessionErrors, AdminErrors)
)]
#[get("/roles/{id}")]
async fn get(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &member, id.into_inner()).await?))
}

/// Replace a role's name, rights and hidden sections; its members have them at once.
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Role id")),
    responses((status = 200, description = "Saved", body = RoleSaved), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[put("/roles/{id}")]
async fn update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<RoleInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// Delete a role nobody has (409 `role_in_use` with `count`).
#[utoipa::path(
    tag = "roles",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Role id")),
    responses((status = 204, description = "Deleted"), SessionErrors, AdminErrors, ConflictError)
)]
#[delete("/roles/{id}")]
async fn remove(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
