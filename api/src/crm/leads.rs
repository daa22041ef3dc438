//! Leads (C2) under R1–R3: the list and the board filtered in SQL, the card, writes that record
//! stage and responsible changes on the timeline, and CSV export under the export right.

use std::collections::HashMap;

use chrono::Utc;
use gatehouse_domain::{
    crm::{
        self, fields::apply_values, EventKind, Lead, LeadPatch, LeadQuery, LeadSummary,
        LeadTotalsQuery, NewLead, Slice, StageTotal,
    },
    rights::{Action, Entity, Record},
    Id,
};
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, Query},
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Set, TransactionTrait,
};
use serde_json::json;

use super::{
    csv, events, export_rows, fields, fold, name_contains, responsible, stored_custom, Caller,
};
use crate::{
    auth::Member,
    entities::{
        companies, contacts, lead_contacts, lead_participants, leads, memberships, pipelines,
        stages,
    },
    error::{ApiError, ApiResult},
    rights::sql::RecordColumns,
    state::AppState,
};

/// Where leads keep what the rights look at.
pub fn columns() -> RecordColumns {
    RecordColumns {
        responsible: Expr::col((leads::Entity, leads::Column::ResponsibleId)),
        stage: Some(Expr::col((leads::Entity, leads::Column::StageId))),
        participant: Some(|me| {
            Expr::col((leads::Entity, leads::Column::Id)).in_subquery(
                Query::select()
                    .column(lead_participants::Column::LeadId)
                    .from(lead_participants::Entity)
                    .and_where(Expr::col(lead_participants::Column::MembershipId).eq(me))
                    .to_owned(),
            )
        }),
    }
}

fn summary(lead: &leads::Model) -> LeadSummary {
    LeadSummary {
        id: lead.id,
        name: lead.name.clone(),
        price: lead.price,
        pipeline_id: lead.pipeline_id,
        stage_id: lead.stage_id,
        responsible_id: lead.responsible_id,
        company_id: lead.company_id,
        updated_at: lead.updated_at,
    }
}

/// The account's leads the caller may do `action` to, narrowed by the query's filters; `None`
/// when the rights admit none.
fn filtered(caller: &Caller, action: Action, query: &LeadQuery) -> Option<Select<leads::Entity>> {
    let rights = caller.condition(Entity::Leads, action, &columns())?;
    let mut select = leads::Entity::find()
        .filter(leads::Column::AccountId.eq(caller.account_id))
        .filter(rights)
        .filter(name_contains(
            leads::Column::NameFolded,
            query.query.as_deref(),
        ));
    if let Some(id) = query.pipeline_id {
        select = select.filter(leads::Column::PipelineId.eq(id));
    }
    if let Some(id) = query.stage_id {
        select = select.filter(leads::Column::StageId.eq(id));
    }
    if let Some(id) = query.responsible_id {
        select = select.filter(leads::Column::ResponsibleId.eq(id));
    }
    Some(select.order_by_desc(leads::Column::Id))
}

/// One slice of the leads the caller may view, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    state: &AppState,
    member: &Member,
    query: LeadQuery,
) -> ApiResult<Slice<LeadSummary>> {
    let caller = Caller::of(&state.db, member).await?;
    let Some(mut select) = filtered(&caller, Action::View, &query) else {
        return Ok(Slice {
            items: Vec::new(),
            next_after: None,
        });
    };
    let limit = crm::limit(query.limit);
    if let Some(after) = query.after {
        select = select.filter(leads::Column::Id.lt(after));
    }
    // Only what a row shows: custom values and authorship stay in the database until the card
    // is opened (at 10^6 leads the list is read far more often than any card).
    let rows: Vec<SummaryColumns> = select
        .select_only()
        .columns([
            leads::Column::Id,
            leads::Column::Name,
            leads::Column::Price,
            leads::Column::PipelineId,
            leads::Column::StageId,
            leads::Column::ResponsibleId,
            leads::Column::CompanyId,
            leads::Column::UpdatedAt,
        ])
        .limit(limit + 1)
        .into_tuple()
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(
            |(id, name, price, pipeline_id, stage_id, responsible_id, company_id, updated_at)| {
                LeadSummary {
                    id,
                    name,
                    price,
                    pipeline_id,
                    stage_id,
                    responsible_id,
                    company_id,
                    updated_at,
                }
            },
        )
        .collect();
    Ok(super::slice(items, limit, |l| l.id))
}

