//! A member's own second factor (T1, T3, T4): enrol with a QR code, confirm with a first code
//! (which turns it on, hands out recovery codes and ends other sessions), turn it off with
//! password and code, renew recovery codes.

use chrono::Utc;
use gatehouse_domain::{
    people::Password,
    problem::{ErrorCode, FieldError},
    profile::{
        ConfirmTwoFactor, DisableTwoFactor, RecoveryCodes, RegenerateRecoveryCodes,
        TwoFactorEnrolment, TwoFactorStatus,
    },
};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::{
    auth::{
        sessions::{revoke_identity, RevokeReason},
        two_factor, Member,
    },
    entities::{identities, recovery_codes},
    error::{ApiError, ApiResult},
    state::AppState,
};

async fn identity(state: &AppState, member: &Member) -> ApiResult<identities::Model> {
    identities::Entity::find_by_id(member.identity_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionEnded))
}

fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code, message)])
}

/// Whether the account's policy requires a second factor of this member.
async fn required(state: &AppState, member: &Member) -> ApiResult<bool> {
    Ok(state
        .policies
        .get(&state.db, member.account_id)
        .await?
        .is_some_and(|p| p.settings.two_factor_policy.requires(member.is_admin)))
}

/// # Errors
/// Database errors only.
pub async fn status(state: &AppState, member: &Member) -> ApiResult<TwoFactorStatus> {
    let identity = identity(state, member).await?;
    Ok(TwoFactorStatus {
        enabled: identity.totp_secret.is_some(),
        enabled_at: identity.totp_enabled_at,
        recovery_codes_left: u32::try_from(
            two_factor::recovery_codes_left(&state.db, identity.id).await?,
        )
        .unwrap_or(0),
        required: required(state, member).await?,
    })
}

/// A new secret, pending until a code from it is confirmed.
///
/// # Errors
/// 409 `two_factor_already_enabled`.
pub async fn enrol(state: &AppState, member: &Member) -> ApiResult<TwoFactorEnrolment> {
    let identity = identity(state, member).await?;
    if identity.totp_secret.is_some() {
        return Err(ErrorCode::TwoFactorAlreadyEnabled.into());
    }
    let secret = two_factor::new_secret();
    let enrolment = two_factor::enrolment(&secret, &identity.email)
        .ok_or_else(|| ApiError::internal("cannot build the TOTP enrolment"))?;
    identities::Entity::update_many()
        .col_expr(identities::Column::TotpPendingSecret, Expr::value(secret))
        .filter(identities::Column::Id.eq(identity.id))
        .exec(&state.db)
        .await?;
    Ok(enrolment)
}

/// Turns the pending secret on with a first code from it.
///
/// # Errors
/// 409 `two_factor_not_pending` / `two_factor_already_enabled`; 422 `invalid_code`.
pub async fn confirm(
    state: &AppState,
    member: &Member,
    request: ConfirmTwoFactor,
) -> ApiResult<RecoveryCodes> {
    let identity = identity(state, member).await?;
    if identity.totp_secret.is_some() {
        return Err(ErrorCode::TwoFactorAlreadyEnabled.into());
    }
    let secret = identity
        .totp_pending_secret
        .clone()
        .ok_or(ApiError::Code(ErrorCode::TwoFactorNotPending))?;
    let step =
        two_factor::matching_step(&secret, &identity.email, &request.code).ok_or_else(|| {
            invalid(
                "code",
                "invalid_code",
                "the code does not match; check the time on your phone",
            )
        })?;
    let txn = state.db.begin().await?;
    let enabled = identities::Entity::update_many()
        .col_expr(identities::Column::TotpSecret, Expr::value(secret.clone()))
        .col_expr(
            identities::Column::TotpPendingSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(identities::Column::TotpEnabledAt, Expr::value(Utc::now()))
        // The confirming code is spent: it cannot sign in as well.
        .col_expr(identities::Column::TotpLastStep, Expr::value(step))
        .filter(identities::Column::Id.eq(identity.id))
        .filter(identities::Column::TotpSecret.is_null())
        .filter(identities::Column::TotpPendingSecret.eq(secret))
        .exec(&txn)
        .await?;
    if enabled.rows_affected == 0 {
        return Err(ErrorCode::TwoFactorNotPending.into());
    }
    let codes = two_factor::new_recovery_codes(&txn, identity.id).await?;
    let ended = revoke_identity(
        &txn,
        identity.id,
        Some(member.session_id),
        RevokeReason::TwoFactorEnabled,
    )
    .await?;
    txn.commit().await?;
    state.sessions.forget(&ended);
    state.sessions.forget(&[member.session_id]);
    Ok(RecoveryCodes {
        recovery_codes: codes,
    })
}

async fn verify_password(
    state: &AppState,
    identity: &identities::Model,
    password: &str,
) -> ApiResult<()> {
    let password = Password::parse(password).map_err(|e| ApiError::field("password", e))?;
    if state
        .hasher
        .verify(password, identity.password_hash.as_deref())
        .await?
    {
        Ok(())
    } else {
        Err(invalid(
            "password",
            "wrong_password",
            "the password is wrong",
        ))
    }
}

/// Turns the second factor off (T3): password and a current code (or a recovery code).
///
/// # Errors
/// 409 `two_factor_not_enabled` / `two_factor_required`; 422 `wrong_password` / `invalid_code`.
pub async fn disable(
    state: &AppState,
    member: &Member,
    request: DisableTwoFactor,
) -> ApiResult<()> {
    let identity = identity(state, member).await?;
    if identity.totp_secret.is_none() {
        return Err(ErrorCode::TwoFactorNotEnabled.into());
    }
    if required(state, member).await? {
        return Err(ErrorCode::TwoFactorRequired.into());
    }
    verify_password(state, &identity, &request.password).await?;
    if !two_factor::verify(&state.db, &identity, &request.code).await? {
        return Err(invalid(
            "code",
            "invalid_code",
            "the code is wrong or was already used",
        ));
    }
    turn_off(&state.db, identity.id).await
}

/// Removes the second factor and its recovery codes (the member's own act or an admin's reset).
///
/// # Errors
/// Database errors only.
pub async fn turn_off(db: &impl sea_orm::ConnectionTrait, identity_id: i64) -> ApiResult<()> {
    identities::Entity::update_many()
        .col_expr(
            identities::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            identities::Column::TotpPendingSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            identities::Column::TotpEnabledAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(identities::Column::Id.eq(identity_id))
        .exec(db)
        .await?;
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::IdentityId.eq(identity_id))
        .exec(db)
        .await?;
    Ok(())
}

/// New recovery codes for the password; the old ones stop working.
///
/// # Errors
/// 409 `two_factor_not_enabled`; 422 `wrong_password`.
pub async fn regenerate(
    state: &AppState,
    member: &Member,
    request: RegenerateRecoveryCodes,
) -> ApiResult<RecoveryCodes> {
    let identity = identity(state, member).await?;
    if identity.totp_secret.is_none() {
        return Err(ErrorCode::TwoFactorNotEnabled.into());
    }
    verify_password(state, &identity, &request.password).await?;
    let txn = state.db.begin().await?;
    let codes = two_factor::new_recovery_codes(&txn, identity.id).await?;
    txn.commit().await?;
    Ok(RecoveryCodes {
        recovery_codes: codes,
    })
}
