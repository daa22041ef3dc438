//! The durable reassignment job (D3). A job is a row of `reassignment_jobs`; the server's
//! runner moves its records in batches, each one short transaction that
//!
//! 1. claims the job row (so two runners of one job — two instances after a restart — take
//!    turns, and on SQLite the write lock is taken first),
//! 2. picks the next records of one type still assigned to one leaver after the job's cursor
//!    (`ORDER BY id LIMIT n`), hands them to their receivers and, for leads, writes one
//!    "responsible changed" event each with the job's id,
//! 3. adds them to the job's `moved` counts and moves its cursor.
//!
//! All three commit together, so a crash between batches loses nothing and repeats nothing: a
//! record moved once is no longer assigned to a leaver and is never picked again. Which
//! receiver of a rotation gets a record follows from how many the job has moved, so a resumed
//! job carries on the same rotation. The runner resumes every running job when the server
//! starts; that is what makes a job survive `kill -9`.
//!
//! When the cursor has passed every type and leaver, one last look counts what the leavers
//! still hold (a record handed to them in a race with their deactivation); the job starts over
//! until that is nothing, then it is done.
//!
//! A receiver who is deactivated or made free while the job runs receives nothing more: a
//! rotation over a group goes on with the members left, and a job whose one receiver (of a
//! type) left fails with a clear error, leaving the rest with the leavers. Deactivating the same
//! (now inactive) members again with another receiver moves the rest.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use gatehouse_domain::{
    deactivation::{JobState, Plan, RecordCounts},
    rights::Entity,
    Id,
};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::mpsc;

use super::{
    names,
    records::{self, Batch, Events},
    to_json,
};
use crate::{
    audit,
    config::ReassignmentConfig,
    crm::from_json,
    entities::{memberships, reassignment_jobs},
    error::{ApiError, ApiResult},
};

/// Where a job is: the record type (index into [`Entity::ALL`]), the leaver (index into the
/// plan's sorted leavers) and the last id it moved of that pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    #[serde(default)]
    entity: usize,
    #[serde(default)]
    leaver: usize,
    #[serde(default)]
    after: Id,
}

/// What one call of [`run_batch`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Moved `count` records of `entity`.
    Moved { entity: Entity, count: u64 },
    /// Moved nothing but went on: to the next leaver or type, or over again after the last
    /// look found records left.
    Advanced,
    /// The job is over (or was already): done or failed.
    Finished(JobState),
}

