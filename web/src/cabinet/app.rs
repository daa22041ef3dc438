//! The cabinet app's router and its frame: every page lives under `/cabinet/:account` (the one
//! link all clients of an account share, K1), and none renders before the cabinet's appearance
//! is known — a closed cabinet shows one page saying so.

use gatehouse_domain::{cabinet::CabinetAppearance, problem::ErrorCode, Id};
use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, ParentRoute, Route, Router, Routes},
    hooks::use_params_map,
    path,
};

use super::{
    api::{CabinetApi, CabinetError},
    erasure::ErasurePage,
    home::HomePage,
    lead::LeadPage,
    parts::{Cabinet, Failed, Loading},
    sign_in::SignInPage,
    texts::{t, Key},
};

/// The client cabinet (the `gatehouse-cabinet` bundle).
#[component]
pub fn CabinetApp() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=NotFound>
                <ParentRoute path=path!("/cabinet/:account") view=Frame>
                    <Route path=path!("") view=SignInPage/>
                    <Route path=path!("/leads") view=HomePage/>
                    <Route path=path!("/leads/:id") view=LeadPage/>
                    <Route path=path!("/erasure") view=ErasurePage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Loads the cabinet's appearance and provides the cabinet to the pages below.
#[component]
fn Frame() -> impl IntoView {
    let params = use_params_map();
    let Some(account) = params
        .read_untracked()
        .get("account")
        .and_then(|id| id.parse::<Id>().ok())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let api = CabinetApi::new(account);
    let state: RwSignal<Option<Result<CabinetAppearance, CabinetError>>> = RwSignal::new(None);
    let load = move || {
        state.set(None);
        leptos::task::spawn_local(async move {
            let result = api.appearance().await;
            state.try_set(Some(result));
        });
    };
    load();
    // The cabinet is made once: pages keep their signals when the appearance is reloaded.
    let cabinet: StoredValue<Option<Cabinet>> = StoredValue::new(None);
    (move || match state.get() {
        None => view! { <main class="cab-page"><Loading/></main> }.into_any(),
        Some(Err(error)) if error.code() == Some(ErrorCode::CabinetUnavailable) => {
            view! { <Closed/> }.into_any()
        }
        Some(Err(error)) => view! {
            <main class="cab-page">
                <Failed error=error retry=Callback::new(move |()| load())/>
            </main>
        }
        .into_any(),
        Some(Ok(appearance)) => {
            let current = match cabinet.get_value() {
                Some(current) => {
                    current.appearance.set(appearance);
                    current
                }
                None => {
                    set_title(&appearance.account_name);
                    let made = Cabinet::new(api, appearance);
                    cabinet.set_value(Some(made));
                    made
                }
            };
            provide_context(current);
            view! { <Outlet/> }.into_any()
        }
    })
    .into_any()
}

fn set_title(account_name: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(account_name);
    }
}

/// A cabinet that is switched off, or an account that has none: the same page, so the address
/// tells nothing about which accounts exist.
#[component]
fn Closed() -> impl IntoView {
    let lang = browser_language();
    view! {
        <main class="cab-page cab-center" data-testid="cabinet-closed">
            <div class="cab-card cab-done">
                <h1>{t(lang, Key::ClosedTitle)}</h1>
                <p class="cab-muted">{t(lang, Key::ClosedText)}</p>
            </div>
        </main>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let lang = browser_language();
    view! {
        <main class="cab-page cab-center" data-testid="not-found">
            <div class="cab-card">
                <h1>{t(lang, Key::PageNotFound)}</h1>
            </div>
        </main>
    }
}

/// Before a cabinet says its language: the browser's, when the cabinet has it.
fn browser_language() -> gatehouse_domain::people::Language {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|tag| {
            let primary = tag
                .split('-')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            gatehouse_domain::people::Language::from_code(&primary)
        })
        .unwrap_or_default()
}
