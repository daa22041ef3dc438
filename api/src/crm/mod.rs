//! The CRM core under the rights model (C1–C5, R1–R3): every read and write asks the domain's
//! one evaluation ([`gatehouse_domain::rights::allows`]) about the record at hand, and every list
//! is filtered by the database with the same rules ([`crate::rights::sql`]).
//!
//! A record the caller may not view does not exist for them (404); one they may view but not
//! change is 403 `forbidden`.

pub mod chat;
pub mod colleagues;
pub mod companies;
pub mod contacts;
pub mod csv;
pub mod events;
pub mod fields;
pub mod leads;
pub mod routes;
pub mod tasks;

use gatehouse_domain::{
    crm::{CustomValues, Slice},
    problem::ErrorCode,
    rights::{allows, list_filter, may_add, Action, Entity, Record, Standing, Subject},
    Id,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect,
    Select,
};

// Records' names are searched in the same folded form as people's.
use crate::db::fold;
use crate::{
    auth::Member,
    entities::{identities, lead_participants, memberships, roles},
    error::{ApiError, ApiResult},
    rights::{self, sql::RecordColumns},
};

/// The signed-in member with their rights, loaded once per request.
pub struct Caller {
    pub account_id: Id,
    pub membership_id: Id,
    pub subject: Subject,
}

impl Caller {
    /// # Errors
    /// 401 `session_ended` when the membership is gone; database errors.
    pub async fn of(db: &impl ConnectionTrait, member: &Member) -> ApiResult<Self> {
        // The membership with its role in one query: every CRM request starts here, and a round
        // trip to the database costs a list about as much as the list's own query.
        let role = memberships::Entity::belongs_to(roles::Entity)
            .from(memberships::Column::RoleId)
            .to(roles::Column::Id);
        let (membership, role) = memberships::Entity::find_by_id(member.membership_id)
            .select_also(roles::Entity)
            .join(JoinType::LeftJoin, role.into())
            .one(db)
            .await?
            .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
        let access = rights::access_with_role(&membership, role.as_ref())?;
        Ok(Self {
            account_id: member.account_id,
            membership_id: member.membership_id,
            subject: access.subject(member.membership_id),
        })
    }

    fn is_free(&self) -> bool {
        self.subject.standing == Standing::Free
    }

    /// What the rules need of one record: its responsible member's group and, for free users,
    /// whether they take part in the lead.
    ///
    /// # Errors
    /// Database errors.
    pub async fn facts(
        &self,
        db: &impl ConnectionTrait,
        entity: Entity,
        responsible_id: Id,
        stage_id: Option<Id>,
        lead_id: Option<Id>,
    ) -> ApiResult<Record> {
        let responsible_group_id = memberships::Entity::find_by_id(responsible_id)
            .select_only()
            .column(memberships::Column::GroupId)
            .into_tuple::<Option<Id>>()
            .one(db)
            .await?
            .flatten();
        let participant = match (lead_id, self.is_free()) {
            (Some(lead_id), true) => {
                lead_participants::Entity::find_by_id((lead_id, self.membership_id))
                    .one(db)
                    .await?
                    .is_some()
            }
            _ => false,
        };
        Ok(Record {
            entity,
            responsible_id,
            responsible_group_id,
            stage_id,
            participant,
        })
    }

    /// The record found for `action`: 404 when it is not in the account or the caller may not
    /// view it, 403 when they may view but not do `action`. For records without stages.
    ///
    /// # Errors
    /// As above; database errors.
    pub async fn found<M>(
        &self,
        db: &impl ConnectionTrait,
        entity: Entity,
        found: Option<M>,
        responsible_of: impl Fn(&M) -> Id,
        action: Action,
    ) -> ApiResult<M> {
        let model = found.ok_or(ApiError::Code(ErrorCode::NotFound))?;
        let record = self
            .facts(db, entity, responsible_of(&model), None, None)
            .await?;
        self.ensure(action, &record)?;
        Ok(model)
    }

    /// 404 when the caller may not even view the record, 403 when they may view but not do
    /// `action`.
    ///
    /// # Errors
    /// As above.
    pub fn ensure(&self, action: Action, record: &Record) -> ApiResult<()> {
        if !allows(&self.subject, Action::View, record) {
            return Err(ErrorCode::NotFound.into());
        }
        if action != Action::View && !allows(&self.subject, action, record) {
            return Err(ApiError::detailed(
                ErrorCode::Forbidden,
                format!("your rights do not let you {} this record", verb(action)),
            ));
        }
        Ok(())
    }

    /// # Errors
    /// 403 when the caller may not add records of `entity`.
    pub fn ensure_add(&self, entity: Entity) -> ApiResult<()> {
        if may_add(&self.subject, entity) {
            Ok(())
        } else {
            Err(ApiError::detailed(
                ErrorCode::Forbidden,
                format!("your rights do not let you add {}", entity.code()),
            ))
        }
    }

    /// The condition admitting the records of `entity` the caller may do `action` to; `None`
    /// when no record can pass (the list need not be queried).
    #[must_use]
    pub fn condition(
        &self,
        entity: Entity,
        action: Action,
        columns: &RecordColumns,
    ) -> Option<Condition> {
        let filter = list_filter(&self.subject, entity, action);
        (!filter.is_nothing()).then(|| rights::sql::condition(&filter, columns))
    }
}

