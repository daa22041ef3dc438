//! The CRM endpoints. Each handler extracts, calls one service function and maps the answer;
//! the rights are checked by the services on every read and write.

use actix_web::{delete, get, http::header, patch, post, put, web, HttpResponse};
use gatehouse_domain::{
    cabinet::{ChatInput, ChatMessage},
    crm::{
        Colleague, Company, CompanyPatch, Contact, ContactPatch, CustomField, CustomFieldInput,
        EventInput, Lead, LeadEvent, LeadPatch, LeadQuery, LeadSummary, LeadTotalsQuery,
        NewCompany, NewContact, NewLead, NewTask, RecordQuery, Slice, StageTotal, Task, TaskPatch,
        TaskQuery,
    },
    rights::Entity,
    Id,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{chat, colleagues, companies, contacts, events, fields, leads, tasks};
use crate::{
    auth::Member,
    error::ApiResult,
    openapi::responses::{AdminErrors, BodyErrors, RightsErrors, SessionErrors},
    state::AppState,
};

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // Exports come before `/{id}` routes so `export` is never read as an id.
    cfg.service(lead_list)
        .service(lead_totals)
        .service(lead_export)
        .service(lead_create)
        .service(lead_get)
        .service(lead_update)
        .service(lead_delete)
        .service(event_list)
        .service(event_post)
        .service(message_list)
        .service(message_post)
        .service(contact_list)
        .service(contact_export)
        .service(contact_create)
        .service(contact_get)
        .service(contact_update)
        .service(contact_delete)
        .service(company_list)
        .service(company_export)
        .service(company_create)
        .service(company_get)
        .service(company_update)
        .service(company_delete)
        .service(task_list)
        .service(task_create)
        .service(task_get)
        .service(task_update)
        .service(task_delete)
        .service(field_list)
        .service(field_create)
        .service(field_update)
        .service(field_delete)
        .service(member_list);
}

fn csv(body: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(body)
}

/// One slice of the leads the caller may view, newest first; filtered in the database by the
/// caller's rights, stage rights included.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadQuery),
    responses((status = 200, description = "Leads", body = Slice<LeadSummary>), SessionErrors))]
#[get("/leads")]
async fn lead_list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<LeadQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(leads::list(&state, &member, query.into_inner()).await?))
}

/// The leads the caller may view, counted and their prices summed per stage: the board's
/// column headers. Takes the list's filters.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadTotalsQuery),
    responses((status = 200, description = "Per stage with such leads", body = Vec<StageTotal>), SessionErrors))]
#[get("/leads/totals")]
async fn lead_totals(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<LeadTotalsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(leads::totals(&state, &member, query.into_inner()).await?))
}

/// The leads the caller may export (the export right), as CSV; at most 100,000 rows.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadQuery),
    responses((status = 200, description = "CSV, UTF-8, with a header row", content_type = "text/csv", body = String), SessionErrors))]
#[get("/leads/export")]
async fn lead_export(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<LeadQuery>,
) -> ApiResult<HttpResponse> {
    Ok(csv(
        leads::export(&state, &member, query.into_inner()).await?,
        "leads",
    ))
}

/// Add a lead (the add right); the stage's edit right decides where it may go.
#[utoipa::path(tag = "leads", security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Lead), SessionErrors, RightsErrors, BodyErrors))]
#[post("/leads")]
async fn lead_create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewLead>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(leads::create(&state, &member, body.into_inner()).await?))
}

/// A lead's card.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 200, description = "The lead", body = Lead), SessionErrors, RightsErrors))]
#[get("/leads/{id}")]
async fn lead_get(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(leads::get(&state, &member, id.into_inner()).await?))
}

/// Change a lead; a new stage or responsible member is recorded on its timeline.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 200, description = "The lead", body = Lead), SessionErrors, RightsErrors, BodyErrors))]
#[patch("/leads/{id}")]
async fn lead_update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<LeadPatch>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(leads::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// Delete a lead with its timeline and tasks.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 204, description = "Deleted"), SessionErrors, RightsErrors))]
#[delete("/leads/{id}")]
async fn lead_delete(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    leads::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A slice of a timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct TimelineQuery {
    /// The last id of the previous slice.
    after: Option<Id>,
    /// 50 by default, at most 250.
    limit: Option<u64>,
}

/// The lead's timeline, newest first.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id"), TimelineQuery),
    responses((status = 200, description = "Events", body = Slice<LeadEvent>), SessionErrors, RightsErrors))]
