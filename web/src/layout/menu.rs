//! The left menu: one entry per section that exists, the administrators' ones only for them.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
};

#[component]
pub fn Menu() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    view! {
        <nav class="menu" aria-label=locale.text(Key::Sections)>
            <ul>
                <li>
                    <A href="/profile" attr:class="menu-item" attr:data-testid="menu-profile">
                        <svg class="menu-icon" viewBox="0 0 24 24" aria-hidden="true">
                            <circle cx="12" cy="8" r="4"></circle>
                            <path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8"></path>
                        </svg>
                        <span>{locale.text(Key::Profile)}</span>
                    </A>
                </li>
                {move || {
                    session
                        .is_admin()
                        .then(|| {
                            view! {
                    <li>
                        // Exact: the authorization log below has its own entry.
                        <A href="/security" exact=true attr:class="menu-item" attr:data-testid="menu-security">
                            <svg class="menu-icon" viewBox="0 0 24 24" aria-hidden="true">
                                <path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z"></path>
                                <path d="M9 12l2 2 4-4"></path>
                            </svg>
                            <span>{locale.text(Key::Security)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/security/auth-log" attr:class="menu-item" attr:data-testid="menu-auth-log">
                            <svg class="menu-icon" viewBox="0 0 24 24" aria-hidden="true">
                                <path d="M6 3h9l4 4v14H6z"></path>
                                <path d="M9 11h7M9 15h7M9 7h3"></path>
                            </svg>
                            <span>{locale.text(Key::AuthLog)}</span>
                        </A>
                    </li>
                    <li>
                        <A href="/outbox" attr:class="menu-item" attr:data-testid="menu-outbox">
                            <svg class="menu-icon" viewBox="0 0 24 24" aria-hidden="true">
                                <rect x="3" y="5" width="18" height="14" rx="2"></rect>
                                <path d="M3 7l9 6 9-6"></path>
                            </svg>
                            <span>{locale.text(Key::Outbox)}</span>
                        </A>
                    </li>
                            }
                        })
                }}
            </ul>
        </nav>
    }
}
