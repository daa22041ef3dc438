//! Deactivating members (D0–D2, D5) and reading the jobs that move their records.
//!
//! Decisions a client can rely on:
//! - Ids that are not members of the caller's account are 422 (`member_ids`,
//!   `member_unknown`), like any other invalid value in the body; nothing changes.
//! - Members already inactive are accepted: they are not deactivated again (and not listed in
//!   `deactivated`), but their records are reassigned too. That is how the records of a member
//!   deactivated without reassignment, or of a job that failed, find a new owner.
//! - Deactivation itself is one transaction with the job's creation: memberships inactive,
//!   sessions (and with them their refresh tokens) ended, seats freed. Access tokens of those
//!   sessions stop working at once on this instance and within the session cache's five
//!   seconds on others. Gatehouse has no API tokens yet; when it does, they end here too.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use gatehouse_domain::{
    deactivation::{
        percent, DeactivationRequest, DeactivationResult, JobQuery, JobState, Plan, Reassignment,
        ReassignmentJob, Receivers, RecordCounts,
    },
    page::{Page, PageRequest},
    problem::{ErrorCode, FieldError},
    Id,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::{job, names, records, to_json};
use crate::{
    accounts::seats,
    audit,
    auth::{
        sessions::{self, RevokeReason},
        Member,
    },
    crm::from_json,
    entities::{groups, memberships, reassignment_jobs, sessions as session_rows},
    error::{ApiError, ApiResult},
    state::AppState,
};

/// What [`deactivate_in_database`] did: the answer, and the sessions it ended, for the caller
/// to forget in its session cache.
pub struct Deactivation {
    pub result: DeactivationResult,
    pub ended_sessions: Vec<Id>,
}

