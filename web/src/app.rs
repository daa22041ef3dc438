//! The router and the app-wide contexts (language, session).

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::{
    api::Api,
    auth::{
        password_reset::{ForgotPasswordPage, ResetPasswordPage},
        session::Session,
        sign_in::SignInPage,
    },
    i18n::Locale,
    layout::{not_found::NotFound, replace, shell::Shell},
    mail::outbox::OutboxPage,
    profile::{page::ProfilePage, security_page::ProfileSecurityPage},
    security::{auth_log::AuthLogPage, page::SecurityPage},
};

#[component]
pub fn App() -> impl IntoView {
    let locale = Locale::new();
    provide_context(locale);
    provide_context(Session::start(Api::new(), locale));

    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=SignInPage/>
                // Reachable signed in or not: a mailed link opens wherever the person is.
                <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                <Route path=path!("/reset-password") view=ResetPasswordPage/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("/profile") view=ProfilePage/>
                    <Route path=path!("/profile/security") view=ProfileSecurityPage/>
                    <Route path=path!("/security") view=SecurityPage/>
                    <Route path=path!("/security/auth-log") view=AuthLogPage/>
                    <Route path=path!("/outbox") view=OutboxPage/>
                    // The start page of a signed-in member is their profile.
                    <Route path=path!("") view=|| view! { <Redirect path="/profile" options=replace()/> }/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
