use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sms_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub provider_id: Option<i64>,
    pub provider_kind: String,
    /// E.164.
    pub to_phone: String,
    /// Dropped once an HTTP gateway has it (it holds a code).
    pub body: Option<String>,
    pub purpose: String,
    pub status: String,
    pub attempts: i32,
    pub error: Option<String>,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
