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

/// Which of the two web bundles is running (see the crate's documentation). Addresses of the
/// other one are left to the browser: a whole page load, which the server answers with that
/// bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    Admin,
    Crm,
}

impl Bundle {
    /// The bundle whose screen `path` is; the server maps the same first segments
    /// (api/src/http/fallback.rs `BUNDLES`).
    #[must_use]
    pub fn of(path: &str) -> Self {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        if matches!(
            first,
            "crm" | "leads" | "contacts" | "companies" | "tasks" | "settings"
        ) {
            Self::Crm
        } else {
            Self::Admin
        }
    }

    /// Whether `path` is a screen of the running bundle (then the router shows it in place).
    #[must_use]
    pub fn serves(path: &str) -> bool {
        use_context::<Self>().unwrap_or(Self::Admin) == Self::of(path)
    }
}

/// Opens `path` of the other bundle in place of this page (a guard's redirect: "back" does not
/// return to it).
pub fn leave_for(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
}

/// Opens `path` of the other bundle as the next page ("back" returns here).
pub fn open_page(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}

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
