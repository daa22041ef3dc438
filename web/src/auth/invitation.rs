//! Accepting an invitation (`/invitation#token=…`, U6): the invited person chooses their own
//! password, with the strength meter, and is signed in with it.

use gatehouse_domain::{problem::ErrorCode, security::PasswordPolicy};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::{components::A, hooks::use_navigate};

use crate::{
    auth::{
        card::AuthCard,
        password_reset::take_fragment_token,
        session::{use_session, PasswordOwner, SignInStep},
    },
    i18n::{use_locale, Key},
    layout::{field::Alert, remote::Submission, replace},
    security::new_password::{NewPassword, NewPasswordFields},
};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let locale = use_locale();
    let token = take_fragment_token();
    view! {
        <AuthCard>
            <h1>{locale.text(Key::InvitationTitle)}</h1>
            {match token {
                Some(token) => view! { <InvitationForm token=token/> }.into_any(),
                None => view! {
                    <div class="alert alert-error" role="alert" data-testid="invitation-broken-link">
                        {locale.text(Key::InvitationLinkBroken)}
                    </div>
                    <A href="/login" attr:class="button button-primary button-block">{locale.text(Key::BackToSignIn)}</A>
                }
                .into_any(),
            }}
        </AuthCard>
    }
}

#[component]
fn InvitationForm(token: String) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let navigate = use_navigate();
    let token = StoredValue::new(token);
    // The account's own policy is unknown before sign-in; the defaults are every account's
    // floor, and the server applies the rest with the same rules.
    let new_password = NewPassword::new(Signal::derive(|| {
        (PasswordPolicy::default(), PasswordOwner::default())
    }));
    let accept = Submission::new();
    let refused = Signal::derive(move || accept.error());
    let link_spent =
        move || refused.get().and_then(|error| error.code()) == Some(ErrorCode::InvalidInvitation);
    let general_error = move || {
        refused
            .get()
            .filter(|error| error.code() != Some(ErrorCode::ValidationFailed))
            .map(|error| error.message(locale.lang()))
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if accept.pending().get_untracked() {
            return;
        }
        accept.clear();
        if new_password.ready() {
            let password = new_password.password.get_untracked();
            let navigate = navigate.clone();
            accept.run(
                session.accept_invitation(token.get_value(), password),
                move |step| {
                    // A person who already had a second factor confirms it on the sign-in page.
                    let to = if step == SignInStep::Done {
                        "/profile"
                    } else {
                        "/login"
                    };
                    navigate(to, replace());
                },
            );
        }
    };

    view! {
        <p class="lead">{locale.text(Key::InvitationLead)}</p>
        <Alert message=Signal::derive(general_error) testid="invitation-error"/>
        {move || {
            link_spent()
                .then(|| {
                    view! {
                        <A href="/login" attr:class="button button-outline button-block" attr:data-testid="invitation-sign-in">
                            {locale.text(Key::BackToSignIn)}
                        </A>
                    }
                })
        }}
        <form class="form" on:submit=on_submit novalidate=true>
            <NewPasswordFields new_password=new_password prefix="invitation" field="password" refused=refused label=Key::ChooseYourPassword/>
            <button
                type="submit"
                class="button button-primary button-block"
                data-testid="invitation-submit"
                disabled=accept.pending()
            >
                {locale.text_when(accept.pending(), Key::SigningIn, Key::AcceptInvitation)}
            </button>
        </form>
    }
}
