//! What the client sees (K4): the sign-in page's appearance, and their own leads — those linked
//! to the account's contacts with the session's phone — with only what the administrator chose
//! to show: stages under their cabinet names (a hidden stage shows the last shown stage before
//! it), fields under their aliases, the chosen kinds of events, the company, the manager.

use std::collections::{HashMap, HashSet};

use gatehouse_domain::{
    cabinet::{
        CabinetAppearance, CabinetEvent, CabinetFieldValue, CabinetHome, CabinetLead,
        CabinetLeadDetail, FieldKey,
    },
    crm::{CustomField, EventKind},
    people::Language,
    problem::ErrorCode,
    rights::Entity,
    Id,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use super::{
    client::{contacts_with_phone, Client},
    settings::{self, Stored},
};
use crate::{
    crm::{fields, stored_custom},
    entities::{
        accounts, companies, contacts, identities, lead_contacts, lead_events, leads, memberships,
        stages,
    },
    error::{ApiError, ApiResult},
    state::AppState,
};

/// The most events a lead's page shows: the latest ones.
const MAX_EVENTS: u64 = 500;

/// The sign-in page's look, as clients see it before signing in.
#[must_use]
pub fn appearance(account: &accounts::Model, stored: &Stored) -> CabinetAppearance {
    CabinetAppearance {
        account_id: account.id,
        account_name: account.name.clone(),
        language: stored.language,
        header_text: stored.header_text.clone(),
        logo_url: logo_url(account.id, stored),
        chat_enabled: stored.chat_enabled,
        deletion_enabled: stored.deletion_enabled,
    }
}

/// The logo's address, with its version so a new logo is not hidden by a cached one.
#[must_use]
pub fn logo_url(account_id: Id, stored: &Stored) -> Option<String> {
    stored
        .logo_updated_at
        .filter(|_| stored.has_logo)
        .map(|at| super::admin::logo_path(account_id, at))
}

/// `GET /cabinet/{account}`.
///
/// # Errors
/// 404 `cabinet_unavailable` for an unknown account or a closed cabinet.
pub async fn appearance_of(state: &AppState, account_id: Id) -> ApiResult<CabinetAppearance> {
    let (account, stored) = settings::open(&state.db, account_id).await?;
    Ok(appearance(&account, &stored))
}

/// The client's contacts (as of now) and the leads linked to them, newest first.
///
/// # Errors
/// Database errors.
pub async fn own_leads(
    db: &impl ConnectionTrait,
    client: &Client,
) -> ApiResult<(Vec<contacts::Model>, Vec<leads::Model>)> {
    let contacts = contacts_with_phone(
        db,
        client.account_id(),
        &client.phone,
        client.settings.language,
    )
    .await?;
    if contacts.is_empty() {
        return Ok((contacts, Vec::new()));
    }
    let lead_ids: Vec<Id> = lead_contacts::Entity::find()
        .filter(lead_contacts::Column::ContactId.is_in(contacts.iter().map(|c| c.id)))
        .select_only()
        .column(lead_contacts::Column::LeadId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let leads = leads::Entity::find()
        .filter(leads::Column::AccountId.eq(client.account_id()))
        .filter(leads::Column::Id.is_in(lead_ids))
        .order_by_desc(leads::Column::Id)
        .all(db)
        .await?;
    Ok((contacts, leads))
}

/// One of the client's leads; any other is 404, whoever's it is.
///
/// # Errors
/// 404 `not_found`; database errors.
pub async fn own_lead(
    db: &impl ConnectionTrait,
    client: &Client,
    lead_id: Id,
) -> ApiResult<leads::Model> {
    let (_, leads) = own_leads(db, client).await?;
    leads
        .into_iter()
        .find(|l| l.id == lead_id)
        .ok_or(ApiError::Code(ErrorCode::NotFound))
}

/// The names of members by membership id.
async fn member_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Id>,
) -> ApiResult<HashMap<Id, String>> {
    let ids: HashSet<Id> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(memberships::Entity::find()
        .filter(memberships::Column::Id.is_in(ids))
        .find_also_related(identities::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(m, i)| (m.id, i.map(|i| i.name).unwrap_or_default()))
        .collect())
}

/// Where a stage stands for the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ShownPlace {
    name: Option<String>,
    /// 1-based among the pipeline's shown stages; 0 when no shown stage stands for it.
    position: u32,
    shown: u32,
}

