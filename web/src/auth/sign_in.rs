//! The sign-in page (`/login`, A1).

use gatehouse_domain::people::{Email, Password, PersonError};
use leptos::{ev::SubmitEvent, html, prelude::*};
use leptos_router::components::Redirect;

use crate::{
    api::ApiError,
    auth::session::{use_session, Status},
    i18n::{field_error_text, use_locale, Key},
    layout::{language_select::LanguageSelect, loading::Loading, replace},
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    move || match session.status() {
        // While the refresh cookie is tried, the form would only flash and vanish.
        Status::Restoring => view! { <Loading/> }.into_any(),
        Status::SignedIn => view! { <Redirect path="/profile" options=replace()/> }.into_any(),
        Status::SignedOut => view! { <SignInForm/> }.into_any(),
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Checked here with the same domain rules as the server, so an obvious slip costs no
    // request and no count toward the sign-in lockout (A5).
    let email_rule = RwSignal::new(None::<PersonError>);
    let password_rule = RwSignal::new(None::<PersonError>);
    let password_missing = RwSignal::new(false);

    let sign_in = Action::new_local(move |(email, password): &(String, String)| {
        session.sign_in(email.clone(), password.clone())
    });
    let refused = move || sign_in.value().get().and_then(Result::err);

    let email_input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = email_input.get() {
            let _ = input.focus();
        }
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if sign_in.pending().get_untracked() {
            return;
        }
        let typed_email = email.get_untracked();
        let typed_password = password.get_untracked();
        let email_check = Email::parse(&typed_email).err();
        // Only the length rule: normalising (NFKC) is the server's job, and its Unicode tables
        // would add a fifth to this app's download.
        let password_check =
            (typed_password.len() > Password::MAX_BYTES).then_some(PersonError::PasswordTooLong);
        email_rule.set(email_check);
        password_rule.set(password_check);
        password_missing.set(typed_password.is_empty());
        sign_in.clear();
        if email_check.is_none() && password_check.is_none() && !typed_password.is_empty() {
            sign_in.dispatch((typed_email, typed_password));
        }
    };

    let email_error = move || {
        let lang = locale.lang();
        email_rule
            .get()
            .map(|rule| field_error_text(lang, rule).to_owned())
            .or_else(|| refused().and_then(|error| error.field_message("email", lang)))
    };
    let password_error = move || {
        let lang = locale.lang();
        if password_missing.get() {
            return Some(locale.t(Key::PasswordRequired).to_owned());
        }
        password_rule
            .get()
            .map(|rule| field_error_text(lang, rule).to_owned())
            .or_else(|| refused().and_then(|error| error.field_message("password", lang)))
    };
    let general_error = move || refused().map(|error: ApiError| error.message(locale.lang()));

    view! {
        <div class="auth-page">
            <div class="auth-toolbar">
                <LanguageSelect id="login-language" testid="language-select" compact=true/>
            </div>
            <main class="auth-card" id="content">
                <div class="brand brand-large" aria-hidden="true">
                    <span class="brand-mark">"G"</span>
                    <span class="brand-name">"Gatehouse"</span>
                </div>
                <h1>{move || locale.t(Key::SignInTitle)}</h1>
                <p class="lead">{move || locale.t(Key::SignInLead)}</p>
                {move || {
                    general_error()
                        .map(|message| {
                            view! {
                                <div class="alert alert-error" role="alert" data-testid="login-error">
                                    {message}
                                </div>
                            }
                        })
                }}
                <form class="form" on:submit=on_submit novalidate=true>
                    <div class="field" class:field-invalid=move || email_error().is_some()>
                        <label for="login-email">{move || locale.t(Key::Email)}</label>
                        <input
                            id="login-email"
                            name="email"
                            type="email"
                            autocomplete="username"
                            inputmode="email"
                            spellcheck="false"
                            autofocus=true
                            data-testid="login-email"
                            node_ref=email_input
                            bind:value=email
                            aria-invalid=move || if email_error().is_some() { "true" } else { "false" }
                            aria-describedby="login-email-error"
                        />
                        <p class="field-error" id="login-email-error">
                            {email_error}
                        </p>
                    </div>
                    <div class="field" class:field-invalid=move || password_error().is_some()>
                        <label for="login-password">{move || locale.t(Key::Password)}</label>
                        <input
                            id="login-password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            data-testid="login-password"
                            bind:value=password
                            aria-invalid=move || if password_error().is_some() { "true" } else { "false" }
                            aria-describedby="login-password-error"
                        />
                        <p class="field-error" id="login-password-error">
                            {password_error}
                        </p>
                    </div>
                    <button
                        type="submit"
                        class="button button-primary button-block"
                        data-testid="login-submit"
                        disabled=move || sign_in.pending().get()
                        aria-busy=move || if sign_in.pending().get() { "true" } else { "false" }
                    >
                        {move || {
                            if sign_in.pending().get() { locale.t(Key::SigningIn) } else { locale.t(Key::SignIn) }
                        }}
                    </button>
                </form>
            </main>
        </div>
    }
}
