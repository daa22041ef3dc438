//! Reading the audit log (S2): filters, pages, actors and targets named.

use std::collections::HashMap;

use gatehouse_domain::{
    audit::{AuditEvent, AuditQuery, MemberRef},
    page::{Page, PageRequest},
    Id,
};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};

use crate::{
    auth::Member,
    entities::{audit_events, identities, memberships},
    error::ApiResult,
    state::AppState,
};

/// Newest first.
///
/// # Errors
/// 403 for non-administrators; database errors.
pub async fn list(
    state: &AppState,
    admin: &Member,
    query: AuditQuery,
) -> ApiResult<Page<AuditEvent>> {
    admin.require_admin()?;
    let db = &state.db;
    let page = PageRequest::new(query.page, query.per_page);
    let mut select =
        audit_events::Entity::find().filter(audit_events::Column::AccountId.eq(admin.account_id));
    if let Some(actor) = query.actor_id {
        select = select.filter(audit_events::Column::ActorMembershipId.eq(actor));
    }
    if let Some(target) = query.target_id {
        select = select.filter(audit_events::Column::TargetMembershipId.eq(target));
    }
    if let Some(action) = query
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        select = select.filter(audit_events::Column::Action.eq(action));
    }
    if let Some(from) = query.from {
        select = select.filter(audit_events::Column::At.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(audit_events::Column::At.lt(to));
    }
    let total = select.clone().count(db).await?;
    let events = select
        .order_by_desc(audit_events::Column::At)
        .order_by_desc(audit_events::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    let mut ids: Vec<Id> = events
        .iter()
        .flat_map(|e| [e.actor_membership_id, e.target_membership_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    // Names as they are now, from the account's own memberships only.
    let people: HashMap<Id, MemberRef> = memberships::Entity::find()
        .join(JoinType::InnerJoin, memberships::Relation::Identity.def())
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .filter(memberships::Column::Id.is_in(ids))
        .select_only()
        .column(memberships::Column::Id)
        .column(identities::Column::Name)
        .column(identities::Column::Email)
        .into_tuple::<(Id, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, email)| (id, MemberRef { id, name, email }))
        .collect();
    let items = events
        .into_iter()
        .map(|e| AuditEvent {
            id: e.id,
            at: e.at,
            actor: e
                .actor_membership_id
                .and_then(|id| people.get(&id).cloned()),
            action: e.action,
            target: e
                .target_membership_id
                .and_then(|id| people.get(&id).cloned()),
            details: serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
