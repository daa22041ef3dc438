//! The lists of contacts, companies and tasks (`/contacts`, `/companies`, `/tasks`, C5): one
//! list driven by descriptions — the columns and the form of each, by the API's field names —
//! with search, "show more" slices, the CSV export and the acts the member's rights allow.
//!
//! Records are read and written as JSON objects rather than each through its own type: one
//! compiled reader and writer serve every list, which keeps the app within its download budget
//! (Q4). The API's types (`Contact`, `NewContact`, …) remain the contract the names follow, and
//! the server checks every body against them.

use chrono::{DateTime, Utc};
use futures::FutureExt;
use gatehouse_domain::{
    rights::{Action, Entity},
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::{components::A, hooks::use_query_map};
use serde_json::{Map, Value};

use crate::{
    api::crm::RecordFilter,
    auth::session::use_session,
    crm::{
        form::{Input, RecordForm, Typed},
        local_day, may_add, may_export, Directory, More, Slices,
    },
    i18n::{use_locale, Key},
    layout::{
        download::save_file,
        field::{Field, SelectField},
        form_error::FormError,
        format::{local_day_start, machine, Time},
        loading::{LoadFailed, Loading},
        remote::Submission,
    },
};

/// How a column shows its field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Text,
    /// A list of texts (phones, e-mails).
    List,
    /// An instant, as its day.
    Day,
    /// A task's record (`link`), as a link when it is a lead.
    Link,
}

struct Column {
    label: Key,
    field: &'static str,
    shown: Shown,
}

/// One list: which records, with which columns and form.
pub struct Kind {
    entity: Entity,
    title: Key,
    add: Key,
    columns: &'static [Column],
    inputs: &'static [Input],
    /// Whether the API searches these records by name, and exports them (tasks have neither).
    searchable: bool,
}

const NAME: Column = Column {
    label: Key::Name,
    field: "name",
    shown: Shown::Text,
};

const CONTACTS: Kind = Kind {
    entity: Entity::Contacts,
    title: Key::Contacts,
    add: Key::NewContact,
    columns: &[
        NAME,
        Column {
            label: Key::Phones,
            field: "phones",
            shown: Shown::List,
        },
        Column {
            label: Key::Emails,
            field: "emails",
            shown: Shown::List,
        },
    ],
    inputs: &[
        Input {
            label: Key::Name,
            field: "name",
            typed: Typed::Text,
        },
        Input {
            label: Key::PhonesInput,
            field: "phones",
            typed: Typed::List,
        },
        Input {
            label: Key::EmailsInput,
            field: "emails",
            typed: Typed::List,
        },
    ],
    searchable: true,
};

const COMPANIES: Kind = Kind {
    entity: Entity::Companies,
    title: Key::Companies,
    add: Key::NewCompany,
    columns: &[NAME],
    inputs: &[Input {
        label: Key::Name,
        field: "name",
        typed: Typed::Text,
    }],
    searchable: true,
};

const TASKS: Kind = Kind {
    entity: Entity::Tasks,
    title: Key::Tasks,
    add: Key::NewTask,
    columns: &[
        Column {
            label: Key::TaskText,
            field: "text",
            shown: Shown::Text,
        },
        Column {
            label: Key::Due,
            field: "due_at",
            shown: Shown::Day,
        },
        Column {
            label: Key::About,
            field: "link",
            shown: Shown::Link,
        },
    ],
    inputs: &[
        Input {
            label: Key::TaskText,
            field: "text",
            typed: Typed::Text,
        },
        Input {
            label: Key::Due,
            field: "due_at",
            typed: Typed::Day,
        },
    ],
    searchable: false,
};

#[component]
pub fn ContactsPage() -> impl IntoView {
    view! { <RecordList kind=&CONTACTS/> }
}

#[component]
pub fn CompaniesPage() -> impl IntoView {
    view! { <RecordList kind=&COMPANIES/> }
}