#[get("/leads/{id}/events")]
async fn event_list(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    query: web::Query<TimelineQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    Ok(HttpResponse::Ok()
        .json(events::list(&state, &member, id.into_inner(), query.after, query.limit).await?))
}

/// Record a call, chat message, SMS or e-mail on the lead's timeline (the edit right on the
/// lead). Stage and responsible changes are recorded by Gatehouse only.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 201, description = "Recorded", body = LeadEvent), SessionErrors, RightsErrors, BodyErrors))]
#[post("/leads/{id}/events")]
async fn event_post(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<EventInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(events::post(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// The lead's chat with the client in the cabinet (K5; the view right on the lead), in id
/// order: messages after `after`, or the latest ones. With `wait`, answers as soon as a new
/// message arrives, or with an empty list when the wait ends (a long poll).
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id"), chat::MessagesQuery),
    responses((status = 200, description = "Chat messages", body = Vec<ChatMessage>), SessionErrors, RightsErrors))]
#[get("/leads/{id}/messages")]
async fn message_list(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    query: web::Query<chat::MessagesQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(chat::list(&state, &member, id.into_inner(), &query).await?))
}

/// Answer the client in the cabinet's chat (the edit right on the lead): an outgoing chat
/// message under the member's name. 422 `text_empty` or `text_too_long` on `text`.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Id, Path, description = "Lead id")),
    responses((status = 201, description = "Sent", body = ChatMessage), SessionErrors, RightsErrors, BodyErrors))]
#[post("/leads/{id}/messages")]
async fn message_post(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<ChatInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(chat::answer(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// One slice of the contacts the caller may view, newest first.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(RecordQuery),
    responses((status = 200, description = "Contacts", body = Slice<Contact>), SessionErrors))]
#[get("/contacts")]
async fn contact_list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<RecordQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(contacts::list(&state, &member, query.into_inner()).await?))
}

/// The contacts the caller may export, as CSV; at most 100,000 rows.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(RecordQuery),
    responses((status = 200, description = "CSV, UTF-8, with a header row", content_type = "text/csv", body = String), SessionErrors))]
#[get("/contacts/export")]
async fn contact_export(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<RecordQuery>,
) -> ApiResult<HttpResponse> {
    Ok(csv(
        contacts::export(&state, &member, query.into_inner()).await?,
        "contacts",
    ))
}

/// Add a contact (the add right).
#[utoipa::path(tag = "contacts", security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Contact), SessionErrors, RightsErrors, BodyErrors))]
#[post("/contacts")]
async fn contact_create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewContact>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(contacts::create(&state, &member, body.into_inner()).await?))
}

#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Id, Path, description = "Contact id")),
    responses((status = 200, description = "The contact", body = Contact), SessionErrors, RightsErrors))]
#[get("/contacts/{id}")]
async fn contact_get(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(contacts::get(&state, &member, id.into_inner()).await?))
}

#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Id, Path, description = "Contact id")),
    responses((status = 200, description = "The contact", body = Contact), SessionErrors, RightsErrors, BodyErrors))]
#[patch("/contacts/{id}")]
async fn contact_update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<ContactPatch>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(contacts::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Id, Path, description = "Contact id")),
    responses((status = 204, description = "Deleted"), SessionErrors, RightsErrors))]
#[delete("/contacts/{id}")]
async fn contact_delete(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    contacts::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One slice of the companies the caller may view, newest first.
#[utoipa::path(tag = "companies", security(("bearer" = [])), params(RecordQuery),
    responses((status = 200, description = "Companies", body = Slice<Company>), SessionErrors))]
#[get("/companies")]
async fn company_list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<RecordQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(companies::list(&state, &member, query.into_inner()).await?))
}

/// The companies the caller may export, as CSV; at most 100,000 rows.
#[utoipa::path(tag = "companies", security(("bearer" = [])), params(RecordQuery),
    responses((status = 200, description = "CSV, UTF-8, with a header row", content_type = "text/csv", body = String), SessionErrors))]
#[get("/companies/export")]
async fn company_export(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<RecordQuery>,
) -> ApiResult<HttpResponse> {
    Ok(csv(
        companies::export(&state, &member, query.into_inner()).await?,
        "companies",
    ))
}

/// Add a company (the add right).
#[utoipa::path(tag = "companies", security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Company), SessionErrors, RightsErrors, BodyErrors))]
#[post("/companies")]
async fn company_create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewCompany>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(companies::create(&state, &member, body.into_inner()).await?))
}

