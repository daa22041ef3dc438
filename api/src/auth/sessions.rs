//! Live sessions: the check every authenticated request makes (A3), with an in-process cache of
//! at most five seconds, and revocation.

use std::time::Duration;

use chrono::Utc;
use gatehouse_domain::{profile::PendingStep, Id};
use moka::sync::Cache;
use sea_orm::{sea_query::Expr, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::{
    entities::{identities, memberships, sessions},
    security::policy::PolicyCache,
};

/// A live session's `last_seen_at` is brought up to date when it is older than this, so idle
/// lifetimes (A4) see use between refreshes at the cost of at most one write a minute.
const TOUCH_AFTER: chrono::Duration = chrono::Duration::seconds(60);

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
    pub allowlist_exempt: bool,
    /// What the member must do before anything else.
    pub pending_step: Option<PendingStep>,
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
        policies: &PolicyCache,
        session_id: Id,
    ) -> Result<Option<LiveSession>, DbErr> {
        if let Some(entry) = self.0.get(&session_id) {
            return Ok(entry);
        }
        let live = load(db, policies, session_id).await?;
        self.0.insert(session_id, live.clone());
        Ok(live)
    }

    /// Forgets the live sessions of a membership whose standing (admin, free, active) has just
    /// changed, so its next request here sees the change.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn forget_membership(
        &self,
        db: &impl ConnectionTrait,
        membership_id: Id,
    ) -> Result<(), DbErr> {
        let ids: Vec<Id> = sessions::Entity::find()
            .filter(sessions::Column::MembershipId.eq(membership_id))
            .filter(sessions::Column::RevokedAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        self.forget(&ids);
        Ok(())
    }

    /// Forgets sessions this instance has just ended, so they stop working here at once
    /// (other instances notice within the cache's lifetime).
    pub fn forget(&self, session_ids: &[Id]) {
        for id in session_ids {
            self.0.invalidate(id);
        }
    }
}

async fn load(
    db: &impl ConnectionTrait,
    policies: &PolicyCache,
    session_id: Id,
) -> Result<Option<LiveSession>, DbErr> {
    let Some(session) = sessions::Entity::find_by_id(session_id).one(db).await? else {
        return Ok(None);
    };
    let Some(policy) = policies.get(db, session.account_id).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if !is_live(&session)
        || !policy.session_within_lifetimes(session.created_at, session.last_seen_at, now)
    {
        return Ok(None);
    }
    let Some((membership, Some(identity))) = memberships::Entity::find_by_id(session.membership_id)
        .find_also_related(identities::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !membership.is_active {
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_AFTER {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
            .filter(sessions::Column::Id.eq(session.id))
            .exec(db)
            .await?;
    }
    let pending_step = if identity.must_change_password {
        Some(PendingStep::ChangePassword)
    } else if identity.totp_secret.is_none()
        && policy
            .settings
            .two_factor_policy
            .requires(membership.is_admin)
    {
        Some(PendingStep::EnrolSecondFactor)
    } else {
        None
    };
    Ok(Some(LiveSession {
        identity_id: session.identity_id,
        account_id: session.account_id,
        membership_id: membership.id,
        is_admin: membership.is_admin,
        is_free: membership.is_free,
        allowlist_exempt: membership.allowlist_exempt,
        pending_step,
    }))
}

/// Sessions end after 90 days whatever their use, and after 14 days without use (A4 defaults);
/// an account's policy may shorten both.
pub const ABSOLUTE_LIFETIME_DAYS: i64 = 90;
pub const IDLE_LIFETIME_DAYS: i64 = 14;

/// Not revoked and within the longest lifetimes any account allows.
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
    /// The member ended it from their session list.
    EndedByMember,
    EndedByAdmin,
    PasswordChanged,
    TwoFactorEnabled,
    /// An administrator deactivated the member (D2).
    MemberDeactivated,
}

impl RevokeReason {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::SwitchedAccount => "switched_account",
            Self::EndedByMember => "ended_by_member",
            Self::EndedByAdmin => "ended_by_admin",
            Self::PasswordChanged => "password_changed",
            Self::TwoFactorEnabled => "two_factor_enabled",
            Self::MemberDeactivated => "member_deactivated",
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

/// Ends every live session of an identity except `keep` (all of them with `None`), in every
/// account; returns the ended ids for the caller to forget after committing.
///
/// # Errors
/// Database errors only.
pub async fn revoke_identity(
    db: &impl ConnectionTrait,
    identity_id: Id,
    keep: Option<Id>,
    reason: RevokeReason,
) -> Result<Vec<Id>, DbErr> {
    let mut select = sessions::Entity::find()
        .filter(sessions::Column::IdentityId.eq(identity_id))
        .filter(sessions::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        select = select.filter(sessions::Column::Id.ne(keep));
    }
    let ids: Vec<Id> = select.all(db).await?.into_iter().map(|s| s.id).collect();
    if !ids.is_empty() {
        revoke(db, &ids, reason).await?;
    }
    Ok(ids)
}
