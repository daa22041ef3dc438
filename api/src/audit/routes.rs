use actix_web::{get, web, HttpResponse};
use gatehouse_domain::audit::AuditQuery;

use super::service;
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(audit_log);
}

/// The audit log of administrative acts (S2), newest first: who did what to whom, with before
/// and after where meaningful. Never holds a secret.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "A page of acts", body = gatehouse_domain::page::Page<gatehouse_domain::audit::AuditEvent>), SessionErrors, AdminErrors)
)]
#[get("/audit-log")]
async fn audit_log(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state, &member, query.into_inner()).await?))
}
