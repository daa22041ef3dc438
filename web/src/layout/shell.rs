//! The guard and frame around every signed-in page.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

use crate::{
    auth::{
        pending_step::PendingStepPage,
        session::{use_session, Status},
        sign_out::SignOutButton,
    },
    i18n::{use_locale, Key},
    layout::{
        account_switcher::AccountSwitcher, language_select::LanguageSelect, leave_for,
        loading::Loading, menu::Menu, replace,
    },
};

/// Protects the routes below it: they render only for a signed-in member with nothing pending;
/// others go to the sign-in page, and a member with a pending step (a new password, a second
/// factor) sees only the screen that resolves it, whatever the address.
#[component]
pub fn Shell() -> impl IntoView {
    let session = use_session();
    move || match (session.status(), session.pending_step()) {
        (Status::Restoring, _) => view! { <Loading/> }.into_any(),
        (Status::SignedOut, _) => view! { <Redirect path="/login" options=replace()/> }.into_any(),
        (Status::SignedIn, Some(step)) => view! { <PendingStepPage step=step/> }.into_any(),
        (Status::SignedIn, None) => view! { <Layout/> }.into_any(),
    }
}

/// The CRM workspace's guard: signing in and pending steps are the admin app's screens, so a
/// member who is signed out or has a step to take goes there.
#[component]
pub fn CrmShell() -> impl IntoView {
    let session = use_session();
    move || match (session.status(), session.pending_step()) {
        (Status::SignedIn, None) => view! { <Layout/> }.into_any(),
        (Status::Restoring, _) => view! { <Loading/> }.into_any(),
        (Status::SignedOut, _) => {
            leave_for("/login");
            view! { <Loading/> }.into_any()
        }
        (Status::SignedIn, Some(_)) => {
            leave_for("/profile");
            view! { <Loading/> }.into_any()
        }
    }
}

#[component]
fn Layout() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let member_name = move || {
        session
            .with_me(|me| me.identity.name.clone())
            .unwrap_or_default()
    };
    let notice = move || session.notice().map(|error| error.message(locale.lang()));

    view! {
        <a class="skip-link" href="#content">{locale.text(Key::SkipToContent)}</a>
        <div class="shell">
            <aside class="sidebar">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">"G"</span>
                    <span class="brand-name">"Gatehouse"</span>
                </div>
                <AccountSwitcher/>
                <Menu/>
            </aside>
            <div class="main">
                <header class="topbar">
                    <span class="topbar-member">{member_name}</span>
                    <LanguageSelect id="layout-language" testid="language-select" compact=true/>
                    <SignOutButton testid="sign-out"/>
                </header>
                {move || {
                    notice()
                        .map(|message| {
                            view! {
                                <div class="alert alert-error notice" role="alert" data-testid="notice">
                                    <span>{message}</span>
                                    <button
                                        type="button"
                                        class="button button-quiet button-small"
                                        on:click=move |_| session.dismiss_notice()
                                    >
                                        {locale.text(Key::Dismiss)}
                                    </button>
                                </div>
                            }
                        })
                }}
                <main class="content" id="content" tabindex="-1">
                    <Outlet/>
                </main>
            </div>
        </div>
    }
}
