//! The client's personal data (K6): the download of everything the cabinet may show them, and
//! its erasure, confirmed by an SMS code.
//!
//! Erasure runs in one transaction: the contacts holding the session's phone lose their name,
//! phones, e-mails and custom values; the copies Gatehouse made of them are redacted too (the
//! SMS log to those phones, the codes and sessions of the phone, the leads' timelines, lead
//! names and tasks that spell them out); each of their leads gets a `personal_data_erased`
//! note in the cabinet's language and the account's; the audit log records the act with ids
//! and counts only. The session ends with it.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use gatehouse_domain::{
    cabinet::{erasure_note, CodeSent, ErasureConfirm, PersonalContact, PersonalData},
    crm::EventKind,
    people::Language,
    problem::ErrorCode,
    rights::Entity,
    sms::SmsPurpose,
    Id,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::{json, Value};

use super::{
    client::{contacts_with_phone, Client},
    sign_in,
    view::{own_leads, Presenter},
};
use crate::{
    crm::{chat, fields, from_json, stored_custom},
    db::fold,
    entities::{
        cabinet_codes, cabinet_sessions, companies, contacts, lead_contacts, lead_events, leads,
        sms_messages, tasks,
    },
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    sms::phone::{e164, home_country},
    state::AppState,
};

/// What stands where an erased value was, in texts Gatehouse keeps.
pub const ERASED: &str = "[erased]";
/// The SMS log's recipient once the phone is erased.
pub const ERASED_PHONE: &str = "erased";
/// Values shorter than this are not searched for in texts: they would match everywhere.
const SHORTEST_SECRET: usize = 3;

/// The name an erased contact keeps, in the account's language, so CRM lists still read.
#[must_use]
pub const fn erased_name(language: Language) -> &'static str {
    match language {
        Language::Ru => "Удалённый контакт",
        Language::En => "Erased contact",
        Language::Es => "Contacto borrado",
        Language::Pt => "Contato apagado",
    }
}

fn ensure_deletion(client: &Client) -> ApiResult<()> {
    if client.settings.deletion_enabled {
        Ok(())
    } else {
        Err(ApiError::detailed(
            ErrorCode::Forbidden,
            "the deletion of personal data is switched off in this cabinet",
        ))
    }
}

/// `POST /cabinet/erasure/codes`: the code confirming an erasure, by the deletion template,
/// under the same limits as sign-in codes.
///
/// # Errors
/// 403 `forbidden` with deletion off; 429 `rate_limited`.
pub async fn request_code(
    state: &AppState,
    client: &Client,
    info: &ClientInfo,
) -> ApiResult<CodeSent> {
    ensure_deletion(client)?;
    sign_in::send(
        state,
        &client.account,
        &client.settings,
        &client.phone,
        SmsPurpose::Deletion,
        info.ip,
    )
    .await
}

