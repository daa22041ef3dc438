use actix_web::{get, post, web, HttpResponse};
use gatehouse_domain::{
    deactivation::{DeactivationRequest, DeactivationResult, JobQuery, ReassignmentJob},
    page::Page,
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
    cfg.service(deactivate).service(list_jobs).service(get_job);
}

/// Deactivate members and hand their leads, contacts, companies and open tasks to one member,
/// one member per type, or evenly to a group's members (D1). The members cannot sign in from
/// now on, their sessions end and their seats are free (D2); a job moves the records (D3) —
/// poll it at `/reassignment-jobs/{id}`. With `dry_run` only the counts come back.
///
/// 409 `self_deactivation` when you are among the members, `last_admin` when no active
/// administrator would remain. 422: `member_ids_empty`, `member_ids_too_many`,
/// `member_unknown` (not a member of this account), `invalid_reassignment_target` (a receiver
/// that is not an active, non-free member, or is leaving), `unknown_group`,
/// `no_eligible_member` (nobody in the group can receive). Members already inactive are
/// accepted: their records are reassigned, they are not deactivated again.
#[utoipa::path(
    tag = "deactivation",
    security(("bearer" = [])),
    request_body = DeactivationRequest,
    responses(
        (status = 200, description = "Dry run: what would move; nothing changed", body = DeactivationResult),
        (status = 202, description = "Deactivated; the job moving the records has started", body = DeactivationResult),
        SessionErrors, AdminErrors, BodyErrors, ConflictError
    )
)]
#[post("/users/deactivate")]
async fn deactivate(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<DeactivationRequest>,
) -> ApiResult<HttpResponse> {
    let result = service::deactivate(&state, &member, body.into_inner()).await?;
    Ok(if result.dry_run {
        HttpResponse::Ok().json(result)
    } else {
        HttpResponse::Accepted().json(result)
    })
}

/// The account's reassignment jobs, newest first.
#[utoipa::path(
    tag = "deactivation",
    security(("bearer" = [])),
    params(JobQuery),
    responses((status = 200, description = "A page of jobs", body = Page<ReassignmentJob>), SessionErrors, AdminErrors)
)]
#[get("/reassignment-jobs")]
async fn list_jobs(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<JobQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state, &member, query.into_inner()).await?))
}

/// One reassignment job: its state and progress (`moved` of `totals`, `percent`).
#[utoipa::path(
    tag = "deactivation",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Job id")),
    responses((status = 200, description = "The job", body = ReassignmentJob), SessionErrors, AdminErrors)
)]
#[get("/reassignment-jobs/{id}")]
async fn get_job(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state, &member, id.into_inner()).await?))
}
