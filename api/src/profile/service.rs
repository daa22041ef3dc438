use chrono::Utc;
use gatehouse_domain::security::PasswordPolicy;
use gatehouse_domain::{
    accounts::AccountSummary,
    people::{Language, PersonName},
    problem::ErrorCode,
    profile::{GroupSummary, IdentityView, Me, MembershipView, UpdateMe},
    roles::RoleSummary,
};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::{
    accounts::seats,
    auth::{service::active_accounts, Member},
    entities::{accounts, groups, identities, memberships, roles},
    error::{ApiError, ApiResult},
    rights,
    state::AppState,
};

/// # Errors
/// 401 `session_ended` if the rows vanished since the session check; database errors.
pub async fn me(state: &AppState, member: &Member) -> ApiResult<Me> {
    let db = &state.db;
    let gone = || ApiError::Code(ErrorCode::SessionEnded);
    let identity = identities::Entity::find_by_id(member.identity_id)
        .one(db)
        .await?
        .ok_or_else(gone)?;
    let membership = memberships::Entity::find_by_id(member.membership_id)
        .one(db)
        .await?
        .ok_or_else(gone)?;
    let account = accounts::Entity::find_by_id(member.account_id)
        .one(db)
        .await?
        .ok_or_else(gone)?;
    let group = match membership.group_id {
        Some(id) => groups::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let role = match membership.role_id {
        Some(id) => roles::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let access = rights::access(db, &membership).await?;
    let seats = if member.is_admin && !member.is_free {
        Some(seats::count(db, member.account_id).await?)
    } else {
        None
    };
    Ok(Me {
        identity: IdentityView {
            id: identity.id,
            email: identity.email,
            name: identity.name,
            language: Language::from_code(&identity.language).unwrap_or_default(),
            phone: identity.phone,
        },
        membership: MembershipView {
            id: membership.id,
            account: AccountSummary {
                id: account.id,
                name: account.name,
            },
            is_admin: membership.is_admin,
            is_free: membership.is_free,
            group: group.map(|g| GroupSummary {
                id: g.id,
                name: g.name,
                is_default: g.is_default,
            }),
            role: role.map(|r| RoleSummary {
                id: r.id,
                name: r.name,
            }),
            created_at: membership.created_at,
        },
        accounts: active_accounts(db, member.identity_id).await?,
        pending_step: member.pending_step,
        password_policy: state
            .policies
            .get(db, member.account_id)
            .await?
            .map_or_else(PasswordPolicy::default, |p| p.settings.password_policy),
        access,
        seats,
    })
}

/// # Errors
/// 422 with the name's field error; database errors.
pub async fn update_me(state: &AppState, member: &Member, change: UpdateMe) -> ApiResult<Me> {
    let db = &state.db;
    let name = change
        .name
        .as_deref()
        .map(PersonName::parse)
        .transpose()
        .map_err(|e| ApiError::field("name", e))?;
    let identity = identities::Entity::find_by_id(member.identity_id)
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
    let mut row: identities::ActiveModel = identity.into();
    if let Some(name) = name {
        row.name = Set(name.as_str().to_owned());
        row.name_folded = Set(crate::db::fold(name.as_str()));
    }
    if let Some(language) = change.language {
        row.language = Set(language.code().to_owned());
    }
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    me(state, member).await
}
