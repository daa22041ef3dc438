//! The signed-in member's view of themselves (`GET /api/v1/me`, R8).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{accounts::AccountSummary, people::Language, Id};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub identity: IdentityView,
    pub membership: MembershipView,
    /// Every account where this identity is an active member (A6).
    pub accounts: Vec<AccountSummary>,
    /// What the member must do before anything else; the API refuses other requests with
    /// `password_change_required` / `two_factor_enrolment_required` until it is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_step: Option<PendingStep>,
    /// The account's password rules, for the strength meter of the password forms.
    pub password_policy: crate::security::PasswordPolicy,
    /// Effective rights and hidden sections (R8).
    pub access: crate::rights::Access,
    /// The account's seats; for administrators only (R8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<crate::accounts::Seats>,
}

/// The person, shared by all their accounts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityView {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub language: Language,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The person's place in the current account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipView {
    pub id: Id,
    pub account: AccountSummary,
    pub is_admin: bool,
    pub is_free: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::roles::RoleSummary>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSummary {
    pub id: Id,
    pub name: String,
    /// The account's default group ("Sales department" / "Отдел продаж"), named in the
    /// account's language; apps show it in the reader's language instead.
    pub is_default: bool,
}

/// `PATCH /api/v1/me`: what a member changes about themselves. Absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// `PUT /api/v1/me/password` (P1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// What stands between a member and the rest of the app after sign-in: a password an admin
/// asked them to change, or a second factor the account requires (T4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PendingStep {
    ChangePassword,
    EnrolSecondFactor,
}

/// One of the member's sessions (A4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: Id,
    /// The session this request was made with.
    pub current: bool,
    pub account: AccountSummary,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When it ends at the latest (the absolute lifetime).
    pub expires_at: DateTime<Utc>,
    pub ip: String,
    /// "Chrome 131", from the User-Agent.
    pub browser: String,
    /// "Windows 10".
    pub os: String,
    /// "desktop", "smartphone", "tablet" or "other".
    pub device: String,
}

/// `GET /api/v1/me/two-factor` (T1, T4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorStatus {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_at: Option<DateTime<Utc>>,
    pub recovery_codes_left: u32,
    /// The account's policy requires it of this member; it cannot be turned off.
    pub required: bool,
}

/// `POST /api/v1/me/two-factor/enrolment`: a new secret to put in the authenticator app. It
/// takes effect once a code from it is confirmed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorEnrolment {
    /// Base32, for typing into the app by hand.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// `POST /api/v1/me/two-factor/confirm`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmTwoFactor {
    pub code: String,
}

/// Ten single-use recovery codes, shown once (T1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// `POST /api/v1/me/two-factor/disable` (T3): password and a current code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisableTwoFactor {
    pub password: String,
    pub code: String,
}

/// `POST /api/v1/me/two-factor/recovery-codes`: new codes replace the old ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegenerateRecoveryCodes {
    pub password: String,
}
