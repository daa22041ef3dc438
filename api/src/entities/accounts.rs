use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub language: String,
    pub seats_general: i32,
    pub seats_technical: i32,
    pub created_at: DateTimeUtc,
    pub password_min_length: i32,
    pub password_require_upper: bool,
    pub password_require_lower: bool,
    pub password_require_digit: bool,
    pub password_require_symbol: bool,
    /// `optional`, `admins` or `everyone`.
    pub two_factor_policy: String,
    pub session_idle_minutes: i32,
    pub session_absolute_minutes: i32,
    pub auth_log_retention_days: i32,
    pub allowlist_enabled: bool,
    pub allowlist_apply_to_tokens: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
