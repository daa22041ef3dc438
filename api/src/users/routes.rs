use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use gatehouse_domain::{
    users::{
        BulkRequest, BulkResult, NewUser, SessionsEnded, SetPassword, UpdateUser, User, UserQuery,
        UserSaved, UsersPage,
    },
    Id,
};

use super::{bulk, invitations, list, members, service};
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, BodyErrors, BusyError, ConflictError, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(add_user)
        .service(bulk_act)
        .service(get_user)
        .service(update_user)
        .service(resend_invitation)
        .service(set_password)
        .service(send_password_reset)
        .service(reset_two_factor)
        .service(end_sessions)
        .service(unlock);
}

/// The account's members (U9 filters, search, order, pages) with the seat counter (U4).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserQuery),
    responses((status = 200, description = "A page of members and the seats", body = UsersPage), SessionErrors, AdminErrors, BodyErrors)
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<UserQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(list::list(&state.db, &member, query.into_inner()).await?))
}

/// Add a member (U5) with a password or an invitation (U6). When the e-mail is a person of
/// another account the answer is 409 `identity_exists` with their `name`; send again with
/// `add_existing` to add them as they are. 409 `seats_exhausted` names used and total seats.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses((status = 201, description = "Added; `narrowed` lists rights the dependencies narrowed", body = UserSaved), SessionErrors, AdminErrors, BodyErrors, ConflictError, BusyError)
)]
#[post("/users")]
async fn add_user(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewUser>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(members::create(&state, &member, body.into_inner()).await?))
}

/// Activate, change the group or change the role of selected members — by ids or "all
/// matching" the list's filters. Activation is all or none within the free seats.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses((status = 200, description = "How many members changed", body = BulkResult), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[post("/users/bulk")]
async fn bulk_act(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<BulkRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(bulk::apply(&state, &member, body.into_inner()).await?))
}

/// One member with their own rights and hidden sections.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 200, description = "The member", body = User), SessionErrors, AdminErrors)
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(members::get(&state, &member, id.into_inner()).await?))
}

/// Edit a member (U7); absent fields stay. 409 `last_admin` when no active administrator would
/// remain; 409 `self_demotion` unless `confirm_self_demotion`; 409
/// `identity_in_other_accounts` for the name or e-mail of a person in other accounts.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 200, description = "Saved", body = UserSaved), SessionErrors, AdminErrors, BodyErrors, ConflictError)
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<UpdateUser>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(members::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// Mail a new invitation to a member who has not accepted theirs (earlier links stop working).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "Membership id")),
    responses((status = 202, description = "Sent"), SessionErrors, AdminErrors, ConflictError)
)]
#[post("/users/{id}/invitation")]
async fn resend_invitation(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    invitations::resend(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
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
