//! The records a leaver holds and how they move, in SQL written once for SQLite and PostgreSQL:
//! leads, contacts, companies and open tasks, each a table with `account_id`, `responsible_id`,
//! `updated_at` and `updated_by`, indexed by `(account_id, responsible_id, id)`.

use std::{collections::HashMap, fmt::Write as _};

use chrono::{DateTime, Utc};
use gatehouse_domain::{crm::EventKind, deactivation::RecordCounts, rights::Entity, Id};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait, Value,
};

use crate::error::ApiResult;

/// The table of a record type.
const fn table(entity: Entity) -> &'static str {
    match entity {
        Entity::Leads => "leads",
        Entity::Contacts => "contacts",
        Entity::Companies => "companies",
        Entity::Tasks => "tasks",
    }
}

/// Completed tasks stay with whoever completed them; every other record moves.
const fn moving(entity: Entity) -> &'static str {
    match entity {
        Entity::Tasks => " AND completed_at IS NULL",
        _ => "",
    }
}

/// A statement written with PostgreSQL's `$n` placeholders, in the form the backend reads
/// (`?n` on SQLite, which numbers them the same way).
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn id_list(ids: &[Id]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Begins a batch's transaction. On PostgreSQL:
/// - the cost model (random_page_cost 4, as for disks) prices a batch's few thousand
///   primary-key lookups above one sequential scan of the whole table and hashes that instead:
///   every batch would read all the account's records, and a job over 10^6 of them would take
///   quadratic time. In a batch the joins run as lookups;
/// - the commit does not wait for its WAL flush. Should PostgreSQL itself crash, the last
///   fraction of a second of batches is undone whole — records, events, progress and cursor
///   together — and the resumed job does them again: nothing half-done, nothing twice. The
///   deactivation itself (sessions ended) commits as usual.
///
/// # Errors
/// Database errors.
pub async fn begin_batch(db: &DatabaseConnection) -> ApiResult<DatabaseTransaction> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(
            "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL synchronous_commit = off",
        )
        .await?;
    }
    Ok(txn)
}

/// What each of `leavers` holds now, per type (members holding nothing are absent).
///
/// # Errors
/// Database errors.
pub async fn held(
    db: &impl ConnectionTrait,
    account_id: Id,
    leavers: &[Id],
) -> ApiResult<HashMap<Id, RecordCounts>> {
    let mut held: HashMap<Id, RecordCounts> = HashMap::new();
    if leavers.is_empty() {
        return Ok(held);
    }
    for entity in Entity::ALL {
        // The ids are integers (parsed as such), so listing them inline is safe, and one
        // statement serves any number of leavers.
        let sql = format!(
            "SELECT responsible_id, COUNT(*) AS held FROM {} WHERE account_id = $1 AND responsible_id IN ({}){} GROUP BY responsible_id",
            table(entity),
            id_list(leavers),
            moving(entity),
        );
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &sql,
                vec![account_id.into()],
            ))
            .await?;
        for row in rows {
            let member: Id = row.try_get("", "responsible_id")?;
            let count: i64 = row.try_get("", "held")?;
            held.entry(member)
                .or_default()
                .add(entity, u64::try_from(count).unwrap_or(0));
        }
    }
    Ok(held)
}

/// The sum of [`held`] over the leavers.
///
/// # Errors
/// Database errors.
pub async fn held_in_all(
    db: &impl ConnectionTrait,
    account_id: Id,
    leavers: &[Id],
) -> ApiResult<RecordCounts> {
    Ok(held(db, account_id, leavers)
        .await?
        .values()
        .fold(RecordCounts::default(), |total, counts| total.plus(counts)))
}

/// Whether `leaver` still holds a record of the type with an id above `after`.
///
/// # Errors
/// Database errors.
pub async fn holds_after(
    db: &impl ConnectionTrait,
    account_id: Id,
    entity: Entity,
    leaver: Id,
    after: Id,
) -> ApiResult<bool> {
    let sql = format!(
        "SELECT id FROM {} WHERE account_id = $1 AND responsible_id = $2 AND id > $3{} ORDER BY id LIMIT 1",
        table(entity),
        moving(entity),
    );
    Ok(db
        .query_one_raw(statement(
            db.get_database_backend(),
            &sql,
            vec![account_id.into(), leaver.into(), after.into()],
        ))
        .await?
        .is_some())
}

/// One batch's move, as the job asks for it.
pub struct Batch<'a> {
    pub account_id: Id,
    /// Who the records' `updated_by` names: the administrator who deactivated.
    pub actor_id: Id,
    pub entity: Entity,
    pub leaver: Id,
    /// The last id already moved of this type and leaver.
    pub after: Id,
    pub limit: u64,
    /// The receivers in rotation order; one for a single receiver.
    pub rotation: &'a [Id],
    /// How many records of the type the job moved before: where the rotation stands.
    pub start: u64,
    pub now: DateTime<Utc>,
}

/// The "responsible changed" events of the leads a batch moves.
pub struct Events<'a> {
    pub job_id: Id,
    pub author_id: Id,
    pub author_name: Option<&'a str>,
    /// The payload of the leads that go to each receiver of the rotation.
    pub payloads: &'a [(Id, String)],
}

/// What a batch moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub count: u64,
    /// The highest id moved: where the next batch starts.
    pub last: Option<Id>,
}

/// Bound values and their `$n` placeholders, numbered as they are added.
#[derive(Default)]
struct Values(Vec<Value>);

impl Values {
    fn add(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("${}", self.0.len())
    }
}

