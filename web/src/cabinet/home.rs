//! The client's home (K4): their name when the cabinet shows it, their deals as cards — the
//! stage under its cabinet name with a progress line, the chosen fields, the company and the
//! manager — and what they can do with their data.

use gatehouse_domain::cabinet::{CabinetHome, CabinetLead};
use leptos::{prelude::*, task::spawn_local};

use super::{
    api::CabinetError,
    erasure::DataSection,
    parts::{lead_number, use_cabinet, when, Failed, Loading, SignedIn, TopBar},
    texts::Key,
};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <SignedIn>
            <TopBar/>
            <Home/>
        </SignedIn>
    }
}

#[component]
fn Home() -> impl IntoView {
    let cabinet = use_cabinet();
    let home: RwSignal<Option<Result<CabinetHome, CabinetError>>> = RwSignal::new(None);
    let load = move || {
        spawn_local(async move {
            let result = cabinet.api.home().await;
            if let Ok(answer) = &result {
                // The administrator may have changed what the cabinet offers since it opened.
                cabinet.appearance.try_set(answer.appearance.clone());
            }
            home.try_set(Some(result));
        });
    };
    load();

    view! {
        <main class="cab-page" id="content">
            {move || match home.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <Failed error=error retry=Callback::new(move |()| load())/> }.into_any(),
                Some(Ok(home)) => view! { <Deals home=home/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Deals(home: CabinetHome) -> impl IntoView {
    let cabinet = use_cabinet();
    let CabinetHome {
        name, phone, leads, ..
    } = home;
    let greeting = move || match &name {
        Some(name) if !name.trim().is_empty() => format!("{}, {name}!", cabinet.text(Key::Hello)),
        _ => format!("{}!", cabinet.text(Key::Hello)),
    };
    let empty = leads.is_empty();
    view! {
        <div class="cab-greeting">
            <h1 data-testid="client-name">{greeting}</h1>
            <p class="cab-muted cab-nowrap" data-testid="client-phone">{phone}</p>
        </div>
        <section class="cab-section" aria-labelledby="cabinet-deals">
            <h2 id="cabinet-deals">{move || cabinet.text(Key::YourDeals)}</h2>
            {if empty {
                view! { <p class="cab-empty" data-testid="no-deals">{move || cabinet.text(Key::NoDeals)}</p> }.into_any()
            } else {
                view! {
                    <ul class="cab-leads">
                        {leads.into_iter().map(|lead| view! { <li><LeadCard lead=lead/></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <DataSection/>
    }
}

/// One deal on the home page; the whole card opens it.
#[component]
fn LeadCard(lead: CabinetLead) -> impl IntoView {
    let cabinet = use_cabinet();
    let id = lead.id;
    let href = cabinet.path(&format!("/leads/{id}"));
    let updated = lead.updated_at;
    view! {
        <article class="cab-lead" data-testid="lead-card" data-lead=id.to_string()>
            <div class="cab-lead-top">
                <a class="cab-lead-link" href=href data-testid="lead-open">
                    {move || lead_number(cabinet.lang(), id)}
                </a>
                <span class="cab-muted cab-small">
                    {move || format!("{} {}", cabinet.text(Key::Updated), when(cabinet.lang(), updated))}
                </span>
            </div>
            <StageLine lead=lead.clone()/>
            <LeadFacts lead=lead/>
        </article>
    }
}

/// The stage under its cabinet name and where it stands among the shown stages.
#[component]
pub fn StageLine(lead: CabinetLead) -> impl IntoView {
    let cabinet = use_cabinet();
    let CabinetLead {
        stage,
        stage_position,
        stages_shown,
        ..
    } = lead;
    let has_stage = stage.is_some();
    let stage_name = move || {
        stage
            .clone()
            .unwrap_or_else(|| cabinet.text(Key::NoStage).to_owned())
    };
    let label = move || {
        cabinet
            .text(Key::StageOf)
            .replace("{n}", &stage_position.to_string())
            .replace("{of}", &stages_shown.to_string())
    };
    let shown = has_stage && stages_shown > 0 && stage_position > 0;
    view! {
        <div class="cab-stage">
            <p class="cab-stage-name" data-testid="lead-stage">{stage_name}</p>
            {shown.then(|| view! {
                <div class="cab-progress" role="img" aria-label=label data-testid="lead-progress">
                    {(1..=stages_shown)
                        .map(|step| {
                            let class = if step <= stage_position { "cab-step cab-step-done" } else { "cab-step" };
                            view! { <span class=class></span> }
                        })
                        .collect_view()}
                </div>
                <p class="cab-muted cab-small" aria-hidden="true">{label}</p>
            })}
        </div>
    }
}

/// The fields the administrator chose, under their aliases, then the company and manager.
#[component]
pub fn LeadFacts(lead: CabinetLead) -> impl IntoView {
    let cabinet = use_cabinet();
    let CabinetLead {
        fields,
        company,
        manager,
        ..
    } = lead;
    view! {
        <dl class="cab-facts">
            {fields
                .into_iter()
                .map(|field| view! {
                    <div class="cab-fact" data-testid="lead-field">
                        <dt>{field.alias}</dt>
                        <dd>{field.value}</dd>
                    </div>
                })
                .collect_view()}
            {company.map(|company| view! {
                <div class="cab-fact" data-testid="lead-company">
                    <dt>{move || cabinet.text(Key::Company)}</dt>
                    <dd>{company}</dd>
                </div>
            })}
            {(!manager.trim().is_empty()).then(|| view! {
                <div class="cab-fact" data-testid="lead-manager">
                    <dt>{move || cabinet.text(Key::Manager)}</dt>
                    <dd>{manager}</dd>
                </div>
            })}
        </dl>
    }
}
