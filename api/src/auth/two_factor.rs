//! TOTP second factor (T1) and recovery codes: secrets, codes accepted once, QR codes.

use chrono::Utc;
use gatehouse_domain::{profile::TwoFactorEnrolment, Id};
use qrcode::{render::svg, QrCode};
use rand::Rng;
use sea_orm::{
    sea_query::Expr, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use totp_rs::{Algorithm, Secret, TOTP};

use super::tokens::token_hash;
use crate::entities::{identities, recovery_codes};

const ISSUER: &str = "Gatehouse";
const STEP_SECONDS: u64 = 30;
pub const RECOVERY_CODES: usize = 10;
/// Recovery codes are typed by people: letters and digits that cannot be mistaken for each
/// other.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A fresh 160-bit secret, base32.
#[must_use]
pub fn new_secret() -> String {
    // An encoded secret displays as its base32 text.
    Secret::generate_secret().to_encoded().to_string()
}

fn totp(secret: &str, email: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    // The account name of an otpauth URI may not hold a colon.
    let label = email.replace(':', "");
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        label,
    )
    .ok()
}

/// What the authenticator app needs: the secret, its URI and the URI as a QR code.
#[must_use]
pub fn enrolment(secret: &str, email: &str) -> Option<TwoFactorEnrolment> {
    let uri = totp(secret, email)?.get_url();
    let qr_svg = QrCode::new(uri.as_bytes())
        .ok()?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some(TwoFactorEnrolment {
        secret: secret.to_owned(),
        otpauth_uri: uri,
        qr_svg,
    })
}

/// The time step (within ±1 of now) whose code `code` is, if any.
#[must_use]
pub fn matching_step(secret: &str, email: &str, code: &str) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, email)?;
    let now = u64::try_from(Utc::now().timestamp()).ok()?;
    let current = now / STEP_SECONDS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| {
            constant_time_eq(
                totp.generate(step * STEP_SECONDS).as_bytes(),
                code.as_bytes(),
            )
        })
        .and_then(|step| i64::try_from(step).ok())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a code of the identity's confirmed second factor: a TOTP code, accepted once (the
/// step is claimed with a conditional update, so two concurrent uses cannot both pass), or an
/// unused recovery code, spent by the same means.
///
/// # Errors
/// Database errors only.
pub async fn verify(
    db: &impl ConnectionTrait,
    identity: &identities::Model,
    code: &str,
) -> Result<bool, DbErr> {
    let Some(secret) = identity.totp_secret.as_deref() else {
        return Ok(false);
    };
    if let Some(step) = matching_step(secret, &identity.email, code) {
        return claim_step(db, identity.id, step).await;
    }
    spend_recovery_code(db, identity.id, code).await
}

/// Records `step` as used unless it (or a later one) already was.
///
/// # Errors
/// Database errors only.
pub async fn claim_step(
    db: &impl ConnectionTrait,
    identity_id: Id,
    step: i64,
) -> Result<bool, DbErr> {
    let claimed = identities::Entity::update_many()
        .col_expr(identities::Column::TotpLastStep, Expr::value(step))
        .filter(identities::Column::Id.eq(identity_id))
        .filter(
            Condition::any()
                .add(identities::Column::TotpLastStep.is_null())
                .add(identities::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

async fn spend_recovery_code(
    db: &impl ConnectionTrait,
    identity_id: Id,
    code: &str,
) -> Result<bool, DbErr> {
    let normalised = normalise_recovery_code(code);
    if normalised.len() != 10 {
        return Ok(false);
    }
    let spent = recovery_codes::Entity::update_many()
        .col_expr(recovery_codes::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_codes::Column::IdentityId.eq(identity_id))
        .filter(recovery_codes::Column::CodeHash.eq(token_hash(&normalised)))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(spent.rows_affected == 1)
}

/// Replaces the identity's recovery codes with ten new ones, returned once in clear
/// (`abcde-fghjk`); only their hashes are kept.
///
/// # Errors
/// Database errors only.
pub async fn new_recovery_codes(
    db: &impl ConnectionTrait,
    identity_id: Id,
) -> Result<Vec<String>, DbErr> {
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::IdentityId.eq(identity_id))
        .exec(db)
        .await?;
    let mut rng = rand::rngs::OsRng;
    let now = Utc::now();
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            (0..10)
                .map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())]))
                .collect()
        })
        .collect();
    recovery_codes::Entity::insert_many(codes.iter().map(|code| recovery_codes::ActiveModel {
        identity_id: Set(identity_id),
        code_hash: Set(token_hash(code)),
        created_at: Set(now),
        ..Default::default()
    }))
    .exec_without_returning(db)
    .await?;
    Ok(codes
        .into_iter()
        .map(|c| format!("{}-{}", &c[..5], &c[5..]))
        .collect())
}

/// Unused recovery codes left.
///
/// # Errors
/// Database errors only.
pub async fn recovery_codes_left(db: &impl ConnectionTrait, identity_id: Id) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    recovery_codes::Entity::find()
        .filter(recovery_codes::Column::IdentityId.eq(identity_id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .count(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_current_code_matches_and_garbage_does_not() {
        let secret = new_secret();
        let t = totp(&secret, "a@example.com").unwrap();
        let code = t.generate_current().unwrap();
        assert!(matching_step(&secret, "a@example.com", &code).is_some());
        assert!(matching_step(&secret, "a@example.com", "12345").is_none());
        assert!(matching_step(&secret, "a@example.com", "abcdef").is_none());
        let uri = enrolment(&secret, "a@example.com").unwrap();
        assert!(uri
            .otpauth_uri
            .starts_with("otpauth://totp/Gatehouse:a%40example.com?"));
        assert!(uri.qr_svg.contains("<svg"));
    }

    #[test]
    fn recovery_codes_normalise() {
        assert_eq!(normalise_recovery_code(" ABCDE-fghjk "), "abcdefghjk");
    }
}
