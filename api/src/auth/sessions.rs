//! Live sessions: the check every authenticated request makes (A3), with an in-process cache of
//! at most five seconds, and revocation.

use std::time::Duration;

use chrono::Utc;
use gatehouse_domain::Id;
use moka::sync::Cache;
use sea_orm::{sea_query::Expr, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entities::{memberships, sessions};

/// How long a session's liveness may be taken from the cache (A3: at most 5 s).
const CACHE_TTL: Duration = Duration::from_secs(5);

/// What a live session stands for, as of the last check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub identity_id: Id,
    pub account_id: Id,
    pub membership_id: Id,
    pub is_admin: bool,
    pub is_free: bool,
}

/// Session id → the live session, or `None` for one that has ended.
#[derive(Clone)]
pub struct SessionCache(Cache<Id, Option<LiveSession>>);

impl Default for SessionCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(100_000)
                .time_to_live(CACHE_TTL)
                .build(),
        )
    }
}

impl SessionCache {
    /// The session if it is live: not revoked, not past its end, its membership active.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn live(
        &self,
        db: &impl ConnectionTrait,
        session_id: Id,
    ) -> Result<Option<LiveSession>, DbErr> {
        if let Some(entry) = self.0.get(&session_id) {
            return Ok(entry);
        }
        let live = load(db, session_id).await?;
        self.0.insert(session_id, live.clone());
        Ok(live)
    }

    /// Forgets sessions this instance has just ended, so they stop working here at once
    /// (other instances notice within the cache's lifetime).
    pub fn forget(&self, session_ids: &[Id]) {
        for id in session_ids {
            self.0.invalidate(id);
        }
    }
}

async fn load(db: &impl ConnectionTrait, session_id: Id) -> Result<Option<LiveSession>, DbErr> {
    let Some(session) = sessions::Entity::find_by_id(session_id).one(db).await? else {
        return Ok(None);
    };
    if !is_live(&session) {
        return Ok(None);
    }
    let membership = memberships::Entity::find_by_id(session.membership_id)
        .one(db)
        .await?;
    Ok(membership.filter(|m| m.is_active).map(|m| LiveSession {
        identity_id: session.identity_id,
        account_id: session.account_id,
        membership_id: m.id,
        is_admin: m.is_admin,
        is_free: m.is_free,
    }))
}

/// Sessions end after 90 days whatever their use, and after 14 days without use (A4 defaults).
pub const ABSOLUTE_LIFETIME_DAYS: i64 = 90;
pub const IDLE_LIFETIME_DAYS: i64 = 14;

#[must_use]
pub fn is_live(session: &sessions::Model) -> bool {
    let now = Utc::now();
    session.revoked_at.is_none()
        && session.expires_at > now
        && session.last_seen_at + chrono::Duration::days(IDLE_LIFETIME_DAYS) > now
}

/// Why a session ended; stored with it and shown in session lists.
#[derive(Debug, Clone, Copy)]
pub enum RevokeReason {
    Logout,
    RefreshTokenReused,
    SwitchedAccount,
}

impl RevokeReason {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::SwitchedAccount => "switched_account",
        }
    }
}

/// Ends sessions that are still live. The caller forgets them in the cache after committing.
///
/// # Errors
/// Database errors only.
pub async fn revoke(
    db: &impl ConnectionTrait,
    session_ids: &[Id],
    reason: RevokeReason,
) -> Result<(), DbErr> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(sessions::Column::RevokeReason, Expr::value(reason.as_str()))
        .filter(sessions::Column::Id.is_in(session_ids.iter().copied()))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
