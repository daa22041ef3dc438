//! The client's data (K6): the download of everything the account holds on them, and the
//! erasure of their personal data — what is erased said first, confirmed with the code of the
//! deletion SMS, then a last page saying it is done (the session ends with it).

use gatehouse_domain::cabinet::{CodeSent, RESEND_SECONDS};
use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};
use leptos_router::components::Redirect;

use super::{
    parts::{
        code_digits, countdown, refusal_text, replace, save_file, seconds_from_now, use_cabinet,
        Brand, CodeField, FormError, Refusal, SignedIn, TopBar,
    },
    texts::{clock, Key},
};

/// The home page's part about the client's data.
#[component]
pub fn DataSection() -> impl IntoView {
    let cabinet = use_cabinet();
    let deletion = move || cabinet.appearance.with(|a| a.deletion_enabled);
    view! {
        <section class="cab-section cab-data" aria-labelledby="cabinet-data">
            <h2 id="cabinet-data">{move || cabinet.text(Key::YourData)}</h2>
            <p class="cab-muted">{move || cabinet.text(Key::YourDataText)}</p>
            <div class="cab-actions">
                <DownloadButton/>
                {move || deletion().then(|| view! {
                    <a class="cab-button cab-button-danger-outline" href=cabinet.path("/erasure") data-testid="erase-open">
                        {cabinet.text(Key::Erase)}
                    </a>
                })}
            </div>
        </section>
    }
}

/// Saves the client's data as a JSON file.
#[component]
pub fn DownloadButton() -> impl IntoView {
    let cabinet = use_cabinet();
    let pending = RwSignal::new(false);
    let refusal: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let download = move |_| {
        refusal.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = cabinet.api.personal_data().await;
            if pending.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(json) => {
                    let name = format!("personal-data-{}.json", cabinet.api.account());
                    if save_file(&name, "application/json", &json).is_err() {
                        refusal.set(Some(Refusal::Text(Key::UnexpectedError)));
                    }
                }
                Err(error) => refusal.set(Some(Refusal::Api(error))),
            }
        });
    };
    let error = refusal_text(refusal);
    view! {
        <button
            type="button"
            class="cab-button cab-button-outline"
            data-testid="download-data"
            disabled=move || pending.get()
            on:click=download
        >
            {move || cabinet.text(Key::Download)}
        </button>
        <FormError error=error testid="download-error"/>
    }
}

/// Where the erasure stands.
#[derive(Clone)]
enum Step {
    /// What is erased, before any code is sent.
    Confirm,
    /// The deletion SMS is sent; its code is awaited.
    Code(CodeSent),
    /// Erased: the session is over.
    Done,
}

#[component]
pub fn ErasurePage() -> impl IntoView {
    let cabinet = use_cabinet();
    let step = RwSignal::new(Step::Confirm);
    let done = Memo::new(move |_| matches!(step.get(), Step::Done));
    let offered = Memo::new(move |_| cabinet.appearance.with(|a| a.deletion_enabled));
    // The last page shows without a session: erasure ended it.
    move || {
        if done.get() {
            view! { <Erased/> }.into_any()
        } else if offered.get() {
            view! {
                <SignedIn>
                    <TopBar/>
                    <Erasure step=step/>
                </SignedIn>
            }
            .into_any()
        } else {
            view! { <Redirect path=cabinet.path("/leads") options=replace()/> }.into_any()
        }
    }
}

