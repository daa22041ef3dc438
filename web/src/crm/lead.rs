//! The lead card (`/leads/:id`): its fields and custom fields, changed in place when the
//! member's rights allow, its tasks, and its timeline newest first — where the member records a
//! call, a message or an e-mail. A lead the member may not view is not found, as the API says.

use futures::FutureExt;
use gatehouse_domain::{
    crm::{CustomField, CustomValues, EventInput, EventKind, FieldKind, Lead, LeadPatch},
    pipelines::Pipeline,
    problem::ErrorCode,
    rights::{Action, Entity},
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::{components::A, hooks::use_params_map};
use serde_json::{Map, Value};

use crate::{
    auth::session::use_session,
    crm::{amount, chat::Chat, refusal, Directory, Missing, More, Slices},
    i18n::{event_kind_text, use_locale, Key, Lang},
    layout::{
        field::{Field, SelectField},
        form_error::FormError,
        format::Time,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
    users::load_pipelines,
};

#[component]
pub fn LeadPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<Id>().ok()));
    move || match id.get() {
        Some(id) => view! { <LeadCard id=id/> }.into_any(),
        None => view! { <Missing back="/leads" label=Key::AllLeads/> }.into_any(),
    }
}

/// The lead with what its card names: the custom fields of leads, and its company and
/// contacts (by number where the member may not view them).
#[derive(Clone)]
struct Loaded {
    lead: Lead,
    fields: Vec<CustomField>,
    company: Option<String>,
    contacts: String,
}

/// What the card's parts share.
#[derive(Clone, Copy)]
struct Card {
    id: Id,
    loaded: Remote<Loaded>,
    pipelines: Remote<Vec<Pipeline>>,
    directory: Directory,
    /// The timeline, as `LeadEvent`s in JSON.
    events: Slices<Value>,
}

impl Card {
    /// A stage's name, with its pipeline's when that is not the lead's (tracked).
    fn stage_name(&self, stage_id: Id) -> String {
        let home = self.loaded.with(|l| {
            l.and_then(|l| l.as_ref().ok())
                .map(|l| l.lead.summary.pipeline_id)
        });
        self.pipelines.with(|pipelines| {
            pipelines
                .and_then(|p| p.as_ref().ok())
                .and_then(|all| {
                    all.iter().find_map(|p| {
                        let stage = p.stages.iter().find(|s| s.id == stage_id)?;
                        Some(if Some(p.id) == home {
                            stage.name.clone()
                        } else {
                            format!("{} · {}", p.name, stage.name)
                        })
                    })
                })
                .unwrap_or_else(|| format!("#{stage_id}"))
        })
    }

    /// Every stage of every pipeline, as `(id, name)` options (tracked).
    fn stage_options(&self) -> Vec<(String, String)> {
        let ids: Vec<Id> = self.pipelines.with(|p| {
            p.and_then(|p| p.as_ref().ok())
                .map(|all| {
                    all.iter()
                        .flat_map(|p| p.stages.iter().map(|s| s.id))
                        .collect()
                })
                .unwrap_or_default()
        });
        ids.into_iter()
            .map(|id| (id.to_string(), self.stage_name(id)))
            .collect()
    }
}

