//! The refusal of a form that is not about one of its fields. Validation failures are not
//! repeated here: their field errors stand beside the fields.

use gatehouse_domain::problem::ErrorCode;
use leptos::prelude::*;

use crate::{api::ApiError, i18n::use_locale, layout::field::Alert};

#[component]
pub fn FormError(
    #[prop(into)] refused: Signal<Option<ApiError>>,
    #[prop(default = "form-error")] testid: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let message = Signal::derive(move || {
        refused
            .get()
            .filter(|error| error.code() != Some(ErrorCode::ValidationFailed))
            .map(|error| error.message(locale.lang()))
    });
    view! { <Alert message=message testid=testid/> }
}
