//! An account's security policy as every request needs it — settings, allowlist ranges — cached
//! in-process for at most five seconds like sessions (A3), and forgotten at once here when an
//! administrator saves it.

use std::{net::IpAddr, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use gatehouse_domain::{
    security::{allows, IpRange, PasswordPolicy, SecuritySettings, TwoFactorPolicy},
    Id,
};
use moka::sync::Cache;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{accounts, allowlist_entries};

const CACHE_TTL: Duration = Duration::from_secs(5);

/// What sign-in and the session check enforce for one account.
#[derive(Debug, Clone)]
pub struct AccountPolicy {
    pub account_name: String,
    pub settings: SecuritySettings,
    pub allowlist_enabled: bool,
    pub allowlist_apply_to_tokens: bool,
    pub allowlist: Vec<IpRange>,
}

impl AccountPolicy {
    /// Whether a sign-in (or, with `for_tokens`, a request with a token) from `ip` is allowed
    /// for a member with this exemption flag. An unknown address is outside every list.
    #[must_use]
    pub fn admits(&self, ip: Option<IpAddr>, exempt: bool, for_tokens: bool) -> bool {
        if !self.allowlist_enabled || exempt || (for_tokens && !self.allowlist_apply_to_tokens) {
            return true;
        }
        ip.is_some_and(|ip| allows(&self.allowlist, ip))
    }

    /// Whether a session that began at `created_at` and was last used at `last_seen_at` is
    /// still within the account's lifetimes (A4); a tightened policy applies to existing
    /// sessions too.
    #[must_use]
    pub fn session_within_lifetimes(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        let minutes = |m: u32| chrono::Duration::minutes(i64::from(m));
        created_at + minutes(self.settings.session_absolute_minutes) > now
            && last_seen_at + minutes(self.settings.session_idle_minutes) > now
    }
}

/// The settings document stored in an account row.
#[must_use]
pub fn settings_of(account: &accounts::Model) -> SecuritySettings {
    let positive = |v: i32| u32::try_from(v).unwrap_or(0);
    SecuritySettings {
        password_policy: PasswordPolicy {
            min_length: u16::try_from(account.password_min_length)
                .unwrap_or(PasswordPolicy::MIN_LENGTH),
            require_upper: account.password_require_upper,
            require_lower: account.password_require_lower,
            require_digit: account.password_require_digit,
            require_symbol: account.password_require_symbol,
        },
        two_factor_policy: TwoFactorPolicy::from_str_or_default(&account.two_factor_policy),
        session_idle_minutes: positive(account.session_idle_minutes),
        session_absolute_minutes: positive(account.session_absolute_minutes),
        auth_log_retention_days: positive(account.auth_log_retention_days),
    }
}

/// Account id → policy.
#[derive(Clone)]
pub struct PolicyCache(Cache<Id, Option<Arc<AccountPolicy>>>);

impl Default for PolicyCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(10_000)
                .time_to_live(CACHE_TTL)
                .build(),
        )
    }
}

impl PolicyCache {
    /// The account's policy; `None` for an account that does not exist.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
        account_id: Id,
    ) -> Result<Option<Arc<AccountPolicy>>, DbErr> {
        if let Some(policy) = self.0.get(&account_id) {
            return Ok(policy);
        }
        let policy = load(db, account_id).await?.map(Arc::new);
        self.0.insert(account_id, policy.clone());
        Ok(policy)
    }

    pub fn forget(&self, account_id: Id) {
        self.0.invalidate(&account_id);
    }
}

async fn load(db: &impl ConnectionTrait, account_id: Id) -> Result<Option<AccountPolicy>, DbErr> {
    let Some(account) = accounts::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(None);
    };
    let allowlist = if account.allowlist_enabled {
        allowlist_entries::Entity::find()
            .filter(allowlist_entries::Column::AccountId.eq(account_id))
            .order_by_asc(allowlist_entries::Column::Position)
            .all(db)
            .await?
            .iter()
            // Entries were validated when saved; one that no longer parses allows nothing.
            .filter_map(|e| IpRange::parse(&e.range).ok())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(AccountPolicy {
        settings: settings_of(&account),
        account_name: account.name,
        allowlist_enabled: account.allowlist_enabled,
        allowlist_apply_to_tokens: account.allowlist_apply_to_tokens,
        allowlist,
    }))
}
