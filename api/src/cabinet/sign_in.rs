//! Signing in to the cabinet by SMS code (K3), and the codes that confirm an erasure (K6).
//!
//! A code is 6 digits from the operating system's CSPRNG, lives 5 minutes, is stored only as
//! a salted SHA-256 and dies after 5 wrong entries or when another code replaces it. Sends are
//! bounded per phone (3 per 15 minutes, 10 a day, one per 30 seconds) and per IP (20 an hour),
//! counted from the codes' own rows so every instance agrees. A phone no contact holds gets
//! the same answer, after the same work, as a client's: a code row is written (its code is
//! never sent) and the limits count it — only no SMS leaves.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use gatehouse_domain::{
    cabinet::{
        CabinetSession, CabinetSignIn, CodeRequest, CodeSent, CODE_DIGITS, CODE_MAX_WRONG,
        CODE_TTL_SECONDS, RESEND_SECONDS, SENDS_PER_IP_HOUR, SENDS_PER_PHONE_15_MIN,
        SENDS_PER_PHONE_DAY,
    },
    problem::ErrorCode,
    sms::{render, MarkerValues, SmsPurpose},
    Id,
};
use rand::{Rng, RngCore};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::{
    client::{self, contacts_with_phone},
    settings::{self, Stored},
};
use crate::{
    entities::{accounts, cabinet_codes},
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    sms::phone::{e164, home_country},
    state::AppState,
};

/// The client's phone in E.164, read as the cabinet's market writes numbers.
///
/// # Errors
/// 422 `phone_invalid` on `phone`.
pub fn normalise(raw: &str, stored: &Stored) -> ApiResult<String> {
    e164(raw, home_country(stored.language)).ok_or_else(|| {
        ApiError::invalid(
            "phone",
            "phone_invalid",
            "not a phone number; write it with the country code, e.g. +7 912 345-67-89",
        )
    })
}

/// `POST /cabinet/{account}/codes`: a sign-in code for this phone.
///
/// # Errors
/// 404 `cabinet_unavailable`; 422 `phone_invalid`; 429 `rate_limited` with `Retry-After`.
pub async fn request_code(
    state: &AppState,
    account_id: Id,
    input: CodeRequest,
    client: &ClientInfo,
) -> ApiResult<CodeSent> {
    let (account, stored) = settings::open(&state.db, account_id).await?;
    let phone = normalise(&input.phone, &stored)?;
    send(
        state,
        &account,
        &stored,
        &phone,
        SmsPurpose::Login,
        client.ip,
    )
    .await
}

/// Writes a new code for (account, phone, purpose), replacing the open one, and sends it when
/// a contact holds the phone — all in one transaction; the SMS worker is woken after it.
///
/// # Errors
/// 429 `rate_limited` with the seconds until a send is allowed again; database errors.
pub async fn send(
    state: &AppState,
    account: &accounts::Model,
    stored: &Stored,
    phone: &str,
    purpose: SmsPurpose,
    ip: Option<IpAddr>,
) -> ApiResult<CodeSent> {
    let txn = state.db.begin().await?;
    check_limits(&txn, account.id, phone, purpose, ip).await?;
    let now = Utc::now();
    cabinet_codes::Entity::update_many()
        .col_expr(cabinet_codes::Column::ClosedAt, Expr::value(Some(now)))
        .filter(open_codes(account.id, phone, purpose))
        .exec(&txn)
        .await?;
    let code = new_code();
    cabinet_codes::ActiveModel {
        account_id: Set(account.id),
        phone: Set(phone.to_owned()),
        purpose: Set(purpose.as_str().to_owned()),
        code_hash: Set(hash_code(&code)),
        wrong_attempts: Set(0),
        ip: Set(ip.map(|ip| ip.to_string()).unwrap_or_default()),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(CODE_TTL_SECONDS)),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Both lookups run for every phone, so a known phone's answer takes no longer than an
    // unknown one's but for the message's own insert (A7).
    let contacts = contacts_with_phone(&txn, account.id, phone, stored.language).await?;
    let provider = crate::sms::service::provider_for(&txn, account.id, stored).await?;
    let sent = if let Some(contact) = contacts.first() {
        let template = match purpose {
            SmsPurpose::Deletion => &stored.deletion_template,
            SmsPurpose::Login | SmsPurpose::Test => &stored.login_template,
        };
        let body = render(
            template,
            &MarkerValues {
                code: &code,
                contact_first_name: contact.name.split_whitespace().next().unwrap_or(""),
                contact_name: &contact.name,
                account_name: &account.name,
            },
        );
        crate::sms::queue(&txn, &provider, phone, purpose, body).await?;
        true
    } else {
        false
    };
    txn.commit().await?;
    if sent {
        state.sms.wake();
    }
    Ok(CodeSent {
        phone: phone.to_owned(),
        expires_in_seconds: CODE_TTL_SECONDS,
        resend_after_seconds: RESEND_SECONDS,
    })
}