/// A list row's columns, as [`list`] reads them.
type SummaryColumns = (
    Id,
    String,
    i64,
    Id,
    Id,
    Id,
    Option<Id>,
    chrono::DateTime<Utc>,
);

/// The leads the caller may view, counted and their prices summed per stage (the board's
/// column headers), filtered in the database like the list.
///
/// # Errors
/// Database errors.
pub async fn totals(
    state: &AppState,
    member: &Member,
    query: LeadTotalsQuery,
) -> ApiResult<Vec<StageTotal>> {
    let caller = Caller::of(&state.db, member).await?;
    let query = LeadQuery {
        pipeline_id: query.pipeline_id,
        responsible_id: query.responsible_id,
        query: query.query,
        ..LeadQuery::default()
    };
    let Some(mut select) = filtered(&caller, Action::View, &query) else {
        return Ok(Vec::new());
    };
    // Grouped rows have no id to order by.
    QueryTrait::query(&mut select).clear_order_by();
    // Summed as floating point: an integer sum may overflow (10^4 leads at the highest price),
    // which SQLite reports as an error; below 2^53 the sum is still exact.
    let price = Expr::col((leads::Entity, leads::Column::Price))
        .cast_as(Alias::new("DOUBLE PRECISION"))
        .sum();
    let rows: Vec<(Id, i64, Option<f64>)> = select
        .select_only()
        .column(leads::Column::StageId)
        .column_as(
            Expr::col((leads::Entity, leads::Column::Id)).count(),
            "leads",
        )
        .column_as(price, "price")
        .group_by(leads::Column::StageId)
        .order_by_asc(leads::Column::StageId)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(stage_id, leads, price)| StageTotal {
            stage_id,
            leads: u64::try_from(leads).unwrap_or_default(),
            price: whole(price.unwrap_or_default()),
        })
        .collect())
}

/// A sum of prices as a whole number, at most `i64::MAX` (prices are never negative).
fn whole(sum: f64) -> i64 {
    // 2^63 as a float; anything from there on saturates.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if sum >= LIMIT {
        i64::MAX
    } else {
        // Below the limit and not negative: the conversion is exact for whole numbers.
        #[allow(clippy::cast_possible_truncation)]
        let whole = sum.max(0.0).round() as i64;
        whole
    }
}

