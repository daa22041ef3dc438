//! The guard of administrators' pages. The API refuses others anyway (403); this only spares
//! them a page of errors.

use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
};

#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    view! {
        <Show
            when=move || session.is_admin()
            fallback=move || {
                view! {
                    <div class="page">
                        <div class="card" data-testid="admins-only">
                            <h1>{locale.text(Key::AdminsOnlyTitle)}</h1>
                            <p class="muted">{locale.text(Key::AdminsOnlyText)}</p>
                        </div>
                    </div>
                }
            }
        >
            {children()}
        </Show>
    }
}