#[component]
fn LeadCard(id: Id) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let card = Card {
        id,
        loaded: Remote::new(move || async move {
            let lead = session.call(api.lead(id)).await?;
            let fields = session.call(api.custom_fields(Entity::Leads)).await?;
            // A linked record's name, or its number for one the member may not view.
            let name = |entity: Entity, id: Id| async move {
                let record = session.call(api.record::<Value>(entity, id)).await;
                record
                    .ok()
                    .and_then(|r| r.get("name").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_else(|| format!("#{id}"))
            };
            let company = match lead.summary.company_id {
                Some(id) => Some(name(Entity::Companies, id).await),
                None => None,
            };
            let mut contacts = Vec::new();
            for id in &lead.contact_ids {
                contacts.push(name(Entity::Contacts, *id).await);
            }
            Ok(Loaded {
                lead,
                fields,
                company,
                contacts: if contacts.is_empty() {
                    "—".to_owned()
                } else {
                    contacts.join(", ")
                },
            })
        }),
        pipelines: load_pipelines(),
        directory: Directory::load(),
        events: Slices::new(move |after| {
            async move { session.call(api.lead_events(id, after)).await }.boxed_local()
        }),
    };
    let editing = RwSignal::new(false);
    view! {
        {move || match card.loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) if error.code() == Some(ErrorCode::NotFound) => {
                view! { <Missing back="/leads" label=Key::AllLeads/> }.into_any()
            }
            Some(Err(error)) => view! { <LoadFailed error=error retry=move |()| card.loaded.refetch()/> }.into_any(),
            Some(Ok(loaded)) => {
                let lead = &loaded.lead;
                let (responsible, stage) = (lead.summary.responsible_id, lead.summary.stage_id);
                let may_edit = Signal::derive(move || card.directory.allows(Action::Edit, Entity::Leads, responsible, Some(stage)));
                view! {
                    <div class="page page-wide" data-testid="lead" data-id=id>
                        <A href="/leads" attr:class="back-link" attr:data-testid="back-to-board">{locale.text(Key::AllLeads)}</A>
                        <header class="page-header">
                            <h1 data-testid="lead-name">{lead.summary.name.clone()}</h1>
                            <div class="page-header-aside">
                                <A href=format!("/tasks?lead={id}") attr:class="button button-outline" attr:data-testid="lead-tasks">{locale.text(Key::TasksOfLead)}</A>
                                {move || (may_edit.get() && !editing.get()).then(|| view! {
                                    <button type="button" class="button button-primary" data-testid="lead-edit" on:click=move |_| editing.set(true)>
                                        {locale.text(Key::Edit)}
                                    </button>
                                })}
                            </div>
                        </header>
                        <div class="lead-layout">
                            {move || if editing.get() {
                                view! { <LeadEditor loaded=loaded.clone() card=card editing=editing/> }.into_any()
                            } else {
                                view! { <LeadDetails loaded=loaded.clone() card=card/> }.into_any()
                            }}
                            <Chat lead=id may_write=may_edit on_news=Callback::new(move |()| card.events.reload())/>
                            <Timeline card=card may_post=may_edit/>
                        </div>
                    </div>
                }.into_any()
            }
        }}
    }
}

/// A custom field's value in words.
fn shown(value: &Value, lang: Lang) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(on) => crate::i18n::t(lang, if *on { Key::Yes } else { Key::No }).to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|item| shown(item, lang))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A custom field's value as its input holds it.
fn typed(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// The input's text as the field's value; empty clears it. A number that is not one goes as
/// typed, for the server to name the problem.
fn value_of(kind: FieldKind, text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() {
        return Value::Null;
    }
    match kind {
        FieldKind::Number | FieldKind::Checkbox => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::from(text))
        }
        FieldKind::Multiselect => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|choice| !choice.is_empty())
                .map(Value::from)
                .collect(),
        ),
        FieldKind::Text | FieldKind::Date | FieldKind::Select | FieldKind::Url => Value::from(text),
    }
}