/// Deactivates members and starts the job moving their records — or, on a dry run, counts
/// what would move.
///
/// # Errors
/// As [`deactivate_in_database`].
pub async fn deactivate(
    state: &AppState,
    admin: &Member,
    request: DeactivationRequest,
) -> ApiResult<DeactivationResult> {
    let Deactivation {
        mut result,
        ended_sessions,
    } = deactivate_in_database(&state.db, admin, request).await?;
    state.sessions.forget(&ended_sessions);
    let Some(job_id) = result.job.as_ref().map(|j| j.id) else {
        return Ok(result);
    };
    if result.counts.total() == 0 {
        // Nothing to move: one batch finds that out and ends the job before the answer (and
        // should something have turned up after all, the runner moves it).
        match job::run_batch(&state.db, job_id, 1).await {
            Ok(job::Step::Finished(_)) => {
                // The act is committed: the answer stands even if the fresh view cannot be read.
                if let Ok(job) = get_in(&state.db, admin.account_id, job_id).await {
                    result.job = Some(job);
                }
                return Ok(result);
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(job_id, %err, "first batch failed; the runner retries"),
        }
    }
    state.reassignments.run(job_id);
    Ok(result)
}

/// The act in the database, without starting the job: a benchmark calls this, then
/// [`job::run_job`] with the returned job's id.
///
/// # Errors
/// 403 for non-administrators; 409 `self_deactivation` when the caller is among the members,
/// `last_admin` when no active administrator would remain; 422 for an empty list
/// (`member_ids_empty`), ids that are not members of the account (`member_unknown`), and
/// receivers that cannot receive (`invalid_reassignment_target`, `unknown_group`,
/// `no_eligible_member`). Nothing changes then.
pub async fn deactivate_in_database(
    db: &DatabaseConnection,
    admin: &Member,
    request: DeactivationRequest,
) -> ApiResult<Deactivation> {
    admin.require_admin()?;
    let leavers = request
        .leavers()
        .map_err(|error| ApiError::Validation(vec![error]))?;
    if leavers.contains(&admin.membership_id) {
        return Err(ApiError::detailed(
            ErrorCode::SelfDeactivation,
            "you are among the members to deactivate; another administrator can deactivate you",
        ));
    }
    let account_id = admin.account_id;
    if request.dry_run {
        check(db, account_id, &leavers, &request.reassign_to).await?;
        ensure_an_admin_would_remain(db, account_id, &leavers).await?;
        let counts = records::held_in_all(db, account_id, &leavers).await?;
        return Ok(Deactivation {
            result: DeactivationResult {
                dry_run: true,
                deactivated: Vec::new(),
                counts,
                job: None,
            },
            ended_sessions: Vec::new(),
        });
    }

    // Counted before the transaction, so the account stays locked only for the short act; the
    // job raises its totals if more turns up.
    let held = records::held(db, account_id, &leavers).await?;
    let totals = held
        .values()
        .fold(RecordCounts::default(), |total, counts| total.plus(counts));
    let now = Utc::now();
    let txn = db.begin().await?;
    seats::lock(&txn, account_id).await?;
    let checked = check(&txn, account_id, &leavers, &request.reassign_to).await?;
    let deactivated: Vec<Id> = checked
        .members
        .iter()
        .filter(|m| m.is_active)
        .map(|m| m.id)
        .collect();
    if !deactivated.is_empty() {
        memberships::Entity::update_many()
            .col_expr(memberships::Column::IsActive, Expr::value(false))
            .col_expr(memberships::Column::DeactivatedAt, Expr::value(Some(now)))
            .col_expr(memberships::Column::UpdatedAt, Expr::value(now))
            .filter(memberships::Column::AccountId.eq(account_id))
            .filter(memberships::Column::Id.is_in(deactivated.clone()))
            .exec(&txn)
            .await?;
        seats::ensure_an_admin_remains(&txn, account_id).await?;
    }
    let ended: Vec<Id> = session_rows::Entity::find()
        .filter(session_rows::Column::AccountId.eq(account_id))
        .filter(session_rows::Column::MembershipId.is_in(leavers.clone()))
        .filter(session_rows::Column::RevokedAt.is_null())
        .select_only()
        .column(session_rows::Column::Id)
        .into_tuple::<Id>()
        .all(&txn)
        .await?;
    if !ended.is_empty() {
        sessions::revoke(&txn, &ended, RevokeReason::MemberDeactivated).await?;
    }
    let plan = Plan {
        leavers: leavers.clone(),
        reassign_to: request.reassign_to.clone(),
        receivers: checked.receivers.clone(),
    };
    let created = reassignment_jobs::ActiveModel {
        account_id: Set(account_id),
        actor_id: Set(admin.membership_id),
        plan: Set(to_json(&plan)?),
        state: Set(JobState::Running.code().to_owned()),
        totals: Set(to_json(&totals)?),
        moved: Set(to_json(&RecordCounts::default())?),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        cursor: Set("{}".to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let receivers = names(&txn, &checked.receivers.all()).await?;
    let receivers: Vec<_> = checked
        .receivers
        .all()
        .into_iter()
        .map(|id| json!({ "id": id, "name": receivers.get(&id) }))
        .collect();
    for member in &checked.members {
        let action = if member.is_active {
            "user_deactivated"
        } else {
            "user_records_reassigned"
        };
        let details = json!({
            "job_id": created.id,
            "reassign_to": request.reassign_to,
            "receivers": receivers,
            "counts": held.get(&member.id).copied().unwrap_or_default(),
        });
        audit::record(&txn, admin, action, Some(member.id), details).await?;
    }
    txn.commit().await?;
    Ok(Deactivation {
        result: DeactivationResult {
            dry_run: false,
            deactivated,
            counts: totals,
            job: Some(view(created)?),
        },
        ended_sessions: ended,
    })
}

/// The leavers' memberships and who receives their records, all checked.
struct Checked {
    members: Vec<memberships::Model>,
    receivers: Receivers,
}

async fn check(
    db: &impl ConnectionTrait,
    account_id: Id,
    leavers: &[Id],
    reassign_to: &Reassignment,
) -> ApiResult<Checked> {
    let members = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::Id.is_in(leavers.to_vec()))
        .order_by_asc(memberships::Column::Id)
        .all(db)
        .await?;
    if members.len() != leavers.len() {
        let found: HashSet<Id> = members.iter().map(|m| m.id).collect();
        let unknown: Vec<String> = leavers
            .iter()
            .filter(|id| !found.contains(id))
            .map(ToString::to_string)
            .collect();
        return Err(ApiError::invalid(
            "member_ids",
            "member_unknown",
            &format!("not members of this account: {}", unknown.join(", ")),
        ));
    }
    let receivers = match reassign_to {
        Reassignment::One { member_id } => {
            check_receivers(
                db,
                account_id,
                leavers,
                &[("reassign_to.member_id", *member_id)],
            )
            .await?;
            Receivers::PerEntity {
                leads: *member_id,
                contacts: *member_id,
                companies: *member_id,
                tasks: *member_id,
            }
        }
        Reassignment::PerEntity {
            leads,
            contacts,
            companies,
            tasks,
        } => {
            check_receivers(
                db,
                account_id,
                leavers,
                &[
                    ("reassign_to.leads", *leads),
                    ("reassign_to.contacts", *contacts),
                    ("reassign_to.companies", *companies),
                    ("reassign_to.tasks", *tasks),
                ],
            )
            .await?;
            Receivers::PerEntity {
                leads: *leads,
                contacts: *contacts,
                companies: *companies,
                tasks: *tasks,
            }
        }
        Reassignment::Group { group_id } => {
            let group = groups::Entity::find_by_id(*group_id)
                .filter(groups::Column::AccountId.eq(account_id))
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid(
                        "reassign_to.group_id",
                        "unknown_group",
                        "there is no such group in this account",
                    )
                })?;
            let members = memberships::Entity::find()
                .filter(memberships::Column::AccountId.eq(account_id))
                .filter(memberships::Column::GroupId.eq(group.id))
                .filter(memberships::Column::IsActive.eq(true))
                .filter(memberships::Column::IsFree.eq(false))
                .filter(memberships::Column::Id.is_not_in(leavers.to_vec()))
                .order_by_asc(memberships::Column::Id)
                .select_only()
                .column(memberships::Column::Id)
                .into_tuple::<Id>()
                .all(db)
                .await?;
            if members.is_empty() {
                return Err(ApiError::invalid(
                    "reassign_to.group_id",
                    "no_eligible_member",
                    &format!(
                        "no active, non-free member of {} stays to receive the records",
                        group.name
                    ),
                ));
            }
            Receivers::Rotation { members }
        }
    };
    Ok(Checked { members, receivers })
}

