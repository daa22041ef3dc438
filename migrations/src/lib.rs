//! Gatehouse's database schema. One migration per change, each written once for SQLite and
//! PostgreSQL alike (sea-query renders both); every migration is applied by the test suite on
//! both databases.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m0001_accounts_and_sign_in;
mod m0002_account_security;
mod m0003_team;
mod m0004_crm;
mod m0005_reassignment;
mod m0006_cabinet;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_accounts_and_sign_in::Migration),
            Box::new(m0002_account_security::Migration),
            Box::new(m0003_team::Migration),
            Box::new(m0004_crm::Migration),
            Box::new(m0005_reassignment::Migration),
            Box::new(m0006_cabinet::Migration),
        ]
    }
}
