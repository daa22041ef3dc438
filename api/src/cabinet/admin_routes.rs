//! The cabinet settings' endpoints (K1), for administrators, and the logo as the cabinet's
//! sign-in page loads it (public).

use actix_web::{
    delete, get,
    http::header::{self, ContentEncoding},
    put, web, HttpResponse,
};
use futures_util::StreamExt;
use gatehouse_domain::{
    cabinet::{CabinetSettings, CabinetSettingsInput, LOGO_MAX_BYTES},
    problem::{ErrorCode, Problem},
    Id,
};
use utoipa::ToSchema;

use super::admin;
use crate::{
    auth::Member,
    error::{ApiError, ApiResult},
    openapi::responses::{AdminErrors, BodyErrors, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(settings_get)
        .service(settings_put)
        .service(logo_put)
        .service(logo_delete)
        .service(logo_get);
}

/// A PNG image's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Png(pub Vec<u8>);

/// The client cabinet's settings, with the one link every client signs in at.
#[utoipa::path(
    tag = "cabinet-settings",
    security(("bearer" = [])),
    responses((status = 200, description = "The settings (the defaults until first saved)", body = CabinetSettings), SessionErrors, AdminErrors)
)]
#[get("/cabinet-settings")]
async fn settings_get(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(admin::get(&state.db, &member, &state.public_url).await?))
}

/// Saves the cabinet's settings (all but the logo). Besides the rules of each field, the SMS
/// provider (`sms_provider_unknown`), the custom fields (`field_unknown`: a lead field of this
/// account) and the stages (`stage_unknown`) must be the account's.
#[utoipa::path(
    tag = "cabinet-settings",
    security(("bearer" = [])),
    request_body = CabinetSettingsInput,
    responses((status = 200, description = "The saved settings", body = CabinetSettings), SessionErrors, AdminErrors, BodyErrors)
)]
#[put("/cabinet-settings")]
async fn settings_put(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<CabinetSettingsInput>,
) -> ApiResult<HttpResponse> {
    let saved = admin::save(&state.db, &member, &state.public_url, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Uploads the logo: the PNG's bytes as the body. It must decode as a PNG (`logo_not_png`,
/// whatever the name or content type claims), 80×40 to 800×800 pixels (`logo_too_small`,
/// `logo_too_large`) and at most 500 KB (413 `payload_too_large`).
#[utoipa::path(
    tag = "cabinet-settings",
    security(("bearer" = [])),
    request_body(content = Png, content_type = "image/png"),
    responses(
        (status = 200, description = "The settings with the new `logo_url`", body = CabinetSettings),
        (status = 413, description = "`payload_too_large`: over 500 KB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on the field `logo`: `logo_not_png`, `logo_too_small`, `logo_too_large`", body = Problem, content_type = "application/problem+json"),
        SessionErrors, AdminErrors
    )
)]
#[put("/cabinet-settings/logo")]
async fn logo_put(
    state: web::Data<AppState>,
    member: Member,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let png = read_logo(payload).await?;
    let saved = admin::set_logo(&state.db, &member, &state.public_url, png).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Past this much, an upload is not even read to its end before it is refused.
const DRAIN_MAX: usize = 8 * 1024 * 1024;

/// Reads the upload up to [`LOGO_MAX_BYTES`]. A heavier one is read on (and dropped) so the
/// client, still sending, gets the 413 rather than a reset connection.
async fn read_logo(mut payload: web::Payload) -> ApiResult<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut read = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            ApiError::detailed(ErrorCode::InvalidBody, "the upload could not be read")
        })?;
        read += chunk.len();
        if read > DRAIN_MAX {
            break;
        }
        if read <= LOGO_MAX_BYTES {
            bytes.extend_from_slice(&chunk);
        }
    }
    if read > LOGO_MAX_BYTES {
        return Err(admin::logo_too_heavy());
    }
    Ok(bytes)
}

/// Removes the logo.
#[utoipa::path(
    tag = "cabinet-settings",
    security(("bearer" = [])),
    responses((status = 204, description = "Removed (or there was none)"), SessionErrors, AdminErrors)
)]
#[delete("/cabinet-settings/logo")]
async fn logo_delete(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    admin::delete_logo(&state.db, &member).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The cabinet's logo, for its sign-in page: public, while the cabinet is on. Cached for a
/// day; `logo_url` in the settings carries a `v` that changes with each upload.
#[utoipa::path(
    tag = "cabinet",
    params(("account" = Id, Path, description = "The account whose cabinet it is")),
    responses(
        (status = 200, description = "The PNG", body = Png, content_type = "image/png"),
        (status = 404, description = "`cabinet_unavailable` (unknown account or cabinet off) or `not_found` (no logo)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/cabinet/{account}/logo")]
async fn logo_get(state: web::Data<AppState>, path: web::Path<Id>) -> ApiResult<HttpResponse> {
    let png = admin::public_logo(&state.db, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/png"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Already compressed: the compression middleware leaves it as it is.
        .insert_header(ContentEncoding::Identity)
        .body(png))
}