/// The leads the caller may export, as CSV with names rather than ids.
///
/// # Errors
/// Database errors.
pub async fn export(state: &AppState, member: &Member, query: LeadQuery) -> ApiResult<Vec<u8>> {
    let caller = Caller::of(&state.db, member).await?;
    let rows = export_rows(&state.db, filtered(&caller, Action::Export, &query)).await?;
    let pipeline_names: HashMap<Id, String> = pipelines::Entity::find()
        .filter(pipelines::Column::AccountId.eq(caller.account_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let stage_names: HashMap<Id, (String, String)> = stages::Entity::find()
        .filter(stages::Column::AccountId.eq(caller.account_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| {
            let pipeline = pipeline_names
                .get(&s.pipeline_id)
                .cloned()
                .unwrap_or_default();
            (s.id, (pipeline, s.name))
        })
        .collect();
    let names = super::member_names(&state.db, caller.account_id).await?;
    let none = (String::new(), String::new());
    csv::write(
        &[
            "id",
            "name",
            "price",
            "pipeline",
            "stage",
            "responsible",
            "created_at",
            "updated_at",
        ],
        rows.iter().map(|l| {
            let (pipeline, stage) = stage_names.get(&l.stage_id).unwrap_or(&none);
            vec![
                l.id.to_string(),
                l.name.clone(),
                l.price.to_string(),
                pipeline.clone(),
                stage.clone(),
                names.get(&l.responsible_id).cloned().unwrap_or_default(),
                l.created_at.to_rfc3339(),
                l.updated_at.to_rfc3339(),
            ]
        }),
    )
}

/// The lead, if it is in the caller's account and they may do `action` to it.
async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Id,
    action: Action,
) -> ApiResult<leads::Model> {
    let lead = leads::Entity::find_by_id(id)
        .filter(leads::Column::AccountId.eq(caller.account_id))
        .one(db)
        .await?
        .ok_or(ApiError::Code(
            gatehouse_domain::problem::ErrorCode::NotFound,
        ))?;
    let record = facts(db, caller, &lead).await?;
    caller.ensure(action, &record)?;
    Ok(lead)
}

async fn facts(
    db: &impl ConnectionTrait,
    caller: &Caller,
    lead: &leads::Model,
) -> ApiResult<Record> {
    caller
        .facts(
            db,
            Entity::Leads,
            lead.responsible_id,
            Some(lead.stage_id),
            Some(lead.id),
        )
        .await
}

/// # Errors
/// 404 for a lead the caller may not view.
pub async fn get(state: &AppState, member: &Member, id: Id) -> ApiResult<Lead> {
    let caller = Caller::of(&state.db, member).await?;
    let lead = find(&state.db, &caller, id, Action::View).await?;
    card(&state.db, lead).await
}

async fn card(db: &impl ConnectionTrait, lead: leads::Model) -> ApiResult<Lead> {
    let contact_ids = lead_contacts::Entity::find()
        .filter(lead_contacts::Column::LeadId.eq(lead.id))
        .order_by_asc(lead_contacts::Column::ContactId)
        .select_only()
        .column(lead_contacts::Column::ContactId)
        .into_tuple::<Id>()
        .all(db)
        .await?;
    let participant_ids = lead_participants::Entity::find()
        .filter(lead_participants::Column::LeadId.eq(lead.id))
        .order_by_asc(lead_participants::Column::MembershipId)
        .select_only()
        .column(lead_participants::Column::MembershipId)
        .into_tuple::<Id>()
        .all(db)
        .await?;
    Ok(Lead {
        summary: summary(&lead),
        contact_ids,
        participant_ids,
        custom: stored_custom(&lead.custom)?,
        created_by: lead.created_by,
        updated_by: lead.updated_by,
        created_at: lead.created_at,
    })
}

/// The stage a lead goes to: one of the account's, or the default pipeline's first.
async fn stage(
    db: &impl ConnectionTrait,
    account_id: Id,
    id: Option<Id>,
) -> ApiResult<stages::Model> {
    let mut select = stages::Entity::find().filter(stages::Column::AccountId.eq(account_id));
    select = match id {
        Some(id) => select.filter(stages::Column::Id.eq(id)),
        None => select
            .filter(
                stages::Column::PipelineId.in_subquery(
                    Query::select()
                        .column(pipelines::Column::Id)
                        .from(pipelines::Entity)
                        .and_where(Expr::col(pipelines::Column::AccountId).eq(account_id))
                        .and_where(Expr::col(pipelines::Column::IsDefault).eq(true))
                        .to_owned(),
                ),
            )
            .filter(stages::Column::Kind.eq("open"))
            .order_by_asc(stages::Column::Sort)
            .order_by_asc(stages::Column::Id),
    };
    select.one(db).await?.ok_or_else(|| {
        ApiError::invalid(
            "stage_id",
            "stage_invalid",
            "there is no such stage in this account",
        )
    })
}

/// Ids that must all name rows of the account: companies, contacts, free participants.
async fn check_links(
    db: &impl ConnectionTrait,
    account_id: Id,
    company: Option<Id>,
    contact_ids: &[Id],
    participant_ids: &[Id],
) -> ApiResult<()> {
    if let Some(id) = company {
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
    }
    if !contact_ids.is_empty() {
        let found = contacts::Entity::find()
            .filter(contacts::Column::AccountId.eq(account_id))
            .filter(contacts::Column::Id.is_in(contact_ids.to_vec()))
            .count(db)
            .await?;
        if found != contact_ids.len() as u64 {
            return Err(ApiError::invalid(
                "contact_ids",
                "contact_invalid",
                "a contact is not in this account",
            ));
        }
    }
    if !participant_ids.is_empty() {
        let found = memberships::Entity::find()
            .filter(memberships::Column::AccountId.eq(account_id))
            .filter(memberships::Column::IsFree.eq(true))
            .filter(memberships::Column::Id.is_in(participant_ids.to_vec()))
            .count(db)
            .await?;
        if found != participant_ids.len() as u64 {
            return Err(ApiError::invalid(
                "participant_ids",
                "participant_invalid",
                "participants are free users of this account",
            ));
        }
    }
    Ok(())
}

async fn replace_links(
    db: &impl ConnectionTrait,
    lead_id: Id,
    contact_ids: Option<&[Id]>,
    participant_ids: Option<&[Id]>,
) -> ApiResult<()> {
    if let Some(ids) = contact_ids {
        lead_contacts::Entity::delete_many()
            .filter(lead_contacts::Column::LeadId.eq(lead_id))
            .exec(db)
            .await?;
        if !ids.is_empty() {
            lead_contacts::Entity::insert_many(ids.iter().map(|&contact_id| {
                lead_contacts::ActiveModel {
                    lead_id: Set(lead_id),
                    contact_id: Set(contact_id),
                }
            }))
            .exec_without_returning(db)
            .await?;
        }
    }
    if let Some(ids) = participant_ids {
        lead_participants::Entity::delete_many()
            .filter(lead_participants::Column::LeadId.eq(lead_id))
            .exec(db)
            .await?;
        if !ids.is_empty() {
            lead_participants::Entity::insert_many(ids.iter().map(|&membership_id| {
                lead_participants::ActiveModel {
                    lead_id: Set(lead_id),
                    membership_id: Set(membership_id),
                }
            }))
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}

/// The caller may edit leads in the stage (R3): as if the lead were their own there.
fn ensure_stage(
    caller: &Caller,
    stage_id: Id,
    responsible_id: Id,
    responsible_group_id: Option<Id>,
) -> ApiResult<()> {
    let record = Record {
        entity: Entity::Leads,
        responsible_id,
        responsible_group_id,
        stage_id: Some(stage_id),
        participant: false,
    };
    let own = Record {
        responsible_id: caller.membership_id,
        responsible_group_id: caller.subject.group_id,
        ..record
    };
    if gatehouse_domain::rights::allows(&caller.subject, Action::Edit, &own)
        || gatehouse_domain::rights::allows(&caller.subject, Action::Edit, &record)
    {
        Ok(())
    } else {
        Err(ApiError::detailed(
            gatehouse_domain::problem::ErrorCode::Forbidden,
            "your rights do not let you put leads in this stage",
        ))
    }
}

/// # Errors
/// 403 without the add right or the stage's edit right; 422 for invalid fields, stages,
/// members, companies, contacts or custom values.
pub async fn create(state: &AppState, member: &Member, input: NewLead) -> ApiResult<Lead> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    caller.ensure_add(Entity::Leads)?;
    let input = input.validate().map_err(ApiError::Validation)?;
    let stage = stage(db, caller.account_id, input.stage_id).await?;
    let responsible_id = match input.responsible_id {
        Some(id) => responsible(db, caller.account_id, id).await?,
        None => caller.membership_id,
    };
    ensure_stage(&caller, stage.id, responsible_id, None)?;
    check_links(
        db,
        caller.account_id,
        input.company_id,
        &input.contact_ids,
        &input.participant_ids,
    )
    .await?;
    let custom_fields = fields::list(db, caller.account_id, Some(Entity::Leads)).await?;
    let custom = apply_values(
        &custom_fields,
        Entity::Leads,
        &crm::CustomValues::new(),
        &input.custom,
    )
    .map_err(ApiError::Validation)?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let lead = leads::ActiveModel {
        account_id: Set(caller.account_id),
        name_folded: Set(fold(&input.name)),
        name: Set(input.name),
        price: Set(input.price),
        pipeline_id: Set(stage.pipeline_id),
        stage_id: Set(stage.id),
        responsible_id: Set(responsible_id),
        company_id: Set(input.company_id),
        custom: Set(json!(custom).to_string()),
        created_by: Set(Some(caller.membership_id)),
        updated_by: Set(Some(caller.membership_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    replace_links(
        &txn,
        lead.id,
        Some(&input.contact_ids),
        Some(&input.participant_ids),
    )
    .await?;
    txn.commit().await?;
    card(db, lead).await
}

/// Changes what the patch names. A new stage or responsible member is written on the lead's
/// timeline in the same transaction.
///
/// # Errors
/// 404, 403 (the edit right, or the target stage's); 422 as for creating.
pub async fn update(
    state: &AppState,
    member: &Member,
    id: Id,
    patch: LeadPatch,
) -> ApiResult<Lead> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    let lead = find(db, &caller, id, Action::Edit).await?;
    let patch = patch.validate().map_err(ApiError::Validation)?;
    let new_stage = match patch.stage_id {
        Some(stage_id) if stage_id != lead.stage_id => {
            let stage = stage(db, caller.account_id, Some(stage_id)).await?;
            let record = facts(db, &caller, &lead).await?;
            ensure_stage(
                &caller,
                stage.id,
                lead.responsible_id,
                record.responsible_group_id,
            )?;
            Some(stage)
        }
        _ => None,
    };
    let new_responsible = match patch.responsible_id {
        Some(id) if id != lead.responsible_id => {
            Some(responsible(db, caller.account_id, id).await?)
        }
        _ => None,
    };
    check_links(
        db,
        caller.account_id,
        patch.company_id.flatten(),
        patch.contact_ids.as_deref().unwrap_or_default(),
        patch.participant_ids.as_deref().unwrap_or_default(),
    )
    .await?;
    let custom = match &patch.custom {
        Some(incoming) => {
            let custom_fields = fields::list(db, caller.account_id, Some(Entity::Leads)).await?;
            Some(
                apply_values(
                    &custom_fields,
                    Entity::Leads,
                    &stored_custom(&lead.custom)?,
                    incoming,
                )
                .map_err(ApiError::Validation)?,
            )
        }
        None => None,
    };

    let author = super::author_name(db, caller.membership_id).await?;
    let txn = db.begin().await?;
    let mut active: leads::ActiveModel = lead.clone().into();
    if let Some(name) = &patch.name {
        active.name = Set(name.clone());
        active.name_folded = Set(fold(name));
    }
    if let Some(price) = patch.price {
        active.price = Set(price);
    }
    if let Some(stage) = &new_stage {
        active.stage_id = Set(stage.id);
        active.pipeline_id = Set(stage.pipeline_id);
        events::write(
            &txn,
            &caller,
            lead.id,
            EventKind::StageChanged,
            json!({ "from": lead.stage_id, "to": stage.id }),
            author.as_deref(),
        )
        .await?;
    }
    if let Some(to) = new_responsible {
        active.responsible_id = Set(to);
        events::write(
            &txn,
            &caller,
            lead.id,
            EventKind::ResponsibleChanged,
            json!({ "from": lead.responsible_id, "to": to }),
            author.as_deref(),
        )
        .await?;
    }
    if let Some(company) = patch.company_id {
        active.company_id = Set(company);
    }
    if let Some(custom) = custom {
        active.custom = Set(json!(custom).to_string());
    }
    active.updated_by = Set(Some(caller.membership_id));
    active.updated_at = Set(Utc::now());
    let lead = active.update(&txn).await?;
    replace_links(
        &txn,
        lead.id,
        patch.contact_ids.as_deref(),
        patch.participant_ids.as_deref(),
    )
    .await?;
    txn.commit().await?;
    card(db, lead).await
}

/// Deletes the lead with its links, timeline and tasks.
///
/// # Errors
/// 404, 403.
pub async fn delete(state: &AppState, member: &Member, id: Id) -> ApiResult<()> {
    let db = &state.db;
    let caller = Caller::of(db, member).await?;
    let lead = find(db, &caller, id, Action::Delete).await?;
    let txn = db.begin().await?;
    super::tasks::delete_about(&txn, caller.account_id, Entity::Leads, lead.id).await?;
    leads::Entity::delete_by_id(lead.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The lead, found for the timeline: viewing it is enough to read, editing it to post.
///
/// # Errors
/// 404, 403.
pub async fn for_timeline(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Id,
    action: Action,
) -> ApiResult<leads::Model> {
    find(db, caller, id, action).await
}
