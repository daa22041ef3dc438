//! The page for client routes that do not exist.

use leptos::prelude::*;

use crate::i18n::{use_locale, Key};

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <main class="auth-page" id="content">
            <div class="auth-card not-found" data-testid="not-found">
                <p class="not-found-code" aria-hidden="true">"404"</p>
                <h1>{locale.text(Key::NotFoundTitle)}</h1>
                <p class="lead">{locale.text(Key::NotFoundText)}</p>
                // A page load: the start page is the admin app's, whichever bundle is running.
                <a href="/" rel="external" class="button button-primary">
                    {locale.text(Key::GoHome)}
                </a>
            </div>
        </main>
    }
}
