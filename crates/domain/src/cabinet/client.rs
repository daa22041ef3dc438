//! The cabinet as its clients use it (K3–K6): the sign-in page, the SMS code, the session, the
//! client's leads with what the administrator chose to show, the chat and the erasure of the
//! client's personal data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{crm::EventKind, people::Language, Id};

/// A sign-in code's life and the limits on sending them (K3; OWASP ASVS 2.7).
pub const CODE_DIGITS: usize = 6;
pub const CODE_TTL_SECONDS: i64 = 5 * 60;
/// Wrong entries after which a code is void.
pub const CODE_MAX_WRONG: i32 = 5;
/// Seconds between two sends to one phone; a resend replaces the code.
pub const RESEND_SECONDS: i64 = 30;
pub const SENDS_PER_PHONE_15_MIN: u64 = 3;
pub const SENDS_PER_PHONE_DAY: u64 = 10;
pub const SENDS_PER_IP_HOUR: u64 = 20;
/// A cabinet session ends after this long without use, and after the absolute lifetime.
pub const SESSION_IDLE_SECONDS: i64 = 7 * 24 * 3600;
pub const SESSION_ABSOLUTE_SECONDS: i64 = 30 * 24 * 3600;
/// The longest chat message.
pub const MESSAGE_MAX: usize = 4000;

/// `GET /api/v1/cabinet/{account}`: what the sign-in page shows, before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetAppearance {
    pub account_id: Id,
    pub account_name: String,
    pub language: Language,
    pub header_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    pub chat_enabled: bool,
    pub deletion_enabled: bool,
}

/// `POST /api/v1/cabinet/{account}/codes`: send a sign-in code to this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub phone: String,
}

/// The answer to a code request — the same whether or not the phone belongs to a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// The phone as understood (E.164), to show back.
    pub phone: String,
    pub expires_in_seconds: i64,
    /// When another code may be asked for.
    pub resend_after_seconds: i64,
}

/// `POST /api/v1/cabinet/{account}/sessions`: sign in with the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CabinetSignIn {
    pub phone: String,
    pub code: String,
}

/// A cabinet session: the bearer token of the cabinet's endpoints, and of nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A field of a lead under its cabinet alias, formatted for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetFieldValue {
    pub alias: String,
    pub value: String,
}

/// One of the client's leads, as the administrator chose to show it (K4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetLead {
    pub id: Id,
    /// The stage's cabinet name; a hidden stage shows the last shown stage before it, and
    /// nothing when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Position of that stage among the pipeline's shown stages, and how many are shown, for
    /// a progress line.
    pub stage_position: u32,
    pub stages_shown: u32,
    pub fields: Vec<CabinetFieldValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The responsible manager's name.
    pub manager: String,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/cabinet/me`: who is signed in and their leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetHome {
    pub appearance: CabinetAppearance,
    /// The client's name, when the cabinet shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub phone: String,
    pub leads: Vec<CabinetLead>,
}

/// An event of a lead's timeline the cabinet shows: its kind and the text to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetEvent {
    pub id: Id,
    pub kind: EventKind,
    /// For stage changes the cabinet names of the stages; for communications their text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/cabinet/leads/{id}`: a lead with its shown events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetLeadDetail {
    pub lead: CabinetLead,
    pub events: Vec<CabinetEvent>,
}

/// One chat message between the client and the manager (K5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    /// The timeline event's id; messages come in id order.
    pub id: Id,
    /// Whether the client wrote it (an incoming chat message on the lead).
    pub from_client: bool,
    pub text: String,
    /// The manager who answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/cabinet/leads/{id}/messages` and the manager's answer,
/// `POST /api/v1/leads/{id}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChatInput {
    pub text: String,
}

/// `POST /api/v1/cabinet/erasure`: the code of the deletion SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErasureConfirm {
    pub code: String,
}

/// A contact as the client may download it before erasure (K6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalContact {
    pub id: Id,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Custom field values by field name.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/cabinet/data`: everything the account holds on the client that the client may
/// see — the contacts with their phone, their leads as shown, and the chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalData {
    pub exported_at: DateTime<Utc>,
    pub account_name: String,
    pub contacts: Vec<PersonalContact>,
    pub leads: Vec<CabinetLead>,
    pub messages: Vec<ChatMessage>,
}
