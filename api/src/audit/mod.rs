//! The audit log of administrative acts (S2): who did what to whom, with the details that make
//! it understandable later — never a secret (no passwords, codes or tokens).

pub mod routes;
pub mod service;

use chrono::Utc;
use gatehouse_domain::Id;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::{auth::Member, entities::audit_events};

/// Records one act in the caller's transaction, so the log and the act commit together.
///
/// # Errors
/// Database errors only.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Member,
    action: &str,
    target_membership_id: Option<Id>,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    record_by(
        db,
        actor.account_id,
        actor.membership_id,
        action,
        target_membership_id,
        details,
    )
    .await
}

/// Records an act done on a member's behalf after their request ended (a background job
/// finishing what they started), in the caller's transaction.
///
/// # Errors
/// Database errors only.
pub async fn record_by(
    db: &impl ConnectionTrait,
    account_id: Id,
    actor_membership_id: Id,
    action: &str,
    target_membership_id: Option<Id>,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    audit_events::Entity::insert(audit_events::ActiveModel {
        account_id: Set(account_id),
        at: Set(Utc::now()),
        actor_membership_id: Set(Some(actor_membership_id)),
        action: Set(action.to_owned()),
        target_membership_id: Set(target_membership_id),
        details: Set(details.to_string()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Records an act of the platform itself (the command line), which has no member as actor.
///
/// # Errors
/// Database errors only.
pub async fn record_platform(
    db: &impl ConnectionTrait,
    account_id: Id,
    action: &str,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    audit_events::Entity::insert(audit_events::ActiveModel {
        account_id: Set(account_id),
        at: Set(Utc::now()),
        actor_membership_id: Set(None),
        action: Set(action.to_owned()),
        target_membership_id: Set(None),
        details: Set(details.to_string()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
