//! The administrators' side of account security: settings, allowlist, who has what, and the
//! periodic clean-up of counters and old log entries.

use std::{collections::HashMap, time::Duration};

use chrono::Utc;
use gatehouse_domain::{
    problem::ErrorCode,
    security::{allows, Allowlist, AllowlistEntry, AllowlistView, SaveAllowlist, SecuritySettings},
    users::MemberSecurity,
    Id,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use super::{auth_log, policy::settings_of, throttle};
use crate::{
    audit,
    auth::Member,
    entities::{accounts, allowlist_entries, identities, memberships, sessions},
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    state::AppState,
};

async fn account(state: &AppState, admin: &Member) -> ApiResult<accounts::Model> {
    accounts::Entity::find_by_id(admin.account_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionEnded))
}

/// # Errors
/// 403 for non-administrators.
pub async fn settings(state: &AppState, admin: &Member) -> ApiResult<SecuritySettings> {
    admin.require_admin()?;
    Ok(settings_of(&account(state, admin).await?))
}

/// Saves the settings as a whole; they apply within seconds to every instance (the policy
/// cache's lifetime) and at once here.
///
/// # Errors
/// 403 for non-administrators; 422 with the out-of-range fields.
pub async fn save_settings(
    state: &AppState,
    admin: &Member,
    new: SecuritySettings,
) -> ApiResult<SecuritySettings> {
    admin.require_admin()?;
    let errors = new.validate();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let row = account(state, admin).await?;
    let before = settings_of(&row);
    let small = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let mut changed: accounts::ActiveModel = row.into();
    changed.password_min_length = Set(i32::from(new.password_policy.min_length));
    changed.password_require_upper = Set(new.password_policy.require_upper);
    changed.password_require_lower = Set(new.password_policy.require_lower);
    changed.password_require_digit = Set(new.password_policy.require_digit);
    changed.password_require_symbol = Set(new.password_policy.require_symbol);
    changed.two_factor_policy = Set(new.two_factor_policy.as_str().to_owned());
    changed.session_idle_minutes = Set(small(new.session_idle_minutes));
    changed.session_absolute_minutes = Set(small(new.session_absolute_minutes));
    changed.auth_log_retention_days = Set(small(new.auth_log_retention_days));
    let txn = state.db.begin().await?;
    let saved = changed.update(&txn).await?;
    audit::record(
        &txn,
        admin,
        "security_settings_changed",
        None,
        json!({ "before": before, "after": new }),
    )
    .await?;
    txn.commit().await?;
    state.policies.forget(admin.account_id);
    Ok(settings_of(&saved))
}

/// # Errors
/// 403 for non-administrators.
pub async fn allowlist(
    state: &AppState,
    admin: &Member,
    client: &ClientInfo,
) -> ApiResult<AllowlistView> {
    admin.require_admin()?;
    let account = account(state, admin).await?;
    let entries = allowlist_entries::Entity::find()
        .filter(allowlist_entries::Column::AccountId.eq(admin.account_id))
        .order_by_asc(allowlist_entries::Column::Position)
        .all(&state.db)
        .await?;
    let exempt = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .filter(memberships::Column::AllowlistExempt.eq(true))
        .order_by_asc(memberships::Column::Id)
        .all(&state.db)
        .await?;
    Ok(AllowlistView {
        allowlist: Allowlist {
            enabled: account.allowlist_enabled,
            apply_to_tokens: account.allowlist_apply_to_tokens,
            entries: entries
                .into_iter()
                .map(|e| AllowlistEntry {
                    range: e.range,
                    note: e.note,
                })
                .collect(),
            exempt_member_ids: exempt.into_iter().map(|m| m.id).collect(),
        },
        your_ip: client.ip_text(),
    })
}

