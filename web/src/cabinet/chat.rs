//! The chat with the manager (K5). New messages arrive without reloading through a loop of long
//! polls: each request waits on the server until there is a message after the last one shown
//! (or 25 s pass), and the next starts at once. The loop ends when the page goes, and backs off
//! while the server cannot be reached.

use std::time::Duration;

use futures::{
    channel::oneshot,
    future::{select, Either},
    FutureExt,
};
use gatehouse_domain::{
    cabinet::{ChatMessage, MESSAGE_MAX},
    problem::ErrorCode,
    Id,
};
use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};

use super::{
    api::CabinetApi,
    parts::{refusal_text, sleep, use_cabinet, when, FormError, Refusal},
    texts::Key,
};

/// How long the server may hold one poll (the API allows up to 25 s).
const POLL_WAIT_SECONDS: u32 = 25;
/// The longest pause between polls while the server cannot be reached.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[component]
pub fn ChatBox(lead: Id) -> impl IntoView {
    let cabinet = use_cabinet();
    let messages: RwSignal<Vec<ChatMessage>> = RwSignal::new(Vec::new());
    let loaded = RwSignal::new(false);
    let offline = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let refusal: RwSignal<Option<Refusal>> = RwSignal::new(None);
    let sending = RwSignal::new(false);
    let list: NodeRef<html::Div> = NodeRef::new();

    // Dropping the sender, when the chat leaves the page, ends the loop and aborts its request.
    let (stop, stopped) = oneshot::channel::<()>();
    on_cleanup(move || drop(stop));
    spawn_local(poll(cabinet.api, lead, messages, loaded, offline, stopped));

    // The newest message stays in view.
    Effect::new(move |_| {
        messages.track();
        if let Some(list) = list.get() {
            list.set_scroll_top(list.scroll_height());
        }
    });

    let send = move || {
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty() || sending.get_untracked() {
            return;
        }
        if text.chars().count() > MESSAGE_MAX {
            refusal.set(Some(Refusal::Text(Key::MessageTooLong)));
            return;
        }
        refusal.set(None);
        sending.set(true);
        spawn_local(async move {
            let result = cabinet.api.write(lead, text).await;
            if sending.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(message) => {
                    draft.set(String::new());
                    messages.update(|all| merge(all, vec![message]));
                }
                Err(error) => refusal.set(Some(Refusal::Api(error))),
            }
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };
    // Enter is a new line on phones; Ctrl+Enter (⌘+Enter) sends from a keyboard.
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            send();
        }
    };
    let over = move || draft.with(|d| d.chars().count() > MESSAGE_MAX);
    let error = refusal_text(refusal);

    view! {
        <section class="cab-section cab-chat" aria-labelledby="cabinet-chat" data-testid="chat">
            <h2 id="cabinet-chat">{move || cabinet.text(Key::Chat)}</h2>
            <div class="cab-messages" role="log" aria-live="polite" node_ref=list data-testid="chat-messages">
                {move || {
                    (loaded.get() && messages.with(Vec::is_empty))
                        .then(|| view! { <p class="cab-empty">{cabinet.text(Key::NoMessages)}</p> })
                }}
                <For each=move || messages.get() key=|message| message.id let:message>
                    <Bubble message=message/>
                </For>
            </div>
            {move || offline.get().then(|| view! {
                <p class="cab-hint cab-offline" role="status" data-testid="chat-offline">{cabinet.text(Key::Reconnecting)}</p>
            })}
            <form class="cab-chat-form" on:submit=on_submit>
                <label class="cab-hidden" for="cabinet-chat-input">{move || cabinet.text(Key::Message)}</label>
                <textarea
                    id="cabinet-chat-input"
                    class="cab-input cab-chat-input"
                    rows="2"
                    placeholder=move || cabinet.text(Key::MessagePlaceholder)
                    data-testid="chat-input"
                    aria-invalid=move || over().then_some("true")
                    bind:value=draft
                    on:keydown=on_key
                ></textarea>
                <button
                    type="submit"
                    class="cab-button"
                    data-testid="chat-send"
                    disabled=move || sending.get() || draft.with(|d| d.trim().is_empty())
                >
                    {move || cabinet.text(Key::Send)}
                </button>
            </form>
            {move || over().then(|| view! {
                <p class="cab-error" role="alert">
                    {cabinet.text(Key::MessageTooLong)}" "
                    {format!("{} / {MESSAGE_MAX} {}", draft.with(|d| d.chars().count()), cabinet.text(Key::Characters))}
                </p>
            })}
            <FormError error=error testid="chat-error"/>
        </section>
    }
}

#[component]
fn Bubble(message: ChatMessage) -> impl IntoView {
    let cabinet = use_cabinet();
    let ChatMessage {
        from_client,
        text,
        author_name,
        created_at,
        ..
    } = message;
    let author = move || {
        if from_client {
            cabinet.text(Key::You).to_owned()
        } else {
            author_name
                .clone()
                .unwrap_or_else(|| cabinet.text(Key::Manager).to_owned())
        }
    };
    view! {
        <div
            class=if from_client { "cab-bubble cab-bubble-client" } else { "cab-bubble cab-bubble-manager" }
            data-testid="chat-message"
            data-from=if from_client { "client" } else { "manager" }
        >
            <span class="cab-bubble-author">{author}</span>
            <p class="cab-bubble-text">{text}</p>
            <time class="cab-bubble-time" datetime=created_at.to_rfc3339()>
                {move || when(cabinet.lang(), created_at)}
            </time>
        </div>
    }
}

/// Adds the messages not yet shown, in id order.
fn merge(all: &mut Vec<ChatMessage>, new: Vec<ChatMessage>) {
    for message in new {
        if !all.iter().any(|m| m.id == message.id) {
            all.push(message);
        }
    }
    all.sort_by_key(|m| m.id);
}

/// The loop of long polls, until `stopped` resolves (its sender dropped with the chat).
async fn poll(
    api: CabinetApi,
    lead: Id,
    messages: RwSignal<Vec<ChatMessage>>,
    loaded: RwSignal<bool>,
    offline: RwSignal<bool>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let Some(last) = messages.try_with_untracked(|all| all.last().map(|m| m.id)) else {
            return;
        };
        // The first request answers at once with the latest messages; the next ones wait for
        // what comes after the last one shown.
        let (after, wait) = if loaded.get_untracked() {
            (Some(last.unwrap_or(0)), POLL_WAIT_SECONDS)
        } else {
            (None, 0)
        };
        let request = api.messages(lead, after, wait).boxed_local();
        let result = match select(request, &mut stopped).await {
            Either::Left((result, _)) => result,
            Either::Right(_) => return,
        };
        match result {
            Ok(new) => {
                backoff = Duration::from_secs(1);
                offline.try_set(false);
                loaded.try_set(true);
                if !new.is_empty() {
                    messages.try_update(|all| merge(all, new));
                }
            }
            // Signed out, the lead gone, the chat switched off: nothing more will come.
            Err(error)
                if error.ends_session()
                    || matches!(
                        error.code(),
                        Some(ErrorCode::NotFound | ErrorCode::Forbidden)
                    ) =>
            {
                return;
            }
            Err(_) => {
                offline.try_set(true);
                let pause = sleep(backoff).boxed_local();
                if let Either::Right(_) = select(pause, &mut stopped).await {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}
