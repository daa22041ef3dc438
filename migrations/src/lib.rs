//! Gatehouse's database schema. One migration per change, each written once for SQLite and
//! PostgreSQL alike (sea-query renders both) except the one trigger, which each database writes
//! in its own language; every migration is applied by the test suite on both databases.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m0001_accounts_and_sign_in;
mod m0002_account_security;
mod m0003_team;
mod m0004_crm;
mod m0005_reassignment;
mod m0006_cabinet;
mod m0007_last_login_trigger;
mod m0008_refresh_token_on_session;

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
            Box::new(m0007_last_login_trigger::Migration),
            Box::new(m0008_refresh_token_on_session::Migration),
        ]
    }
}
