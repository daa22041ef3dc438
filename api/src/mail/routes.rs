use actix_web::{get, web, HttpResponse};
use gatehouse_domain::{
    mail::OutboxMessage,
    page::{Page, PageRequest},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::service;
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(outbox);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based.
    page: Option<u64>,
    /// At most 250; 50 by default.
    per_page: Option<u64>,
}

/// The mail outbox of the account (P5): every message sent to its members, with its text while
/// no SMTP server has taken it.
#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "Newest first", body = Page<OutboxMessage>), SessionErrors, AdminErrors)
)]
#[get("/outbox")]
async fn outbox(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(query.page, query.per_page);
    Ok(HttpResponse::Ok().json(service::list(&state.db, &member, page).await?))
}