/// `GET /cabinet/data`: the client's contacts, their leads as shown and the chat.
///
/// # Errors
/// Database errors.
pub async fn download(state: &AppState, client: &Client) -> ApiResult<PersonalData> {
    let db = &state.db;
    let (contacts, leads) = own_leads(db, client).await?;
    let presenter = Presenter::load(db, client.account_id(), &client.settings, &leads).await?;
    let field_names: HashMap<Id, String> =
        fields::list(db, client.account_id(), Some(Entity::Contacts))
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect();
    let company_ids: BTreeSet<Id> = contacts.iter().filter_map(|c| c.company_id).collect();
    let company_names: HashMap<Id, String> = if company_ids.is_empty() {
        HashMap::new()
    } else {
        companies::Entity::find()
            .filter(companies::Column::AccountId.eq(client.account_id()))
            .filter(companies::Column::Id.is_in(company_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect()
    };
    let contacts = contacts
        .into_iter()
        .map(|c| {
            let custom: serde_json::Map<String, Value> = stored_custom(&c.custom)?
                .into_iter()
                .map(|(id, value)| {
                    let name = field_names
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| format!("custom.{id}"));
                    (name, value)
                })
                .collect();
            Ok(PersonalContact {
                id: c.id,
                phones: from_json(&c.phones)?,
                emails: from_json(&c.emails)?,
                company: c.company_id.and_then(|id| company_names.get(&id).cloned()),
                custom: Value::Object(custom),
                name: c.name,
                created_at: c.created_at,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let lead_ids: Vec<Id> = leads.iter().map(|l| l.id).collect();
    let messages = if lead_ids.is_empty() {
        Vec::new()
    } else {
        lead_events::Entity::find()
            .filter(lead_events::Column::LeadId.is_in(lead_ids))
            .filter(lead_events::Column::Kind.is_in([
                EventKind::IncomingChatMessage.code(),
                EventKind::OutgoingChatMessage.code(),
            ]))
            .order_by_asc(lead_events::Column::Id)
            .all(db)
            .await?
            .iter()
            .map(chat::message)
            .collect()
    };
    Ok(PersonalData {
        exported_at: Utc::now(),
        account_name: client.account.name.clone(),
        contacts,
        leads: leads
            .iter()
            .map(|l| presenter.lead(l))
            .collect::<ApiResult<_>>()?,
        messages,
    })
}

/// `POST /cabinet/erasure`: erases the client's personal data (see the module's doc).
///
/// # Errors
/// 403 `forbidden` with deletion off; 401 `invalid_sms_code` (attempts as for sign-in).
pub async fn confirm(state: &AppState, client: &Client, input: ErasureConfirm) -> ApiResult<()> {
    ensure_deletion(client)?;
    let account_id = client.account_id();
    let code_id = sign_in::verify(
        &state.db,
        account_id,
        &client.phone,
        SmsPurpose::Deletion,
        &input.code,
    )
    .await?;
    let txn = state.db.begin().await?;
    sign_in::close(&txn, code_id).await?;
    let language = client.settings.language;
    let account_language = Language::from_code(&client.account.language).unwrap_or_default();
    let contacts = contacts_with_phone(&txn, account_id, &client.phone, language).await?;
    let contact_ids: Vec<Id> = contacts.iter().map(|c| c.id).collect();

    let home = home_country(language);
    let mut phones: BTreeSet<String> = BTreeSet::from([client.phone.clone()]);
    let mut names = BTreeSet::new();
    let mut secrets = BTreeSet::new();
    for contact in &contacts {
        names.insert(contact.name.clone());
        secrets.insert(contact.name.clone());
        for phone in from_json::<Vec<String>>(&contact.phones)? {
            if let Some(normal) = e164(&phone, home) {
                phones.insert(normal);
            }
            secrets.insert(phone);
        }
        secrets.extend(from_json::<Vec<String>>(&contact.emails)?);
    }
    for phone in &phones {
        secrets.insert(phone.clone());
        secrets.insert(phone.trim_start_matches('+').to_owned());
    }
    let mut secrets: Vec<String> = secrets
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| s.chars().count() >= SHORTEST_SECRET)
        .collect();
    // Longer first, so "+79123456789" goes whole before "79123456789" would leave its "+".
    secrets.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));

    let erased = erased_name(account_language);
    let now = Utc::now();
    if !contact_ids.is_empty() {
        contacts::Entity::update_many()
            .col_expr(contacts::Column::Name, Expr::value(erased))
            .col_expr(contacts::Column::NameFolded, Expr::value(fold(erased)))
            .col_expr(contacts::Column::Phones, Expr::value("[]"))
            .col_expr(contacts::Column::Emails, Expr::value("[]"))
            .col_expr(contacts::Column::Custom, Expr::value("{}"))
            .col_expr(contacts::Column::UpdatedAt, Expr::value(now))
            .filter(contacts::Column::AccountId.eq(account_id))
            .filter(contacts::Column::Id.is_in(contact_ids.clone()))
            .exec(&txn)
            .await?;
    }
    let lead_ids: Vec<Id> = if contact_ids.is_empty() {
        Vec::new()
    } else {
        lead_contacts::Entity::find()
            .filter(lead_contacts::Column::ContactId.is_in(contact_ids.clone()))
            .select_only()
            .column(lead_contacts::Column::LeadId)
            .distinct()
            .into_tuple()
            .all(&txn)
            .await?
    };
    let lead_ids: Vec<Id> = leads::Entity::find()
        .filter(leads::Column::AccountId.eq(account_id))
        .filter(leads::Column::Id.is_in(lead_ids))
        .select_only()
        .column(leads::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    redact_copies(&txn, account_id, &lead_ids, &contact_ids, &secrets, &names).await?;

    let mut notes = serde_json::Map::new();
    for lang in [language, account_language] {
        notes.insert(lang.code().to_owned(), Value::from(erasure_note(lang)));
    }
    let payload = json!({ "notes": notes }).to_string();
    if !lead_ids.is_empty() {
        lead_events::Entity::insert_many(lead_ids.iter().map(|&lead_id| {
            lead_events::ActiveModel {
                account_id: Set(account_id),
                lead_id: Set(lead_id),
                kind: Set(EventKind::PersonalDataErased.code().to_owned()),
                payload: Set(payload.clone()),
                author_id: Set(None),
                author_name: Set(None),
                job_id: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }

    // The phones nobody else in the account still holds: their SMS log, codes and sessions
    // were this client's alone. The session's phone always is one (its every contact is
    // erased), so the session ends here.
    let mut gone = Vec::new();
    for phone in phones {
        if phone == client.phone
            || contacts_with_phone(&txn, account_id, &phone, language)
                .await?
                .is_empty()
        {
            gone.push(phone);
        }
    }
    sms_messages::Entity::update_many()
        .col_expr(sms_messages::Column::ToPhone, Expr::value(ERASED_PHONE))
        .col_expr(
            sms_messages::Column::Body,
            Expr::value(Option::<String>::None),
        )
        .filter(sms_messages::Column::AccountId.eq(account_id))
        .filter(sms_messages::Column::ToPhone.is_in(gone.clone()))
        .exec(&txn)
        .await?;
    cabinet_codes::Entity::delete_many()
        .filter(cabinet_codes::Column::AccountId.eq(account_id))
        .filter(cabinet_codes::Column::Phone.is_in(gone.clone()))
        .exec(&txn)
        .await?;
    cabinet_sessions::Entity::delete_many()
        .filter(cabinet_sessions::Column::AccountId.eq(account_id))
        .filter(cabinet_sessions::Column::Phone.is_in(gone))
        .exec(&txn)
        .await?;
    crate::audit::record_platform(
        &txn,
        account_id,
        "cabinet_personal_data_erased",
        json!({ "contacts": contact_ids, "leads": lead_ids.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the erased values wherever the leads' records spell them out: timeline payloads
/// and authors, lead names and custom values, the texts of tasks about the leads or contacts.
async fn redact_copies(
    db: &impl ConnectionTrait,
    account_id: Id,
    lead_ids: &[Id],
    contact_ids: &[Id],
    secrets: &[String],
    names: &BTreeSet<String>,
) -> ApiResult<()> {
    if secrets.is_empty() || (lead_ids.is_empty() && contact_ids.is_empty()) {
        return Ok(());
    }
    for event in lead_events::Entity::find()
        .filter(lead_events::Column::AccountId.eq(account_id))
        .filter(lead_events::Column::LeadId.is_in(lead_ids.to_vec()))
        .all(db)
        .await?
    {
        let mut payload: Value = serde_json::from_str(&event.payload).unwrap_or(Value::Null);
        let payload_changed = redact_value(&mut payload, secrets);
        let author_erased = event
            .author_name
            .as_ref()
            .is_some_and(|a| names.contains(a));
        if payload_changed || author_erased {
            let mut active: lead_events::ActiveModel = event.into();
            if payload_changed {
                active.payload = Set(payload.to_string());
            }
            if author_erased {
                active.author_name = Set(None);
            }
            active.update(db).await?;
        }
    }
    for lead in leads::Entity::find()
        .filter(leads::Column::AccountId.eq(account_id))
        .filter(leads::Column::Id.is_in(lead_ids.to_vec()))
        .all(db)
        .await?
    {
        let name = redact(&lead.name, secrets);
        let mut custom: Value = serde_json::from_str(&lead.custom).unwrap_or(Value::Null);
        let custom_changed = redact_value(&mut custom, secrets);
        if name.is_some() || custom_changed {
            let mut active: leads::ActiveModel = lead.into();
            if let Some(name) = name {
                active.name_folded = Set(fold(&name));
                active.name = Set(name);
            }
            if custom_changed {
                active.custom = Set(custom.to_string());
            }
            active.update(db).await?;
        }
    }
    let about = Condition::any()
        .add(
            Condition::all()
                .add(tasks::Column::EntityType.eq(Entity::Leads.code()))
                .add(tasks::Column::EntityId.is_in(lead_ids.to_vec())),
        )
        .add(
            Condition::all()
                .add(tasks::Column::EntityType.eq(Entity::Contacts.code()))
                .add(tasks::Column::EntityId.is_in(contact_ids.to_vec())),
        );
    for task in tasks::Entity::find()
        .filter(tasks::Column::AccountId.eq(account_id))
        .filter(about)
        .all(db)
        .await?
    {
        let text = redact(&task.text, secrets);
        let mut custom: Value = serde_json::from_str(&task.custom).unwrap_or(Value::Null);
        let custom_changed = redact_value(&mut custom, secrets);
        if text.is_some() || custom_changed {
            let mut active: tasks::ActiveModel = task.into();
            if let Some(text) = text {
                active.text = Set(text);
            }
            if custom_changed {
                active.custom = Set(custom.to_string());
            }
            active.update(db).await?;
        }
    }
    Ok(())
}

/// Every string in the JSON value with the secrets replaced; whether any was.
fn redact_value(value: &mut Value, secrets: &[String]) -> bool {
    match value {
        Value::String(text) => match redact(text, secrets) {
            Some(redacted) => {
                *text = redacted;
                true
            }
            None => false,
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| redact_value(item, secrets) | changed),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, item| redact_value(item, secrets) | changed),
        _ => false,
    }
}

/// The text with every secret (in any letter case) replaced by [`ERASED`]; `None` when it
/// held none.
fn redact(text: &str, secrets: &[String]) -> Option<String> {
    let mut out: Option<String> = None;
    for secret in secrets {
        let current = out.as_deref().unwrap_or(text);
        if let Some(replaced) = replace_ignoring_case(current, secret) {
            out = Some(replaced);
        }
    }
    out
}

fn replace_ignoring_case(haystack: &str, needle: &str) -> Option<String> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return None;
    }
    let chars: Vec<(usize, char)> = haystack.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(haystack.len(), |(at, _)| *at);
    let mut out = String::new();
    let mut copied_to = 0;
    let mut found = false;
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        let mut k = 0;
        while k < needle.len() && j < chars.len() {
            let lower: Vec<char> = chars[j].1.to_lowercase().collect();
            if needle.get(k..k + lower.len()) != Some(lower.as_slice()) {
                break;
            }
            k += lower.len();
            j += 1;
        }
        if k == needle.len() {
            out.push_str(&haystack[copied_to..byte_at(i)]);
            out.push_str(ERASED);
            copied_to = byte_at(j);
            found = true;
            i = j;
        } else {
            i += 1;
        }
    }
    if !found {
        return None;
    }
    out.push_str(&haystack[copied_to..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_in_any_case_and_script() {
        let secrets = vec!["Иван Петров".to_owned(), "ivan@example.com".to_owned()];
        assert_eq!(
            redact("Привет, ИВАН ПЕТРОВ! Пишите на Ivan@Example.com", &secrets).as_deref(),
            Some("Привет, [erased]! Пишите на [erased]")
        );
        assert_eq!(redact("nothing here", &secrets), None);
        let mut value = json!({"text": "call +79123456789", "n": 5, "list": ["89123456789"]});
        assert!(redact_value(
            &mut value,
            &["+79123456789".to_owned(), "89123456789".to_owned()]
        ));
        assert_eq!(
            value,
            json!({"text": "call [erased]", "n": 5, "list": ["[erased]"]})
        );
    }
}
