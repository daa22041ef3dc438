//! A membership's last sign-in kept by the database: a trigger on `sessions` sets
//! `memberships.last_login_at` to each new session's start inside the statement that inserts
//! the session. Every path that starts a session (password, second factor, invitation, account
//! switch) is a sign-in to that membership, so none can forget it, and a sign-in writes one
//! statement fewer: sign-in is the one request a flood repeats, and on two cores each statement's
//! round trip is CPU time taken from password hashing (SPEC Q2).
//!
//! The one migration written per database: sea-query does not render triggers, and each
//! database has its own trigger language.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &str = "CREATE TRIGGER sessions_last_login AFTER INSERT ON sessions
BEGIN
  UPDATE memberships SET last_login_at = NEW.created_at WHERE id = NEW.membership_id;
END";

const POSTGRES_UP: [&str; 2] = [
    "CREATE FUNCTION sessions_last_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE memberships SET last_login_at = NEW.created_at WHERE id = NEW.membership_id;
  RETURN NULL;
END
$$",
    "CREATE TRIGGER sessions_last_login AFTER INSERT ON sessions
FOR EACH ROW EXECUTE FUNCTION sessions_last_login()",
];

const POSTGRES_DOWN: [&str; 2] = [
    "DROP TRIGGER sessions_last_login ON sessions",
    "DROP FUNCTION sessions_last_login()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Sqlite => &[SQLITE_UP],
            DbBackend::Postgres => &POSTGRES_UP,
            other => return Err(unsupported(other)),
        };
        run(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Sqlite => &["DROP TRIGGER sessions_last_login"],
            DbBackend::Postgres => &POSTGRES_DOWN,
            other => return Err(unsupported(other)),
        };
        run(manager, statements).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    for statement in statements {
        manager
            .get_connection()
            .execute_unprepared(statement)
            .await?;
    }
    Ok(())
}

fn unsupported(backend: DbBackend) -> DbErr {
    DbErr::Migration(format!(
        "Gatehouse runs on SQLite and PostgreSQL, not {}",
        backend.as_str()
    ))
}
