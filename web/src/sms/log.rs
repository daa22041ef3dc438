//! The SMS log: every message newest first, of one status or all — whom, why, through which
//! kind of provider, how it went, and its text while the outbox keeps it.

use gatehouse_domain::sms::{SmsMessage, SmsStatus};
use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{total_found, use_locale, Key},
    layout::{
        format::Time,
        loading::{LoadFailed, Loading},
        pagination::Pagination,
        remote::Remote,
    },
    sms::{
        form::Choice,
        texts::{kind_words, pick, purpose_words, say, status_words, words, Text},
    },
};

const PER_PAGE: u64 = 50;

const STATUSES: [SmsStatus; 4] = [
    SmsStatus::Outbox,
    SmsStatus::Queued,
    SmsStatus::Sent,
    SmsStatus::Failed,
];

/// The log; it reads again whenever `again` changes (a test message was sent).
#[component]
pub fn SmsLog(again: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let page = RwSignal::new(1u64);
    let status = RwSignal::new(String::new());
    // Another status starts from the first page.
    Effect::new(move |previous: Option<String>| {
        let current = status.get();
        if previous.is_some_and(|previous| previous != current) {
            page.set(1);
        }
        current
    });
    let messages = Remote::new(move || {
        again.track();
        let (page, status) = (page.get(), SmsStatus::parse(&status.get()));
        async move { session.call(api.sms_messages(page, PER_PAGE, status)).await }
    });
    let total = Signal::derive(move || {
        messages
            .get()
            .and_then(Result::ok)
            .map_or(0, |page| page.total)
    });
    let statuses = Signal::derive(move || {
        let lang = locale.lang();
        std::iter::once((
            String::new(),
            pick(lang, words(Text::AllStatuses)).to_owned(),
        ))
        .chain(STATUSES.iter().map(|s| {
            (
                s.as_str().to_owned(),
                pick(lang, status_words(*s)).to_owned(),
            )
        }))
        .collect()
    });
    view! {
        <section class="card" aria-labelledby="sms-log-title" data-testid="sms-log">
            <div class="card-header">
                <h2 id="sms-log-title">{say(locale, words(Text::Log))}</h2>
                <span class="muted" data-testid="sms-log-total">{move || total_found(locale.lang(), total.get())}</span>
            </div>
            <p class="muted">{say(locale, words(Text::LogLead))}</p>
            <div class="sms-filters">
                <Choice id="sms-log-status" label=words(Text::Status) value=status options=statuses class="field-medium"/>
                <button
                    type="button"
                    class="button button-outline align-end"
                    data-testid="sms-log-refresh"
                    on:click=move |_| messages.refetch()
                >
                    {locale.text(Key::Refresh)}
                </button>
            </div>
            {move || match messages.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| messages.refetch()/> }.into_any()
                }
                Some(Ok(found)) if found.items.is_empty() => {
                    view! { <p class="muted" data-testid="sms-log-empty">{say(locale, words(Text::NoMessages))}</p> }
                        .into_any()
                }
                Some(Ok(found)) => view! {
                    <ul class="rows">
                        {found.items.into_iter().map(|message| view! { <MessageRow message=message/> }).collect_view()}
                    </ul>
                }
                    .into_any(),
            }}
            <Pagination page=page total=total per_page=PER_PAGE testid="sms-log-pages"/>
        </section>
    }
}

#[component]
fn MessageRow(message: SmsMessage) -> impl IntoView {
    let locale = use_locale();
    let SmsMessage {
        created_at,
        provider_kind,
        to,
        purpose,
        body,
        status,
        attempts,
        error,
        ..
    } = message;
    view! {
        <li class="row row-stacked" data-testid="sms-row" data-status=status.as_str() data-purpose=purpose.as_str()>
            <div class="row-title">
                <span class="cell-title" data-testid="sms-to">{to}</span>
                <span class="badge badge-muted">{say(locale, purpose_words(purpose))}</span>
                <span
                    class="badge"
                    class:badge-success=status == SmsStatus::Sent
                    class:badge-danger=status == SmsStatus::Failed
                    data-testid="sms-status"
                >
                    {say(locale, status_words(status))}
                </span>
            </div>
            <div class="row-meta">
                <Time at=created_at/>
                <span>{say(locale, words(Text::Via))}" "{say(locale, kind_words(provider_kind))}</span>
                <span>{say(locale, words(Text::Tries))}": "{attempts}</span>
            </div>
            {error.map(|error| view! { <p class="text-danger small" data-testid="sms-error">{error}</p> })}
            {match body {
                Some(body) => view! {
                    <p class="sms-text">
                        <span class="sr-only">{say(locale, words(Text::Body))}": "</span>
                        <span data-testid="sms-text">{body}</span>
                    </p>
                }
                    .into_any(),
                None => view! { <p class="muted small">{say(locale, words(Text::BodyNotKept))}</p> }.into_any(),
            }}
        </li>
    }
}
