//! The account's security settings (P2, T4, A4, S1): one document an administrator reads and
//! saves as a whole on the security page.

use serde::{Deserialize, Serialize};

use super::PasswordPolicy;
use crate::problem::FieldError;

/// Who must use a second factor (T4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TwoFactorPolicy {
    /// Each member chooses.
    #[default]
    Optional,
    /// Administrators must enrol.
    Admins,
    /// Everyone must enrol.
    Everyone,
}

impl TwoFactorPolicy {
    /// Whether a member with this admin flag must have a second factor.
    #[must_use]
    pub const fn requires(self, is_admin: bool) -> bool {
        match self {
            Self::Optional => false,
            Self::Admins => is_admin,
            Self::Everyone => true,
        }
    }

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Optional => "optional",
            Self::Admins => "admins",
            Self::Everyone => "everyone",
        }
    }

    #[must_use]
    pub fn from_str_or_default(value: &str) -> Self {
        match value {
            "admins" => Self::Admins,
            "everyone" => Self::Everyone,
            _ => Self::Optional,
        }
    }
}

/// `GET`/`PUT /api/v1/security/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    pub password_policy: PasswordPolicy,
    pub two_factor_policy: TwoFactorPolicy,
    /// A session unused this long ends (A4): 5 minutes to 14 days.
    pub session_idle_minutes: u32,
    /// A session ends this long after sign-in whatever its use: 1 hour to 90 days, and not
    /// shorter than the idle lifetime.
    pub session_absolute_minutes: u32,
    /// Authorization log entries older than this are deleted (S1): 1 to 3650 days.
    pub auth_log_retention_days: u32,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            password_policy: PasswordPolicy::default(),
            two_factor_policy: TwoFactorPolicy::Optional,
            session_idle_minutes: Self::MAX_IDLE_MINUTES,
            session_absolute_minutes: Self::MAX_ABSOLUTE_MINUTES,
            auth_log_retention_days: 365,
        }
    }
}

impl SecuritySettings {
    pub const MIN_IDLE_MINUTES: u32 = 5;
    pub const MAX_IDLE_MINUTES: u32 = 14 * 24 * 60;
    pub const MIN_ABSOLUTE_MINUTES: u32 = 60;
    pub const MAX_ABSOLUTE_MINUTES: u32 = 90 * 24 * 60;
    pub const MAX_RETENTION_DAYS: u32 = 3650;

    /// Every out-of-range value, as field errors.
    #[must_use]
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !self.password_policy.is_valid() {
            errors.push(FieldError::new(
                "password_policy.min_length",
                "out_of_range",
                format!(
                    "the minimum length must be between {} and {}",
                    PasswordPolicy::MIN_LENGTH,
                    PasswordPolicy::MAX_MIN_LENGTH
                ),
            ));
        }
        if !(Self::MIN_IDLE_MINUTES..=Self::MAX_IDLE_MINUTES).contains(&self.session_idle_minutes) {
            errors.push(FieldError::new(
                "session_idle_minutes",
                "out_of_range",
                format!(
                    "the idle lifetime must be between {} minutes and {} minutes (14 days)",
                    Self::MIN_IDLE_MINUTES,
                    Self::MAX_IDLE_MINUTES
                ),
            ));
        }
        if !(Self::MIN_ABSOLUTE_MINUTES..=Self::MAX_ABSOLUTE_MINUTES)
            .contains(&self.session_absolute_minutes)
        {
            errors.push(FieldError::new(
                "session_absolute_minutes",
                "out_of_range",
                format!(
                    "the absolute lifetime must be between {} minutes and {} minutes (90 days)",
                    Self::MIN_ABSOLUTE_MINUTES,
                    Self::MAX_ABSOLUTE_MINUTES
                ),
            ));
        } else if self.session_absolute_minutes < self.session_idle_minutes {
            errors.push(FieldError::new(
                "session_absolute_minutes",
                "shorter_than_idle",
                "the absolute lifetime must not be shorter than the idle lifetime",
            ));
        }
        if !(1..=Self::MAX_RETENTION_DAYS).contains(&self.auth_log_retention_days) {
            errors.push(FieldError::new(
                "auth_log_retention_days",
                "out_of_range",
                format!(
                    "keep the log between 1 and {} days",
                    Self::MAX_RETENTION_DAYS
                ),
            ));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_match_the_spec() {
        let d = SecuritySettings::default();
        assert!(d.validate().is_empty());
        assert_eq!(d.session_idle_minutes, 14 * 24 * 60);
        assert_eq!(d.session_absolute_minutes, 90 * 24 * 60);
    }

    #[test]
    fn a_tight_policy_is_accepted_and_nonsense_refused() {
        let tight = SecuritySettings {
            session_idle_minutes: 30,
            session_absolute_minutes: 12 * 60,
            ..SecuritySettings::default()
        };
        assert!(tight.validate().is_empty());
        let inverted = SecuritySettings {
            session_idle_minutes: 120,
            session_absolute_minutes: 60,
            ..SecuritySettings::default()
        };
        assert_eq!(inverted.validate()[0].code, "shorter_than_idle");
        let zero = SecuritySettings {
            session_idle_minutes: 0,
            auth_log_retention_days: 0,
            ..SecuritySettings::default()
        };
        assert_eq!(zero.validate().len(), 2);
    }

    #[test]
    fn two_factor_policy_reaches_the_right_members() {
        assert!(!TwoFactorPolicy::Optional.requires(true));
        assert!(TwoFactorPolicy::Admins.requires(true));
        assert!(!TwoFactorPolicy::Admins.requires(false));
        assert!(TwoFactorPolicy::Everyone.requires(false));
    }
}
