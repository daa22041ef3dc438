//! The rights matrix (R1–R3), the one editor of rights for members and roles: a level per
//! entity and action, the dependency rules applied as the administrator clicks (the domain's
//! `Rights::normalise`, the very rule the server applies), and below it the stage rights of
//! every pipeline with "hide this pipeline" in one act.

use std::time::Duration;

use gatehouse_domain::{
    pipelines::Pipeline,
    rights::{Action, Entity, Grant, Level, Narrowing, Rights},
    text::capitalised,
    Id,
};
use leptos::prelude::*;

use crate::{
    i18n::{action_text, entity_text, level_text, use_locale, Key},
    rights::{NarrowedList, RightPath},
};

/// How long what the rules narrowed stays pointed out.
const NARROWED_SHOWN: Duration = Duration::from_secs(8);

/// The rights being edited and what the last click narrowed.
#[derive(Clone, Copy)]
struct Editing {
    rights: RwSignal<Rights>,
    narrowed: RwSignal<Vec<Narrowing>>,
    // Only the latest click's narrowings are cleared by its timer.
    clicks: StoredValue<u32>,
    locked: bool,
}

impl Editing {
    /// Changes the rights, then brings them within their dependencies and points out what that
    /// narrowed.
    fn apply(self, edit: &dyn Fn(&mut Rights)) {
        let mut found = Vec::new();
        self.rights.update(|rights| {
            edit(rights);
            found = rights.normalise();
        });
        let click = self.clicks.get_value().wrapping_add(1);
        self.clicks.set_value(click);
        let any = !found.is_empty();
        self.narrowed.set(found);
        if any {
            set_timeout(
                move || {
                    if self.clicks.try_get_value() == Some(click) {
                        self.narrowed.try_set(Vec::new());
                    }
                },
                NARROWED_SHOWN,
            );
        }
    }

    /// Whether the last click narrowed this right (tracked).
    fn was_narrowed(self, path: RightPath) -> bool {
        self.narrowed.with(|narrowed| {
            narrowed
                .iter()
                .any(|n| RightPath::parse(&n.right) == Some(path))
        })
    }
}

