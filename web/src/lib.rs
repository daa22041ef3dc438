//! Gatehouse's web apps: Leptos, rendered in the browser, served by the Gatehouse server. One
//! crate, two bundles, each its own download: the admin app (people and access: profile,
//! users, groups, roles, security, mail) at `/`, and the CRM workspace (the board, lead cards,
//! contacts, companies, tasks) at its own addresses (see [`layout::Bundle`]). A member working
//! deals loads only the CRM, an administrator managing people only the admin app; links
//! between the two are whole page loads, and the session carries over through the refresh
//! cookie. A third bundle, the client cabinet at `/cabinet/{account}`, is for the CRM's
//! clients and shares nothing with the other two but the domain types.

/// The typed client of the Gatehouse API.
mod api;
/// The router and app-wide contexts.
mod app;
/// Signing in and out, second factor, forgotten passwords; the session.
mod auth;
/// The client cabinet: the clients' app, and its settings for administrators.
mod cabinet;
/// The CRM screens: the pipeline board, the lead card, contacts, companies and tasks.
mod crm;
/// Deactivating members with the hand-over of their records.
mod deactivation;
/// Groups of members.
mod groups;
/// Russian and English texts.
mod i18n;
/// The frame around pages: guard, menu, switchers, shared pieces.
mod layout;
/// The mail outbox.
mod mail;
/// The member's own profile and its security.
mod profile;
/// Rights as administrators edit them: the matrix, stage rights, menu sections.
mod rights;
/// Roles: named rights templates.
mod roles;
/// Account security for administrators.
mod security;
/// SMS providers and the SMS log, for the client cabinet.
mod sms;
/// The account's members: the list, adding and editing.
mod users;

/// Starts the admin app (the `gatehouse-web` binary).
pub fn start_admin() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// Starts the CRM workspace (the `gatehouse-crm` binary).
pub fn start_crm() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::CrmApp);
}

/// Starts the client cabinet (the `gatehouse-cabinet` binary).
pub fn start_cabinet() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(cabinet::app::CabinetApp);
}
