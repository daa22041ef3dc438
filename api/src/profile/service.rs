use chrono::Utc;
use gatehouse_domain::security::PasswordPolicy;
use gatehouse_domain::{
    accounts::AccountSummary,
    people::{Language, PersonName},
    problem::ErrorCode,
    profile::{GroupSummary, IdentityView, Me, MembershipView, UpdateMe},
    roles::RoleSummary,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, Set};

use crate::{
    accounts::seats,
    auth::{service::Memberships, Member},
    entities::{groups, identities, roles},
    error::{ApiError, ApiResult},
    rights,
    state::AppState,
};

/// # Errors
/// 401 `session_ended` if the rows vanished since the session check; database errors.
pub async fn me(state: &AppState, member: &Member) -> ApiResult<Me> {
    let db = &state.db;
    let gone = || ApiError::Code(ErrorCode::SessionEnded);
    // Every screen asks this first, so it reads little: the identity with all its memberships
    // and accounts at once (the member's own and the account list), then only what is set.
    let (identity, memberships) =
        Memberships::with_identity(db, identities::Column::Id.eq(member.identity_id))
            .await?
            .ok_or_else(gone)?;
    let (membership, account) = memberships
        .find(member.membership_id)
        .cloned()
        .ok_or_else(gone)?;
    let group = match membership.group_id {
        Some(id) => groups::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let role = match membership.role_id {
        Some(id) => roles::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let access = rights::access_with_role(&membership, role.as_ref())?;
    let seats = if member.is_admin && !member.is_free {
        let used = seats::taking_seats(member.account_id).count(db).await?;
        Some(seats::of(
            account.seats_general,
            account.seats_technical,
            used,
        ))
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
        accounts: memberships.active_accounts(),
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
