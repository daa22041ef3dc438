//! Dates and times in the reader's language and time zone (the API speaks UTC).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use web_sys::{js_sys, wasm_bindgen::JsValue};

use crate::i18n::{use_locale, Lang};

/// An instant as `<time>`: for people in their language and time zone, for machines in
/// RFC 3339. One component for every date shown.
#[component]
pub fn Time(
    at: DateTime<Utc>,
    /// The date only, without the time of day.
    #[prop(optional)]
    day_only: bool,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <time class=class datetime=machine(at)>
            {move || if day_only { date(at, locale.lang()) } else { date_time(at, locale.lang()) }}
        </time>
    }
}

/// The browser's clock. (`Utc::now` has no clock to read in the browser: it would panic.)
#[must_use]
pub fn now() -> DateTime<Utc> {
    #[allow(clippy::cast_possible_truncation)]
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// "23 Nov 2025, 15:51" / "23 нояб. 2025 г., 15:51", in the browser's time zone.
#[must_use]
pub fn date_time(at: DateTime<Utc>, lang: Lang) -> String {
    local(at, lang, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// "23 Nov 2025" / "23 нояб. 2025 г.", in the browser's time zone.
#[must_use]
pub fn date(at: DateTime<Utc>, lang: Lang) -> String {
    local(at, lang, &[("dateStyle", "medium")])
}

/// The machine-readable form for `<time datetime>`.
#[must_use]
pub fn machine(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

/// The instant a day starts in the browser's time zone, for filters picked with
/// `<input type="date">` (which gives `YYYY-MM-DD`); `days_after` moves to a later day, so an
/// inclusive "to" date becomes the start of the day after it.
#[must_use]
pub fn local_day_start(day: &str, days_after: i32) -> Option<DateTime<Utc>> {
    let mut parts = day.splitn(3, '-').map(|part| part.parse::<i32>().ok());
    let (Some(Some(year)), Some(Some(month)), Some(Some(date))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    // The browser's own calendar: local midnight, and day 32 rolls over into the next month.
    let start = js_sys::Date::new_with_year_month_day(
        u32::try_from(year).ok()?,
        month - 1,
        date + days_after,
    );
    let millis = start.get_time();
    if millis.is_nan() {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    DateTime::from_timestamp_millis(millis as i64)
}

fn local(at: DateTime<Utc>, lang: Lang, style: &[(&str, &str)]) -> String {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    for (name, value) in style {
        // Setting a plain property of a fresh object cannot fail.
        let _ = js_sys::Reflect::set(
            &options,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    date.to_locale_string(lang.code(), &options).into()
}