fn open_codes(account_id: Id, phone: &str, purpose: SmsPurpose) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(cabinet_codes::Column::AccountId.eq(account_id))
        .add(cabinet_codes::Column::Phone.eq(phone))
        .add(cabinet_codes::Column::Purpose.eq(purpose.as_str()))
        .add(cabinet_codes::Column::ClosedAt.is_null())
}

/// Refuses a send that would break a limit, with the longest wait any broken limit asks.
async fn check_limits(
    db: &impl ConnectionTrait,
    account_id: Id,
    phone: &str,
    purpose: SmsPurpose,
    ip: Option<IpAddr>,
) -> ApiResult<()> {
    let now = Utc::now();
    // The phone's sends of the last day, newest first: enough for all three phone limits.
    // Every SMS to the phone counts; the pause between resends is per purpose, so a client
    // who just signed in may ask for an erasure code at once.
    let sends: Vec<(DateTime<Utc>, String)> = cabinet_codes::Entity::find()
        .filter(cabinet_codes::Column::AccountId.eq(account_id))
        .filter(cabinet_codes::Column::Phone.eq(phone))
        .filter(cabinet_codes::Column::CreatedAt.gt(now - Duration::days(1)))
        .order_by_desc(cabinet_codes::Column::CreatedAt)
        .select_only()
        .column(cabinet_codes::Column::CreatedAt)
        .column(cabinet_codes::Column::Purpose)
        .limit(SENDS_PER_PHONE_DAY)
        .into_tuple()
        .all(db)
        .await?;
    let mut allowed_at = now;
    if let Some((last, _)) = sends.iter().find(|(_, p)| p == purpose.as_str()) {
        allowed_at = allowed_at.max(*last + Duration::seconds(RESEND_SECONDS));
    }
    let sends: Vec<DateTime<Utc>> = sends.into_iter().map(|(at, _)| at).collect();
    allowed_at = allowed_at.max(window_opens(
        &sends,
        now,
        SENDS_PER_PHONE_15_MIN,
        Duration::minutes(15),
    ));
    allowed_at = allowed_at.max(window_opens(
        &sends,
        now,
        SENDS_PER_PHONE_DAY,
        Duration::days(1),
    ));
    if let Some(ip) = ip {
        let from_ip: Vec<DateTime<Utc>> = cabinet_codes::Entity::find()
            .filter(cabinet_codes::Column::Ip.eq(ip.to_string()))
            .filter(cabinet_codes::Column::CreatedAt.gt(now - Duration::hours(1)))
            .order_by_desc(cabinet_codes::Column::CreatedAt)
            .select_only()
            .column(cabinet_codes::Column::CreatedAt)
            .limit(SENDS_PER_IP_HOUR)
            .into_tuple()
            .all(db)
            .await?;
        allowed_at = allowed_at.max(window_opens(
            &from_ip,
            now,
            SENDS_PER_IP_HOUR,
            Duration::hours(1),
        ));
    }
    if allowed_at > now {
        let millis = (allowed_at - now).num_milliseconds();
        let seconds = u64::try_from((millis + 999) / 1000).unwrap_or(1).max(1);
        return Err(ApiError::RetryAfter {
            code: ErrorCode::RateLimited,
            seconds,
        });
    }
    Ok(())
}

/// When a window of `window` holding at most `limit` sends takes one more: once the
/// `limit`th newest of `sends` (newest first) has left it.
fn window_opens(
    sends: &[DateTime<Utc>],
    now: DateTime<Utc>,
    limit: u64,
    window: Duration,
) -> DateTime<Utc> {
    let in_window: Vec<_> = sends.iter().filter(|at| **at > now - window).collect();
    let counted = usize::try_from(limit).unwrap_or(usize::MAX);
    match counted.checked_sub(1).and_then(|i| in_window.get(i)) {
        Some(oldest_counted) => **oldest_counted + window,
        None => now,
    }
}

/// Six digits from the operating system's CSPRNG (uniform: `gen_range` rejects the bias).
fn new_code() -> String {
    let upper = 10u32.pow(u32::try_from(CODE_DIGITS).unwrap_or(6));
    let value = rand::rngs::OsRng.gen_range(0..upper);
    format!("{value:0width$}", width = CODE_DIGITS)
}

/// `salt$sha256(salt ‖ code)`, hex: a fresh salt per row, so equal codes hash apart and a
/// table of the million codes' hashes is of no use.
fn hash_code(code: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = hex::encode(salt);
    let digest = hex::encode(Sha256::digest(format!("{salt}{code}").as_bytes()));
    format!("{salt}${digest}")
}

