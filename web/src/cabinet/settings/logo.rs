//! The cabinet's logo: the current one, a chosen PNG previewed in the browser (an object URL
//! of the file, before and after its upload), the upload of the file's own bytes and the
//! removal. The server decodes the image to judge it; the bounds are checked here only where
//! the file says them without decoding (its size, its type), to spare a useless upload.

use gatehouse_domain::{cabinet::LOGO_MAX_BYTES, problem::ErrorCode};
use leptos::{html, prelude::*, task::spawn_local};
use wasm_bindgen_futures::JsFuture;
use web_sys::{js_sys, File, Url};

use crate::{
    api::ApiError,
    auth::session::use_session,
    cabinet::settings::texts::{field_error_text, words, Text},
    i18n::use_locale,
    sms::texts::{pick, say, Words},
};

/// What went wrong with the logo: found here by its code, or the server's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Local(&'static str),
    Refused(ApiError),
}

/// The picker. `current` is the address of the stored logo, `None` without one.
#[component]
pub fn LogoPicker(current: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let input = NodeRef::<html::Input>::new();
    // The chosen file and its object URL; `uploaded` once the server has it.
    let file = StoredValue::new_local(None::<File>);
    let preview = RwSignal::new(None::<String>);
    let uploaded = RwSignal::new(false);
    let pixels = RwSignal::new(None::<(u32, u32)>);
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<Words>);
    // The stored logo did not load (it is served only while the cabinet is on).
    let unseen = RwSignal::new(false);

    let forget_preview = move || {
        if let Some(url) = preview.try_get_untracked().flatten() {
            let _ = Url::revoke_object_url(&url);
        }
    };
    on_cleanup(forget_preview);

    let choose = move |_| {
        let chosen = input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        forget_preview();
        problem.set(None);
        done.set(None);
        pixels.set(None);
        uploaded.set(false);
        if let Some(chosen) = &chosen {
            #[allow(clippy::cast_precision_loss)]
            let heavy = chosen.size() > LOGO_MAX_BYTES as f64;
            let kind = chosen.type_();
            if heavy {
                problem.set(Some(Problem::Local("logo_too_heavy")));
            } else if !kind.is_empty() && kind != "image/png" {
                problem.set(Some(Problem::Local("logo_not_png")));
            }
        }
        preview.set(
            chosen
                .as_ref()
                .and_then(|f| Url::create_object_url_with_blob(f).ok()),
        );
        file.set_value(chosen);
    };

    let upload = move |_| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        busy.set(true);
        problem.set(None);
        done.set(None);
        spawn_local(async move {
            let result = match JsFuture::from(chosen.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    session
                        .call(api.upload_logo(bytes))
                        .await
                        .map_err(Problem::Refused)
                }
                Err(_) => Err(Problem::Local("logo_not_png")),
            };
            if busy.is_disposed() {
                return;
            }
            busy.set(false);
            match result {
                Ok(saved) => {
                    current.set(saved.logo_url);
                    unseen.set(false);
                    uploaded.set(true);
                    file.set_value(None);
                    if let Some(input) = input.get_untracked() {
                        input.set_value("");
                    }
                    done.set(Some(words(Text::LogoUploaded)));
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };

    let remove = move |_| {
        busy.set(true);
        problem.set(None);
        done.set(None);
        spawn_local(async move {
            let result = session.call(api.remove_logo()).await;
            if busy.is_disposed() {
                return;
            }
            busy.set(false);
            match result {
                Ok(()) => {
                    forget_preview();
                    preview.set(None);
                    uploaded.set(false);
                    current.set(None);
                    done.set(Some(words(Text::LogoRemoved)));
                }
                Err(error) => problem.set(Some(Problem::Refused(error))),
            }
        });
    };

    let message = move || {
        let lang = locale.lang();
        problem.get().map(|problem| match problem {
            Problem::Local(code) => field_error_text(lang, code, ""),
            Problem::Refused(error) => match error.field_errors("logo").first() {
                Some(field) => field_error_text(lang, &field.code, &field.message),
                None if error.code() == Some(ErrorCode::PayloadTooLarge) => {
                    field_error_text(lang, "payload_too_large", "")
                }
                None => error.message(lang),
            },
        })
    };
    let chosen_pending = move || preview.with(Option::is_some) && !uploaded.get();
    let may_upload = move || chosen_pending() && !busy.get() && problem.with(Option::is_none);
    let measured = move |event: leptos::ev::Event| {
        let image = event_target::<web_sys::HtmlImageElement>(&event);
        pixels.set(Some((image.natural_width(), image.natural_height())));
    };

    view! {
        <div class="field logo" class:field-invalid=move || problem.with(Option::is_some) data-testid="cabinet-logo">
            <span class="field-label" id="cabinet-logo-label">{say(locale, words(Text::Logo))}</span>
            <div class="logo-stage">
                {move || {
                    let lang = locale.lang();
                    if let Some(url) = preview.get() {
                        let caption = pick(lang, words(if uploaded.get() { Text::CurrentLogo } else { Text::ChosenLogo }));
                        view! {
                            <figure class="logo-figure">
                                <img src=url alt=caption data-testid="cabinet-logo-preview" on:load=measured/>
                                <figcaption class="muted small">
                                    {caption}
                                    {move || pixels.get().map(|(w, h)| format!(" · {w}×{h} px"))}
                                </figcaption>
                            </figure>
                        }
                            .into_any()
                    } else if let Some(url) = current.get().filter(|_| !unseen.get()) {
                        let caption = pick(lang, words(Text::CurrentLogo));
                        view! {
                            <figure class="logo-figure">
                                <img src=url alt=caption data-testid="cabinet-logo-current" on:error=move |_| unseen.set(true)/>
                                <figcaption class="muted small">{caption}</figcaption>
                            </figure>
                        }
                            .into_any()
                    } else if current.with(Option::is_some) {
                        view! { <p class="muted" data-testid="cabinet-logo-current">{pick(lang, words(Text::CurrentLogo))}</p> }.into_any()
                    } else {
                        view! { <p class="muted" data-testid="cabinet-logo-none">{pick(lang, words(Text::NoLogo))}</p> }.into_any()
                    }
                }}
            </div>
            <div class="logo-actions">
                // The input itself is hidden but focusable; its label is the visible button.
                <input
                    id="cabinet-logo-input"
                    class="sr-only file-input"
                    type="file"
                    accept="image/png"
                    data-testid="cabinet-logo-input"
                    node_ref=input
                    aria-describedby="cabinet-logo-hint cabinet-logo-error"
                    on:change=choose
                />
                <label class="button button-outline file-button" for="cabinet-logo-input">
                    {say(locale, words(Text::ChooseLogo))}
                </label>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="cabinet-logo-upload"
                    disabled=move || !may_upload()
                    on:click=upload
                >
                    {move || pick(locale.lang(), words(if busy.get() { Text::Uploading } else { Text::UploadLogo }))}
                </button>
                {move || current.with(Option::is_some).then(|| view! {
                    <button
                        type="button"
                        class="button button-quiet"
                        data-testid="cabinet-logo-remove"
                        disabled=move || busy.get()
                        on:click=remove
                    >
                        {say(locale, words(Text::RemoveLogo))}
                    </button>
                })}
            </div>
            <p class="field-hint" id="cabinet-logo-hint">{say(locale, words(Text::LogoHint))}</p>
            <p class="field-error" id="cabinet-logo-error" role="alert" data-testid="cabinet-logo-error">{message}</p>
            {move || done.get().map(|w| view! {
                <p class="saved" role="status" data-testid="cabinet-logo-done">{pick(locale.lang(), w)}</p>
            })}
        </div>
    }
}
