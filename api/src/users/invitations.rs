//! Invitations (U6): instead of a password, the new member gets a single-use link, valid 72
//! hours, where they choose their own password and are signed in. Only the token's hash is
//! stored; the token travels in the link's fragment, so no server log ever holds it.

use chrono::{Duration, Utc};
use gatehouse_domain::{
    auth::RESET_FRAGMENT_KEY,
    people::{Language, Password},
    problem::ErrorCode,
    users::AcceptInvitation,
    Id,
};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

use crate::{
    audit,
    auth::{
        service::{sign_in_after_invitation, Issued},
        tokens::{random_token, token_hash},
        Member,
    },
    entities::{accounts, identities, invitations, memberships},
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    mail::{templates, Mail},
    profile::password::{check_new_password, store_password},
    state::AppState,
};

const VALID_FOR_HOURS: i64 = 72;

/// Creates an invitation and queues its mail in the caller's transaction; returns the mail to
/// deliver once committed.
///
/// # Errors
/// Database errors.
pub async fn create(
    state: &AppState,
    txn: &impl ConnectionTrait,
    admin: &Member,
    membership: &memberships::Model,
    identity: &identities::Model,
) -> ApiResult<Id> {
    let (token, hash) = random_token();
    let now = Utc::now();
    // Only the newest link works: an earlier one may have gone to a wrong address.
    invitations::Entity::update_many()
        .col_expr(invitations::Column::UsedAt, Expr::value(now))
        .filter(invitations::Column::MembershipId.eq(membership.id))
        .filter(invitations::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    invitations::Entity::insert(invitations::ActiveModel {
        account_id: Set(membership.account_id),
        membership_id: Set(membership.id),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(VALID_FOR_HOURS)),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    let account = accounts::Entity::find_by_id(membership.account_id)
        .one(txn)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let inviter = identities::Entity::find_by_id(admin.identity_id)
        .one(txn)
        .await?
        .map(|i| i.name)
        .unwrap_or_default();
    let link = format!(
        "{}/invitation#{RESET_FRAGMENT_KEY}={token}",
        state.public_url
    );
    let text = templates::invitation(
        Language::from_code(&identity.language).unwrap_or_default(),
        &identity.name,
        &account,
        &inviter,
        &link,
    );
    Ok(state
        .mailer
        .queue(
            txn,
            Mail::new(Some(membership.account_id), &identity.email, text),
        )
        .await?)
}

/// Mails a new invitation to a member who has not accepted theirs; earlier links stop working.
///
/// # Errors
/// 403, 404; 409 `conflict` when the member already has a password.
pub async fn resend(state: &AppState, admin: &Member, membership_id: Id) -> ApiResult<()> {
    admin.require_admin()?;
    let (membership, identity) = super::service::target(state, admin, membership_id).await?;
    if identity.password_hash.is_some() {
        return Err(ApiError::detailed(
            ErrorCode::Conflict,
            "this member has already chosen a password",
        ));
    }
    let txn = state.db.begin().await?;
    let mail = create(state, &txn, admin, &membership, &identity).await?;
    audit::record(
        &txn,
        admin,
        "invitation_sent",
        Some(membership.id),
        json!({ "email": identity.email }),
    )
    .await?;
    txn.commit().await?;
    state.mailer.deliver(&state.db, &[mail]);
    Ok(())
}

/// The invited person chooses their password and is signed in.
///
/// # Errors
/// 400 `invalid_invitation`; 422 when the password breaks the account's rules; 403 when the
/// membership was deactivated meanwhile.
pub async fn accept(
    state: &AppState,
    request: AcceptInvitation,
    client: &ClientInfo,
) -> ApiResult<Issued> {
    let now = Utc::now();
    let invalid = || ApiError::Code(ErrorCode::InvalidInvitation);
    let invitation = invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(token_hash(request.token.trim())))
        .one(&state.db)
        .await?
        .filter(|i| i.used_at.is_none() && i.expires_at > now)
        .ok_or_else(invalid)?;
    let membership = memberships::Entity::find_by_id(invitation.membership_id)
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    let identity = identities::Entity::find_by_id(membership.identity_id)
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    let password =
        Password::parse(&request.password).map_err(|e| ApiError::field("password", e))?;
    check_new_password(
        state,
        (&identity.email, &identity.name),
        Some(membership.account_id),
        &password,
        "password",
    )
    .await?;
    let hash = state.hasher.hash(password).await?;
    let txn = state.db.begin().await?;
    // Spent first, conditionally: of two concurrent uses of one link, one sets the password.
    let spent = invitations::Entity::update_many()
        .col_expr(invitations::Column::UsedAt, Expr::value(now))
        .filter(invitations::Column::Id.eq(invitation.id))
        .filter(invitations::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected == 0 {
        return Err(invalid());
    }
    store_password(&txn, identity.id, hash, false).await?;
    txn.commit().await?;
    let identity = identities::Entity::find_by_id(identity.id)
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    sign_in_after_invitation(state, &identity, membership.id, client).await
}
