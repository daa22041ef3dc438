//! The demo account's client cabinet, open on the first start: the outbox carries the codes
//! (readable in the CRM's SMS screen), the default pipeline's stages are shown under their own
//! names, and one client — the contact of the newest lead — has a phone to sign in with.

use chrono::Utc;
use gatehouse_domain::{
    cabinet::{default_templates, ShownField, ShownStage},
    crm::EventKind,
    people::Language,
    Id,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    entities::{cabinet_settings, contacts, lead_contacts, leads, pipelines, stages},
    error::{ApiError, ApiResult},
};

/// The demo client's phone: a number of the range reserved for fiction (555-01xx).
pub const DEMO_CLIENT_PHONE: &str = "+12025550143";

/// Opens the demo account's cabinet and gives the newest lead's contact the demo phone.
///
/// # Errors
/// Database errors.
pub async fn open(db: &impl ConnectionTrait, account_id: Id) -> ApiResult<()> {
    let outbox = crate::sms::service::outbox(db, account_id).await?;
    let default_pipeline = pipelines::Entity::find()
        .filter(pipelines::Column::AccountId.eq(account_id))
        .order_by_asc(pipelines::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal("the demo account has no pipeline"))?;
    let shown: Vec<ShownStage> = stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(default_pipeline.id))
        .order_by_asc(stages::Column::Sort)
        .all(db)
        .await?
        .into_iter()
        .map(|stage| ShownStage {
            stage_id: stage.id,
            name: stage.name,
        })
        .collect();
    let (login, deletion) = default_templates(Language::En);
    let json = |value: serde_json::Value| value.to_string();
    cabinet_settings::Entity::insert(cabinet_settings::ActiveModel {
        account_id: Set(account_id),
        enabled: Set(true),
        sms_provider_id: Set(Some(outbox.id)),
        login_template: Set(login.to_owned()),
        deletion_template: Set(deletion.to_owned()),
        language: Set(Language::En.code().to_owned()),
        header_text: Set("Follow your orders and talk to your manager".to_owned()),
        logo: Set(None),
        logo_updated_at: Set(None),
        chat_enabled: Set(true),
        show_company: Set(true),
        show_client_name: Set(true),
        event_kinds: Set(json(serde_json::json!([
            EventKind::StageChanged.code(),
            EventKind::ResponsibleChanged.code(),
            EventKind::IncomingChatMessage.code(),
            EventKind::OutgoingChatMessage.code(),
        ]))),
        fields: Set(json(serde_json::json!([
            ShownField {
                field: "price".into(),
                alias: "Amount".into()
            },
            ShownField {
                field: "created_at".into(),
                alias: "Ordered on".into()
            },
        ]))),
        stages: Set(json(serde_json::json!(shown))),
        deletion_enabled: Set(true),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await?;
    let newest_lead = leads::Entity::find()
        .filter(leads::Column::AccountId.eq(account_id))
        .filter(leads::Column::PipelineId.eq(default_pipeline.id))
        .order_by_desc(leads::Column::Id)
        .select_only()
        .column(leads::Column::Id)
        .into_tuple::<Id>()
        .one(db)
        .await?;
    let newest_lead_contact = match newest_lead {
        Some(lead_id) => lead_contacts::Entity::find()
            .filter(lead_contacts::Column::LeadId.eq(lead_id))
            .one(db)
            .await?
            .map(|link| link.contact_id),
        None => None,
    };
    if let Some(contact_id) = newest_lead_contact {
        contacts::Entity::update_many()
            .col_expr(
                contacts::Column::Phones,
                sea_orm::sea_query::Expr::value(json(serde_json::json!([DEMO_CLIENT_PHONE]))),
            )
            .filter(contacts::Column::Id.eq(contact_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_phone_is_a_valid_number() {
        assert_eq!(
            crate::sms::phone::e164(DEMO_CLIENT_PHONE, None).as_deref(),
            Some(DEMO_CLIENT_PHONE)
        );
    }
}
