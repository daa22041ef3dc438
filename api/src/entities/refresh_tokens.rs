use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
/// A spent refresh token (A2): exchanged once, so presenting it again means it leaked and ends
/// its session. The live token of a session is on the session.
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// When the row was written: the exchange (before migration m0008, the token's issue).
    pub created_at: DateTimeUtc,
    /// When the token was exchanged.
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