/// Runs one batch of `job_id`: at most `batch` records, one transaction.
///
/// # Errors
/// 404 for an unknown job; database errors (the transaction is rolled back: nothing of the
/// batch happened).
pub async fn run_batch(db: &DatabaseConnection, job_id: Id, batch: u64) -> ApiResult<Step> {
    let now = Utc::now();
    let txn = records::begin_batch(db).await?;
    let claimed = reassignment_jobs::Entity::update_many()
        .col_expr(reassignment_jobs::Column::UpdatedAt, Expr::value(now))
        .filter(reassignment_jobs::Column::Id.eq(job_id))
        .filter(reassignment_jobs::Column::State.eq(JobState::Running.code()))
        .exec_with_returning(&txn)
        .await?;
    let Some(job) = claimed.into_iter().next() else {
        let state = reassignment_jobs::Entity::find_by_id(job_id)
            .select_only()
            .column(reassignment_jobs::Column::State)
            .into_tuple::<String>()
            .one(&txn)
            .await?
            .ok_or(ApiError::Code(
                gatehouse_domain::problem::ErrorCode::NotFound,
            ))?;
        return Ok(Step::Finished(
            JobState::from_code(&state).unwrap_or(JobState::Failed),
        ));
    };
    let plan: Plan = from_json(&job.plan)?;
    let mut moved: RecordCounts = from_json(&job.moved)?;
    let mut totals: RecordCounts = from_json(&job.totals)?;
    let mut cursor: Cursor = from_json(&job.cursor)?;
    loop {
        let Some(&entity) = Entity::ALL.get(cursor.entity) else {
            let left = records::held_in_all(&txn, job.account_id, &plan.leavers).await?;
            if left.total() == 0 {
                finish(&txn, &job, &plan, &moved, &totals, None).await?;
                txn.commit().await?;
                return Ok(Step::Finished(JobState::Done));
            }
            for e in Entity::ALL {
                totals.set(e, totals.get(e).max(moved.get(e) + left.get(e)));
            }
            save(&txn, job_id, &Cursor::default(), &moved, &totals).await?;
            txn.commit().await?;
            return Ok(Step::Advanced);
        };
        let Some(&leaver) = plan.leavers.get(cursor.leaver) else {
            cursor = Cursor {
                entity: cursor.entity + 1,
                ..Cursor::default()
            };
            continue;
        };
        let eligible = eligible(&txn, job.account_id, &plan.receivers.all()).await?;
        let rotation = match plan.receivers.rotation(entity, &eligible) {
            Ok(rotation) => rotation,
            // Nobody left to receive: that matters only if there is something to receive.
            Err(_) if !holds_after(&txn, &job, entity, leaver, cursor.after).await? => {
                cursor = next_leaver(cursor);
                continue;
            }
            Err(gone) => {
                let error = receiver_gone(&txn, gone, entity).await?;
                save(&txn, job_id, &cursor, &moved, &totals).await?;
                finish(&txn, &job, &plan, &moved, &totals, Some(error)).await?;
                txn.commit().await?;
                return Ok(Step::Finished(JobState::Failed));
            }
        };
        let (payloads, author_name) = if entity == Entity::Leads {
            event_payloads(&txn, &job, leaver, &rotation).await?
        } else {
            (Vec::new(), None)
        };
        let events = (entity == Entity::Leads).then(|| Events {
            job_id: job.id,
            author_id: job.actor_id,
            author_name: author_name.as_deref(),
            payloads: &payloads,
        });
        let done = records::move_batch(
            &txn,
            &Batch {
                account_id: job.account_id,
                actor_id: job.actor_id,
                entity,
                leaver,
                after: cursor.after,
                limit: batch.max(1),
                rotation: &rotation,
                start: moved.get(entity),
                now,
            },
            events.as_ref(),
        )
        .await?;
        let Some(last) = done.last else {
            if holds_after(&txn, &job, entity, leaver, cursor.after).await? {
                // Another job moved the records picked here in the meantime; the next batch
                // picks afresh.
                txn.commit().await?;
                return Ok(Step::Advanced);
            }
            cursor = next_leaver(cursor);
            continue;
        };
        let count = done.count;
        moved.add(entity, count);
        totals.set(entity, totals.get(entity).max(moved.get(entity)));
        cursor.after = last;
        save(&txn, job_id, &cursor, &moved, &totals).await?;
        txn.commit().await?;
        return Ok(Step::Moved { entity, count });
    }
}

async fn holds_after(
    db: &impl ConnectionTrait,
    job: &reassignment_jobs::Model,
    entity: Entity,
    leaver: Id,
    after: Id,
) -> ApiResult<bool> {
    records::holds_after(db, job.account_id, entity, leaver, after).await
}

const fn next_leaver(cursor: Cursor) -> Cursor {
    Cursor {
        entity: cursor.entity,
        leaver: cursor.leaver + 1,
        after: 0,
    }
}

/// Runs `job_id` to its end in the calling task, batch after batch, without pauses or retries:
/// what a benchmark measures. Returns how the job ended.
///
/// # Errors
/// As [`run_batch`]; the job stays `running` and can be run again.
pub async fn run_job(db: &DatabaseConnection, job_id: Id, batch: u64) -> ApiResult<JobState> {
    loop {
        if let Step::Finished(state) = run_batch(db, job_id, batch).await? {
            return Ok(state);
        }
    }
}

/// Of `receivers`, those still active and not free, locked against deactivation until the
/// batch commits (PostgreSQL; SQLite's single writer serialises the same).
async fn eligible(
    db: &impl ConnectionTrait,
    account_id: Id,
    receivers: &[Id],
) -> ApiResult<Vec<Id>> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::Id.is_in(receivers.to_vec()))
        .filter(memberships::Column::IsActive.eq(true))
        .filter(memberships::Column::IsFree.eq(false))
        .select_only()
        .column(memberships::Column::Id)
        .lock_shared()
        .into_tuple::<Id>()
        .all(db)
        .await?)
}

/// Each receiver's event payload — from whom, to whom, with the names as they are now, which
/// history keeps (D4) — and the author's name.
async fn event_payloads(
    db: &impl ConnectionTrait,
    job: &reassignment_jobs::Model,
    leaver: Id,
    rotation: &[Id],
) -> ApiResult<(Vec<(Id, String)>, Option<String>)> {
    let mut ids = rotation.to_vec();
    ids.extend([leaver, job.actor_id]);
    let names = names(db, &ids).await?;
    let payloads = rotation
        .iter()
        .map(|&to| {
            let payload = json!({
                "from": leaver,
                "to": to,
                "from_name": names.get(&leaver),
                "to_name": names.get(&to),
                "job_id": job.id,
            });
            (to, payload.to_string())
        })
        .collect();
    Ok((payloads, names.get(&job.actor_id).cloned()))
}

