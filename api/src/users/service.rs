use gatehouse_domain::{
    people::{Language, Password},
    problem::ErrorCode,
    users::{SessionsEnded, SetPassword},
    Id,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

use crate::{
    audit,
    auth::{
        reset::send_reset_link,
        service::Memberships,
        sessions::{revoke_identity, RevokeReason},
        Member,
    },
    entities::{identities, memberships},
    error::{ApiError, ApiResult},
    mail::{templates, Mail},
    profile::{
        password::{check_new_password, store_password},
        two_factor::turn_off,
    },
    security::throttle,
    state::AppState,
};

/// The member of the admin's account with this membership id, and their identity.
pub(super) async fn target(
    state: &AppState,
    admin: &Member,
    membership_id: Id,
) -> ApiResult<(memberships::Model, identities::Model)> {
    admin.require_admin()?;
    match memberships::Entity::find_by_id(membership_id)
        .find_also_related(identities::Entity)
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .one(&state.db)
        .await?
    {
        Some((membership, Some(identity))) => Ok((membership, identity)),
        _ => Err(ErrorCode::NotFound.into()),
    }
}

fn language(identity: &identities::Model) -> Language {
    Language::from_code(&identity.language).unwrap_or_default()
}

async fn account_name(state: &AppState, admin: &Member) -> ApiResult<String> {
    Ok(state
        .policies
        .get(&state.db, admin.account_id)
        .await?
        .map(|p| p.account_name.clone())
        .unwrap_or_default())
}

/// P3: only for a person who belongs to no other account (else another account's access would
/// be in this admin's hands); their sessions end and they are told by mail.
///
/// # Errors
/// 409 `identity_in_other_accounts`; 422 when the password breaks the account's rules.
pub async fn set_password(
    state: &AppState,
    admin: &Member,
    membership_id: Id,
    request: SetPassword,
) -> ApiResult<()> {
    let (membership, identity) = target(state, admin, membership_id).await?;
    if Memberships::load(&state.db, identity.id).await?.count() > 1 {
        return Err(ErrorCode::IdentityInOtherAccounts.into());
    }
    let password =
        Password::parse(&request.password).map_err(|e| ApiError::field("password", e))?;
    check_new_password(
        state,
        (&identity.email, &identity.name),
        Some(admin.account_id),
        &password,
        "password",
    )
    .await?;
    let hash = state.hasher.hash(password).await?;
    let text = templates::password_set_by_admin(
        language(&identity),
        &identity.name,
        &account_name(state, admin).await?,
    );
    let txn = state.db.begin().await?;
    store_password(&txn, identity.id, hash, request.must_change).await?;
    let ended = revoke_identity(&txn, identity.id, None, RevokeReason::EndedByAdmin).await?;
    audit::record(
        &txn,
        admin,
        "password_set",
        Some(membership.id),
        json!({ "must_change": request.must_change, "sessions_ended": ended.len() }),
    )
    .await?;
    let mail = state
        .mailer
        .queue(
            &txn,
            Mail::new(Some(admin.account_id), &identity.email, text),
        )
        .await?;
    txn.commit().await?;
    state.sessions.forget(&ended);
    state.mailer.deliver(&state.db, &[mail]);
    Ok(())
}

/// Mails the member a reset link (P3, P4). It lands in this account's outbox only when the
/// person belongs to no other account.
///
/// # Errors
/// 404 for a member of another account.
pub async fn send_reset(state: &AppState, admin: &Member, membership_id: Id) -> ApiResult<()> {
    let (membership, identity) = target(state, admin, membership_id).await?;
    let outbox_account = Memberships::load(&state.db, identity.id)
        .await?
        .single_account();
    send_reset_link(
        &state.db,
        &state.mailer,
        &state.public_url,
        &identity,
        outbox_account,
    )
    .await?;
    audit::record(
        &state.db,
        admin,
        "password_reset_sent",
        Some(membership.id),
        json!({}),
    )
    .await?;
    Ok(())
}

/// T3: the member's second factor is removed; they enrol again (at once if the policy requires
/// it) and are told by mail.
///
/// # Errors
/// 409 `two_factor_not_enabled`.
pub async fn reset_two_factor(
    state: &AppState,
    admin: &Member,
    membership_id: Id,
) -> ApiResult<()> {
    let (membership, identity) = target(state, admin, membership_id).await?;
    if identity.totp_secret.is_none() {
        return Err(ErrorCode::TwoFactorNotEnabled.into());
    }
    let text = templates::two_factor_reset(
        language(&identity),
        &identity.name,
        &account_name(state, admin).await?,
    );
    let txn = state.db.begin().await?;
    turn_off(&txn, identity.id).await?;
    audit::record(
        &txn,
        admin,
        "two_factor_reset",
        Some(membership.id),
        json!({}),
    )
    .await?;
    let mail = state
        .mailer
        .queue(
            &txn,
            Mail::new(Some(admin.account_id), &identity.email, text),
        )
        .await?;
    txn.commit().await?;
    state.mailer.deliver(&state.db, &[mail]);
    Ok(())
}

/// A4: ends every session of the member in this account.
///
/// # Errors
/// 404 for a member of another account.
pub async fn end_sessions(
    state: &AppState,
    admin: &Member,
    membership_id: Id,
) -> ApiResult<SessionsEnded> {
    let (membership, _) = target(state, admin, membership_id).await?;
    let ids: Vec<Id> = crate::entities::sessions::Entity::find()
        .filter(crate::entities::sessions::Column::MembershipId.eq(membership.id))
        .filter(crate::entities::sessions::Column::RevokedAt.is_null())
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let txn = state.db.begin().await?;
    crate::auth::sessions::revoke(&txn, &ids, RevokeReason::EndedByAdmin).await?;
    audit::record(
        &txn,
        admin,
        "sessions_ended",
        Some(membership.id),
        json!({ "ended": ids.len() }),
    )
    .await?;
    txn.commit().await?;
    state.sessions.forget(&ids);
    Ok(SessionsEnded {
        ended: ids.len() as u64,
    })
}

/// A5: lifts the brute-force lock of the member's e-mail.
///
/// # Errors
/// 404 for a member of another account.
pub async fn unlock(state: &AppState, admin: &Member, membership_id: Id) -> ApiResult<()> {
    let (membership, identity) = target(state, admin, membership_id).await?;
    let txn = state.db.begin().await?;
    throttle::unlock(&txn, &identity.email).await?;
    audit::record(
        &txn,
        admin,
        "sign_in_unlocked",
        Some(membership.id),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
