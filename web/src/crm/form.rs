//! The one form that adds and changes records — leads on the board, contacts, companies and
//! tasks in their lists — in a dialog, driven by a list of inputs.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    crm::Directory,
    i18n::{use_locale, Key},
    layout::{
        dialog::Dialog,
        field::{Field, SelectField},
        form_error::FormError,
        remote::Submission,
    },
};

/// What an input holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    Text,
    /// Texts apart by commas (phones, e-mails).
    List,
    /// A day, picked from a calendar.
    Day,
    /// A whole number.
    Number,
}

/// One input of a record form.
pub struct Input {
    pub label: Key,
    /// The request body's field: the server's errors on it show under the input.
    pub field: &'static str,
    pub typed: Typed,
}

/// The form in a dialog: `values` hold one text per input, `responsible` the member chosen
/// among those who may be responsible; `on_submit` sends them through `saving`.
#[component]
pub fn RecordForm(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<Key>,
    inputs: &'static [Input],
    values: StoredValue<Vec<RwSignal<String>>>,
    responsible: RwSignal<String>,
    directory: Directory,
    saving: Submission,
    on_submit: Callback<()>,
    testid: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        on_submit.run(());
    };
    let refused = Signal::derive(move || saving.error());
    let receivers = Signal::derive(move || directory.receivers(&[]));
    view! {
        <Dialog open=open labelledby="record-form-title" testid=testid>
            <form class="form" on:submit=submit novalidate=true>
                <h2 id="record-form-title">{move || locale.t(title.get())}</h2>
                {inputs
                    .iter()
                    .zip(values.get_value())
                    .map(|(input, value)| {
                        let field = input.field;
                        view! {
                            <Field
                                id=format!("{testid}-{field}")
                                label=input.label
                                kind=match input.typed {
                                    Typed::Day => "date",
                                    Typed::Number => "number",
                                    Typed::Text | Typed::List => "text",
                                }
                                value=value
                                error=Signal::derive(move || refused.get().and_then(|e| e.field_message(field, locale.lang())))
                            />
                        }
                    })
                    .collect_view()}
                <SelectField
                    id=format!("{testid}-responsible")
                    label=Key::Responsible
                    value=responsible
                    options=receivers
                    error=Signal::derive(move || refused.get().and_then(|e| e.field_message("responsible_id", locale.lang())))
                />
                <FormError refused=refused testid="record-form-error"/>
                <div class="dialog-actions">
                    <button type="submit" class="button button-primary" data-testid=format!("{testid}-save") disabled=saving.pending()>
                        {locale.text_when(saving.pending(), Key::Saving, Key::Save)}
                    </button>
                    <button type="button" class="button button-outline" on:click=move |_| open.set(false)>
                        {locale.text(Key::Cancel)}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
