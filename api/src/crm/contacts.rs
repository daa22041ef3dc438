//! Contacts (C2) under R1–R2.

use chrono::Utc;
use gatehouse_domain::{
    crm::{Contact, ContactPatch, CustomValues, NewContact, RecordQuery, Slice},
    rights::{Action, Entity},
    Id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Select, Set, TransactionTrait,
};
use serde_json::json;

use super::{
    csv, custom_values, export_rows, fold, from_json, name_contains, read_slice, responsible,
    responsible_only, stored_custom, tasks, Caller,
};
use crate::{
    auth::Member,
    entities::{companies, contacts},
    error::{ApiError, ApiResult},
    state::AppState,
};

fn view(contact: contacts::Model) -> ApiResult<Contact> {
    Ok(Contact {
        id: contact.id,
        phones: from_json(&contact.phones)?,
        emails: from_json(&contact.emails)?,
        custom: stored_custom(&contact.custom)?,
        name: contact.name,
        company_id: contact.company_id,
        responsible_id: contact.responsible_id,
        created_at: contact.created_at,
        updated_at: contact.updated_at,
    })
}

fn filtered(
    caller: &Caller,
    action: Action,
    query: &RecordQuery,
) -> Option<Select<contacts::Entity>> {
    let columns = responsible_only((contacts::Entity, contacts::Column::ResponsibleId));
    let rights = caller.condition(Entity::Contacts, action, &columns)?;
    let mut select = contacts::Entity::find()
        .filter(contacts::Column::AccountId.eq(caller.account_id))
        .filter(rights)
        .filter(name_contains(
            contacts::Column::NameFolded,
            query.query.as_deref(),
        ));
    if let Some(id) = query.responsible_id {
        select = select.filter(contacts::Column::ResponsibleId.eq(id));
    }
    if let Some(id) = query.company_id {
        select = select.filter(contacts::Column::CompanyId.eq(id));
    }
    Some(select.order_by_desc(contacts::Column::Id))
}

/// # Errors
/// Database errors.
pub async fn list(
    state: &AppState,
    member: &Member,
    query: RecordQuery,
) -> ApiResult<Slice<Contact>> {
    let caller = Caller::of(&state.db, member).await?;
    read_slice(
        &state.db,
        filtered(&caller, Action::View, &query),
        contacts::Column::Id,
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
    let contacts = rows.into_iter().map(view).collect::<ApiResult<Vec<_>>>()?;
    csv::write(
        &[
            "id",
            "name",
            "phones",
            "emails",
            "company_id",
            "responsible",
            "created_at",
        ],
        contacts.iter().map(|c| {
            vec![
                c.id.to_string(),
                c.name.clone(),
                c.phones.join(", "),
                c.emails.join(", "),
                c.company_id.map(|id| id.to_string()).unwrap_or_default(),
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
) -> ApiResult<contacts::Model> {
    let found = contacts::Entity::find_by_id(id)
        .filter(contacts::Column::AccountId.eq(caller.account_id))
        .one(db)
        .await?;
    caller
        .found(db, Entity::Contacts, found, |c| c.responsible_id, action)
        .await
}

/// # Errors
/// 404 for a contact the caller may not view.
pub async fn get(state: &AppState, member: &Member, id: Id) -> ApiResult<Contact> {
    let caller = Caller::of(&state.db, member).await?;
    view(find(&state.db, &caller, id, Action::View).await?)
}

async fn check_company(
    db: &impl ConnectionTrait,
    account_id: Id,
    company: Option<Id>,
) -> ApiResult<()> {
    let Some(id) = company else { return Ok(()) };
    let found = companies::Entity::find_by_id(id)
        .filter(companies::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    if found == 0 {
        return Err(ApiError::invalid(
            "company_id",
            "company_invalid",
            "there is no such company in this account",
        ));
    }
    Ok(())
}

/// # Errors
/// 403 without the add right; 422 for invalid fields.
pub async fn create(state: &AppState, member: &Member, input: NewContact) -> ApiResult<Contact> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    caller.ensure_add(Entity::Contacts)?;
    let input = input.validate().map_err(ApiError::Validation)?;
    let responsible_id = match input.responsible_id {
        Some(id) => responsible(db, caller.account_id, id).await?,
        None => caller.membership_id,
    };
    check_company(db, caller.account_id, input.company_id).await?;
    let custom = custom_values(
        db,
        caller.account_id,
        Entity::Contacts,
        &CustomValues::new(),
        &input.custom,
    )
    .await?;
    let now = Utc::now();
    let contact = contacts::ActiveModel {
        account_id: Set(caller.account_id),
        name_folded: Set(fold(&input.name)),
        name: Set(input.name),
        phones: Set(json!(input.phones).to_string()),
        emails: Set(json!(input.emails).to_string()),
        company_id: Set(input.company_id),
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
    view(contact)
}

/// # Errors
/// 404, 403; 422 for invalid fields.
pub async fn update(
    state: &AppState,
    member: &Member,
    id: Id,
    patch: ContactPatch,
) -> ApiResult<Contact> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    let contact = find(db, &caller, id, Action::Edit).await?;
    let patch = patch.validate().map_err(ApiError::Validation)?;
    let mut active: contacts::ActiveModel = contact.clone().into();
    if let Some(id) = patch.responsible_id {
        active.responsible_id = Set(responsible(db, caller.account_id, id).await?);
    }
    if let Some(company) = patch.company_id {
        check_company(db, caller.account_id, company).await?;
        active.company_id = Set(company);
    }
    if let Some(incoming) = &patch.custom {
        let custom = custom_values(
            db,
            caller.account_id,
            Entity::Contacts,
            &stored_custom(&contact.custom)?,
            incoming,
        )
        .await?;
        active.custom = Set(json!(custom).to_string());
    }
    if let Some(name) = &patch.name {
        active.name = Set(name.clone());
        active.name_folded = Set(fold(name));
    }
    if let Some(phones) = &patch.phones {
        active.phones = Set(json!(phones).to_string());
    }
    if let Some(emails) = &patch.emails {
        active.emails = Set(json!(emails).to_string());
    }
    active.updated_by = Set(Some(caller.membership_id));
    active.updated_at = Set(Utc::now());
    view(active.update(db).await?)
}

/// Deletes the contact and its tasks; leads keep going without it.
///
/// # Errors
/// 404, 403.
pub async fn delete(state: &AppState, member: &Member, id: Id) -> ApiResult<()> {
    let caller = Caller::of(&state.db, member).await?;
    let contact = find(&state.db, &caller, id, Action::Delete).await?;
    let txn = state.db.begin().await?;
    tasks::delete_about(&txn, caller.account_id, Entity::Contacts, contact.id).await?;
    contacts::Entity::delete_by_id(contact.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
