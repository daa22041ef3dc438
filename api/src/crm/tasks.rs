//! Tasks (C2) under R1: everyone sees the tasks they are responsible for and those they may
//! edit; a task about a record needs that record to be visible to its author.

use chrono::Utc;
use gatehouse_domain::{
    crm::{NewTask, Slice, Task, TaskLink, TaskPatch, TaskQuery},
    rights::{Action, Entity},
    Id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
    Set,
};

use super::{read_slice, responsible, responsible_only, Caller};
use crate::{
    auth::Member,
    entities::{companies, contacts, leads, tasks},
    error::{ApiError, ApiResult},
    state::AppState,
};

fn entity_of(code: &str) -> Option<Entity> {
    Entity::ALL.into_iter().find(|e| e.code() == code)
}

fn view(task: tasks::Model) -> Task {
    let link = match (
        task.entity_type.as_deref().and_then(entity_of),
        task.entity_id,
    ) {
        (Some(entity), Some(id)) => Some(TaskLink { entity, id }),
        _ => None,
    };
    Task {
        id: task.id,
        text: task.text,
        due_at: task.due_at,
        link,
        responsible_id: task.responsible_id,
        completed_at: task.completed_at,
        created_at: task.created_at,
        updated_at: task.updated_at,
    }
}

/// The account's tasks the caller may see, narrowed by the query's filters; `None` when the
/// rights admit none.
fn filtered(caller: &Caller, query: &TaskQuery) -> Option<Select<tasks::Entity>> {
    let columns = responsible_only((tasks::Entity, tasks::Column::ResponsibleId));
    let rights = caller.condition(Entity::Tasks, Action::View, &columns)?;
    let mut select = tasks::Entity::find()
        .filter(tasks::Column::AccountId.eq(caller.account_id))
        .filter(rights)
        .order_by_desc(tasks::Column::Id);
    if let Some(id) = query.responsible_id {
        select = select.filter(tasks::Column::ResponsibleId.eq(id));
    }
    match query.completed {
        Some(true) => select = select.filter(tasks::Column::CompletedAt.is_not_null()),
        Some(false) => select = select.filter(tasks::Column::CompletedAt.is_null()),
        None => {}
    }
    if let (Some(entity), Some(id)) = (query.entity, query.entity_id) {
        select = select
            .filter(tasks::Column::EntityType.eq(entity.code()))
            .filter(tasks::Column::EntityId.eq(id));
    }
    Some(select)
}

/// One slice of the tasks the caller may see, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(state: &AppState, member: &Member, query: TaskQuery) -> ApiResult<Slice<Task>> {
    let caller = Caller::of(&state.db, member).await?;
    read_slice(
        &state.db,
        filtered(&caller, &query),
        tasks::Column::Id,
        query.after,
        query.limit,
        |task| Ok(view(task)),
        |t| t.id,
    )
    .await
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Id,
    action: Action,
) -> ApiResult<tasks::Model> {
    let found = tasks::Entity::find_by_id(id)
        .filter(tasks::Column::AccountId.eq(caller.account_id))
        .one(db)
        .await?;
    caller
        .found(db, Entity::Tasks, found, |t| t.responsible_id, action)
        .await
}

/// # Errors
/// 404 for a task the caller may not see.
pub async fn get(state: &AppState, member: &Member, id: Id) -> ApiResult<Task> {
    let caller = Caller::of(&state.db, member).await?;
    Ok(view(find(&state.db, &caller, id, Action::View).await?))
}

