//! "Page 2 of 7" with previous and next, for the long lists.

use leptos::prelude::*;

use crate::i18n::{page_of, use_locale, Key};

#[component]
pub fn Pagination(
    /// 1-based; the buttons change it.
    page: RwSignal<u64>,
    #[prop(into)] total: Signal<u64>,
    per_page: u64,
    testid: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let pages = move || total.get().div_ceil(per_page.max(1)).max(1);
    view! {
        <nav class="pagination" aria-label=locale.text(Key::Pages) data-testid=testid>
            <button
                type="button"
                class="button button-outline button-small"
                data-testid=format!("{testid}-previous")
                disabled=move || page.get() <= 1
                on:click=move |_| page.update(|page| *page = page.saturating_sub(1).max(1))
            >
                {locale.text(Key::PreviousPage)}
            </button>
            <span class="pagination-status" aria-live="polite" data-testid=format!("{testid}-status")>
                {move || page_of(locale.lang(), page.get(), pages())}
            </span>
            <button
                type="button"
                class="button button-outline button-small"
                data-testid=format!("{testid}-next")
                disabled=move || { page.get() >= pages() }
                on:click=move |_| page.update(|page| *page += 1)
            >
                {locale.text(Key::NextPage)}
            </button>
        </nav>
    }
}
