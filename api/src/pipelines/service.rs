use gatehouse_domain::{
    pipelines::{Pipeline, Stage},
    problem::ErrorCode,
    rights::{Action, Level, Standing},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    auth::Member,
    entities::{memberships, pipelines, stages},
    error::{ApiError, ApiResult},
    rights,
    state::AppState,
};

/// The account's pipelines in board order, with their stages.
///
/// # Errors
/// Database errors.
pub async fn list(state: &AppState, member: &Member) -> ApiResult<Vec<Pipeline>> {
    let db = &state.db;
    let membership = memberships::Entity::find_by_id(member.membership_id)
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
    let access = rights::access(db, &membership).await?;
    let stages = stages::Entity::find()
        .filter(stages::Column::AccountId.eq(member.account_id))
        .order_by_asc(stages::Column::Sort)
        .order_by_asc(stages::Column::Id)
        .all(db)
        .await?;
    let visible = |stage: &stages::Model| match &access.standing {
        Standing::Admin => true,
        // Free users see the leads they take part in, wherever those are.
        Standing::Free => true,
        Standing::Member { rights } => rights.stage_level(stage.id, Action::View) != Level::D,
    };
    Ok(pipelines::Entity::find()
        .filter(pipelines::Column::AccountId.eq(member.account_id))
        .order_by_asc(pipelines::Column::Sort)
        .order_by_asc(pipelines::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| {
            let own: Vec<&stages::Model> =
                stages.iter().filter(|s| s.pipeline_id == p.id).collect();
            let shown = member.is_admin || own.is_empty() || own.iter().any(|s| visible(s));
            shown.then(|| Pipeline {
                id: p.id,
                name: p.name,
                is_default: p.is_default,
                stages: own
                    .into_iter()
                    .map(|s| Stage {
                        id: s.id,
                        name: s.name.clone(),
                        kind: s.kind.clone(),
                    })
                    .collect(),
            })
        })
        .collect())
}
