//! The cabinet's endpoints for the CRM's clients (K3–K6). The sign-in page's appearance and the
//! code and session requests are public (scoped by the account in the path); the rest take a
//! [`Client`] — a cabinet session token, never a staff token.

use actix_web::{delete, get, http::header, post, web, HttpResponse};
use gatehouse_domain::{
    cabinet::{
        CabinetAppearance, CabinetHome, CabinetLeadDetail, CabinetSession, CabinetSignIn,
        ChatInput, ChatMessage, CodeRequest, CodeSent, ErasureConfirm, PersonalData,
    },
    problem::Problem,
    Id,
};
use utoipa::IntoResponses;

use super::{chat, client as session, client::Client, erasure, sign_in, view};
use crate::{
    crm::chat::MessagesQuery, error::ApiResult, http::client::ClientInfo,
    openapi::responses::BodyErrors, state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // The fixed paths come before `/cabinet/{account}`, so `me` is never read as an account.
    cfg.service(home)
        .service(session_end)
        .service(data)
        .service(erasure_code)
        .service(erasure_confirm)
        .service(lead_get)
        .service(message_list)
        .service(message_post)
        .service(appearance)
        .service(code_request)
        .service(session_create);
}

/// A cabinet that is off, or no such account (the two are not told apart).
#[derive(IntoResponses)]
pub enum Unavailable {
    /// `cabinet_unavailable`
    #[response(status = 404, content_type = "application/problem+json")]
    Closed(Problem),
}

/// No cabinet session, or its cabinet was closed.
#[derive(IntoResponses)]
pub enum ClientErrors {
    /// `unauthenticated` (no token) or `invalid_token` (not a live cabinet session: unknown,
    /// signed out, expired, erased — or a staff token)
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// `cabinet_unavailable`: the cabinet was switched off
    #[response(status = 404, content_type = "application/problem+json")]
    Closed(Problem),
}

/// As [`ClientErrors`], for one of the client's leads.
#[derive(IntoResponses)]
pub enum ClientLeadErrors {
    /// `unauthenticated` or `invalid_token`
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// `forbidden`: the cabinet's chat is switched off (chat endpoints)
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// `not_found` (not one of the client's leads) or `cabinet_unavailable`
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Too many codes asked for.
#[derive(IntoResponses)]
pub enum RateLimited {
    /// `rate_limited`: 3 codes per phone in 15 minutes, 10 a day, one per 30 seconds, 20 per
    /// IP an hour; `Retry-After` gives the seconds until the next is allowed
    #[response(status = 429, content_type = "application/problem+json")]
    Limited(Problem),
}

/// Errors of the erasure's two steps.
#[derive(IntoResponses)]
pub enum ErasureErrors {
    /// `unauthenticated`, `invalid_token`, or `invalid_sms_code` (wrong, expired, replaced or
    /// void code; five wrong entries void it)
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// `forbidden`: the deletion of personal data is switched off in this cabinet
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// `cabinet_unavailable`
    #[response(status = 404, content_type = "application/problem+json")]
    Closed(Problem),
}

/// Errors of signing in.
#[derive(IntoResponses)]
pub enum SignInErrors {
    /// `invalid_sms_code`: the code is wrong, expired, replaced by a resend or void after five
    /// wrong entries — or the phone belongs to no client
    #[response(status = 401, content_type = "application/problem+json")]
    WrongCode(Problem),
    /// `cabinet_unavailable`
    #[response(status = 404, content_type = "application/problem+json")]
    Closed(Problem),
}

/// The cabinet's sign-in page: the account's name, the language, header text and logo, and
/// whether chat and deletion are on. Public.
#[utoipa::path(tag = "cabinet", params(("account" = Id, Path, description = "Account id")),
    responses((status = 200, description = "The cabinet's appearance", body = CabinetAppearance), Unavailable))]
#[get("/cabinet/{account}")]
async fn appearance(state: web::Data<AppState>, account: web::Path<Id>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view::appearance_of(&state, account.into_inner()).await?))
}

/// Send a sign-in code by SMS to the phone (normalised to E.164; local numbers are read in
/// the cabinet language's country). The answer is the same whether or not the phone belongs
/// to a client of the account — only a client's phone receives an SMS. A new code replaces
/// the previous one. 422 `phone_invalid` on `phone`.
#[utoipa::path(tag = "cabinet", params(("account" = Id, Path, description = "Account id")),
    responses((status = 202, description = "A code is on its way, if the phone is a client's", body = CodeSent), Unavailable, BodyErrors, RateLimited))]
