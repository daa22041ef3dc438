//! The waiting and failed states shown while a page's data loads.

use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::{use_locale, Key},
};

#[component]
pub fn Loading(
    /// Inside a card, rather than in place of the whole page.
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="loading" class:loading-inline=inline role="status" aria-live="polite" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            <span>{locale.text(Key::Loading)}</span>
        </div>
    }
}

/// Data that did not load, with the reason and a way to try again.
#[component]
pub fn LoadFailed(error: ApiError, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="alert alert-error alert-row" role="alert" data-testid="load-failed">
            <span>{move || error.message(locale.lang())}</span>
            <button type="button" class="button button-outline button-small" on:click=move |_| retry.run(())>
                {locale.text(Key::TryAgain)}
            </button>
        </div>
    }
}
