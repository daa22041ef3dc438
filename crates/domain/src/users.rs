//! What administrators do to other members' sign-in (P3, T3, A4, A5) and what they see of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Id;

/// `PUT /api/v1/users/{id}/password`: allowed only when the member's identity belongs to no
/// other account (else `identity_in_other_accounts`: send a reset link instead).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    pub password: String,
    /// Ask the member to choose their own password at the next sign-in.
    #[serde(default)]
    pub must_change: bool,
}

/// A member as the security page lists them: who has a second factor, who is locked out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSecurity {
    /// The membership id, as in `/users/{id}`.
    pub id: Id,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub is_active: bool,
    pub two_factor_enabled: bool,
    /// Whether the account's policy requires a second factor of this member.
    pub two_factor_required: bool,
    /// Set while sign-ins for this e-mail are refused after too many failures (A5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether the identity belongs to other accounts too (then only a reset link can be sent).
    pub in_other_accounts: bool,
    pub live_sessions: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<DateTime<Utc>>,
}

/// The answer of acts that end sessions.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsEnded {
    pub ended: u64,
}
