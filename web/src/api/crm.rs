use gatehouse_domain::{
    crm::{Colleague, CustomField, EventInput, Lead, LeadPatch, Slice, StageTotal},
    rights::Entity,
    Id,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{json, present, read, read_text, with_query, Api, ApiError, Method};

const MEMBERS: &str = "/api/v1/members";
const LEADS: &str = "/api/v1/leads";
const FIELDS: &str = "/api/v1/custom-fields";

/// What lists of records are narrowed by; each list reads the filters it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    /// Part of the name (contacts, companies, leads).
    pub query: Option<String>,
    pub responsible_id: Option<Id>,
    /// Tasks: completed ones only, open ones only, or both.
    pub completed: Option<bool>,
    /// Tasks about one record.
    pub about: Option<(Entity, Id)>,
    /// Leads of one pipeline or stage.
    pub pipeline_id: Option<Id>,
    pub stage_id: Option<Id>,
    /// Records per slice; the API's default when absent.
    pub limit: Option<u64>,
}

impl RecordFilter {
    fn params(&self, after: Option<Id>) -> Vec<(&'static str, String)> {
        present(vec![
            ("query", self.query.clone()),
            (
                "responsible_id",
                self.responsible_id.map(|id| id.to_string()),
            ),
            ("completed", self.completed.map(|on| on.to_string())),
            (
                "entity",
                self.about.map(|(entity, _)| entity.code().to_owned()),
            ),
            ("entity_id", self.about.map(|(_, id)| id.to_string())),
            ("pipeline_id", self.pipeline_id.map(|id| id.to_string())),
            ("stage_id", self.stage_id.map(|id| id.to_string())),
            ("after", after.map(|id| id.to_string())),
            ("limit", self.limit.map(|n| n.to_string())),
        ])
    }
}

/// The API path of an entity's records: `/api/v1/contacts`.
fn records(entity: Entity) -> String {
    format!("/api/v1/{}", entity.code())
}

impl Api {
    /// The account's members, active or not, by name (every member).
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn members(self) -> Result<Vec<Colleague>, ApiError> {
        self.get(MEMBERS).await
    }

    /// One slice of the records of `entity` the member may view, newest first, after the
    /// record `after`.
    ///
    /// # Errors
    /// `invalid_query`, or any error of an authorized call.
    pub async fn record_slice<T: DeserializeOwned>(
        self,
        entity: Entity,
        filter: &RecordFilter,
        after: Option<Id>,
    ) -> Result<Slice<T>, ApiError> {
        self.get(&with_query(&records(entity), &filter.params(after)))
            .await
    }

    /// One record of `entity`.
    ///
    /// # Errors
    /// `not_found` (also for a record the member may not view), or any error of an authorized
    /// call.
    pub async fn record<T: DeserializeOwned>(self, entity: Entity, id: Id) -> Result<T, ApiError> {
        self.get(&format!("{}/{id}", records(entity))).await
    }

    /// Adds a record (`id` absent) or changes one, from its fields as JSON (the record lists
    /// write every kind through this one call); the answer is not needed, lists read again.
    ///
    /// # Errors
    /// `forbidden`, `not_found`, `validation_failed` with field errors, `invalid_body`, or any
    /// error of an authorized call.
    pub async fn save_record(
        self,
        entity: Entity,
        id: Option<Id>,
        body: &Value,
    ) -> Result<(), ApiError> {
        let (method, path) = match id {
            Some(id) => (Method::PATCH, format!("{}/{id}", records(entity))),
            None => (Method::POST, records(entity)),
        };
        self.authorized(method, &path, Some(json(body)?)).await?;
        Ok(())
    }

    /// The records of `entity` the member may export, as CSV.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn export_records(
        self,
        entity: Entity,
        filter: &RecordFilter,
    ) -> Result<String, ApiError> {
        let path = format!("{}/export", records(entity));
        let response = self
            .authorized(Method::GET, &with_query(&path, &filter.params(None)), None)
            .await?;
        read_text(response).await
    }

    /// Per stage of a pipeline, the leads the member may view: how many, and their prices.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn lead_totals(self, pipeline_id: Id) -> Result<Vec<StageTotal>, ApiError> {
        let params = [("pipeline_id", pipeline_id.to_string())];
        self.get(&with_query(&format!("{LEADS}/totals"), &params))
            .await
    }

    /// A lead's card.
    ///
    /// # Errors
    /// `not_found`, or any error of an authorized call.
    pub async fn lead(self, id: Id) -> Result<Lead, ApiError> {
        self.get(&format!("{LEADS}/{id}")).await
    }

    /// Changes a lead; the changed card comes back.
    ///
    /// # Errors
    /// `forbidden` (also for a stage the member may not put leads in), `validation_failed`, or
    /// any error of an authorized call.
    pub async fn update_lead(self, id: Id, patch: &LeadPatch) -> Result<Lead, ApiError> {
        read(
            self.authorized(Method::PATCH, &format!("{LEADS}/{id}"), Some(json(patch)?))
                .await?,
        )
        .await
    }

    /// A slice of the lead's timeline, newest first, as JSON objects read like the records of
    /// the lists (`LeadEvent` names their fields).
    ///
    /// # Errors
    /// `not_found`, or any error of an authorized call.
    pub async fn lead_events(self, id: Id, after: Option<Id>) -> Result<Slice<Value>, ApiError> {
        let params = present(vec![("after", after.map(|id| id.to_string()))]);
        self.get(&with_query(&format!("{LEADS}/{id}/events"), &params))
            .await
    }

    /// Records a call, message or e-mail on the lead's timeline.
    ///
    /// # Errors
    /// `forbidden`, `validation_failed`, or any error of an authorized call.
    pub async fn post_event(self, id: Id, event: &EventInput) -> Result<(), ApiError> {
        self.authorized(
            Method::POST,
            &format!("{LEADS}/{id}/events"),
            Some(json(event)?),
        )
        .await?;
        Ok(())
    }

    /// The custom fields of `entity`, in their order.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn custom_fields(self, entity: Entity) -> Result<Vec<CustomField>, ApiError> {
        self.get(&with_query(FIELDS, &[("entity", entity.code().to_owned())]))
            .await
    }
}
