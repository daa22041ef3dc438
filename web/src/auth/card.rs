//! The frame of the pages outside the app: sign-in, second factor, forgotten password, reset,
//! and the steps a member must take before the app opens.

use leptos::prelude::*;

use crate::layout::language_select::LanguageSelect;

/// The brand and the language switcher above `children`, centred.
#[component]
pub fn AuthCard(
    /// For steps with more to show (a QR code, recovery codes) than a sign-in form.
    #[prop(optional)]
    wide: bool,
    /// Controls for the top right beside the language, e.g. signing out.
    #[prop(optional)]
    toolbar: Option<Children>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="auth-page">
            <div class="auth-toolbar">
                <LanguageSelect id="login-language" testid="language-select" compact=true/>
                {toolbar.map(|toolbar| toolbar())}
            </div>
            <main class="auth-card" class:auth-card-wide=wide id="content">
                <div class="brand brand-large" aria-hidden="true">
                    <span class="brand-mark">"G"</span>
                    <span class="brand-name">"Gatehouse"</span>
                </div>
                {children()}
            </main>
        </div>
    }
}
