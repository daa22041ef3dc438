//! The cabinet's settings as administrators keep them (K1): read with the link every client
//! uses, saved after the domain's rules and the account's own checks (its provider, its lead
//! fields, its stages), and the logo, which is accepted only when it decodes as a PNG within
//! the seed's bounds.

use std::io::Cursor;

use chrono::Utc;
use gatehouse_domain::{
    cabinet::{
        check_logo_size, CabinetSettings, CabinetSettingsInput, FieldKey, ShownField, LOGO_MAX,
        LOGO_MAX_BYTES,
    },
    problem::{ErrorCode, FieldError},
    sms::measure,
    Id,
};
use sea_orm::{
    sea_query::OnConflict, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::settings::{self, Stored};
use crate::{
    audit,
    auth::Member,
    entities::{cabinet_settings, custom_fields, sms_providers, stages},
    error::{ApiError, ApiResult},
    sms::service::provider_for,
};

/// The entity code of lead custom fields (`custom_fields.entity`).
const LEAD_FIELDS: &str = "leads";

/// The settings as `GET /api/v1/cabinet-settings` shows them.
///
/// # Errors
/// 403 for non-administrators; database errors.
pub async fn get(
    db: &DatabaseConnection,
    admin: &Member,
    public_url: &str,
) -> ApiResult<CabinetSettings> {
    admin.require_admin()?;
    let txn = db.begin().await?;
    let (_, stored) = settings::load(&txn, admin.account_id).await?;
    let view = view(&txn, admin.account_id, public_url, &stored).await?;
    txn.commit().await?;
    Ok(view)
}

/// Saves every setting but the logo.
///
/// # Errors
/// 403 for non-administrators; 422 with each invalid field (the domain's codes, and
/// `sms_provider_unknown`, `field_unknown`, `stage_unknown` for what is not the account's);
/// database errors.
pub async fn save(
    db: &DatabaseConnection,
    admin: &Member,
    public_url: &str,
    input: CabinetSettingsInput,
) -> ApiResult<CabinetSettings> {
    admin.require_admin()?;
    let mut errors = input.validate().err().unwrap_or_default();
    let txn = db.begin().await?;
    let account_id = admin.account_id;
    let (_, before) = settings::load(&txn, account_id).await?;
    check_ownership(&txn, account_id, &input, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let changed = changes(&before, &input);
    let row = cabinet_settings::ActiveModel {
        account_id: Set(account_id),
        enabled: Set(input.enabled),
        sms_provider_id: Set(input.sms_provider_id),
        login_template: Set(input.login_template),
        deletion_template: Set(input.deletion_template),
        language: Set(input.language.code().to_owned()),
        header_text: Set(input.header_text.trim().to_owned()),
        logo: NotSet,
        logo_updated_at: NotSet,
        chat_enabled: Set(input.chat_enabled),
        show_company: Set(input.show_company),
        show_client_name: Set(input.show_client_name),
        event_kinds: Set(to_json(
            &input
                .event_kinds
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>(),
        )?),
        fields: Set(to_json(
            &input
                .fields
                .iter()
                .map(|f| ShownField {
                    field: f.field.clone(),
                    alias: f.alias.trim().to_owned(),
                })
                .collect::<Vec<_>>(),
        )?),
        stages: Set(to_json(
            &input
                .stages
                .iter()
                .map(|s| gatehouse_domain::cabinet::ShownStage {
                    stage_id: s.stage_id,
                    name: s.name.trim().to_owned(),
                })
                .collect::<Vec<_>>(),
        )?),
        deletion_enabled: Set(input.deletion_enabled),
        updated_at: Set(Utc::now()),
    };
    // One statement whether or not the account saved before, so two first saves cannot
    // collide; the logo is not among the columns it updates.
    cabinet_settings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(cabinet_settings::Column::AccountId)
                .update_columns(SAVED_COLUMNS)
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let (_, stored) = settings::load(&txn, account_id).await?;
    audit::record(
        &txn,
        admin,
        "cabinet_settings_changed",
        None,
        json!({
            "changed": changed,
            "enabled": stored.enabled,
            "event_kinds": stored.event_kinds.len(),
            "fields": stored.fields.len(),
            "stages": stored.stages.len(),
        }),
    )
    .await?;
    let view = view(&txn, account_id, public_url, &stored).await?;
    txn.commit().await?;
    Ok(view)
}

const SAVED_COLUMNS: [cabinet_settings::Column; 14] = [
    cabinet_settings::Column::Enabled,
    cabinet_settings::Column::SmsProviderId,
    cabinet_settings::Column::LoginTemplate,
    cabinet_settings::Column::DeletionTemplate,
    cabinet_settings::Column::Language,
    cabinet_settings::Column::HeaderText,
    cabinet_settings::Column::ChatEnabled,
    cabinet_settings::Column::ShowCompany,
    cabinet_settings::Column::ShowClientName,
    cabinet_settings::Column::EventKinds,
    cabinet_settings::Column::Fields,
    cabinet_settings::Column::Stages,
    cabinet_settings::Column::DeletionEnabled,
    cabinet_settings::Column::UpdatedAt,
];

fn to_json<T: serde::Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// The provider, the custom fields and the stages must be the account's own.
async fn check_ownership(
    db: &impl ConnectionTrait,
    account_id: Id,
    input: &CabinetSettingsInput,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    if let Some(id) = input.sms_provider_id {
        let found = sms_providers::Entity::find()
            .filter(sms_providers::Column::AccountId.eq(account_id))
            .filter(sms_providers::Column::Id.eq(id))
            .count(db)
            .await?;
        if found == 0 {
            errors.push(FieldError::new(
                "sms_provider_id",
                "sms_provider_unknown",
                "no such SMS provider in this account",
            ));
        }
    }
    let custom: Vec<(usize, Id)> = input
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match FieldKey::parse(&f.field) {
            Some(FieldKey::Custom(id)) => Some((i, id)),
            _ => None,
        })
        .collect();
    if !custom.is_empty() {
        let known: Vec<Id> = custom_fields::Entity::find()
            .select_only()
            .column(custom_fields::Column::Id)
            .filter(custom_fields::Column::AccountId.eq(account_id))
            .filter(custom_fields::Column::Entity.eq(LEAD_FIELDS))
            .filter(custom_fields::Column::Id.is_in(custom.iter().map(|(_, id)| *id)))
            .into_tuple()
            .all(db)
            .await?;
        for (i, id) in custom {
            let field = format!("fields[{i}].field");
            if !known.contains(&id) && !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(
                    &field,
                    "field_unknown",
                    "no such lead field in this account",
                ));
            }
        }
    }
    if !input.stages.is_empty() {
        let known: Vec<Id> = stages::Entity::find()
            .select_only()
            .column(stages::Column::Id)
            .filter(stages::Column::AccountId.eq(account_id))
            .filter(stages::Column::Id.is_in(input.stages.iter().map(|s| s.stage_id)))
            .into_tuple()
            .all(db)
            .await?;
        for (i, stage) in input.stages.iter().enumerate() {
            let field = format!("stages[{i}].stage_id");
            if !known.contains(&stage.stage_id) && !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(
                    &field,
                    "stage_unknown",
                    "no such stage in this account",
                ));
            }
        }
    }
    Ok(())
}

