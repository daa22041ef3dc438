//! One SMS template's editor: the text, buttons that insert the markers at the cursor, and the
//! length as the client's phone will get it — measured while typing by the domain's
//! `measure`, the rule the server saves by, with each marker at its longest.

use gatehouse_domain::sms::{measure, Marker, SMS_LIMIT};
use leptos::{html, prelude::*};

use crate::{
    cabinet::settings::texts::{length_text, marker_words, unknown_marker_text, words, Text},
    i18n::use_locale,
    sms::texts::{say, Words},
};

/// A marker's name in test ids: `code`, `contact_first_name`, …
const fn marker_code(marker: Marker) -> &'static str {
    match marker {
        Marker::Code => "code",
        Marker::ContactFirstName => "contact_first_name",
        Marker::ContactName => "contact_name",
        Marker::AccountName => "account_name",
    }
}

/// `text` with `token` in place of the UTF-16 range `start..end` (a textarea's selection,
/// which the browser counts in UTF-16 units), and where the cursor goes after it.
fn inserted(text: &str, token: &str, start: u32, end: u32) -> (String, u32) {
    let units: Vec<u16> = text.encode_utf16().collect();
    let clamp = |at: u32| usize::try_from(at).unwrap_or(usize::MAX).min(units.len());
    let (start, end) = (clamp(start), clamp(end));
    let end = end.max(start);
    let mut out: Vec<u16> = units[..start].to_vec();
    out.extend(token.encode_utf16());
    let cursor = out.len();
    out.extend_from_slice(&units[end..]);
    (
        String::from_utf16_lossy(&out),
        u32::try_from(cursor).unwrap_or(u32::MAX),
    )
}

#[component]
pub fn TemplateEditor(
    /// The textarea's id and test id; the counter is `{id}-length`.
    id: &'static str,
    label: Words,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let locale = use_locale();
    let area = NodeRef::<html::Textarea>::new();
    let length = Memo::new(move |_| value.with(|text| measure(text)));
    let over = move || length.with(|l| l.as_ref().map_or(true, |l| l.chars > SMS_LIMIT));
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let counter = move || {
        let lang = locale.lang();
        length.with(|l| match l {
            Ok(l) => length_text(lang, l.chars, l.segments),
            Err(token) => unknown_marker_text(lang, token),
        })
    };
    let insert = move |marker: Marker| {
        let token = marker.token();
        let Some(area) = area.get_untracked() else {
            value.update(|text| text.push_str(token));
            return;
        };
        let text = area.value();
        let at_end = u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX);
        let start = area.selection_start().ok().flatten().unwrap_or(at_end);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        let (text, cursor) = inserted(&text, token, start, end);
        area.set_value(&text);
        value.set(text);
        let _ = area.focus();
        let _ = area.set_selection_range(cursor, cursor);
    };
    let length_id = format!("{id}-length");
    let error_id = format!("{id}-error");
    view! {
        <div class="field template" class:field-invalid=invalid>
            <label for=id>{say(locale, label)}</label>
            <textarea
                id=id
                data-testid=id
                rows="3"
                node_ref=area
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=format!("{length_id} {error_id}")
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
            <p class="template-length" class:text-danger=over id=length_id.clone() data-testid=length_id>
                {counter}
            </p>
            <div class="markers" role="group" aria-labelledby=format!("{id}-markers")>
                <span class="muted small" id=format!("{id}-markers")>{say(locale, words(Text::Insert))}</span>
                {Marker::ALL
                    .into_iter()
                    .map(|marker| view! {
                        <button
                            type="button"
                            class="button button-outline button-small marker"
                            data-testid=format!("{id}-marker-{}", marker_code(marker))
                            title=say(locale, marker_words(marker))
                            on:click=move |_| insert(marker)
                        >
                            <code>{marker.token()}</code>
                        </button>
                    })
                    .collect_view()}
            </div>
            <p class="field-error" id=error_id.clone() data-testid=error_id>{move || error.get()}</p>
        </div>
    }
}
