use std::collections::HashMap;

use chrono::Utc;
use gatehouse_domain::{
    groups::{parse_title, Group, GroupInput},
    problem::ErrorCode,
    Id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use crate::{
    audit,
    auth::Member,
    entities::{groups, memberships},
    error::{ApiError, ApiResult},
    state::AppState,
};

/// The default group first, then by name.
///
/// # Errors
/// 403 for non-administrators.
pub async fn list(state: &AppState, admin: &Member) -> ApiResult<Vec<Group>> {
    admin.require_admin()?;
    let counts: HashMap<Id, i64> = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .filter(memberships::Column::GroupId.is_not_null())
        .select_only()
        .column(memberships::Column::GroupId)
        .column_as(memberships::Column::Id.count(), "members")
        .group_by(memberships::Column::GroupId)
        .into_tuple::<(Id, i64)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    Ok(groups::Entity::find()
        .filter(groups::Column::AccountId.eq(admin.account_id))
        .order_by_desc(groups::Column::IsDefault)
        .order_by_asc(groups::Column::Name)
        .order_by_asc(groups::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|g| view(&g, counts.get(&g.id).copied().unwrap_or(0)))
        .collect())
}

fn view(group: &groups::Model, members: i64) -> Group {
    Group {
        id: group.id,
        name: group.name.clone(),
        is_default: group.is_default,
        members: u64::try_from(members).unwrap_or(0),
    }
}

async fn find(state: &AppState, admin: &Member, id: Id) -> ApiResult<groups::Model> {
    admin.require_admin()?;
    groups::Entity::find_by_id(id)
        .filter(groups::Column::AccountId.eq(admin.account_id))
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))
}

async fn members(state: &AppState, id: Id) -> ApiResult<u64> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::GroupId.eq(id))
        .count(&state.db)
        .await?)
}

/// # Errors
/// 403; 422 for a bad name; 409 `name_taken`.
pub async fn create(state: &AppState, admin: &Member, input: GroupInput) -> ApiResult<Group> {
    admin.require_admin()?;
    let name = parse_title(&input.name).map_err(|e| ApiError::Validation(vec![e]))?;
    let txn = state.db.begin().await?;
    let group = groups::ActiveModel {
        account_id: Set(admin.account_id),
        name: Set(name.clone()),
        is_default: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| ApiError::unique_as(e, ErrorCode::NameTaken))?;
    audit::record(
        &txn,
        admin,
        "group_created",
        None,
        json!({ "group_id": group.id, "name": name }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&group, 0))
}

/// # Errors
/// 403, 404; 422 for a bad name; 409 `default_group_locked`, `name_taken`.
pub async fn rename(
    state: &AppState,
    admin: &Member,
    id: Id,
    input: GroupInput,
) -> ApiResult<Group> {
    let group = find(state, admin, id).await?;
    let name = parse_title(&input.name).map_err(|e| ApiError::Validation(vec![e]))?;
    if group.is_default {
        return Err(ErrorCode::DefaultGroupLocked.into());
    }
    let before = group.name.clone();
    let txn = state.db.begin().await?;
    let mut row: groups::ActiveModel = group.into();
    row.name = Set(name.clone());
    let group = row
        .update(&txn)
        .await
        .map_err(|e| ApiError::unique_as(e, ErrorCode::NameTaken))?;
    audit::record(
        &txn,
        admin,
        "group_renamed",
        None,
        json!({ "group_id": id, "name": { "before": before, "after": name } }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(
        &group,
        i64::try_from(members(state, id).await?).unwrap_or(0),
    ))
}

/// # Errors
/// 403, 404; 409 `default_group_locked`, `group_not_empty` with the number of members.
pub async fn delete(state: &AppState, admin: &Member, id: Id) -> ApiResult<()> {
    let group = find(state, admin, id).await?;
    if group.is_default {
        return Err(ErrorCode::DefaultGroupLocked.into());
    }
    let txn = state.db.begin().await?;
    crate::accounts::seats::ensure_no_members(
        &txn,
        admin.account_id,
        memberships::Column::GroupId,
        id,
        ErrorCode::GroupNotEmpty,
    )
    .await?;
    groups::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        admin,
        "group_deleted",
        None,
        json!({ "group_id": id, "name": group.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
