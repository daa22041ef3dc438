//! The client's side of the chat (K5): on their own leads only, while the cabinet's chat is on.
//! Messages are the lead's chat events, read and written with [`crate::crm::chat`], which the
//! manager's side uses too.

use gatehouse_domain::{
    cabinet::{ChatInput, ChatMessage},
    problem::ErrorCode,
    Id,
};

use super::{client::Client, view::own_lead};
use crate::{
    crm::chat::{self, MessagesQuery},
    error::{ApiError, ApiResult},
    state::AppState,
};

fn ensure_chat(client: &Client) -> ApiResult<()> {
    if client.settings.chat_enabled {
        Ok(())
    } else {
        Err(ApiError::detailed(
            ErrorCode::Forbidden,
            "the chat is switched off in this cabinet",
        ))
    }
}

/// The lead's chat, with the long poll of [`chat::read_waiting`].
///
/// # Errors
/// 403 `forbidden` with the chat off; 404 for a lead that is not the client's.
pub async fn list(
    state: &AppState,
    client: &Client,
    lead_id: Id,
    query: &MessagesQuery,
) -> ApiResult<Vec<ChatMessage>> {
    ensure_chat(client)?;
    let lead = own_lead(&state.db, client, lead_id).await?;
    chat::read_waiting(&state.db, &[lead.id], query).await
}

/// The client writes to the manager: an incoming chat message on the lead.
///
/// # Errors
/// 403 with the chat off; 404; 422 `text_empty` or `text_too_long`.
pub async fn post(
    state: &AppState,
    client: &Client,
    lead_id: Id,
    input: ChatInput,
) -> ApiResult<ChatMessage> {
    ensure_chat(client)?;
    let lead = own_lead(&state.db, client, lead_id).await?;
    let text = chat::text_of(input)?;
    chat::write_from_client(&state.db, client.account_id(), lead.id, &text).await
}
