//! Account security (issue "account security"): the account's policy columns, two-factor and
//! forced-password-change state of identities, recovery codes, sign-in tickets, password reset
//! tokens, brute-force counters and locks, the IP allowlist, the authorization log, the mail
//! outbox and the audit log.

use sea_orm_migration::prelude::*;

use crate::columns::{
    at, fk, flag, foreign, id, index, int, opt_at, opt_big, opt_fk, opt_text, text,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let account_columns = [
            int(Accounts::PasswordMinLength, 8),
            flag(Accounts::PasswordRequireUpper, false),
            flag(Accounts::PasswordRequireLower, false),
            flag(Accounts::PasswordRequireDigit, false),
            flag(Accounts::PasswordRequireSymbol, false),
            ColumnDef::new(Accounts::TwoFactorPolicy)
                .string()
                .not_null()
                .default("optional")
                .take(),
            int(Accounts::SessionIdleMinutes, 14 * 24 * 60),
            int(Accounts::SessionAbsoluteMinutes, 90 * 24 * 60),
            int(Accounts::AuthLogRetentionDays, 365),
            flag(Accounts::AllowlistEnabled, false),
            flag(Accounts::AllowlistApplyToTokens, false),
        ];
        for mut column in account_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // The last sign-in is the membership's (per account); the identity's copy was never read.
        manager
            .alter_table(
                Table::alter()
                    .table(Identities::Table)
                    .drop_column(Identities::LastLoginAt)
                    .to_owned(),
            )
            .await?;
        let identity_columns = [
            // Base32 TOTP secret: confirmed, and pending confirmation.
            opt_text(Identities::TotpSecret),
            opt_text(Identities::TotpPendingSecret),
            opt_at(Identities::TotpEnabledAt),
            // The last time step whose code was accepted: a code is accepted once (T1).
            opt_big(Identities::TotpLastStep),
            flag(Identities::MustChangePassword, false),
            opt_at(Identities::PasswordChangedAt),
        ];
        for mut column in identity_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Identities::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Memberships::Table)
                    .add_column(flag(Memberships::AllowlistExempt, false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(id(RecoveryCodes::Id))
                    .col(fk(RecoveryCodes::IdentityId))
                    .col(text(RecoveryCodes::CodeHash))
                    .col(at(RecoveryCodes::CreatedAt))
                    .col(opt_at(RecoveryCodes::UsedAt))
                    .foreign_key(&mut foreign(
                        RecoveryCodes::Table,
                        RecoveryCodes::IdentityId,
                        Identities::Table,
                        Identities::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "recovery_codes_identity",
                RecoveryCodes::Table,
                [RecoveryCodes::IdentityId, RecoveryCodes::CodeHash],
            ))
            .await?;

        // Single-use tickets: the second step of a two-factor sign-in, and forgotten-password
        // resets. Only SHA-256 hashes of the tokens are kept.
        manager
            .create_table(
                Table::create()
                    .table(SignInTickets::Table)
                    .col(id(SignInTickets::Id))
                    .col(text(SignInTickets::TokenHash).unique_key())
                    .col(fk(SignInTickets::IdentityId))
                    .col(fk(SignInTickets::MembershipId))
                    .col(text(SignInTickets::Method))
                    .col(at(SignInTickets::CreatedAt))
                    .col(at(SignInTickets::ExpiresAt))
                    .col(opt_at(SignInTickets::UsedAt))
                    .foreign_key(&mut foreign(
                        SignInTickets::Table,
                        SignInTickets::IdentityId,
                        Identities::Table,
                        Identities::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        SignInTickets::Table,
                        SignInTickets::MembershipId,
                        Memberships::Table,
                        Memberships::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(id(PasswordResets::Id))
                    .col(text(PasswordResets::TokenHash).unique_key())
                    .col(fk(PasswordResets::IdentityId))
                    .col(at(PasswordResets::CreatedAt))
                    .col(at(PasswordResets::ExpiresAt))
                    .col(opt_at(PasswordResets::UsedAt))
                    .foreign_key(&mut foreign(
                        PasswordResets::Table,
                        PasswordResets::IdentityId,
                        Identities::Table,
                        Identities::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // Brute-force limits (A5): failures by normalised e-mail and by IP, and the locks they
        // lead to. Keys of unknown e-mails are counted too.
        manager
            .create_table(
                Table::create()
                    .table(SignInFailures::Table)
                    .col(id(SignInFailures::Id))
                    .col(text(SignInFailures::Scope))
                    .col(text(SignInFailures::Key))
                    .col(at(SignInFailures::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "sign_in_failures_key",
                SignInFailures::Table,
                [
                    SignInFailures::Scope,
                    SignInFailures::Key,
                    SignInFailures::At,
                ],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInLocks::Table)
                    .col(id(SignInLocks::Id))
                    .col(text(SignInLocks::Scope))
                    .col(text(SignInLocks::Key))
                    .col(at(SignInLocks::LockedUntil))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "sign_in_locks_key",
                    SignInLocks::Table,
                    [SignInLocks::Scope, SignInLocks::Key],
                )
                .unique()
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AllowlistEntries::Table)
                    .col(id(AllowlistEntries::Id))
                    .col(fk(AllowlistEntries::AccountId))
                    .col(text(AllowlistEntries::Range))
                    .col(text(AllowlistEntries::Note))
                    .col(int(AllowlistEntries::Position, 0))
                    .foreign_key(&mut foreign(
                        AllowlistEntries::Table,
                        AllowlistEntries::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "allowlist_entries_account",
                AllowlistEntries::Table,
                [AllowlistEntries::AccountId],
            ))
            .await?;

        // The authorization log (S1). No foreign keys: entries outlive what they name, and an
        // unknown e-mail names nothing.
        manager
            .create_table(
                Table::create()
                    .table(AuthLog::Table)
                    .col(id(AuthLog::Id))
                    .col(at(AuthLog::At))
                    .col(opt_fk(AuthLog::AccountId))
                    .col(opt_fk(AuthLog::MembershipId))
                    .col(opt_fk(AuthLog::IdentityId))
                    .col(text(AuthLog::Email))
                    .col(text(AuthLog::Method))
                    .col(text(AuthLog::Outcome))
                    .col(text(AuthLog::Ip))
                    .col(text(AuthLog::UserAgent))
                    .col(text(AuthLog::Browser))
                    .col(text(AuthLog::Os))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "auth_log_account_at",
                AuthLog::Table,
                [AuthLog::AccountId, AuthLog::At],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(id(OutboxMessages::Id))
                    .col(opt_fk(OutboxMessages::AccountId))
                    .col(at(OutboxMessages::CreatedAt))
                    .col(text(OutboxMessages::ToAddress))
                    .col(text(OutboxMessages::Subject))
                    .col(opt_text(OutboxMessages::Body))
                    .col(text(OutboxMessages::Status))
                    .col(opt_text(OutboxMessages::Error))
                    .col(int(OutboxMessages::Attempts, 0))
                    .col(opt_at(OutboxMessages::SentAt))
                    .foreign_key(&mut foreign(
                        OutboxMessages::Table,
                        OutboxMessages::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "outbox_messages_account",
                OutboxMessages::Table,
                [OutboxMessages::AccountId, OutboxMessages::Id],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(id(AuditEvents::Id))
                    .col(fk(AuditEvents::AccountId))
                    .col(at(AuditEvents::At))
                    .col(opt_fk(AuditEvents::ActorMembershipId))
                    .col(text(AuditEvents::Action))
                    .col(opt_fk(AuditEvents::TargetMembershipId))
                    .col(text(AuditEvents::Details))
                    .foreign_key(&mut foreign(
                        AuditEvents::Table,
                        AuditEvents::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "audit_events_account_at",
                AuditEvents::Table,
                [AuditEvents::AccountId, AuditEvents::At],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            OutboxMessages::Table.into_iden(),
            AuthLog::Table.into_iden(),
            AllowlistEntries::Table.into_iden(),
            SignInLocks::Table.into_iden(),
            SignInFailures::Table.into_iden(),
            PasswordResets::Table.into_iden(),
            SignInTickets::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
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
    PasswordMinLength,
    PasswordRequireUpper,
    PasswordRequireLower,
    PasswordRequireDigit,
    PasswordRequireSymbol,
    TwoFactorPolicy,
    SessionIdleMinutes,
    SessionAbsoluteMinutes,
    AuthLogRetentionDays,
    AllowlistEnabled,
    AllowlistApplyToTokens,
}

#[derive(DeriveIden)]
enum Identities {
    Table,
    Id,
    LastLoginAt,
    TotpSecret,
    TotpPendingSecret,
    TotpEnabledAt,
    TotpLastStep,
    MustChangePassword,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    AllowlistExempt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    IdentityId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInTickets {
    Table,
    Id,
    TokenHash,
    IdentityId,
    MembershipId,
    Method,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    TokenHash,
    IdentityId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    Scope,
    Key,
    At,
}

#[derive(DeriveIden)]
enum SignInLocks {
    Table,
    Id,
    Scope,
    Key,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AllowlistEntries {
    Table,
    Id,
    AccountId,
    Range,
    Note,
    Position,
}

#[derive(DeriveIden)]
enum AuthLog {
    Table,
    Id,
    At,
    AccountId,
    MembershipId,
    IdentityId,
    Email,
    Method,
    Outcome,
    Ip,
    UserAgent,
    Browser,
    Os,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    AccountId,
    CreatedAt,
    ToAddress,
    Subject,
    Body,
    Status,
    Error,
    Attempts,
    SentAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    AccountId,
    At,
    ActorMembershipId,
    Action,
    TargetMembershipId,
    Details,
}
