//! The directory of the account's members (`GET /api/v1/members`): names, groups and standing
//! for every member of the account, so that cards name who is responsible, the web app can
//! evaluate G-level rights itself (R7) and pickers offer whom a record may go to.

use gatehouse_domain::crm::Colleague;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    auth::Member,
    entities::{identities, memberships},
    error::ApiResult,
    state::AppState,
};

/// Every member of the caller's account, active or not, by name.
///
/// # Errors
/// Database errors.
pub async fn list(state: &AppState, member: &Member) -> ApiResult<Vec<Colleague>> {
    let rows = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(member.account_id))
        .find_also_related(identities::Entity)
        .order_by_asc(identities::Column::NameFolded)
        .order_by_asc(memberships::Column::Id)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(membership, identity)| Colleague {
            id: membership.id,
            name: identity.map(|i| i.name).unwrap_or_default(),
            group_id: membership.group_id,
            is_active: membership.is_active,
            is_free: membership.is_free,
        })
        .collect())
}
