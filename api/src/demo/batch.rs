//! Multi-row `INSERT`s for the demo's bulk records, and ids reserved before rows are written.
//!
//! One ORM insert per row costs a round trip and a statement each: 10^6 leads with their
//! timelines would take most of an hour. Rows are instead bound into statements of many rows
//! each, through the same value binding the ORM uses, so timestamps, booleans and NULLs are
//! stored exactly as the API stores them.

use std::collections::VecDeque;

use gatehouse_domain::Id;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait, Value,
};
use tokio::task::JoinHandle;

use super::DemoError;
use crate::error::ApiError;

/// Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_VALUES: usize = 30_000;

/// Rows waiting to be written to one table.
pub struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            values: Vec::new(),
        }
    }

    /// Adds a row: one value per column, in the columns' order.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.columns.len(), "a row of {}", self.table);
        self.values.extend(row);
    }

    /// Writes the rows held, as few statements as the value limit allows, and empties the
    /// buffer.
    ///
    /// # Errors
    /// Database errors.
    pub async fn write(&mut self, db: &impl ConnectionTrait) -> Result<u64, DbErr> {
        let width = self.columns.len().max(1);
        let per_statement = (MAX_VALUES / width).max(1) * width;
        let backend = db.get_database_backend();
        let mut written = 0;
        let mut values = std::mem::take(&mut self.values).into_iter().peekable();
        while values.peek().is_some() {
            let chunk: Vec<Value> = values.by_ref().take(per_statement).collect();
            let sql = self.sql(backend, chunk.len() / width);
            let result = db
                .execute_raw(Statement::from_sql_and_values(backend, sql, chunk))
                .await?;
            written += result.rows_affected();
        }
        Ok(written)
    }

    fn sql(&self, backend: DbBackend, rows: usize) -> String {
        let width = self.columns.len();
        let columns = self
            .columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = String::with_capacity(64 + rows * width * 6);
        sql.push_str(&format!(
            "INSERT INTO \"{}\" ({columns}) VALUES ",
            self.table
        ));
        let mut n = 0;
        for row in 0..rows {
            if row > 0 {
                sql.push(',');
            }
            sql.push('(');
            for column in 0..width {
                if column > 0 {
                    sql.push(',');
                }
                n += 1;
                match backend {
                    DbBackend::Postgres => {
                        sql.push('$');
                        sql.push_str(&n.to_string());
                    }
                    _ => sql.push('?'),
                }
            }
            sql.push(')');
        }
        sql
    }
}

/// Takes `n` new ids of `table`'s auto-incremented `id` for rows written later, so rows that
/// refer to each other can be made before any is written, and batches can be written while
/// the next is made.
///
/// On PostgreSQL they come from the table's sequence, which other writers share safely. On
/// SQLite a short transaction moves the table's sequence past them while it holds the write
/// lock (taken by locking the account first), so nobody else's insert can take them.
///
/// # Errors
/// Database errors.
pub async fn reserve_ids(
    db: &DatabaseConnection,
    account_id: Id,
    table: &'static str,
    n: usize,
) -> Result<Vec<Id>, DemoError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    if backend == DbBackend::Postgres {
        // Sequences are not transactional: the ids are ours as soon as they are drawn.
        return Ok(reserve_ids_in(db, table, n).await?);
    }
    let txn = db.begin().await?;
    crate::accounts::seats::lock(&txn, account_id).await?;
    let row = txn
        .query_one_raw(Statement::from_string(backend, last_id_sql(table)))
        .await?;
    let last = match row {
        Some(row) => row.try_get_by_index::<i64>(0)?,
        None => 0,
    };
    let reserved = [Value::from(last + count), Value::from(table.to_owned())];
    let moved = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE sqlite_sequence SET seq = ? WHERE name = ?",
            reserved.clone(),
        ))
        .await?;
    if moved.rows_affected() == 0 {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO sqlite_sequence (seq, name) VALUES (?, ?)",
            reserved,
        ))
        .await?;
    }
    txn.commit().await?;
    Ok((1..=count).map(|k| last + k).collect())
}

