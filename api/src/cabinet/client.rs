//! The `Client` extractor: the cabinet's principal (K3). A handler that takes a `Client` runs
//! only for a live cabinet session of an open cabinet. Cabinet tokens are opaque (`gc_` and
//! 32 random bytes, stored as their SHA-256), so a staff JWT is never one of them, and the
//! staff `Member` extractor, which verifies JWTs, refuses every cabinet token.

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::{Duration, Utc};
use futures_util::future::LocalBoxFuture;
use gatehouse_domain::{
    cabinet::{SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS},
    problem::ErrorCode,
    Id,
};
use sea_orm::{sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::settings::{self, Stored};
use crate::{
    auth::{member::bearer_token, tokens::token_hash},
    entities::{accounts, cabinet_sessions},
    error::{ApiError, ApiResult},
    state::AppState,
};

/// What every cabinet token starts with, so it is told from a staff token at a glance (and in
/// secret scanners).
pub const TOKEN_PREFIX: &str = "gc_";
/// `last_seen_at` is written at most this often, so reading the cabinet is not a write each
/// time.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A signed-in client of a cabinet, as of this request: the session reaches the contacts of
/// `account` with `phone`, looked up on each request (so erased or changed contacts drop out).
#[derive(Debug, Clone)]
pub struct Client {
    pub session_id: Id,
    pub account: accounts::Model,
    pub settings: Stored,
    /// E.164.
    pub phone: String,
}

impl Client {
    #[must_use]
    pub const fn account_id(&self) -> Id {
        self.account.id
    }
}

/// A new cabinet token and the hash that is stored instead of it.
#[must_use]
pub fn new_token() -> (String, String) {
    let (random, _) = crate::auth::tokens::random_token();
    let token = format!("{TOKEN_PREFIX}{random}");
    let hash = token_hash(&token);
    (token, hash)
}

/// When a session signed in now ends at the latest.
#[must_use]
pub fn expires_at(now: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    now + Duration::seconds(SESSION_ABSOLUTE_SECONDS)
}

/// The live session a cabinet token names, if any.
///
/// # Errors
/// Database errors only.
async fn live(
    db: &impl ConnectionTrait,
    token: &str,
) -> ApiResult<Option<cabinet_sessions::Model>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    Ok(cabinet_sessions::Entity::find()
        .filter(cabinet_sessions::Column::TokenHash.eq(token_hash(token)))
        .filter(cabinet_sessions::Column::EndedAt.is_null())
        .filter(cabinet_sessions::Column::ExpiresAt.gt(now))
        .filter(
            cabinet_sessions::Column::LastSeenAt.gt(now - Duration::seconds(SESSION_IDLE_SECONDS)),
        )
        .one(db)
        .await?)
}

/// # Errors
/// 401 `unauthenticated` without a token, 401 `invalid_token` for any token that is not a live
/// session's; 404 `cabinet_unavailable` once the cabinet is closed.
async fn resolve(state: &AppState, token: ApiResult<String>) -> ApiResult<Client> {
    let token = token?;
    let session = live(&state.db, &token)
        .await?
        .ok_or(ApiError::Code(ErrorCode::InvalidToken))?;
    let (account, settings) = settings::open(&state.db, session.account_id).await?;
    let now = Utc::now();
    if now - session.last_seen_at > Duration::seconds(TOUCH_EVERY_SECONDS) {
        cabinet_sessions::Entity::update_many()
            .col_expr(cabinet_sessions::Column::LastSeenAt, Expr::value(now))
            .filter(cabinet_sessions::Column::Id.eq(session.id))
            .exec(&state.db)
            .await?;
    }
    Ok(Client {
        session_id: session.id,
        account,
        settings,
        phone: session.phone,
    })
}

impl FromRequest for Client {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            resolve(&state, token).await
        })
    }
}

/// Ends the session (sign-out).
///
/// # Errors
/// Database errors only.
pub async fn end(db: &impl ConnectionTrait, client: &Client) -> ApiResult<()> {
    cabinet_sessions::Entity::update_many()
        .col_expr(
            cabinet_sessions::Column::EndedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(cabinet_sessions::Column::Id.eq(client.session_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A new session row for a client who proved the phone.
#[must_use]
pub fn session_row(
    account_id: Id,
    phone: &str,
    token_hash: String,
    user_agent: Option<String>,
) -> cabinet_sessions::ActiveModel {
    let now = Utc::now();
    cabinet_sessions::ActiveModel {
        account_id: Set(account_id),
        phone: Set(phone.to_owned()),
        token_hash: Set(token_hash),
        user_agent: Set(user_agent),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at(now)),
        ended_at: Set(None),
        ..Default::default()
    }
}

/// The account's contacts holding `phone` (E.164), oldest first. Contacts keep numbers as
/// typed into the CRM (digits, maybe a `+`), so the database narrows them down by the last
/// seven digits and each candidate's numbers are then read as the cabinet reads the client's.
///
/// # Errors
/// Database errors only.
pub async fn contacts_with_phone(
    db: &impl ConnectionTrait,
    account_id: Id,
    phone: &str,
    language: gatehouse_domain::people::Language,
) -> ApiResult<Vec<crate::entities::contacts::Model>> {
    use crate::entities::contacts;
    use sea_orm::QueryOrder;

    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let tail = &digits[digits.len().saturating_sub(7)..];
    if tail.is_empty() {
        return Ok(Vec::new());
    }
    let home = crate::sms::phone::home_country(language);
    let candidates = contacts::Entity::find()
        .filter(contacts::Column::AccountId.eq(account_id))
        .filter(contacts::Column::Phones.like(crate::db::containing(tail)))
        .order_by_asc(contacts::Column::Id)
        .all(db)
        .await?;
    Ok(candidates
        .into_iter()
        .filter(|c| {
            serde_json::from_str::<Vec<String>>(&c.phones)
                .unwrap_or_default()
                .iter()
                .any(|p| crate::sms::phone::e164(p, home).as_deref() == Some(phone))
        })
        .collect())
}