#[component]
pub fn TasksPage() -> impl IntoView {
    view! { <RecordList kind=&TASKS/> }
}

/// A field of a record as a number (`id`, `responsible_id`).
fn number(record: &Value, field: &str) -> Id {
    record
        .get(field)
        .and_then(Value::as_i64)
        .unwrap_or_default()
}

fn instant(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().and_then(|text| text.parse().ok())
}

/// A field as the form edits it: texts as they are, lists apart by commas, instants as days.
fn text_of(value: Option<&Value>, typed: Typed) -> String {
    match (value, typed) {
        (Some(Value::String(text)), Typed::Text) => text.clone(),
        (Some(Value::Array(items)), Typed::List) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (Some(value), Typed::Day) => instant(value).map(local_day).unwrap_or_default(),
        (Some(Value::Number(number)), Typed::Number) => number.to_string(),
        _ => String::new(),
    }
}

/// A typed text as the field's JSON value: lists split at commas, days as the instant they
/// start in the browser's time zone (`null`: none).
fn value_of(text: &str, typed: Typed) -> Value {
    match typed {
        Typed::Text => Value::from(text),
        // Not a number: sent as typed, for the server to refuse.
        Typed::Number => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::from(text), Value::from),
        Typed::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(Value::from)
                .collect(),
        ),
        Typed::Day => local_day_start(text, 0).map_or(Value::Null, |at| Value::from(machine(at))),
    }
}

