//! The pipeline board (`/leads`): a column per stage of the chosen pipeline with the leads the
//! member may view (the API filters them), each column counted and summed; a lead moves to
//! another stage by dragging its card or, from the keyboard, by its stage picker.

use futures::FutureExt;
use gatehouse_domain::{
    crm::{LeadPatch, LeadSummary, StageTotal},
    pipelines::{Pipeline, Stage},
    rights::{Action, Entity},
    Id,
};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    api::crm::RecordFilter,
    auth::session::{use_session, Session},
    crm::{
        amount,
        form::{Input, RecordForm, Typed},
        may_add, refusal, Directory, More, Slices,
    },
    i18n::{leads_count, use_locale, Key},
    layout::{
        field::{Alert, SelectField},
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
    users::load_pipelines,
};

const NEW_LEAD: &[Input] = &[
    Input {
        label: Key::Name,
        field: "name",
        typed: Typed::Text,
    },
    Input {
        label: Key::Price,
        field: "price",
        typed: Typed::Number,
    },
];

/// Cards a column shows at first and adds with "show more".
const COLUMN_SLICE: u64 = 20;

/// What the columns and cards of one board share.
#[derive(Clone, Copy)]
struct Board {
    session: Session,
    directory: Directory,
    /// Changes when a lead moved or was added: the columns and their totals read again.
    version: RwSignal<u32>,
    /// The lead being dragged.
    dragged: RwSignal<Option<Id>>,
    moving: Submission,
    totals: Remote<Vec<StageTotal>>,
}

impl Board {
    fn move_lead(self, id: Id, stage_id: Id) {
        let session = self.session;
        let api = session.api();
        let patch = LeadPatch {
            stage_id: Some(stage_id),
            ..LeadPatch::default()
        };
        let request = async move { session.call(api.update_lead(id, &patch)).await };
        self.moving.run(request, move |_| {
            self.version.update(|v| *v = v.wrapping_add(1));
        });
    }
}

