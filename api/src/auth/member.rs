//! The `Member` extractor: a handler that takes a `Member` runs only for a live session's valid
//! access token. A missing token is 401 `unauthenticated`; a malformed, forged or expired one is
//! 401 `invalid_token` — never an anonymous request.

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use gatehouse_domain::{problem::ErrorCode, profile::PendingStep, Id};

use crate::{
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    state::AppState,
};

/// The paths a member with a pending step may still use: who am I, the step itself, sign-out.
const PENDING_STEP_PATHS: [&str; 3] = [
    "/api/v1/me/password",
    "/api/v1/me/two-factor",
    "/api/v1/auth/",
];

/// A signed-in member of an account, as of this request.
#[derive(Debug, Clone)]
pub struct Member {
    pub identity_id: Id,
    pub account_id: Id,
    pub membership_id: Id,
    pub session_id: Id,
    pub is_admin: bool,
    pub is_free: bool,
    /// What the member must do before anything else (the session check refuses the rest).
    pub pending_step: Option<PendingStep>,
}

impl Member {
    /// Administrative endpoints call this first. A free user administers nothing, whatever
    /// their admin flag says (R4).
    ///
    /// # Errors
    /// 403 `forbidden`, naming the missing right.
    pub fn require_admin(&self) -> ApiResult<()> {
        if self.is_admin && !self.is_free {
            Ok(())
        } else {
            Err(ApiError::detailed(
                ErrorCode::Forbidden,
                "only administrators of the account may do this",
            ))
        }
    }
}

impl FromRequest for Member {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let client = ClientInfo::of(req);
        let path = req.path().to_owned();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let claims = state.keys.verify(&token?)?;
            let session = state
                .sessions
                .live(&state.db, &state.policies, claims.sid)
                .await?
                .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
            // The token must speak of the session it names; a mismatch is a forgery.
            if session.identity_id.to_string() != claims.sub || session.account_id != claims.acc {
                return Err(ApiError::Code(ErrorCode::InvalidToken));
            }
            let policy = state.policies.get(&state.db, session.account_id).await?;
            if policy.is_some_and(|p| !p.admits(client.ip, session.allowlist_exempt, true)) {
                return Err(ApiError::Code(ErrorCode::IpNotAllowed));
            }
            if let Some(step) = session.pending_step {
                let allowed =
                    path == "/api/v1/me" || PENDING_STEP_PATHS.iter().any(|p| path.starts_with(p));
                if !allowed {
                    return Err(ApiError::Code(match step {
                        PendingStep::ChangePassword => ErrorCode::PasswordChangeRequired,
                        PendingStep::EnrolSecondFactor => ErrorCode::TwoFactorEnrolmentRequired,
                    }));
                }
            }
            Ok(Self {
                identity_id: session.identity_id,
                account_id: session.account_id,
                membership_id: session.membership_id,
                session_id: claims.sid,
                is_admin: session.is_admin,
                is_free: session.is_free,
                pending_step: session.pending_step,
            })
        })
    }
}

/// The token of `Authorization: Bearer …`: 401 `unauthenticated` without the header, 401
/// `invalid_token` for anything else than a bearer token (also used by the cabinet's `Client`).
pub(crate) fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
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
