//! Sign-in, token refresh, account switching (A1–A3, A6).

use serde::{Deserialize, Serialize};

use crate::{accounts::AccountSummary, Id};

/// `POST /api/v1/auth/login` — a fixed point integrators rely on (SPEC §3).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    /// Never logged; at most 1024 bytes.
    pub password: String,
    /// The account to sign in to, for an identity in several accounts; without it the most
    /// recently used one is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Id>,
}

/// `POST /api/v1/auth/refresh`. The web app sends no body: its refresh token is in an
/// HttpOnly cookie.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `POST /api/v1/auth/switch-account`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SwitchAccountRequest {
    pub account_id: Id,
}

/// The answer to a successful sign-in, refresh or account switch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedIn {
    /// A JWT for `Authorization: Bearer`, valid for `expires_in` seconds.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    pub expires_in: u64,
    /// The rotating refresh token for mobile apps and integrators. Absent when the request
    /// carried `Gatehouse-Client: web`: the web app gets it as an HttpOnly cookie instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The account these tokens are for.
    pub account: AccountSummary,
    /// Every account where this identity is an active member, for switching (A6).
    pub accounts: Vec<AccountSummary>,
}

/// The request header with which the web app asks for its refresh token as a cookie.
pub const CLIENT_HEADER: &str = "Gatehouse-Client";
/// The header's value for the web app.
pub const WEB_CLIENT: &str = "web";

/// The answer of `POST /api/v1/auth/login`: tokens, or — when the person's second factor is
/// on — a ticket for the second step. (A second factor the account requires but the person
/// lacks shows as `pending_step` in `/me` after sign-in.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum SignInResult {
    SignedIn(SignedIn),
    SecondFactorRequired(SecondFactorRequired),
}

/// The password was right; a second factor is needed (T2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorRequired {
    /// Always true; tells this answer from tokens.
    pub second_factor_required: bool,
    /// Single-use, for `POST /api/v1/auth/login/second-factor`.
    pub ticket: String,
    /// Seconds the ticket stays valid.
    pub expires_in: u64,
}

/// `POST /api/v1/auth/login/second-factor`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorRequest {
    pub ticket: String,
    /// A 6-digit code from the authenticator app, or a recovery code.
    pub code: String,
}

/// `POST /api/v1/auth/password-reset`: always answered 202, known e-mail or not (A7).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/v1/auth/password-reset/complete`: the token from the mailed link's fragment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompletePasswordReset {
    pub token: String,
    pub new_password: String,
}

/// The one field name used by the web app to carry a reset token: `/reset-password#token=…`.
pub const RESET_FRAGMENT_KEY: &str = "token";