#[utoipa::path(tag = "companies", security(("bearer" = [])), params(("id" = Id, Path, description = "Company id")),
    responses((status = 200, description = "The company", body = Company), SessionErrors, RightsErrors))]
#[get("/companies/{id}")]
async fn company_get(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(companies::get(&state, &member, id.into_inner()).await?))
}

#[utoipa::path(tag = "companies", security(("bearer" = [])), params(("id" = Id, Path, description = "Company id")),
    responses((status = 200, description = "The company", body = Company), SessionErrors, RightsErrors, BodyErrors))]
#[patch("/companies/{id}")]
async fn company_update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<CompanyPatch>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(companies::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

#[utoipa::path(tag = "companies", security(("bearer" = [])), params(("id" = Id, Path, description = "Company id")),
    responses((status = 204, description = "Deleted"), SessionErrors, RightsErrors))]
#[delete("/companies/{id}")]
async fn company_delete(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    companies::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One slice of the tasks the caller sees, newest first.
#[utoipa::path(tag = "tasks", security(("bearer" = [])), params(TaskQuery),
    responses((status = 200, description = "Tasks", body = Slice<Task>), SessionErrors))]
#[get("/tasks")]
async fn task_list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<TaskQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(tasks::list(&state, &member, query.into_inner()).await?))
}

#[utoipa::path(tag = "tasks", security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Task), SessionErrors, RightsErrors, BodyErrors))]
#[post("/tasks")]
async fn task_create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewTask>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(tasks::create(&state, &member, body.into_inner()).await?))
}

#[utoipa::path(tag = "tasks", security(("bearer" = [])), params(("id" = Id, Path, description = "Task id")),
    responses((status = 200, description = "The task", body = Task), SessionErrors, RightsErrors))]
#[get("/tasks/{id}")]
async fn task_get(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(tasks::get(&state, &member, id.into_inner()).await?))
}

/// Change a task, or complete it (`completed: true`) or reopen it.
#[utoipa::path(tag = "tasks", security(("bearer" = [])), params(("id" = Id, Path, description = "Task id")),
    responses((status = 200, description = "The task", body = Task), SessionErrors, RightsErrors, BodyErrors))]
#[patch("/tasks/{id}")]
async fn task_update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<TaskPatch>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(tasks::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

#[utoipa::path(tag = "tasks", security(("bearer" = [])), params(("id" = Id, Path, description = "Task id")),
    responses((status = 204, description = "Deleted"), SessionErrors, RightsErrors))]
#[delete("/tasks/{id}")]
async fn task_delete(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    tasks::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Which custom fields to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct FieldQuery {
    /// One entity type's fields; all when absent.
    entity: Option<Entity>,
}

/// The account's custom fields in their order (every member: cards show them).
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), params(FieldQuery),
    responses((status = 200, description = "Fields", body = Vec<CustomField>), SessionErrors))]
#[get("/custom-fields")]
async fn field_list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<FieldQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(fields::list(&state.db, member.account_id, query.entity).await?))
}

/// Define a custom field (administrators).
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])),
    responses((status = 201, description = "Created", body = CustomField), SessionErrors, AdminErrors, BodyErrors))]
#[post("/custom-fields")]
async fn field_create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<CustomFieldInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(fields::create(&state, &member, body.into_inner()).await?))
}

/// Rename, reorder or change the choices of a field (its entity and kind stay).
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), params(("id" = Id, Path, description = "Field id")),
    responses((status = 200, description = "The field", body = CustomField), SessionErrors, AdminErrors, BodyErrors))]
#[put("/custom-fields/{id}")]
async fn field_update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
    body: web::Json<CustomFieldInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(fields::update(&state, &member, id.into_inner(), body.into_inner()).await?))
}

/// Delete a field; stored values no longer show.
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), params(("id" = Id, Path, description = "Field id")),
    responses((status = 204, description = "Deleted"), SessionErrors, AdminErrors))]
#[delete("/custom-fields/{id}")]
async fn field_delete(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Id>,
) -> ApiResult<HttpResponse> {
    fields::delete(&state, &member, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The directory of the account's members, active or not, by name: every member may read it
/// (cards name who is responsible; pickers offer whom a record may go to).
#[utoipa::path(tag = "members", security(("bearer" = [])),
    responses((status = 200, description = "Members", body = Vec<Colleague>), SessionErrors))]
#[get("/members")]
async fn member_list(state: web::Data<AppState>, member: Member) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(colleagues::list(&state, &member).await?))
}
