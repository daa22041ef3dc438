//! A forgotten password (P4): asking for a link (`/forgot-password`) and setting a new password
//! with it (`/reset-password#token=…`).

use gatehouse_domain::{
    auth::{CompletePasswordReset, RESET_FRAGMENT_KEY},
    people::{Email, PersonError},
    problem::ErrorCode,
    security::PasswordPolicy,
};
use leptos::{ev::SubmitEvent, html, prelude::*};
use leptos_router::{components::A, hooks::use_navigate};
use web_sys::js_sys;

use crate::{
    auth::{
        card::AuthCard,
        session::{use_session, PasswordOwner},
    },
    i18n::{field_error_text, use_locale, Key},
    layout::{
        field::{Alert, Field},
        focus_when_mounted,
        remote::Submission,
        replace,
    },
    security::new_password::{NewPassword, NewPasswordFields},
};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let email = RwSignal::new(String::new());
    let rule = RwSignal::new(None::<PersonError>);
    let api = session.api();
    let request = Submission::new();
    let sent = move || request.succeeded();
    let refused = move || request.error();

    let input = NodeRef::<html::Input>::new();
    focus_when_mounted(input);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if request.pending().get_untracked() {
            return;
        }
        match Email::parse(&email.get_untracked()) {
            Ok(parsed) => {
                rule.set(None);
                request.run(
                    api.request_password_reset(parsed.as_str().to_owned()),
                    |()| {},
                );
            }
            Err(broken) => rule.set(Some(broken)),
        }
    };
    let email_error = move || {
        let lang = locale.lang();
        rule.get()
            .map(|rule| field_error_text(lang, rule).to_owned())
            .or_else(|| refused().and_then(|error| error.field_message("email", lang)))
    };
    let general_error = move || {
        refused()
            .filter(|error| error.code() != Some(ErrorCode::ValidationFailed))
            .map(|error| error.message(locale.lang()))
    };

    view! {
        <AuthCard>
            <h1>{locale.text(Key::ForgotPasswordTitle)}</h1>
            <Show
                when=sent
                fallback=move || {
                    view! {
                        <p class="lead">{locale.text(Key::ForgotPasswordLead)}</p>
                        <Alert message=Signal::derive(general_error) testid="forgot-error"/>
                        <form class="form" on:submit=on_submit novalidate=true>
                            <Field
                                id="forgot-email"
                                label=Key::Email
                                kind="email"
                                autocomplete="username"
                                inputmode="email"
                                value=email
                                error=Signal::derive(email_error)
                                node_ref=input
                            />
                            <button
                                type="submit"
                                class="button button-primary button-block"
                                data-testid="forgot-submit"
                                disabled=request.pending()
                            >
                                {locale.text(Key::SendResetLink)}
                            </button>
                        </form>
                    }
                }
            >
                // The same words whether the e-mail is known or not (A7).
                <div class="alert alert-success" role="status" data-testid="forgot-sent">
                    {locale.text(Key::ResetLinkSent)}
                </div>
            </Show>
            <A href="/login" attr:class="link-center" attr:data-testid="back-to-sign-in">
                {locale.text(Key::BackToSignIn)}
            </A>
        </AuthCard>
    }
}

/// The token of a mailed link (a reset or an invitation), from the fragment (never the query:
/// the fragment never reaches a server's logs, A9). It is then taken out of the address bar, so
/// it stays out of the history and off the screen.
pub fn take_fragment_token() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let fragment = location.hash().ok()?;
    let token = fragment
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == RESET_FRAGMENT_KEY)
        .and_then(|(_, value)| js_sys::decode_uri_component(value).ok())
        .map(String::from)
        .filter(|token| !token.is_empty())?;
    if let (Ok(history), Ok(path)) = (window.history(), location.pathname()) {
        let _ =
            history.replace_state_with_url(&web_sys::wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Some(token)
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let token = take_fragment_token();
    view! {
        <AuthCard>
            <h1>{locale.text(Key::ResetPasswordTitle)}</h1>
            {match token {
                Some(token) => view! { <ResetPasswordForm token=token/> }.into_any(),
                None => view! { <BrokenLink/> }.into_any(),
            }}
        </AuthCard>
    }
}

#[component]
fn BrokenLink() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="alert alert-error" role="alert" data-testid="reset-broken-link">
            {locale.text(Key::ResetLinkBroken)}
        </div>
        <A href="/forgot-password" attr:class="button button-primary button-block" attr:data-testid="reset-ask-again">
            {locale.text(Key::AskForNewLink)}
        </A>
    }
}

#[component]
fn ResetPasswordForm(token: String) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let navigate = use_navigate();
    let api = session.api();
    let token = StoredValue::new(token);
    // The account's own policy is unknown before sign-in; the defaults are every account's
    // floor, and the server applies the rest with the same rules.
    let new_password = NewPassword::new(Signal::derive(|| {
        (PasswordPolicy::default(), PasswordOwner::default())
    }));
    let reset = Submission::new();
    let refused = Signal::derive(move || reset.error());
    let link_spent =
        move || refused.get().and_then(|error| error.code()) == Some(ErrorCode::InvalidResetToken);
    let general_error = move || {
        refused
            .get()
            .filter(|error| error.code() != Some(ErrorCode::ValidationFailed))
            .map(|error| error.message(locale.lang()))
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if reset.pending().get_untracked() {
            return;
        }
        reset.clear();
        if new_password.ready() {
            let request = CompletePasswordReset {
                token: token.get_value(),
                new_password: new_password.password.get_untracked(),
            };
            let navigate = navigate.clone();
            reset.run(
                async move { api.complete_password_reset(&request).await },
                move |()| {
                    // Every session of the person has just ended, this tab's too.
                    session.end_locally(Key::PasswordResetDone);
                    navigate("/login", replace());
                },
            );
        }
    };

    view! {
        <p class="lead">{locale.text(Key::ResetPasswordLead)}</p>
        <Alert message=Signal::derive(general_error) testid="reset-error"/>
        {move || {
            link_spent()
                .then(|| {
                    view! {
                        <A href="/forgot-password" attr:class="button button-outline button-block" attr:data-testid="reset-ask-again">
                            {locale.text(Key::AskForNewLink)}
                        </A>
                    }
                })
        }}
        <form class="form" on:submit=on_submit novalidate=true>
            <NewPasswordFields new_password=new_password prefix="reset" field="new_password" refused=refused/>
            <button
                type="submit"
                class="button button-primary button-block"
                data-testid="reset-submit"
                disabled=reset.pending()
            >
                {locale.text_when(reset.pending(), Key::Saving, Key::SetNewPassword)}
            </button>
        </form>
    }
}
