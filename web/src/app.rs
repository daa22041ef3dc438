//! The router and the app-wide contexts (language, session).

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::{
    api::Api,
    auth::{session::Session, sign_in::SignInPage},
    i18n::Locale,
    layout::{not_found::NotFound, replace, shell::Shell},
    profile::page::ProfilePage,
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
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("/profile") view=ProfilePage/>
                    // The start page of a signed-in member is their profile, the only section yet.
                    <Route path=path!("") view=|| view! { <Redirect path="/profile" options=replace()/> }/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
