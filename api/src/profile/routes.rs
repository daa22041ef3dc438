use actix_web::{get, patch, web, HttpResponse};
use gatehouse_domain::profile::{Me, UpdateMe};

use super::service;
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{BodyErrors, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me).service(update_me);
}

/// Who am I: identity, membership in the current account, and the accounts to switch to.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "The signed-in member", body = Me), SessionErrors)
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::me(&state.db, &member).await?))
}

/// Change one's own name or language.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = Me), SessionErrors, BodyErrors)
)]
#[patch("/me")]
async fn update_me(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<UpdateMe>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::update_me(&state.db, &member, body.into_inner()).await?))
}
