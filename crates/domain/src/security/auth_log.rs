//! The authorization log (S1): every sign-in attempt with its outcome, who, from where, with
//! what.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Id;

/// How the attempt came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// The web app (`Gatehouse-Client: web`).
    Web,
    /// Anything else with a password: integrations, scripts, mobile apps.
    Api,
    /// A token refresh (mobile apps and the web app keeping a session going).
    Refresh,
    /// The second step of a two-factor sign-in.
    SecondFactor,
    /// A forgotten-password reset.
    PasswordReset,
    /// An invited member choosing their first password (U6).
    Invitation,
}

/// What came of the attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthOutcome {
    Success,
    /// The password step passed; a second factor was asked for.
    SecondFactorRequired,
    WrongPassword,
    UnknownEmail,
    WrongSecondFactor,
    /// Too many failures for this e-mail or from this address (A5).
    Locked,
    /// This attempt's failure locked the e-mail (A5).
    LockedNow,
    IpNotAllowed,
    MemberDeactivated,
    NotAMember,
}

impl AuthOutcome {
    pub const ALL: [AuthOutcome; 10] = [
        Self::Success,
        Self::SecondFactorRequired,
        Self::WrongPassword,
        Self::UnknownEmail,
        Self::WrongSecondFactor,
        Self::Locked,
        Self::LockedNow,
        Self::IpNotAllowed,
        Self::MemberDeactivated,
        Self::NotAMember,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::SecondFactorRequired => "second_factor_required",
            Self::WrongPassword => "wrong_password",
            Self::UnknownEmail => "unknown_email",
            Self::WrongSecondFactor => "wrong_second_factor",
            Self::Locked => "locked",
            Self::LockedNow => "locked_now",
            Self::IpNotAllowed => "ip_not_allowed",
            Self::MemberDeactivated => "member_deactivated",
            Self::NotAMember => "not_a_member",
        }
    }

    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }

    /// Whether the attempt counts toward the brute-force limits (A5).
    #[must_use]
    pub const fn is_failure(self) -> bool {
        matches!(
            self,
            Self::WrongPassword | Self::UnknownEmail | Self::WrongSecondFactor | Self::LockedNow
        )
    }
}

impl AuthMethod {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
            Self::Refresh => "refresh",
            Self::SecondFactor => "second_factor",
            Self::PasswordReset => "password_reset",
            Self::Invitation => "invitation",
        }
    }

    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Web,
            Self::Api,
            Self::Refresh,
            Self::SecondFactor,
            Self::PasswordReset,
            Self::Invitation,
        ]
        .into_iter()
        .find(|m| m.as_str() == value)
    }
}

/// One line of the log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthLogEntry {
    pub id: Id,
    pub at: DateTime<Utc>,
    /// The e-mail typed, normalised.
    pub email: String,
    /// The member, when the e-mail belongs to one of this account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_name: Option<String>,
    pub method: AuthMethod,
    pub outcome: AuthOutcome,
    pub ip: String,
    /// Parsed from the User-Agent: "Chrome 131", "Firefox 133".
    pub browser: String,
    /// "Windows 10", "Android 14", "iOS 18".
    pub os: String,
}

/// The filters of `GET /api/v1/security/auth-log` (and its CSV export).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AuthLogQuery {
    /// Only this member's attempts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<Id>,
    /// Only this outcome (`success`, `wrong_password`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<AuthOutcome>,
    /// Only attempts from this address (exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// From this instant on (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// At most 250; 50 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}
