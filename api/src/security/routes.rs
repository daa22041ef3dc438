use actix_web::{get, http::header, put, web, HttpResponse};
use gatehouse_domain::{
    page::Page,
    security::{AllowlistView, AuthLogEntry, AuthLogQuery, SaveAllowlist, SecuritySettings},
    users::MemberSecurity,
};

use super::{auth_log, service};
use crate::{
    auth::Member,
    error::ApiResult,
    http::client::ClientInfo,
    openapi::responses::{AdminErrors, BodyErrors, ConflictError, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_settings)
        .service(put_settings)
        .service(get_allowlist)
        .service(put_allowlist)
        .service(members)
        .service(auth_log_page)
        .service(auth_log_export);
}

/// The account's security settings: password rules, two-factor policy, session lifetimes,
/// authorization log retention.
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    responses((status = 200, description = "Settings", body = SecuritySettings), SessionErrors, AdminErrors)
)]
#[get("/security/settings")]
async fn get_settings(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::settings(&state, &member).await?))
}

/// Save the security settings as a whole.
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    responses((status = 200, description = "Saved", body = SecuritySettings), SessionErrors, AdminErrors, BodyErrors)
)]
#[put("/security/settings")]
async fn put_settings(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<SecuritySettings>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::save_settings(&state, &member, body.into_inner()).await?))
}

/// The IP allowlist, with the caller's own address as the server sees it.
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    responses((status = 200, description = "Allowlist", body = AllowlistView), SessionErrors, AdminErrors)
)]
#[get("/security/allowlist")]
async fn get_allowlist(
    state: web::Data<AppState>,
    member: Member,
    client: ClientInfo,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::allowlist(&state, &member, &client).await?))
}

/// Replace the IP allowlist. A list that would shut out the administrator saving it gets 409
/// `allowlist_locks_you_out` unless `confirm_lockout` is true.
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    responses((status = 200, description = "Saved", body = AllowlistView), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[put("/security/allowlist")]
async fn put_allowlist(
    state: web::Data<AppState>,
    member: Member,
    client: ClientInfo,
    body: web::Json<SaveAllowlist>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::save_allowlist(&state, &member, &client, body.into_inner()).await?))
}

/// Every member's sign-in security: second factor, lock, live sessions, last sign-in.
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    responses((status = 200, description = "Members", body = Vec<MemberSecurity>), SessionErrors, AdminErrors)
)]
#[get("/security/members")]
async fn members(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::members(&state, &member).await?))
}

/// The authorization log: every sign-in attempt in this account, newest first.
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    params(AuthLogQuery),
    responses((status = 200, description = "A page of the log", body = Page<AuthLogEntry>), SessionErrors, AdminErrors)
)]
#[get("/security/auth-log")]
async fn auth_log_page(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<AuthLogQuery>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    Ok(HttpResponse::Ok().json(auth_log::list(&state.db, member.account_id, &query).await?))
}

/// The authorization log as CSV, with the same filters (pages ignored).
#[utoipa::path(
    tag = "security",
    security(("bearer" = [])),
    params(AuthLogQuery),
    responses((status = 200, description = "CSV, UTF-8, with a header row", content_type = "text/csv", body = String), SessionErrors, AdminErrors)
)]
#[get("/security/auth-log/export")]
async fn auth_log_export(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<AuthLogQuery>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let csv = auth_log::export_csv(&state.db, member.account_id, &query).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"authorization-log.csv\"",
        ))
        .body(csv))
}