#[component]
fn Erasure(step: RwSignal<Step>) -> impl IntoView {
    let cabinet = use_cabinet();
    let pending = RwSignal::new(false);
    let refusal: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let code = RwSignal::new(String::new());
    let resend_at = RwSignal::new(0.0);
    let resend_in = countdown(resend_at);
    let code_input: NodeRef<html::Input> = NodeRef::new();
    let error = refusal_text(refusal);

    let send_code = move || {
        refusal.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = cabinet.api.erasure_code().await;
            if pending.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(sent) => {
                    let wait = if sent.resend_after_seconds > 0 {
                        sent.resend_after_seconds
                    } else {
                        RESEND_SECONDS
                    };
                    resend_at.set(seconds_from_now(wait));
                    step.set(Step::Code(sent));
                }
                Err(error) => refusal.set(Some(Refusal::Api(error))),
            }
        });
    };
    let confirm = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(digits) = code_digits(&code.get_untracked()) else {
            refusal.set(Some(Refusal::Text(Key::CodeFormat)));
            return;
        };
        refusal.set(None);
        pending.set(true);
        spawn_local(async move {
            let result = cabinet.api.erase(digits).await;
            if pending.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(()) => {
                    // The last page first, then the token: the guard must not send the
                    // client to the sign-in page before they read it.
                    step.set(Step::Done);
                    cabinet.api.forget();
                }
                Err(error) => refusal.set(Some(Refusal::Api(error))),
            }
        });
    };
    Effect::new(move |_| {
        if let Some(input) = code_input.get() {
            let _ = input.focus();
        }
    });

    let what = move || {
        view! {
            <p>{cabinet.text(Key::EraseWhat)}</p>
            <ul class="cab-erase-list" data-testid="erase-what">
                <li>{cabinet.text(Key::EraseWhatName)}</li>
                <li>{cabinet.text(Key::EraseWhatPhones)}</li>
                <li>{cabinet.text(Key::EraseWhatEmails)}</li>
            </ul>
            <p class="cab-muted">{cabinet.text(Key::EraseAfter)}</p>
        }
    };
    let cancel = move || {
        view! {
            <a class="cab-button cab-button-quiet" href=cabinet.path("/leads") data-testid="erase-cancel">
                {cabinet.text(Key::Cancel)}
            </a>
        }
    };

    view! {
        <main class="cab-page" id="content">
            <section class="cab-card cab-erase" aria-labelledby="cabinet-erase" data-testid="erase">
                <h1 id="cabinet-erase">{move || cabinet.text(Key::EraseTitle)}</h1>
                {what}
                {move || match step.get() {
                    Step::Code(sent) => view! {
                        <form class="cab-form" on:submit=confirm novalidate=true>
                            <CodeField
                                id="cabinet-erase-code"
                                testid="erase-code"
                                hint=Key::EraseCodeSent
                                hint_id="erase-code-sent"
                                phone=sent.phone
                                code=code
                                input=code_input
                                error=error
                                error_id="erase-error"
                            />
                            <div class="cab-actions">
                                <button
                                    type="submit"
                                    class="cab-button cab-button-danger"
                                    data-testid="erase-confirm"
                                    disabled=move || pending.get()
                                >
                                    {move || cabinet.text(Key::EraseConfirm)}
                                </button>
                                {cancel}
                            </div>
                            {move || {
                                let left = resend_in.get();
                                if left > 0 {
                                    view! {
                                        <p class="cab-hint" data-testid="resend-countdown">
                                            {cabinet.text(Key::ResendIn)}" "{clock(left)}
                                        </p>
                                    }
                                    .into_any()
                                } else {
                                    view! {
                                        <button
                                            type="button"
                                            class="cab-link"
                                            data-testid="erase-resend"
                                            disabled=move || pending.get()
                                            on:click=move |_| send_code()
                                        >
                                            {cabinet.text(Key::Resend)}
                                        </button>
                                    }
                                    .into_any()
                                }
                            }}
                        </form>
                    }
                    .into_any(),
                    _ => view! {
                        <FormError error=error testid="erase-error"/>
                        <div class="cab-actions">
                            <button
                                type="button"
                                class="cab-button cab-button-danger"
                                data-testid="erase-send-code"
                                disabled=move || pending.get()
                                on:click=move |_| send_code()
                            >
                                {move || cabinet.text(Key::EraseSendCode)}
                            </button>
                            {cancel}
                        </div>
                        <div class="cab-actions">
                            <DownloadButton/>
                        </div>
                    }
                    .into_any(),
                }}
            </section>
        </main>
    }
}

/// The last page: the data is erased and the client signed out.
#[component]
fn Erased() -> impl IntoView {
    let cabinet = use_cabinet();
    view! {
        <main class="cab-page cab-center" id="content">
            <div class="cab-card cab-done" role="status" data-testid="erased">
                <div class="cab-sign-in-brand"><Brand/></div>
                <span class="cab-done-mark" aria-hidden="true">"✓"</span>
                <h1>{move || cabinet.text(Key::ErasedTitle)}</h1>
                <p class="cab-muted">{move || cabinet.text(Key::ErasedText)}</p>
            </div>
        </main>
    }
}
