//! A deal's page (K4, K5): its stage, fields, company and manager, the chat with the manager
//! when the cabinet has one, and the events the administrator chose to show.

use gatehouse_domain::{
    cabinet::{CabinetEvent, CabinetLeadDetail},
    crm::EventKind,
    problem::ErrorCode,
    Id,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_params_map;

use super::{
    api::CabinetError,
    chat::ChatBox,
    home::{LeadFacts, StageLine},
    parts::{lead_number, use_cabinet, when, Failed, Loading, SignedIn, TopBar},
    texts::{event_kind, Key},
};

#[component]
pub fn LeadPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<Id>().ok()));
    view! {
        <SignedIn>
            <TopBar/>
            <main class="cab-page" id="content">
                {move || id.get().map(|id| view! { <Lead id=id/> })}
            </main>
        </SignedIn>
    }
}

#[component]
fn Lead(id: Id) -> impl IntoView {
    let cabinet = use_cabinet();
    let detail: RwSignal<Option<Result<CabinetLeadDetail, CabinetError>>> = RwSignal::new(None);
    let load = move || {
        spawn_local(async move {
            let result = cabinet.api.lead(id).await;
            detail.try_set(Some(result));
        });
    };
    load();

    view! {
        <a class="cab-back" href=cabinet.path("/leads") data-testid="back-to-deals">
            <span aria-hidden="true">"← "</span>
            {move || cabinet.text(Key::AllDeals)}
        </a>
        {move || match detail.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) if error.code() == Some(ErrorCode::NotFound) => view! {
                <p class="cab-empty" data-testid="lead-not-found">{move || cabinet.text(Key::DealNotFound)}</p>
            }
            .into_any(),
            Some(Err(error)) => view! { <Failed error=error retry=Callback::new(move |()| load())/> }.into_any(),
            Some(Ok(detail)) => view! { <Detail detail=detail/> }.into_any(),
        }}
    }
}

#[component]
fn Detail(detail: CabinetLeadDetail) -> impl IntoView {
    let cabinet = use_cabinet();
    let CabinetLeadDetail { lead, events } = detail;
    let id = lead.id;
    let chat = move || cabinet.appearance.with(|a| a.chat_enabled);
    // With the chat on the page, its messages are not repeated in the history.
    let history = Memo::new(move |_| {
        let chat = chat();
        events
            .iter()
            .filter(|event| {
                !(chat
                    && matches!(
                        event.kind,
                        EventKind::IncomingChatMessage | EventKind::OutgoingChatMessage
                    ))
            })
            .cloned()
            .collect::<Vec<_>>()
    });
    view! {
        <article class="cab-lead cab-lead-page" data-testid="lead-detail" data-lead=id.to_string()>
            <h1 class="cab-lead-title" data-testid="lead-title">{move || lead_number(cabinet.lang(), id)}</h1>
            <StageLine lead=lead.clone()/>
            <LeadFacts lead=lead/>
        </article>
        {move || chat().then(|| view! { <ChatBox lead=id/> })}
        <section class="cab-section" aria-labelledby="cabinet-history">
            <h2 id="cabinet-history">{move || cabinet.text(Key::History)}</h2>
            {move || {
                let events = history.get();
                if events.is_empty() {
                    view! { <p class="cab-empty">{cabinet.text(Key::NoEvents)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="cab-events">
                            {events.into_iter().map(|event| view! { <Event event=event/> }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Event(event: CabinetEvent) -> impl IntoView {
    let cabinet = use_cabinet();
    let CabinetEvent {
        kind,
        text,
        created_at,
        ..
    } = event;
    view! {
        <li class="cab-event" data-testid="event" data-kind=kind.code()>
            <div class="cab-event-head">
                <span class="cab-event-kind">{move || event_kind(cabinet.lang(), kind)}</span>
                <time class="cab-muted cab-small" datetime=created_at.to_rfc3339()>
                    {move || when(cabinet.lang(), created_at)}
                </time>
            </div>
            {text.map(|text| view! { <p class="cab-event-text">{text}</p> })}
        </li>
    }
}
