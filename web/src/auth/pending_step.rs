//! What a member must do before the app opens (T4, P3): choose a new password an administrator
//! asked for, or turn on the second factor the account requires. The API refuses everything
//! else until then, so nothing else is shown.

use gatehouse_domain::profile::PendingStep;
use leptos::prelude::*;

use crate::{
    auth::{card::AuthCard, session::use_session, sign_out::SignOutButton},
    i18n::{use_locale, Key},
    profile::{password::ChangePasswordForm, two_factor::TwoFactorEnrolment},
};

#[component]
pub fn PendingStepPage(step: PendingStep) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    // Done: who the member is now decides what comes next (another step, or the app).
    let done = Callback::new(move |()| session.run(session.reload()));
    let (title, lead) = match step {
        PendingStep::ChangePassword => (Key::PendingPasswordTitle, Key::PendingPasswordLead),
        PendingStep::EnrolSecondFactor => (Key::PendingTwoFactorTitle, Key::PendingTwoFactorLead),
    };
    view! {
        <AuthCard
            wide=true
            toolbar=Box::new(|| view! { <SignOutButton testid="sign-out"/> }.into_any())
        >
            <h1 data-testid="pending-step" data-step=match step {
                PendingStep::ChangePassword => "change_password",
                PendingStep::EnrolSecondFactor => "enrol_second_factor",
            }>{locale.text(title)}</h1>
            <p class="lead">{locale.text(lead)}</p>
            {match step {
                PendingStep::ChangePassword => view! { <ChangePasswordForm on_changed=done/> }.into_any(),
                PendingStep::EnrolSecondFactor => view! { <TwoFactorEnrolment on_done=done/> }.into_any(),
            }}
        </AuthCard>
    }
}