#[component]
pub fn RightsMatrix(
    rights: RwSignal<Rights>,
    #[prop(into)] pipelines: Signal<Vec<Pipeline>>,
    /// Prefix of the cells' ids and test ids: `{prefix}-leads-edit`.
    prefix: &'static str,
    /// Shown, not edited: the rights of a member's role.
    #[prop(optional)]
    locked: bool,
) -> impl IntoView {
    let locale = use_locale();
    let editing = Editing {
        rights,
        narrowed: RwSignal::new(Vec::new()),
        clicks: StoredValue::new(0),
        locked,
    };
    view! {
        <div class="rights" data-testid=format!("{prefix}-matrix")>
            <div class="table-wrap">
                <table class="table rights-table">
                    <caption class="sr-only">{locale.text(Key::EntityRights)}</caption>
                    <thead>
                        <tr>
                            <td></td>
                            {Action::ALL
                                .into_iter()
                                .map(|action| view! { <th scope="col">{move || action_text(locale.lang(), action)}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {Entity::ALL
                            .into_iter()
                            .map(|entity| {
                                view! {
                                    <tr>
                                        <th scope="row">{move || capitalised(entity_text(locale.lang(), entity))}</th>
                                        {Action::ALL
                                            .into_iter()
                                            .map(|action| entity_cell(editing, prefix, entity, action))
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="legend" id=format!("{prefix}-legend")>
                {[Level::A, Level::G, Level::M, Level::D]
                    .into_iter()
                    .map(|level| {
                        view! {
                            <span class="legend-item">
                                <span class=format!("level-code level-{}", level.code())>{level.code()}</span>
                                {move || level_text(locale.lang(), Some(level))}
                            </span>
                        }
                    })
                    .collect_view()}
            </p>
            <NarrowedList
                narrowed=editing.narrowed
                rights=rights
                pipelines=pipelines
                testid=if locked { "rights-narrowed-locked" } else { "rights-narrowed" }
            />
            <h3 class="subheading">{locale.text(Key::StageRights)}</h3>
            <p class="field-hint">{locale.text(Key::StageRightsHint)}</p>
            {move || {
                pipelines
                    .get()
                    .into_iter()
                    .map(|pipeline| view! { <PipelineRights pipeline=pipeline editing=editing prefix=prefix/> })
                    .collect_view()
            }}
        </div>
    }
}

/// The levels an entity right can take: `add` only all or nothing (R1).
const fn choices(action: Action) -> &'static [Level] {
    match action {
        Action::Add => &[Level::A, Level::D],
        _ => &Level::ALL,
    }
}

fn entity_cell(editing: Editing, prefix: &'static str, entity: Entity, action: Action) -> AnyView {
    let settable = entity != Entity::Tasks || matches!(action, Action::Edit | Action::Delete);
    if !settable {
        return view! { <td class="cell-none" aria-hidden="true">"—"</td> }.into_any();
    }
    let locale = use_locale();
    let current = move || editing.rights.with(|rights| rights.level(entity, action));
    let id = format!("{prefix}-{}-{}", entity.code(), action.code());
    view! {
        <td class:cell-narrowed=move || editing.was_narrowed(RightPath::Entity(entity, action))>
            <select
                id=id.clone()
                data-testid=id
                class=move || format!("level level-{}", current().code())
                disabled=editing.locked
                aria-label=move || {
                    let lang = locale.lang();
                    format!("{}: {}", capitalised(entity_text(lang, entity)), action_text(lang, action))
                }
                aria-describedby=format!("{prefix}-legend")
                prop:value=move || current().code()
                on:change=move |event| {
                    let Some(level) = parse_level(&event_target_value(&event)) else { return };
                    editing.apply(&|rights| set_level(rights, entity, action, level));
                }
            >
                {choices(action)
                    .iter()
                    .map(|level| {
                        let level = *level;
                        view! {
                            <option value=level.code() selected=move || current() == level>
                                {level.code()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </td>
    }
    .into_any()
}

fn parse_level(code: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|level| level.code() == code)
}

fn set_level(rights: &mut Rights, entity: Entity, action: Action, level: Level) {
    let grant = if level == Level::A {
        Grant::A
    } else {
        Grant::D
    };
    let target = match entity {
        Entity::Leads => &mut rights.leads,
        Entity::Contacts => &mut rights.contacts,
        Entity::Companies => &mut rights.companies,
        Entity::Tasks => {
            match action {
                Action::Edit => rights.tasks.edit = level,
                Action::Delete => rights.tasks.delete = level,
                _ => {}
            }
            return;
        }
    };
    match action {
        Action::View => target.view = level,
        Action::Add => target.add = grant,
        Action::Edit => target.edit = level,
        Action::Delete => target.delete = level,
        Action::Export => target.export = level,
    }
}

/// The stage rights of one pipeline (R3): per stage and action "as leads", A or D; and the
/// whole pipeline hidden or shown again in one act.
#[component]
fn PipelineRights(pipeline: Pipeline, editing: Editing, prefix: &'static str) -> impl IntoView {
    let locale = use_locale();
    let stage_ids: Vec<Id> = pipeline.stages.iter().map(|stage| stage.id).collect();
    let ids = StoredValue::new(stage_ids);
    let hidden = move || {
        editing.rights.with(|rights| {
            ids.with_value(|ids| {
                !ids.is_empty()
                    && ids.iter().all(|id| {
                        rights.stages.get(id)
                            == Some(&gatehouse_domain::rights::StageRights::HIDDEN)
                    })
            })
        })
    };
    let customised = move || {
        editing.rights.with(|rights| {
            ids.with_value(|ids| ids.iter().any(|id| rights.stages.contains_key(id)))
        })
    };
    let open = customised();
    let pipeline_id = pipeline.id;
    let heading_id = format!("{prefix}-pipeline-{pipeline_id}");
    let labelled_by = heading_id.clone();
    view! {
        <section
            class="pipeline-rights"
            aria-labelledby=labelled_by
            data-testid="pipeline-rights"
            data-pipeline=pipeline_id
            data-hidden=move || hidden().to_string()
        >
            <div class="pipeline-header">
                <h4 id=heading_id>{pipeline.name.clone()}</h4>
                <span class="badge" class:badge-muted=hidden class:badge-accent=move || customised() && !hidden()>
                    {move || {
                        locale
                            .t(
                                if hidden() {
                                    Key::PipelineHidden
                                } else if customised() {
                                    Key::PipelineCustomised
                                } else {
                                    Key::PipelineAsLeads
                                },
                            )
                    }}
                </span>
                {(!editing.locked)
                    .then(|| {
                        view! {
                            <div class="inline-actions">
                                <button
                                    type="button"
                                    class="button button-outline button-small"
                                    data-testid=format!("{prefix}-pipeline-hide")
                                    disabled=hidden
                                    on:click=move |_| {
                                        ids.with_value(|ids| editing.apply(&|rights| rights.hide_stages(ids.iter().copied())));
                                    }
                                >
                                    {locale.text(Key::HidePipeline)}
                                </button>
                                <button
                                    type="button"
                                    class="button button-quiet button-small"
                                    data-testid=format!("{prefix}-pipeline-show")
                                    disabled=move || !customised()
                                    on:click=move |_| {
                                        ids.with_value(|ids| {
                                            editing.apply(&|rights| rights.stages.retain(|id, _| !ids.contains(id)));
                                        });
                                    }
                                >
                                    {move || locale.t(if hidden() { Key::ShowPipeline } else { Key::FollowLeadRights })}
                                </button>
                            </div>
                        }
                    })}
            </div>
            <details class="stage-details" open=open>
                <summary>{locale.text(Key::StageRightsOpen)}</summary>
                <div class="table-wrap">
                    <table class="table rights-table stage-table">
                        <thead>
                            <tr>
                                <th scope="col">{locale.text(Key::Stage)}</th>
                                {STAGE_ACTIONS
                                    .into_iter()
                                    .map(|action| view! { <th scope="col">{move || action_text(locale.lang(), action)}</th> })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {pipeline
                                .stages
                                .into_iter()
                                .map(|stage| {
                                    let name = StoredValue::new(stage.name.clone());
                                    view! {
                                        <tr data-testid="stage-row" data-stage=stage.id>
                                            <th scope="row">{stage.name}</th>
                                            {STAGE_ACTIONS
                                                .into_iter()
                                                .map(|action| stage_cell(editing, prefix, stage.id, name, action))
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

/// The actions a stage right can set (`add` is never one).
const STAGE_ACTIONS: [Action; 4] = [Action::View, Action::Edit, Action::Delete, Action::Export];

fn stage_cell(
    editing: Editing,
    prefix: &'static str,
    stage: Id,
    name: StoredValue<String>,
    action: Action,
) -> impl IntoView {
    let locale = use_locale();
    let own = move || {
        editing
            .rights
            .with(|rights| rights.stages.get(&stage).and_then(|s| s.get(action)))
    };
    let code = move || own().map_or("", |grant| grant.level().code());
    let id = format!("{prefix}-stage-{stage}-{}", action.code());
    view! {
        <td class:cell-narrowed=move || editing.was_narrowed(RightPath::Stage(stage, action))>
            <select
                id=id.clone()
                data-testid=id
                class=move || match own() {
                    Some(grant) => format!("level level-{}", grant.level().code()),
                    None => "level level-inherit".to_owned(),
                }
                disabled=editing.locked
                aria-label=move || format!("{}: {}", name.get_value(), action_text(locale.lang(), action))
                prop:value=code
                on:change=move |event| {
                    let grant = match event_target_value(&event).as_str() {
                        "A" => Some(Grant::A),
                        "D" => Some(Grant::D),
                        _ => None,
                    };
                    editing.apply(&|rights| rights.stages.entry(stage).or_default().set(action, grant));
                }
            >
                <option value="" selected=move || own().is_none()>
                    {move || {
                        let leads = editing.rights.with(|rights| rights.leads.level(action));
                        format!("{} ({})", level_text(locale.lang(), None), leads.code())
                    }}
                </option>
                {[Grant::A, Grant::D]
                    .into_iter()
                    .map(|grant| {
                        view! {
                            <option value=grant.level().code() selected=move || own() == Some(grant)>
                                {grant.level().code()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </td>
    }
}
