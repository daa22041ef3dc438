//! The audit log page (`/security/audit-log`, S2): administrative acts — who did what to whom,
//! with before and after — filtered by actor, target, act and period, a page at a time.

use gatehouse_domain::{
    audit::{AuditEvent, AuditQuery},
    page::Page,
    Id,
};
use leptos::prelude::*;
use serde_json::Value;

use crate::{
    auth::session::use_session,
    i18n::{
        audit_action_label, audit_sentence, detail_label, fill, total_found, use_locale, Key, Lang,
        AUDIT_ACTIONS,
    },
    layout::{
        admin_only::AdminOnly,
        field::{Field, SelectField},
        format::{local_day_start, Time},
        loading::{LoadFailed, Loading},
        pagination::Pagination,
        remote::Remote,
    },
    security::members::{load_members, member_options},
};

const PER_PAGE: u64 = 50;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <AuditLog/>
        </AdminOnly>
    }
}

#[derive(Clone, Copy)]
struct Filters {
    actor: RwSignal<String>,
    target: RwSignal<String>,
    action: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl Filters {
    fn query(&self) -> AuditQuery {
        let action = self.action.get_untracked();
        AuditQuery {
            actor_id: self.actor.get_untracked().parse::<Id>().ok(),
            target_id: self.target.get_untracked().parse::<Id>().ok(),
            action: (!action.is_empty()).then_some(action),
            from: local_day_start(&self.from.get_untracked(), 0),
            // The "to" day is included: the query's bound is the start of the next one.
            to: local_day_start(&self.to.get_untracked(), 1),
            page: None,
            per_page: Some(PER_PAGE),
        }
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let filters = Filters {
        actor: RwSignal::new(String::new()),
        target: RwSignal::new(String::new()),
        action: RwSignal::new(String::new()),
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
    };
    let applied = RwSignal::new(filters.query());
    let page = RwSignal::new(1u64);
    let apply = Callback::new(move |()| {
        page.set(1);
        applied.set(filters.query());
    });
    let members = load_members();
    let events = Remote::new(move || {
        let query = AuditQuery {
            page: Some(page.get()),
            ..applied.get()
        };
        async move { session.call(api.audit_log(&query)).await }
    });
    let total = Signal::derive(move || {
        events.with(|events| {
            events
                .and_then(|e| e.as_ref().ok())
                .map_or(0, |page: &Page<AuditEvent>| page.total)
        })
    });
    let people = member_options(members);
    let actions = Signal::derive(move || {
        let lang = locale.lang();
        let mut options = vec![(String::new(), locale.t(Key::AnyAct).to_owned())];
        options.extend(AUDIT_ACTIONS.iter().map(|action| {
            (
                (*action).to_owned(),
                audit_action_label(lang, action)
                    .unwrap_or(action)
                    .to_owned(),
            )
        }));
        options
    });
    let clear = move |_| {
        for field in [
            filters.actor,
            filters.target,
            filters.action,
            filters.from,
            filters.to,
        ] {
            field.set(String::new());
        }
        apply.run(());
    };

    view! {
        <div class="page page-wide" data-testid="audit-log">
            <header class="page-header">
                <h1>{locale.text(Key::AuditLog)}</h1>
            </header>
            <p class="muted">{locale.text(Key::AuditLogText)}</p>
            <div class="card filters" role="group" aria-label=locale.text(Key::Filters)>
                <SelectField id="audit-actor" label=Key::Actor value=filters.actor options=people on_change=apply/>
                <SelectField id="audit-target" label=Key::Target value=filters.target options=people on_change=apply/>
                <SelectField id="audit-action" label=Key::Act value=filters.action options=actions on_change=apply/>
                <Field id="audit-from" label=Key::DateFrom kind="date" value=filters.from error=Signal::stored(None::<String>) on_change=apply/>
                <Field id="audit-to" label=Key::DateTo kind="date" value=filters.to error=Signal::stored(None::<String>) on_change=apply/>
                <div class="filters-actions">
                    <button type="button" class="button button-quiet" data-testid="audit-clear" on:click=clear>
                        {locale.text(Key::ClearFilters)}
                    </button>
                </div>
            </div>
            <section class="card" aria-labelledby="audit-results">
                <div class="card-header">
                    <h2 id="audit-results">{locale.text(Key::Acts)}</h2>
                    <span class="muted" data-testid="audit-total">{move || total_found(locale.lang(), total.get())}</span>
                </div>
                {move || match events.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => view! { <LoadFailed error=error retry=move |()| events.refetch()/> }.into_any(),
                    Some(Ok(found)) if found.items.is_empty() => {
                        view! { <p class="muted" data-testid="audit-empty">{locale.text(Key::NothingFound)}</p> }.into_any()
                    }
                    Some(Ok(found)) => {
                        view! {
                            <ul class="rows">
                                {found.items.into_iter().map(|event| view! { <EventRow event=event/> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
                <Pagination page=page total=total per_page=PER_PAGE testid="audit-pages"/>
            </section>
        </div>
    }
}

#[component]
fn EventRow(event: AuditEvent) -> impl IntoView {
    let locale = use_locale();
    let AuditEvent {
        at,
        actor,
        action,
        target,
        details,
        ..
    } = event;
    let actor = actor.map(|a| a.name);
    let target = target.map(|t| t.name);
    let sentence = {
        let (action, details) = (action.clone(), details.clone());
        move || {
            sentence(
                locale.lang(),
                &action,
                actor.as_deref(),
                target.as_deref(),
                &details,
            )
        }
    };
    // What the sentence already says is not repeated below it.
    let said: Vec<&str> = ["name", "group", "role"]
        .into_iter()
        .filter(|key| {
            audit_sentence(Lang::En, &action).is_some_and(|s| s.contains(&format!("{{{key}}}")))
        })
        .collect();
    let lines = StoredValue::new(lines(&details, &said));
    let row_action = action.clone();
    view! {
        <li class="row row-stacked" data-testid="audit-row" data-action=row_action>
            <div class="row-title">
                <span data-testid="audit-sentence">{sentence}</span>
            </div>
            <div class="row-meta muted">
                <Time at=at/>
                <code class="small">{action}</code>
            </div>
            {move || {
                let lang = locale.lang();
                lines.with_value(|lines| {
                    (!lines.is_empty())
                        .then(|| {
                            let list = view! {
                                <ul class="changes" data-testid="audit-changes">
                                    {lines
                                        .iter()
                                        .map(|line| {
                                            let label = line.path.split('.').next().and_then(|top| {
                                                detail_label(lang, top)
                                                    .map(|label| format!("{label}{}", &line.path[top.len()..]))
                                            });
                                            view! {
                                                <li>
                                                    <span class="change-label">{label.unwrap_or_else(|| line.path.clone())}": "</span>
                                                    {match &line.after {
                                                        Some(after) => view! {
                                                            <span class="change-before">{plain(lang, &line.before)}</span>
                                                            " → "
                                                            <span class="change-after">{plain(lang, after)}</span>
                                                        }
                                                        .into_any(),
                                                        None => view! { <span>{plain(lang, &line.before)}</span> }.into_any(),
                                                    }}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            };
                            // Long lists (a role's whole rights) are there on request.
                            if lines.len() > 8 {
                                view! {
                                    <details class="changes-more">
                                        <summary>{format!("{}: {}", locale.t(Key::Changes), lines.len())}</summary>
                                        {list}
                                    </details>
                                }
                                .into_any()
                            } else {
                                list.into_any()
                            }
                        })
                })
            }}
        </li>
    }
}

/// The act in a sentence, or its raw name for an act this build does not know.
fn sentence(
    lang: Lang,
    action: &str,
    actor: Option<&str>,
    target: Option<&str>,
    details: &Value,
) -> String {
    let Some(template) = audit_sentence(lang, action) else {
        return action.to_owned();
    };
    let text = |key: &str| {
        details.get(key).map(|value| match value.get("after") {
            Some(after) => plain(lang, after),
            None => plain(lang, value),
        })
    };
    let before = details
        .get("name")
        .and_then(|name| name.get("before"))
        .map(|v| plain(lang, v))
        .unwrap_or_default();
    let role = match details.get("role") {
        Some(Value::String(role)) => role.clone(),
        _ => crate::i18n::t(lang, Key::OwnRights).to_owned(),
    };
    fill(
        template,
        &[
            (
                "actor",
                actor.unwrap_or(crate::i18n::t(lang, Key::ThePlatform)),
            ),
            ("target", target.unwrap_or("—")),
            ("name", &text("name").unwrap_or_default()),
            ("before", &before),
            ("group", &text("group").unwrap_or_default()),
            ("role", &role),
        ],
    )
}

/// One line of the details: a value, or a value before and after the act.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    path: String,
    before: Value,
    after: Option<Value>,
}

/// The details as lines: every `{before, after}` pair flattened to the values that differ,
/// and the other plain values as they are. Ids are left out: the sentence names the records.
fn lines(details: &Value, said: &[&str]) -> Vec<Line> {
    let mut found = Vec::new();
    let Value::Object(map) = details else {
        return found;
    };
    if let (Some(before), Some(after)) = (map.get("before"), map.get("after")) {
        differences("", before, after, &mut found);
    }
    for (key, value) in map {
        let plain = !value.is_object();
        if key == "before"
            || key == "after"
            || plain && (key.ends_with("_id") || said.contains(&key.as_str()))
        {
            continue;
        }
        match (value.get("before"), value.get("after")) {
            (Some(before), Some(after)) => differences(key, before, after, &mut found),
            _ => flatten(key, value, &mut found),
        }
    }
    found
}

fn differences(path: &str, before: &Value, after: &Value, found: &mut Vec<Line>) {
    // A map that appears or goes (rights by stage) differs by each of its values.
    let empty = Value::Object(serde_json::Map::new());
    let (before, after) = match (before, after) {
        (Value::Null, Value::Object(_)) => (&empty, after),
        (Value::Object(_), Value::Null) => (before, &empty),
        _ => (before, after),
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                differences(
                    &join(path, key),
                    b.get(key.as_str()).unwrap_or(&Value::Null),
                    a.get(key.as_str()).unwrap_or(&Value::Null),
                    found,
                );
            }
        }
        _ if before != after => found.push(Line {
            path: path.to_owned(),
            before: before.clone(),
            after: Some(after.clone()),
        }),
        _ => {}
    }
}

fn flatten(path: &str, value: &Value, found: &mut Vec<Line>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                flatten(&join(path, key), value, found);
            }
        }
        _ => found.push(Line {
            path: path.to_owned(),
            before: value.clone(),
            after: None,
        }),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A value for reading: text as it is, nothing as a dash, lists joined.
fn plain(lang: Lang, value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::String(text) => text.clone(),
        Value::Bool(yes) => crate::i18n::t(lang, if *yes { Key::Yes } else { Key::No }).to_owned(),
        Value::Array(items) if items.is_empty() => "—".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|v| plain(lang, v))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
