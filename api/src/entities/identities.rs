use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Normalised by `domain::people::Email`.
    pub email: String,
    pub name: String,
    /// PHC string of argon2id; `None` until an invited person sets a password.
    pub password_hash: Option<String>,
    pub language: String,
    pub phone: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Base32 TOTP secret once confirmed (T1).
    pub totp_secret: Option<String>,
    /// A secret shown for enrolment, waiting for its first code.
    pub totp_pending_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The time step of the last accepted code: each code works once.
    pub totp_last_step: Option<i64>,
    /// Set by an administrator (P3): the next sign-in leads to a password change first.
    pub must_change_password: bool,
    pub password_changed_at: Option<DateTimeUtc>,
    /// `name` lower-cased here, for search (SQLite's lower() folds only ASCII).
    pub name_folded: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::memberships::Entity")]
    Memberships,
}

impl Related<super::memberships::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Memberships.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
