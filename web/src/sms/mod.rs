//! SMS for administrators (K2), in the CRM workspace beside the client cabinet it serves: the
//! providers (the outbox, HTTP gateways), a test message through one, and the log of what was
//! sent or is held — where, on a fresh install, the cabinet's sign-in codes are read.

/// The labelled inputs these settings screens share.
pub mod form;
/// The SMS log (the outbox and what gateways were given).
mod log;
/// The SMS screen (`/settings/sms`): providers and a test message.
pub mod page;
/// The SMS screen's texts.
pub mod texts;

use gatehouse_domain::problem::FieldError;
use leptos::prelude::*;

use crate::{
    api::ApiError,
    i18n::{Lang, Locale},
};

/// What is wrong with a form's fields: found in the browser by the domain's rules before
/// sending, or named by the server's refusal. Local problems are shown first: the form was not
/// sent with them.
#[derive(Clone, Copy)]
pub struct Problems {
    pub local: RwSignal<Vec<FieldError>>,
    pub refused: Signal<Option<ApiError>>,
}

impl Problems {
    #[must_use]
    pub fn new(refused: Signal<Option<ApiError>>) -> Self {
        Self {
            local: RwSignal::new(Vec::new()),
            refused,
        }
    }

    /// The code and server message of the first problem of `field` (tracked).
    #[must_use]
    pub fn of(&self, field: &str) -> Option<(String, String)> {
        let local = self.local.with(|found| {
            found
                .iter()
                .find(|problem| problem.field == field)
                .map(|problem| (problem.code.clone(), problem.message.clone()))
        });
        local.or_else(|| {
            self.refused.with(|refused| {
                refused.as_ref().and_then(|error| {
                    error
                        .field_errors(field)
                        .first()
                        .map(|problem| (problem.code.clone(), problem.message.clone()))
                })
            })
        })
    }

    /// The problem of `field` in words, by `text`, in the current language (tracked).
    #[must_use]
    pub fn text(
        self,
        locale: Locale,
        field: impl Into<String>,
        text: fn(Lang, &str, &str) -> String,
    ) -> Signal<Option<String>> {
        let field = field.into();
        Signal::derive(move || {
            self.of(&field)
                .map(|(code, message)| text(locale.lang(), &code, &message))
        })
    }

    /// Whether any problem is known (tracked).
    #[must_use]
    pub fn any(&self) -> bool {
        self.local.with(|found| !found.is_empty())
            || self.refused.with(|refused| {
                refused.as_ref().is_some_and(|error| match error {
                    ApiError::Problem { problem, .. } => !problem.errors.is_empty(),
                    ApiError::Network | ApiError::Unexpected { .. } => false,
                })
            })
    }
}
