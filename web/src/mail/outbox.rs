//! The mail outbox (`/outbox`, P5): every message Gatehouse sent or holds, newest first, with
//! its text while the outbox keeps it. Without an SMTP server this is where a reset link is read.

use gatehouse_domain::mail::{MailStatus, OutboxMessage};
use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{mail_status_text, total_found, use_locale, Key},
    layout::{
        admin_only::AdminOnly,
        format::Time,
        loading::{LoadFailed, Loading},
        pagination::Pagination,
        remote::Remote,
    },
};

const PER_PAGE: u64 = 50;

#[component]
pub fn OutboxPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <Outbox/>
        </AdminOnly>
    }
}

#[component]
fn Outbox() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let page = RwSignal::new(1u64);
    let messages = Remote::new(move || {
        let page = page.get();
        async move { session.call(api.outbox(page, PER_PAGE)).await }
    });
    let total = Signal::derive(move || {
        messages
            .get()
            .and_then(Result::ok)
            .map_or(0, |page| page.total)
    });
    view! {
        <div class="page page-wide" data-testid="outbox">
            <header class="page-header">
                <h1>{locale.text(Key::Outbox)}</h1>
                <button
                    type="button"
                    class="button button-outline"
                    data-testid="outbox-refresh"
                    on:click=move |_| messages.refetch()
                >
                    {locale.text(Key::Refresh)}
                </button>
            </header>
            <p class="muted">{locale.text(Key::OutboxText)}</p>
            <section class="card" aria-labelledby="outbox-messages">
                <div class="card-header">
                    <h2 id="outbox-messages">{locale.text(Key::Messages)}</h2>
                    <span class="muted" data-testid="outbox-total">{move || total_found(locale.lang(), total.get())}</span>
                </div>
                {move || match messages.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => {
                        view! { <LoadFailed error=error retry=move |()| messages.refetch()/> }.into_any()
                    }
                    Some(Ok(found)) if found.items.is_empty() => {
                        view! { <p class="muted" data-testid="outbox-empty">{locale.text(Key::NoMessages)}</p> }
                            .into_any()
                    }
                    Some(Ok(found)) => {
                        view! {
                            <ul class="rows">
                                {found.items.into_iter().map(|message| view! { <MessageRow message=message/> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
                <Pagination page=page total=total per_page=PER_PAGE testid="outbox-pages"/>
            </section>
        </div>
    }
}

#[component]
fn MessageRow(message: OutboxMessage) -> impl IntoView {
    let locale = use_locale();
    let OutboxMessage {
        id,
        created_at,
        to,
        subject,
        body,
        status,
        error,
    } = message;
    let body_id = format!("outbox-body-{id}");
    view! {
        <li class="row row-stacked" data-testid="outbox-row" data-status=status.as_str()>
            <div class="row-title">
                <span class="cell-title" data-testid="outbox-subject">{subject}</span>
                <span
                    class="badge"
                    class:badge-success=status == MailStatus::Sent
                    class:badge-danger=status == MailStatus::Failed
                >
                    {move || mail_status_text(locale.lang(), status)}
                </span>
            </div>
            <div class="row-meta">
                <span>
                    <span class="muted">{locale.text(Key::Recipient)}": "</span>
                    <span data-testid="outbox-to">{to}</span>
                </span>
                <span>
                    <Time at=created_at/>
                </span>
            </div>
            {error.map(|error| view! { <p class="text-danger" data-testid="outbox-error">{error}</p> })}
            {match body {
                Some(body) => view! {
                    <details class="mail-body">
                        <summary aria-controls=body_id.clone()>{locale.text(Key::ShowText)}</summary>
                        <pre class="mail-text" id=body_id data-testid="outbox-text">
                            {linked(&body)}
                        </pre>
                    </details>
                }
                .into_any(),
                // Once an SMTP server has a message, its text (which may hold a single-use link)
                // is no longer kept.
                None => view! { <p class="muted">{locale.text(Key::TextNotKept)}</p> }.into_any(),
            }}
        </li>
    }
}

/// A piece of a message's text: plain, or an address to open.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Link(String),
}

/// Splits a text at its http(s) addresses. Nothing else becomes a link, so a message cannot
/// carry a `javascript:` one.
fn pieces(text: &str) -> Vec<Piece> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
            .unwrap_or(from.len());
        // Closing punctuation ends the sentence, not the address.
        let link = from[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        if !before.is_empty() {
            found.push(Piece::Text(before.to_owned()));
        }
        found.push(Piece::Link(link.to_owned()));
        rest = &from[link.len()..];
    }
    if !rest.is_empty() {
        found.push(Piece::Text(rest.to_owned()));
    }
    found
}

fn linked(text: &str) -> impl IntoView {
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.into_any(),
            Piece::Link(href) => {
                let shown = href.clone();
                view! {
                    <a href=href target="_blank" rel="noopener noreferrer" data-testid="outbox-link">
                        {shown}
                    </a>
                }
            }
            .into_any(),
        })
        .collect_view()
}
