//! Brute-force limits (A5). Failures are counted per normalised e-mail (known or not, so a 429
//! reveals nothing) and per client IP, in the database so that every instance agrees:
//! - 10 failures for one e-mail within 15 minutes lock that e-mail for 15 minutes;
//! - more than 30 failures from one IP within 5 minutes lock that IP for 5 minutes.
//!
//! A locked attempt is refused before any hashing, even with the right password.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Alias, Expr, Func, OnConflict, Query, SelectStatement},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::entities::{sign_in_failures, sign_in_locks};

const EMAIL: &str = "email";
const IP: &str = "ip";
pub const EMAIL_LIMIT: u64 = 10;
pub const EMAIL_WINDOW_MINUTES: i64 = 15;
pub const IP_LIMIT: u64 = 30;
pub const IP_WINDOW_MINUTES: i64 = 5;

/// When the later of the e-mail's and the IP's locks ends, if either is on.
///
/// # Errors
/// Database errors only.
pub async fn locked_until(
    db: &impl ConnectionTrait,
    email: &str,
    ip: Option<IpAddr>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = db.query_one(&lock_end(email, ip)).await?;
    Ok(match row {
        Some(row) => row.try_get("", LOCK_END)?,
        None => None,
    })
}

/// The column that [`lock_end`] answers in.
const LOCK_END: &str = "locked_until";

/// `SELECT MAX(locked_until) AS locked_until` of the live locks on the e-mail or the IP: one row,
/// NULL when neither is locked. Sign-in reads it as a column of its identity read.
#[must_use]
pub fn lock_end(email: &str, ip: Option<IpAddr>) -> SelectStatement {
    let mut keys = Condition::any().add(
        Condition::all()
            .add(sign_in_locks::Column::Scope.eq(EMAIL))
            .add(sign_in_locks::Column::Key.eq(email)),
    );
    if let Some(ip) = ip {
        keys = keys.add(
            Condition::all()
                .add(sign_in_locks::Column::Scope.eq(IP))
                .add(sign_in_locks::Column::Key.eq(ip.to_string())),
        );
    }
    Query::select()
        .expr_as(
            Func::max(Expr::col(sign_in_locks::Column::LockedUntil)),
            Alias::new(LOCK_END),
        )
        .from(sign_in_locks::Entity)
        .cond_where(keys)
        .and_where(sign_in_locks::Column::LockedUntil.gt(Utc::now()))
        .take()
}

/// Counts a failure; answers whether it locked the e-mail (so the member is told, A5).
///
/// # Errors
/// Database errors only.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    email: &str,
    ip: Option<IpAddr>,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let mut rows = vec![failure(EMAIL, email, now)];
    if let Some(ip) = ip {
        rows.push(failure(IP, &ip.to_string(), now));
    }
    sign_in_failures::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    let email_failures =
        failures_since(db, EMAIL, email, now - minutes(EMAIL_WINDOW_MINUTES)).await?;
    let email_locked = email_failures >= EMAIL_LIMIT;
    if email_locked {
        lock(db, EMAIL, email, now + minutes(EMAIL_WINDOW_MINUTES)).await?;
    }
    if let Some(ip) = ip {
        let key = ip.to_string();
        if failures_since(db, IP, &key, now - minutes(IP_WINDOW_MINUTES)).await? > IP_LIMIT {
            lock(db, IP, &key, now + minutes(IP_WINDOW_MINUTES)).await?;
        }
    }
    Ok(email_locked && email_failures == EMAIL_LIMIT)
}

/// Lifts the lock of an e-mail and forgets its failures (an administrator's unlock).
///
/// # Errors
/// Database errors only.
pub async fn unlock(db: &impl ConnectionTrait, email: &str) -> Result<(), DbErr> {
    sign_in_locks::Entity::delete_many()
        .filter(sign_in_locks::Column::Scope.eq(EMAIL))
        .filter(sign_in_locks::Column::Key.eq(email))
        .exec(db)
        .await?;
    sign_in_failures::Entity::delete_many()
        .filter(sign_in_failures::Column::Scope.eq(EMAIL))
        .filter(sign_in_failures::Column::Key.eq(email))
        .exec(db)
        .await?;
    Ok(())
}

/// The e-mails among `emails` that are locked now, with the end of their lock.
///
/// # Errors
/// Database errors only.
pub async fn emails_locked_until(
    db: &impl ConnectionTrait,
    emails: impl IntoIterator<Item = String>,
) -> Result<std::collections::HashMap<String, DateTime<Utc>>, DbErr> {
    Ok(sign_in_locks::Entity::find()
        .filter(sign_in_locks::Column::Scope.eq(EMAIL))
        .filter(sign_in_locks::Column::Key.is_in(emails))
        .filter(sign_in_locks::Column::LockedUntil.gt(Utc::now()))
        .all(db)
        .await?
        .into_iter()
        .map(|lock| (lock.key, lock.locked_until))
        .collect())
}

/// Deletes counters older than any window and locks that have ended.
///
/// # Errors
/// Database errors only.
pub async fn prune(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let now = Utc::now();
    sign_in_failures::Entity::delete_many()
        .filter(sign_in_failures::Column::At.lt(now - minutes(EMAIL_WINDOW_MINUTES)))
        .exec(db)
        .await?;
    sign_in_locks::Entity::delete_many()
        .filter(sign_in_locks::Column::LockedUntil.lt(now))
        .exec(db)
        .await?;
    Ok(())
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

fn failure(scope: &str, key: &str, at: DateTime<Utc>) -> sign_in_failures::ActiveModel {
    sign_in_failures::ActiveModel {
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        at: Set(at),
        ..Default::default()
    }
}

async fn failures_since(
    db: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    sign_in_failures::Entity::find()
        .filter(sign_in_failures::Column::Scope.eq(scope))
        .filter(sign_in_failures::Column::Key.eq(key))
        .filter(sign_in_failures::Column::At.gt(since))
        .count(db)
        .await
}

async fn lock(
    db: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    until: DateTime<Utc>,
) -> Result<(), DbErr> {
    sign_in_locks::Entity::insert(sign_in_locks::ActiveModel {
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        locked_until: Set(until),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([sign_in_locks::Column::Scope, sign_in_locks::Column::Key])
            .value(sign_in_locks::Column::LockedUntil, Expr::value(until))
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