const fn verb(action: Action) -> &'static str {
    match action {
        Action::View => "view",
        Action::Add => "add",
        Action::Edit => "edit",
        Action::Delete => "delete",
        Action::Export => "export",
    }
}

/// The member a record is handed to: active, not free (free users are never responsible, U8),
/// in the caller's account.
///
/// # Errors
/// 422 `responsible_invalid`.
pub async fn responsible(db: &impl ConnectionTrait, account_id: Id, id: Id) -> ApiResult<Id> {
    let found = memberships::Entity::find_by_id(id)
        .filter(memberships::Column::AccountId.eq(account_id))
        .filter(memberships::Column::IsActive.eq(true))
        .filter(memberships::Column::IsFree.eq(false))
        .one(db)
        .await?;
    found.map(|m| m.id).ok_or_else(|| {
        ApiError::invalid(
            "responsible_id",
            "responsible_invalid",
            "the responsible user must be an active, non-free user of this account",
        )
    })
}

/// # Errors
/// An internal error for a stored value that is not JSON of the type (never written here).
pub fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> ApiResult<T> {
    serde_json::from_str(json).map_err(ApiError::internal)
}

/// Custom values as stored.
///
/// # Errors
/// As [`from_json`].
pub fn stored_custom(json: &str) -> ApiResult<CustomValues> {
    from_json(json)
}

/// Where records other than leads keep their responsible member.
pub fn responsible_only(column: impl sea_orm::sea_query::IntoColumnRef) -> RecordColumns {
    RecordColumns {
        responsible: sea_orm::sea_query::Expr::col(column),
        stage: None,
        participant: None,
    }
}

/// Custom values after applying `incoming` over `current`, checked against the account's fields.
///
/// # Errors
/// 422 naming each bad value.
pub async fn custom_values(
    db: &impl ConnectionTrait,
    account_id: Id,
    entity: Entity,
    current: &CustomValues,
    incoming: &CustomValues,
) -> ApiResult<CustomValues> {
    if incoming.is_empty() {
        return Ok(current.clone());
    }
    let defined = fields::list(db, account_id, Some(entity)).await?;
    gatehouse_domain::crm::fields::apply_values(&defined, entity, current, incoming)
        .map_err(ApiError::Validation)
}

/// A slice from up to `limit + 1` rows fetched newest first: the extra row only says there is
/// more.
pub fn slice<T>(mut items: Vec<T>, limit: u64, id: impl Fn(&T) -> Id) -> Slice<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = items.len() > limit;
    items.truncate(limit);
    Slice {
        next_after: if more { items.last().map(id) } else { None },
        items,
    }
}

/// One slice of `select`'s rows, newest first: those with an id below `after`, at most `limit`
/// (clamped), each shown by `view`. `None` — the rights admit no row — is an empty slice, and
/// the database is not asked.
///
/// # Errors
/// Database errors, and those of `view`.
pub async fn read_slice<E: EntityTrait, T>(
    db: &impl ConnectionTrait,
    select: Option<Select<E>>,
    id: E::Column,
    after: Option<Id>,
    limit: Option<u64>,
    view: impl Fn(E::Model) -> ApiResult<T>,
    id_of: impl Fn(&T) -> Id,
) -> ApiResult<Slice<T>> {
    let Some(mut select) = select else {
        return Ok(Slice {
            items: Vec::new(),
            next_after: None,
        });
    };
    let limit = gatehouse_domain::crm::limit(limit);
    if let Some(after) = after {
        select = select.filter(id.lt(after));
    }
    let rows = select.limit(limit + 1).all(db).await?;
    let items = rows.into_iter().map(view).collect::<ApiResult<Vec<_>>>()?;
    Ok(slice(items, limit, id_of))
}

/// The rows of `select` an export writes (at most [`csv::MAX_ROWS`]); none when the rights
/// admit none.
///
/// # Errors
/// Database errors.
pub async fn export_rows<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Option<Select<E>>,
) -> ApiResult<Vec<E::Model>> {
    Ok(match select {
        Some(select) => select.limit(csv::MAX_ROWS).all(db).await?,
        None => Vec::new(),
    })
}

/// Names containing `query` in any case and script (names are stored folded too).
pub fn name_contains(folded_column: impl ColumnTrait, query: Option<&str>) -> Condition {
    match query.map(str::trim).filter(|q| !q.is_empty()) {
        Some(query) => {
            Condition::all().add(folded_column.like(crate::db::containing(&fold(query))))
        }
        None => Condition::all(),
    }
}

/// The names of the account's members by membership id, for exports.
///
/// # Errors
/// Database errors.
pub async fn member_names(
    db: &impl ConnectionTrait,
    account_id: Id,
) -> ApiResult<std::collections::HashMap<Id, String>> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .find_also_related(identities::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(m, i)| (m.id, i.map(|i| i.name).unwrap_or_default()))
        .collect())
}

/// The member's name as history keeps it (D4).
///
/// # Errors
/// Database errors.
pub async fn author_name(
    db: &impl ConnectionTrait,
    membership_id: Id,
) -> ApiResult<Option<String>> {
    Ok(memberships::Entity::find_by_id(membership_id)
        .find_also_related(identities::Entity)
        .one(db)
        .await?
        .and_then(|(_, i)| i.map(|i| i.name)))
}
