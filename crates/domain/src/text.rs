//! Case conversion of text, the same on the server and in the browser.
//!
//! Rust's `to_lowercase` carries Unicode's case tables (about 24 KB, 10 KB gzipped) into every
//! binary that calls it. The browser already has the same Unicode default case conversion in
//! `String.prototype.toLowerCase`, so with the `browser` feature (the web app's) non-ASCII text
//! is converted by the engine and the tables stay out of the download (Q4). ASCII text, which is
//! nearly all of it, never leaves Rust.

/// `text` in lower case (Unicode default case conversion).
#[must_use]
pub fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    #[cfg(all(feature = "browser", target_arch = "wasm32"))]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(all(feature = "browser", target_arch = "wasm32")))]
    {
        text.to_lowercase()
    }
}

/// `text` in upper case (Unicode default case conversion).
#[must_use]
pub fn uppercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    #[cfg(all(feature = "browser", target_arch = "wasm32"))]
    {
        String::from(js_sys::JsString::from(text).to_upper_case())
    }
    #[cfg(not(all(feature = "browser", target_arch = "wasm32")))]
    {
        text.to_uppercase()
    }
}

/// `text` with its first character in upper case ("права" → "Права").
#[must_use]
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        let mut first_upper = uppercase(first.encode_utf8(&mut [0; 4]));
        first_upper.push_str(chars.as_str());
        first_upper
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_ascii_and_other_scripts() {
        assert_eq!(lowercase("Ivan@Example.COM"), "ivan@example.com");
        assert_eq!(lowercase("ИВАН Петров"), "иван петров");
        assert_eq!(uppercase("straße"), "STRASSE");
        assert_eq!(capitalised("права"), "Права");
        assert_eq!(capitalised("view"), "View");
        assert_eq!(capitalised(""), "");
    }
}
