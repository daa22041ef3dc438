//! Rights as the server applies them (R1–R8): a member's access from their membership and role,
//! rights stored as JSON, and the SQL form of the domain's list filters.

pub mod sql;

use gatehouse_domain::{
    rights::{Access, Rights, Section, Standing},
    Id,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    entities::{memberships, roles, stages},
    error::{ApiError, ApiResult},
};

/// A member's own rights as stored; NULL is the default (everything).
///
/// # Errors
/// An internal error for a stored value that is not rights (never written by this server).
pub fn stored_rights(json: Option<&str>) -> ApiResult<Rights> {
    json.map_or_else(
        || Ok(Rights::default()),
        |json| serde_json::from_str(json).map_err(ApiError::internal),
    )
}

/// # Errors
/// As [`stored_rights`].
pub fn stored_sections(json: &str) -> ApiResult<Vec<Section>> {
    serde_json::from_str(json).map_err(ApiError::internal)
}

/// The JSON a rights value or a section list is stored as.
///
/// # Errors
/// Never in practice: these types always serialise.
pub fn to_json(value: &impl serde::Serialize) -> ApiResult<String> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// The member's effective access: standing, group and hidden sections (R4, R6, U8).
///
/// # Errors
/// Database errors.
pub async fn access(
    db: &impl ConnectionTrait,
    membership: &memberships::Model,
) -> ApiResult<Access> {
    let role = match membership.role_id {
        Some(id) => roles::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    access_with_role(membership, role.as_ref())
}

/// [`access`] from the membership and its role as already read (by a join, say).
///
/// # Errors
/// As [`stored_rights`].
pub fn access_with_role(
    membership: &memberships::Model,
    role: Option<&roles::Model>,
) -> ApiResult<Access> {
    // Only the member's own role of their own account counts.
    let role =
        role.filter(|r| membership.role_id == Some(r.id) && r.account_id == membership.account_id);
    let role_rights = role.map(|r| stored_rights(Some(&r.rights))).transpose()?;
    let role_sections = role
        .map(|r| stored_sections(&r.hidden_sections))
        .transpose()?
        .unwrap_or_default();
    let standing = Standing::of(
        membership.is_free,
        membership.is_admin,
        stored_rights(membership.rights.as_deref())?,
        role_rights,
    );
    let hidden_sections = Section::hidden(
        &standing,
        &stored_sections(&membership.hidden_sections)?,
        &role_sections,
    );
    Ok(Access {
        standing,
        group_id: membership.group_id,
        hidden_sections,
    })
}

/// Rights may name only stages of the account's own pipelines.
///
/// # Errors
/// 422 `unknown_stage` on `field`.
pub async fn check_stages(
    db: &impl ConnectionTrait,
    account_id: Id,
    rights: &Rights,
    field: &str,
) -> ApiResult<()> {
    if rights.stages.is_empty() {
        return Ok(());
    }
    let ids: Vec<Id> = rights.stages.keys().copied().collect();
    let known = stages::Entity::find()
        .filter(stages::Column::AccountId.eq(account_id))
        .filter(stages::Column::Id.is_in(ids.clone()))
        .count(db)
        .await?;
    if known == ids.len() as u64 {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            "unknown_stage",
            "the rights name a stage that is not in this account's pipelines",
        ))
    }
}
