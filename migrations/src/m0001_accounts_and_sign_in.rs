//! Accounts, identities, memberships, groups, the default pipeline, sessions with rotating
//! refresh tokens, and the keys that sign access tokens.

use sea_orm_migration::prelude::*;

use crate::columns::{at, fk, flag, foreign, id, int, opt_at, opt_fk, opt_text, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(id(Accounts::Id))
                    .col(text(Accounts::Name))
                    .col(text(Accounts::Language))
                    .col(int(Accounts::SeatsGeneral, 5))
                    .col(int(Accounts::SeatsTechnical, 0))
                    .col(at(Accounts::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Identities::Table)
                    .col(id(Identities::Id))
                    // Stored normalised (trimmed, lower-case), so a plain unique index makes
                    // e-mails unique case-insensitively on both databases.
                    .col(text(Identities::Email).unique_key())
                    .col(text(Identities::Name))
                    // Null until an invited person sets their password.
                    .col(opt_text(Identities::PasswordHash))
                    .col(text(Identities::Language))
                    .col(opt_text(Identities::Phone))
                    .col(at(Identities::CreatedAt))
                    .col(at(Identities::UpdatedAt))
                    .col(opt_at(Identities::LastLoginAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Groups::Table)
                    .col(id(Groups::Id))
                    .col(fk(Groups::AccountId))
                    .col(text(Groups::Name))
                    .col(flag(Groups::IsDefault, false))
                    .col(at(Groups::CreatedAt))
                    .foreign_key(&mut foreign(
                        Groups::Table,
                        Groups::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("groups_account")
                    .table(Groups::Table)
                    .col(Groups::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(id(Memberships::Id))
                    .col(fk(Memberships::AccountId))
                    .col(fk(Memberships::IdentityId))
                    .col(opt_fk(Memberships::GroupId))
                    .col(flag(Memberships::IsAdmin, false))
                    .col(flag(Memberships::IsFree, false))
                    .col(flag(Memberships::IsActive, true))
                    .col(at(Memberships::CreatedAt))
                    .col(at(Memberships::UpdatedAt))
                    .col(opt_at(Memberships::LastLoginAt))
                    .col(opt_at(Memberships::DeactivatedAt))
                    .foreign_key(&mut foreign(
                        Memberships::Table,
                        Memberships::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        Memberships::Table,
                        Memberships::IdentityId,
                        Identities::Table,
                        Identities::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        Memberships::Table,
                        Memberships::GroupId,
                        Groups::Table,
                        Groups::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("memberships_account_identity")
                    .table(Memberships::Table)
                    .col(Memberships::AccountId)
                    .col(Memberships::IdentityId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("memberships_identity")
                    .table(Memberships::Table)
                    .col(Memberships::IdentityId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Pipelines::Table)
                    .col(id(Pipelines::Id))
                    .col(fk(Pipelines::AccountId))
                    .col(text(Pipelines::Name))
                    .col(int(Pipelines::Sort, 0))
                    .col(flag(Pipelines::IsDefault, false))
                    .col(at(Pipelines::CreatedAt))
                    .foreign_key(&mut foreign(
                        Pipelines::Table,
                        Pipelines::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pipelines_account")
                    .table(Pipelines::Table)
                    .col(Pipelines::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Stages::Table)
                    .col(id(Stages::Id))
                    .col(fk(Stages::AccountId))
                    .col(fk(Stages::PipelineId))
                    .col(text(Stages::Name))
                    .col(int(Stages::Sort, 0))
                    // open, won or lost
                    .col(text(Stages::Kind))
                    .col(at(Stages::CreatedAt))
                    .foreign_key(&mut foreign(
                        Stages::Table,
                        Stages::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        Stages::Table,
                        Stages::PipelineId,
                        Pipelines::Table,
                        Pipelines::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("stages_pipeline")
                    .table(Stages::Table)
                    .col(Stages::PipelineId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(id(Sessions::Id))
                    .col(fk(Sessions::AccountId))
                    .col(fk(Sessions::IdentityId))
                    .col(fk(Sessions::MembershipId))
                    .col(at(Sessions::CreatedAt))
                    .col(at(Sessions::LastSeenAt))
                    .col(at(Sessions::ExpiresAt))
                    .col(opt_at(Sessions::RevokedAt))
                    .col(opt_text(Sessions::RevokeReason))
                    .col(opt_text(Sessions::UserAgent))
                    .col(opt_text(Sessions::Ip))
                    .foreign_key(&mut foreign(
                        Sessions::Table,
                        Sessions::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        Sessions::Table,
                        Sessions::IdentityId,
                        Identities::Table,
                        Identities::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        Sessions::Table,
                        Sessions::MembershipId,
                        Memberships::Table,
                        Memberships::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_identity")
                    .table(Sessions::Table)
                    .col(Sessions::IdentityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_membership")
                    .table(Sessions::Table)
                    .col(Sessions::MembershipId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(id(RefreshTokens::Id))
                    .col(fk(RefreshTokens::SessionId))
                    // SHA-256 of the token, hex; the token itself is never stored.
                    .col(text(RefreshTokens::TokenHash).unique_key())
                    .col(at(RefreshTokens::CreatedAt))
                    .col(opt_at(RefreshTokens::UsedAt))
                    .foreign_key(&mut foreign(
                        RefreshTokens::Table,
                        RefreshTokens::SessionId,
                        Sessions::Table,
                        Sessions::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("refresh_tokens_session")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::SessionId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(id(SigningKeys::Id))
                    .col(text(SigningKeys::Kid).unique_key())
                    .col(text(SigningKeys::Algorithm))
                    .col(text(SigningKeys::PrivateKeyPem))
                    .col(text(SigningKeys::PublicKey))
                    .col(at(SigningKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SigningKeys::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Stages::Table.into_iden(),
            Pipelines::Table.into_iden(),
            Memberships::Table.into_iden(),
            Groups::Table.into_iden(),
            Identities::Table.into_iden(),
            Accounts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Name,
    Language,
    SeatsGeneral,
    SeatsTechnical,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Identities {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Language,
    Phone,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    AccountId,
    Name,
    IsDefault,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    AccountId,
    IdentityId,
    GroupId,
    IsAdmin,
    IsFree,
    IsActive,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
    DeactivatedAt,
}

#[derive(DeriveIden)]
enum Pipelines {
    Table,
    Id,
    AccountId,
    Name,
    Sort,
    IsDefault,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Stages {
    Table,
    Id,
    AccountId,
    PipelineId,
    Name,
    Sort,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    AccountId,
    IdentityId,
    MembershipId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
    RevokeReason,
    UserAgent,
    Ip,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Id,
    Kid,
    Algorithm,
    PrivateKeyPem,
    PublicKey,
    CreatedAt,
}
