//! A modal dialog on the browser's own `<dialog>`: it traps focus, closes on Escape and hands
//! focus back to where it was, with no code of ours for any of it.

use leptos::{html, prelude::*};

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
