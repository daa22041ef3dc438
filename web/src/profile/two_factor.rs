//! The member's second factor (T1, T3): its status, turning it on with an authenticator app,
//! recovery codes, turning it off.

use gatehouse_domain::{
    problem::ErrorCode,
    profile::{DisableTwoFactor, TwoFactorEnrolment as Enrolment, TwoFactorStatus},
};
use leptos::{ev::SubmitEvent, html, prelude::*};

use crate::{
    api::ApiError,
    auth::session::use_session,
    i18n::{recovery_codes_left, use_locale, Key},
    layout::{
        download::{copy_text, save_file},
        field::{Alert, Field},
        form_error::FormError,
        format::Time,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
};

/// The profile's card: status, and what can be done from it.
#[component]
pub fn TwoFactorCard(
    /// Bumped when turning the factor on ended the member's other sessions.
    sessions_changed: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let status = Remote::new(move || session.call(api.two_factor()));
    let refresh = Callback::new(move |()| status.refetch());
    let enabled = Callback::new(move |()| {
        status.refetch();
        sessions_changed.update(|n| *n += 1);
    });

    view! {
        <section class="card" aria-labelledby="two-factor-title" data-testid="two-factor">
            <div class="card-header">
                <h2 id="two-factor-title">{locale.text(Key::TwoFactor)}</h2>
                {move || {
                    status
                        .get()
                        .and_then(Result::ok)
                        .map(|status| {
                            view! {
                                <span
                                    class="badge"
                                    class:badge-success=status.enabled
                                    data-testid="totp-status"
                                    data-enabled=status.enabled.to_string()
                                >
                                    {locale.text(if status.enabled { Key::On } else { Key::Off })}
                                </span>
                            }
                        })
                }}
            </div>
            {move || match status.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => view! { <LoadFailed error=error retry=refresh/> }.into_any(),
                Some(Ok(current)) if current.enabled => {
                    view! { <TwoFactorOn status=current changed=refresh/> }.into_any()
                }
                Some(Ok(current)) => {
                    view! {
                        <p class="muted">
                            {locale.text(if current.required { Key::TwoFactorRequiredOff } else { Key::TwoFactorOffText })}
                        </p>
                        <TwoFactorEnrolment on_done=enabled/>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// What to show of an enrolment under way.
#[derive(Debug, Clone)]
enum Stage {
    Start,
    Scanning(Enrolment),
    Codes(Vec<String>),
}

/// Turning the second factor on: a new secret as a QR code and as text, a code from the app to
/// confirm it, then the recovery codes, once. Serves the profile and the pending step alike.
#[component]
pub fn TwoFactorEnrolment(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let stage = RwSignal::new(Stage::Start);

    let start = Submission::new();
    // Already on (another tab did it): the status will say so.
    Effect::new(move |_| {
        if start.error().and_then(|error| error.code()) == Some(ErrorCode::TwoFactorAlreadyEnabled)
        {
            on_done.run(());
        }
    });
    let start_error = move || start.error().map(|error| error.message(locale.lang()));

    move || match stage.get() {
        Stage::Start => view! {
            <Alert message=Signal::derive(start_error) testid="totp-error"/>
            <div>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="totp-enrol"
                    disabled=start.pending()
                    on:click=move |_| {
                        start.run(session.call(api.start_two_factor()), move |enrolment| {
                            stage.set(Stage::Scanning(enrolment));
                        });
                    }
                >
                    {locale.text(Key::TurnOnTwoFactor)}
                </button>
            </div>
        }
        .into_any(),
        Stage::Scanning(enrolment) => view! {
            <ScanAndConfirm
                enrolment=enrolment
                confirmed=Callback::new(move |codes: Vec<String>| stage.set(Stage::Codes(codes)))
                cancel=Callback::new(move |()| {
                    start.clear();
                    stage.set(Stage::Start);
                })
            />
        }
        .into_any(),
        Stage::Codes(codes) => {
            view! { <RecoveryCodesView codes=codes on_done=on_done/> }.into_any()
        }
    }
}

/// The QR code as an image: an `<img>` never runs what an SVG might carry.
fn qr_image(svg: &str) -> Option<String> {
    let encoded = web_sys::window()?.btoa(svg).ok()?;
    Some(format!("data:image/svg+xml;base64,{encoded}"))
}

/// The secret in groups of four, as authenticator apps show and accept it.
fn grouped(secret: &str) -> String {
    secret
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
fn ScanAndConfirm(
    enrolment: Enrolment,
    confirmed: Callback<Vec<String>>,
    cancel: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let code = RwSignal::new(String::new());
    let malformed = RwSignal::new(false);
    let confirm = Submission::new();
    let refused = move || confirm.error();
    let input = NodeRef::<html::Input>::new();

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if confirm.pending().get_untracked() {
            return;
        }
        confirm.clear();
        let typed: String = code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let well_formed = typed.len() == 6 && typed.chars().all(|c| c.is_ascii_digit());
        malformed.set(!well_formed);
        if well_formed {
            confirm.run(session.call(api.confirm_two_factor(typed)), move |codes| {
                confirmed.run(codes.recovery_codes);
            });
        } else if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };
    let code_error = move || {
        if malformed.get() {
            return Some(locale.t(Key::EnterSixDigits).to_owned());
        }
        refused().and_then(|error| error.field_message("code", locale.lang()))
    };
    let general_error = move || {
        refused()
            .filter(|error| error.code() != Some(ErrorCode::ValidationFailed))
            .map(|error| error.message(locale.lang()))
    };
    let qr = qr_image(&enrolment.qr_svg);
    let secret = grouped(&enrolment.secret);
    let uri = enrolment.otpauth_uri.clone();

    view! {
        <div class="enrolment">
            <ol class="steps">
                <li>
                    <p>{locale.text(Key::ScanQrCode)}</p>
                    <div class="qr-row">
                        {qr
                            .map(|src| {
                                view! {
                                    <img
                                        class="qr"
                                        src=src
                                        width="180"
                                        height="180"
                                        alt=locale.text(Key::QrCodeAlt)
                                        data-testid="totp-qr"
                                    />
                                }
                            })}
                        <div class="secret-box">
                            <span class="muted">{locale.text(Key::ManualEntry)}</span>
                            <code class="secret" data-testid="totp-secret">{secret}</code>
                            // Phones open the app straight from this link.
                            <a class="link-small" href=uri data-testid="totp-uri">
                                {locale.text(Key::OpenInApp)}
                            </a>
                        </div>
                    </div>
                </li>
                <li>
                    <form class="form form-narrow" on:submit=on_submit novalidate=true>
                        <Alert message=Signal::derive(general_error) testid="totp-error"/>
                        <Field
                            id="totp-code"
                            label=Key::EnterAppCode
                            input_class="code-input"
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            maxlength=7
                            value=code
                            error=Signal::derive(code_error)
                            node_ref=input
                        />
                        <div class="inline-actions">
                            <button
                                type="submit"
                                class="button button-primary"
                                data-testid="totp-confirm"
                                disabled=confirm.pending()
                            >
                                {locale.text_when(confirm.pending(), Key::Checking, Key::Confirm)}
                            </button>
                            <button
                                type="button"
                                class="button button-quiet"
                                data-testid="totp-cancel"
                                on:click=move |_| cancel.run(())
                            >
                                {locale.text(Key::Cancel)}
                            </button>
                        </div>
                    </form>
                </li>
            </ol>
        </div>
    }
}

/// Recovery codes, shown once: the person copies, downloads or writes them down, then says so.
#[component]
pub fn RecoveryCodesView(codes: Vec<String>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let text = codes.join("\n");
    let text = StoredValue::new(text);
    let copied = RwSignal::new(None::<bool>);
    let saved = RwSignal::new(None::<bool>);
    let file_text = move || {
        format!(
            "{}\n\n{}\n",
            locale.t(Key::RecoveryCodesFileHeading),
            text.get_value()
        )
    };
    view! {
        <div class="recovery" data-testid="recovery">
            <div class="alert alert-warning" role="status">
                {locale.text(Key::RecoveryCodesOnce)}
            </div>
            <ol class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ol>
            <div class="inline-actions">
                <button
                    type="button"
                    class="button button-outline"
                    data-testid="recovery-codes-copy"
                    on:click=move |_| copied.set(Some(copy_text(&text.get_value())))
                >
                    {locale.text(Key::Copy)}
                </button>
                <button
                    type="button"
                    class="button button-outline"
                    data-testid="recovery-codes-download"
                    on:click=move |_| {
                        saved.set(Some(save_file("gatehouse-recovery-codes.txt", "text/plain", &file_text()).is_ok()));
                    }
                >
                    {locale.text(Key::Download)}
                </button>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="recovery-codes-done"
                    on:click=move |_| on_done.run(())
                >
                    {locale.text(Key::SavedThem)}
                </button>
            </div>
            <p class="field-hint" role="status">
                {move || match (copied.get(), saved.get()) {
                    (Some(false), _) | (_, Some(false)) => locale.t(Key::CopyFailed),
                    (Some(true), _) => locale.t(Key::Copied),
                    _ => "",
                }}
            </p>
        </div>
    }
}

/// Which form of an enabled factor is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnForm {
    Regenerate,
    Disable,
}

#[component]
fn TwoFactorOn(status: TwoFactorStatus, changed: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let form = RwSignal::new(None::<OnForm>);
    let new_codes = RwSignal::new(None::<Vec<String>>);
    let low = status.recovery_codes_left <= 3;
    let since = status.enabled_at;
    let left = status.recovery_codes_left;
    let required = status.required;

    view! {
        <dl class="details">
            {since
                .map(|since| {
                    view! {
                        <div class="detail">
                            <dt>{locale.text(Key::OnSince)}</dt>
                            <dd>
                                <Time at=since day_only=true/>
                            </dd>
                        </div>
                    }
                })}
            <div class="detail">
                <dt>{locale.text(Key::RecoveryCodes)}</dt>
                <dd data-testid="recovery-codes-left" class:text-warning=low>
                    {move || recovery_codes_left(locale.lang(), left)}
                </dd>
            </div>
        </dl>
        {move || match (new_codes.get(), form.get()) {
            (Some(codes), _) => {
                view! {
                    <RecoveryCodesView
                        codes=codes
                        on_done=Callback::new(move |()| {
                            new_codes.set(None);
                            changed.run(());
                        })
                    />
                }
                    .into_any()
            }
            (None, Some(OnForm::Regenerate)) => {
                view! {
                    <RegenerateForm
                        generated=Callback::new(move |codes: Vec<String>| {
                            form.set(None);
                            new_codes.set(Some(codes));
                        })
                        cancel=Callback::new(move |()| form.set(None))
                    />
                }
                    .into_any()
            }
            (None, Some(OnForm::Disable)) => {
                view! { <DisableForm disabled=changed cancel=Callback::new(move |()| form.set(None))/> }.into_any()
            }
            (None, None) => {
                view! {
                    <div class="inline-actions">
                        <button
                            type="button"
                            class="button button-outline"
                            data-testid="totp-regenerate"
                            on:click=move |_| form.set(Some(OnForm::Regenerate))
                        >
                            {locale.text(Key::NewRecoveryCodes)}
                        </button>
                        {(!required)
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="button button-outline button-danger"
                                        data-testid="totp-disable"
                                        on:click=move |_| form.set(Some(OnForm::Disable))
                                    >
                                        {locale.text(Key::TurnOffTwoFactor)}
                                    </button>
                                }
                            })}
                    </div>
                    {required
                        .then(|| {
                            view! { <p class="muted" data-testid="totp-required">{locale.text(Key::TwoFactorRequiredOn)}</p> }
                        })}
                }
                    .into_any()
            }
        }}
    }
}

/// The password field of the small forms here, with the server's verdict beside it.
fn password_error(
    missing: RwSignal<bool>,
    refused: Signal<Option<ApiError>>,
) -> Signal<Option<String>> {
    let locale = use_locale();
    Signal::derive(move || {
        if missing.get() {
            return Some(locale.t(Key::PasswordRequired).to_owned());
        }
        refused
            .get()
            .and_then(|error| error.field_message("password", locale.lang()))
    })
}

#[component]
fn RegenerateForm(generated: Callback<Vec<String>>, cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let password = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let regenerate = Submission::new();
    let refused = Signal::derive(move || regenerate.error());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if regenerate.pending().get_untracked() {
            return;
        }
        regenerate.clear();
        let typed = password.get_untracked();
        missing.set(typed.is_empty());
        if !typed.is_empty() {
            regenerate.run(
                session.call(api.regenerate_recovery_codes(typed)),
                move |codes| {
                    generated.run(codes.recovery_codes);
                },
            );
        }
    };
    view! {
        <form class="form form-narrow" on:submit=on_submit novalidate=true>
            <p class="muted">{locale.text(Key::NewRecoveryCodesText)}</p>
            <FormError refused=refused/>
            <Field
                id="totp-regenerate-password"
                label=Key::Password
                kind="password"
                autocomplete="current-password"
                value=password
                error=password_error(missing, refused)
            />
            <div class="inline-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="totp-regenerate-submit"
                    disabled=regenerate.pending()
                >
                    {locale.text(Key::NewRecoveryCodes)}
                </button>
                <button type="button" class="button button-quiet" on:click=move |_| cancel.run(())>
                    {locale.text(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn DisableForm(disabled: Callback<()>, cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password_missing = RwSignal::new(false);
    let code_missing = RwSignal::new(false);
    let disable = Submission::new();
    let refused = Signal::derive(move || disable.error());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if disable.pending().get_untracked() {
            return;
        }
        disable.clear();
        let typed_password = password.get_untracked();
        let typed_code: String = code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        password_missing.set(typed_password.is_empty());
        code_missing.set(typed_code.is_empty());
        if !typed_password.is_empty() && !typed_code.is_empty() {
            let request = DisableTwoFactor {
                password: typed_password,
                code: typed_code,
            };
            disable.run(
                async move { session.call(api.disable_two_factor(&request)).await },
                move |()| disabled.run(()),
            );
        }
    };
    let code_error = move || {
        if code_missing.get() {
            return Some(locale.t(Key::EnterCode).to_owned());
        }
        refused
            .get()
            .and_then(|error| error.field_message("code", locale.lang()))
    };
    view! {
        <form class="form form-narrow" on:submit=on_submit novalidate=true>
            <p class="muted">{locale.text(Key::TurnOffTwoFactorText)}</p>
            <FormError refused=refused/>
            <Field
                id="totp-disable-password"
                label=Key::Password
                kind="password"
                autocomplete="current-password"
                value=password
                error=password_error(password_missing, refused)
            />
            <Field
                id="totp-disable-code"
                label=Key::AuthenticatorCode
                input_class="code-input"
                autocomplete="one-time-code"
                value=code
                error=Signal::derive(code_error)
            />
            <div class="inline-actions">
                <button
                    type="submit"
                    class="button button-primary button-danger"
                    data-testid="totp-disable-submit"
                    disabled=disable.pending()
                >
                    {locale.text(Key::TurnOffTwoFactor)}
                </button>
                <button type="button" class="button button-quiet" on:click=move |_| cancel.run(())>
                    {locale.text(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}
