//! Leads, contacts, companies and tasks as the API reads and writes them (C2). Creating takes a
//! whole record (the responsible member defaults to the author); `PATCH` bodies change only what
//! they name.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{bounded_text, parse_name, CustomValues};
use crate::{
    patch,
    people::{Email, Phone},
    problem::FieldError,
    rights::Entity,
    Id,
};

/// A lead as lists and the board show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadSummary {
    pub id: Id,
    pub name: String,
    /// In the account's currency, whole units.
    pub price: i64,
    pub pipeline_id: Id,
    pub stage_id: Id,
    pub responsible_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<Id>,
    pub updated_at: DateTime<Utc>,
}

/// A lead's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    #[serde(flatten)]
    pub summary: LeadSummary,
    pub contact_ids: Vec<Id>,
    /// Free users who take part in the lead (U8).
    pub participant_ids: Vec<Id>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: CustomValues,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<Id>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/leads`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    pub name: String,
    #[serde(default)]
    pub price: i64,
    /// The first stage of the default pipeline when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_id: Option<Id>,
    /// The author when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<Id>,
    #[serde(default)]
    pub contact_ids: Vec<Id>,
    #[serde(default)]
    pub participant_ids: Vec<Id>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: CustomValues,
}

/// `PATCH /api/v1/leads/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<i64>,
    /// Any stage of any pipeline: moving a lead between pipelines is a stage change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    /// A company id, or `null` to detach it.
    #[serde(
        default,
        deserialize_with = "patch::field",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Id>))]
    pub company_id: Option<Option<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_ids: Option<Vec<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_ids: Option<Vec<Id>>,
    /// Values to set; a `null` value clears that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub custom: Option<CustomValues>,
}

/// The highest price a lead can carry (fits every client's number type).
pub const MAX_PRICE: i64 = 1_000_000_000_000_000;

fn check_price(price: i64, errors: &mut Vec<FieldError>) {
    if !(0..=MAX_PRICE).contains(&price) {
        errors.push(FieldError::new(
            "price",
            "price_invalid",
            "the price is a whole number from 0 to 10^15",
        ));
    }
}

fn check_links(field: &str, ids: &[Id], max: usize, errors: &mut Vec<FieldError>) {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != ids.len() || ids.len() > max {
        errors.push(FieldError::new(
            field,
            &format!("{field}_invalid"),
            format!("at most {max} distinct ids"),
        ));
    }
}

fn done<T>(value: T, errors: Vec<FieldError>) -> Result<T, Vec<FieldError>> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

fn name_into(raw: &mut String, errors: &mut Vec<FieldError>) {
    match parse_name("name", raw) {
        Ok(name) => *raw = name,
        Err(e) => errors.push(e),
    }
}

impl NewLead {
    /// # Errors
    /// Every invalid field (values of custom fields are checked against the account's fields
    /// by the server).
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        name_into(&mut self.name, &mut errors);
        check_price(self.price, &mut errors);
        check_links("contact_ids", &self.contact_ids, 100, &mut errors);
        check_links("participant_ids", &self.participant_ids, 100, &mut errors);
        done(self, errors)
    }
}

impl LeadPatch {
    /// # Errors
    /// As [`NewLead::validate`].
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(name) = self.name.as_mut() {
            name_into(name, &mut errors);
        }
        if let Some(price) = self.price {
            check_price(price, &mut errors);
        }
        if let Some(ids) = &self.contact_ids {
            check_links("contact_ids", ids, 100, &mut errors);
        }
        if let Some(ids) = &self.participant_ids {
            check_links("participant_ids", ids, 100, &mut errors);
        }
        done(self, errors)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: Id,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<Id>,
    pub responsible_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: CustomValues,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/contacts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    pub name: String,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: CustomValues,
}

/// `PATCH /api/v1/contacts/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "patch::field",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Id>))]
    pub company_id: Option<Option<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub custom: Option<CustomValues>,
}

/// Phones parsed and kept in their normal form; at most 10, each once.
fn phones_into(raw: &mut Vec<String>, errors: &mut Vec<FieldError>) {
    let parsed: Result<Vec<String>, _> = raw
        .iter()
        .map(|p| Phone::parse(p).map(|p| p.as_str().to_owned()))
        .collect();
    match parsed {
        Ok(mut phones) if phones.len() <= 10 => {
            phones.dedup();
            *raw = phones;
        }
        Ok(_) => errors.push(FieldError::new(
            "phones",
            "phones_too_many",
            "at most 10 phones",
        )),
        Err(e) => errors.push(FieldError::new("phones", e.code(), e.to_string())),
    }
}

fn emails_into(raw: &mut Vec<String>, errors: &mut Vec<FieldError>) {
    let parsed: Result<Vec<String>, _> = raw
        .iter()
        .map(|e| Email::parse(e).map(|e| e.as_str().to_owned()))
        .collect();
    match parsed {
        Ok(mut emails) if emails.len() <= 10 => {
            emails.dedup();
            *raw = emails;
        }
        Ok(_) => errors.push(FieldError::new(
            "emails",
            "emails_too_many",
            "at most 10 e-mails",
        )),
        Err(e) => errors.push(FieldError::new("emails", e.code(), e.to_string())),
    }
}

impl NewContact {
    /// # Errors
    /// Every invalid field.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        name_into(&mut self.name, &mut errors);
        phones_into(&mut self.phones, &mut errors);
        emails_into(&mut self.emails, &mut errors);
        done(self, errors)
    }
}

