use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reassignment_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub actor_id: i64,
    /// JSON of the domain's `deactivation::Plan`.
    pub plan: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// JSON counts per entity type.
    pub totals: String,
    pub moved: String,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// JSON of where the job is: record type, leaver, last id moved.
    pub cursor: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
