//! The users list (U4, U9): filters, search, order and pages in SQL, then the page's people,
//! groups and roles in one set query each.

use std::collections::HashMap;

use gatehouse_domain::{
    page::PageRequest,
    people::Language,
    profile::GroupSummary,
    roles::RoleSummary,
    users::{UserFilter, UserQuery, UserRow, UserSort, UserStatus, UsersPage},
    Id,
};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};

use crate::{
    accounts::seats,
    auth::Member,
    entities::{groups, identities, memberships, roles},
    error::ApiResult,
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

fn ordered(select: Select<memberships::Entity>, sort: UserSort) -> Select<memberships::Entity> {
    let (column, order): (Expr, Order) = match sort {
        UserSort::Name => (Expr::col(identities::Column::NameFolded), Order::Asc),
        UserSort::NameDesc => (Expr::col(identities::Column::NameFolded), Order::Desc),
        UserSort::Email => (Expr::col(identities::Column::Email), Order::Asc),
        UserSort::EmailDesc => (Expr::col(identities::Column::Email), Order::Desc),
        UserSort::LastLogin => (Expr::col(memberships::Column::LastLoginAt), Order::Asc),
        UserSort::LastLoginDesc => (Expr::col(memberships::Column::LastLoginAt), Order::Desc),
        UserSort::Created => (Expr::col(memberships::Column::CreatedAt), Order::Asc),
        UserSort::CreatedDesc => (Expr::col(memberships::Column::CreatedAt), Order::Desc),
    };
    let select = if matches!(sort, UserSort::LastLogin | UserSort::LastLoginDesc) {
        // Never signed in is the oldest: first going up, last going down, on both databases
        // (which disagree on where NULLs sort).
        let never_first = if order == Order::Asc {
            Order::Desc
        } else {
            Order::Asc
        };
        select.order_by(
            Expr::col(memberships::Column::LastLoginAt).is_null(),
            never_first,
        )
    } else {
        select
    };
    select
        .order_by(column, order)
        .order_by_asc(memberships::Column::Id)
}

/// # Errors
/// 403 for non-administrators; database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    admin: &Member,
    query: UserQuery,
) -> ApiResult<UsersPage> {
    admin.require_admin()?;
    let page = PageRequest::new(query.page, query.per_page);
    let select = matching(admin.account_id, &query.filter);
    let total = select.clone().count(db).await?;
    let memberships = ordered(select, query.sort.unwrap_or_default())
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(UsersPage {
        items: rows(db, memberships).await?,
        total,
        page: page.page,
        per_page: page.per_page,
        seats: seats::count(db, admin.account_id).await?,
    })
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
