//! The users list (U4, U9): filters, search, order and pages in SQL. A page is one query — its
//! people, groups and roles joined, the matching total and the seat counter beside them — as each
//! round trip to the database costs more than the rows themselves.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gatehouse_domain::{
    accounts::Seats,
    page::PageRequest,
    people::Language,
    problem::ErrorCode,
    profile::GroupSummary,
    roles::RoleSummary,
    users::{UserFilter, UserQuery, UserRow, UserSort, UserStatus, UsersPage},
    Id,
};
use sea_orm::{
    sea_query::{Asterisk, Expr, Func, Query, SelectStatement, WindowStatement},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, Order,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Select,
};

use crate::{
    accounts::seats,
    auth::Member,
    entities::{accounts, groups, identities, memberships, roles},
    error::{ApiError, ApiResult},
};

/// The account's memberships matching the filter, joined to their identities.
pub fn matching(account_id: Id, filter: &UserFilter) -> Select<memberships::Entity> {
    let mut select = memberships::Entity::find()
        .join(JoinType::InnerJoin, memberships::Relation::Identity.def())
        .filter(memberships::Column::AccountId.eq(account_id));
    select = match filter.status.unwrap_or_default() {
        UserStatus::Active => select.filter(memberships::Column::IsActive.eq(true)),
        UserStatus::Inactive => select.filter(memberships::Column::IsActive.eq(false)),
        UserStatus::All => select,
        UserStatus::Admins => select
            .filter(memberships::Column::IsActive.eq(true))
            .filter(memberships::Column::IsAdmin.eq(true)),
        UserStatus::Free => select
            .filter(memberships::Column::IsActive.eq(true))
            .filter(memberships::Column::IsFree.eq(true)),
    };
    if let Some(group_id) = filter.group_id {
        select = select.filter(memberships::Column::GroupId.eq(group_id));
    }
    if let Some(role_id) = filter.role_id {
        select = select.filter(memberships::Column::RoleId.eq(role_id));
    }
    if let Some(search) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select = select.filter(search_condition(search));
    }
    match filter.two_factor {
        Some(true) => select = select.filter(identities::Column::TotpSecret.is_not_null()),
        Some(false) => select = select.filter(identities::Column::TotpSecret.is_null()),
        None => {}
    }
    if let Some(before) = filter.last_login_before {
        select = select.filter(
            Condition::any()
                .add(memberships::Column::LastLoginAt.lt(before))
                .add(memberships::Column::LastLoginAt.is_null()),
        );
    }
    if let Some(after) = filter.last_login_after {
        select = select.filter(memberships::Column::LastLoginAt.gte(after));
    }
    select
}

/// Part of the name (any case, any script), of the e-mail, or of the phone's digits.
fn search_condition(search: &str) -> Condition {
    let like = crate::db::containing;
    let folded = crate::db::fold(search);
    let mut any = Condition::any()
        .add(identities::Column::NameFolded.like(like(&folded)))
        .add(identities::Column::Email.like(like(&folded)));
    let digits: String = search.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 3 {
        any = any.add(identities::Column::Phone.like(like(&digits)));
    }
    any
}

// Columns are named with their table: the page query also joins groups and roles, which have
// `created_at` too.
fn ordered(select: Select<memberships::Entity>, sort: UserSort) -> Select<memberships::Entity> {
    let (column, order): (Expr, Order) = match sort {
        UserSort::Name => (identities::Column::NameFolded.into_expr(), Order::Asc),
        UserSort::NameDesc => (identities::Column::NameFolded.into_expr(), Order::Desc),
        UserSort::Email => (identities::Column::Email.into_expr(), Order::Asc),
        UserSort::EmailDesc => (identities::Column::Email.into_expr(), Order::Desc),
        UserSort::LastLogin => (memberships::Column::LastLoginAt.into_expr(), Order::Asc),
        UserSort::LastLoginDesc => (memberships::Column::LastLoginAt.into_expr(), Order::Desc),
        UserSort::Created => (memberships::Column::CreatedAt.into_expr(), Order::Asc),
        UserSort::CreatedDesc => (memberships::Column::CreatedAt.into_expr(), Order::Desc),
    };
    let select = if matches!(sort, UserSort::LastLogin | UserSort::LastLoginDesc) {
        // Never signed in is the oldest: first going up, last going down, on both databases
        // (which disagree on where NULLs sort).
        let never_first = if order == Order::Asc {
            Order::Desc
        } else {
            Order::Asc
        };
        select.order_by(memberships::Column::LastLoginAt.is_null(), never_first)
    } else {
        select
    };
    select
        .order_by(column, order)
        .order_by_asc(memberships::Column::Id)
}

