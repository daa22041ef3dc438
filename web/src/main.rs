//! Gatehouse's web app: Leptos, rendered in the browser, served by the Gatehouse server at `/`.

/// The typed client of the Gatehouse API.
mod api;
/// The router and app-wide contexts.
mod app;
/// Signing in and out, second factor, forgotten passwords; the session.
mod auth;
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
/// The account's members: the list, adding and editing.
mod users;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
