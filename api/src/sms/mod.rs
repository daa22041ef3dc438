//! SMS (K2): every message goes into the `sms_messages` table first. The outbox provider keeps
//! it there for administrators to read, so a fresh install works without a gateway; an HTTP
//! provider's messages are carried by the delivery worker, with timeouts and retries, and their
//! text (which holds a code) is dropped once the gateway has it.

pub mod delivery;
pub mod phone;
pub mod routes;
pub mod service;

use std::sync::Arc;

use chrono::Utc;
use gatehouse_domain::{
    sms::{SmsProviderKind, SmsPurpose, SmsStatus},
    Id,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use tokio::sync::Notify;

use crate::entities::{sms_messages, sms_providers};

/// Wakes the delivery worker when a message is queued, so it does not wait for its next round.
#[derive(Clone, Default)]
pub struct Courier {
    notify: Arc<Notify>,
}

impl Courier {
    /// Call after the transaction that queued messages has committed.
    pub fn wake(&self) {
        self.notify.notify_one();
    }

    /// Resolves at the next [`Courier::wake`] (or at once if one came since the last wait).
    pub async fn woken(&self) {
        self.notify.notified().await;
    }
}

/// Puts a message in the SMS log, in the caller's transaction: kept there by the outbox
/// provider, queued for the delivery worker by an HTTP one.
///
/// # Errors
/// Database errors only.
pub async fn queue(
    db: &impl ConnectionTrait,
    provider: &sms_providers::Model,
    to: &str,
    purpose: SmsPurpose,
    body: String,
) -> Result<Id, DbErr> {
    let now = Utc::now();
    let kind = SmsProviderKind::parse(&provider.kind).unwrap_or(SmsProviderKind::Outbox);
    let status = match kind {
        SmsProviderKind::Outbox => SmsStatus::Outbox,
        SmsProviderKind::Http => SmsStatus::Queued,
    };
    let row = sms_messages::ActiveModel {
        account_id: Set(provider.account_id),
        provider_id: Set(Some(provider.id)),
        provider_kind: Set(kind.as_str().to_owned()),
        to_phone: Set(to.to_owned()),
        body: Set(Some(body)),
        purpose: Set(purpose.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        attempts: Set(0),
        error: Set(None),
        next_attempt_at: Set((kind == SmsProviderKind::Http).then_some(now)),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}
