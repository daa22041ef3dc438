//! A member's own sessions (A4): list them, end one, end all others.

use chrono::Utc;
use gatehouse_domain::{
    accounts::AccountSummary, problem::ErrorCode, profile::SessionView, users::SessionsEnded, Id,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    auth::{
        sessions::{is_live, revoke, revoke_identity, RevokeReason},
        Member,
    },
    entities::{accounts, sessions},
    error::ApiResult,
    security::user_agent,
    state::AppState,
};

/// The identity's live sessions in every account, most recently used first.
///
/// # Errors
/// Database errors only.
pub async fn list(state: &AppState, member: &Member) -> ApiResult<Vec<SessionView>> {
    let rows = sessions::Entity::find()
        .find_also_related(accounts::Entity)
        .filter(sessions::Column::IdentityId.eq(member.identity_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(sessions::Column::LastSeenAt)
        .all(&state.db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for (session, account) in rows {
        let Some(account) = account else { continue };
        let policy = state.policies.get(&state.db, account.id).await?;
        let within = policy.is_some_and(|p| {
            p.session_within_lifetimes(session.created_at, session.last_seen_at, Utc::now())
        });
        if !is_live(&session) || !within {
            continue;
        }
        let device = user_agent::parse(session.user_agent.as_deref());
        views.push(SessionView {
            id: session.id,
            current: session.id == member.session_id,
            account: AccountSummary {
                id: account.id,
                name: account.name,
            },
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            expires_at: session.expires_at,
            ip: session.ip.unwrap_or_default(),
            browser: device.browser,
            os: device.os,
            device: device.kind,
        });
    }
    Ok(views)
}

/// Ends one of the identity's own sessions (the current one too: that is signing out).
///
/// # Errors
/// 404 for a session that is not the caller's.
pub async fn end(state: &AppState, member: &Member, session_id: Id) -> ApiResult<()> {
    let owned = sessions::Entity::find_by_id(session_id)
        .filter(sessions::Column::IdentityId.eq(member.identity_id))
        .one(&state.db)
        .await?
        .ok_or(crate::error::ApiError::Code(ErrorCode::NotFound))?;
    revoke(&state.db, &[owned.id], RevokeReason::EndedByMember).await?;
    state.sessions.forget(&[owned.id]);
    Ok(())
}

/// Ends every session of the identity but this one.
///
/// # Errors
/// Database errors only.
pub async fn end_others(state: &AppState, member: &Member) -> ApiResult<SessionsEnded> {
    let ended = revoke_identity(
        &state.db,
        member.identity_id,
        Some(member.session_id),
        RevokeReason::EndedByMember,
    )
    .await?;
    state.sessions.forget(&ended);
    Ok(SessionsEnded {
        ended: ended.len() as u64,
    })
}