/// # Errors
/// 403 for non-administrators; 404 for an account that is gone; database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    admin: &Member,
    query: UserQuery,
) -> ApiResult<UsersPage> {
    admin.require_admin()?;
    let page = PageRequest::new(query.page, query.per_page);
    let account_id = admin.account_id;
    let select = matching(account_id, &query.filter);
    let mut listed = ordered(select.clone(), query.sort.unwrap_or_default())
        .select_only()
        .column_as(memberships::Column::Id, "id")
        .column_as(identities::Column::Id, "identity_id")
        .column_as(identities::Column::Name, "name")
        .column_as(identities::Column::Email, "email")
        .column_as(identities::Column::Phone, "phone")
        .column_as(identities::Column::Language, "language")
        .column_as(memberships::Column::IsAdmin, "is_admin")
        .column_as(memberships::Column::IsFree, "is_free")
        .column_as(memberships::Column::IsActive, "is_active")
        .column_as(groups::Column::Id, "group_id")
        .column_as(groups::Column::Name, "group_name")
        .column_as(groups::Column::IsDefault, "group_is_default")
        .column_as(roles::Column::Id, "role_id")
        .column_as(roles::Column::Name, "role_name")
        .expr_as(
            identities::Column::TotpSecret.is_not_null(),
            "two_factor_enabled",
        )
        // An invited person has no password until they accept (U6).
        .expr_as(
            identities::Column::PasswordHash.is_null(),
            "invitation_pending",
        )
        .column_as(memberships::Column::LastLoginAt, "last_login_at")
        .column_as(memberships::Column::CreatedAt, "created_at")
        .join(
            JoinType::LeftJoin,
            memberships::Entity::belongs_to(groups::Entity)
                .from(memberships::Column::GroupId)
                .to(groups::Column::Id)
                .into(),
        )
        .join(
            JoinType::LeftJoin,
            memberships::Entity::belongs_to(roles::Entity)
                .from(memberships::Column::RoleId)
                .to(roles::Column::Id)
                .into(),
        )
        .offset(page.offset())
        .limit(page.per_page);
    // The window counts every matching row, not just the page's.
    QueryTrait::query(&mut listed).expr_window_as(
        Func::count(Expr::col(Asterisk)),
        WindowStatement::new(),
        "total",
    );
    for (expr, alias) in seat_columns(account_id) {
        listed = listed.expr_as(expr, alias);
    }
    let listed = listed.into_model::<Listed>().all(db).await?;
    let (total, seats) = match listed.first() {
        Some(first) => (u64::try_from(first.total).unwrap_or(0), first.seats()?),
        // Past the last page, or when nothing matches, no row carries the total and the seats.
        None => without_rows(db, account_id, select).await?,
    };
    Ok(UsersPage {
        items: listed.into_iter().map(Listed::into_row).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
        seats,
    })
}

/// One row of the page query.
#[derive(FromQueryResult)]
struct Listed {
    id: Id,
    identity_id: Id,
    name: String,
    email: String,
    phone: Option<String>,
    language: String,
    is_admin: bool,
    is_free: bool,
    is_active: bool,
    group_id: Option<Id>,
    group_name: Option<String>,
    group_is_default: Option<bool>,
    role_id: Option<Id>,
    role_name: Option<String>,
    two_factor_enabled: bool,
    invitation_pending: bool,
    last_login_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    total: i64,
    seats_general: Option<i32>,
    seats_technical: Option<i32>,
    seats_used: i64,
}

impl Listed {
    fn seats(&self) -> ApiResult<Seats> {
        seats_of(self.seats_general, self.seats_technical, self.seats_used)
    }

    fn into_row(self) -> UserRow {
        UserRow {
            id: self.id,
            identity_id: self.identity_id,
            name: self.name,
            email: self.email,
            phone: self.phone,
            language: Language::from_code(&self.language).unwrap_or_default(),
            is_admin: self.is_admin,
            is_free: self.is_free,
            is_active: self.is_active,
            group: match (self.group_id, self.group_name, self.group_is_default) {
                (Some(id), Some(name), Some(is_default)) => Some(GroupSummary {
                    id,
                    name,
                    is_default,
                }),
                _ => None,
            },
            role: match (self.role_id, self.role_name) {
                (Some(id), Some(name)) => Some(RoleSummary { id, name }),
                _ => None,
            },
            two_factor_enabled: self.two_factor_enabled,
            invitation_pending: self.invitation_pending,
            last_login_at: self.last_login_at,
            created_at: self.created_at,
        }
    }
}

/// The total and the seats of a page without rows.
#[derive(FromQueryResult)]
struct Totals {
    total: i64,
    seats_general: Option<i32>,
    seats_technical: Option<i32>,
    seats_used: i64,
}

