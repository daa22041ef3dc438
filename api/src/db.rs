//! The database connection: PostgreSQL when `DATABASE_URL` says so, else an SQLite file under the
//! data directory (WAL mode). Migrations are applied on every connect, so a fresh directory or an
//! empty PostgreSQL database is ready after the first start.

use std::time::Duration;

use gatehouse_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
    ConnectOptions, Database, DatabaseConnection,
};

use crate::config::DatabaseConfig;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(sea_orm::DbErr),
    #[error("cannot apply migrations: {0}")]
    Migrate(sea_orm::DbErr),
}

/// Connects and migrates.
///
/// # Errors
/// When the data directory cannot be created, the database cannot be reached, or a migration fails.
pub async fn connect(config: &DatabaseConfig) -> Result<DatabaseConnection, DbSetupError> {
    // An empty DATABASE_URL (a blank line in an env file) means "not set".
    let url = match config
        .database_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => url.to_owned(),
        None => {
            std::fs::create_dir_all(&config.data_dir).map_err(|source| DbSetupError::DataDir {
                path: config.data_dir.display().to_string(),
                source,
            })?;
            format!(
                "sqlite://{}?mode=rwc",
                config.data_dir.join("gatehouse.sqlite").display()
            )
        }
    };
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(config.pool_size)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        // A ping on every checkout doubles the round trips of a single query. A connection in
        // use moments ago is alive; one idle for a while may have been dropped by PostgreSQL or
        // a proxy between, and is tested first.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        // Set on every SQLite connection: WAL lets readers proceed while one writer writes;
        // synchronous=NORMAL is durable in WAL mode; writers wait for each other instead of
        // failing with "database is locked".
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let db = Database::connect(options)
        .await
        .map_err(DbSetupError::Connect)?;
    Migrator::up(&db, None)
        .await
        .map_err(DbSetupError::Migrate)?;
    Ok(db)
}

/// The search form of a name, which `*_folded` columns hold: any case matches any case, in any
/// script.
#[must_use]
pub fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// A `LIKE` pattern matching values that contain `text` literally (`%`, `_` and `\` escaped).
#[must_use]
pub fn containing(text: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}
