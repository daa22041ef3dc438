//! The labelled inputs of the settings screens of the CRM workspace (SMS, client cabinet):
//! the same wiring as `crate::layout::field` (label, hint, error, `aria-invalid`,
//! `aria-describedby`), with their labels from these screens' own text tables.

use leptos::prelude::*;

use crate::{
    i18n::use_locale,
    sms::texts::{say, Words},
};

/// One labelled text (or number, or address) input with its hint and error.
#[component]
pub fn Input(
    /// The input's id and test id.
    #[prop(into)]
    id: String,
    label: Words,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<Words>,
    /// `text` unless given: `url`, `number`, `tel`.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    /// The label only for screen readers, where the row already says it.
    #[prop(optional)]
    label_hidden: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// Classes of the field, e.g. `field-short`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let (input_id, testid) = (id.clone(), id.clone());
    view! {
        <div class=format!("field {class}") class:field-invalid=invalid>
            <label for=id class:sr-only=label_hidden>{say(locale, label)}</label>
            <input
                id=input_id
                type=kind
                inputmode=inputmode
                autocomplete=autocomplete.unwrap_or("off")
                placeholder=placeholder
                maxlength=maxlength
                spellcheck="false"
                data-testid=testid
                disabled=disabled
                bind:value=value
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=described
            />
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{say(locale, hint)}</p> })}
            <p class="field-error" id=error_id.clone() data-testid=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A labelled `<select>` of `(value, text)` options.
#[component]
pub fn Choice(
    /// The select's id and test id.
    #[prop(into)]
    id: String,
    label: Words,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] hint: Option<Words>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let error = error.unwrap_or_else(|| Signal::stored(None));
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let (select_id, testid) = (id.clone(), id.clone());
    view! {
        <div class=format!("field {class}") class:field-invalid=invalid>
            <label for=id>{say(locale, label)}</label>
            <select
                id=select_id
                data-testid=testid
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=format!("{hint_id} {error_id}")
                prop:value=move || value.get()
                on:change=move |event| value.set(event_target_value(&event))
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            // `prop:value` keeps the choice; this only sets it as options arrive.
                            let selected = value.with_untracked(|value| *value == option);
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{say(locale, hint)}</p> })}
            <p class="field-error" id=error_id.clone() data-testid=error_id.clone()>{move || error.get()}</p>
        </div>
    }
}

/// A labelled checkbox, with a hint under it when given.
#[component]
pub fn Tick(
    /// The checkbox's id and test id.
    #[prop(into)]
    id: String,
    checked: RwSignal<bool>,
    label: Words,
    #[prop(optional)] hint: Option<Words>,
) -> impl IntoView {
    let locale = use_locale();
    let hint_id = format!("{id}-hint");
    let (input_id, testid) = (id.clone(), id.clone());
    view! {
        <div class="tick">
            <label class="choice" for=id>
                <input
                    id=input_id
                    type="checkbox"
                    data-testid=testid
                    aria-describedby=hint.map(|_| hint_id.clone())
                    bind:checked=checked
                />
                <span>{say(locale, label)}</span>
            </label>
            {hint.map(|hint| view! { <p class="field-hint tick-hint" id=hint_id.clone()>{say(locale, hint)}</p> })}
        </div>
    }
}
