//! Companies (C2) under R1–R2.

use chrono::Utc;
use gatehouse_domain::{
    crm::{Company, CompanyPatch, CustomValues, NewCompany, RecordQuery, Slice},
    rights::{Action, Entity},
    Id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
    Set, TransactionTrait,
};
use serde_json::json;

use super::{
    csv, custom_values, export_rows, fold, name_contains, read_slice, responsible,
    responsible_only, stored_custom, tasks, Caller,
};
use crate::{
    auth::Member,
    entities::companies,
    error::{ApiError, ApiResult},
    state::AppState,
};

fn view(company: companies::Model) -> ApiResult<Company> {
    Ok(Company {
        id: company.id,
        custom: stored_custom(&company.custom)?,
        name: company.name,
        responsible_id: company.responsible_id,
        created_at: company.created_at,
        updated_at: company.updated_at,
    })
}

fn filtered(
    caller: &Caller,
    action: Action,
    query: &RecordQuery,
) -> Option<Select<companies::Entity>> {
    let columns = responsible_only((companies::Entity, companies::Column::ResponsibleId));
    let rights = caller.condition(Entity::Companies, action, &columns)?;
    let mut select = companies::Entity::find()
        .filter(companies::Column::AccountId.eq(caller.account_id))
        .filter(rights)
        .filter(name_contains(
            companies::Column::NameFolded,
            query.query.as_deref(),
        ));
    if let Some(id) = query.responsible_id {
        select = select.filter(companies::Column::ResponsibleId.eq(id));
    }
    Some(select.order_by_desc(companies::Column::Id))
}

/// # Errors
/// Database errors.
pub async fn list(
    state: &AppState,
    member: &Member,
    query: RecordQuery,
) -> ApiResult<Slice<Company>> {
    let caller = Caller::of(&state.db, member).await?;
    read_slice(
        &state.db,
        filtered(&caller, Action::View, &query),
        companies::Column::Id,
        query.after,
        query.limit,
        view,
        |c| c.id,
    )
    .await
}

/// # Errors
/// Database errors.
pub async fn export(state: &AppState, member: &Member, query: RecordQuery) -> ApiResult<Vec<u8>> {
    let caller = Caller::of(&state.db, member).await?;
    let rows = export_rows(&state.db, filtered(&caller, Action::Export, &query)).await?;
    let names = super::member_names(&state.db, caller.account_id).await?;
    csv::write(
        &["id", "name", "responsible", "created_at"],
        rows.iter().map(|c| {
            vec![
                c.id.to_string(),
                c.name.clone(),
                names.get(&c.responsible_id).cloned().unwrap_or_default(),
                c.created_at.to_rfc3339(),
            ]
        }),
    )
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Id,
    action: Action,
) -> ApiResult<companies::Model> {
    let found = companies::Entity::find_by_id(id)
        .filter(companies::Column::AccountId.eq(caller.account_id))
        .one(db)
        .await?;
    caller
        .found(db, Entity::Companies, found, |c| c.responsible_id, action)
        .await
}

/// # Errors
/// 404 for a company the caller may not view.
pub async fn get(state: &AppState, member: &Member, id: Id) -> ApiResult<Company> {
    let caller = Caller::of(&state.db, member).await?;
    view(find(&state.db, &caller, id, Action::View).await?)
}

/// # Errors
/// 403 without the add right; 422 for invalid fields.
pub async fn create(state: &AppState, member: &Member, input: NewCompany) -> ApiResult<Company> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    caller.ensure_add(Entity::Companies)?;
    let input = input.validate().map_err(ApiError::Validation)?;
    let responsible_id = match input.responsible_id {
        Some(id) => responsible(db, caller.account_id, id).await?,
        None => caller.membership_id,
    };
    let custom = custom_values(
        db,
        caller.account_id,
        Entity::Companies,
        &CustomValues::new(),
        &input.custom,
    )
    .await?;
    let now = Utc::now();
    let company = companies::ActiveModel {
        account_id: Set(caller.account_id),
        name_folded: Set(fold(&input.name)),
        name: Set(input.name),
        responsible_id: Set(responsible_id),
        custom: Set(json!(custom).to_string()),
        created_by: Set(Some(caller.membership_id)),
        updated_by: Set(Some(caller.membership_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    view(company)
}

/// # Errors
/// 404, 403; 422 for invalid fields.
pub async fn update(
    state: &AppState,
    member: &Member,
    id: Id,
    patch: CompanyPatch,
) -> ApiResult<Company> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    let company = find(db, &caller, id, Action::Edit).await?;
    let patch = patch.validate().map_err(ApiError::Validation)?;
    let mut active: companies::ActiveModel = company.clone().into();
    if let Some(id) = patch.responsible_id {
        active.responsible_id = Set(responsible(db, caller.account_id, id).await?);
    }
    if let Some(incoming) = &patch.custom {
        let custom = custom_values(
            db,
            caller.account_id,
            Entity::Companies,
            &stored_custom(&company.custom)?,
            incoming,
        )
        .await?;
        active.custom = Set(json!(custom).to_string());
    }
    if let Some(name) = &patch.name {
        active.name = Set(name.clone());
        active.name_folded = Set(fold(name));
    }
    active.updated_by = Set(Some(caller.membership_id));
    active.updated_at = Set(Utc::now());
    view(active.update(db).await?)
}

/// Deletes the company and its tasks; its contacts and leads stay, without a company.
///
/// # Errors
/// 404, 403.
pub async fn delete(state: &AppState, member: &Member, id: Id) -> ApiResult<()> {
    let caller = Caller::of(&state.db, member).await?;
    let company = find(&state.db, &caller, id, Action::Delete).await?;
    let txn = state.db.begin().await?;
    tasks::delete_about(&txn, caller.account_id, Entity::Companies, company.id).await?;
    companies::Entity::delete_by_id(company.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
