//! Passwords chosen by people (P1, P2): the account's rules, storing, changing one's own.

use chrono::Utc;
use gatehouse_domain::{
    people::{Language, Password},
    problem::{ErrorCode, FieldError},
    profile::ChangePassword,
    security::{PasswordContext, PasswordPolicy},
    Id,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::{
    auth::{
        sessions::{revoke_identity, RevokeReason},
        Member,
    },
    entities::identities,
    error::{ApiError, ApiResult},
    mail::{templates, Mail},
    state::AppState,
};

/// Refuses a new password that breaks the rules of `account_id` (the defaults without one),
/// with one field error per broken rule on `field`. `person` is the e-mail and name the
/// password must not contain.
///
/// # Errors
/// 422 with the broken rules; database errors.
pub async fn check_new_password(
    state: &AppState,
    person: (&str, &str),
    account_id: Option<Id>,
    password: &Password,
    field: &str,
) -> ApiResult<()> {
    let (email, name) = person;
    let policy = match account_id {
        Some(id) => state.policies.get(&state.db, id).await?,
        None => None,
    };
    let rules = policy
        .as_ref()
        .map_or_else(PasswordPolicy::default, |p| p.settings.password_policy);
    let context = PasswordContext {
        email,
        name,
        account_name: policy.as_ref().map_or("", |p| p.account_name.as_str()),
    };
    let broken = rules.check(password.expose(), context);
    if broken.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(
            broken
                .into_iter()
                .map(|rule| FieldError::new(field, rule.code(), rule.message(&rules)))
                .collect(),
        ))
    }
}

/// Stores a new password hash; `must_change` asks for another at the next sign-in (P3).
///
/// # Errors
/// Database errors only.
pub async fn store_password(
    db: &impl ConnectionTrait,
    identity_id: Id,
    password_hash: String,
    must_change: bool,
) -> ApiResult<()> {
    let now = Utc::now();
    identities::Entity::update_many()
        .col_expr(identities::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(
            identities::Column::MustChangePassword,
            Expr::value(must_change),
        )
        .col_expr(identities::Column::PasswordChangedAt, Expr::value(now))
        .col_expr(identities::Column::UpdatedAt, Expr::value(now))
        .filter(identities::Column::Id.eq(identity_id))
        .exec(db)
        .await?;
    Ok(())
}

/// P1: the current password, then the new one under the account's rules. Every other session
/// of the person ends at once and they get a notice by mail.
///
/// # Errors
/// 422 `wrong_password` on `current_password`, or the broken rules on `new_password`.
pub async fn change(state: &AppState, member: &Member, request: ChangePassword) -> ApiResult<()> {
    let identity = identities::Entity::find_by_id(member.identity_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
    let current = Password::parse(&request.current_password)
        .map_err(|e| ApiError::field("current_password", e))?;
    let new =
        Password::parse(&request.new_password).map_err(|e| ApiError::field("new_password", e))?;
    check_new_password(
        state,
        (&identity.email, &identity.name),
        Some(member.account_id),
        &new,
        "new_password",
    )
    .await?;
    if !state
        .hasher
        .verify(current, identity.password_hash.as_deref())
        .await?
    {
        return Err(ApiError::Validation(vec![FieldError::new(
            "current_password",
            "wrong_password",
            "the current password is wrong",
        )]));
    }
    let password_hash = state.hasher.hash(new).await?;
    let text = templates::password_changed(
        Language::from_code(&identity.language).unwrap_or_default(),
        &identity.name,
    );
    let txn = state.db.begin().await?;
    store_password(&txn, identity.id, password_hash, false).await?;
    let ended = revoke_identity(
        &txn,
        identity.id,
        Some(member.session_id),
        RevokeReason::PasswordChanged,
    )
    .await?;
    let mail = state
        .mailer
        .queue(
            &txn,
            Mail::new(Some(member.account_id), &identity.email, text),
        )
        .await?;
    txn.commit().await?;
    state.sessions.forget(&ended);
    // The pending "change your password" step, if any, is over for this session too.
    state.sessions.forget(&[member.session_id]);
    state.mailer.deliver(&state.db, &[mail]);
    Ok(())
}
