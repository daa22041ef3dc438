use actix_web::{get, web, HttpResponse};
use gatehouse_domain::pipelines::Pipeline;

use super::service;
use crate::{auth::Member, error::ApiResult, openapi::responses::SessionErrors, state::AppState};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list);
}

/// The account's pipelines with their stages, in board order. A member does not see a pipeline
/// whose every stage is hidden from them.
#[utoipa::path(
    tag = "pipelines",
    security(("bearer" = [])),
    responses((status = 200, description = "Pipelines", body = Vec<Pipeline>), SessionErrors)
)]
#[get("/pipelines")]
async fn list(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state, &member).await?))
}
