//! Deactivation with reassignment (D0–D5): an administrator deactivates members and names who
//! receives their leads, contacts, companies and open tasks; the members are out at once, and a
//! durable job moves the records in short batches, resumed after a crash or restart, each moved
//! lead getting a "responsible changed" event. Reactivation is the users' bulk act (D4).

pub mod job;
pub mod records;
pub mod routes;
pub mod service;

use std::collections::HashMap;

use gatehouse_domain::Id;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    entities::{identities, memberships},
    error::{ApiError, ApiResult},
};

/// Members' names by membership id as they are now: what the audit log and the leads'
/// timelines keep as text, so history outlives the membership (D4).
async fn names(db: &impl ConnectionTrait, ids: &[Id]) -> ApiResult<HashMap<Id, String>> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::Id.is_in(ids.to_vec()))
        .find_also_related(identities::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(m, i)| i.map(|i| (m.id, i.name)))
        .collect())
}

/// The JSON a job row keeps.
fn to_json(value: &impl serde::Serialize) -> ApiResult<String> {
    serde_json::to_string(value).map_err(ApiError::internal)
}