#[component]
fn RecordList(kind: &'static Kind) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let entity = kind.entity;
    let testid = entity.code();
    let directory = Directory::load();
    let query = use_query_map();
    // `?lead=5`: the tasks about one lead, as its card links to them.
    let about = Memo::new(move |_| {
        query
            .read()
            .get("lead")
            .and_then(|id| id.parse::<Id>().ok())
    });
    let search = RwSignal::new(String::new());
    let responsible = RwSignal::new(String::new());
    // Tasks: open ones first, as a to-do list reads.
    let completed = RwSignal::new(if entity == Entity::Tasks { "false" } else { "" }.to_owned());
    let filter = move || RecordFilter {
        query: Some(search.get_untracked().trim().to_owned()).filter(|q| !q.is_empty()),
        responsible_id: responsible.get_untracked().parse().ok(),
        completed: completed.get_untracked().parse().ok(),
        about: about.get().map(|id| (Entity::Leads, id)),
        ..RecordFilter::default()
    };
    let again = RwSignal::new(0u32);
    let apply = Callback::new(move |()| again.update(|n| *n = n.wrapping_add(1)));
    let list = Slices::new(move |after| {
        again.track();
        let filter = filter();
        async move {
            session
                .call(api.record_slice::<Value>(entity, &filter, after))
                .await
        }
        .boxed_local()
    });

    // The form, for a new record (`editing` empty) or one of the list.
    let open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Id>);
    let values = StoredValue::new(
        kind.inputs
            .iter()
            .map(|_| RwSignal::new(String::new()))
            .collect::<Vec<_>>(),
    );
    let owner = RwSignal::new(String::new());
    let saving = Submission::new();
    let start = Callback::new(move |record: Option<Value>| {
        saving.clear();
        let me = session.with_me(|me| me.membership.id).unwrap_or_default();
        editing.set(record.as_ref().map(|r| number(r, "id")));
        owner.set(
            record
                .as_ref()
                .map_or(me, |r| number(r, "responsible_id"))
                .to_string(),
        );
        for (input, value) in kind.inputs.iter().zip(values.get_value()) {
            value.set(text_of(
                record.as_ref().and_then(|r| r.get(input.field)),
                input.typed,
            ));
        }
        open.set(true);
    });
    let submit = Callback::new(move |()| {
        let id = editing.get_untracked();
        let mut body = Map::new();
        for (input, value) in kind.inputs.iter().zip(values.get_value()) {
            body.insert(
                input.field.to_owned(),
                value_of(&value.get_untracked(), input.typed),
            );
        }
        if let Ok(owner) = owner.get_untracked().parse::<Id>() {
            body.insert("responsible_id".to_owned(), Value::from(owner));
        }
        if let (None, Some(lead)) = (id, about.get_untracked()) {
            body.insert(
                "link".to_owned(),
                serde_json::json!({ "entity": Entity::Leads.code(), "id": lead }),
            );
        }
        let body = Value::Object(body);
        let request = async move { session.call(api.save_record(entity, id, &body)).await };
        saving.run(request, move |()| {
            open.set(false);
            list.reload();
        });
    });
    let toggle = Callback::new(move |(id, done): (Id, bool)| {
        let body = serde_json::json!({ "completed": done });
        let request = async move {
            session
                .call(api.save_record(Entity::Tasks, Some(id), &body))
                .await
        };
        saving.run(request, move |()| list.reload());
    });

    let export = Submission::new();
    let start_export = move |_| {
        let filter = untrack(filter);
        let request = async move { session.call(api.export_records(entity, &filter)).await };
        export.run(request, move |csv| {
            // A browser that refuses files has no other way to get it; the button stays.
            let _ = save_file(&format!("{}.csv", entity.code()), "text/csv", &csv);
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        apply.run(());
    };
    let everyone = Signal::derive(move || {
        let mut options = vec![(String::new(), locale.t(Key::Everyone).to_owned())];
        options.extend(directory.receivers(&[]));
        options
    });
    let states = Signal::derive(move || {
        [
            ("false", Key::OpenTasks),
            ("true", Key::Completed),
            ("", Key::StatusAll),
        ]
        .into_iter()
        .map(|(value, key)| (value.to_owned(), locale.t(key).to_owned()))
        .collect()
    });

    view! {
        <div class="page page-wide" data-testid=testid>
            <header class="page-header">
                <h1>{locale.text(kind.title)}</h1>
                <div class="page-header-aside">
                    <Show when=move || kind.searchable && may_export(entity)>
                        <button type="button" class="button button-outline" data-testid="record-export" disabled=export.pending() on:click=start_export>
                            {locale.text_when(export.pending(), Key::Exporting, Key::ExportCsv)}
                        </button>
                    </Show>
                    <Show when=move || may_add(entity)>
                        <button type="button" class="button button-primary" data-testid="record-add" on:click=move |_| start.run(None)>
                            {locale.text(kind.add)}
                        </button>
                    </Show>
                </div>
            </header>
            <form class="card filters" on:submit=on_submit novalidate=true aria-label=locale.text(Key::Filters)>
                {kind.searchable.then(|| view! {
                    <Field id="record-search" label=Key::Search kind="search" value=search prompt=Key::NamePrompt error=Signal::stored(None::<String>)/>
                })}
                <SelectField id="record-responsible" label=Key::Responsible value=responsible options=everyone on_change=apply/>
                {(entity == Entity::Tasks).then(|| view! {
                    <SelectField id="record-state" label=Key::Status value=completed options=states on_change=apply/>
                })}
                <div class="filters-actions">
                    <button type="submit" class="button button-primary" data-testid="record-apply">{locale.text(Key::Apply)}</button>
                </div>
            </form>
            {move || about.get().map(|id| view! {
                <div class="selection-banner" role="status" data-testid="tasks-about">
                    <span>{locale.text(Key::TasksOfLead)}</span>
                    <A href=format!("/leads/{id}") attr:class="link">{format!("#{id}")}</A>
                    <A href="/tasks" attr:class="button button-quiet button-small">{locale.text(Key::ClearFilters)}</A>
                </div>
            })}
            <FormError refused=Signal::derive(move || export.error().or_else(|| if open.get() { None } else { saving.error() })) testid="record-error"/>
            <section class="card">
                {move || match (list.loaded(), list.failed()) {
                    (_, Some(error)) => view! { <LoadFailed error=error retry=move |()| list.reload()/> }.into_any(),
                    (false, None) => view! { <Loading inline=true/> }.into_any(),
                    (true, None) if list.items.with(Vec::is_empty) => {
                        view! { <p class="muted" data-testid="record-empty">{locale.text(Key::NothingFound)}</p> }.into_any()
                    }
                    (true, None) => view! {
                        <RecordTable kind=kind records=list.items() directory=directory start=start toggle=toggle/>
                    }.into_any(),
                }}
                <More shown=list.has_more() on_more=Callback::new(move |()| list.more()) testid="record-more"/>
            </section>
        </div>
        <RecordForm
            open=open
            title=Signal::derive(move || if editing.get().is_some() { Key::Edit } else { kind.add })
            inputs=kind.inputs
            values=values
            responsible=owner
            directory=directory
            saving=saving
            on_submit=submit
            testid="record-form"
        />
    }
}

/// What a column shows of a record.
fn cell(record: &Value, column: &Column) -> AnyView {
    let value = record.get(column.field);
    match (column.shown, value) {
        (Shown::Day, Some(value)) => match instant(value) {
            Some(at) => view! { <Time at=at day_only=true/> }.into_any(),
            None => ().into_any(),
        },
        (Shown::Link, Some(link)) => {
            let id = number(link, "id");
            if link.get("entity").and_then(Value::as_str) == Some(Entity::Leads.code()) {
                view! { <A href=format!("/leads/{id}") attr:class="link">{format!("#{id}")}</A> }
                    .into_any()
            } else {
                format!("#{id}").into_any()
            }
        }
        (_, value) => text_of(
            value,
            if column.shown == Shown::List {
                Typed::List
            } else {
                Typed::Text
            },
        )
        .into_any(),
    }
}

#[component]
fn RecordTable(
    kind: &'static Kind,
    records: Vec<Value>,
    directory: Directory,
    start: Callback<Option<Value>>,
    toggle: Callback<(Id, bool)>,
) -> impl IntoView {
    let locale = use_locale();
    let entity = kind.entity;
    let tasks = entity == Entity::Tasks;
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        {tasks.then(|| view! { <th scope="col" class="cell-check"><span class="sr-only">{locale.text(Key::Completed)}</span></th> })}
                        {kind.columns.iter().map(|column| view! { <th scope="col">{locale.text(column.label)}</th> }).collect_view()}
                        <th scope="col">{locale.text(Key::Responsible)}</th>
                        <th scope="col"><span class="sr-only">{locale.text(Key::Actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {records
                        .into_iter()
                        .map(|record| {
                            let (id, responsible) = (number(&record, "id"), number(&record, "responsible_id"));
                            // A completed task has `completed_at`; open ones leave it out.
                            let done = record.get("completed_at").is_some_and(|at| !at.is_null());
                            let may_edit = Signal::derive(move || directory.allows(Action::Edit, entity, responsible, None));
                            let cells = kind.columns.iter().map(|column| view! { <td>{cell(&record, column)}</td> }).collect_view();
                            let record = StoredValue::new(record);
                            view! {
                                <tr data-testid="record-row" data-id=id class:row-inactive=done>
                                    {tasks.then(|| view! {
                                        <td class="cell-check">
                                            <input
                                                type="checkbox"
                                                data-testid="task-done"
                                                aria-label=locale.text(Key::Completed)
                                                prop:checked=done
                                                disabled=move || !may_edit.get()
                                                on:change=move |event| toggle.run((id, event_target_checked(&event)))
                                            />
                                        </td>
                                    })}
                                    {cells}
                                    <td data-testid="record-responsible">{move || directory.name(responsible)}</td>
                                    <td class="cell-actions">
                                        <Show when=move || may_edit.get()>
                                            <button type="button" class="button button-quiet button-small" data-testid="record-edit" on:click=move |_| start.run(Some(record.get_value()))>
                                                {locale.text(Key::Edit)}
                                            </button>
                                        </Show>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