/// The pipeline a board opens with: the default one, or the first the member sees.
fn first_of(pipelines: &[Pipeline]) -> Option<&Pipeline> {
    pipelines
        .iter()
        .find(|p| p.is_default)
        .or_else(|| pipelines.first())
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let pipelines = load_pipelines();
    // Empty: the default pipeline (or the first the member sees).
    let chosen = RwSignal::new(String::new());
    let pipeline = Memo::new(move |_| {
        let chosen: Option<Id> = chosen.get().parse().ok();
        pipelines.with(|list| {
            let list = list.and_then(|l| l.as_ref().ok())?;
            list.iter()
                .find(|p| Some(p.id) == chosen)
                .or_else(|| first_of(list))
                .cloned()
        })
    });
    let version = RwSignal::new(0u32);
    let totals = Remote::new(move || {
        version.track();
        let id = pipeline.with(|p| p.as_ref().map(|p| p.id));
        async move {
            match id {
                Some(id) => session.call(api.lead_totals(id)).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let board = Board {
        session,
        directory: Directory::load(),
        version,
        dragged: RwSignal::new(None),
        moving: Submission::new(),
        totals,
    };
    let choices = Signal::derive(move || {
        pipelines.with(|list| {
            list.and_then(|l| l.as_ref().ok())
                .map(|l| {
                    let first = first_of(l).map(|p| p.id);
                    l.iter()
                        .map(|p| {
                            let value = if Some(p.id) == first {
                                String::new()
                            } else {
                                p.id.to_string()
                            };
                            (value, p.name.clone())
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let several = move || choices.with(|c: &Vec<(String, String)>| c.len() > 1);

    // A new lead starts in the first stage of the pipeline on screen.
    let open = RwSignal::new(false);
    let values = StoredValue::new(vec![
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    ]);
    let owner = RwSignal::new(String::new());
    let adding = Submission::new();
    let start = move |_| {
        adding.clear();
        for value in values.get_value() {
            value.set(String::new());
        }
        owner.set(
            session
                .with_me(|me| me.membership.id.to_string())
                .unwrap_or_default(),
        );
        open.set(true);
    };
    let add = Callback::new(move |()| {
        let [name, price] = [0, 1].map(|i| values.with_value(|v| v[i].get_untracked()));
        let price = match price.trim() {
            "" => Ok(0),
            typed => typed
                .parse::<i64>()
                .map_err(|_| refusal("price", "not_a_number")),
        };
        let stage_id =
            pipeline.with_untracked(|p| p.as_ref().and_then(|p| p.stages.first()).map(|s| s.id));
        let mut lead = serde_json::json!({ "name": name, "stage_id": stage_id });
        if let Ok(owner) = owner.get_untracked().parse::<Id>() {
            lead["responsible_id"] = owner.into();
        }
        let request = async move {
            lead["price"] = price?.into();
            session
                .call(api.save_record(Entity::Leads, None, &lead))
                .await
        };
        adding.run(request, move |()| {
            open.set(false);
            version.update(|v| *v = v.wrapping_add(1));
        });
    });

    view! {
        <div class="page page-board" data-testid="board">
            <header class="page-header">
                <h1>{locale.text(Key::Leads)}</h1>
                <div class="page-header-aside">
                    {move || several().then(|| view! {
                        <SelectField id="board-pipeline" label=Key::Pipeline value=chosen options=choices class="field-inline"/>
                    })}
                    {move || may_add(Entity::Leads).then(|| view! {
                        <button type="button" class="button button-primary" data-testid="board-add" on:click=start>
                            {locale.text(Key::NewLead)}
                        </button>
                    })}
                </div>
            </header>
            <Alert message=Signal::derive(move || board.moving.error().map(|e| e.message(locale.lang()))) testid="board-error"/>
            {move || match (pipelines.get(), pipeline.get()) {
                (None, _) => view! { <Loading inline=true/> }.into_any(),
                (Some(Err(error)), _) => view! { <LoadFailed error=error retry=move |()| pipelines.refetch()/> }.into_any(),
                (Some(Ok(_)), None) => view! { <p class="muted">{locale.text(Key::NothingFound)}</p> }.into_any(),
                (Some(Ok(_)), Some(pipeline)) => view! { <Columns pipeline=pipeline board=board/> }.into_any(),
            }}
        </div>
        <RecordForm
            open=open
            title=Key::NewLead
            inputs=NEW_LEAD
            values=values
            responsible=owner
            directory=board.directory
            saving=adding
            on_submit=add
            testid="lead-form"
        />
    }
}

#[component]
fn Columns(pipeline: Pipeline, board: Board) -> impl IntoView {
    let stages = StoredValue::new(
        pipeline
            .stages
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect::<Vec<_>>(),
    );
    view! {
        <div class="board" data-testid="board-columns">
            {pipeline
                .stages
                .into_iter()
                .map(|stage| view! { <Column stage=stage stages=stages board=board/> })
                .collect_view()}
        </div>
    }
}

#[component]
fn Column(stage: Stage, stages: StoredValue<Vec<(String, String)>>, board: Board) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let id = stage.id;
    let leads = Slices::new(move |after| {
        board.version.track();
        let filter = RecordFilter {
            stage_id: Some(id),
            limit: Some(COLUMN_SLICE),
            ..RecordFilter::default()
        };
        async move {
            session
                .call(api.record_slice::<LeadSummary>(Entity::Leads, &filter, after))
                .await
        }
        .boxed_local()
    });
    let total = move || {
        board.totals.with(|totals| {
            totals
                .and_then(|t| t.as_ref().ok())
                .and_then(|t| t.iter().find(|t| t.stage_id == id).copied())
                .unwrap_or(StageTotal {
                    stage_id: id,
                    leads: 0,
                    price: 0,
                })
        })
    };
    let heading = format!("stage-{id}");
    let labelled = heading.clone();
    let Stage { name, kind, .. } = stage;
    let shown = name.clone();
    view! {
        <section
            class=format!("column column-{kind}")
            aria-labelledby=labelled
            data-testid="stage"
            data-stage=name
            on:dragover=|event| event.prevent_default()
            on:drop=move |event| {
                event.prevent_default();
                if let Some(lead) = board.dragged.get_untracked() {
                    board.dragged.set(None);
                    board.move_lead(lead, id);
                }
            }
        >
            <header class="column-header">
                <h2 id=heading>{shown}</h2>
                <span class="muted small" data-testid="stage-total">
                    {move || {
                        let total = total();
                        format!("{} · {}", leads_count(locale.lang(), total.leads), amount(total.price))
                    }}
                </span>
            </header>
            {move || match (leads.loaded(), leads.failed()) {
                (_, Some(error)) => view! { <LoadFailed error=error retry=move |()| leads.reload()/> }.into_any(),
                (false, None) => view! { <Loading inline=true/> }.into_any(),
                (true, None) => leads
                    .items()
                    .into_iter()
                    .map(|lead| view! { <LeadCard lead=lead stages=stages board=board/> })
                    .collect_view()
                    .into_any(),
            }}
            <More shown=leads.has_more() on_more=Callback::new(move |()| leads.more()) testid="stage-more"/>
        </section>
    }
}

#[component]
fn LeadCard(
    lead: LeadSummary,
    stages: StoredValue<Vec<(String, String)>>,
    board: Board,
) -> impl IntoView {
    let locale = use_locale();
    let LeadSummary {
        id,
        name,
        price,
        stage_id,
        responsible_id,
        ..
    } = lead;
    let may_edit = move || {
        board
            .directory
            .allows(Action::Edit, Entity::Leads, responsible_id, Some(stage_id))
    };
    let current = stage_id.to_string();
    view! {
        <article
            class="lead-card"
            data-testid="lead-card"
            data-id=id
            draggable=move || if may_edit() { "true" } else { "false" }
            on:dragstart=move |_| board.dragged.set(Some(id))
        >
            <A href=format!("/leads/{id}") attr:class="lead-card-name" attr:data-testid="lead-link">{name}</A>
            <span class="lead-card-price">{amount(price)}</span>
            <span class="muted small" data-testid="lead-responsible">{move || board.directory.name(responsible_id)}</span>
            {move || may_edit().then(|| {
                let current = current.clone();
                view! {
                    <select
                        class="lead-card-stage"
                        data-testid="lead-stage"
                        aria-label=locale.text(Key::MoveToStage)
                        on:change=move |event| {
                            if let Ok(stage) = event_target_value(&event).parse() {
                                board.move_lead(id, stage);
                            }
                        }
                    >
                        {stages.get_value().into_iter().map(|(value, text)| {
                            let selected = value == current;
                            view! { <option value=value selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                }
            })}
        </article>
    }
}
