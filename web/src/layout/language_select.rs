//! The language switcher of the sign-in page, the layout and the profile.

use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key, Lang},
    layout::remote::Submission,
};

/// A `<select>` of the admin app's languages. It switches at once; for a signed-in member it
/// also saves the choice as theirs (`PATCH /me`) and shows when that failed.
#[component]
pub fn LanguageSelect(
    id: &'static str,
    testid: &'static str,
    /// Hides the label from sight (not from screen readers) where a toolbar has no room.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let change = Submission::new();
    let failed = move || change.error().map(|error| error.message(locale.lang()));
    let error_id = format!("{id}-error");

    view! {
        <div class="language-select" class:language-select-compact=compact>
            <label for=id class:sr-only=compact>
                {locale.text(Key::Language)}
            </label>
            <select
                id=id
                data-testid=testid
                aria-describedby=error_id.clone()
                prop:value=move || locale.lang().code()
                on:change=move |event| {
                    if let Some(lang) = Lang::from_code(&event_target_value(&event)) {
                        change.run(session.change_language(lang), |()| {});
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.code() selected=move || locale.lang() == lang>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span class="field-error" id=error_id role="alert">
                {failed}
            </span>
        </div>
    }
}