/// Takes `n` new ids of `table` for rows written in the same transaction, which on SQLite must
/// already hold the write lock (its first statement wrote): nobody else can insert before these
/// rows, and SQLite moves the table's sequence past explicit ids itself.
///
/// # Errors
/// Database errors.
pub async fn reserve_ids_in(
    txn: &impl ConnectionTrait,
    table: &'static str,
    n: usize,
) -> Result<Vec<Id>, DbErr> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let backend = txn.get_database_backend();
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    if backend == DbBackend::Postgres {
        let rows = txn
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) \
                     FROM generate_series(1, $1)"
                ),
                [Value::from(count)],
            ))
            .await?;
        return rows.iter().map(|r| r.try_get_by_index::<i64>(0)).collect();
    }
    let row = txn
        .query_one_raw(Statement::from_string(backend, last_id_sql(table)))
        .await?;
    let last = match row {
        Some(row) => row.try_get_by_index::<i64>(0)?,
        None => 0,
    };
    Ok((1..=count).map(|k| last + k).collect())
}

/// The largest id `table` ever used, on SQLite.
fn last_id_sql(table: &str) -> String {
    format!(
        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0), \
         COALESCE((SELECT MAX(id) FROM \"{table}\"), 0))"
    )
}

/// What one transaction writes: rows of several tables, in the order their references need.
pub struct Batch {
    /// The kind of record the batch is about, for progress.
    pub what: &'static str,
    /// How many of them.
    pub records: u64,
    pub tables: Vec<Rows>,
}

/// Batches being written while the next are made: at most `depth` transactions at once,
/// committed in the order they were handed in.
pub struct Batches {
    db: DatabaseConnection,
    depth: usize,
    in_flight: VecDeque<JoinHandle<Result<Written, DbErr>>>,
}

/// A committed batch: what it was about, and the rows written to each table.
pub struct Written {
    pub what: &'static str,
    pub records: u64,
    pub rows: Vec<(&'static str, u64)>,
}

impl Batches {
    /// PostgreSQL writes two batches at once (a connection each); SQLite has one writer, so
    /// one batch is written while the next is made.
    pub fn new(db: &DatabaseConnection) -> Self {
        let depth = match db.get_database_backend() {
            DbBackend::Postgres => 2,
            _ => 1,
        };
        Self {
            db: db.clone(),
            depth,
            in_flight: VecDeque::new(),
        }
    }

    /// Starts writing `batch`; returns the batches committed meanwhile.
    ///
    /// # Errors
    /// The first failure of a batch already handed in.
    pub async fn submit(&mut self, batch: Batch) -> Result<Vec<Written>, DemoError> {
        let mut written = Vec::new();
        while self.in_flight.len() >= self.depth {
            written.push(self.oldest().await?);
        }
        self.in_flight
            .push_back(tokio::spawn(commit(self.db.clone(), batch)));
        Ok(written)
    }

    /// Waits for every batch handed in.
    ///
    /// # Errors
    /// The first failure.
    pub async fn drain(&mut self) -> Result<Vec<Written>, DemoError> {
        let mut written = Vec::new();
        while !self.in_flight.is_empty() {
            written.push(self.oldest().await?);
        }
        Ok(written)
    }

    async fn oldest(&mut self) -> Result<Written, DemoError> {
        match self.in_flight.pop_front() {
            Some(handle) => Ok(handle
                .await
                .map_err(|e| ApiError::internal(format!("a demo batch stopped: {e}")))??),
            None => Err(ApiError::internal("no batch is being written").into()),
        }
    }
}

async fn commit(db: DatabaseConnection, batch: Batch) -> Result<Written, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Demo rows need not wait for the disk at each commit: a crash loses at most the last
        // batches, which an append makes again.
        txn.execute_unprepared("SET LOCAL synchronous_commit TO OFF")
            .await?;
    }
    let mut rows = Vec::with_capacity(batch.tables.len());
    for mut table in batch.tables {
        let name = table.table;
        rows.push((name, table.write(&txn).await?));
    }
    txn.commit().await?;
    Ok(Written {
        what: batch.what,
        records: batch.records,
        rows,
    })
}
