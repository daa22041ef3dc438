//! The sign-out button, the same wherever it appears.

use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
};

/// Ends the session on the server; the route guard then shows the sign-in page. A failure
/// (offline) keeps the person signed in and says so, since their session may still be live.
#[component]
pub fn SignOutButton(testid: &'static str, #[prop(optional)] class: &'static str) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let sign_out = Action::new_local(move |(): &()| session.sign_out());
    Effect::new(move |_| {
        if let Some(Err(error)) = sign_out.value().get() {
            session.report(error);
        }
    });
    view! {
        <button
            type="button"
            class=format!("button button-quiet {class}")
            data-testid=testid
            disabled=move || sign_out.pending().get()
            on:click=move |_| {
                sign_out.dispatch(());
            }
        >
            {move || locale.t(Key::SignOut)}
        </button>
    }
}
