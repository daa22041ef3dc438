//! Changing one's own password (P1): the current one, the new one twice, live rules.

use gatehouse_domain::{problem::ErrorCode, profile::ChangePassword};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
    layout::{
        field::{Alert, Field},
        remote::Submission,
    },
    security::new_password::{NewPassword, NewPasswordFields},
};

/// The form; `on_changed` runs once the server took the new password (the pending step uses
/// it to move on).
#[component]
pub fn ChangePasswordForm(
    #[prop(optional, into)] on_changed: Option<Callback<()>>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let new_password = NewPassword::new(Signal::derive(move || session.password_rules()));
    let current = RwSignal::new(String::new());
    let current_missing = RwSignal::new(false);

    let change = Submission::new();
    let refused = Signal::derive(move || change.error());
    let changed = move || change.succeeded();

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if change.pending().get_untracked() {
            return;
        }
        change.clear();
        let typed_current = current.get_untracked();
        current_missing.set(typed_current.is_empty());
        let acceptable = new_password.ready();
        if !typed_current.is_empty() && acceptable {
            let request = ChangePassword {
                current_password: typed_current,
                new_password: new_password.password.get_untracked(),
            };
            change.run(
                async move { session.call(api.change_password(&request)).await },
                move |()| {
                    current.set(String::new());
                    new_password.clear();
                    if let Some(on_changed) = on_changed {
                        on_changed.run(());
                    }
                },
            );
        }
    };

    let current_error = move || {
        if current_missing.get() {
            return Some(locale.t(Key::EnterCurrentPassword).to_owned());
        }
        refused
            .get()
            .and_then(|error| error.field_message("current_password", locale.lang()))
    };
    let general_error = move || {
        refused
            .get()
            .filter(|error| error.code() != Some(ErrorCode::ValidationFailed))
            .map(|error| error.message(locale.lang()))
    };

    view! {
        <form class="form form-narrow" on:submit=on_submit novalidate=true>
            <Alert message=Signal::derive(general_error) testid="password-error"/>
            <Alert
                message=Signal::derive(move || changed().then(|| locale.t(Key::PasswordChanged).to_owned()))
                testid="password-changed"
                success=true
            />
            <Field
                id="password-current"
                label=Key::CurrentPassword
                kind="password"
                autocomplete="current-password"
                value=current
                error=Signal::derive(current_error)
            />
            <NewPasswordFields new_password=new_password prefix="password" field="new_password" refused=refused/>
            <div>
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="password-submit"
                    disabled=change.pending()
                >
                    {locale.text_when(change.pending(), Key::Saving, Key::ChangePassword)}
                </button>
            </div>
        </form>
    }
}
