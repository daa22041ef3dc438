use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub lead_id: i64,
    /// The domain's `EventKind` code.
    pub kind: String,
    /// JSON object.
    pub payload: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// The reassignment job that wrote it, if one did.
    pub job_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
