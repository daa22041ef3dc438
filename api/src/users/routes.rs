use actix_web::{delete, post, put, web, HttpResponse};
use gatehouse_domain::{
    users::{SessionsEnded, SetPassword},
    Id,
};

use super::service;
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, BodyErrors, BusyError, ConflictError, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(set_password)
        .service(send_password_reset)
        .service(reset_two_factor)
        .service(end_sessions)
        .service(unlock);
}

/// Set a member's password. Only for a person who belongs to no other account (409
/// `identity_in_other_accounts`: send a reset link instead). Their sessions end; they are told
/// by mail; with `must_change` they choose their own at the next sign-in.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 204, description = "Set"), SessionErrors, AdminErrors, BodyErrors, ConflictError, BusyError)
)]
#[put("/users/{id}/password")]
async fn set_password(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<SetPassword>,
) -> ApiResult<HttpResponse> {
    service::set_password(&state, &member, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mail the member a password reset link.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 202, description = "Sent"), SessionErrors, AdminErrors)
)]
#[post("/users/{id}/password-reset")]
async fn send_password_reset(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    service::send_reset(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Remove the member's second factor (they are told by mail).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 204, description = "Removed"), SessionErrors, AdminErrors, ConflictError)
)]
#[delete("/users/{id}/two-factor")]
async fn reset_two_factor(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    service::reset_two_factor(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End every session of the member in this account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 200, description = "How many ended", body = SessionsEnded), SessionErrors, AdminErrors)
)]
#[post("/users/{id}/sessions/end")]
async fn end_sessions(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::end_sessions(&state, &member, id.into_inner()).await?))
}

/// Lift the brute-force lock of the member's e-mail.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 204, description = "Unlocked"), SessionErrors, AdminErrors)
)]
#[post("/users/{id}/unlock")]
async fn unlock(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    service::unlock(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
