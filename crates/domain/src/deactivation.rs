//! Deactivation with reassignment (D0–D5): the request, what moves, the durable job as clients
//! see it, and the pure rules the server's job follows — who receives the `n`-th record of a
//! type (one member, one per type, or an even rotation over a group) and how far a job is.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{problem::FieldError, rights::Entity, Id};

/// Who receives the leavers' leads, contacts, companies and open tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Reassignment {
    /// One active, non-free member receives everything.
    One { member_id: Id },
    /// A receiver per record type.
    PerEntity {
        leads: Id,
        contacts: Id,
        companies: Id,
        tasks: Id,
    },
    /// Spread evenly over the active, non-free members of a group (round robin per record type,
    /// leavers excluded).
    Group { group_id: Id },
}

/// `POST /api/v1/users/deactivate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeactivationRequest {
    /// Membership ids. Members already inactive are accepted: they are not deactivated again,
    /// but their records are reassigned too (e.g. after an automatic deactivation, or a job
    /// that failed).
    pub member_ids: Vec<Id>,
    pub reassign_to: Reassignment,
    /// Only count what would move; nothing changes.
    #[serde(default)]
    pub dry_run: bool,
}

/// The most members one request deactivates.
pub const MAX_MEMBERS: usize = 1000;

impl DeactivationRequest {
    /// The leavers, sorted and without repeats.
    ///
    /// # Errors
    /// `member_ids_empty` or `member_ids_too_many` on `member_ids`.
    pub fn leavers(&self) -> Result<Vec<Id>, FieldError> {
        let mut ids = self.member_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(FieldError::new(
                "member_ids",
                "member_ids_empty",
                "choose at least one member to deactivate",
            ));
        }
        if ids.len() > MAX_MEMBERS {
            return Err(FieldError::new(
                "member_ids",
                "member_ids_too_many",
                format!("at most {MAX_MEMBERS} members at once"),
            ));
        }
        Ok(ids)
    }
}

/// Records per type. Tasks are open (not completed) tasks only: completed ones stay with
/// whoever did them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCounts {
    pub leads: u64,
    pub contacts: u64,
    pub companies: u64,
    pub tasks: u64,
}

impl RecordCounts {
    #[must_use]
    pub const fn get(&self, entity: Entity) -> u64 {
        match entity {
            Entity::Leads => self.leads,
            Entity::Contacts => self.contacts,
            Entity::Companies => self.companies,
            Entity::Tasks => self.tasks,
        }
    }

    pub fn set(&mut self, entity: Entity, value: u64) {
        match entity {
            Entity::Leads => self.leads = value,
            Entity::Contacts => self.contacts = value,
            Entity::Companies => self.companies = value,
            Entity::Tasks => self.tasks = value,
        }
    }

    pub fn add(&mut self, entity: Entity, value: u64) {
        self.set(entity, self.get(entity).saturating_add(value));
    }

    /// Both counts added, type by type.
    #[must_use]
    pub fn plus(&self, other: &Self) -> Self {
        let mut sum = *self;
        for entity in Entity::ALL {
            sum.add(entity, other.get(entity));
        }
        sum
    }

