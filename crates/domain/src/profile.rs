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