/// The record a task is about must be one the caller sees.
async fn check_link(db: &impl ConnectionTrait, caller: &Caller, link: TaskLink) -> ApiResult<()> {
    let account = caller.account_id;
    let record = match link.entity {
        Entity::Leads => match leads::Entity::find_by_id(link.id)
            .filter(leads::Column::AccountId.eq(account))
            .one(db)
            .await?
        {
            Some(lead) => Some(
                caller
                    .facts(
                        db,
                        Entity::Leads,
                        lead.responsible_id,
                        Some(lead.stage_id),
                        Some(lead.id),
                    )
                    .await?,
            ),
            None => None,
        },
        Entity::Contacts => match contacts::Entity::find_by_id(link.id)
            .filter(contacts::Column::AccountId.eq(account))
            .one(db)
            .await?
        {
            Some(c) => Some(
                caller
                    .facts(db, Entity::Contacts, c.responsible_id, None, None)
                    .await?,
            ),
            None => None,
        },
        Entity::Companies => match companies::Entity::find_by_id(link.id)
            .filter(companies::Column::AccountId.eq(account))
            .one(db)
            .await?
        {
            Some(c) => Some(
                caller
                    .facts(db, Entity::Companies, c.responsible_id, None, None)
                    .await?,
            ),
            None => None,
        },
        Entity::Tasks => None,
    };
    match record {
        Some(record) if caller.ensure(Action::View, &record).is_ok() => Ok(()),
        _ => Err(ApiError::invalid(
            "link",
            "link_invalid",
            "there is no such record in this account",
        )),
    }
}

/// # Errors
/// 403 for free users; 422 for invalid fields, members or links.
pub async fn create(state: &AppState, member: &Member, input: NewTask) -> ApiResult<Task> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    caller.ensure_add(Entity::Tasks)?;
    let input = input.validate().map_err(ApiError::Validation)?;
    let responsible_id = match input.responsible_id {
        Some(id) => responsible(db, caller.account_id, id).await?,
        None => caller.membership_id,
    };
    if let Some(link) = input.link {
        check_link(db, &caller, link).await?;
    }
    let now = Utc::now();
    let task = tasks::ActiveModel {
        account_id: Set(caller.account_id),
        text: Set(input.text),
        due_at: Set(input.due_at),
        entity_type: Set(input.link.map(|l| l.entity.code().to_owned())),
        entity_id: Set(input.link.map(|l| l.id)),
        responsible_id: Set(responsible_id),
        completed_at: Set(None),
        custom: Set("{}".to_owned()),
        created_by: Set(Some(caller.membership_id)),
        updated_by: Set(Some(caller.membership_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(view(task))
}

/// Changes the text, due time or responsible member, or completes (reopens) the task.
///
/// # Errors
/// 404, 403; 422 for invalid fields.
pub async fn update(
    state: &AppState,
    member: &Member,
    id: Id,
    patch: TaskPatch,
) -> ApiResult<Task> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    let task = find(db, &caller, id, Action::Edit).await?;
    let patch = patch.validate().map_err(ApiError::Validation)?;
    let mut active: tasks::ActiveModel = task.clone().into();
    if let Some(id) = patch.responsible_id {
        active.responsible_id = Set(responsible(db, caller.account_id, id).await?);
    }
    if let Some(text) = patch.text {
        active.text = Set(text);
    }
    if let Some(due_at) = patch.due_at {
        active.due_at = Set(due_at);
    }
    match (patch.completed, task.completed_at) {
        (Some(true), None) => active.completed_at = Set(Some(Utc::now())),
        (Some(false), Some(_)) => active.completed_at = Set(None),
        _ => {}
    }
    active.updated_by = Set(Some(caller.membership_id));
    active.updated_at = Set(Utc::now());
    Ok(view(active.update(db).await?))
}

/// # Errors
/// 404, 403.
pub async fn delete(state: &AppState, member: &Member, id: Id) -> ApiResult<()> {
    let caller = Caller::of(&state.db, member).await?;
    let task = find(&state.db, &caller, id, Action::Delete).await?;
    tasks::Entity::delete_by_id(task.id).exec(&state.db).await?;
    Ok(())
}

/// Deletes the tasks about a record that is being deleted, in its transaction.
///
/// # Errors
/// Database errors.
pub async fn delete_about(
    db: &impl ConnectionTrait,
    account_id: Id,
    entity: Entity,
    id: Id,
) -> ApiResult<()> {
    tasks::Entity::delete_many()
        .filter(tasks::Column::AccountId.eq(account_id))
        .filter(tasks::Column::EntityType.eq(entity.code()))
        .filter(tasks::Column::EntityId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