/// Each receiver must be an active, non-free member of the account who is not leaving.
async fn check_receivers(
    db: &impl ConnectionTrait,
    account_id: Id,
    leavers: &[Id],
    receivers: &[(&str, Id)],
) -> ApiResult<()> {
    let ids: Vec<Id> = receivers.iter().map(|(_, id)| *id).collect();
    let found: HashMap<Id, memberships::Model> = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let errors: Vec<FieldError> = receivers
        .iter()
        .filter_map(|(field, id)| {
            let why = match found.get(id) {
                None => "is not a member of this account",
                Some(_) if leavers.contains(id) => "is among the members being deactivated",
                Some(m) if !m.is_active => "is deactivated",
                Some(m) if m.is_free => "is a free user, who cannot be responsible for records",
                Some(_) => return None,
            };
            Some(FieldError::new(
                field,
                "invalid_reassignment_target",
                format!("member {id} {why}"),
            ))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The dry run's form of [`seats::ensure_an_admin_remains`]: an active, non-free administrator
/// who is not leaving.
async fn ensure_an_admin_would_remain(
    db: &impl ConnectionTrait,
    account_id: Id,
    leavers: &[Id],
) -> ApiResult<()> {
    let staying = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::IsActive.eq(true))
        .filter(memberships::Column::IsAdmin.eq(true))
        .filter(memberships::Column::IsFree.eq(false))
        .filter(memberships::Column::Id.is_not_in(leavers.to_vec()))
        .count(db)
        .await?;
    if staying == 0 {
        return Err(ErrorCode::LastAdmin.into());
    }
    Ok(())
}

/// A job as clients see it.
///
/// # Errors
/// An internal error for a row that is not what Gatehouse writes.
pub fn view(job: reassignment_jobs::Model) -> ApiResult<ReassignmentJob> {
    let plan: Plan = from_json(&job.plan)?;
    let state = JobState::from_code(&job.state)
        .ok_or_else(|| ApiError::internal("unknown reassignment job state"))?;
    let totals: RecordCounts = from_json(&job.totals)?;
    let moved: RecordCounts = from_json(&job.moved)?;
    Ok(ReassignmentJob {
        id: job.id,
        state,
        member_ids: plan.leavers,
        reassign_to: plan.reassign_to,
        percent: percent(state, &totals, &moved),
        totals,
        moved,
        created_at: job.created_at,
        updated_at: job.updated_at,
        finished_at: job.finished_at,
        error: job.error,
    })
}

async fn get_in(db: &impl ConnectionTrait, account_id: Id, id: Id) -> ApiResult<ReassignmentJob> {
    let job = reassignment_jobs::Entity::find_by_id(id)
        .filter(reassignment_jobs::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))?;
    view(job)
}

/// # Errors
/// 403 for non-administrators; 404 for a job of another account.
pub async fn get(state: &AppState, admin: &Member, id: Id) -> ApiResult<ReassignmentJob> {
    admin.require_admin()?;
    get_in(&state.db, admin.account_id, id).await
}

/// The account's jobs, newest first.
///
/// # Errors
/// 403 for non-administrators.
pub async fn list(
    state: &AppState,
    admin: &Member,
    query: JobQuery,
) -> ApiResult<Page<ReassignmentJob>> {
    admin.require_admin()?;
    let page = PageRequest::new(query.page, query.per_page);
    let select = reassignment_jobs::Entity::find()
        .filter(reassignment_jobs::Column::AccountId.eq(admin.account_id));
    let total = select.clone().count(&state.db).await?;
    let items = select
        .order_by_desc(reassignment_jobs::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(&state.db)
        .await?
        .into_iter()
        .map(view)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
