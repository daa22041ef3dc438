//! What every cabinet page shares: the cabinet's context (its account, client, appearance and
//! language), the top bar, the language switch, loading and failure states, the field for an
//! SMS code, times, files and waits.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::channel::oneshot;
use gatehouse_domain::{cabinet::CabinetAppearance, people::Language, Id};
use leptos::{ev::Event, html, prelude::*, task::spawn_local};
use leptos_router::components::Redirect;
use web_sys::{
    js_sys,
    wasm_bindgen::{JsCast, JsValue},
};

use super::{
    api::{storage, CabinetApi, CabinetError},
    texts::{language_name, t, Key},
};

/// Where the client's own choice of language is kept; without one, the cabinet speaks the
/// language its administrator chose.
const LANGUAGE_KEY: &str = "gatehouse.cabinet.language";

/// The open cabinet, for every page under `/cabinet/:account`.
#[derive(Clone, Copy)]
pub struct Cabinet {
    pub api: CabinetApi,
    pub appearance: RwSignal<CabinetAppearance>,
    lang: RwSignal<Language>,
}

impl Cabinet {
    #[must_use]
    pub fn new(api: CabinetApi, appearance: CabinetAppearance) -> Self {
        let chosen = storage()
            .and_then(|s| s.get_item(LANGUAGE_KEY).ok().flatten())
            .and_then(|code| Language::from_code(&code));
        let lang = RwSignal::new(chosen.unwrap_or(appearance.language));
        let cabinet = Self {
            api,
            appearance: RwSignal::new(appearance),
            lang,
        };
        // The page's language for screen readers and the browser's own words.
        Effect::new(move |_| {
            let code = lang.get().code();
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("lang", code);
            }
        });
        cabinet
    }

    /// The language the cabinet speaks (tracked).
    #[must_use]
    pub fn lang(self) -> Language {
        self.lang.get()
    }

    /// A text in the cabinet's language (tracked).
    #[must_use]
    pub fn text(self, key: Key) -> &'static str {
        t(self.lang.get(), key)
    }

    /// The client's choice, kept for the next visit.
    pub fn choose_language(self, lang: Language) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(LANGUAGE_KEY, lang.code());
        }
        self.lang.set(lang);
    }

    /// The address of a cabinet page: `rest` is "" for the sign-in page, "/leads", ….
    #[must_use]
    pub fn path(self, rest: &str) -> String {
        format!("/cabinet/{}{rest}", self.api.account())
    }
}

#[must_use]
pub fn use_cabinet() -> Cabinet {
    expect_context::<Cabinet>()
}

/// Renders `children` for a signed-in client; others go to the sign-in page.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let cabinet = use_cabinet();
    move || {
        if cabinet.api.signed_in() {
            children().into_any()
        } else {
            view! { <Redirect path=cabinet.path("") options=replace()/> }.into_any()
        }
    }
}

/// Redirects replace the history entry, so "back" does not bounce between guards.
#[must_use]
pub fn replace() -> leptos_router::NavigateOptions {
    leptos_router::NavigateOptions {
        replace: true,
        ..leptos_router::NavigateOptions::default()
    }
}

/// The bar above signed-in pages: the account's logo or name, the language, signing out.
#[component]
pub fn TopBar() -> impl IntoView {
    let cabinet = use_cabinet();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        // The guard of the page sends the client to the sign-in page once the token is gone.
        spawn_local(cabinet.api.sign_out());
    };
    view! {
        <header class="cab-bar">
            <a class="cab-brand" href=cabinet.path("/leads")>
                <Brand small=true/>
            </a>
            <div class="cab-bar-tools">
                <LanguageSwitch compact=true/>
                <button
                    type="button"
                    class="cab-button cab-button-quiet cab-button-small"
                    data-testid="sign-out"
                    disabled=move || signing_out.get()
                    on:click=sign_out
                >
                    {move || cabinet.text(Key::SignOut)}
                </button>
            </div>
        </header>
    }
}

/// The account's logo when it has one, else its name.
#[component]
pub fn Brand(#[prop(optional)] small: bool) -> impl IntoView {
    let cabinet = use_cabinet();
    move || {
        let appearance = cabinet.appearance.get();
        match appearance.logo_url {
            Some(url) => view! {
                <img
                    class=if small { "cab-logo cab-logo-small" } else { "cab-logo" }
                    src=url
                    alt=appearance.account_name
                    data-testid="cabinet-logo"
                />
            }
            .into_any(),
            None => view! {
                <span class=if small { "cab-account cab-account-small" } else { "cab-account" }>
                    {appearance.account_name}
                </span>
            }
            .into_any(),
        }
    }
}