    #[must_use]
    pub fn total(&self) -> u64 {
        Entity::ALL
            .iter()
            .fold(0u64, |sum, e| sum.saturating_add(self.get(*e)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
    Failed,
}

impl JobState {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Running, Self::Done, Self::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A reassignment job: the records of `member_ids` moving to their receivers in batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReassignmentJob {
    pub id: Id,
    pub state: JobState,
    /// The leavers whose records move.
    pub member_ids: Vec<Id>,
    /// Who receives them, as the administrator chose.
    pub reassign_to: Reassignment,
    /// What there was to move when the job started (raised if more turned up).
    pub totals: RecordCounts,
    pub moved: RecordCounts,
    /// 0–100; 100 only once the job is done.
    pub percent: u8,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Why a failed job stopped; what it moved stays moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How far a job is, for the progress bar: 100 only when done, so a bar never stands full
/// while records still move; a job with nothing to move is done at once.
#[must_use]
pub fn percent(state: JobState, totals: &RecordCounts, moved: &RecordCounts) -> u8 {
    if state == JobState::Done {
        return 100;
    }
    let total = totals.total();
    if total == 0 {
        return 0;
    }
    let share = moved.total().min(total).saturating_mul(100) / total;
    u8::try_from(share.min(99)).unwrap_or(99)
}

/// The answer to `POST /api/v1/users/deactivate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeactivationResult {
    pub dry_run: bool,
    /// The members this request deactivated (empty on a dry run; members already inactive are
    /// not listed).
    pub deactivated: Vec<Id>,
    /// What moves (on a dry run: what would move), per type.
    pub counts: RecordCounts,
    /// The job moving the records; absent on a dry run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<ReassignmentJob>,
}

/// `GET /api/v1/reassignment-jobs` pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct JobQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// 50 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

/// Who receives what, resolved when the job is created and kept with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Receivers {
    /// One receiver per type (a single receiver is this with all four the same).
    PerEntity {
        leads: Id,
        contacts: Id,
        companies: Id,
        tasks: Id,
    },
    /// The group's eligible members when the job was created, sorted by id.
    Rotation { members: Vec<Id> },
}

impl Receivers {
    /// Every receiver, sorted, without repeats.
    #[must_use]
    pub fn all(&self) -> Vec<Id> {
        let mut ids = match self {
            Self::PerEntity {
                leads,
                contacts,
                companies,
                tasks,
            } => vec![*leads, *contacts, *companies, *tasks],
            Self::Rotation { members } => members.clone(),
        };
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The receivers of `entity`'s records in rotation order, among those still `eligible`
    /// (active and not free now): the record at rotation index `i` goes to `result[i % len]`.
    ///
    /// # Errors
    /// The receiver that is no longer eligible, or `None` for a rotation nobody is left in.
    pub fn rotation(&self, entity: Entity, eligible: &[Id]) -> Result<Vec<Id>, Option<Id>> {
        match self {
            Self::PerEntity {
                leads,
                contacts,
                companies,
                tasks,
            } => {
                let receiver = match entity {
                    Entity::Leads => *leads,
                    Entity::Contacts => *contacts,
                    Entity::Companies => *companies,
                    Entity::Tasks => *tasks,
                };
                if eligible.contains(&receiver) {
                    Ok(vec![receiver])
                } else {
                    Err(Some(receiver))
                }
            }
            Self::Rotation { members } => {
                let left: Vec<Id> = members
                    .iter()
                    .copied()
                    .filter(|m| eligible.contains(m))
                    .collect();
                if left.is_empty() {
                    Err(None)
                } else {
                    Ok(left)
                }
            }
        }
    }
}

/// Where the `index`-th record of a type goes in a rotation. The job counts `index` from the
/// records of the type it has moved so far, so a resumed job carries on the same rotation, and
/// consecutive records go to consecutive receivers: over any run the counts differ by at most
/// one. (The job computes the same in SQL, `(moved + row_number - 1) % len`.)
#[must_use]
pub fn receiver_at(rotation: &[Id], index: u64) -> Option<Id> {
    let len = u64::try_from(rotation.len()).ok().filter(|l| *l > 0)?;
    let at = usize::try_from(index % len).ok()?;
    rotation.get(at).copied()
}

/// A job as it is stored: who leaves, who receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Sorted, without repeats.
    pub leavers: Vec<Id>,
    pub reassign_to: Reassignment,
    pub receivers: Receivers,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_reads_as_the_web_app_sends_it() {
        let request: DeactivationRequest = serde_json::from_str(
            r#"{"member_ids":[3,2,3],"reassign_to":{"kind":"per_entity","leads":1,"contacts":1,"companies":4,"tasks":5}}"#,
        )
        .unwrap();
        assert!(!request.dry_run);
        assert_eq!(request.leavers().unwrap(), vec![2, 3]);
        let group: Reassignment = serde_json::from_str(r#"{"kind":"group","group_id":7}"#).unwrap();
        assert_eq!(group, Reassignment::Group { group_id: 7 });
        for unknown in [
            r#"{"member_ids":[1],"reassign_to":{"kind":"one","member_id":2},"extra":1}"#,
            r#"{"member_ids":[1],"reassign_to":{"kind":"one","member_id":2,"group_id":3}}"#,
        ] {
            assert!(
                serde_json::from_str::<DeactivationRequest>(unknown).is_err(),
                "{unknown}"
            );
        }
        let empty = DeactivationRequest {
            member_ids: vec![],
            reassign_to: Reassignment::One { member_id: 1 },
            dry_run: true,
        };
        assert_eq!(empty.leavers().unwrap_err().code, "member_ids_empty");
        let many = DeactivationRequest {
            member_ids: (0..=MAX_MEMBERS as Id).collect(),
            ..empty
        };
        assert_eq!(many.leavers().unwrap_err().code, "member_ids_too_many");
    }

    #[test]
    fn a_rotation_spreads_evenly_and_resumes_where_it_stopped() {
        let rotation = [10, 20, 30];
        let mut counts = std::collections::HashMap::new();
        // 3 batches of 7, as a job moving 20 records would; the index carries on.
        let mut moved = 0u64;
        for batch in [7u64, 7, 6] {
            for position in 0..batch {
                *counts
                    .entry(receiver_at(&rotation, moved + position).unwrap())
                    .or_insert(0u64) += 1;
            }
            moved += batch;
        }
        let (min, max) = (
            counts.values().min().unwrap(),
            counts.values().max().unwrap(),
        );
        assert!(max - min <= 1, "{counts:?}");
        assert_eq!(counts.values().sum::<u64>(), 20);
        assert_eq!(receiver_at(&[], 3), None);
    }

    #[test]
    fn receivers_that_left_stop_receiving() {
        let per_entity = Receivers::PerEntity {
            leads: 1,
            contacts: 2,
            companies: 2,
            tasks: 3,
        };
        assert_eq!(per_entity.all(), vec![1, 2, 3]);
        assert_eq!(per_entity.rotation(Entity::Leads, &[1, 2]), Ok(vec![1]));
        assert_eq!(per_entity.rotation(Entity::Tasks, &[1, 2]), Err(Some(3)));
        let group = Receivers::Rotation {
            members: vec![4, 5, 6],
        };
        assert_eq!(group.rotation(Entity::Leads, &[4, 6]), Ok(vec![4, 6]));
        assert_eq!(group.rotation(Entity::Leads, &[]), Err(None));
    }

    #[test]
    fn percent_is_full_only_when_done() {
        let totals = RecordCounts {
            leads: 150,
            contacts: 50,
            ..RecordCounts::default()
        };
        let mut moved = RecordCounts::default();
        assert_eq!(percent(JobState::Running, &totals, &moved), 0);
        moved.add(Entity::Leads, 100);
        assert_eq!(percent(JobState::Running, &totals, &moved), 50);
        moved = moved.plus(&RecordCounts {
            leads: 50,
            contacts: 50,
            ..RecordCounts::default()
        });
        assert_eq!((moved.leads, moved.contacts, moved.total()), (150, 50, 200));
        assert_eq!(percent(JobState::Running, &totals, &moved), 99);
        assert_eq!(percent(JobState::Done, &totals, &moved), 100);
        let none = RecordCounts::default();
        assert_eq!(percent(JobState::Done, &none, &none), 100);
        assert_eq!(percent(JobState::Failed, &totals, &none), 0);
        assert_eq!(JobState::from_code("done"), Some(JobState::Done));
        assert_eq!(
            serde_json::to_string(&JobState::Running).unwrap(),
            "\"running\""
        );
    }
}
