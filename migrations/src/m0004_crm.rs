//! The CRM core (C1–C5) that rights act on and deactivation reassigns (D3): companies, contacts,
//! leads with their contacts and participants, tasks, custom field definitions, lead timeline
//! events, and the durable reassignment jobs.

use sea_orm_migration::prelude::*;

use crate::columns::{at, fk, foreign, id, index, opt_at, opt_fk, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Custom field values of a record: JSON `{field id: value}`, validated by the field's type when
/// written and read whole with the record, never queried by part.
fn custom(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().default("{}").take()
}

fn json_list(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().default("[]").take()
}

/// The columns every CRM record has: account, responsible member, authorship and times.
fn record(table: impl IntoIden + Copy, mut create: TableCreateStatement) -> TableCreateStatement {
    create
        .col(fk(Record::ResponsibleId))
        .col(custom(Record::Custom))
        .col(opt_fk(Record::CreatedBy))
        .col(opt_fk(Record::UpdatedBy))
        .col(at(Record::CreatedAt))
        .col(at(Record::UpdatedAt))
        .foreign_key(&mut foreign(
            table,
            Record::AccountId,
            Accounts::Table,
            Accounts::Id,
            ForeignKeyAction::Cascade,
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(record(
                Companies::Table,
                Table::create()
                    .table(Companies::Table)
                    .col(id(Companies::Id))
                    .col(fk(Record::AccountId))
                    .col(text(Companies::Name))
                    // Lower-cased by the application for search (SQLite folds ASCII only).
                    .col(text(Record::NameFolded))
                    .take(),
            ))
            .await?;
        manager
            .create_table(record(
                Contacts::Table,
                Table::create()
                    .table(Contacts::Table)
                    .col(id(Contacts::Id))
                    .col(fk(Record::AccountId))
                    .col(text(Contacts::Name))
                    // Lower-cased by the application for search (SQLite folds ASCII only).
                    .col(text(Record::NameFolded))
                    .col(json_list(Contacts::Phones))
                    .col(json_list(Contacts::Emails))
                    .col(opt_fk(Contacts::CompanyId))
                    .foreign_key(&mut foreign(
                        Contacts::Table,
                        Contacts::CompanyId,
                        Companies::Table,
                        Companies::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            ))
            .await?;
        manager
            .create_table(record(
                Leads::Table,
                Table::create()
                    .table(Leads::Table)
                    .col(id(Leads::Id))
                    .col(fk(Record::AccountId))
                    .col(text(Leads::Name))
                    // Lower-cased by the application for search (SQLite folds ASCII only).
                    .col(text(Record::NameFolded))
                    .col(
                        ColumnDef::new(Leads::Price)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(fk(Leads::PipelineId))
                    .col(fk(Leads::StageId))
                    .col(opt_fk(Leads::CompanyId))
                    .foreign_key(&mut foreign(
                        Leads::Table,
                        Leads::StageId,
                        Stages::Table,
                        Stages::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut foreign(
                        Leads::Table,
                        Leads::CompanyId,
                        Companies::Table,
                        Companies::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LeadContacts::Table)
                    .col(fk(LeadContacts::LeadId))
                    .col(fk(LeadContacts::ContactId))
                    .primary_key(
                        Index::create()
                            .col(LeadContacts::LeadId)
                            .col(LeadContacts::ContactId),
                    )
                    .foreign_key(&mut foreign(
                        LeadContacts::Table,
                        LeadContacts::LeadId,
                        Leads::Table,
                        Leads::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign(
                        LeadContacts::Table,
                        LeadContacts::ContactId,
                        Contacts::Table,
                        Contacts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LeadParticipants::Table)
                    .col(fk(LeadParticipants::LeadId))
                    .col(fk(LeadParticipants::MembershipId))
                    .primary_key(
                        Index::create()
                            .col(LeadParticipants::LeadId)
                            .col(LeadParticipants::MembershipId),
                    )
                    .foreign_key(&mut foreign(
                        LeadParticipants::Table,
                        LeadParticipants::LeadId,
                        Leads::Table,
                        Leads::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(record(
                Tasks::Table,
                Table::create()
                    .table(Tasks::Table)
                    .col(id(Tasks::Id))
                    .col(fk(Record::AccountId))
                    .col(text(Tasks::Text))
                    .col(opt_at(Tasks::DueAt))
                    // `leads`, `contacts` or `companies`, with the record's id; both NULL for a
                    // task of its own.
                    .col(ColumnDef::new(Tasks::EntityType).string().null())
                    .col(opt_fk(Tasks::EntityId))
                    .col(opt_at(Tasks::CompletedAt))
                    .take(),
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CustomFields::Table)
                    .col(id(CustomFields::Id))
                    .col(fk(CustomFields::AccountId))
                    .col(text(CustomFields::Entity))
                    .col(text(CustomFields::Name))
                    .col(text(CustomFields::Kind))
                    .col(json_list(CustomFields::Options))
                    .col(
                        ColumnDef::new(CustomFields::Sort)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(at(CustomFields::CreatedAt))
                    .foreign_key(&mut foreign(
                        CustomFields::Table,
                        CustomFields::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LeadEvents::Table)
                    .col(id(LeadEvents::Id))
                    .col(fk(LeadEvents::AccountId))
                    .col(fk(LeadEvents::LeadId))
                    .col(text(LeadEvents::Kind))
                    .col(
                        ColumnDef::new(LeadEvents::Payload)
                            .string()
                            .not_null()
                            .default("{}"),
                    )
                    // The author's name is kept as it was (D4): history outlives memberships.
                    .col(opt_fk(LeadEvents::AuthorId))
                    .col(ColumnDef::new(LeadEvents::AuthorName).string().null())
                    // Set for events of a reassignment job: a resumed batch finds what it wrote.
                    .col(opt_fk(LeadEvents::JobId))
                    .col(at(LeadEvents::CreatedAt))
                    .foreign_key(&mut foreign(
                        LeadEvents::Table,
                        LeadEvents::LeadId,
                        Leads::Table,
                        Leads::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReassignmentJobs::Table)
                    .col(id(ReassignmentJobs::Id))
                    .col(fk(ReassignmentJobs::AccountId))
                    .col(fk(ReassignmentJobs::ActorId))
                    // JSON of the domain's plan: who leaves, who receives what.
                    .col(text(ReassignmentJobs::Plan))
                    // `running`, `done` or `failed`.
                    .col(text(ReassignmentJobs::State))
                    // JSON counts per entity type: to move, and moved so far.
                    .col(text(ReassignmentJobs::Totals))
                    .col(text(ReassignmentJobs::Moved))
                    .col(ColumnDef::new(ReassignmentJobs::Error).string().null())
                    .col(at(ReassignmentJobs::CreatedAt))
                    .col(at(ReassignmentJobs::UpdatedAt))
                    .col(opt_at(ReassignmentJobs::FinishedAt))
                    .foreign_key(&mut foreign(
                        ReassignmentJobs::Table,
                        ReassignmentJobs::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // Lists are ordered newest first within an account, narrowed by responsible member
        // (M and G rights, deactivation) or by stage (the board, stage rights).
        let indexes = [
            index(
                "companies_account_responsible",
                Companies::Table,
                [Record::AccountId, Record::ResponsibleId],
            ),
            index(
                "contacts_account_responsible",
                Contacts::Table,
                [Record::AccountId, Record::ResponsibleId],
            ),
            index("contacts_company", Contacts::Table, [Contacts::CompanyId]),
            index(
                "leads_account_id",
                Leads::Table,
                [Record::AccountId.into_iden(), Leads::Id.into_iden()],
            ),
            index(
                "leads_account_responsible",
                Leads::Table,
                [Record::AccountId, Record::ResponsibleId],
            ),
            index(
                "leads_account_stage",
                Leads::Table,
                [Record::AccountId.into_iden(), Leads::StageId.into_iden()],
            ),
            index("leads_company", Leads::Table, [Leads::CompanyId]),
            index(
                "lead_contacts_contact",
                LeadContacts::Table,
                [LeadContacts::ContactId],
            ),
            index(
                "lead_participants_member",
                LeadParticipants::Table,
                [LeadParticipants::MembershipId],
            ),
            index(
                "tasks_account_responsible",
                Tasks::Table,
                [Record::AccountId, Record::ResponsibleId],
            ),
            index(
                "tasks_entity",
                Tasks::Table,
                [Tasks::EntityType, Tasks::EntityId],
            ),
            index(
                "custom_fields_account",
                CustomFields::Table,
                [CustomFields::AccountId, CustomFields::Entity],
            ),
            index(
                "lead_events_lead",
                LeadEvents::Table,
                [LeadEvents::LeadId, LeadEvents::Id],
            ),
            index("lead_events_job", LeadEvents::Table, [LeadEvents::JobId]),
            index(
                "reassignment_jobs_state",
                ReassignmentJobs::Table,
                [ReassignmentJobs::State],
            ),
        ];
        for statement in indexes {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReassignmentJobs::Table.into_iden(),
            LeadEvents::Table.into_iden(),
            CustomFields::Table.into_iden(),
            Tasks::Table.into_iden(),
            LeadParticipants::Table.into_iden(),
            LeadContacts::Table.into_iden(),
            Leads::Table.into_iden(),
            Contacts::Table.into_iden(),
            Companies::Table.into_iden(),
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
enum Stages {
    Table,
    Id,
}

/// Columns shared by every record table.
#[derive(DeriveIden, Clone, Copy)]
enum Record {
    AccountId,
    NameFolded,
    ResponsibleId,
    Custom,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Companies {
    Table,
    Id,
    Name,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contacts {
    Table,
    Id,
    Name,
    Phones,
    Emails,
    CompanyId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Leads {
    Table,
    Id,
    Name,
    Price,
    PipelineId,
    StageId,
    CompanyId,
}

#[derive(DeriveIden)]
enum LeadContacts {
    Table,
    LeadId,
    ContactId,
}

#[derive(DeriveIden)]
enum LeadParticipants {
    Table,
    LeadId,
    MembershipId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tasks {
    Table,
    Id,
    Text,
    DueAt,
    EntityType,
    EntityId,
    CompletedAt,
}

#[derive(DeriveIden)]
enum CustomFields {
    Table,
    Id,
    AccountId,
    Entity,
    Name,
    Kind,
    Options,
    Sort,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeadEvents {
    Table,
    Id,
    AccountId,
    LeadId,
    Kind,
    Payload,
    AuthorId,
    AuthorName,
    JobId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReassignmentJobs {
    Table,
    Id,
    AccountId,
    ActorId,
    Plan,
    State,
    Totals,
    Moved,
    Error,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}
