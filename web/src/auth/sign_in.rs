//! The sign-in page (`/login`, A1, T2): e-mail and password, then — when the member has a
//! second factor — a code from the authenticator app or a recovery code.

use gatehouse_domain::{
    people::{Email, Password, PersonError},
    problem::ErrorCode,
};
use leptos::{ev::SubmitEvent, html, prelude::*};
use leptos_router::components::{Redirect, A};

use crate::{
    api::ApiError,
    auth::{
        card::AuthCard,
        session::{use_session, SignInStep, Status},
    },
    i18n::{field_error_text, use_locale, Key},
    layout::{
        field::{Alert, Field},
        focus_when_mounted,
        loading::Loading,
        remote::Submission,
        replace,
    },
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    move || match session.status() {
        // While the refresh cookie is tried, the form would only flash and vanish.
        Status::Restoring => view! { <Loading/> }.into_any(),
        Status::SignedIn => view! { <Redirect path="/profile" options=replace()/> }.into_any(),
        Status::SignedOut => view! { <SignInSteps/> }.into_any(),
    }
}

/// The ticket of a sign-in waiting for its second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ticket(String);

#[component]
fn SignInSteps() -> impl IntoView {
    let ticket = RwSignal::new(None::<Ticket>);
    // Why the person is back at the password step (the ticket expired), shown there.
    let restarted = RwSignal::new(None::<ApiError>);
    // Kept across the steps, so going back does not mean typing it again.
    let email = RwSignal::new(String::new());
    view! {
        <AuthCard>
            {move || match ticket.get() {
                None => view! { <PasswordStep email=email ticket=ticket restarted=restarted/> }.into_any(),
                Some(Ticket(current)) => {
                    view! { <SecondFactorStep ticket=current back=ticket restarted=restarted/> }.into_any()
                }
            }}
        </AuthCard>
    }
}

