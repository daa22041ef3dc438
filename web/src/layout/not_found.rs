//! The page for client routes that do not exist.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_locale, Key};

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <main class="auth-page" id="content">
            <div class="auth-card not-found" data-testid="not-found">
                <p class="not-found-code" aria-hidden="true">"404"</p>
                <h1>{move || locale.t(Key::NotFoundTitle)}</h1>
                <p class="lead">{move || locale.t(Key::NotFoundText)}</p>
                <A href="/" attr:class="button button-primary">
                    {move || locale.t(Key::GoHome)}
                </A>
            </div>
        </main>
    }
}
