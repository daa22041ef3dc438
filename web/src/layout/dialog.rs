//! A modal dialog on the browser's own `<dialog>`: it traps focus, closes on Escape and hands
//! focus back to where it was, with no code of ours for any of it.

use leptos::{html, prelude::*};

use crate::i18n::{use_locale, Key};

/// Shown while `open` is true; Escape (or the page setting `open` false) closes it. The
/// children hold an element with id `labelledby` that names the dialog.
#[component]
pub fn Dialog(
    open: RwSignal<bool>,
    labelledby: &'static str,
    testid: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    view! {
        <Show when=move || open.get()>
            <dialog
                class="dialog"
                node_ref=dialog
                aria-labelledby=labelledby
                data-testid=testid
                on:close=move |_| open.set(false)
            >
                {children()}
            </dialog>
        </Show>
    }
}

/// A question to confirm before an act: the title, what it means, and the act's button
/// (test id `{testid}-confirm`) beside "Cancel".
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] text: Signal<String>,
    /// The act's button.
    confirm: Key,
    /// For acts that cannot be undone.
    #[prop(optional)]
    danger: bool,
    testid: &'static str,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Dialog open=open labelledby="confirm-dialog-title" testid=testid>
            <h2 id="confirm-dialog-title">{move || title.get()}</h2>
            <p data-testid=format!("{testid}-text")>{move || text.get()}</p>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="button button-primary"
                    class:button-danger=danger
                    data-testid=format!("{testid}-confirm")
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {locale.text(confirm)}
                </button>
                <button type="button" class="button button-outline" on:click=move |_| open.set(false)>
                    {locale.text(Key::Cancel)}
                </button>
            </div>
        </Dialog>
    }
}
