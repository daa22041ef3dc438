//! Team management (U5–U9, R1–R6): roles as rights templates, each member's own rights, role and
//! hidden sections, invitations, and unique group and role names per account.

use sea_orm_migration::prelude::*;

use crate::columns::{at, fk, foreign, id, index, opt_at, opt_fk, opt_text, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(id(Roles::Id))
                    .col(fk(Roles::AccountId))
                    .col(text(Roles::Name))
                    // JSON of the domain's `Rights` and `Vec<Section>`: read and written whole,
                    // never queried by part, so a column per right would only cost migrations.
                    .col(text(Roles::Rights))
                    .col(text(Roles::HiddenSections))
                    .col(at(Roles::CreatedAt))
                    .col(at(Roles::UpdatedAt))
                    .foreign_key(&mut foreign(
                        Roles::Table,
                        Roles::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "roles_account_name",
                    Roles::Table,
                    [Roles::AccountId, Roles::Name],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "groups_account_name",
                    Groups::Table,
                    [Groups::AccountId, Groups::Name],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        // SQLite cannot add a column with a foreign key to an existing table; the service checks
        // that a role belongs to the member's account, and roles with members cannot be deleted.
        let membership_columns = [
            opt_fk(Memberships::RoleId),
            // NULL: the default rights (everything), as a new amoCRM user has.
            opt_text(Memberships::Rights),
            ColumnDef::new(Memberships::HiddenSections)
                .string()
                .not_null()
                .default("[]")
                .take(),
        ];
        for mut column in membership_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Memberships::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "memberships_role",
                Memberships::Table,
                [Memberships::RoleId],
            ))
            .await?;
        manager
            .create_index(index(
                "memberships_group",
                Memberships::Table,
                [Memberships::GroupId],
            ))
            .await?;

        // The name lower-cased by the application for search: SQLite's lower() folds ASCII only,
        // and most names here are Cyrillic.
        manager
            .alter_table(
                Table::alter()
                    .table(Identities::Table)
                    .add_column(
                        ColumnDef::new(Identities::NameFolded)
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let rows = db
            .query_all(
                &Query::select()
                    .columns([Identities::Id, Identities::Name])
                    .from(Identities::Table)
                    .to_owned(),
            )
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            db.execute(
                &Query::update()
                    .table(Identities::Table)
                    .value(Identities::NameFolded, name.to_lowercase())
                    .and_where(Expr::col(Identities::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(id(Invitations::Id))
                    .col(fk(Invitations::AccountId))
                    .col(fk(Invitations::MembershipId))
                    // SHA-256 of the token; the token itself is only in the mail.
                    .col(text(Invitations::TokenHash).unique_key())
                    .col(at(Invitations::CreatedAt))
                    .col(at(Invitations::ExpiresAt))
                    .col(opt_at(Invitations::UsedAt))
                    .foreign_key(&mut foreign(
                        Invitations::Table,
                        Invitations::MembershipId,
                        Memberships::Table,
                        Memberships::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "invitations_membership",
                Invitations::Table,
                [Invitations::MembershipId],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Identities::Table)
                    .drop_column(Identities::NameFolded)
                    .to_owned(),
            )
            .await?;
        for idx in ["memberships_role", "memberships_group"] {
            manager
                .drop_index(Index::drop().name(idx).table(Memberships::Table).to_owned())
                .await?;
        }
        for column in [
            Memberships::RoleId,
            Memberships::Rights,
            Memberships::HiddenSections,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Memberships::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("groups_account_name")
                    .table(Groups::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Roles::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Identities {
    Table,
    Id,
    Name,
    NameFolded,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    AccountId,
    Name,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    GroupId,
    RoleId,
    Rights,
    HiddenSections,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    AccountId,
    Name,
    Rights,
    HiddenSections,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    AccountId,
    MembershipId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}
