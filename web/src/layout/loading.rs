//! The waiting state shown while the session or a page's data loads.

use leptos::prelude::*;

use crate::i18n::{use_locale, Key};

#[component]
pub fn Loading() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="loading" role="status" aria-live="polite" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || locale.t(Key::Loading)}</span>
        </div>
    }
}
