//! The chat between a client in the cabinet and the lead's manager (K5): chat messages are
//! timeline events of the lead — incoming from the client, outgoing from the manager — so
//! both sides read them through one function, and "new messages appear without reloading"
//! by a long poll on the database (no sticky instances, no socket hub).

use std::time::Duration;

use chrono::Utc;
use gatehouse_domain::{
    cabinet::{ChatInput, ChatMessage, MESSAGE_MAX},
    crm::EventKind,
    rights::Action,
    Id,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::IntoParams;

use super::{events, leads, Caller};
use crate::{
    auth::Member,
    entities::lead_events,
    error::{ApiError, ApiResult},
    state::AppState,
};

/// The longest a reader may wait for a new message, in seconds: below the usual 30 s idle
/// timeouts of proxies in front of Gatehouse.
pub const MAX_WAIT_SECONDS: u64 = 25;
/// The most messages one read returns; a reader that is behind asks again after the last.
pub const MAX_MESSAGES: u64 = 200;
/// How often a waiting reader looks for new messages.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// `?after=&wait=` of both sides' message reads.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MessagesQuery {
    /// Only messages with a greater id (the last one the reader has); without it, the latest
    /// messages.
    pub after: Option<Id>,
    /// Seconds (0 to 25) to wait for a message when none is new yet; 0 answers at once.
    pub wait: Option<u64>,
}

const CHAT_KINDS: [&str; 2] = [
    EventKind::IncomingChatMessage.code(),
    EventKind::OutgoingChatMessage.code(),
];

/// A chat message as both sides read it.
#[must_use]
pub fn message(event: &lead_events::Model) -> ChatMessage {
    let from_client = event.kind == EventKind::IncomingChatMessage.code();
    let text = serde_json::from_str::<Value>(&event.payload)
        .ok()
        .and_then(|p| p.get("text").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    ChatMessage {
        id: event.id,
        from_client,
        text,
        author_name: if from_client {
            None
        } else {
            event.author_name.clone()
        },
        created_at: event.created_at,
    }
}

/// The text of a message as it is kept: trimmed, 1 to [`MESSAGE_MAX`] characters.
///
/// # Errors
/// 422 on `text`: `text_empty` or `text_too_long`.
pub fn text_of(input: ChatInput) -> ApiResult<String> {
    let text = input.text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid("text", "text_empty", "write a message"));
    }
    if text.chars().count() > MESSAGE_MAX {
        return Err(ApiError::invalid(
            "text",
            "text_too_long",
            &format!("at most {MESSAGE_MAX} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// The chat messages of some leads (the caller has checked they may read them), in id order:
/// after `after` (the oldest first), or the latest ones without it.
///
/// # Errors
/// Database errors.
pub async fn read(
    db: &impl ConnectionTrait,
    lead_ids: &[Id],
    after: Option<Id>,
) -> ApiResult<Vec<ChatMessage>> {
    if lead_ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = lead_events::Entity::find()
        .filter(lead_events::Column::LeadId.is_in(lead_ids.to_vec()))
        .filter(lead_events::Column::Kind.is_in(CHAT_KINDS))
        .limit(MAX_MESSAGES);
    let rows = match after {
        Some(after) => {
            select
                .filter(lead_events::Column::Id.gt(after))
                .order_by_asc(lead_events::Column::Id)
                .all(db)
                .await?
        }
        None => {
            let mut latest = select
                .order_by_desc(lead_events::Column::Id)
                .all(db)
                .await?;
            latest.reverse();
            latest
        }
    };
    Ok(rows.iter().map(message).collect())
}

/// [`read`], waiting up to `wait` seconds (at most [`MAX_WAIT_SECONDS`]) while nothing is new:
/// the database is asked about once a second, so a message written through any instance
/// reaches the reader within a second.
///
/// # Errors
/// Database errors.
pub async fn read_waiting(
    db: &impl ConnectionTrait,
    lead_ids: &[Id],
    query: &MessagesQuery,
) -> ApiResult<Vec<ChatMessage>> {
    let wait = Duration::from_secs(query.wait.unwrap_or(0).min(MAX_WAIT_SECONDS));
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let messages = read(db, lead_ids, query.after).await?;
        let now = tokio::time::Instant::now();
        if !messages.is_empty() || now >= deadline {
            return Ok(messages);
        }
        tokio::time::sleep(POLL_EVERY.min(deadline - now)).await;
    }
}

/// Writes a message on the lead's timeline: the client's as an incoming chat message marked
/// as from the cabinet, the manager's as an outgoing one under their name.
///
/// # Errors
/// Database errors.
pub async fn write_from_client(
    db: &impl ConnectionTrait,
    account_id: Id,
    lead_id: Id,
    text: &str,
) -> ApiResult<ChatMessage> {
    let event = lead_events::ActiveModel {
        account_id: sea_orm::Set(account_id),
        lead_id: sea_orm::Set(lead_id),
        kind: sea_orm::Set(EventKind::IncomingChatMessage.code().to_owned()),
        payload: sea_orm::Set(json!({ "text": text, "source": "cabinet" }).to_string()),
        // The client is no member; their name is not copied into history, so erasing the
        // contact leaves nothing of them behind here.
        author_id: sea_orm::Set(None),
        author_name: sea_orm::Set(None),
        job_id: sea_orm::Set(None),
        created_at: sea_orm::Set(Utc::now()),
        ..Default::default()
    };
    let event = lead_events::Entity::insert(event)
        .exec_with_returning(db)
        .await?;
    Ok(message(&event))
}

/// The manager's side: the lead's chat (the view right on the lead), with the same long poll.
///
/// # Errors
/// 404 for a lead the member may not view.
pub async fn list(
    state: &AppState,
    member: &Member,
    lead_id: Id,
    query: &MessagesQuery,
) -> ApiResult<Vec<ChatMessage>> {
    let caller = Caller::of(&state.db, member).await?;
    leads::for_timeline(&state.db, &caller, lead_id, Action::View).await?;
    read_waiting(&state.db, &[lead_id], query).await
}

/// The manager answers the client (the edit right on the lead): an outgoing chat message
/// under the member's name.
///
/// # Errors
/// 404, 403 without the edit right; 422 for an empty or too long text.
pub async fn answer(
    state: &AppState,
    member: &Member,
    lead_id: Id,
    input: ChatInput,
) -> ApiResult<ChatMessage> {
    let caller = Caller::of(&state.db, member).await?;
    leads::for_timeline(&state.db, &caller, lead_id, Action::Edit).await?;
    let text = text_of(input)?;
    let author = super::author_name(&state.db, caller.membership_id).await?;
    let event = events::write(
        &state.db,
        &caller,
        lead_id,
        EventKind::OutgoingChatMessage,
        json!({ "text": text }),
        author.as_deref(),
    )
    .await?;
    Ok(message(&event))
}
