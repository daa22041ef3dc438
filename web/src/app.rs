//! The router and the app-wide contexts (language, session).

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::{
    api::Api,
    auth::{
        invitation::InvitationPage,
        password_reset::{ForgotPasswordPage, ResetPasswordPage},
        session::Session,
        sign_in::SignInPage,
    },
    cabinet::settings::CabinetSettingsPage,
    crm::{
        board::BoardPage,
        lead::LeadPage,
        records::{CompaniesPage, ContactsPage, TasksPage},
    },
    deactivation::HandOverPage,
    groups::GroupsPage,
    i18n::Locale,
    layout::{
        not_found::NotFound,
        replace,
        shell::{CrmShell, Shell},
        Bundle,
    },
    mail::outbox::OutboxPage,
    profile::{page::ProfilePage, security_page::ProfileSecurityPage},
    roles::{
        editor::{EditRolePage, NewRolePage},
        RolesPage,
    },
    security::{audit_log::AuditLogPage, auth_log::AuthLogPage, page::SecurityPage},
    sms::page::SmsPage,
    users::{
        editor::{EditUserPage, NewUserPage},
        list::UsersListPage,
    },
};

/// The contexts both bundles share: the language, the session, and which bundle this is.
fn provide_contexts(bundle: Bundle) {
    let locale = Locale::new();
    provide_context(locale);
    provide_context(Session::start(Api::new(), locale));
    provide_context(bundle);
}

/// The admin app: signing in, the profile, and people and access.
#[component]
pub fn App() -> impl IntoView {
    provide_contexts(Bundle::Admin);

    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=SignInPage/>
                // Reachable signed in or not: a mailed link opens wherever the person is.
                <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                <Route path=path!("/reset-password") view=ResetPasswordPage/>
                <Route path=path!("/invitation") view=InvitationPage/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("/profile") view=ProfilePage/>
                    <Route path=path!("/profile/security") view=ProfileSecurityPage/>
                    <Route path=path!("/security") view=SecurityPage/>
                    <Route path=path!("/security/auth-log") view=AuthLogPage/>
                    <Route path=path!("/security/audit-log") view=AuditLogPage/>
                    <Route path=path!("/users") view=UsersListPage/>
                    <Route path=path!("/users/new") view=NewUserPage/>
                    <Route path=path!("/users/:id") view=EditUserPage/>
                    <Route path=path!("/groups") view=GroupsPage/>
                    <Route path=path!("/roles") view=RolesPage/>
                    <Route path=path!("/roles/new") view=NewRolePage/>
                    <Route path=path!("/roles/:id") view=EditRolePage/>
                    <Route path=path!("/outbox") view=OutboxPage/>
                    // The start page of a signed-in member is their profile.
                    <Route path=path!("") view=|| view! { <Redirect path="/profile" options=replace()/> }/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The CRM workspace. Its addresses are the server's to map to this bundle
/// (api/src/http/fallback.rs); signing in and pending steps stay with the admin app.
#[component]
pub fn CrmApp() -> impl IntoView {
    provide_contexts(Bundle::Crm);

    view! {
        <Router>
            <Routes fallback=NotFound>
                <ParentRoute path=path!("") view=CrmShell>
                    <Route path=path!("/leads") view=BoardPage/>
                    <Route path=path!("/leads/:id") view=LeadPage/>
                    <Route path=path!("/contacts") view=ContactsPage/>
                    <Route path=path!("/companies") view=CompaniesPage/>
                    <Route path=path!("/tasks") view=TasksPage/>
                    <Route path=path!("/crm/hand-over") view=HandOverPage/>
                    <Route path=path!("/settings/cabinet") view=CabinetSettingsPage/>
                    <Route path=path!("/settings/sms") view=SmsPage/>
                    <Route path=path!("/settings") view=|| view! { <Redirect path="/settings/cabinet" options=replace()/> }/>
                    <Route path=path!("/crm") view=|| view! { <Redirect path="/leads" options=replace()/> }/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