/// What turning the account's leads into cabinet leads needs, loaded once per request.
pub struct Presenter<'a> {
    stored: &'a Stored,
    /// Each pipeline's stages in board order.
    pipelines: HashMap<Id, Vec<stages::Model>>,
    companies: HashMap<Id, String>,
    managers: HashMap<Id, String>,
    lead_fields: Vec<CustomField>,
}

impl<'a> Presenter<'a> {
    /// # Errors
    /// Database errors.
    pub async fn load(
        db: &impl ConnectionTrait,
        account_id: Id,
        stored: &'a Stored,
        leads: &[leads::Model],
    ) -> ApiResult<Self> {
        let mut pipelines: HashMap<Id, Vec<stages::Model>> = HashMap::new();
        for stage in stages::Entity::find()
            .filter(stages::Column::AccountId.eq(account_id))
            .order_by_asc(stages::Column::Sort)
            .order_by_asc(stages::Column::Id)
            .all(db)
            .await?
        {
            pipelines.entry(stage.pipeline_id).or_default().push(stage);
        }
        let company_ids: HashSet<Id> = leads.iter().filter_map(|l| l.company_id).collect();
        let companies = if stored.show_company && !company_ids.is_empty() {
            companies::Entity::find()
                .filter(companies::Column::AccountId.eq(account_id))
                .filter(companies::Column::Id.is_in(company_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect()
        } else {
            HashMap::new()
        };
        let managers = member_names(db, leads.iter().map(|l| l.responsible_id)).await?;
        let lead_fields = if stored
            .fields
            .iter()
            .any(|(key, _)| matches!(key, FieldKey::Custom(_)))
        {
            fields::list(db, account_id, Some(Entity::Leads)).await?
        } else {
            Vec::new()
        };
        Ok(Self {
            stored,
            pipelines,
            companies,
            managers,
            lead_fields,
        })
    }

    /// The stage's cabinet name, or the last shown stage's before it in its pipeline.
    fn place(&self, stage_id: Id) -> ShownPlace {
        let Some(stages) = self
            .pipelines
            .values()
            .find(|stages| stages.iter().any(|s| s.id == stage_id))
        else {
            return ShownPlace::default();
        };
        let mut place = ShownPlace::default();
        let mut reached = false;
        for stage in stages {
            let name = self.stored.stage_name(stage.id);
            if name.is_some() {
                place.shown += 1;
            }
            if !reached {
                if let Some(name) = name {
                    place.name = Some(name.to_owned());
                    place.position = place.shown;
                }
            }
            reached |= stage.id == stage_id;
        }
        place
    }

    /// A lead as the cabinet shows it.
    ///
    /// # Errors
    /// An internal error for custom values that are not stored JSON.
    pub fn lead(&self, lead: &leads::Model) -> ApiResult<CabinetLead> {
        let place = self.place(lead.stage_id);
        let custom = stored_custom(&lead.custom)?;
        let fields = self
            .stored
            .fields
            .iter()
            .filter_map(|(key, alias)| {
                let value = match key {
                    FieldKey::Name => Some(lead.name.clone()),
                    FieldKey::Price => Some(lead.price.to_string()),
                    FieldKey::CreatedAt => {
                        Some(lead.created_at.date_naive().format("%Y-%m-%d").to_string())
                    }
                    FieldKey::Custom(id) => {
                        self.lead_fields.iter().find(|f| f.id == *id).and_then(|_| {
                            custom
                                .get(id)
                                .and_then(|v| value_text(v, self.stored.language))
                        })
                    }
                }?;
                Some(CabinetFieldValue {
                    alias: alias.clone(),
                    value,
                })
            })
            .collect();
        Ok(CabinetLead {
            id: lead.id,
            stage: place.name,
            stage_position: place.position,
            stages_shown: place.shown,
            fields,
            company: lead
                .company_id
                .and_then(|id| self.companies.get(&id).cloned()),
            manager: self
                .managers
                .get(&lead.responsible_id)
                .cloned()
                .unwrap_or_default(),
            updated_at: lead.updated_at,
        })
    }

    /// The lead's events of the kinds the cabinet shows, oldest first (the latest
    /// [`MAX_EVENTS`]). Stage changes the client cannot tell apart (between hidden stages
    /// that show as the same one) are left out.
    ///
    /// # Errors
    /// Database errors.
    pub async fn events(
        &self,
        db: &impl ConnectionTrait,
        lead_id: Id,
    ) -> ApiResult<Vec<CabinetEvent>> {
        if self.stored.event_kinds.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = lead_events::Entity::find()
            .filter(lead_events::Column::LeadId.eq(lead_id))
            .filter(
                lead_events::Column::Kind.is_in(self.stored.event_kinds.iter().map(|k| k.code())),
            )
            .order_by_desc(lead_events::Column::Id)
            .limit(MAX_EVENTS)
            .all(db)
            .await?;
        rows.reverse();
        let payloads: Vec<(lead_events::Model, EventKind, Value)> = rows
            .into_iter()
            .filter_map(|e| {
                let kind = EventKind::from_code(&e.kind)?;
                let payload = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
                Some((e, kind, payload))
            })
            .collect();
        let new_managers = member_names(
            db,
            payloads
                .iter()
                .filter(|(_, kind, _)| *kind == EventKind::ResponsibleChanged)
                .filter_map(|(_, _, p)| p.get("to").and_then(Value::as_i64)),
        )
        .await?;
        Ok(payloads
            .into_iter()
            .filter_map(|(event, kind, payload)| {
                let text = match kind {
                    EventKind::StageChanged => {
                        let side = |key: &str| {
                            payload
                                .get(key)
                                .and_then(Value::as_i64)
                                .and_then(|id| self.place(id).name)
                        };
                        let (from, to) = (side("from"), side("to"));
                        if from == to {
                            return None;
                        }
                        Some(format!(
                            "{} → {}",
                            from.as_deref().unwrap_or("—"),
                            to.as_deref().unwrap_or("—")
                        ))
                    }
                    EventKind::ResponsibleChanged => payload
                        .get("to")
                        .and_then(Value::as_i64)
                        .and_then(|id| new_managers.get(&id).cloned()),
                    _ => payload
                        .get("text")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                };
                Some(CabinetEvent {
                    id: event.id,
                    kind,
                    text,
                    created_at: event.created_at,
                })
            })
            .collect())
    }
}

/// A custom value as text to read (values were checked by their field's kind when written,
/// so the JSON type says enough); `None` for an empty one.
fn value_text(value: &Value, language: Language) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::Bool(yes) => yes_no(*yes, language).to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| value_text(v, language))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => value.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

const fn yes_no(yes: bool, language: Language) -> &'static str {
    match (language, yes) {
        (Language::Ru, true) => "Да",
        (Language::Ru, false) => "Нет",
        (Language::Es, true) => "Sí",
        (Language::Pt, true) => "Sim",
        (Language::Pt, false) => "Não",
        (Language::En, true) => "Yes",
        (Language::En | Language::Es, false) => "No",
    }
}

