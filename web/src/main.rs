//! Gatehouse's web app: Leptos, rendered in the browser, served by the Gatehouse server at `/`.

/// The typed client of the Gatehouse API.
mod api;
/// The router and app-wide contexts.
mod app;
/// Signing in and out; the session.
mod auth;
/// Russian and English texts.
mod i18n;
/// The frame around pages: guard, menu, switchers.
mod layout;
/// The member's own profile.
mod profile;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
