//! The sign-out button, the same wherever it appears.

use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
    layout::remote::Submission,
};

/// Ends the session on the server; the route guard then shows the sign-in page. A failure
/// (offline) keeps the person signed in and says so, since their session may still be live.
#[component]
pub fn SignOutButton(testid: &'static str, #[prop(optional)] class: &'static str) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let sign_out = Submission::new();
    view! {
        <button
            type="button"
            class=format!("button button-quiet {class}")
            data-testid=testid
            disabled=sign_out.pending()
            on:click=move |_| {
                sign_out.run(
                    async move {
                        let result = session.sign_out().await;
                        if let Err(error) = &result {
                            session.report(error.clone());
                        }
                        result
                    },
                    |()| {},
                );
            }
        >
            {locale.text(Key::SignOut)}
        </button>
    }
}
