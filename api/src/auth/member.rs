//! The `Member` extractor: a handler that takes a `Member` runs only for a live session's valid
//! access token. A missing token is 401 `unauthenticated`; a malformed, forged or expired one is
//! 401 `invalid_token` — never an anonymous request.

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use gatehouse_domain::{problem::ErrorCode, Id};

use crate::{error::ApiError, state::AppState};

/// A signed-in member of an account, as of this request.
#[derive(Debug, Clone)]
pub struct Member {
    pub identity_id: Id,
    pub account_id: Id,
    pub membership_id: Id,
    pub session_id: Id,
    pub is_admin: bool,
    pub is_free: bool,
}

impl FromRequest for Member {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let claims = state.keys.verify(&token?)?;
            let session = state
                .sessions
                .live(&state.db, claims.sid)
                .await?
                .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
            // The token must speak of the session it names; a mismatch is a forgery.
            if session.identity_id.to_string() != claims.sub || session.account_id != claims.acc {
                return Err(ApiError::Code(ErrorCode::InvalidToken));
            }
            Ok(Self {
                identity_id: session.identity_id,
                account_id: session.account_id,
                membership_id: session.membership_id,
                session_id: claims.sid,
                is_admin: session.is_admin,
                is_free: session.is_free,
            })
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Code(ErrorCode::Unauthenticated))?
        .to_str()
        .map_err(|_| ApiError::Code(ErrorCode::InvalidToken))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(ApiError::Code(ErrorCode::InvalidToken))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Code(ErrorCode::InvalidToken));
    }
    Ok(token.trim().to_owned())
}
