//! SMS providers and the SMS log as administrators keep them (K2). Every account has one
//! outbox provider, made the first time anyone asks for the account's providers, so a fresh
//! install can sign clients in without any gateway.

use chrono::Utc;
use gatehouse_domain::{
    page::{Page, PageRequest},
    people::Language,
    problem::ErrorCode,
    sms::{
        SmsMessage, SmsProvider, SmsProviderInput, SmsProviderKind, SmsPurpose, SmsStatus,
        SmsTestInput, WebhookFormat, WebhookInput, WebhookSettings,
    },
    Id,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::{phone, queue};
use crate::{
    audit,
    auth::Member,
    cabinet::settings::{self, Stored},
    entities::{sms_messages, sms_providers},
    error::{ApiError, ApiResult},
};

/// The name the outbox provider is made with.
pub const OUTBOX_NAME: &str = "SMS outbox";

/// The account's outbox provider, made when it has none yet.
///
/// Two requests racing on a fresh account may each make one; the oldest is the one every
/// reader picks, so the spare is never used (and is harmless).
///
/// # Errors
/// Database errors only.
pub async fn outbox(db: &impl ConnectionTrait, account_id: Id) -> ApiResult<sms_providers::Model> {
    if let Some(found) = find_outbox(db, account_id).await? {
        return Ok(found);
    }
    let now = Utc::now();
    sms_providers::ActiveModel {
        account_id: Set(account_id),
        name: Set(OUTBOX_NAME.to_owned()),
        kind: Set(SmsProviderKind::Outbox.as_str().to_owned()),
        settings: Set("{}".to_owned()),
        authorization: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Read back rather than return the insert: a racing request's older row wins.
    find_outbox(db, account_id)
        .await?
        .ok_or_else(|| ApiError::internal("the outbox provider vanished"))
}

async fn find_outbox(
    db: &impl ConnectionTrait,
    account_id: Id,
) -> ApiResult<Option<sms_providers::Model>> {
    Ok(sms_providers::Entity::find()
        .filter(sms_providers::Column::AccountId.eq(account_id))
        .filter(sms_providers::Column::Kind.eq(SmsProviderKind::Outbox.as_str()))
        .order_by_asc(sms_providers::Column::Id)
        .one(db)
        .await?)
}

/// The provider the cabinet sends with: the one chosen in its settings, or the account's
/// outbox when none is chosen (or the chosen one is gone).
///
/// # Errors
/// Database errors only.
pub async fn provider_for(
    db: &impl ConnectionTrait,
    account_id: Id,
    stored: &Stored,
) -> ApiResult<sms_providers::Model> {
    if let Some(id) = stored.sms_provider_id {
        if let Some(chosen) = sms_providers::Entity::find_by_id(id)
            .filter(sms_providers::Column::AccountId.eq(account_id))
            .one(db)
            .await?
        {
            return Ok(chosen);
        }
    }
    outbox(db, account_id).await
}

/// An HTTP provider's webhook as kept in `sms_providers.settings`. The Authorization header is
/// not part of it: it has its own column, so no listing of settings can carry it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Webhook {
    pub url: String,
    #[serde(default)]
    pub format: WebhookFormat,
    pub phone_field: String,
    pub text_field: String,
    #[serde(default)]
    pub sender: Option<String>,
    pub timeout_ms: u32,
    pub retries: u8,
}

impl Webhook {
    /// The webhook of an HTTP provider's row; `None` for the outbox or unreadable settings.
    #[must_use]
    pub fn of(row: &sms_providers::Model) -> Option<Self> {
        (SmsProviderKind::parse(&row.kind) == Some(SmsProviderKind::Http))
            .then(|| serde_json::from_str(&row.settings).ok())
            .flatten()
    }

    fn from_input(input: &WebhookInput) -> Self {
        Self {
            url: input.url.trim().to_owned(),
            format: input.format,
            phone_field: input.phone_field.clone(),
            text_field: input.text_field.clone(),
            sender: input
                .sender
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            timeout_ms: input.timeout_ms,
            retries: input.retries,
        }
    }
}

fn provider_view(row: &sms_providers::Model) -> SmsProvider {
    let kind = SmsProviderKind::parse(&row.kind).unwrap_or(SmsProviderKind::Outbox);
    SmsProvider {
        id: row.id,
        name: row.name.clone(),
        kind,
        webhook: Webhook::of(row).map(|w| WebhookSettings {
            url: w.url,
            format: w.format,
            phone_field: w.phone_field,
            text_field: w.text_field,
            sender: w.sender,
            timeout_ms: w.timeout_ms,
            retries: w.retries,
            has_authorization: row.authorization.is_some(),
        }),
        created_at: row.created_at,
    }
}

fn message_view(row: sms_messages::Model) -> SmsMessage {
    SmsMessage {
        id: row.id,
        created_at: row.created_at,
        provider_id: row.provider_id,
        provider_kind: SmsProviderKind::parse(&row.provider_kind)
            .unwrap_or(SmsProviderKind::Outbox),
        to: row.to_phone,
        purpose: SmsPurpose::parse(&row.purpose).unwrap_or(SmsPurpose::Test),
        body: row.body,
        status: SmsStatus::parse(&row.status).unwrap_or(SmsStatus::Failed),
        attempts: row.attempts,
        error: row.error,
        sent_at: row.sent_at,
    }
}

fn settings_json(webhook: Option<&WebhookInput>) -> ApiResult<String> {
    match webhook {
        Some(input) => {
            serde_json::to_string(&Webhook::from_input(input)).map_err(ApiError::internal)
        }
        None => Ok("{}".to_owned()),
    }
}

/// The account's providers, the outbox first.
///
/// # Errors
/// 403 for non-administrators; database errors.
pub async fn list(db: &DatabaseConnection, admin: &Member) -> ApiResult<Vec<SmsProvider>> {
    admin.require_admin()?;
    let txn = db.begin().await?;
    let outbox = outbox(&txn, admin.account_id).await?;
    let rows = sms_providers::Entity::find()
        .filter(sms_providers::Column::AccountId.eq(admin.account_id))
        .filter(sms_providers::Column::Id.ne(outbox.id))
        .filter(sms_providers::Column::Kind.ne(SmsProviderKind::Outbox.as_str()))
        .order_by_asc(sms_providers::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(std::iter::once(&outbox)
        .chain(&rows)
        .map(provider_view)
        .collect())
}

async fn find(
    db: &impl ConnectionTrait,
    account_id: Id,
    id: Id,
) -> ApiResult<sms_providers::Model> {
    sms_providers::Entity::find_by_id(id)
        .filter(sms_providers::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))
}

fn kind_invalid(detail: &str) -> ApiError {
    ApiError::invalid("kind", "kind_invalid", detail)
}

/// The header as given: `None` keeps what is stored, an empty value removes it.
fn authorization(given: Option<&str>) -> Option<Option<String>> {
    given.map(|value| Some(value.trim().to_owned()).filter(|v| !v.is_empty()))
}

/// Adds an HTTP provider (the outbox exists already, one per account).
///
/// # Errors
/// 403 for non-administrators; 422 with each invalid field, `kind_invalid` for a second
/// outbox; database errors.
pub async fn create(
    db: &DatabaseConnection,
    admin: &Member,
    input: SmsProviderInput,
) -> ApiResult<SmsProvider> {
    admin.require_admin()?;
    input.validate().map_err(ApiError::Validation)?;
    if input.kind != SmsProviderKind::Http {
        return Err(kind_invalid(
            "every account has its one outbox already; add an HTTP provider",
        ));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    outbox(&txn, admin.account_id).await?;
    let row = sms_providers::ActiveModel {
        account_id: Set(admin.account_id),
        name: Set(input.name.trim().to_owned()),
        kind: Set(input.kind.as_str().to_owned()),
        settings: Set(settings_json(input.webhook.as_ref())?),
        authorization: Set(input
            .webhook
            .as_ref()
            .and_then(|w| authorization(w.authorization.as_deref()))
            .flatten()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        admin,
        "sms_provider_created",
        None,
        json!({"provider_id": row.id, "name": row.name, "kind": row.kind}),
    )
    .await?;
    txn.commit().await?;
    Ok(provider_view(&row))
}

/// Changes a provider: the outbox's name only, an HTTP provider's name and webhook. An absent
/// `authorization` keeps the stored header; an empty one removes it.
///
/// # Errors
/// 403 for non-administrators; 404 for another account's provider; 422 with each invalid
/// field, `kind_invalid` when the kind would change; database errors.
pub async fn update(
    db: &DatabaseConnection,
    admin: &Member,
    id: Id,
    input: SmsProviderInput,
) -> ApiResult<SmsProvider> {
    admin.require_admin()?;
    let txn = db.begin().await?;
    let row = find(&txn, admin.account_id, id).await?;
    input.validate().map_err(ApiError::Validation)?;
    if SmsProviderKind::parse(&row.kind) != Some(input.kind) {
        return Err(kind_invalid("a provider's kind cannot change"));
    }
    let mut active: sms_providers::ActiveModel = row.into();
    active.name = Set(input.name.trim().to_owned());
    active.settings = Set(settings_json(input.webhook.as_ref())?);
    if let Some(header) = input
        .webhook
        .as_ref()
        .and_then(|w| authorization(w.authorization.as_deref()))
    {
        active.authorization = Set(header);
    }
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    audit::record(
        &txn,
        admin,
        "sms_provider_changed",
        None,
        json!({"provider_id": row.id, "name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(provider_view(&row))
}

/// Deletes an HTTP provider the cabinet does not send with. Its messages still waiting fail.
///
/// # Errors
/// 403 for non-administrators; 404 for another account's provider; 409 `conflict` for the
/// outbox and for the cabinet's provider; database errors.
pub async fn delete(db: &DatabaseConnection, admin: &Member, id: Id) -> ApiResult<()> {
    admin.require_admin()?;
    let txn = db.begin().await?;
    let row = find(&txn, admin.account_id, id).await?;
    if SmsProviderKind::parse(&row.kind) != Some(SmsProviderKind::Http) {
        return Err(ApiError::detailed(
            ErrorCode::Conflict,
            "the SMS outbox cannot be deleted",
        ));
    }
    let (_, stored) = settings::load(&txn, admin.account_id).await?;
    if stored.sms_provider_id == Some(id) {
        return Err(ApiError::detailed(
            ErrorCode::Conflict,
            "the client cabinet sends with this provider; choose another one in its settings first",
        ));
    }
    sms_messages::Entity::update_many()
        .col_expr(
            sms_messages::Column::Status,
            Expr::value(SmsStatus::Failed.as_str()),
        )
        .col_expr(
            sms_messages::Column::Error,
            Expr::value("the provider was deleted"),
        )
        .col_expr(
            sms_messages::Column::Body,
            Expr::value(sea_orm::Value::String(None)),
        )
        .col_expr(
            sms_messages::Column::NextAttemptAt,
            Expr::value(sea_orm::Value::ChronoDateTimeUtc(None)),
        )
        .filter(sms_messages::Column::AccountId.eq(admin.account_id))
        .filter(sms_messages::Column::ProviderId.eq(id))
        .filter(sms_messages::Column::Status.eq(SmsStatus::Queued.as_str()))
        .exec(&txn)
        .await?;
    sms_providers::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        admin,
        "sms_provider_deleted",
        None,
        json!({"provider_id": id, "name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The text of a provider test, in the cabinet's language.
fn test_text(language: Language, account: &str) -> String {
    let account: String = account.chars().take(20).collect();
    match language {
        Language::Ru => format!("Тестовое SMS от {account} (Gatehouse)"),
        Language::En => format!("Test SMS from {account} (Gatehouse)"),
        Language::Es => format!("SMS de prueba de {account} (Gatehouse)"),
        Language::Pt => format!("SMS de teste de {account} (Gatehouse)"),
    }
}

/// Sends a test message through a provider. The caller wakes the courier once it returns.
///
/// # Errors
/// 403 for non-administrators; 404 for another account's provider; 422 `phone_invalid` on the
/// field `phone`; database errors.
pub async fn send_test(
    db: &DatabaseConnection,
    admin: &Member,
    id: Id,
    input: &SmsTestInput,
) -> ApiResult<SmsMessage> {
    admin.require_admin()?;
    let txn = db.begin().await?;
    let provider = find(&txn, admin.account_id, id).await?;
    let (account, stored) = settings::load(&txn, admin.account_id).await?;
    let to = phone::e164(&input.phone, phone::home_country(stored.language)).ok_or_else(|| {
        ApiError::invalid(
            "phone",
            "phone_invalid",
            "not a phone number; write it with its country code, e.g. +7 912 345-67-89",
        )
    })?;
    let message_id = queue(
        &txn,
        &provider,
        &to,
        SmsPurpose::Test,
        test_text(stored.language, &account.name),
    )
    .await?;
    audit::record(
        &txn,
        admin,
        "sms_test_sent",
        None,
        json!({"provider_id": provider.id, "message_id": message_id}),
    )
    .await?;
    let row = sms_messages::Entity::find_by_id(message_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal("the queued message vanished"))?;
    txn.commit().await?;
    Ok(message_view(row))
}

/// The account's SMS log, newest first, optionally of one status.
///
/// # Errors
/// 403 for non-administrators; database errors.
pub async fn messages(
    db: &impl ConnectionTrait,
    admin: &Member,
    page: PageRequest,
    status: Option<SmsStatus>,
) -> ApiResult<Page<SmsMessage>> {
    admin.require_admin()?;
    let mut select = sms_messages::Entity::find()
        .filter(sms_messages::Column::AccountId.eq(admin.account_id))
        .order_by_desc(sms_messages::Column::Id);
    if let Some(status) = status {
        select = select.filter(sms_messages::Column::Status.eq(status.as_str()));
    }
    let total = select.clone().count(db).await?;
    let rows = select
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(message_view).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