#[component]
fn PasswordStep(
    email: RwSignal<String>,
    ticket: RwSignal<Option<Ticket>>,
    restarted: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let password = RwSignal::new(String::new());
    // Checked here with the same domain rules as the server, so an obvious slip costs no
    // request and no count toward the sign-in lockout (A5).
    let email_rule = RwSignal::new(None::<PersonError>);
    let password_rule = RwSignal::new(None::<PersonError>);
    let password_missing = RwSignal::new(false);

    let sign_in = Submission::new();
    let refused = move || sign_in.error().or_else(|| restarted.get());

    let email_input = NodeRef::<html::Input>::new();
    focus_when_mounted(email_input);

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
        restarted.set(None);
        session.dismiss_flash();
        if email_check.is_none() && password_check.is_none() && !typed_password.is_empty() {
            sign_in.run(session.sign_in(typed_email, typed_password), move |step| {
                if let SignInStep::SecondFactor { ticket: issued } = step {
                    ticket.set(Some(Ticket(issued)));
                }
            });
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
    // A lock or a refused address is not a typo: it gets its own look, so nobody retries in vain.
    let blocked = move || {
        matches!(
            refused().and_then(|error| error.code()),
            Some(ErrorCode::SignInLocked | ErrorCode::IpNotAllowed | ErrorCode::RateLimited)
        )
    };

    view! {
        <h1>{locale.text(Key::SignInTitle)}</h1>
        <p class="lead">{locale.text(Key::SignInLead)}</p>
        {move || {
            session
                .flash()
                .map(|key| {
                    view! {
                        <div class="alert alert-success" role="status" data-testid="login-notice">
                            {locale.text(key)}
                        </div>
                    }
                })
        }}
        {move || {
            general_error()
                .map(|message| {
                    view! {
                        <div
                            class="alert alert-error"
                            class:alert-blocked=blocked
                            role="alert"
                            data-testid="login-error"
                            data-code=move || refused().and_then(|error| error.code()).map(|code| code.as_str())
                        >
                            {message}
                        </div>
                    }
                })
        }}
        <form class="form" on:submit=on_submit novalidate=true>
            <Field
                id="login-email"
                label=Key::Email
                kind="email"
                autocomplete="username"
                inputmode="email"
                value=email
                error=Signal::derive(email_error)
                node_ref=email_input
            />
            <Field
                id="login-password"
                label=Key::Password
                kind="password"
                autocomplete="current-password"
                value=password
                error=Signal::derive(password_error)
                aside=Box::new(move || {
                    view! {
                        <A href="/forgot-password" attr:class="link-small" attr:data-testid="forgot-password-link">
                            {locale.text(Key::ForgotPassword)}
                        </A>
                    }
                        .into_any()
                })
            />
            <button
                type="submit"
                class="button button-primary button-block"
                data-testid="login-submit"
                disabled=sign_in.pending()
                aria-busy=move || if sign_in.pending().get() { "true" } else { "false" }
            >
                {locale.text_when(sign_in.pending(), Key::SigningIn, Key::SignIn)}
            </button>
        </form>
    }
}

/// The second step (T2): a 6-digit code from the app, or one of the recovery codes.
#[component]
fn SecondFactorStep(
    ticket: String,
    /// Set to `None` to go back to the password step.
    back: RwSignal<Option<Ticket>>,
    restarted: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let code = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let ticket = StoredValue::new(ticket);

    let verify = Submission::new();
    let refused = move || verify.error();

    let input = NodeRef::<html::Input>::new();
    focus_when_mounted(input);

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if verify.pending().get_untracked() {
            return;
        }
        // Spaces and dashes are how apps and printouts group digits, not part of the code.
        let typed: String = code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        missing.set(typed.is_empty());
        verify.clear();
        if !typed.is_empty() {
            let attempt = session.second_factor(ticket.get_value(), typed);
            verify.run(
                async move {
                    let result = attempt.await;
                    // An expired or used ticket cannot be retried: the password step starts
                    // over, saying why.
                    if let Err(error) = &result {
                        if error.code() == Some(ErrorCode::InvalidTicket) {
                            restarted.set(Some(error.clone()));
                            back.set(None);
                        }
                    }
                    result
                },
                |()| {},
            );
        }
    };

    let code_error = move || {
        let lang = locale.lang();
        if missing.get() {
            return Some(locale.t(Key::EnterCode).to_owned());
        }
        let error = refused()?;
        match error.code() {
            Some(ErrorCode::InvalidSecondFactor) => Some(locale.t(Key::WrongCode).to_owned()),
            _ => error.field_message("code", lang),
        }
    };
    let general_error = move || {
        refused()
            .filter(|error| {
                !matches!(
                    error.code(),
                    Some(ErrorCode::InvalidSecondFactor | ErrorCode::ValidationFailed)
                )
            })
            .map(|error| error.message(locale.lang()))
    };

    view! {
        <h1>{locale.text(Key::SecondFactorTitle)}</h1>
        <p class="lead">{locale.text(Key::SecondFactorLead)}</p>
        <Alert message=Signal::derive(general_error) testid="second-factor-error"/>
        <form class="form" on:submit=on_submit novalidate=true>
            <Field
                id="second-factor-code"
                label=Key::AuthenticatorCode
                autocomplete="one-time-code"
                input_class="code-input"
                maxlength=32
                value=code
                error=Signal::derive(code_error)
                hint=Key::RecoveryCodeHint
                node_ref=input
            />
            <button
                type="submit"
                class="button button-primary button-block"
                data-testid="second-factor-submit"
                disabled=verify.pending()
                aria-busy=move || if verify.pending().get() { "true" } else { "false" }
            >
                {locale.text_when(verify.pending(), Key::Checking, Key::Verify)}
            </button>
            <button
                type="button"
                class="button button-quiet button-block"
                data-testid="second-factor-back"
                on:click=move |_| back.set(None)
            >
                {locale.text(Key::BackToPassword)}
            </button>
        </form>
    }
}
