//! Lead timelines (C4): events Gatehouse writes as leads change, and those integrations post.

use chrono::Utc;
use gatehouse_domain::{
    crm::{self, EventInput, EventKind, LeadEvent, Slice},
    rights::Action,
    Id,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;

use super::{from_json, leads, slice, Caller};
use crate::{
    auth::Member,
    entities::lead_events,
    error::{ApiError, ApiResult},
    state::AppState,
};

/// Writes one event in the caller's transaction.
///
/// # Errors
/// Database errors.
pub async fn write(
    db: &impl ConnectionTrait,
    caller: &Caller,
    lead_id: Id,
    kind: EventKind,
    payload: Value,
    author_name: Option<&str>,
) -> ApiResult<lead_events::Model> {
    let event = lead_events::ActiveModel {
        account_id: Set(caller.account_id),
        lead_id: Set(lead_id),
        kind: Set(kind.code().to_owned()),
        payload: Set(payload.to_string()),
        author_id: Set(Some(caller.membership_id)),
        author_name: Set(author_name.map(str::to_owned)),
        job_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    Ok(lead_events::Entity::insert(event)
        .exec_with_returning(db)
        .await?)
}

fn view(event: lead_events::Model) -> ApiResult<LeadEvent> {
    Ok(LeadEvent {
        id: event.id,
        lead_id: event.lead_id,
        kind: EventKind::from_code(&event.kind)
            .ok_or_else(|| ApiError::internal("unknown event kind"))?,
        payload: from_json(&event.payload)?,
        author_id: event.author_id,
        author_name: event.author_name,
        created_at: event.created_at,
    })
}

/// The lead's timeline, newest first.
///
/// # Errors
/// 404 for a lead the caller may not view.
pub async fn list(
    state: &AppState,
    member: &Member,
    lead_id: Id,
    after: Option<Id>,
    limit: Option<u64>,
) -> ApiResult<Slice<LeadEvent>> {
    let caller = Caller::of(&state.db, member).await?;
    leads::for_timeline(&state.db, &caller, lead_id, Action::View).await?;
    let limit = crm::limit(limit);
    let mut select = lead_events::Entity::find()
        .filter(lead_events::Column::LeadId.eq(lead_id))
        .order_by_desc(lead_events::Column::Id);
    if let Some(after) = after {
        select = select.filter(lead_events::Column::Id.lt(after));
    }
    let rows = select.limit(limit + 1).all(&state.db).await?;
    let events = rows.into_iter().map(view).collect::<ApiResult<Vec<_>>>()?;
    Ok(slice(events, limit, |e| e.id))
}

/// Records a call, chat message, SMS or e-mail on the lead's timeline.
///
/// # Errors
/// 404; 403 without the edit right on the lead; 422 for a reserved kind or a bad payload.
pub async fn post(
    state: &AppState,
    member: &Member,
    lead_id: Id,
    input: EventInput,
) -> ApiResult<LeadEvent> {
    let caller = Caller::of(&state.db, member).await?;
    leads::for_timeline(&state.db, &caller, lead_id, Action::Edit).await?;
    input.validate().map_err(ApiError::Validation)?;
    let payload = if input.payload.is_null() {
        Value::Object(serde_json::Map::new())
    } else {
        input.payload
    };
    let author = super::author_name(&state.db, caller.membership_id).await?;
    view(
        write(
            &state.db,
            &caller,
            lead_id,
            input.kind,
            payload,
            author.as_deref(),
        )
        .await?,
    )
}