/// Moves the next `limit` records of `leaver` after `after` (by id) to the rotation, the
/// `i`-th of them to `rotation[(start + i) % len]` — [`gatehouse_domain::deactivation::receiver_at`]
/// in SQL — and writes `events` for them (leads).
///
/// A record someone else moved meanwhile (another job covering the same leaver) no longer
/// matches `responsible_id = leaver` when the update reaches it and is left alone, so nothing
/// moves twice.
///
/// # Errors
/// Database errors.
pub async fn move_batch(
    db: &impl ConnectionTrait,
    batch: &Batch<'_>,
    events: Option<&Events<'_>>,
) -> ApiResult<Moved> {
    let table = table(batch.entity);
    let mut values = Values::default();
    let now = values.add(batch.now);
    let actor = values.add(batch.actor_id);
    let account = values.add(batch.account_id);
    let leaver = values.add(batch.leaver);
    let after = values.add(batch.after);
    let limit = values.add(i64::try_from(batch.limit).unwrap_or(i64::MAX));
    let receiver = match batch.rotation {
        [one] => one.to_string(),
        many => {
            let start = values.add(i64::try_from(batch.start).unwrap_or(0));
            let mut case = format!(
                "CASE (({start} + ROW_NUMBER() OVER (ORDER BY next.id) - 1) % {})",
                many.len()
            );
            for (i, member) in many.iter().enumerate() {
                let _ = write!(case, " WHEN {i} THEN {member}");
            }
            case.push_str(" END");
            case
        }
    };
    let only = moving(batch.entity);
    let update = format!(
        "UPDATE {table} SET responsible_id = picked.receiver, updated_at = {now}, updated_by = {actor} \
         FROM (SELECT next.id AS record_id, {receiver} AS receiver FROM \
         (SELECT id FROM {table} WHERE account_id = {account} AND responsible_id = {leaver} AND id > {after}{only} ORDER BY id LIMIT {limit}) AS next) AS picked \
         WHERE {table}.id = picked.record_id AND {table}.responsible_id = {leaver}{only} \
         RETURNING {table}.id AS record_id, {table}.responsible_id AS receiver"
    );
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // One statement: the update hands what it moved straight to the events' insert, and
        // its text stays the same from batch to batch (prepared once per connection).
        let written = match events {
            Some(events) => {
                let payload = payload_of(&mut values, events, "moved.receiver");
                let author = values.add(events.author_id);
                let author_name = values.add(events.author_name.map(str::to_owned));
                let job = values.add(events.job_id);
                format!(
                    ", written AS (INSERT INTO lead_events (account_id, lead_id, kind, payload, author_id, author_name, job_id, created_at) \
                     SELECT {account}, moved.record_id, '{kind}', {payload}, {author}, {author_name}, {job}, {now} FROM moved)",
                    kind = EventKind::ResponsibleChanged.code(),
                )
            }
            None => String::new(),
        };
        let sql = format!(
            "WITH moved AS ({update}){written} SELECT COUNT(*) AS moved, MAX(record_id) AS last FROM moved"
        );
        let row = db
            .query_one_raw(statement(backend, &sql, values.0))
            .await?
            .ok_or_else(|| crate::error::ApiError::internal("a count returned no row"))?;
        let count: i64 = row.try_get("", "moved")?;
        return Ok(Moved {
            count: u64::try_from(count).unwrap_or(0),
            last: row.try_get("", "last")?,
        });
    }
    // SQLite has no updates inside WITH: the moved rows come back and their events go in as
    // one insert.
    let moved: Vec<(Id, Id)> = db
        .query_all_raw(statement(backend, &update, values.0))
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get("", "record_id")?, row.try_get("", "receiver")?)))
        .collect::<ApiResult<_>>()?;
    if let (Some(events), false) = (events, moved.is_empty()) {
        write_events(db, batch, events, &moved).await?;
    }
    Ok(Moved {
        count: moved.len() as u64,
        last: moved.iter().map(|(id, _)| *id).max(),
    })
}

/// The payload expression: the one payload, or the one for the receiver in `column`.
fn payload_of(values: &mut Values, events: &Events<'_>, column: &str) -> String {
    match events.payloads {
        [(_, payload)] => values.add(payload.clone()),
        many => {
            let mut case = format!("CASE {column}");
            for (receiver, payload) in many {
                let placeholder = values.add(payload.clone());
                let _ = write!(case, " WHEN {receiver} THEN {placeholder}");
            }
            case.push_str(" END");
            case
        }
    }
}

async fn write_events(
    db: &impl ConnectionTrait,
    batch: &Batch<'_>,
    events: &Events<'_>,
    moved: &[(Id, Id)],
) -> ApiResult<()> {
    let mut values = Values::default();
    let account = values.add(batch.account_id);
    let author = values.add(events.author_id);
    let author_name = values.add(events.author_name.map(str::to_owned));
    let job = values.add(events.job_id);
    let now = values.add(batch.now);
    let payload = payload_of(&mut values, events, "moved.column2");
    // The moved rows travel inline as integers: no bound-parameter limit caps the batch.
    let mut rows = String::with_capacity(moved.len() * 16);
    for (i, (lead, receiver)) in moved.iter().enumerate() {
        if i > 0 {
            rows.push(',');
        }
        let _ = write!(rows, "({lead}, {receiver})");
    }
    let sql = format!(
        "INSERT INTO lead_events (account_id, lead_id, kind, payload, author_id, author_name, job_id, created_at) \
         SELECT {account}, moved.column1, '{kind}', {payload}, {author}, {author_name}, {job}, {now} FROM (VALUES {rows}) AS moved",
        kind = EventKind::ResponsibleChanged.code(),
    );
    db.execute_raw(statement(db.get_database_backend(), &sql, values.0))
        .await?;
    Ok(())
}
