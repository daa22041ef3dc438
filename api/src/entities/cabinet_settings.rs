use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cabinet_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    pub enabled: bool,
    pub sms_provider_id: Option<i64>,
    pub login_template: String,
    pub deletion_template: String,
    pub language: String,
    pub header_text: String,
    /// The PNG as uploaded (checked by decoding).
    #[sea_orm(column_type = "Blob", nullable)]
    pub logo: Option<Vec<u8>>,
    pub logo_updated_at: Option<DateTimeUtc>,
    pub chat_enabled: bool,
    pub show_company: bool,
    pub show_client_name: bool,
    /// JSON list of event kind codes.
    pub event_kinds: String,
    /// JSON list of `{field, alias}`.
    pub fields: String,
    /// JSON list of `{stage_id, name}`.
    pub stages: String,
    pub deletion_enabled: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
