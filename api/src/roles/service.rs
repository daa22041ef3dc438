use std::collections::HashMap;

use chrono::Utc;
use gatehouse_domain::{
    groups::parse_title,
    problem::ErrorCode,
    roles::{Role, RoleInput, RoleSaved},
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
    entities::{memberships, roles},
    error::{ApiError, ApiResult},
    rights::{check_stages, stored_rights, stored_sections, to_json},
    state::AppState,
};

fn view(role: &roles::Model, members: u64) -> ApiResult<Role> {
    Ok(Role {
        id: role.id,
        name: role.name.clone(),
        rights: stored_rights(Some(&role.rights))?,
        hidden_sections: stored_sections(&role.hidden_sections)?,
        members,
    })
}

/// By name.
///
/// # Errors
/// 403 for non-administrators.
pub async fn list(state: &AppState, admin: &Member) -> ApiResult<Vec<Role>> {
    admin.require_admin()?;
    let counts: HashMap<Id, i64> = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .filter(memberships::Column::RoleId.is_not_null())
        .select_only()
        .column(memberships::Column::RoleId)
        .column_as(memberships::Column::Id.count(), "members")
        .group_by(memberships::Column::RoleId)
        .into_tuple::<(Id, i64)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    roles::Entity::find()
        .filter(roles::Column::AccountId.eq(admin.account_id))
        .order_by_asc(roles::Column::Name)
        .order_by_asc(roles::Column::Id)
        .all(&state.db)
        .await?
        .iter()
        .map(|r| {
            view(
                r,
                u64::try_from(counts.get(&r.id).copied().unwrap_or(0)).unwrap_or(0),
            )
        })
        .collect()
}

async fn find(state: &AppState, admin: &Member, id: Id) -> ApiResult<roles::Model> {
    admin.require_admin()?;
    roles::Entity::find_by_id(id)
        .filter(roles::Column::AccountId.eq(admin.account_id))
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))
}

async fn members(state: &AppState, id: Id) -> ApiResult<u64> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::RoleId.eq(id))
        .count(&state.db)
        .await?)
}

/// # Errors
/// 403, 404.
pub async fn get(state: &AppState, admin: &Member, id: Id) -> ApiResult<Role> {
    let role = find(state, admin, id).await?;
    view(&role, members(state, id).await?)
}

/// # Errors
/// 403; 422 for a bad name or an unknown stage; 409 `name_taken`.
pub async fn create(state: &AppState, admin: &Member, input: RoleInput) -> ApiResult<RoleSaved> {
    admin.require_admin()?;
    let name = parse_title(&input.name).map_err(|e| ApiError::Validation(vec![e]))?;
    let mut rights = input.rights;
    let narrowed = rights.normalise();
    check_stages(&state.db, admin.account_id, &rights, "rights").await?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let role = roles::ActiveModel {
        account_id: Set(admin.account_id),
        name: Set(name.clone()),
        rights: Set(to_json(&rights)?),
        hidden_sections: Set(to_json(&input.hidden_sections)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| ApiError::unique_as(e, ErrorCode::NameTaken))?;
    audit::record(
        &txn,
        admin,
        "role_created",
        None,
        json!({ "role_id": role.id, "name": name, "rights": rights, "hidden_sections": input.hidden_sections }),
    )
    .await?;
    txn.commit().await?;
    Ok(RoleSaved {
        role: view(&role, 0)?,
        narrowed,
    })
}

/// The role's members have the new rights from their next request on.
///
/// # Errors
/// 403, 404; 422 for a bad name or an unknown stage; 409 `name_taken`.
pub async fn update(
    state: &AppState,
    admin: &Member,
    id: Id,
    input: RoleInput,
) -> ApiResult<RoleSaved> {
    let role = find(state, admin, id).await?;
    let name = parse_title(&input.name).map_err(|e| ApiError::Validation(vec![e]))?;
    let mut rights = input.rights;
    let narrowed = rights.normalise();
    check_stages(&state.db, admin.account_id, &rights, "rights").await?;
    let before = view(&role, 0)?;
    let txn = state.db.begin().await?;
    let mut row: roles::ActiveModel = role.into();
    row.name = Set(name.clone());
    row.rights = Set(to_json(&rights)?);
    row.hidden_sections = Set(to_json(&input.hidden_sections)?);
    row.updated_at = Set(Utc::now());
    let role = row
        .update(&txn)
        .await
        .map_err(|e| ApiError::unique_as(e, ErrorCode::NameTaken))?;
    audit::record(
        &txn,
        admin,
        "role_updated",
        None,
        json!({
            "role_id": id,
            "name": { "before": before.name, "after": name },
            "rights": { "before": before.rights, "after": rights },
            "hidden_sections": { "before": before.hidden_sections, "after": input.hidden_sections },
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(RoleSaved {
        role: view(&role, members(state, id).await?)?,
        narrowed,
    })
}

/// # Errors
/// 403, 404; 409 `role_in_use` with the number of members.
pub async fn delete(state: &AppState, admin: &Member, id: Id) -> ApiResult<()> {
    let role = find(state, admin, id).await?;
    let txn = state.db.begin().await?;
    crate::accounts::seats::ensure_no_members(
        &txn,
        admin.account_id,
        memberships::Column::RoleId,
        id,
        ErrorCode::RoleInUse,
    )
    .await?;
    roles::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        admin,
        "role_deleted",
        None,
        json!({ "role_id": id, "name": role.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
