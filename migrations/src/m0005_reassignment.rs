//! Reassignment jobs that resume where they stopped (D3): each job keeps its cursor, and the
//! records' responsible-member indexes end in the id, so "the next N records of this member
//! after id X" is one index range read at 10^6 records, not a scan past those already moved.

use sea_orm_migration::prelude::*;

use crate::columns::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The record tables and their indexes on `(account_id, responsible_id)`, which the new ones
/// extend (they serve every query the old ones did).
const RECORDS: [(&str, &str, &str); 4] = [
    (
        "leads",
        "leads_account_responsible",
        "leads_account_responsible_id",
    ),
    (
        "contacts",
        "contacts_account_responsible",
        "contacts_account_responsible_id",
    ),
    (
        "companies",
        "companies_account_responsible",
        "companies_account_responsible_id",
    ),
    (
        "tasks",
        "tasks_account_responsible",
        "tasks_account_responsible_id",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReassignmentJobs::Table)
                    // JSON: the record type and leaver the job is at, and the last id it moved.
                    .add_column(
                        ColumnDef::new(ReassignmentJobs::Cursor)
                            .string()
                            .not_null()
                            .default("{}"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "reassignment_jobs_account",
                ReassignmentJobs::Table,
                [ReassignmentJobs::AccountId, ReassignmentJobs::Id],
            ))
            .await?;
        for (table, old, new) in RECORDS {
            manager
                .create_index(index(
                    new,
                    Alias::new(table),
                    [Record::AccountId, Record::ResponsibleId, Record::Id],
                ))
                .await?;
            manager
                .drop_index(Index::drop().name(old).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, old, new) in RECORDS {
            manager
                .create_index(index(
                    old,
                    Alias::new(table),
                    [Record::AccountId, Record::ResponsibleId],
                ))
                .await?;
            manager
                .drop_index(Index::drop().name(new).table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("reassignment_jobs_account")
                    .table(ReassignmentJobs::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReassignmentJobs::Table)
                    .drop_column(ReassignmentJobs::Cursor)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ReassignmentJobs {
    Table,
    Id,
    AccountId,
    Cursor,
}

#[derive(DeriveIden, Clone, Copy)]
enum Record {
    Id,
    AccountId,
    ResponsibleId,
}
