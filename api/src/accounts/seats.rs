//! Licence seats (U3). Every change that could take a seat or remove the last administrator
//! starts its transaction by locking the account's row, so concurrent changes of one account
//! run one after another and a count taken after the lock stays true until commit — on
//! PostgreSQL (a row lock) and on SQLite (the write lock) alike.

use gatehouse_domain::{accounts::Seats, problem::ErrorCode, Id};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Select,
};

use crate::{
    entities::{accounts, memberships},
    error::{ApiError, ApiResult},
};

/// Locks the account for the rest of the transaction. It must be the transaction's first
/// statement: on SQLite a transaction that has read first cannot wait for the write lock.
///
/// # Errors
/// 404 for an unknown account; database errors.
pub async fn lock(txn: &impl ConnectionTrait, account_id: Id) -> ApiResult<()> {
    let locked = accounts::Entity::update_many()
        .col_expr(
            accounts::Column::SeatsGeneral,
            Expr::col(accounts::Column::SeatsGeneral),
        )
        .filter(accounts::Column::Id.eq(account_id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(())
}

/// The account's seats now.
///
/// # Errors
/// 404 for an unknown account; database errors.
pub async fn count(db: &impl ConnectionTrait, account_id: Id) -> ApiResult<Seats> {
    let account = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))?;
    let used = taking_seats(account_id).count(db).await?;
    Ok(of(account.seats_general, account.seats_technical, used))
}

/// The account's memberships that take a seat: the active ones that are not free.
#[must_use]
pub fn taking_seats(account_id: Id) -> Select<memberships::Entity> {
    memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::IsActive.eq(true))
        .filter(memberships::Column::IsFree.eq(false))
}

/// The seat counter from the account's seat columns and the number taken.
#[must_use]
pub fn of(general: i32, technical: i32, used: u64) -> Seats {
    let general = u64::try_from(general).unwrap_or(0);
    let technical = u64::try_from(technical).unwrap_or(0);
    Seats {
        used,
        total: general + technical,
        general,
        technical,
    }
}

/// Refuses when fewer than `needed` seats are free. Call after [`lock`] in the same
/// transaction.
///
/// # Errors
/// 409 `seats_exhausted` naming used and total seats.
pub async fn ensure_free(txn: &impl ConnectionTrait, account_id: Id, needed: u64) -> ApiResult<()> {
    if needed == 0 {
        return Ok(());
    }
    let seats = count(txn, account_id).await?;
    if seats.free() < needed {
        return Err(ApiError::seats_exhausted(seats));
    }
    Ok(())
}

/// Refuses a change after which the account would have no active administrator (U7, D0).
/// Call after [`lock`], with the change already written in the same transaction.
///
/// # Errors
/// 409 `last_admin`.
pub async fn ensure_an_admin_remains(txn: &impl ConnectionTrait, account_id: Id) -> ApiResult<()> {
    let admins = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::IsActive.eq(true))
        .filter(memberships::Column::IsAdmin.eq(true))
        // Free overrides admin (R4): a free administrator administers nothing.
        .filter(memberships::Column::IsFree.eq(false))
        .count(txn)
        .await?;
    if admins == 0 {
        return Err(ErrorCode::LastAdmin.into());
    }
    Ok(())
}

/// Refuses to delete a group or role that members still have: `code` with their number. Locks
/// the account first, so nobody joins it between the count and the delete.
///
/// # Errors
/// `code` (409) with the count.
pub async fn ensure_no_members(
    txn: &impl ConnectionTrait,
    account_id: Id,
    column: memberships::Column,
    id: Id,
    code: ErrorCode,
) -> ApiResult<()> {
    lock(txn, account_id).await?;
    let count = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(column.eq(id))
        .count(txn)
        .await?;
    if count > 0 {
        return Err(ApiError::counted(code, count));
    }
    Ok(())
}

/// Sets an account's seats (the platform's `gatehouse accounts set-seats`).
///
/// # Errors
/// 404 for an unknown account; database errors.
pub async fn set(
    db: &impl ConnectionTrait,
    account_id: Id,
    general: u32,
    technical: Option<u32>,
) -> ApiResult<Seats> {
    let mut update = accounts::Entity::update_many()
        .col_expr(
            accounts::Column::SeatsGeneral,
            Expr::value(i32::try_from(general).unwrap_or(i32::MAX)),
        )
        .filter(accounts::Column::Id.eq(account_id));
    if let Some(technical) = technical {
        update = update.col_expr(
            accounts::Column::SeatsTechnical,
            Expr::value(i32::try_from(technical).unwrap_or(i32::MAX)),
        );
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(ErrorCode::NotFound.into());
    }
    count(db, account_id).await
}