async fn receiver_gone(
    db: &impl ConnectionTrait,
    gone: Option<Id>,
    entity: Entity,
) -> ApiResult<String> {
    Ok(match gone {
        Some(id) => {
            let name = names(db, &[id]).await?.remove(&id).unwrap_or_default();
            format!(
                "{name} (member {id}) can no longer receive {}: they were deactivated or made a free user. The rest stays with the leavers; deactivate them again naming another receiver.",
                entity.code()
            )
        }
        None => "no member of the group can receive records any more: all were deactivated or made free users. The rest stays with the leavers; deactivate them again naming another receiver.".to_owned(),
    })
}

async fn save(
    db: &impl ConnectionTrait,
    job_id: Id,
    cursor: &Cursor,
    moved: &RecordCounts,
    totals: &RecordCounts,
) -> ApiResult<()> {
    reassignment_jobs::Entity::update_many()
        .col_expr(
            reassignment_jobs::Column::Cursor,
            Expr::value(to_json(cursor)?),
        )
        .col_expr(
            reassignment_jobs::Column::Moved,
            Expr::value(to_json(moved)?),
        )
        .col_expr(
            reassignment_jobs::Column::Totals,
            Expr::value(to_json(totals)?),
        )
        .filter(reassignment_jobs::Column::Id.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends the job — done, or failed with `error` — and records it in the audit log as the
/// administrator's act (D5).
async fn finish(
    db: &impl ConnectionTrait,
    job: &reassignment_jobs::Model,
    plan: &Plan,
    moved: &RecordCounts,
    totals: &RecordCounts,
    error: Option<String>,
) -> ApiResult<()> {
    let now = Utc::now();
    let state = if error.is_some() {
        JobState::Failed
    } else {
        JobState::Done
    };
    reassignment_jobs::Entity::update_many()
        .col_expr(reassignment_jobs::Column::State, Expr::value(state.code()))
        .col_expr(
            reassignment_jobs::Column::Moved,
            Expr::value(to_json(moved)?),
        )
        .col_expr(
            reassignment_jobs::Column::Totals,
            Expr::value(to_json(totals)?),
        )
        .col_expr(reassignment_jobs::Column::Error, Expr::value(error.clone()))
        .col_expr(reassignment_jobs::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            reassignment_jobs::Column::FinishedAt,
            Expr::value(Some(now)),
        )
        .filter(reassignment_jobs::Column::Id.eq(job.id))
        .exec(db)
        .await?;
    let (action, details) = match &error {
        None => (
            "reassignment_done",
            json!({ "job_id": job.id, "member_ids": plan.leavers, "moved": moved }),
        ),
        Some(error) => (
            "reassignment_failed",
            json!({ "job_id": job.id, "member_ids": plan.leavers, "moved": moved, "error": error }),
        ),
    };
    audit::record_by(db, job.account_id, job.actor_id, action, None, details).await?;
    Ok(())
}

/// How the runner paces a job.
#[derive(Debug, Clone, Copy)]
struct Pace {
    batch: u64,
    pause: Duration,
}

/// Consecutive failed batches after which a job is marked failed (about a minute of retries,
/// waits doubling from half a second: a database restart is waited out, a fault that persists
/// is reported).
const ATTEMPTS: u32 = 8;

/// Running jobs no runner has touched for this long are taken up by this instance (their
/// runner's instance is gone).
const STALE_AFTER: chrono::Duration = chrono::Duration::seconds(120);

/// The server's handle on its job runner.
#[derive(Clone)]
pub struct Runner {
    wake: mpsc::UnboundedSender<Id>,
}

impl Runner {
    /// Starts running `job_id` in the background. Call after the transaction that created it
    /// committed.
    pub fn run(&self, job_id: Id) {
        if self.wake.send(job_id).is_err() {
            tracing::warn!(
                job_id,
                "the reassignment runner has stopped; the job resumes at the next start"
            );
        }
    }
}

/// Starts the runner in the background of the current Tokio runtime: it resumes every running
/// job of the database at once, then runs the jobs [`Runner::run`] names, and every minute
/// takes up running jobs left stale by an instance that went away.
#[must_use]
pub fn start(db: DatabaseConnection, config: ReassignmentConfig) -> Runner {
    let (wake, woken) = mpsc::unbounded_channel();
    let pace = Pace {
        batch: config.batch.max(1),
        pause: Duration::from_millis(config.pause_ms),
    };
    tokio::spawn(supervise(db, pace, woken));
    Runner { wake }
}

async fn supervise(db: DatabaseConnection, pace: Pace, mut woken: mpsc::UnboundedReceiver<Id>) {
    let here: Arc<Mutex<HashSet<Id>>> = Arc::default();
    let mut every = tokio::time::interval(Duration::from_secs(60));
    let mut first = true;
    loop {
        tokio::select! {
            job = woken.recv() => match job {
                Some(job_id) => launch(&db, pace, &here, job_id),
                None => return,
            },
            _ = every.tick() => {
                // At start-up every running job is ours to resume; later only stale ones.
                let stale = (!first).then(|| Utc::now() - STALE_AFTER);
                first = false;
                match running(&db, stale).await {
                    Ok(jobs) => {
                        for job_id in jobs {
                            launch(&db, pace, &here, job_id);
                        }
                    }
                    Err(err) => tracing::warn!(%err, "cannot look for reassignment jobs to resume"),
                }
            }
        }
    }
}

async fn running(
    db: &DatabaseConnection,
    untouched_since: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<Id>, sea_orm::DbErr> {
    let mut select = reassignment_jobs::Entity::find()
        .filter(reassignment_jobs::Column::State.eq(JobState::Running.code()));
    if let Some(since) = untouched_since {
        select = select.filter(reassignment_jobs::Column::UpdatedAt.lt(since));
    }
    select
        .select_only()
        .column(reassignment_jobs::Column::Id)
        .into_tuple::<Id>()
        .all(db)
        .await
}

fn launch(db: &DatabaseConnection, pace: Pace, here: &Arc<Mutex<HashSet<Id>>>, job_id: Id) {
    let fresh = here.lock().is_ok_and(|mut jobs| jobs.insert(job_id));
    if !fresh {
        return;
    }
    let db = db.clone();
    let here = here.clone();
    tokio::spawn(async move {
        drive(&db, pace, job_id).await;
        if let Ok(mut jobs) = here.lock() {
            jobs.remove(&job_id);
        }
    });
}

/// Runs a job to its end, pausing between batches, retrying a failed batch with backoff and
/// marking the job failed when failures persist.
async fn drive(db: &DatabaseConnection, pace: Pace, job_id: Id) {
    let mut failures = 0u32;
    loop {
        match run_batch(db, job_id, pace.batch).await {
            Ok(Step::Finished(state)) => {
                tracing::info!(job_id, state = state.code(), "reassignment job ended");
                return;
            }
            Ok(Step::Moved { .. }) => {
                failures = 0;
                if !pace.pause.is_zero() {
                    tokio::time::sleep(pace.pause).await;
                }
            }
            Ok(Step::Advanced) => failures = 0,
            Err(err) => {
                failures += 1;
                if failures >= ATTEMPTS {
                    tracing::error!(job_id, %err, "reassignment batch keeps failing; the job is marked failed");
                    if let Err(err) = give_up(db, job_id, &err).await {
                        tracing::error!(job_id, %err, "cannot mark the job failed; it resumes at the next start");
                    }
                    return;
                }
                let wait = Duration::from_millis(500 << (failures - 1).min(7));
                tracing::warn!(job_id, %err, attempt = failures, "reassignment batch failed; retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

async fn give_up(db: &DatabaseConnection, job_id: Id, cause: &ApiError) -> ApiResult<()> {
    let txn = db.begin().await?;
    // Writing first, as a batch does: the job row is ours until commit.
    let claimed = reassignment_jobs::Entity::update_many()
        .col_expr(
            reassignment_jobs::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .filter(reassignment_jobs::Column::Id.eq(job_id))
        .filter(reassignment_jobs::Column::State.eq(JobState::Running.code()))
        .exec(&txn)
        .await?;
    let job = reassignment_jobs::Entity::find_by_id(job_id)
        .one(&txn)
        .await?;
    let Some(job) = job.filter(|_| claimed.rows_affected > 0) else {
        return Ok(());
    };
    let plan: Plan = from_json(&job.plan)?;
    let moved: RecordCounts = from_json(&job.moved)?;
    let totals: RecordCounts = from_json(&job.totals)?;
    // The cause stays in the server's log; the job says what it means for the administrator.
    tracing::error!(job_id, cause = %cause, "reassignment job failed");
    let error = "the database kept refusing the job's batches; what moved stays moved. Deactivate the same members again to move the rest.".to_owned();
    finish(&txn, &job, &plan, &moved, &totals, Some(error)).await?;
    txn.commit().await?;
    Ok(())
}