#[component]
fn LeadDetails(loaded: Loaded, card: Card) -> impl IntoView {
    let locale = use_locale();
    let Loaded {
        lead,
        fields,
        company,
        contacts,
    } = loaded;
    let Lead {
        summary,
        custom,
        created_at,
        ..
    } = lead;
    let responsible = summary.responsible_id;
    let stage = summary.stage_id;
    let detail = |label: Key, value: AnyView, testid: &'static str| {
        view! {
            <div class="detail">
                <dt>{locale.text(label)}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="lead-details">
            <h2 id="lead-details">{locale.text(Key::Details)}</h2>
            <dl class="details">
                {detail(Key::Price, amount(summary.price).into_any(), "lead-price")}
                {detail(Key::Stage, (move || card.stage_name(stage)).into_any(), "lead-stage-name")}
                {detail(Key::Responsible, (move || card.directory.name(responsible)).into_any(), "lead-responsible")}
                {company.map(|company| detail(Key::Company, company.into_any(), "lead-company"))}
                {detail(Key::Contacts, contacts.into_any(), "lead-contacts")}
                {detail(Key::Added, view! { <Time at=created_at/> }.into_any(), "lead-created")}
                {fields
                    .into_iter()
                    .filter_map(|field| {
                        let value = custom.get(&field.id)?.clone();
                        Some(view! {
                            <div class="detail">
                                <dt>{field.name}</dt>
                                <dd data-testid="lead-custom">{move || shown(&value, locale.lang())}</dd>
                            </div>
                        })
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}

#[component]
fn LeadEditor(loaded: Loaded, card: Card, editing: RwSignal<bool>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let Loaded { lead, fields, .. } = loaded;
    let summary = &lead.summary;
    let name = RwSignal::new(summary.name.clone());
    let price = RwSignal::new(summary.price.to_string());
    let stage = RwSignal::new(summary.stage_id.to_string());
    let responsible = RwSignal::new(summary.responsible_id.to_string());
    let custom: Vec<(CustomField, RwSignal<String>)> = fields
        .into_iter()
        .map(|f| {
            let value = RwSignal::new(typed(lead.custom.get(&f.id)));
            (f, value)
        })
        .collect();
    let inputs = StoredValue::new(
        custom
            .iter()
            .map(|(f, v)| (f.id, f.kind, *v))
            .collect::<Vec<_>>(),
    );
    let saving = Submission::new();
    let refused = Signal::derive(move || saving.error());
    let error = move |field: &'static str| {
        Signal::derive(move || {
            refused
                .get()
                .and_then(|e| e.field_message(field, locale.lang()))
        })
    };
    let id = card.id;
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let custom: CustomValues = inputs.with_value(|inputs| {
            inputs
                .iter()
                .map(|(id, kind, value)| (*id, value_of(*kind, &value.get_untracked())))
                .collect()
        });
        let Ok(price) = price.get_untracked().trim().parse::<i64>() else {
            saving.run(
                async { Err::<(), _>(refusal("price", "not_a_number")) },
                |()| {},
            );
            return;
        };
        let patch = LeadPatch {
            name: Some(name.get_untracked()),
            price: Some(price),
            stage_id: stage.get_untracked().parse().ok(),
            responsible_id: responsible.get_untracked().parse().ok(),
            custom: Some(custom),
            ..LeadPatch::default()
        };
        let request = async move { session.call(api.update_lead(id, &patch)).await };
        saving.run(request, move |_| {
            editing.set(false);
            card.loaded.refetch();
            card.events.reload();
        });
    };
    let stages = Signal::derive(move || card.stage_options());
    let receivers = Signal::derive(move || card.directory.receivers(&[]));
    view! {
        <form class="card form" on:submit=save novalidate=true aria-labelledby="lead-details" data-testid="lead-editor">
            <h2 id="lead-details">{locale.text(Key::Details)}</h2>
            <Field id="lead-name-input" label=Key::Name value=name error=error("name")/>
            <Field id="lead-price-input" label=Key::Price kind="number" value=price error=error("price")/>
            <SelectField id="lead-stage-input" label=Key::Stage value=stage options=stages error=error("stage_id")/>
            <SelectField id="lead-responsible-input" label=Key::Responsible value=responsible options=receivers error=error("responsible_id")/>
            {custom.into_iter().map(|(field, value)| view! { <CustomInput field=field value=value refused=refused/> }).collect_view()}
            <FormError refused=refused testid="lead-save-error"/>
            <div class="inline-actions">
                <button type="submit" class="button button-primary" data-testid="lead-save" disabled=saving.pending()>
                    {locale.text_when(saving.pending(), Key::Saving, Key::Save)}
                </button>
                <button type="button" class="button button-quiet" on:click=move |_| editing.set(false)>{locale.text(Key::Cancel)}</button>
            </div>
        </form>
    }
}

/// The input of one custom field: a choice for selects and checkboxes, text for the rest
/// (a multiselect's choices apart by commas).
#[component]
fn CustomInput(
    field: CustomField,
    value: RwSignal<String>,
    refused: Signal<Option<crate::api::ApiError>>,
) -> impl IntoView {
    let locale = use_locale();
    let input_id = format!("lead-custom-{}", field.id);
    let error_key = format!("custom.{}", field.id);
    let error = move || {
        refused
            .get()
            .and_then(|e| e.field_message(&error_key, locale.lang()))
    };
    let choices: Option<Vec<(String, String)>> = match field.kind {
        FieldKind::Select => Some(
            field
                .options
                .iter()
                .map(|o| (o.clone(), o.clone()))
                .collect(),
        ),
        FieldKind::Checkbox => Some(vec![
            ("true".to_owned(), locale.t(Key::Yes).to_owned()),
            ("false".to_owned(), locale.t(Key::No).to_owned()),
        ]),
        _ => None,
    };
    let kind = match field.kind {
        FieldKind::Number => "number",
        FieldKind::Date => "date",
        FieldKind::Url => "url",
        _ => "text",
    };
    let label = if field.kind == FieldKind::Multiselect {
        format!("{} ({})", field.name, field.options.join(", "))
    } else {
        field.name
    };
    view! {
        <div class="field">
            <label for=input_id.clone()>{label}</label>
            {match choices {
                Some(choices) => view! {
                    <select id=input_id data-testid="lead-custom-input" prop:value=move || value.get() on:change=move |e| value.set(event_target_value(&e))>
                        <option value="">"—"</option>
                        {choices.into_iter().map(|(v, text)| {
                            let selected = value.with_untracked(|current| *current == v);
                            view! { <option value=v selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                }.into_any(),
                None => view! { <input id=input_id type=kind data-testid="lead-custom-input" bind:value=value/> }.into_any(),
            }}
            <p class="field-error">{error}</p>
        </div>
    }
}

/// The communications a member records by hand (stage and responsible changes are
/// Gatehouse's own).
const POSTED: [EventKind; 7] = [
    EventKind::OutgoingChatMessage,
    EventKind::IncomingChatMessage,
    EventKind::OutgoingCall,
    EventKind::IncomingCall,
    EventKind::OutgoingSms,
    EventKind::IncomingSms,
    EventKind::Email,
];

#[component]
fn Timeline(card: Card, may_post: Signal<bool>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let kind = RwSignal::new(POSTED[0].code().to_owned());
    let text = RwSignal::new(String::new());
    let posting = Submission::new();
    let refused = Signal::derive(move || posting.error());
    let kinds = Signal::derive(move || {
        POSTED
            .iter()
            .map(|k| {
                (
                    k.code().to_owned(),
                    event_kind_text(locale.lang(), *k).to_owned(),
                )
            })
            .collect()
    });
    let post = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(kind) = EventKind::from_code(&kind.get_untracked()) else {
            return;
        };
        let mut payload = Map::new();
        payload.insert("text".to_owned(), Value::from(text.get_untracked().trim()));
        let input = EventInput {
            kind,
            payload: Value::Object(payload),
        };
        let request = async move { session.call(api.post_event(card.id, &input)).await };
        posting.run(request, move |()| {
            text.set(String::new());
            card.events.reload();
        });
    };
    view! {
        <section class="card" aria-labelledby="lead-timeline">
            <h2 id="lead-timeline">{locale.text(Key::Timeline)}</h2>
            {move || may_post.get().then(|| view! {
                <form class="inline-form" on:submit=post novalidate=true aria-label=locale.text(Key::AddToTimeline)>
                    <SelectField id="event-kind" label=Key::EventKind value=kind options=kinds class="field-short"/>
                    <Field id="event-text" label=Key::EventText value=text error=Signal::derive(move || refused.get().and_then(|e| e.field_message("payload", locale.lang())))/>
                    <button type="submit" class="button button-primary align-end" data-testid="event-post" disabled=posting.pending()>
                        {locale.text(Key::AddToTimeline)}
                    </button>
                </form>
            })}
            <FormError refused=refused testid="event-error"/>
            {move || match (card.events.loaded(), card.events.failed()) {
                (_, Some(error)) => view! { <LoadFailed error=error retry=move |()| card.events.reload()/> }.into_any(),
                (false, None) => view! { <Loading inline=true/> }.into_any(),
                (true, None) if card.events.items.with(Vec::is_empty) => {
                    view! { <p class="muted" data-testid="timeline-empty">{locale.text(Key::NothingFound)}</p> }.into_any()
                }
                (true, None) => view! {
                    <ol class="timeline" data-testid="timeline">
                        {card.events.items().into_iter().filter_map(|event| {
                            // A kind newer than this build is left out rather than misnamed.
                            let kind = EventKind::from_code(event.get("kind")?.as_str()?)?;
                            Some(view! { <EventLine kind=kind event=event card=card/> })
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            <More shown=card.events.has_more() on_more=Callback::new(move |()| card.events.more()) testid="timeline-more"/>
        </section>
    }
}

#[component]
fn EventLine(kind: EventKind, event: Value, card: Card) -> impl IntoView {
    let locale = use_locale();
    let text_of = |field: &str| event.get(field).and_then(Value::as_str).map(str::to_owned);
    let author_name = text_of("author_name");
    let created_at = text_of("created_at").and_then(|at| at.parse().ok());
    let payload = event.get("payload").cloned().unwrap_or_default();
    let side = |end: &str| payload.get(end).and_then(Value::as_i64);
    let (from, to) = (side("from"), side("to"));
    let text = payload
        .get("text")
        .and_then(Value::as_str)
        .map(str::to_owned);
    // What happened, in words: the stages or members a change went between, or what was said.
    let what = move || match (kind, from, to) {
        (EventKind::StageChanged, Some(from), Some(to)) => {
            format!("{} → {}", card.stage_name(from), card.stage_name(to))
        }
        (EventKind::ResponsibleChanged, Some(from), Some(to)) => {
            format!(
                "{} → {}",
                card.directory.name(from),
                card.directory.name(to)
            )
        }
        _ => text.clone().unwrap_or_default(),
    };
    view! {
        <li class="event" data-testid="event" data-kind=kind.code()>
            <div class="event-head">
                <strong>{move || event_kind_text(locale.lang(), kind)}</strong>
                <span class="muted small">{author_name}</span>
                {created_at.map(|at| view! { <Time at=at class="muted small"/> })}
            </div>
            <p class="event-text" data-testid="event-what">{what}</p>
        </li>
    }
}