/// `GET /cabinet/me`: who is signed in and their leads, newest first.
///
/// # Errors
/// Database errors.
pub async fn home(state: &AppState, client: &Client) -> ApiResult<CabinetHome> {
    let (contacts, leads) = own_leads(&state.db, client).await?;
    let presenter =
        Presenter::load(&state.db, client.account_id(), &client.settings, &leads).await?;
    Ok(CabinetHome {
        appearance: appearance(&client.account, &client.settings),
        name: client
            .settings
            .show_client_name
            .then(|| contacts.first().map(|c| c.name.clone()))
            .flatten(),
        phone: client.phone.clone(),
        leads: leads
            .iter()
            .map(|l| presenter.lead(l))
            .collect::<ApiResult<_>>()?,
    })
}

/// `GET /cabinet/leads/{id}`: one of the client's leads with its shown events.
///
/// # Errors
/// 404 `not_found` for a lead that is not the client's.
pub async fn lead(state: &AppState, client: &Client, lead_id: Id) -> ApiResult<CabinetLeadDetail> {
    let lead = own_lead(&state.db, client, lead_id).await?;
    let presenter = Presenter::load(
        &state.db,
        client.account_id(),
        &client.settings,
        std::slice::from_ref(&lead),
    )
    .await?;
    Ok(CabinetLeadDetail {
        lead: presenter.lead(&lead)?,
        events: presenter.events(&state.db, lead.id).await?,
    })
}