/// Replaces the allowlist (S3). A list that would refuse the administrator saving it — from
/// the address they are saving from — is refused unless they confirm.
///
/// # Errors
/// 403 for non-administrators; 422 for invalid ranges or unknown exempt members; 409
/// `allowlist_locks_you_out`.
pub async fn save_allowlist(
    state: &AppState,
    admin: &Member,
    client: &ClientInfo,
    request: SaveAllowlist,
) -> ApiResult<AllowlistView> {
    admin.require_admin()?;
    let list = request.allowlist;
    let ranges = list.ranges().map_err(ApiError::Validation)?;
    let members: Vec<Id> = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .filter(memberships::Column::Id.is_in(list.exempt_member_ids.iter().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if let Some(unknown) = list
        .exempt_member_ids
        .iter()
        .find(|id| !members.contains(id))
    {
        return Err(ApiError::Validation(vec![
            gatehouse_domain::problem::FieldError::new(
                "exempt_member_ids",
                "unknown_member",
                format!("no member {unknown} in this account"),
            ),
        ]));
    }
    let admin_exempt = members.contains(&admin.membership_id);
    let admitted = client.ip.is_some_and(|ip| allows(&ranges, ip));
    if list.enabled && !admin_exempt && !admitted && !request.confirm_lockout {
        return Err(ApiError::detailed(
            ErrorCode::AllowlistLocksYouOut,
            format!(
                "your address {} is not on the list; add it, exempt yourself, or confirm",
                client.ip_text()
            ),
        ));
    }
    let txn = state.db.begin().await?;
    allowlist_entries::Entity::delete_many()
        .filter(allowlist_entries::Column::AccountId.eq(admin.account_id))
        .exec(&txn)
        .await?;
    if !list.entries.is_empty() {
        allowlist_entries::Entity::insert_many(list.entries.iter().zip(&ranges).enumerate().map(
            |(n, (entry, range))| allowlist_entries::ActiveModel {
                account_id: Set(admin.account_id),
                range: Set(range.to_string()),
                note: Set(entry.note.trim().to_owned()),
                position: Set(i32::try_from(n).unwrap_or(i32::MAX)),
                ..Default::default()
            },
        ))
        .exec_without_returning(&txn)
        .await?;
    }
    memberships::Entity::update_many()
        .col_expr(
            memberships::Column::AllowlistExempt,
            memberships::Column::Id.is_in(list.exempt_member_ids.iter().copied()),
        )
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .exec(&txn)
        .await?;
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::AllowlistEnabled,
            Expr::value(list.enabled),
        )
        .col_expr(
            accounts::Column::AllowlistApplyToTokens,
            Expr::value(list.apply_to_tokens),
        )
        .filter(accounts::Column::Id.eq(admin.account_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        admin,
        "allowlist_changed",
        None,
        json!({
            "enabled": list.enabled,
            "apply_to_tokens": list.apply_to_tokens,
            "entries": ranges.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "exempt_member_ids": list.exempt_member_ids,
            "confirmed_lockout": request.confirm_lockout && !admitted && !admin_exempt,
        }),
    )
    .await?;
    txn.commit().await?;
    state.policies.forget(admin.account_id);
    // Exemptions live in the session check's cache too.
    allowlist(state, admin, client).await
}

/// Every member with their sign-in security: second factor, lock, sessions.
///
/// # Errors
/// 403 for non-administrators.
pub async fn members(state: &AppState, admin: &Member) -> ApiResult<Vec<MemberSecurity>> {
    admin.require_admin()?;
    let policy = settings(state, admin).await?.two_factor_policy;
    let rows = memberships::Entity::find()
        .find_also_related(identities::Entity)
        .filter(memberships::Column::AccountId.eq(admin.account_id))
        .order_by_asc(memberships::Column::Id)
        .all(&state.db)
        .await?;
    // Three set queries for the whole page rather than three per member.
    let identity_ids: Vec<Id> = rows.iter().map(|(m, _)| m.identity_id).collect();
    let mut accounts_of: HashMap<Id, usize> = HashMap::new();
    for m in memberships::Entity::find()
        .filter(memberships::Column::IdentityId.is_in(identity_ids))
        .all(&state.db)
        .await?
    {
        *accounts_of.entry(m.identity_id).or_default() += 1;
    }
    let mut sessions_of: HashMap<Id, u64> = HashMap::new();
    for s in sessions::Entity::find()
        .filter(sessions::Column::AccountId.eq(admin.account_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::ExpiresAt.gt(Utc::now()))
        .all(&state.db)
        .await?
    {
        *sessions_of.entry(s.membership_id).or_default() += 1;
    }
    let locks = throttle::emails_locked_until(
        &state.db,
        rows.iter()
            .filter_map(|(_, i)| i.as_ref().map(|i| i.email.clone())),
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(membership, identity)| {
            let identity = identity?;
            Some(MemberSecurity {
                id: membership.id,
                locked_until: locks.get(&identity.email).copied(),
                in_other_accounts: accounts_of.get(&identity.id).copied().unwrap_or(0) > 1,
                live_sessions: sessions_of.get(&membership.id).copied().unwrap_or(0),
                name: identity.name,
                email: identity.email,
                is_admin: membership.is_admin,
                is_active: membership.is_active,
                two_factor_enabled: identity.totp_secret.is_some(),
                two_factor_required: policy.requires(membership.is_admin),
                last_login_at: membership.last_login_at,
            })
        })
        .collect())
}

/// Hourly: old authorization log entries, spent brute-force counters and lifted locks go.
pub fn start_housekeeping(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(err) = housekeeping(&db).await {
                tracing::warn!(%err, "security housekeeping failed; it runs again in an hour");
            }
        }
    });
}

async fn housekeeping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let deleted = auth_log::prune(db).await?;
    throttle::prune(db).await?;
    if deleted > 0 {
        tracing::info!(
            deleted,
            "authorization log entries past their retention deleted"
        );
    }
    Ok(())
}
