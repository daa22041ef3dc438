//! The two pages of the profile area, side by side under its title.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    auth::sign_out::SignOutButton,
    i18n::{use_locale, Key},
};

/// The title of the profile area with its tabs: personal details and security.
#[component]
pub fn ProfileHeader() -> impl IntoView {
    let locale = use_locale();
    view! {
        <header class="page-header">
            <h1>{locale.text(Key::Profile)}</h1>
            <SignOutButton testid="profile-sign-out" class="button-outline"/>
        </header>
        <nav class="tabs" aria-label=locale.text(Key::Profile)>
            <A href="/profile" exact=true attr:class="tab" attr:data-testid="profile-tab-details">
                {locale.text(Key::PersonalDetails)}
            </A>
            <A href="/profile/security" attr:class="tab" attr:data-testid="profile-tab-security">
                {locale.text(Key::Security)}
            </A>
        </nav>
    }
}
