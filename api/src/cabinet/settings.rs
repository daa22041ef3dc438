//! The cabinet's settings as the server reads them: one row per account, absent until an
//! administrator first saves (the defaults then apply: off, the account's language, its
//! templates). The client endpoints open a cabinet only through [`open`].

use gatehouse_domain::{
    cabinet::{default_templates, FieldKey, ShownField, ShownStage},
    crm::EventKind,
    people::Language,
    problem::ErrorCode,
    Id,
};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    entities::{accounts, cabinet_settings},
    error::{ApiError, ApiResult},
};

/// The event types a new cabinet shows: where the lead stands and the conversation.
pub const DEFAULT_EVENT_KINDS: [EventKind; 3] = [
    EventKind::StageChanged,
    EventKind::IncomingChatMessage,
    EventKind::OutgoingChatMessage,
];

/// An account's cabinet settings, typed.
#[derive(Debug, Clone)]
pub struct Stored {
    pub enabled: bool,
    pub sms_provider_id: Option<Id>,
    pub login_template: String,
    pub deletion_template: String,
    pub language: Language,
    pub header_text: String,
    pub has_logo: bool,
    pub logo_updated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub chat_enabled: bool,
    pub show_company: bool,
    pub show_client_name: bool,
    pub event_kinds: Vec<EventKind>,
    /// Parsed keys with their aliases, in the administrator's order (unparsable ones dropped).
    pub fields: Vec<(FieldKey, String)>,
    pub stages: Vec<ShownStage>,
    pub deletion_enabled: bool,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Stored {
    /// What an account has before its administrator saves anything.
    #[must_use]
    pub fn defaults(account_language: Language) -> Self {
        let (login, deletion) = default_templates(account_language);
        Self {
            enabled: false,
            sms_provider_id: None,
            login_template: login.to_owned(),
            deletion_template: deletion.to_owned(),
            language: account_language,
            header_text: String::new(),
            has_logo: false,
            logo_updated_at: None,
            chat_enabled: true,
            show_company: true,
            show_client_name: true,
            event_kinds: DEFAULT_EVENT_KINDS.to_vec(),
            fields: Vec::new(),
            stages: Vec::new(),
            deletion_enabled: false,
            updated_at: None,
        }
    }

    fn from_row(row: cabinet_settings::Model) -> Self {
        let fields: Vec<ShownField> = serde_json::from_str(&row.fields).unwrap_or_default();
        let kinds: Vec<String> = serde_json::from_str(&row.event_kinds).unwrap_or_default();
        Self {
            enabled: row.enabled,
            sms_provider_id: row.sms_provider_id,
            login_template: row.login_template,
            deletion_template: row.deletion_template,
            language: Language::from_code(&row.language).unwrap_or_default(),
            header_text: row.header_text,
            has_logo: row.logo.is_some(),
            logo_updated_at: row.logo_updated_at,
            chat_enabled: row.chat_enabled,
            show_company: row.show_company,
            show_client_name: row.show_client_name,
            event_kinds: kinds
                .iter()
                .filter_map(|k| EventKind::from_code(k))
                .collect(),
            fields: fields
                .into_iter()
                .filter_map(|f| FieldKey::parse(&f.field).map(|key| (key, f.alias)))
                .collect(),
            stages: serde_json::from_str(&row.stages).unwrap_or_default(),
            deletion_enabled: row.deletion_enabled,
            updated_at: Some(row.updated_at),
        }
    }

    /// The cabinet name of a stage, when it is shown.
    #[must_use]
    pub fn stage_name(&self, stage_id: Id) -> Option<&str> {
        self.stages
            .iter()
            .find(|s| s.stage_id == stage_id)
            .map(|s| s.name.as_str())
    }
}

/// The account and its cabinet settings (the defaults when none were saved).
///
/// # Errors
/// 404 `not_found` for an unknown account; database errors.
pub async fn load(
    db: &impl ConnectionTrait,
    account_id: Id,
) -> ApiResult<(accounts::Model, Stored)> {
    let account = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))?;
    let stored = match cabinet_settings::Entity::find_by_id(account_id)
        .one(db)
        .await?
    {
        Some(row) => Stored::from_row(row),
        None => Stored::defaults(Language::from_code(&account.language).unwrap_or_default()),
    };
    Ok((account, stored))
}

/// A cabinet as its clients reach it: the account exists and its cabinet is on.
///
/// # Errors
/// 404 `cabinet_unavailable` otherwise — the same for an unknown account and a closed cabinet,
/// so the address says nothing about which accounts exist.
pub async fn open(
    db: &impl ConnectionTrait,
    account_id: Id,
) -> ApiResult<(accounts::Model, Stored)> {
    match load(db, account_id).await {
        Ok((account, stored)) if stored.enabled => Ok((account, stored)),
        Ok(_) | Err(ApiError::Code(ErrorCode::NotFound)) => {
            Err(ApiError::Code(ErrorCode::CabinetUnavailable))
        }
        Err(other) => Err(other),
    }
}
