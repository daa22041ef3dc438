//! SMS providers and the SMS log (K2), for administrators.

use actix_web::{delete, get, post, put, web, HttpResponse};
use gatehouse_domain::{
    page::{Page, PageRequest},
    sms::{SmsMessage, SmsProvider, SmsProviderInput, SmsStatus, SmsTestInput},
    Id,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::service;
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, BodyErrors, ConflictError, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(provider_list)
        .service(provider_create)
        .service(provider_update)
        .service(provider_delete)
        .service(provider_test)
        .service(message_list);
}

/// The account's SMS providers: its outbox (always there, first) and its HTTP gateways. The
/// gateways' `Authorization` header is never shown, only whether one is set.
#[utoipa::path(
    tag = "sms",
    security(("bearer" = [])),
    responses((status = 200, description = "The outbox first", body = Vec<SmsProvider>), SessionErrors, AdminErrors)
)]
#[get("/sms-providers")]
async fn provider_list(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state.db, &member).await?))
}

/// Adds an HTTP provider: a JSON or form webhook with its timeout and retries. Only `http`
/// may be added (`kind_invalid`: the outbox exists already).
#[utoipa::path(
    tag = "sms",
    security(("bearer" = [])),
    request_body = SmsProviderInput,
    responses((status = 201, description = "Added", body = SmsProvider), SessionErrors, AdminErrors, BodyErrors)
)]
#[post("/sms-providers")]
async fn provider_create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<SmsProviderInput>,
) -> ApiResult<HttpResponse> {
    let created = service::create(&state.db, &member, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Changes a provider (the outbox: its name only). `webhook.authorization` absent keeps the
/// stored header, `""` removes it. The kind cannot change (`kind_invalid`).
#[utoipa::path(
    tag = "sms",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "The provider")),
    request_body = SmsProviderInput,
    responses((status = 200, description = "Changed", body = SmsProvider), SessionErrors, AdminErrors, BodyErrors)
)]
#[put("/sms-providers/{id}")]
async fn provider_update(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<Id>,
    body: web::Json<SmsProviderInput>,
) -> ApiResult<HttpResponse> {
    let changed = service::update(&state.db, &member, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Deletes an HTTP provider; its messages still waiting are marked failed. 409 `conflict`
/// for the outbox and for the provider the cabinet sends with.
#[utoipa::path(
    tag = "sms",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "The provider")),
    responses((status = 204, description = "Deleted"), SessionErrors, AdminErrors, ConflictError)
)]
#[delete("/sms-providers/{id}")]
async fn provider_delete(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    service::delete(&state.db, &member, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a test message through a provider. The phone is read in the cabinet's country when
/// it has no `+` (`phone_invalid`). The message is queued: follow it in the SMS log.
#[utoipa::path(
    tag = "sms",
    security(("bearer" = [])),
    params(("id" = Id, Path, description = "The provider")),
    request_body = SmsTestInput,
    responses((status = 202, description = "Queued (or kept in the outbox)", body = SmsMessage), SessionErrors, AdminErrors, BodyErrors)
)]
#[post("/sms-providers/{id}/test")]
async fn provider_test(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<Id>,
    body: web::Json<SmsTestInput>,
) -> ApiResult<HttpResponse> {
    let queued = service::send_test(&state.db, &member, path.into_inner(), &body).await?;
    state.sms.wake();
    Ok(HttpResponse::Accepted().json(queued))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MessageQuery {
    /// 1-based.
    page: Option<u64>,
    /// At most 250; 50 by default.
    per_page: Option<u64>,
    /// Only messages with this status.
    status: Option<SmsStatus>,
}

/// The SMS log: every message of the account, newest first. The outbox keeps each text; an
/// HTTP gateway's messages lose theirs once sent or failed (they hold codes).
#[utoipa::path(
    tag = "sms",
    security(("bearer" = [])),
    params(MessageQuery),
    responses((status = 200, description = "Newest first", body = Page<SmsMessage>), SessionErrors, AdminErrors)
)]
#[get("/sms-messages")]
async fn message_list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<MessageQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(query.page, query.per_page);
    Ok(HttpResponse::Ok().json(service::messages(&state.db, &member, page, query.status).await?))
}
