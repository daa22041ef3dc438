//! The client cabinet (K1–K6): its settings per account, the SMS providers and the log of what
//! they carried, the sign-in codes (hashed; their rows also count the sends that the limits
//! bound) and the cabinet sessions, a principal of their own beside the staff's sessions.

use sea_orm_migration::prelude::*;

use crate::columns::{at, fk, flag, foreign, id, index, int, opt_at, opt_fk, opt_text, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn json(col: impl IntoIden, default: &str) -> ColumnDef {
    ColumnDef::new(col)
        .string()
        .not_null()
        .default(default)
        .take()
}

fn account_key(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    foreign(
        table,
        col,
        Accounts::Table,
        Accounts::Id,
        ForeignKeyAction::Cascade,
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SmsProviders::Table)
                    .col(id(SmsProviders::Id))
                    .col(fk(SmsProviders::AccountId))
                    .col(text(SmsProviders::Name))
                    // `outbox` or `http`.
                    .col(text(SmsProviders::Kind))
                    // JSON: the webhook's address, format, fields, timeout and retries.
                    .col(json(SmsProviders::Settings, "{}"))
                    // The webhook's Authorization header: sent to the gateway, never returned.
                    .col(opt_text(SmsProviders::Authorization))
                    .col(at(SmsProviders::CreatedAt))
                    .col(at(SmsProviders::UpdatedAt))
                    .foreign_key(&mut account_key(
                        SmsProviders::Table,
                        SmsProviders::AccountId,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "sms_providers_account",
                SmsProviders::Table,
                [SmsProviders::AccountId, SmsProviders::Id],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CabinetSettings::Table)
                    .col(
                        ColumnDef::new(CabinetSettings::AccountId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(flag(CabinetSettings::Enabled, false))
                    .col(opt_fk(CabinetSettings::SmsProviderId))
                    .col(text(CabinetSettings::LoginTemplate))
                    .col(text(CabinetSettings::DeletionTemplate))
                    .col(text(CabinetSettings::Language))
                    .col(text(CabinetSettings::HeaderText))
                    .col(ColumnDef::new(CabinetSettings::Logo).blob().null())
                    .col(opt_at(CabinetSettings::LogoUpdatedAt))
                    .col(flag(CabinetSettings::ChatEnabled, true))
                    .col(flag(CabinetSettings::ShowCompany, true))
                    .col(flag(CabinetSettings::ShowClientName, true))
                    // JSON lists: event kind codes; `{field, alias}`; `{stage_id, name}`.
                    .col(json(CabinetSettings::EventKinds, "[]"))
                    .col(json(CabinetSettings::Fields, "[]"))
                    .col(json(CabinetSettings::Stages, "[]"))
                    .col(flag(CabinetSettings::DeletionEnabled, false))
                    .col(at(CabinetSettings::UpdatedAt))
                    .foreign_key(&mut account_key(
                        CabinetSettings::Table,
                        CabinetSettings::AccountId,
                    ))
                    .foreign_key(&mut foreign(
                        CabinetSettings::Table,
                        CabinetSettings::SmsProviderId,
                        SmsProviders::Table,
                        SmsProviders::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SmsMessages::Table)
                    .col(id(SmsMessages::Id))
                    .col(fk(SmsMessages::AccountId))
                    .col(opt_fk(SmsMessages::ProviderId))
                    .col(text(SmsMessages::ProviderKind))
                    .col(text(SmsMessages::ToPhone))
                    .col(opt_text(SmsMessages::Body))
                    .col(text(SmsMessages::Purpose))
                    .col(text(SmsMessages::Status))
                    .col(int(SmsMessages::Attempts, 0))
                    .col(opt_text(SmsMessages::Error))
                    .col(opt_at(SmsMessages::NextAttemptAt))
                    .col(at(SmsMessages::CreatedAt))
                    .col(opt_at(SmsMessages::SentAt))
                    .foreign_key(&mut account_key(SmsMessages::Table, SmsMessages::AccountId))
                    .foreign_key(&mut foreign(
                        SmsMessages::Table,
                        SmsMessages::ProviderId,
                        SmsProviders::Table,
                        SmsProviders::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "sms_messages_account",
                SmsMessages::Table,
                [SmsMessages::AccountId, SmsMessages::Id],
            ))
            .await?;
        // The delivery worker's queue: queued messages by when they are due.
        manager
            .create_index(index(
                "sms_messages_due",
                SmsMessages::Table,
                [SmsMessages::Status, SmsMessages::NextAttemptAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CabinetCodes::Table)
                    .col(id(CabinetCodes::Id))
                    .col(fk(CabinetCodes::AccountId))
                    // E.164.
                    .col(text(CabinetCodes::Phone))
                    // `login` or `deletion`.
                    .col(text(CabinetCodes::Purpose))
                    .col(text(CabinetCodes::CodeHash))
                    .col(int(CabinetCodes::WrongAttempts, 0))
                    .col(text(CabinetCodes::Ip))
                    .col(at(CabinetCodes::CreatedAt))
                    .col(at(CabinetCodes::ExpiresAt))
                    // Used, replaced by a resend, or void after too many wrong entries.
                    .col(opt_at(CabinetCodes::ClosedAt))
                    .foreign_key(&mut account_key(
                        CabinetCodes::Table,
                        CabinetCodes::AccountId,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "cabinet_codes_phone",
                CabinetCodes::Table,
                [
                    CabinetCodes::AccountId,
                    CabinetCodes::Phone,
                    CabinetCodes::CreatedAt,
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "cabinet_codes_ip",
                CabinetCodes::Table,
                [CabinetCodes::Ip, CabinetCodes::CreatedAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CabinetSessions::Table)
                    .col(id(CabinetSessions::Id))
                    .col(fk(CabinetSessions::AccountId))
                    .col(text(CabinetSessions::Phone))
                    .col(text(CabinetSessions::TokenHash))
                    .col(opt_text(CabinetSessions::UserAgent))
                    .col(at(CabinetSessions::CreatedAt))
                    .col(at(CabinetSessions::LastSeenAt))
                    .col(at(CabinetSessions::ExpiresAt))
                    .col(opt_at(CabinetSessions::EndedAt))
                    .foreign_key(&mut account_key(
                        CabinetSessions::Table,
                        CabinetSessions::AccountId,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "cabinet_sessions_token",
                    CabinetSessions::Table,
                    [CabinetSessions::TokenHash],
                )
                .unique()
                .take(),
            )
            .await?;
        manager
            .create_index(index(
                "cabinet_sessions_phone",
                CabinetSessions::Table,
                [CabinetSessions::AccountId, CabinetSessions::Phone],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CabinetSessions::Table.into_iden(),
            CabinetCodes::Table.into_iden(),
            SmsMessages::Table.into_iden(),
            CabinetSettings::Table.into_iden(),
            SmsProviders::Table.into_iden(),
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
}

#[derive(DeriveIden)]
enum SmsProviders {
    Table,
    Id,
    AccountId,
    Name,
    Kind,
    Settings,
    Authorization,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CabinetSettings {
    Table,
    AccountId,
    Enabled,
    SmsProviderId,
    LoginTemplate,
    DeletionTemplate,
    Language,
    HeaderText,
    Logo,
    LogoUpdatedAt,
    ChatEnabled,
    ShowCompany,
    ShowClientName,
    EventKinds,
    Fields,
    Stages,
    DeletionEnabled,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SmsMessages {
    Table,
    Id,
    AccountId,
    ProviderId,
    ProviderKind,
    ToPhone,
    Body,
    Purpose,
    Status,
    Attempts,
    Error,
    NextAttemptAt,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum CabinetCodes {
    Table,
    Id,
    AccountId,
    Phone,
    Purpose,
    CodeHash,
    WrongAttempts,
    Ip,
    CreatedAt,
    ExpiresAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum CabinetSessions {
    Table,
    Id,
    AccountId,
    Phone,
    TokenHash,
    UserAgent,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    EndedAt,
}
