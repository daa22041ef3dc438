//! Rights as administrators edit them, for members and roles alike (R1–R3, R6): one matrix
//! with stage rights per pipeline, the menu sections, and the report of what the dependency
//! rules narrowed.

/// The rights matrix with its legend, stage rights per pipeline, and live dependency rules.
pub mod matrix;
/// The menu sections a member or a role sees.
pub mod sections;

use gatehouse_domain::{
    pipelines::Pipeline,
    rights::{Action, Entity, Narrowing, Rights},
};
use leptos::prelude::*;

use crate::i18n::{action_text, entity_text, level_text, narrowing_text, use_locale, Lang};

/// What a narrowing is about, read from its path (`leads.edit`, `tasks.delete`,
/// `stages.12.delete`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightPath {
    Entity(Entity, Action),
    Stage(gatehouse_domain::Id, Action),
}

impl RightPath {
    #[must_use]
    pub fn parse(path: &str) -> Option<Self> {
        let mut parts = path.split('.');
        let first = parts.next()?;
        if first == "stages" {
            let id = parts.next()?.parse().ok()?;
            return Some(Self::Stage(id, action(parts.next()?)?));
        }
        let entity = Entity::ALL.into_iter().find(|e| e.code() == first)?;
        Some(Self::Entity(entity, action(parts.next()?)?))
    }

    /// The action a narrowed right had to stay within: view for edit and export; the
    /// narrower of view and edit for delete (tasks have only edit).
    fn reason(self, rights: &Rights) -> Action {
        let level = |action: Action| match self {
            Self::Entity(entity, _) => rights.level(entity, action),
            Self::Stage(id, _) => rights.stage_level(id, action),
        };
        match self {
            Self::Entity(Entity::Tasks, _) => Action::Edit,
            Self::Entity(_, Action::Delete) | Self::Stage(_, Action::Delete)
                if level(Action::Edit).rank() < level(Action::View).rank() =>
            {
                Action::Edit
            }
            _ => Action::View,
        }
    }
}

fn action(code: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| a.code() == code)
}

/// One narrowing in words: "Edit on leads was narrowed from A to G because of view."
#[must_use]
pub fn describe(
    lang: Lang,
    narrowing: &Narrowing,
    rights: &Rights,
    pipelines: &[Pipeline],
) -> String {
    let value = |code: &str| match code {
        "inherit" => level_text(lang, None),
        code => code.to_owned(),
    };
    let (from, to) = (value(&narrowing.from), value(&narrowing.to));
    let Some(path) = RightPath::parse(&narrowing.right) else {
        return format!("{}: {from} → {to}", narrowing.right);
    };
    let reason = action_text(lang, path.reason(rights));
    let (what, place) = match path {
        RightPath::Entity(entity, action) => (
            action_text(lang, action),
            entity_text(lang, entity).to_owned(),
        ),
        RightPath::Stage(id, action) => {
            let stage = pipelines.iter().find_map(|pipeline| {
                pipeline
                    .stages
                    .iter()
                    .find(|stage| stage.id == id)
                    .map(|stage| format!("«{}» ({})", stage.name, pipeline.name))
            });
            (
                action_text(lang, action),
                stage.unwrap_or_else(|| format!("#{id}")),
            )
        }
    };
    narrowing_text(
        lang,
        matches!(path, RightPath::Stage(..)),
        what,
        &place,
        &from,
        &to,
        reason,
    )
}

/// The narrowings as a list, announced to screen readers; nothing when there are none.
#[component]
pub fn NarrowedList(
    #[prop(into)] narrowed: Signal<Vec<Narrowing>>,
    /// The rights after the narrowing, for the reasons.
    #[prop(into)]
    rights: Signal<Rights>,
    #[prop(into)] pipelines: Signal<Vec<Pipeline>>,
    testid: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ul class="narrowed" role="status" aria-live="polite" data-testid=testid>
            {move || {
                let lang = locale.lang();
                let rights = rights.get();
                pipelines.with(|pipelines| {
                    narrowed
                        .get()
                        .iter()
                        .map(|n| {
                            view! {
                                <li data-right=n.right.clone()>{describe(lang, n, &rights, pipelines)}</li>
                            }
                        })
                        .collect_view()
                })
            }}
        </ul>
    }
}
