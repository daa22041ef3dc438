//! Demo data (C6): fills an account with a living CRM — groups, roles with sensible rights,
//! members (some free, one or two who have left), pipelines with won and lost stages, custom
//! fields, companies, contacts, leads spread over the stages, open and completed tasks, and
//! timelines with all nine kinds of events — in the account's language (Russian or English).
//!
//! The same seed makes the same data, so two fills of fresh accounts look alike. An account
//! is filled once: a second fill, or a fill of an account that already has leads, is refused
//! unless it appends, which adds records only (spread over the members and pipelines the
//! account has) and makes no groups, roles or members.
//!
//! The large mode (10^6 leads, for the benchmarks) writes in multi-row statements, a few
//! thousand leads with their links, tasks and events per transaction: committed batches stay
//! if a fill is interrupted, and `--append` adds to them.

mod batch;
pub mod cabinet;
pub mod command;
mod names;
mod records;
mod structure;

use std::time::{Duration, Instant};

use chrono::Utc;
use gatehouse_domain::{problem::ErrorCode, Id};
use rand::{rngs::StdRng, SeedableRng};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, TransactionTrait,
};

use crate::{
    accounts::{seats, service::DEMO_ADMIN_EMAIL},
    entities::{accounts, identities, leads, memberships},
    error::ApiError,
};

/// Leads of a default fill: enough to page, search and filter through.
pub const DEFAULT_LEADS: u64 = 3_000;
/// The most leads one fill writes.
pub const MAX_LEADS: u64 = 10_000_000;
/// Members a first fill adds by default.
pub const DEFAULT_MEMBERS: u32 = 24;
/// At least a head of sales, a manager, a free user and one who has left.
pub const MIN_MEMBERS: u32 = 4;
pub const MAX_MEMBERS: u32 = 10_000;

/// Every fill starts from this seed (an append from one moved by the leads already there).
const SEED: u64 = 0x6761_7465_686f_7573;

/// What to write.
#[derive(Debug, Clone)]
pub struct Plan {
    pub leads: u64,
    /// Members to add; [`DEFAULT_MEMBERS`] when absent. Only a first fill adds members.
    pub members: Option<u32>,
    /// Add records to an account that already has some, instead of refusing.
    pub append: bool,
    /// The PHC string all new members sign in with (one hash for all: hashing each would cost
    /// a second per 30 members); `None`: they have no password yet, as if invited.
    pub members_password_hash: Option<String>,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            leads: DEFAULT_LEADS,
            members: None,
            append: false,
            members_password_hash: None,
        }
    }
}

/// What a new demo member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// All records; deletes within the group.
    HeadOfSales,
    /// The group's records (G), edits their own (M), not leads already won.
    Manager,
    /// Only their own records (M), without the partners' pipeline.
    JuniorManager,
    /// A free user: sees the leads they take part in.
    Free,
    /// Has left the account.
    Deactivated,
}

/// A member the fill made.
#[derive(Debug, Clone)]
pub struct DemoMember {
    pub membership_id: Id,
    pub email: String,
    pub name: String,
    pub kind: MemberKind,
    pub group_id: Option<Id>,
}

/// Rows written, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub companies: u64,
    pub contacts: u64,
    pub leads: u64,
    pub lead_contacts: u64,
    pub participants: u64,
    pub tasks: u64,
    pub events: u64,
}

impl Counts {
    /// Adds rows written to `table`.
    fn add(&mut self, table: &str, rows: u64) {
        let count = match table {
            "companies" => &mut self.companies,
            "contacts" => &mut self.contacts,
            "leads" => &mut self.leads,
            "lead_contacts" => &mut self.lead_contacts,
            "lead_participants" => &mut self.participants,
            "tasks" => &mut self.tasks,
            "lead_events" => &mut self.events,
            _ => return,
        };
        *count += rows;
    }

    #[must_use]
    pub fn rows(&self) -> u64 {
        self.companies
            + self.contacts
            + self.leads
            + self.lead_contacts
            + self.participants
            + self.tasks
            + self.events
    }
}

/// What a fill made.
#[derive(Debug, Clone)]
pub struct Filled {
    pub account_id: Id,
    /// The new members (none when appending).
    pub members: Vec<DemoMember>,
    pub groups: usize,
    pub roles: usize,
    pub pipelines: usize,
    pub custom_fields: usize,
    pub records: Counts,
    pub elapsed: Duration,
}

/// How far a fill is: `done` of `total` records of one kind.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub what: &'static str,
    pub done: u64,
    pub total: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("there is no account {0}")]
    UnknownAccount(Id),
    #[error("{0}")]
    OutOfRange(String),
    #[error(
        "account {account_id} already has {leads} leads; pass --append to add demo records to \
         them"
    )]
    AlreadyFilled { account_id: Id, leads: u64 },
    #[error(
        "--members adds members in a first fill only; an append adds records for the members \
         the account has"
    )]
    MembersWithAppend,
    #[error("cannot fill this account: {0}")]
    Unusable(String),
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("{0}")]
    Api(#[from] ApiError),
}