impl ContactPatch {
    /// # Errors
    /// Every invalid field.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(name) = self.name.as_mut() {
            name_into(name, &mut errors);
        }
        if let Some(phones) = self.phones.as_mut() {
            phones_into(phones, &mut errors);
        }
        if let Some(emails) = self.emails.as_mut() {
            emails_into(emails, &mut errors);
        }
        done(self, errors)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Company {
    pub id: Id,
    pub name: String,
    pub responsible_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: CustomValues,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/companies`; as a `PATCH` body every field is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCompany {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: CustomValues,
}

/// `PATCH /api/v1/companies/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompanyPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub custom: Option<CustomValues>,
}

impl NewCompany {
    /// # Errors
    /// A bad name.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        name_into(&mut self.name, &mut errors);
        done(self, errors)
    }
}

impl CompanyPatch {
    /// # Errors
    /// A bad name.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(name) = self.name.as_mut() {
            name_into(name, &mut errors);
        }
        done(self, errors)
    }
}

/// What a task is about: a lead, contact or company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskLink {
    pub entity: Entity,
    pub id: Id,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Id,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<TaskLink>,
    pub responsible_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/tasks`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<TaskLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
}

/// `PATCH /api/v1/tasks/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A time, or `null` for no due time.
    #[serde(
        default,
        deserialize_with = "patch::field",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub due_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

/// The longest task text.
pub const MAX_TASK_TEXT: usize = 2000;

impl NewTask {
    /// # Errors
    /// A bad text, or a link to a task.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        match bounded_text("text", &self.text, MAX_TASK_TEXT) {
            Ok(text) => self.text = text,
            Err(e) => errors.push(e),
        }
        if self.link.is_some_and(|l| l.entity == Entity::Tasks) {
            errors.push(FieldError::new(
                "link",
                "link_invalid",
                "a task is about a lead, a contact or a company",
            ));
        }
        done(self, errors)
    }
}

impl TaskPatch {
    /// # Errors
    /// A bad text.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(text) = self.text.as_mut() {
            match bounded_text("text", text, MAX_TASK_TEXT) {
                Ok(clean) => *text = clean,
                Err(e) => errors.push(e),
            }
        }
        done(self, errors)
    }
}

/// `GET /api/v1/leads`: filters and the slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeadQuery {
    pub pipeline_id: Option<Id>,
    pub stage_id: Option<Id>,
    pub responsible_id: Option<Id>,
    /// Part of the name.
    pub query: Option<String>,
    /// The last id of the previous slice.
    pub after: Option<Id>,
    /// 50 by default, at most 250.
    pub limit: Option<u64>,
}

/// `GET /api/v1/leads/totals`: the filters of [`LeadQuery`] without the slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeadTotalsQuery {
    pub pipeline_id: Option<Id>,
    pub responsible_id: Option<Id>,
    /// Part of the name.
    pub query: Option<String>,
}

/// The leads of one stage the caller may view, counted (the board's column header). Stages
/// without such leads are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageTotal {
    pub stage_id: Id,
    pub leads: u64,
    /// Their prices summed; exact up to 2^53, and at most `i64::MAX`.
    pub price: i64,
}

/// `GET /api/v1/contacts`, `/companies`: filters and the slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    pub responsible_id: Option<Id>,
    /// Part of the name.
    pub query: Option<String>,
    /// Contacts only: those of this company.
    pub company_id: Option<Id>,
    pub after: Option<Id>,
    pub limit: Option<u64>,
}

/// `GET /api/v1/tasks`: filters and the slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    pub responsible_id: Option<Id>,
    /// Open tasks only (`false`), completed only (`true`), or both when absent.
    pub completed: Option<bool>,
    /// With `entity_id`: the tasks about one record.
    pub entity: Option<Entity>,
    pub entity_id: Option<Id>,
    pub after: Option<Id>,
    pub limit: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leads_are_validated() {
        let lead = NewLead {
            name: " Поставка ".into(),
            price: 5,
            ..NewLead::default()
        };
        assert_eq!(lead.validate().unwrap().name, "Поставка");
        let bad = NewLead {
            name: String::new(),
            price: -1,
            contact_ids: vec![1, 1],
            ..NewLead::default()
        };
        let codes: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            codes,
            ["name_empty", "price_invalid", "contact_ids_invalid"]
        );
        let patch = LeadPatch {
            price: Some(MAX_PRICE + 1),
            ..LeadPatch::default()
        };
        assert!(patch.validate().is_err());
    }

    #[test]
    fn contacts_keep_phones_and_emails_normalised() {
        let contact = NewContact {
            name: "Анна".into(),
            phones: vec!["+7 (912) 345-67-89".into()],
            emails: vec![" Anna@Example.COM ".into()],
            ..NewContact::default()
        }
        .validate()
        .unwrap();
        assert_eq!(contact.phones, ["+79123456789"]);
        assert_eq!(contact.emails, ["anna@example.com"]);
        let bad = NewContact {
            name: "Анна".into(),
            phones: vec!["call me".into()],
            emails: vec!["nope".into()],
            ..NewContact::default()
        };
        let codes: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["phone_invalid", "email_invalid"]);
    }

    #[test]
    fn tasks_are_about_records() {
        let task = NewTask {
            text: "  Позвонить ".into(),
            due_at: None,
            link: Some(TaskLink {
                entity: Entity::Tasks,
                id: 1,
            }),
            responsible_id: None,
        };
        let errors = task.validate().unwrap_err();
        assert_eq!(errors[0].code, "link_invalid");
        let empty = TaskPatch {
            text: Some(" ".into()),
            ..TaskPatch::default()
        };
        assert_eq!(empty.validate().unwrap_err()[0].code, "text_empty");
    }
}
