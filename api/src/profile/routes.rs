use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use gatehouse_domain::{
    problem::Problem,
    profile::{
        ChangePassword, ConfirmTwoFactor, DisableTwoFactor, Me, RecoveryCodes,
        RegenerateRecoveryCodes, SessionView, TwoFactorEnrolment, TwoFactorStatus, UpdateMe,
    },
    users::SessionsEnded,
    Id,
};

use super::{password, service, sessions, two_factor};
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{BodyErrors, BusyError, ConflictError, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(me)
        .service(update_me)
        .service(change_password)
        .service(list_sessions)
        .service(end_session)
        .service(end_other_sessions)
        .service(two_factor_status)
        .service(enrol_two_factor)
        .service(confirm_two_factor)
        .service(disable_two_factor)
        .service(regenerate_recovery_codes);
}

/// Change one's own password: the current one, then the new one under the account's rules.
/// Every other session of the person ends and they get a notice by mail.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        SessionErrors,
        BodyErrors,
        BusyError,
    )
)]
#[put("/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<ChangePassword>,
) -> ApiResult<HttpResponse> {
    password::change(&state, &member, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One's live sessions in every account, most recently used first.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "Sessions", body = Vec<SessionView>), SessionErrors)
)]
#[get("/me/sessions")]
async fn list_sessions(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(sessions::list(&state, &member).await?))
}

/// End one of one's sessions (its tokens stop working at once).
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Session id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 404, description = "`not_found`: not one of yours", body = Problem, content_type = "application/problem+json"),
        SessionErrors,
    )
)]
#[delete("/me/sessions/{id}")]
async fn end_session(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    sessions::end(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End every session but this one.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "How many ended", body = SessionsEnded), SessionErrors)
)]
#[post("/me/sessions/end-others")]
async fn end_other_sessions(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(sessions::end_others(&state, &member).await?))
}

/// Whether one's second factor is on, and whether the account requires it.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "Status", body = TwoFactorStatus), SessionErrors)
)]
#[get("/me/two-factor")]
async fn two_factor_status(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(two_factor::status(&state, &member).await?))
}

/// Start enrolling an authenticator app: a new secret, its otpauth URI and QR code. It takes
/// effect once a code from it is confirmed.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Scan or type this into the app", body = TwoFactorEnrolment),
        SessionErrors,
        ConflictError,
    )
)]
#[post("/me/two-factor/enrolment")]
async fn enrol_two_factor(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(two_factor::enrol(&state, &member).await?))
}

/// Confirm the enrolment with a code from the app: two-factor goes on, ten recovery codes are
/// shown once, and every other session ends.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "On; keep these codes", body = RecoveryCodes),
        SessionErrors,
        BodyErrors,
        ConflictError,
    )
)]
#[post("/me/two-factor/confirm")]
async fn confirm_two_factor(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<ConfirmTwoFactor>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(two_factor::confirm(&state, &member, body.into_inner()).await?))
}

/// Turn two-factor off with the password and a current code. Refused (409
/// `two_factor_required`) when the account requires it.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 204, description = "Off"), SessionErrors, BodyErrors, ConflictError, BusyError)
)]
#[post("/me/two-factor/disable")]
async fn disable_two_factor(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<DisableTwoFactor>,
) -> ApiResult<HttpResponse> {
    two_factor::disable(&state, &member, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// New recovery codes (the old ones stop working), for the password.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Keep these codes", body = RecoveryCodes),
        SessionErrors,
        BodyErrors,
        ConflictError,
        BusyError,
    )
)]
#[post("/me/two-factor/recovery-codes")]
async fn regenerate_recovery_codes(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<RegenerateRecoveryCodes>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(two_factor::regenerate(&state, &member, body.into_inner()).await?))
}

/// Who am I: identity, membership in the current account, and the accounts to switch to.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "The signed-in member", body = Me), SessionErrors)
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::me(&state, &member).await?))
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
    Ok(HttpResponse::Ok().json(service::update_me(&state, &member, body.into_inner()).await?))
}
