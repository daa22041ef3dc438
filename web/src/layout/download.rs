//! Handing text to the person: as a file to save, or on the clipboard.

use std::time::Duration;

use leptos::prelude::set_timeout;
use web_sys::{
    js_sys,
    wasm_bindgen::{JsCast, JsValue},
    Blob, BlobPropertyBag, HtmlAnchorElement, Url,
};

/// Offers `content` as a file named `name`, as if downloaded. The content never leaves the
/// browser again: it came from an authorized call, which a plain link could not make.
///
/// # Errors
/// The browser refused to build or open the file.
pub fn save_file(name: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download reads the URL asynchronously; revoking it at once may cancel it.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        Duration::from_secs(30),
    );
    Ok(())
}

/// Puts `text` on the clipboard; `false` when the browser has no clipboard for this page
/// (an insecure origin), so the caller can say so.
#[must_use]
pub fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return false;
    }
    // Fire and forget: the write only fails without a user gesture, and this runs in one.
    let _ = clipboard.write_text(text);
    true
}
