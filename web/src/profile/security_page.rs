//! The security page of the profile (`/profile/security`): password, second factor, sessions.

use leptos::prelude::*;

use crate::{
    i18n::{use_locale, Key},
    profile::{
        password::ChangePasswordForm, sessions::SessionsCard, tabs::ProfileHeader,
        two_factor::TwoFactorCard,
    },
};

#[component]
pub fn ProfileSecurityPage() -> impl IntoView {
    let locale = use_locale();
    // A new password or a second factor ends the member's other sessions on the server; the
    // list below follows.
    let sessions_changed = RwSignal::new(0u32);
    let password_changed = Callback::new(move |()| sessions_changed.update(|n| *n += 1));
    view! {
        <div class="page" data-testid="profile-security">
            <ProfileHeader/>
            <section class="card" aria-labelledby="password-title">
                <h2 id="password-title">{locale.text(Key::ChangePassword)}</h2>
                <ChangePasswordForm on_changed=password_changed/>
            </section>
            <TwoFactorCard sessions_changed=sessions_changed/>
            <SessionsCard changed=sessions_changed/>
        </div>
    }
}
