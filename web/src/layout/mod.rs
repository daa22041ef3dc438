//! The frame of the app: route guard, menu, account and language switchers, shared states.

/// The switch between a person's accounts.
pub mod account_switcher;
/// The language switcher.
pub mod language_select;
/// The loading state.
pub mod loading;
/// The left menu.
pub mod menu;
/// The page for unknown addresses.
pub mod not_found;
/// The guard and frame of signed-in pages.
pub mod shell;

use leptos_router::NavigateOptions;

/// Redirects replace the history entry, so "back" does not bounce between guards.
#[must_use]
pub fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}
