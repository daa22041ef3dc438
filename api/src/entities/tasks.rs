use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub text: String,
    pub due_at: Option<DateTimeUtc>,
    /// `leads`, `contacts` or `companies`.
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub responsible_id: i64,
    pub completed_at: Option<DateTimeUtc>,
    pub custom: String,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