async fn without_rows(
    db: &impl ConnectionTrait,
    account_id: Id,
    matching: Select<memberships::Entity>,
) -> ApiResult<(u64, Seats)> {
    let mut query = Query::select();
    query.expr_as(scalar(counted(matching)), "total");
    for (expr, alias) in seat_columns(account_id) {
        query.expr_as(expr, alias);
    }
    let totals = Totals::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))?;
    Ok((
        u64::try_from(totals.total).unwrap_or(0),
        seats_of(
            totals.seats_general,
            totals.seats_technical,
            totals.seats_used,
        )?,
    ))
}

/// The seat counter as columns: the account's seats and how many are taken, each a subquery
/// the database runs once per statement. The seats are NULL when the account is gone.
fn seat_columns(account_id: Id) -> [(Expr, &'static str); 3] {
    let of_account = |column: accounts::Column| {
        scalar(
            Query::select()
                .column((accounts::Entity, column))
                .from(accounts::Entity)
                .and_where(accounts::Column::Id.eq(account_id))
                .to_owned(),
        )
    };
    [
        (of_account(accounts::Column::SeatsGeneral), "seats_general"),
        (
            of_account(accounts::Column::SeatsTechnical),
            "seats_technical",
        ),
        (
            scalar(counted(seats::taking_seats(account_id))),
            "seats_used",
        ),
    ]
}

fn seats_of(general: Option<i32>, technical: Option<i32>, used: i64) -> ApiResult<Seats> {
    match (general, technical) {
        (Some(general), Some(technical)) => Ok(seats::of(
            general,
            technical,
            u64::try_from(used).unwrap_or(0),
        )),
        _ => Err(ErrorCode::NotFound.into()),
    }
}

fn counted(select: Select<memberships::Entity>) -> SelectStatement {
    select
        .select_only()
        .expr(Func::count(Expr::col(Asterisk)))
        .into_query()
}

fn scalar(query: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(query.into()))
}

/// The list rows of these memberships, in their order: people, groups and roles in one query
/// each.
///
/// # Errors
/// Database errors.
pub async fn rows(
    db: &impl ConnectionTrait,
    memberships: Vec<memberships::Model>,
) -> ApiResult<Vec<UserRow>> {
    let ids = |f: fn(&memberships::Model) -> Option<Id>| -> Vec<Id> {
        let mut ids: Vec<Id> = memberships.iter().filter_map(f).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let identity_ids = ids(|m| Some(m.identity_id));
    let group_ids = ids(|m| m.group_id);
    let role_ids = ids(|m| m.role_id);
    let people: HashMap<Id, identities::Model> = identities::Entity::find()
        .filter(identities::Column::Id.is_in(identity_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let groups: HashMap<Id, groups::Model> = if group_ids.is_empty() {
        HashMap::new()
    } else {
        groups::Entity::find()
            .filter(groups::Column::Id.is_in(group_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect()
    };
    let roles: HashMap<Id, roles::Model> = if role_ids.is_empty() {
        HashMap::new()
    } else {
        roles::Entity::find()
            .filter(roles::Column::Id.is_in(role_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect()
    };
    Ok(memberships
        .into_iter()
        .filter_map(|m| {
            let identity = people.get(&m.identity_id)?;
            Some(row(
                &m,
                identity,
                m.group_id.and_then(|id| groups.get(&id)),
                m.role_id.and_then(|id| roles.get(&id)),
            ))
        })
        .collect())
}

/// One list row.
#[must_use]
pub fn row(
    membership: &memberships::Model,
    identity: &identities::Model,
    group: Option<&groups::Model>,
    role: Option<&roles::Model>,
) -> UserRow {
    UserRow {
        id: membership.id,
        identity_id: identity.id,
        name: identity.name.clone(),
        email: identity.email.clone(),
        phone: identity.phone.clone(),
        language: Language::from_code(&identity.language).unwrap_or_default(),
        is_admin: membership.is_admin,
        is_free: membership.is_free,
        is_active: membership.is_active,
        group: group.map(|g| GroupSummary {
            id: g.id,
            name: g.name.clone(),
            is_default: g.is_default,
        }),
        role: role.map(|r| RoleSummary {
            id: r.id,
            name: r.name.clone(),
        }),
        two_factor_enabled: identity.totp_secret.is_some(),
        // An invited person has no password until they accept (U6).
        invitation_pending: identity.password_hash.is_none(),
        last_login_at: membership.last_login_at,
        created_at: membership.created_at,
    }
}

/// The ids of the account's memberships matching a filter ("select all matching").
///
/// # Errors
/// Database errors.
pub async fn matching_ids(
    db: &impl ConnectionTrait,
    account_id: Id,
    filter: &UserFilter,
) -> ApiResult<Vec<Id>> {
    Ok(matching(account_id, filter)
        .select_only()
        .column(memberships::Column::Id)
        .into_tuple::<Id>()
        .all(db)
        .await?)
}
