//! Forgotten password (P4): a single-use token, valid one hour, stored hashed, mailed as a link
//! whose token sits in the URL fragment (never in a server log); setting the new password ends
//! every session of the person.

use chrono::{Duration, Utc};
use gatehouse_domain::{
    auth::{CompletePasswordReset, PasswordResetRequest, RESET_FRAGMENT_KEY},
    people::{Email, Language, Password},
    problem::ErrorCode,
    security::{AuthMethod, AuthOutcome},
    Id,
};
use sea_orm::{
    sea_query::Expr, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use super::{
    service::Memberships,
    sessions::{revoke_identity, RevokeReason},
    tokens::{random_token, token_hash},
};
use crate::{
    entities::{identities, password_resets},
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    mail::{templates, Mail},
    profile::password::{check_new_password, store_password},
    security::auth_log::{self, Attempt},
    state::AppState,
};

const VALID_FOR_MINUTES: i64 = 60;
/// At most this many anonymous reset links per person within this many minutes.
const MAX_RECENT_LINKS: u64 = 3;
const RECENT_MINUTES: i64 = 15;

/// Answers at once and does the work in the background, so a known and an unknown address
/// take the same time (A7).
///
/// # Errors
/// 422 for a malformed e-mail only.
pub async fn request(state: &AppState, request: PasswordResetRequest) -> ApiResult<()> {
    let email = Email::parse(&request.email).map_err(|e| ApiError::field("email", e))?;
    let db = state.db.clone();
    let mailer = state.mailer.clone();
    let public_url = state.public_url.clone();
    tokio::spawn(async move {
        if let Err(err) = send_link(&db, &mailer, &public_url, email.as_str()).await {
            tracing::error!(%err, "cannot send a password reset link");
        }
    });
    Ok(())
}

async fn send_link(
    db: &sea_orm::DatabaseConnection,
    mailer: &crate::mail::Mailer,
    public_url: &str,
    email: &str,
) -> ApiResult<()> {
    let Some(identity) = identities::Entity::find()
        .filter(identities::Column::Email.eq(email))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    // A reset request is anonymous: without a cap anyone could flood a person's mailbox.
    let recent = password_resets::Entity::find()
        .filter(password_resets::Column::IdentityId.eq(identity.id))
        .filter(
            password_resets::Column::CreatedAt.gt(Utc::now() - Duration::minutes(RECENT_MINUTES)),
        )
        .count(db)
        .await?;
    if recent >= MAX_RECENT_LINKS {
        tracing::info!(
            identity_id = identity.id,
            "password reset link not sent: too many recently"
        );
        return Ok(());
    }
    let memberships = Memberships::load(db, identity.id).await?;
    send_reset_link(
        db,
        mailer,
        public_url,
        &identity,
        memberships.single_account(),
    )
    .await
}

/// Creates a token and mails its link: asked for by the person, or by an administrator (P3)
/// for a person who belongs to other accounts too.
///
/// # Errors
/// Database errors only.
pub async fn send_reset_link(
    db: &sea_orm::DatabaseConnection,
    mailer: &crate::mail::Mailer,
    public_url: &str,
    identity: &identities::Model,
    outbox_account: Option<Id>,
) -> ApiResult<()> {
    let (token, hash) = random_token();
    let now = Utc::now();
    let txn = db.begin().await?;
    password_resets::Entity::insert(password_resets::ActiveModel {
        token_hash: Set(hash),
        identity_id: Set(identity.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(VALID_FOR_MINUTES)),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    let link = format!("{public_url}/reset-password#{RESET_FRAGMENT_KEY}={token}");
    let text = templates::password_reset(
        Language::from_code(&identity.language).unwrap_or_default(),
        &identity.name,
        &link,
    );
    let id = mailer
        .queue(&txn, Mail::new(outbox_account, &identity.email, text))
        .await?;
    txn.commit().await?;
    mailer.deliver(db, &[id]);
    Ok(())
}

/// Sets the new password if the token is known, unused and within its hour.
///
/// # Errors
/// 400 `invalid_reset_token`; 422 when the password breaks the account's rules.
pub async fn complete(
    state: &AppState,
    request: CompletePasswordReset,
    client: &ClientInfo,
) -> ApiResult<()> {
    let now = Utc::now();
    let hash = token_hash(request.token.trim());
    let reset = password_resets::Entity::find()
        .filter(password_resets::Column::TokenHash.eq(hash.as_str()))
        .one(&state.db)
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > now)
        .ok_or(ApiError::Code(ErrorCode::InvalidResetToken))?;
    let identity = identities::Entity::find_by_id(reset.identity_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::InvalidResetToken))?;
    let memberships = Memberships::load(&state.db, identity.id).await?;
    let password =
        Password::parse(&request.new_password).map_err(|e| ApiError::field("new_password", e))?;
    check_new_password(
        state,
        (&identity.email, &identity.name),
        memberships.first_account(),
        &password,
        "new_password",
    )
    .await?;
    let password_hash = state.hasher.hash(password).await?;
    let txn = state.db.begin().await?;
    // Spending the token first makes two concurrent uses of one link set one password.
    let spent = password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::Id.eq(reset.id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected == 0 {
        return Err(ErrorCode::InvalidResetToken.into());
    }
    store_password(&txn, identity.id, password_hash, false).await?;
    let ended = revoke_identity(&txn, identity.id, None, RevokeReason::PasswordChanged).await?;
    auth_log::record(
        &txn,
        Attempt {
            email: &identity.email,
            account_id: memberships.first_account(),
            membership_id: None,
            identity_id: Some(identity.id),
            method: AuthMethod::PasswordReset,
            outcome: AuthOutcome::Success,
            client,
        },
    )
    .await?;
    txn.commit().await?;
    state.sessions.forget(&ended);
    Ok(())
}
