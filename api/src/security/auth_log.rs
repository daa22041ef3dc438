//! The authorization log (S1): one row per sign-in attempt, kept for the account's retention
//! period; listed with filters and exported as CSV by administrators.

use chrono::{Duration, Utc};
use gatehouse_domain::{
    page::{Page, PageRequest},
    security::{AuthLogEntry, AuthLogQuery, AuthMethod, AuthOutcome},
    Id,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};

use super::user_agent;
use crate::{
    entities::{accounts, auth_log, identities, memberships},
    http::client::ClientInfo,
};

/// One attempt, as sign-in knows it.
pub struct Attempt<'a> {
    pub email: &'a str,
    pub account_id: Option<Id>,
    pub membership_id: Option<Id>,
    pub identity_id: Option<Id>,
    pub method: AuthMethod,
    pub outcome: AuthOutcome,
    pub client: &'a ClientInfo,
}

/// Writes one entry.
///
/// # Errors
/// Database errors only.
pub async fn record(db: &impl ConnectionTrait, attempt: Attempt<'_>) -> Result<(), DbErr> {
    let device = user_agent::parse(attempt.client.user_agent.as_deref());
    auth_log::Entity::insert(auth_log::ActiveModel {
        at: Set(Utc::now()),
        account_id: Set(attempt.account_id),
        membership_id: Set(attempt.membership_id),
        identity_id: Set(attempt.identity_id),
        email: Set(attempt.email.to_owned()),
        method: Set(attempt.method.as_str().to_owned()),
        outcome: Set(attempt.outcome.as_str().to_owned()),
        ip: Set(attempt.client.ip_text()),
        user_agent: Set(attempt.client.user_agent.clone().unwrap_or_default()),
        browser: Set(device.browser),
        os: Set(device.os),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn filtered(account_id: Id, query: &AuthLogQuery) -> Select<auth_log::Entity> {
    let mut select = auth_log::Entity::find().filter(auth_log::Column::AccountId.eq(account_id));
    if let Some(member_id) = query.member_id {
        select = select.filter(auth_log::Column::MembershipId.eq(member_id));
    }
    if let Some(outcome) = query.outcome {
        select = select.filter(auth_log::Column::Outcome.eq(outcome.as_str()));
    }
    if let Some(ip) = query
        .ip
        .as_deref()
        .map(str::trim)
        .filter(|ip| !ip.is_empty())
    {
        select = select.filter(auth_log::Column::Ip.eq(ip));
    }
    if let Some(from) = query.from {
        select = select.filter(auth_log::Column::At.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(auth_log::Column::At.lt(to));
    }
    select
        .order_by_desc(auth_log::Column::At)
        .order_by_desc(auth_log::Column::Id)
}

/// A page of the account's log, newest first.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: Id,
    query: &AuthLogQuery,
) -> Result<Page<AuthLogEntry>, DbErr> {
    let page = PageRequest::new(query.page, query.per_page);
    let select = filtered(account_id, query);
    let total = select.clone().count(db).await?;
    let rows = select
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: entries(db, rows).await?,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching entry as CSV (UTF-8 with a header row), newest first.
///
/// # Errors
/// Database errors only.
pub async fn export_csv(
    db: &impl ConnectionTrait,
    account_id: Id,
    query: &AuthLogQuery,
) -> Result<Vec<u8>, DbErr> {
    let rows = filtered(account_id, query).all(db).await?;
    let entries = entries(db, rows).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[&str]| {
        out.write_record(record)
            .map_err(|e| DbErr::Custom(format!("csv: {e}")))
    };
    write(
        &mut out,
        &[
            "time", "email", "member", "method", "outcome", "ip", "browser", "os",
        ],
    )?;
    for e in &entries {
        write(
            &mut out,
            &[
                &e.at.to_rfc3339(),
                &e.email,
                e.member_name.as_deref().unwrap_or_default(),
                e.method.as_str(),
                e.outcome.as_str(),
                &e.ip,
                &e.browser,
                &e.os,
            ],
        )?;
    }
    out.into_inner()
        .map_err(|e| DbErr::Custom(format!("csv: {e}")))
}

async fn entries(
    db: &impl ConnectionTrait,
    rows: Vec<auth_log::Model>,
) -> Result<Vec<AuthLogEntry>, DbErr> {
    let member_ids: Vec<Id> = rows.iter().filter_map(|r| r.membership_id).collect();
    let names: std::collections::HashMap<Id, String> = memberships::Entity::find()
        .find_also_related(identities::Entity)
        .filter(memberships::Column::Id.is_in(member_ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(m, i)| i.map(|i| (m.id, i.name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| AuthLogEntry {
            id: r.id,
            at: r.at,
            member_name: r.membership_id.and_then(|id| names.get(&id).cloned()),
            member_id: r.membership_id,
            email: r.email,
            method: AuthMethod::parse(&r.method).unwrap_or(AuthMethod::Api),
            outcome: AuthOutcome::parse(&r.outcome).unwrap_or(AuthOutcome::WrongPassword),
            ip: r.ip,
            browser: r.browser,
            os: r.os,
        })
        .collect())
}

/// Deletes entries past each account's retention, and entries of no account (attempts with
/// unknown e-mails, seen by no administrator) after a week, which keeps a stranger's address no
/// longer than an investigation of a brute-force wave needs.
///
/// # Errors
/// Database errors only.
pub async fn prune(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let now = Utc::now();
    let mut deleted = 0;
    let accounts = accounts::Entity::find().all(db).await?;
    for account in accounts {
        let keep = Duration::days(i64::from(account.auth_log_retention_days.max(1)));
        deleted += auth_log::Entity::delete_many()
            .filter(auth_log::Column::AccountId.eq(account.id))
            .filter(auth_log::Column::At.lt(now - keep))
            .exec(db)
            .await?
            .rows_affected;
    }
    deleted += auth_log::Entity::delete_many()
        .filter(auth_log::Column::AccountId.is_null())
        .filter(auth_log::Column::At.lt(now - Duration::days(7)))
        .exec(db)
        .await?
        .rows_affected;
    Ok(deleted)
}
