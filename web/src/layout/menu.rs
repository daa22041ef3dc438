//! The left menu: one entry per section that exists.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_locale, Key};

#[component]
pub fn Menu() -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="menu" aria-label=move || locale.t(Key::Sections)>
            <ul>
                <li>
                    <A href="/profile" attr:class="menu-item" attr:data-testid="menu-profile">
                        <svg class="menu-icon" viewBox="0 0 24 24" aria-hidden="true">
                            <circle cx="12" cy="8" r="4"></circle>
                            <path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8"></path>
                        </svg>
                        <span>{move || locale.t(Key::Profile)}</span>
                    </A>
                </li>
            </ul>
        </nav>
    }
}