/// The names of the settings a save changes, for the audit log (the values stay out of it).
fn changes(before: &Stored, after: &CabinetSettingsInput) -> Vec<&'static str> {
    let fields: Vec<(String, String)> = before
        .fields
        .iter()
        .map(|(key, alias)| (key.key(), alias.clone()))
        .collect();
    let new_fields: Vec<(String, String)> = after
        .fields
        .iter()
        .map(|f| (f.field.clone(), f.alias.trim().to_owned()))
        .collect();
    let stages: Vec<(Id, &str)> = before
        .stages
        .iter()
        .map(|s| (s.stage_id, s.name.as_str()))
        .collect();
    let new_stages: Vec<(Id, &str)> = after
        .stages
        .iter()
        .map(|s| (s.stage_id, s.name.trim()))
        .collect();
    [
        ("enabled", before.enabled != after.enabled),
        (
            "sms_provider_id",
            before.sms_provider_id != after.sms_provider_id,
        ),
        (
            "login_template",
            before.login_template != after.login_template,
        ),
        (
            "deletion_template",
            before.deletion_template != after.deletion_template,
        ),
        ("language", before.language != after.language),
        (
            "header_text",
            before.header_text != after.header_text.trim(),
        ),
        ("chat_enabled", before.chat_enabled != after.chat_enabled),
        ("show_company", before.show_company != after.show_company),
        (
            "show_client_name",
            before.show_client_name != after.show_client_name,
        ),
        ("event_kinds", before.event_kinds != after.event_kinds),
        ("fields", fields != new_fields),
        ("stages", stages != new_stages),
        (
            "deletion_enabled",
            before.deletion_enabled != after.deletion_enabled,
        ),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

/// The settings as administrators read them. No provider chosen reads as the outbox, which
/// is what the cabinet would send with.
async fn view(
    db: &impl ConnectionTrait,
    account_id: Id,
    public_url: &str,
    stored: &Stored,
) -> ApiResult<CabinetSettings> {
    let provider = provider_for(db, account_id, stored).await?;
    let length = |template: &str| {
        measure(template).unwrap_or(gatehouse_domain::sms::SmsLength {
            chars: template.chars().count(),
            segments: 0,
            unicode: true,
        })
    };
    Ok(CabinetSettings {
        enabled: stored.enabled,
        sms_provider_id: Some(provider.id),
        login_length: length(&stored.login_template),
        deletion_length: length(&stored.deletion_template),
        login_template: stored.login_template.clone(),
        deletion_template: stored.deletion_template.clone(),
        language: stored.language,
        header_text: stored.header_text.clone(),
        logo_url: stored
            .logo_updated_at
            .filter(|_| stored.has_logo)
            .map(|at| logo_path(account_id, at)),
        chat_enabled: stored.chat_enabled,
        show_company: stored.show_company,
        show_client_name: stored.show_client_name,
        event_kinds: stored.event_kinds.clone(),
        fields: stored
            .fields
            .iter()
            .map(|(key, alias)| ShownField {
                field: key.key(),
                alias: alias.clone(),
            })
            .collect(),
        stages: stored.stages.clone(),
        deletion_enabled: stored.deletion_enabled,
        link: format!("{public_url}/cabinet/{account_id}"),
        updated_at: stored.updated_at,
    })
}

/// The logo's public address; `v` changes with each upload, so it may be cached for long.
#[must_use]
pub fn logo_path(account_id: Id, updated_at: chrono::DateTime<Utc>) -> String {
    format!(
        "/api/v1/cabinet/{account_id}/logo?v={}",
        updated_at.timestamp_millis()
    )
}

/// Why a logo upload is refused before its bytes are looked at: it is over [`LOGO_MAX_BYTES`].
#[must_use]
pub fn logo_too_heavy() -> ApiError {
    ApiError::detailed(
        ErrorCode::PayloadTooLarge,
        format!("the logo is over {} KB", LOGO_MAX_BYTES / 1024),
    )
}

/// Stores a new logo once it decoded as a PNG within the bounds.
///
/// # Errors
/// 403 for non-administrators; 413 `payload_too_large` over 500 KB; 422 on the field `logo`:
/// `logo_not_png` (it does not decode as a PNG), `logo_too_small`, `logo_too_large`; database
/// errors.
pub async fn set_logo(
    db: &DatabaseConnection,
    admin: &Member,
    public_url: &str,
    png: Vec<u8>,
) -> ApiResult<CabinetSettings> {
    admin.require_admin()?;
    if png.len() > LOGO_MAX_BYTES {
        return Err(logo_too_heavy());
    }
    let (png, (width, height)) = tokio::task::spawn_blocking(move || {
        let size = check_png(&png)?;
        Ok::<_, FieldError>((png, size))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| ApiError::Validation(vec![e]))?;
    let bytes = png.len();
    let txn = db.begin().await?;
    let account_id = admin.account_id;
    let (_, stored) = settings::load(&txn, account_id).await?;
    let now = Utc::now();
    // The first upload may come before the first save: the row starts from the defaults.
    let row = cabinet_settings::ActiveModel {
        account_id: Set(account_id),
        enabled: Set(stored.enabled),
        sms_provider_id: Set(stored.sms_provider_id),
        login_template: Set(stored.login_template.clone()),
        deletion_template: Set(stored.deletion_template.clone()),
        language: Set(stored.language.code().to_owned()),
        header_text: Set(stored.header_text.clone()),
        logo: Set(Some(png)),
        logo_updated_at: Set(Some(now)),
        chat_enabled: Set(stored.chat_enabled),
        show_company: Set(stored.show_company),
        show_client_name: Set(stored.show_client_name),
        event_kinds: Set(to_json(
            &stored
                .event_kinds
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>(),
        )?),
        fields: Set(to_json(
            &stored
                .fields
                .iter()
                .map(|(key, alias)| ShownField {
                    field: key.key(),
                    alias: alias.clone(),
                })
                .collect::<Vec<_>>(),
        )?),
        stages: Set(to_json(&stored.stages)?),
        deletion_enabled: Set(stored.deletion_enabled),
        updated_at: Set(now),
    };
    cabinet_settings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(cabinet_settings::Column::AccountId)
                .update_columns([
                    cabinet_settings::Column::Logo,
                    cabinet_settings::Column::LogoUpdatedAt,
                    cabinet_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    audit::record(
        &txn,
        admin,
        "cabinet_logo_changed",
        None,
        json!({"width": width, "height": height, "bytes": bytes}),
    )
    .await?;
    let (_, stored) = settings::load(&txn, account_id).await?;
    let view = view(&txn, account_id, public_url, &stored).await?;
    txn.commit().await?;
    Ok(view)
}

/// Decodes the bytes as a PNG — whatever the upload claimed — and returns its size. The
/// header is read first, so an image that would decode to a huge bitmap is refused before any
/// of it is allocated.
fn check_png(bytes: &[u8]) -> Result<(u32, u32), FieldError> {
    use image::{ImageFormat, ImageReader, Limits};
    let not_png = || FieldError::new("logo", "logo_not_png", "the logo must be a PNG image");
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Png)
        .into_dimensions()
        .map_err(|err| match err {
            // The header announced more than the decoder would ever allocate.
            image::ImageError::Limits(_) => FieldError::new(
                "logo",
                "logo_too_large",
                format!("at most {}×{} px", LOGO_MAX.0, LOGO_MAX.1),
            ),
            _ => not_png(),
        })?;
    check_logo_size(width, height)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(LOGO_MAX.0);
    limits.max_image_height = Some(LOGO_MAX.1);
    // 800×800 at 16 bits per channel with alpha, with room for the decoder's buffers.
    limits.max_alloc = Some(64 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Png);
    reader.limits(limits);
    reader.decode().map_err(|_| not_png())?;
    Ok((width, height))
}

/// Removes the logo (the cabinet then shows none).
///
/// # Errors
/// 403 for non-administrators; database errors.
pub async fn delete_logo(db: &DatabaseConnection, admin: &Member) -> ApiResult<()> {
    admin.require_admin()?;
    let txn = db.begin().await?;
    let removed = cabinet_settings::Entity::update_many()
        .col_expr(
            cabinet_settings::Column::Logo,
            sea_orm::sea_query::Expr::value(sea_orm::Value::Bytes(None)),
        )
        .col_expr(
            cabinet_settings::Column::LogoUpdatedAt,
            sea_orm::sea_query::Expr::value(sea_orm::Value::ChronoDateTimeUtc(None)),
        )
        .filter(cabinet_settings::Column::AccountId.eq(admin.account_id))
        .filter(cabinet_settings::Column::Logo.is_not_null())
        .exec(&txn)
        .await?;
    if removed.rows_affected > 0 {
        audit::record(&txn, admin, "cabinet_logo_removed", None, json!({})).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The logo as the sign-in page shows it, while the cabinet is open.
///
/// # Errors
/// 404 `cabinet_unavailable` for an unknown account or a closed cabinet; 404 `not_found`
/// when it has no logo; database errors.
pub async fn public_logo(db: &impl ConnectionTrait, account_id: Id) -> ApiResult<Vec<u8>> {
    settings::open(db, account_id).await?;
    let logo: Option<Option<Vec<u8>>> = cabinet_settings::Entity::find_by_id(account_id)
        .select_only()
        .column(cabinet_settings::Column::Logo)
        .into_tuple()
        .one(db)
        .await?;
    logo.flatten().ok_or(ApiError::Code(ErrorCode::NotFound))
}
