//! Bulk acts on selected members (U10): activate, change group, change role. A selection is a
//! list of ids or the list's filters ("all matching", U9); each act is one transaction.

use chrono::Utc;
use gatehouse_domain::{
    users::{BulkAction, BulkRequest, BulkResult, Selection},
    Id,
};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

use super::list::matching_ids;
use crate::{
    accounts::seats,
    audit,
    auth::Member,
    entities::{groups, memberships, roles},
    error::{ApiError, ApiResult},
    state::AppState,
};

/// # Errors
/// 403 for non-administrators; 422 for an unknown group or role; 409 `seats_exhausted` when
/// the members to activate need more seats than are free (then none is activated).
pub async fn apply(
    state: &AppState,
    admin: &Member,
    request: BulkRequest,
) -> ApiResult<BulkResult> {
    admin.require_admin()?;
    let db = &state.db;
    let account_id = admin.account_id;
    // Ids of other accounts are dropped here: they select nothing.
    let ids: Vec<Id> = match &request.select {
        Selection::Ids(ids) => memberships::Entity::find()
            .filter(memberships::Column::AccountId.eq(account_id))
            .filter(memberships::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect(),
        Selection::Filter(filter) => matching_ids(db, account_id, filter).await?,
    };
    let affected = match request.action {
        BulkAction::Activate => activate(state, admin, &ids).await?,
        BulkAction::SetGroup { group_id } => {
            let group = groups::Entity::find_by_id(group_id)
                .filter(groups::Column::AccountId.eq(account_id))
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid(
                        "group_id",
                        "unknown_group",
                        "there is no such group in this account",
                    )
                })?;
            set_column(
                state,
                admin,
                &ids,
                memberships::Column::GroupId,
                Some(group.id),
                "group_changed",
                json!({ "group_id": group.id, "group": group.name }),
            )
            .await?
        }
        BulkAction::SetRole { role_id } => {
            let role_name = match role_id {
                Some(role_id) => Some(
                    roles::Entity::find_by_id(role_id)
                        .filter(roles::Column::AccountId.eq(account_id))
                        .one(db)
                        .await?
                        .ok_or_else(|| {
                            ApiError::invalid(
                                "role_id",
                                "unknown_role",
                                "there is no such role in this account",
                            )
                        })?
                        .name,
                ),
                None => None,
            };
            set_column(
                state,
                admin,
                &ids,
                memberships::Column::RoleId,
                role_id,
                "role_changed",
                json!({ "role_id": role_id, "role": role_name }),
            )
            .await?
        }
    };
    Ok(BulkResult { affected })
}

/// Reactivates the inactive ones among `ids`, all or none within the free seats (U3, D4).
async fn activate(state: &AppState, admin: &Member, ids: &[Id]) -> ApiResult<u64> {
    let inactive = |select: sea_orm::Select<memberships::Entity>| {
        select
            .filter(memberships::Column::AccountId.eq(admin.account_id))
            .filter(memberships::Column::Id.is_in(ids.to_vec()))
            .filter(memberships::Column::IsActive.eq(false))
    };
    let txn = state.db.begin().await?;
    seats::lock(&txn, admin.account_id).await?;
    let needed = inactive(memberships::Entity::find())
        .filter(memberships::Column::IsFree.eq(false))
        .count(&txn)
        .await?;
    seats::ensure_free(&txn, admin.account_id, needed).await?;
    let activated: Vec<Id> = inactive(memberships::Entity::find())
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if activated.is_empty() {
        return Ok(0);
    }
    memberships::Entity::update_many()
        .col_expr(memberships::Column::IsActive, Expr::value(true))
        .col_expr(
            memberships::Column::DeactivatedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(memberships::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(memberships::Column::Id.is_in(activated.clone()))
        .exec(&txn)
        .await?;
    record_each(&txn, admin, &activated, "user_activated", &json!({})).await?;
    txn.commit().await?;
    Ok(activated.len() as u64)
}

/// Sets one column of the selected memberships where it differs, one audit entry per member.
async fn set_column(
    state: &AppState,
    admin: &Member,
    ids: &[Id],
    column: memberships::Column,
    value: Option<Id>,
    action: &str,
    details: serde_json::Value,
) -> ApiResult<u64> {
    let txn = state.db.begin().await?;
    seats::lock(&txn, admin.account_id).await?;
    let differs = match value {
        Some(v) => sea_orm::Condition::any()
            .add(column.ne(v))
            .add(column.is_null()),
        None => sea_orm::Condition::all().add(column.is_not_null()),
    };
    let changed: Vec<Id> = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .filter(memberships::Column::Id.is_in(ids.to_vec()))
        .filter(differs)
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if changed.is_empty() {
        return Ok(0);
    }
    memberships::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .col_expr(memberships::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(memberships::Column::Id.is_in(changed.clone()))
        .exec(&txn)
        .await?;
    record_each(&txn, admin, &changed, action, &details).await?;
    txn.commit().await?;
    Ok(changed.len() as u64)
}

async fn record_each(
    db: &impl ConnectionTrait,
    admin: &Member,
    ids: &[Id],
    action: &str,
    details: &serde_json::Value,
) -> ApiResult<()> {
    for id in ids {
        audit::record(db, admin, action, Some(*id), details.clone()).await?;
    }
    Ok(())
}
