//! Custom field definitions (C3): every member reads them (cards show them); administrators
//! define them.

use chrono::Utc;
use gatehouse_domain::{
    crm::{CustomField, CustomFieldInput, FieldKind},
    problem::ErrorCode,
    rights::Entity,
    Id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::from_json;
use crate::{
    audit,
    auth::Member,
    entities::custom_fields,
    error::{ApiError, ApiResult},
    state::AppState,
};

fn view(model: custom_fields::Model) -> ApiResult<CustomField> {
    let entity = Entity::ALL
        .into_iter()
        .find(|e| e.code() == model.entity)
        .ok_or_else(|| ApiError::internal("unknown entity of a custom field"))?;
    let kind = FieldKind::from_code(&model.kind)
        .ok_or_else(|| ApiError::internal("unknown kind of a custom field"))?;
    Ok(CustomField {
        id: model.id,
        entity,
        name: model.name,
        kind,
        options: from_json(&model.options)?,
        sort: model.sort,
    })
}

/// The account's custom fields, of one entity type or all, in their order.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: Id,
    entity: Option<Entity>,
) -> ApiResult<Vec<CustomField>> {
    let mut query = custom_fields::Entity::find()
        .filter(custom_fields::Column::AccountId.eq(account_id))
        .order_by_asc(custom_fields::Column::Entity)
        .order_by_asc(custom_fields::Column::Sort)
        .order_by_asc(custom_fields::Column::Id);
    if let Some(entity) = entity {
        query = query.filter(custom_fields::Column::Entity.eq(entity.code()));
    }
    query.all(db).await?.into_iter().map(view).collect()
}

/// # Errors
/// 403 for non-administrators; 422 for a bad definition.
pub async fn create(
    state: &AppState,
    admin: &Member,
    input: CustomFieldInput,
) -> ApiResult<CustomField> {
    admin.require_admin()?;
    let input = input.validate().map_err(ApiError::Validation)?;
    let field = custom_fields::ActiveModel {
        account_id: Set(admin.account_id),
        entity: Set(input.entity.code().to_owned()),
        name: Set(input.name.clone()),
        kind: Set(input.kind.code().to_owned()),
        options: Set(json!(input.options).to_string()),
        sort: Set(input.sort),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    audit::record(
        &state.db,
        admin,
        "custom_field_created",
        None,
        json!({ "field_id": field.id, "entity": input.entity, "name": input.name }),
    )
    .await?;
    view(field)
}

async fn find(state: &AppState, admin: &Member, id: Id) -> ApiResult<custom_fields::Model> {
    admin.require_admin()?;
    custom_fields::Entity::find_by_id(id)
        .filter(custom_fields::Column::AccountId.eq(admin.account_id))
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))
}

/// Renames, reorders or changes the choices of a field; its entity and kind stay.
///
/// # Errors
/// 403, 404; 422 for a bad definition or a changed entity or kind.
pub async fn update(
    state: &AppState,
    admin: &Member,
    id: Id,
    input: CustomFieldInput,
) -> ApiResult<CustomField> {
    let field = find(state, admin, id).await?;
    let input = input.validate().map_err(ApiError::Validation)?;
    if input.entity.code() != field.entity || input.kind.code() != field.kind {
        return Err(ApiError::invalid(
            "kind",
            "field_kind_locked",
            "the entity and kind of a field do not change; add a new field instead",
        ));
    }
    let mut active: custom_fields::ActiveModel = field.into();
    active.name = Set(input.name.clone());
    active.options = Set(json!(input.options).to_string());
    active.sort = Set(input.sort);
    let field = active.update(&state.db).await?;
    audit::record(
        &state.db,
        admin,
        "custom_field_updated",
        None,
        json!({ "field_id": id, "name": input.name }),
    )
    .await?;
    view(field)
}

/// Deletes a definition; records keep their stored values, which no longer show.
///
/// # Errors
/// 403, 404.
pub async fn delete(state: &AppState, admin: &Member, id: Id) -> ApiResult<()> {
    let field = find(state, admin, id).await?;
    custom_fields::Entity::delete_by_id(id)
        .exec(&state.db)
        .await?;
    audit::record(
        &state.db,
        admin,
        "custom_field_deleted",
        None,
        json!({ "field_id": id, "name": field.name }),
    )
    .await?;
    Ok(())
}
