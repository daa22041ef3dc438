//! `/api/v1/auth/*` and the JWKS.

use actix_web::{
    cookie::{time, Cookie, SameSite},
    get, post, web, HttpRequest, HttpResponse,
};
use gatehouse_domain::{
    auth::{LoginRequest, RefreshRequest, SignedIn, SwitchAccountRequest},
    problem::ErrorCode,
};

use super::{
    service::{self, Issued},
    sessions::ABSOLUTE_LIFETIME_DAYS,
    Member,
};
use crate::{
    error::{ApiError, ApiResult},
    http::{client::ClientInfo, json::OptionalJson},
    openapi::responses::{BodyErrors, BusyError, SessionErrors},
    state::AppState,
};

/// The web app's refresh token; scoped to the auth endpoints so it travels nowhere else.
const REFRESH_COOKIE: &str = "gatehouse_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(switch_account);
}

/// Sign in with e-mail and password.
///
/// Answers never tell whether the e-mail exists. Send `Gatehouse-Client: web` to receive the
/// refresh token as an HttpOnly cookie instead of in the body.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 401, description = "`invalid_credentials`", body = gatehouse_domain::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`member_deactivated` or `not_a_member` (after the password was verified)", body = gatehouse_domain::problem::Problem, content_type = "application/problem+json"),
        BodyErrors,
        BusyError,
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let issued = service::login(&state, body.into_inner(), &client).await?;
    Ok(signed_in(&state, &client, issued))
}

/// Exchange a refresh token for new tokens; the old refresh token stops working.
///
/// The token comes from the body or, for the web app, from its cookie. Using a refresh token
/// twice ends the session (it was copied).
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshRequest>, description = "Omit the body when the token is in the cookie"),
    responses(
        (status = 200, description = "New tokens", body = SignedIn),
        (status = 401, description = "`invalid_refresh_token`, `refresh_token_reused` or `session_ended`", body = gatehouse_domain::problem::Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    client: ClientInfo,
    req: HttpRequest,
    body: OptionalJson<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let token = body
        .0
        .and_then(|b| b.refresh_token)
        .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()))
        .ok_or(ApiError::Code(ErrorCode::InvalidRefreshToken))?;
    let issued = service::refresh(&state, &token, &client).await?;
    Ok(signed_in(&state, &client, issued))
}

/// Sign out: end this session everywhere.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), SessionErrors)
)]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    service::logout(&state, &member).await?;
    let mut gone = refresh_cookie(&state, String::new());
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

/// Switch to another account of the same person: new tokens for that account; this session ends.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed in to the other account", body = SignedIn),
        (status = 403, description = "`not_a_member` or `member_deactivated`", body = gatehouse_domain::problem::Problem, content_type = "application/problem+json"),
        SessionErrors,
        BodyErrors,
    )
)]
#[post("/auth/switch-account")]
async fn switch_account(
    state: web::Data<AppState>,
    member: Member,
    client: ClientInfo,
    body: web::Json<SwitchAccountRequest>,
) -> ApiResult<HttpResponse> {
    let issued = service::switch_account(&state, &member, body.account_id, &client).await?;
    Ok(signed_in(&state, &client, issued))
}

/// The web app gets the refresh token as a cookie it cannot read; everyone else in the body.
fn signed_in(state: &AppState, client: &ClientInfo, issued: Issued) -> HttpResponse {
    let Issued {
        mut signed_in,
        refresh_token,
    } = issued;
    let mut response = HttpResponse::Ok();
    response.insert_header(("Cache-Control", "no-store"));
    if client.is_web {
        response.cookie(refresh_cookie(state, refresh_token));
    } else {
        signed_in.refresh_token = Some(refresh_token);
    }
    response.json(signed_in)
}

fn refresh_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(ABSOLUTE_LIFETIME_DAYS))
        .finish()
}

/// The public keys that verify access tokens (JWKS).
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "JSON Web Key Set", content_type = "application/json", body = Object))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(state.keys.jwks())
}
