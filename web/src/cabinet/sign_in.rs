//! The sign-in page (K3): the account's logo and header, the phone, then the code from the
//! SMS, with a countdown until another code may be asked for.

use gatehouse_domain::{
    cabinet::{CodeSent, RESEND_SECONDS},
    problem::ErrorCode,
};
use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};
use leptos_router::components::Redirect;

use super::{
    api::CabinetError,
    parts::{
        code_digits, countdown, refusal_text, replace, seconds_from_now, use_cabinet, Brand,
        CodeField, FormError, LanguageSwitch, Refusal,
    },
    texts::{clock, Key},
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let cabinet = use_cabinet();
    move || {
        if cabinet.api.signed_in() {
            view! { <Redirect path=cabinet.path("/leads") options=replace()/> }.into_any()
        } else {
            view! { <SignInForm/> }.into_any()
        }
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let cabinet = use_cabinet();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let sent: RwSignal<Option<CodeSent>> = RwSignal::new(None);
    let refusal: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let resend_at = RwSignal::new(0.0);
    let resend_in = countdown(resend_at);
    let phone_input: NodeRef<html::Input> = NodeRef::new();
    let code_input: NodeRef<html::Input> = NodeRef::new();

    // The field to type in next has the focus: the phone first, the code once it is sent.
    Effect::new(move |_| {
        let input = if sent.with(Option::is_some) {
            code_input.get()
        } else {
            phone_input.get()
        };
        if let Some(input) = input {
            let _ = input.focus();
        }
    });

    let ask_for_code = move |number: String| {
        refusal.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = cabinet.api.send_code(number).await;
            if pending.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(answer) => {
                    let wait = if answer.resend_after_seconds > 0 {
                        answer.resend_after_seconds
                    } else {
                        RESEND_SECONDS
                    };
                    resend_at.set(seconds_from_now(wait));
                    code.set(String::new());
                    sent.set(Some(answer));
                }
                Err(error) => {
                    if let CabinetError::Problem {
                        retry_after: Some(seconds),
                        ..
                    } = &error
                    {
                        resend_at.set(seconds_from_now(i64::try_from(*seconds).unwrap_or(3600)));
                    }
                    refusal.set(Some(Refusal::Api(error)));
                }
            }
        });
    };

    let submit_phone = move |event: SubmitEvent| {
        event.prevent_default();
        let number = phone.get_untracked().trim().to_owned();
        if number.is_empty() {
            refusal.set(Some(Refusal::Text(Key::PhoneEmpty)));
            return;
        }
        ask_for_code(number);
    };

    let submit_code = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(digits) = code_digits(&code.get_untracked()) else {
            refusal.set(Some(Refusal::Text(Key::CodeFormat)));
            return;
        };
        let Some(number) = sent.with_untracked(|s| s.as_ref().map(|s| s.phone.clone())) else {
            return;
        };
        refusal.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = cabinet.api.sign_in(number, digits).await;
            // Signed in: the page's guard moves on to the client's deals.
            if pending.try_set(false).is_some() {
                return;
            }
            if let Err(error) = result {
                refusal.set(Some(Refusal::Api(error)));
            }
        });
    };

    let resend = move |_| {
        if let Some(number) = sent.with_untracked(|s| s.as_ref().map(|s| s.phone.clone())) {
            ask_for_code(number);
        }
    };
    let change_phone = move |_| {
        refusal.set(None);
        sent.set(None);
    };

    let header = move || {
        let text = cabinet.appearance.with(|a| a.header_text.trim().to_owned());
        if text.is_empty() {
            cabinet.text(Key::DefaultHeader).to_owned()
        } else {
            text
        }
    };
    let error = refusal_text(refusal);
    // Which field the refusal is about, for its `aria-invalid`.
    let phone_wrong = move || {
        refusal.with(|r| match r {
            Some(Refusal::Text(Key::PhoneEmpty)) => true,
            Some(Refusal::Api(error)) => error.code() == Some(ErrorCode::ValidationFailed),
            _ => false,
        })
    };
    let code_wrong = move || {
        refusal.with(|r| match r {
            Some(Refusal::Text(Key::CodeFormat)) => true,
            Some(Refusal::Api(error)) => error.code() == Some(ErrorCode::InvalidSmsCode),
            _ => false,
        })
    };

    view! {
        <main class="cab-page cab-center">
            <div class="cab-card cab-sign-in">
                <div class="cab-sign-in-brand">
                    <Brand/>
                </div>
                <h1 data-testid="cabinet-header">{header}</h1>
                {move || match sent.get() {
                    None => view! {
                        <form class="cab-form" on:submit=submit_phone novalidate=true>
                            <label class="cab-label" for="cabinet-phone">{move || cabinet.text(Key::PhoneLabel)}</label>
                            <input
                                id="cabinet-phone"
                                class="cab-input"
                                type="tel"
                                inputmode="tel"
                                autocomplete="tel"
                                aria-describedby="cabinet-phone-hint sign-in-error"
                                aria-invalid=move || phone_wrong().then_some("true")
                                data-testid="cabinet-phone"
                                node_ref=phone_input
                                bind:value=phone
                            />
                            <p class="cab-hint" id="cabinet-phone-hint">{move || cabinet.text(Key::PhoneHint)}</p>
                            <FormError error=error testid="sign-in-error"/>
                            <button
                                type="submit"
                                class="cab-button cab-button-wide"
                                data-testid="cabinet-send-code"
                                disabled=move || pending.get()
                            >
                                {move || cabinet.text(Key::GetCode)}
                            </button>
                        </form>
                    }
                    .into_any(),
                    Some(answer) => view! {
                        <form class="cab-form" on:submit=submit_code novalidate=true>
                            <CodeField
                                id="cabinet-code"
                                testid="cabinet-code"
                                hint=Key::CodeSentTo
                                hint_id="code-sent"
                                phone=answer.phone
                                code=code
                                input=code_input
                                error=error
                                error_id="sign-in-error"
                                invalid=code_wrong
                            />
                            <button
                                type="submit"
                                class="cab-button cab-button-wide"
                                data-testid="cabinet-sign-in"
                                disabled=move || pending.get()
                            >
                                {move || cabinet.text(Key::SignIn)}
                            </button>
                            <div class="cab-form-links">
                                {move || {
                                    let left = resend_in.get();
                                    if left > 0 {
                                        view! {
                                            <p class="cab-hint" data-testid="resend-countdown" aria-live="off">
                                                {cabinet.text(Key::ResendIn)}" "{clock(left)}
                                            </p>
                                        }
                                        .into_any()
                                    } else {
                                        view! {
                                            <button
                                                type="button"
                                                class="cab-link"
                                                data-testid="cabinet-resend"
                                                disabled=move || pending.get()
                                                on:click=resend
                                            >
                                                {cabinet.text(Key::Resend)}
                                            </button>
                                        }
                                        .into_any()
                                    }
                                }}
                                <button type="button" class="cab-link" data-testid="cabinet-change-phone" on:click=change_phone>
                                    {move || cabinet.text(Key::ChangePhone)}
                                </button>
                            </div>
                        </form>
                    }
                    .into_any(),
                }}
                <div class="cab-sign-in-foot">
                    <LanguageSwitch/>
                </div>
            </div>
        </main>
    }
}
