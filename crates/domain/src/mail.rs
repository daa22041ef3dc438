//! The mail outbox (P5): every message Gatehouse sends. Without an SMTP server configured the
//! messages stay here for administrators to read, so a fresh install works without mail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Id;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// No SMTP server is configured: the message is only in the outbox.
    Outbox,
    /// Waiting for the SMTP server (or for another try).
    Queued,
    Sent,
    /// The SMTP server refused it after every try; `error` says why.
    Failed,
}

impl MailStatus {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Outbox => "outbox",
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Outbox, Self::Queued, Self::Sent, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// One message of `GET /api/v1/outbox`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: Id,
    pub created_at: DateTime<Utc>,
    pub to: String,
    pub subject: String,
    /// The text. Kept only while the message is in the outbox: once an SMTP server has it,
    /// the text (which may hold a single-use link) is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub status: MailStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
