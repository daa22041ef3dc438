//! The frame of the app: route guard, menu, account and language switchers, and the pieces
//! every page shares (loading, dialogs, pagination, dates, files).

/// The switch between a person's accounts.
pub mod account_switcher;
/// The guard of administrators' pages.
pub mod admin_only;
/// The modal dialog.
pub mod dialog;
/// Files to save and the clipboard.
pub mod download;
/// One labelled input with its error; a message box.
pub mod field;
/// A form's refusal that is about no one field.
pub mod form_error;
/// Dates and times for people.
pub mod format;
/// The language switcher.
pub mod language_select;
/// The loading and failed states.
pub mod loading;
/// The left menu.
pub mod menu;
/// The page for unknown addresses.
pub mod not_found;
/// Previous and next pages of long lists.
pub mod pagination;
/// API data and writes as signals.
pub mod remote;
/// The guard and frame of signed-in pages.
pub mod shell;

use leptos::{html, prelude::*};
use leptos_router::NavigateOptions;

/// Moves the keyboard focus to `input` once it is on the page, for forms that open with one
/// obvious field.
pub fn focus_when_mounted(input: NodeRef<html::Input>) {
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
}

/// Redirects replace the history entry, so "back" does not bounce between guards.
#[must_use]
pub fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}