/// The switch between the cabinet's four languages; `compact` shows their codes (the top bar
/// of a phone has room for little else).
#[component]
pub fn LanguageSwitch(#[prop(optional)] compact: bool) -> impl IntoView {
    let cabinet = use_cabinet();
    let change = move |event: Event| {
        let code = event_target_value(&event);
        if let Some(lang) = Language::from_code(&code) {
            cabinet.choose_language(lang);
        }
    };
    view! {
        <label class="cab-language">
            <span class="cab-hidden">{move || cabinet.text(Key::Language)}</span>
            <select data-testid="cabinet-language" on:change=change>
                {Language::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.code() selected=move || cabinet.lang() == lang>
                                {if compact { lang.code().to_ascii_uppercase() } else { language_name(lang).to_owned() }}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_context::<Cabinet>()
        .map(Cabinet::lang)
        .unwrap_or_default();
    view! {
        <p class="cab-loading" role="status" data-testid="loading">
            <span class="cab-spinner" aria-hidden="true"></span>
            {t(lang, Key::Loading)}
        </p>
    }
}

/// A refusal or failure, with a way to try again when there is one.
#[component]
pub fn Failed(
    error: CabinetError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let lang = use_context::<Cabinet>()
        .map(Cabinet::lang)
        .unwrap_or_default();
    view! {
        <div class="cab-alert" role="alert" data-testid="failed">
            <p>{error.message(lang)}</p>
            {retry.map(|retry| view! {
                <button type="button" class="cab-button cab-button-outline cab-button-small" on:click=move |_| retry.run(())>
                    {t(lang, Key::Retry)}
                </button>
            })}
        </div>
    }
}

/// A form's refusal, when there is one (tracked); its id is its test id, for the fields'
/// `aria-describedby`.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<String>>,
    testid: &'static str,
) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! { <p class="cab-error" role="alert" id=testid data-testid=testid>{message}</p> }
        })
    }
}

/// The field for the code of an SMS, as signing in and erasure ask for it: to which phone the
/// code went, the six digits (the phone offers the code from the SMS itself), then the form's
/// refusal. The input is described by the hint and the refusal, so a screen reader says where
/// the code went and why it was refused; the hint's id is its test id, as [`FormError`]'s is.
#[component]
pub fn CodeField(
    /// The input's id, which its label names.
    id: &'static str,
    testid: &'static str,
    /// What the hint says before the phone.
    hint: Key,
    hint_id: &'static str,
    /// The phone the code went to.
    phone: String,
    code: RwSignal<String>,
    /// The input, for the form to give it the focus.
    input: NodeRef<html::Input>,
    #[prop(into)] error: Signal<Option<String>>,
    error_id: &'static str,
    /// Whether the refusal is about the code, for `aria-invalid`; without it the field never
    /// says so.
    #[prop(optional, into)]
    invalid: Option<Signal<bool>>,
) -> impl IntoView {
    let cabinet = use_cabinet();
    view! {
        <p class="cab-hint" id=hint_id data-testid=hint_id>
            {move || cabinet.text(hint)}" "
            <strong class="cab-nowrap">{phone}</strong>
        </p>
        <label class="cab-label" for=id>{move || cabinet.text(Key::CodeLabel)}</label>
        <input
            id=id
            class="cab-input cab-code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxlength="6"
            aria-describedby=format!("{hint_id} {error_id}")
            aria-invalid=move || invalid.is_some_and(|invalid| invalid.get()).then_some("true")
            data-testid=testid
            node_ref=input
            bind:value=code
        />
        <FormError error=error testid=error_id/>
    }
}

/// An instant in the client's language and time zone, by the browser's own calendar (no
/// formatting tables in the download); today's by the time alone.
#[must_use]
pub fn when(lang: Language, at: DateTime<Utc>) -> String {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let today = js_sys::Date::new_0().to_date_string() == date.to_date_string();
    let options = js_sys::Object::new();
    if !today {
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    }
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    String::from(date.to_locale_string(lang.code(), &options))
}

/// Offers `content` as a file named `name`, as if downloaded: it came from an authorized
/// call, which a plain link could not make.
///
/// # Errors
/// The browser refused to build or open the file.
pub fn save_file(name: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download reads the URL asynchronously; revoking it at once may cancel it.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(30),
    );
    Ok(())
}

/// Resolves after `duration`.
pub async fn sleep(duration: Duration) {
    let (done, wait) = oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        duration,
    );
    let _ = wait.await;
}

/// The seconds left until `deadline` (milliseconds since the epoch), ticking every second
/// while the component lives.
#[must_use]
pub fn countdown(deadline: RwSignal<f64>) -> Signal<u64> {
    let now = RwSignal::new(0_u32);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_update(|n| *n = n.wrapping_add(1));
        },
        Duration::from_millis(500),
    ) {
        on_cleanup(move || handle.clear());
    }
    Signal::derive(move || {
        // The tick only wakes the count; the clock is read now, so a deadline set between two
        // ticks does not show a second too many.
        now.track();
        let left = (deadline.get() - js_sys::Date::now()) / 1000.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let seconds = left.ceil().max(0.0) as u64;
        seconds
    })
}

/// Milliseconds since the epoch, `seconds` from now.
#[must_use]
pub fn seconds_from_now(seconds: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let millis = (seconds * 1000) as f64;
    js_sys::Date::now() + millis
}

/// The number of a lead as clients read it.
#[must_use]
pub fn lead_number(lang: Language, id: Id) -> String {
    format!("{}{id}", t(lang, Key::Deal))
}

/// Why a form did not go through: the server's refusal, or the form's own check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Api(CabinetError),
    Text(Key),
}

impl Refusal {
    #[must_use]
    pub fn message(&self, lang: Language) -> String {
        match self {
            Self::Api(error) => error.message(lang),
            Self::Text(key) => t(lang, *key).to_owned(),
        }
    }
}

/// A form's refusal in the cabinet's language, as a signal for [`FormError`].
#[must_use]
pub fn refusal_text(refusal: RwSignal<Option<Refusal>>) -> Signal<Option<String>> {
    let cabinet = use_cabinet();
    Signal::derive(move || refusal.with(|r| r.as_ref().map(|r| r.message(cabinet.lang()))))
}

/// The six digits of a typed code, whatever spaces or dashes came with them.
#[must_use]
pub fn code_digits(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == gatehouse_domain::cabinet::CODE_DIGITS
        && digits.chars().all(|c| c.is_ascii_digit()))
    .then_some(digits)
}
