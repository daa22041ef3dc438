//! Which sections of the left menu a member or a role sees (R6).

use gatehouse_domain::rights::Section;
use leptos::prelude::*;

use crate::i18n::{section_text, use_locale, Key};

/// A checkbox per section, ticked when shown; `hidden` holds the unticked ones.
#[component]
pub fn SectionsPicker(
    hidden: RwSignal<Vec<Section>>,
    /// Prefix of the checkboxes' ids and test ids: `{prefix}-section-leads`.
    prefix: &'static str,
    /// Sections hidden anyway (by the member's role): shown unticked and fixed.
    #[prop(optional, into)]
    also_hidden: Option<Signal<Vec<Section>>>,
) -> impl IntoView {
    let locale = use_locale();
    let by_role = move |section: Section| {
        also_hidden.is_some_and(|sections| sections.with(|s| s.contains(&section)))
    };
    view! {
        <fieldset class="fieldset">
            <legend>{locale.text(Key::MenuSections)}</legend>
            <p class="field-hint">{locale.text(Key::MenuSectionsHint)}</p>
            <div class="checks">
                {Section::ALL
                    .into_iter()
                    .map(|section| {
                        let id = format!("{prefix}-section-{}", section.code());
                        let (input_id, testid) = (id.clone(), id.clone());
                        view! {
                            <label class="choice" for=id>
                                <input
                                    id=input_id
                                    type="checkbox"
                                    data-testid=testid
                                    disabled=move || by_role(section)
                                    prop:checked=move || {
                                        !by_role(section) && hidden.with(|hidden| !hidden.contains(&section))
                                    }
                                    on:change=move |event| {
                                        let shown = event_target_checked(&event);
                                        hidden
                                            .update(|hidden| {
                                                hidden.retain(|s| *s != section);
                                                if !shown {
                                                    hidden.push(section);
                                                    hidden.sort();
                                                }
                                            });
                                    }
                                />
                                <span>{move || section_text(locale.lang(), section)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                also_hidden
                    .filter(|sections| sections.with(|s| !s.is_empty()))
                    .map(|_| view! { <p class="field-hint">{locale.text(Key::HiddenByRole)}</p> })
            }}
        </fieldset>
    }
}
