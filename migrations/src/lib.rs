//! Gatehouse's database schema. One migration per change, each written once for SQLite and
//! PostgreSQL alike (sea-query renders both); every migration is applied by the test suite on
//! both databases.

pub use sea_orm_migration::prelude::*;

mod m0001_accounts_and_sign_in;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m0001_accounts_and_sign_in::Migration)]
    }
}