/// Refuses a plan out of bounds before anything is written.
///
/// # Errors
/// `OutOfRange` or `MembersWithAppend`.
pub fn check(plan: &Plan) -> Result<(), DemoError> {
    if plan.leads > MAX_LEADS {
        return Err(DemoError::OutOfRange(format!(
            "--leads must be between 0 and {MAX_LEADS}, not {}",
            plan.leads
        )));
    }
    if let Some(members) = plan.members {
        if plan.append {
            return Err(DemoError::MembersWithAppend);
        }
        if !(MIN_MEMBERS..=MAX_MEMBERS).contains(&members) {
            return Err(DemoError::OutOfRange(format!(
                "--members must be between {MIN_MEMBERS} and {MAX_MEMBERS}, not {members}"
            )));
        }
    }
    Ok(())
}

/// Fills `account_id` as `plan` says, telling `progress` after each batch.
///
/// # Errors
/// `UnknownAccount`; `OutOfRange` and `MembersWithAppend` for a bad plan; `AlreadyFilled` for
/// an account with leads unless appending (nothing is written in these cases); database
/// errors, after which the batches already committed stay.
pub async fn fill(
    db: &DatabaseConnection,
    account_id: Id,
    plan: &Plan,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Filled, DemoError> {
    check(plan)?;
    let started = Instant::now();
    let now = Utc::now();
    let txn = db.begin().await?;
    // First: on SQLite a transaction that reads before it writes cannot wait for the lock.
    seats::lock(&txn, account_id).await.map_err(|e| match e {
        ApiError::Code(ErrorCode::NotFound) => DemoError::UnknownAccount(account_id),
        other => DemoError::Api(other),
    })?;
    let account = accounts::Entity::find_by_id(account_id)
        .one(&txn)
        .await?
        .ok_or(DemoError::UnknownAccount(account_id))?;
    let existing = leads::Entity::find()
        .filter(leads::Column::AccountId.eq(account_id))
        .count(&txn)
        .await?;
    if existing > 0 && !plan.append {
        return Err(DemoError::AlreadyFilled {
            account_id,
            leads: existing,
        });
    }
    let tongue = names::Tongue::of(&account.language);
    let mut rng = StdRng::seed_from_u64(SEED);
    let frame = if plan.append {
        None
    } else {
        let domain = email_domain(&txn, account_id).await?;
        Some(
            structure::create(
                &txn,
                account_id,
                tongue,
                plan.members.unwrap_or(DEFAULT_MEMBERS),
                plan.members_password_hash.as_deref(),
                &domain,
                &mut rng,
                now,
            )
            .await?,
        )
    };
    txn.commit().await?;

    let mut rng = StdRng::seed_from_u64(SEED ^ existing);
    let cast = structure::cast(db, account_id, tongue, &mut rng).await?;
    let records =
        records::write(db, account_id, &cast, plan.leads, &mut rng, now, progress).await?;
    let (members, groups, roles, pipelines, custom_fields) = match frame {
        Some(f) => (f.members, f.groups, f.roles, f.pipelines, f.custom_fields),
        None => (Vec::new(), 0, 0, 0, 0),
    };
    Ok(Filled {
        account_id,
        members,
        groups,
        roles,
        pipelines,
        custom_fields,
        records,
        elapsed: started.elapsed(),
    })
}

/// Where the new members' e-mail addresses are: the demo account's own domain, or one per
/// account, so fills of several accounts never collide.
async fn email_domain(
    db: &impl sea_orm::ConnectionTrait,
    account_id: Id,
) -> Result<String, DemoError> {
    let demo_admin = memberships::Entity::find()
        .join(
            sea_orm::JoinType::InnerJoin,
            memberships::Relation::Identity.def(),
        )
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(identities::Column::Email.eq(DEMO_ADMIN_EMAIL))
        .count(db)
        .await?;
    Ok(if demo_admin > 0 {
        "demo.example.com".to_owned()
    } else {
        format!("account{account_id}.demo.example.com")
    })
}

/// The account the demo administrator administers first, if any.
///
/// # Errors
/// Database errors.
pub async fn demo_account(db: &DatabaseConnection) -> Result<Option<Id>, DbErr> {
    memberships::Entity::find()
        .join(
            sea_orm::JoinType::InnerJoin,
            memberships::Relation::Identity.def(),
        )
        .filter(identities::Column::Email.eq(DEMO_ADMIN_EMAIL))
        .filter(memberships::Column::IsAdmin.eq(true))
        .select_only()
        .column(memberships::Column::AccountId)
        .order_by_asc(memberships::Column::AccountId)
        .into_tuple::<Id>()
        .one(db)
        .await
}

/// The password hash of the account's first administrator: on the first start the demo's
/// members share the demo administrator's password, so one printed login opens them all.
///
/// # Errors
/// Database errors.
pub async fn admin_password_hash(
    db: &DatabaseConnection,
    account_id: Id,
) -> Result<Option<String>, DbErr> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::IsAdmin.eq(true))
        .order_by_asc(memberships::Column::Id)
        .find_also_related(identities::Entity)
        .all(db)
        .await?
        .into_iter()
        .find_map(|(_, identity)| identity.and_then(|i| i.password_hash)))
}
