//! One labelled input with its hint and its error, the same in every form: one compiled piece
//! for all of them, and the same accessible wiring (label, `aria-invalid`, `aria-describedby`).

use leptos::{html, prelude::*};

use crate::i18n::{use_locale, Key};

#[component]
pub fn Field(
    /// The input's id; also its test id unless `testid` says otherwise.
    #[prop(into)]
    id: String,
    label: Key,
    value: RwSignal<String>,
    /// What is wrong with the value, shown under it.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional, into)] testid: Option<String>,
    /// `text` unless given: `email`, `password`, `number`, `date`.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// A translated placeholder, in place of `placeholder`.
    #[prop(optional)]
    prompt: Option<Key>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] hint: Option<Key>,
    /// The label only for screen readers, where a table header already says it.
    #[prop(optional)]
    label_hidden: bool,
    /// Classes of the input, e.g. `code-input`.
    #[prop(optional)]
    input_class: &'static str,
    /// Classes of the field, e.g. `field-short`.
    #[prop(optional)]
    class: &'static str,
    /// Ids of more elements that describe the input (a strength meter).
    #[prop(optional, into)]
    described_by: Option<String>,
    #[prop(optional)] node_ref: NodeRef<html::Input>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// Runs when the value is committed (a date picked, the field left), e.g. to apply a filter.
    #[prop(optional)]
    on_change: Option<Callback<()>>,
    /// Beside the label, e.g. a "Forgot password?" link.
    #[prop(optional)]
    aside: Option<Children>,
    /// Under the error, e.g. a strength meter.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let locale = use_locale();
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [
        hint.map(|_| hint_id.clone()),
        Some(error_id.clone()),
        described_by,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let testid = testid.unwrap_or_else(|| id.clone());
    view! {
        <div class=format!("field {class}") class:field-invalid=invalid>
            <div class="label-row">
                <label for=id.clone() class:sr-only=label_hidden>{locale.text(label)}</label>
                {aside.map(|aside| aside())}
            </div>
            <input
                id=id
                type=kind
                class=input_class
                autocomplete=autocomplete
                inputmode=inputmode
                placeholder=move || prompt.map(|key| locale.t(key)).or(placeholder)
                maxlength=maxlength
                spellcheck="false"
                data-testid=testid
                node_ref=node_ref
                disabled=disabled
                bind:value=value
                on:change=move |_| {
                    if let Some(on_change) = on_change {
                        on_change.run(());
                    }
                }
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=described
            />
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{locale.text(hint)}</p> })}
            <p class="field-error" id=error_id.clone() data-testid=error_id>
                {move || error.get()}
            </p>
            {children.map(|children| children())}
        </div>
    }
}

/// A message in a box, shown while there is one: an error (`role=alert`) or a success
/// (`role=status`).
#[component]
pub fn Alert(
    #[prop(into)] message: Signal<Option<String>>,
    testid: &'static str,
    #[prop(optional)] success: bool,
) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <div
                    class=if success { "alert alert-success" } else { "alert alert-error" }
                    role=if success { "status" } else { "alert" }
                    data-testid=testid
                >
                    {text}
                </div>
            }
        })
    }
}

/// "Saved." beside a form's button, once its save succeeded.
#[component]
pub fn SavedNote(#[prop(into)] when: Signal<bool>, testid: &'static str) -> impl IntoView {
    let locale = use_locale();
    move || {
        when.get().then(|| {
            view! { <span class="saved" role="status" data-testid=testid>{locale.text(Key::Saved)}</span> }
        })
    }
}

/// A labelled `<select>`, the same in every form and filter. Options are `(value, text)`;
/// `on_change` runs after `value` took the choice, e.g. to apply a filter at once.
#[component]
pub fn SelectField(
    /// The select's id; also its test id unless `testid` says otherwise.
    #[prop(into)]
    id: String,
    label: Key,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] testid: Option<String>,
    #[prop(optional)] on_change: Option<Callback<()>>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// Classes of the field, e.g. `field-short`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = error.unwrap_or_else(|| Signal::stored(None));
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let testid = testid.unwrap_or_else(|| id.clone());
    view! {
        <div class=format!("field {class}") class:field-invalid=invalid>
            <label for=id.clone()>{locale.text(label)}</label>
            <select
                id=id
                data-testid=testid
                disabled=disabled
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=format!("{hint_id} {error_id}")
                prop:value=move || value.get()
                on:change=move |event| {
                    value.set(event_target_value(&event));
                    if let Some(on_change) = on_change {
                        on_change.run(());
                    }
                }
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
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{locale.text(hint)}</p> })}
            <p class="field-error" id=error_id.clone() data-testid=error_id.clone()>{move || error.get()}</p>
        </div>
    }
}

/// A labelled checkbox.
#[component]
pub fn Check(
    /// The checkbox's id and test id.
    #[prop(into)]
    id: String,
    checked: RwSignal<bool>,
    label: Key,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let (input_id, testid) = (id.clone(), id.clone());
    view! {
        <label class="choice" for=id>
            <input id=input_id type="checkbox" data-testid=testid disabled=disabled bind:checked=checked/>
            <span>{locale.text(label)}</span>
        </label>
    }
}
