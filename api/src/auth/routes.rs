//! `/api/v1/auth/*` and the JWKS.

use actix_web::{
    cookie::{time, Cookie, SameSite},
    get, post, web, HttpRequest, HttpResponse,
};
use gatehouse_domain::{
    auth::{
        CompletePasswordReset, LoginRequest, PasswordResetRequest, RefreshRequest,
        SecondFactorRequest, SignInResult, SignedIn, SwitchAccountRequest,
    },
    problem::{ErrorCode, Problem},
};

use super::{
    reset,
    service::{self, Issued, LoginOutcome},
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
        .service(second_factor)
        .service(accept_invitation)
        .service(request_password_reset)
        .service(complete_password_reset)
        .service(refresh)
        .service(logout)
        .service(switch_account);
}

/// Sign in with e-mail and password.
///
/// Answers never tell whether the e-mail exists. Send `Gatehouse-Client: web` to receive the
/// refresh token as an HttpOnly cookie instead of in the body. With two-factor authentication
/// on, the answer is a ticket for `/auth/login/second-factor` instead of tokens.
///
/// After 10 failures for one e-mail within 15 minutes, or more than 30 from one IP within 5
/// minutes, attempts are refused with 429 `sign_in_locked` and `Retry-After`, even with the
/// right password.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "Signed in, or the second factor is needed", body = SignInResult),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`ip_not_allowed` (before the password is checked), `member_deactivated` or `not_a_member` (after)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`sign_in_locked`", body = Problem, content_type = "application/problem+json"),
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
    match service::login(&state, body.into_inner(), &client).await? {
        LoginOutcome::Tokens(issued) => Ok(signed_in(&state, &client, issued)),
        LoginOutcome::SecondFactor(challenge) => {
            Ok(HttpResponse::Ok().json(SignInResult::SecondFactorRequired(challenge)))
        }
    }
}

/// Accept an invitation (U6): the invited person chooses their password (the account's rules)
/// and is signed in to the account that invited them. The token comes from the link's fragment.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 400, description = "`invalid_invitation`: unknown, used, replaced or older than 72 hours", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`member_deactivated`", body = Problem, content_type = "application/problem+json"),
        BodyErrors,
        BusyError,
    )
)]
#[post("/auth/invitation")]
async fn accept_invitation(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<gatehouse_domain::users::AcceptInvitation>,
) -> ApiResult<HttpResponse> {
    let issued = crate::users::invitations::accept(&state, body.into_inner(), &client).await?;
    Ok(signed_in(&state, &client, issued))
}

/// The second step of a two-factor sign-in: the ticket and a 6-digit code or a recovery code.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 401, description = "`invalid_ticket` (expired or used: sign in again) or `invalid_second_factor`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`sign_in_locked`", body = Problem, content_type = "application/problem+json"),
        BodyErrors,
    )
)]
#[post("/auth/login/second-factor")]
async fn second_factor(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<SecondFactorRequest>,
) -> ApiResult<HttpResponse> {
    let issued = service::second_factor(&state, body.into_inner(), &client).await?;
    Ok(signed_in(&state, &client, issued))
}

/// Forgotten password: mail a single-use link, valid one hour, to the address if it is known.
/// The answer is the same 202 whether it is or not.
#[utoipa::path(
    tag = "auth",
    responses((status = 202, description = "If the address is known, a link is on its way"), BodyErrors)
)]
#[post("/auth/password-reset")]
async fn request_password_reset(
    state: web::Data<AppState>,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    reset::request(&state, body.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with the token of a reset link. Every session of the person ends.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 204, description = "Password set; sign in with it"),
        (status = 400, description = "`invalid_reset_token`: unknown, used or expired", body = Problem, content_type = "application/problem+json"),
        BodyErrors,
        BusyError,
    )
)]
#[post("/auth/password-reset/complete")]
async fn complete_password_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<CompletePasswordReset>,
) -> ApiResult<HttpResponse> {
    reset::complete(&state, body.into_inner(), &client).await?;
    Ok(HttpResponse::NoContent().finish())
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
        (status = 401, description = "`invalid_refresh_token`, `refresh_token_reused` or `session_ended`", body = Problem, content_type = "application/problem+json"),
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
        (status = 403, description = "`not_a_member` or `member_deactivated`", body = Problem, content_type = "application/problem+json"),
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