fn wrong_attempts_plus(n: i32) -> sea_orm::sea_query::SimpleExpr {
    // Scoped here: the trait's `max` would shadow `Ord::max` for the limits' arithmetic.
    use sea_orm::ExprTrait;
    Expr::col(cabinet_codes::Column::WrongAttempts).add(n)
}

fn code_matches(stored: &str, code: &str) -> bool {
    let Some((salt, digest)) = stored.split_once('$') else {
        return false;
    };
    let candidate = hex::encode(Sha256::digest(format!("{salt}{code}").as_bytes()));
    constant_time_eq(candidate.as_bytes(), digest.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a code against the phone's open code of `purpose`, spending one of its attempts;
/// answers the code's row when it matched. The attempt is claimed by a conditional update
/// outside any transaction, so parallel guesses cannot share one, and a failure is counted
/// even though the request fails; the fifth wrong entry closes the code.
///
/// The caller closes the matched code with [`close`] in the transaction that uses it.
///
/// # Errors
/// 401 `invalid_sms_code` for a wrong, expired, replaced, used or void code, or none.
pub async fn verify(
    db: &impl ConnectionTrait,
    account_id: Id,
    phone: &str,
    purpose: SmsPurpose,
    code: &str,
) -> ApiResult<Id> {
    let wrong = || ApiError::Code(ErrorCode::InvalidSmsCode);
    let now = Utc::now();
    let row = cabinet_codes::Entity::find()
        .filter(open_codes(account_id, phone, purpose))
        .order_by_desc(cabinet_codes::Column::Id)
        .one(db)
        .await?
        .ok_or_else(wrong)?;
    if row.expires_at <= now {
        return Err(wrong());
    }
    let claimed = cabinet_codes::Entity::update_many()
        .col_expr(cabinet_codes::Column::WrongAttempts, wrong_attempts_plus(1))
        .filter(cabinet_codes::Column::Id.eq(row.id))
        .filter(cabinet_codes::Column::ClosedAt.is_null())
        .filter(cabinet_codes::Column::WrongAttempts.lt(CODE_MAX_WRONG))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(wrong());
    }
    let code = code.trim();
    let well_formed = code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit());
    if well_formed && code_matches(&row.code_hash, code) {
        return Ok(row.id);
    }
    cabinet_codes::Entity::update_many()
        .col_expr(cabinet_codes::Column::ClosedAt, Expr::value(Some(now)))
        .filter(cabinet_codes::Column::Id.eq(row.id))
        .filter(cabinet_codes::Column::ClosedAt.is_null())
        .filter(cabinet_codes::Column::WrongAttempts.gte(CODE_MAX_WRONG))
        .exec(db)
        .await?;
    Err(wrong())
}

/// Closes a code [`verify`] matched, giving back the attempt the right entry took; only one
/// request can close it, so a code serves once.
///
/// # Errors
/// 401 `invalid_sms_code` when another request used or replaced it first.
pub async fn close(db: &impl ConnectionTrait, code_id: Id) -> ApiResult<()> {
    let closed = cabinet_codes::Entity::update_many()
        .col_expr(
            cabinet_codes::Column::ClosedAt,
            Expr::value(Some(Utc::now())),
        )
        .col_expr(
            cabinet_codes::Column::WrongAttempts,
            wrong_attempts_plus(-1),
        )
        .filter(cabinet_codes::Column::Id.eq(code_id))
        .filter(cabinet_codes::Column::ClosedAt.is_null())
        .exec(db)
        .await?;
    if closed.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::Code(ErrorCode::InvalidSmsCode))
    }
}

/// `POST /cabinet/{account}/sessions`: the code proves the phone; the session reaches the
/// account's contacts with that phone. A phone no contact holds never signs in.
///
/// # Errors
/// 404 `cabinet_unavailable`; 422 `phone_invalid`; 401 `invalid_sms_code`.
pub async fn sign_in(
    state: &AppState,
    account_id: Id,
    input: CabinetSignIn,
    info: &ClientInfo,
) -> ApiResult<CabinetSession> {
    let (account, stored) = settings::open(&state.db, account_id).await?;
    let phone = normalise(&input.phone, &stored)?;
    let code_id = verify(
        &state.db,
        account.id,
        &phone,
        SmsPurpose::Login,
        &input.code,
    )
    .await?;
    let txn = state.db.begin().await?;
    if contacts_with_phone(&txn, account.id, &phone, stored.language)
        .await?
        .is_empty()
    {
        return Err(ApiError::Code(ErrorCode::InvalidSmsCode));
    }
    close(&txn, code_id).await?;
    let (token, hash) = client::new_token();
    let session = client::session_row(account.id, &phone, hash, info.user_agent.clone())
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok(CabinetSession {
        token,
        expires_at: session.expires_at,
    })
}