#[post("/cabinet/{account}/codes")]
async fn code_request(
    state: web::Data<AppState>,
    account: web::Path<Id>,
    info: ClientInfo,
    body: web::Json<CodeRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Accepted()
        .json(sign_in::request_code(&state, account.into_inner(), body.into_inner(), &info).await?))
}

/// Sign in with the phone and the code: a cabinet session whose token opens the cabinet's
/// endpoints (and no staff endpoint). Each wrong code counts; the fifth voids it.
#[utoipa::path(tag = "cabinet", params(("account" = Id, Path, description = "Account id")),
    responses((status = 201, description = "Signed in", body = CabinetSession), SignInErrors, BodyErrors))]
#[post("/cabinet/{account}/sessions")]
async fn session_create(
    state: web::Data<AppState>,
    account: web::Path<Id>,
    info: ClientInfo,
    body: web::Json<CabinetSignIn>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(sign_in::sign_in(&state, account.into_inner(), body.into_inner(), &info).await?))
}

/// Sign out of the cabinet.
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])),
    responses((status = 204, description = "Signed out"), ClientErrors))]
#[delete("/cabinet/session")]
async fn session_end(state: web::Data<AppState>, client: Client) -> ApiResult<HttpResponse> {
    session::end(&state.db, &client).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in client: their name (when the cabinet shows it), phone and leads, newest first.
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])),
    responses((status = 200, description = "The client's cabinet", body = CabinetHome), ClientErrors))]
#[get("/cabinet/me")]
async fn home(state: web::Data<AppState>, client: Client) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view::home(&state, &client).await?))
}

/// One of the client's leads with the events the cabinet shows, oldest first.
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 200, description = "The lead", body = CabinetLeadDetail), ClientLeadErrors))]
#[get("/cabinet/leads/{id}")]
async fn lead_get(
    state: web::Data<AppState>,
    client: Client,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view::lead(&state, &client, id.into_inner()).await?))
}

/// The lead's chat with the manager, in id order: messages after `after`, or the latest ones.
/// With `wait`, answers as soon as a new message arrives, or with an empty list when the wait
/// ends (a long poll: call again with the last id).
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])), params(("id" = Id, Path, description = "Lead id"), MessagesQuery),
    responses((status = 200, description = "Chat messages", body = Vec<ChatMessage>), ClientLeadErrors))]
#[get("/cabinet/leads/{id}/messages")]
async fn message_list(
    state: web::Data<AppState>,
    client: Client,
    id: web::Path<Id>,
    query: web::Query<MessagesQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(chat::list(&state, &client, id.into_inner(), &query).await?))
}

/// Write to the manager: an incoming chat message on the lead's timeline. 422 `text_empty`
/// or `text_too_long` (4000 characters) on `text`.
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 201, description = "Sent", body = ChatMessage), ClientLeadErrors, BodyErrors))]
#[post("/cabinet/leads/{id}/messages")]
async fn message_post(
    state: web::Data<AppState>,
    client: Client,
    id: web::Path<Id>,
    body: web::Json<ChatInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(chat::post(&state, &client, id.into_inner(), body.into_inner()).await?))
}

/// Download the client's personal data as JSON: their contacts, their leads as shown, the chat.
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])),
    responses((status = 200, description = "An attachment, personal-data.json", body = PersonalData), ClientErrors))]
#[get("/cabinet/data")]
async fn data(state: web::Data<AppState>, client: Client) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"personal-data.json\"",
        ))
        .json(erasure::download(&state, &client).await?))
}

/// Ask for the code confirming the erasure of the client's data (sent by the deletion
/// template; the same limits as sign-in codes).
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])),
    responses((status = 202, description = "The code is on its way", body = CodeSent), ErasureErrors, RateLimited))]
#[post("/cabinet/erasure/codes")]
async fn erasure_code(
    state: web::Data<AppState>,
    client: Client,
    info: ClientInfo,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Accepted().json(erasure::request_code(&state, &client, &info).await?))
}

/// Erase the client's personal data with the code: the name, phones, e-mails and custom values
/// of their contacts, and the copies Gatehouse kept; the leads' timelines note it; the session
/// ends.
#[utoipa::path(tag = "cabinet", security(("cabinet" = [])),
    responses((status = 204, description = "Erased; the session has ended"), ErasureErrors, BodyErrors))]
#[post("/cabinet/erasure")]
async fn erasure_confirm(
    state: web::Data<AppState>,
    client: Client,
    body: web::Json<ErasureConfirm>,
) -> ApiResult<HttpResponse> {
    erasure::confirm(&state, &client, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
